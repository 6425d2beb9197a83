"""``corehub quality``: import tickets, sample them, grade them, follow the grading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_json, echo_table
from corehub.loaders import write_text_output


def _signed_in_person(hub: Hub) -> str | None:
    """The person ``--as`` names; None for the operator (who sees every grader's tasks)."""
    return hub.actor if hub.people.find(hub.actor) is not None else None


def register(cli: click.Group) -> None:
    from corehub.loaders import TICKET_FIELDS as FIELDS
    from corehub.loaders import parse_map
    from corehub_quality import sampling

    @cli.group()
    def quality() -> None:
        """Quality: grade real customer conversations on scorecards.

        Act as a person with the global option: corehub --as PERSON quality ...
        """

    register_disputes(quality)
    register_calibration(quality)
    from corehub_quality.article_cli import register_articles

    register_articles(quality)

    @quality.command("import-tickets")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--map",
        "mappings",
        multiple=True,
        metavar="COLUMN=field",
        help=f"Read COLUMN as one of: {', '.join(FIELDS)} (COLUMN= ignores it).",
    )
    @click.option("--source", help="Name of the help desk system, for a mapped CSV (default csv).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def import_tickets(
        hub: Hub, file: Path, mappings: tuple[str, ...], source: str | None, as_json: bool
    ) -> None:
        """Import a ticket export: Zendesk CSV or tickets-API JSON, Freshdesk CSV, Jira Service
        Management CSV, or any CSV with --map (all-or-nothing; re-import safe).

        A column of linked knowledge articles (ids or URLs; --map COLUMN=articles) gives
        the articles' reuse; links to articles not imported yet are listed, not refused.
        """
        from corehub_quality import tickets

        result = tickets.import_tickets(hub, file, parse_map(mappings), source=source)
        if as_json:
            echo_json(hub.unstructure(result))
            return
        click.echo(
            f"{result.file} ({result.format}): {result.created} created, {result.updated} "
            f"updated, {result.unchanged} unchanged."
            + (f" {result.links} article link(s)." if result.links else "")
        )
        if result.unknown_links:
            shown = "; ".join(
                f"{u.link!r} ({', '.join(u.rows)}"
                + (f" and {u.count - len(u.rows)} more" if u.count > len(u.rows) else "")
                + ")"
                for u in result.unknown_links[:20]
            )
            more = len(result.unknown_links) - 20
            click.echo(
                f"{result.file}: {len(result.unknown_links)} linked article(s) not imported "
                f"yet: {shown}{f'; and {more} more' if more > 0 else ''}. They count as reuse "
                "once `corehub quality import-articles` brings them in.",
                err=True,
            )

    @quality.command("scorecards")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def scorecards_(hub: Hub, as_json: bool) -> None:
        """List the scorecards (shipped, and the workspace's scorecards/ folder)."""
        from corehub_quality import scorecards

        cards = scorecards.all_scorecards(hub)
        if as_json:
            echo_json(list(cards.values()))
            return
        echo_table(
            [
                (
                    c["id"],
                    c["version"],
                    ", ".join(c["channels"]),
                    str(
                        c["title"].get("en", c["id"])
                        if isinstance(c["title"], dict)
                        else c["title"]
                    ),
                )
                for c in cards.values()
            ],
            ["id", "version", "channels", "title"],
        )

    @quality.command()
    @click.option("--period", required=True, help="2026-11, 2026-Q4 or 2026.")
    @click.option("--per-agent", type=int, default=5, show_default=True, help="Tickets per agent.")
    @click.option(
        "--strategy",
        type=click.Choice(sampling.STRATEGIES),
        default="random",
        show_default=True,
        help="random; low-csat (badly rated first); mixed (half each).",
    )
    @click.option("--seed", type=int, help="Repeat an earlier sample's picks (its seed).")
    @click.option("--team", help="Only this team's agents.")
    @click.option("--dry-run", is_flag=True, help="Show the picks; create no task.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def sample(
        hub: Hub,
        period: str,
        per_agent: int,
        strategy: str,
        seed: int | None,
        team: str | None,
        dry_run: bool,
        as_json: bool,
    ) -> None:
        """Pick tickets of a period for grading and give each to a grader, with a due date."""
        from corehub_quality import sampling

        result = sampling.sample(
            hub,
            period,
            per_agent=per_agent,
            strategy=strategy,
            seed=seed,
            team=team,
            dry_run=dry_run,
        )
        if as_json:
            echo_json(hub.unstructure(result))
            return
        echo_table(
            [(p.ticket, p.agent_id, p.channel, p.grader_id, p.due) for p in result.picks],
            ["ticket", "agent", "channel", "grader", "due"],
        )
        what = "would be picked" if dry_run else f"picked (sample {result.sample_id})"
        click.echo(f"{len(result.picks)} tickets {what}; seed {result.seed}.")
        for agent_id, count in sorted(result.short.items()):
            click.echo(f"  {agent_id}: only {count} ticket(s) to grade in {period}")

    @quality.command()
    @click.option("--period", help="Only this sample period (2026-11).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def status(hub: Hub, period: str | None, as_json: bool) -> None:
        """Grading at a glance: per grader, open, draft, submitted and late tasks."""
        from corehub_quality import sampling

        rows = sampling.status(hub, period)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            [
                (r["name"], r["open"], r["draft"], r["submitted"], r["late"], r["next_due"] or "-")
                for r in rows
            ],
            ["grader", "open", "draft", "submitted", "late", "next due"],
            empty="(no grading tasks)",
        )

    @quality.command("tasks")
    @click.option(
        "--grader", metavar="PERSON", help="Only this grader's (default: yours with --as)."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def tasks_(hub: Hub, grader: str | None, as_json: bool) -> None:
        """Grading tasks not submitted yet."""
        from corehub_quality import sampling

        rows = sampling.open_tasks(hub, grader or _signed_in_person(hub))
        if as_json:
            echo_json(list(rows))
            return
        echo_table(
            [
                (
                    r["task_id"],
                    f"{r['source']}:{r['ticket_id']}",
                    r["agent_id"],
                    r["channel"],
                    r["grader_id"],
                    r["due"],
                    r["status"],
                )
                for r in rows
            ],
            ["task", "ticket", "agent", "channel", "grader", "due", "status"],
            empty="(no open grading tasks)",
        )

    @quality.command("grade-file")
    @click.argument("task", type=int)
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--locale", default="en", show_default=True, help="Language of the criteria.")
    @click.pass_obj
    def grade_file(hub: Hub, task: int, output: Path | None, locale: str) -> None:
        """Write the fill-in file of a grading task (the conversation beside the scorecard)."""
        from corehub_quality import grading

        text = grading.export_text(hub, task, locale=locale, actor=hub.actor)
        if output is None:
            click.echo(text, nl=False)
            return
        write_text_output(hub, output, text)
        click.echo(f"Wrote {output}; fill it in, then: corehub quality grade {output} --submit")

    @quality.command()
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--submit", is_flag=True, help="Submit the grade (final); default saves a draft.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def grade(hub: Hub, file: Path, submit: bool, as_json: bool) -> None:
        """Save or submit a grade from a filled-in file."""
        from corehub_quality import grading

        data: dict[str, Any] = grading.read_fillin(file)
        result = grading.grade(hub, data, submit=submit, source=file.name, actor=hub.actor)
        if as_json:
            echo_json(hub.unstructure(result))
            return
        shown = "-" if result.score is None else f"{result.score:g}"
        click.echo(f"{result.ticket}: {result.status}, score {shown}.")
        if result.critical_failed:
            click.echo(
                f"Critical failure ({', '.join(result.failed_criteria)}): the agent's manager "
                "is told in the next `corehub remind`."
            )


def register_disputes(quality: click.Group) -> None:

    @quality.command("grades")
    @click.option("--agent", metavar="PERSON", help="Only this agent's grades.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def grades_(hub: Hub, agent: str | None, as_json: bool) -> None:
        """Graded tickets you may see (as an agent: your own)."""
        from corehub_quality import disputes

        rows = disputes.list_grades(hub, actor=hub.actor, agent=agent)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            [
                (
                    r["grade"],
                    r["ticket"],
                    r["agent"],
                    "-" if r["score"] is None else f"{r['score']:g}",
                    ", ".join(r["failed_criteria"]) or "-",
                    "yes" if r["acknowledged"] else "no",
                    r["dispute"] or "-",
                )
                for r in rows
            ],
            ["grade", "ticket", "agent", "score", "critical failed", "acknowledged", "dispute"],
            empty="(no graded tickets)",
        )

    @quality.command()
    @click.argument("grade", type=int)
    @click.pass_obj
    def acknowledge(hub: Hub, grade: int) -> None:
        """Acknowledge a grade of one of your tickets."""
        from corehub_quality import disputes

        disputes.acknowledge(hub, grade, actor=hub.actor)
        click.echo(f"Grade {grade} acknowledged.")

    @quality.command()
    @click.argument("grade", type=int)
    @click.option("--reason", required=True, help="Why the grade is wrong.")
    @click.pass_obj
    def dispute(hub: Hub, grade: int, reason: str) -> None:
        """Dispute a grade of one of your tickets, with a reason."""
        from corehub_quality import disputes

        number = disputes.dispute(hub, grade, reason, actor=hub.actor)
        click.echo(f"Dispute {number} opened; another grader or your manager will answer it.")

    @quality.command("disputes")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def disputes_(hub: Hub, as_json: bool) -> None:
        """Open disputes you may resolve."""
        from corehub_quality import disputes

        rows = disputes.open_disputes(hub, actor=hub.actor)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            [(r["dispute"], r["ticket"], r["agent"], r["grader"], r["reason"]) for r in rows],
            ["dispute", "ticket", "agent", "grader", "reason"],
            empty="(no open disputes)",
        )

    @quality.command()
    @click.argument("dispute_id", metavar="DISPUTE", type=int)
    @click.option("--answer", required=True, help="The decision, with the reasoning.")
    @click.option(
        "--set",
        "changes",
        multiple=True,
        metavar="CRITERION=ANSWER",
        help="Change an answer (e.g. greeting=yes); without any, the grade stands.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def resolve(
        hub: Hub, dispute_id: int, answer: str, changes: tuple[str, ...], as_json: bool
    ) -> None:
        """Resolve a dispute: the grade stands, or answers change (--set)."""
        from corehub_quality import disputes

        parsed: dict[str, str] = {}
        for pair in changes:
            key, eq, value = pair.partition("=")
            if not eq or not key.strip():
                raise click.BadParameter(f"{pair!r}: use CRITERION=ANSWER", param_hint="--set")
            parsed[key.strip()] = value
        result = disputes.resolve(hub, dispute_id, answer, changes=parsed, actor=hub.actor)
        if as_json:
            echo_json(result)
            return
        click.echo(
            f"Dispute {dispute_id} {result['status']}: score {result['score_before']} -> "
            f"{result['score_after']}."
        )


