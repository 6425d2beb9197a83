"""``corehub quality import-articles``, ``sample-articles``, ``article-checks``, ``check-article``."""

from __future__ import annotations

from pathlib import Path

import click

from corehub import Hub
from corehub.cli import echo_json, echo_table
from corehub.errors import ValidationError


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    problems = []
    for value in values:
        key, eq, answer = value.partition("=")
        if not eq or not key.strip():
            problems.append(f"{option} {value!r}: use CRITERION=VALUE")
        else:
            found[key.strip()] = answer.strip()
    if problems:
        raise ValidationError(f"bad {option}:", problems)
    return found


def register_articles(quality: click.Group) -> None:
    from corehub_quality.article_fields import FIELDS

    @quality.command("import-articles")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--map",
        "mappings",
        multiple=True,
        metavar="COLUMN=field",
        help=f"Read COLUMN as one of: {', '.join(FIELDS)} (COLUMN= ignores it).",
    )
    @click.option("--source", help="Name of the knowledge base (default: by the export).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def import_articles(
        hub: Hub, file: Path, mappings: tuple[str, ...], source: str | None, as_json: bool
    ) -> None:
        """Import knowledge articles: Zendesk Guide CSV or articles-API JSON, Confluence page
        CSV, or any CSV with --map (all-or-nothing; re-import safe)."""
        from corehub_quality import articles

        result = articles.import_articles(hub, file, articles.parse_map(mappings), source=source)
        if as_json:
            echo_json(hub.unstructure(result))
            return
        click.echo(
            f"{result.file} ({result.format}): {result.created} created, {result.updated} "
            f"updated, {result.unchanged} unchanged."
        )

    @quality.command("sample-articles")
    @click.option("--period", required=True, help="2026-11, 2026-Q4 or 2026 (by last update).")
    @click.option("--per-author", type=int, default=3, show_default=True)
    @click.option("--seed", type=int, help="Repeat an earlier sample's picks (its seed).")
    @click.option("--team", help="Only this team's authors.")
    @click.option("--dry-run", is_flag=True, help="Show the picks; create no check.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def sample_articles(
        hub: Hub,
        period: str,
        per_author: int,
        seed: int | None,
        team: str | None,
        dry_run: bool,
        as_json: bool,
    ) -> None:
        """Pick published articles of a period for a coach's content-standard check."""
        from corehub_quality import articles

        result = articles.sample_checks(
            hub, period, per_author=per_author, seed=seed, team=team, dry_run=dry_run
        )
        if as_json:
            echo_json(hub.unstructure(result))
            return
        echo_table(
            [(p.article, p.author_id, p.coach_id, p.due.isoformat()) for p in result.picks],
            ["article", "author", "coach", "due"],
        )
        verb = "would be checked" if dry_run else "to check"
        click.echo(f"{len(result.picks)} articles {verb} (seed {result.seed}).")

    @quality.command("article-checks")
    @click.option("--coach", help="Only this coach's checks.")
    @click.option("--author", help="Only this author's articles.")
    @click.option("--status", type=click.Choice(["open", "submitted"]))
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def article_checks(
        hub: Hub, coach: str | None, author: str | None, status: str | None, as_json: bool
    ) -> None:
        """List content-standard checks of articles."""
        from corehub_quality import articles

        rows = articles.list_checks(hub, coach=coach, author=author, status=status)
        if as_json:
            echo_json(
                [
                    {
                        k: r[k]
                        for k in (
                            "id",
                            "source",
                            "article_id",
                            "title",
                            "author_id",
                            "coach_id",
                            "due",
                            "status",
                            "score",
                        )
                    }
                    for r in rows
                ]
            )
            return
        echo_table(
            [
                (
                    r["id"],
                    articles.article_label(r),
                    r["title"],
                    r["author_id"],
                    r["coach_id"],
                    r["due"],
                    r["status"],
                    "" if r["score"] is None else r["score"],
                )
                for r in rows
            ],
            ["check", "article", "title", "author", "coach", "due", "status", "score"],
        )

    @quality.command("check-article")
    @click.argument("check", type=int)
    @click.option(
        "--set",
        "answers",
        multiple=True,
        metavar="CRITERION=ANSWER",
        help="An answer: yes, no or na (see `corehub quality scorecards`).",
    )
    @click.option("--comment", "comments", multiple=True, metavar="CRITERION=TEXT")
    @click.option("--submit", is_flag=True, help="Submit (final); every criterion answered.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def check_article(
        hub: Hub,
        check: int,
        answers: tuple[str, ...],
        comments: tuple[str, ...],
        submit: bool,
        as_json: bool,
    ) -> None:
        """Record a coach's check of an article on the KCS content standard."""
        from corehub_quality import articles

        result = articles.check_article(
            hub,
            check,
            _pairs(answers, "--set"),
            _pairs(comments, "--comment"),
            submit=submit,
            actor=hub.actor,
        )
        if as_json:
            echo_json(result)
            return
        score = "not scored" if result["score"] is None else f"{result['score']}"
        state = "submitted" if submit else "saved"
        click.echo(f"Check {check} of {result['article']} {state}: {score}.")