def register_calibration(quality: click.Group) -> None:

    @quality.group()
    def calibrate() -> None:
        """Calibration sessions: graders grade the same tickets blind, then compare."""

    @calibrate.command("new")
    @click.argument("name")
    @click.option("--ticket", "tickets", multiple=True, metavar="SOURCE:ID", help="Repeatable.")
    @click.option("--grader", "graders", multiple=True, metavar="PERSON", help="Repeatable.")
    @click.pass_obj
    def new(hub: Hub, name: str, tickets: tuple[str, ...], graders: tuple[str, ...]) -> None:
        """Open a calibration session over TICKETS for GRADERS."""
        from corehub_quality import calibration

        calibration.create(hub, name, list(tickets), list(graders))
        click.echo(
            f"Calibration session {name!r} opened: {len(set(tickets))} tickets, "
            f"{len(set(graders))} graders."
        )

    @calibrate.command("grade-file")
    @click.argument("session")
    @click.argument("ticket", metavar="SOURCE:ID")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--locale", default="en", show_default=True, help="Language of the criteria.")
    @click.pass_obj
    def calibrate_file(
        hub: Hub, session: str, ticket: str, output: Path | None, locale: str
    ) -> None:
        """Write your fill-in file for one ticket of a session."""
        from corehub_quality import calibration

        text = calibration.export_text(hub, session, ticket, locale=locale, actor=hub.actor)
        if output is None:
            click.echo(text, nl=False)
            return
        write_text_output(hub, output, text)
        click.echo(f"Wrote {output}; then: corehub quality calibrate grade {output} --submit")

    @calibrate.command("grade")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--submit", is_flag=True, help="Submit (final); default saves a draft.")
    @click.pass_obj
    def calibrate_grade(hub: Hub, file: Path, submit: bool) -> None:
        """Save or submit your blind grade of a session ticket."""
        from corehub_quality import calibration, grading

        data = grading.read_fillin(file)
        status = calibration.grade(hub, data, submit=submit, source=file.name, actor=hub.actor)
        click.echo(f"{data.get('ticket')}: {status}.")

    @calibrate.command("close")
    @click.argument("session")
    @click.pass_obj
    def close(hub: Hub, session: str) -> None:
        """Close a session: grading ends and the results show."""
        from corehub_quality import calibration

        calibration.close(hub, session)
        click.echo(f"Calibration session {session!r} closed.")

    @calibrate.command("results")
    @click.argument("session")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def results(hub: Hub, session: str, as_json: bool) -> None:
        """Agreement per criterion (percent, Krippendorff's alpha); graders vs the consensus."""
        from corehub_quality import calibration

        data = calibration.results(hub, session)
        if as_json:
            echo_json(data)
            return

        def shown(value: Any, unit: str = "") -> str:
            return "-" if value is None else f"{value}{unit}"

        echo_table(
            [
                (
                    r["criterion"],
                    r["units"],
                    shown(r["agreement_pct"], "%"),
                    shown(r["alpha"]),
                    "read differently" if r["criterion"] in data["read_differently"] else "",
                )
                for r in data["criteria"]
            ],
            ["criterion", "tickets", "agreement", "alpha", ""],
        )
        click.echo()
        echo_table(
            [(g["name"], g["graded"], shown(g["distance_pct"], "%")) for g in data["graders"]],
            ["grader", "graded", "distance from consensus"],
        )
