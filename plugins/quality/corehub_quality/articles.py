"""Knowledge articles: imported from knowledge-base exports, checked on the content standard.

Knowledge-Centered Service (KCS) measures knowledge work by the quality and reuse of the
articles, never by their number. This module

- reads knowledge-base exports (Zendesk Guide CSV and articles-API JSON, Confluence page
  CSV, any CSV with ``--map``) into ``quality_articles``, keyed by (source, article id):
  importing again changes nothing, a problem in any row means nothing is written;
- samples articles for a content-standard check on the ``article`` scorecard, like
  tickets: reproducible (the seed is kept), never an author's own article, never an
  article twice, each to the least loaded coach;
- records a coach's check of an article, scored by the ``score_ticket`` hook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub import loaders
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.loaders import decode, normalise_header, parse_moment
from corehub.messages import M_
from corehub_quality import scorecards
from corehub_quality.article_fields import FIELDS
from corehub_quality.periods import parse_period
from corehub_quality.sampling import graders
from corehub_quality.settings import settings_of
from corehub_quality.upsert import sync_rows

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import CredentialEvidence, Person

TABLE = "quality_articles"
CHECKS = "quality_article_checks"
SCORECARD = "article"
STATES = ("draft", "published", "archived")
_COMPARED = (
    "title",
    "author_id",
    "state",
    "locale",
    "labels",
    "created_at",
    "updated_at",
    "reuse",
)

# Each recognised CSV: its name, the headers that identify it, and header -> field.
_FORMATS: tuple[tuple[str, frozenset[str], dict[str, str]], ...] = (
    (
        "zendesk-guide",
        frozenset({"id", "title", "author", "section", "draft"}),
        {
            "id": "article_id",
            "title": "title",
            "author": "author",
            "author_email": "author",
            "draft": "state",
            "locale": "locale",
            "labels": "labels",
            "label_names": "labels",
            "created_at": "created_at",
            "updated_at": "updated_at",
            "linked_tickets": "reuse",
        },
    ),
    (
        "confluence",
        frozenset({"title", "author", "created", "updated", "labels"}),
        {
            "page_id": "article_id",
            "title": "title",
            "author": "author",
            "status": "state",
            "created": "created_at",
            "updated": "updated_at",
            "labels": "labels",
            "language": "locale",
            "linked_tickets": "reuse",
        },
    ),
)


@attrs.frozen
class Article:
    """One article as an export gives it (the author not yet matched to a person)."""

    row: str
    article_id: str
    title: str
    author: str
    state: str
    locale: str
    labels: str
    created_at: str | None
    updated_at: str | None
    reuse: int


@attrs.frozen
class ArticleImport:
    file: str
    format: str
    source: str
    created: int
    updated: int
    unchanged: int


@attrs.frozen
class CheckPick:
    article: str
    author_id: str
    coach_id: str
    due: dt.date


@attrs.frozen
class CheckSample:
    period: str
    seed: int
    picks: tuple[CheckPick, ...]
    dry_run: bool


def article_label(row: Mapping[str, Any]) -> str:
    """``guide:360001``: how commands name an article."""
    return f"{row['source']}:{row['article_id']}"


def _state(text: str, where: str, problems: list[str]) -> str:
    word = text.strip().lower()
    if word in ("", "published", "current", "true_published"):
        return "published"
    if word in ("draft", "true", "yes", "1"):
        return "draft"
    if word in ("false", "no", "0"):
        return "published"
    if word in ("archived", "archive", "trashed"):
        return "archived"
    problems.append(f"{where}, column state: {text!r} is not draft, published or archived")
    return "draft"


def _moment(text: str, where: str, column: str, problems: list[str]) -> str | None:
    if not text.strip():
        return None
    try:
        return parse_moment(text).isoformat()
    except ValueError as exc:
        problems.append(f"{where}, column {column}: {exc}")
        return None


def _reuse(text: str, where: str, problems: list[str]) -> int:
    text = text.strip()
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    # A list of linked tickets ("101, 102" or "101 102"): its length is the reuse.
    parts = [p for p in text.replace(",", " ").replace(";", " ").split() if p]
    if all(p.strip("#").isalnum() for p in parts):
        return len(parts)
    problems.append(f"{where}, column reuse: {text!r} is not a number of tickets or a list of them")
    return 0


def _from_fields(
    fields: Mapping[str, str], where: str, problems: list[str], state_from_draft: bool
) -> Article | None:
    before = len(problems)
    article_id = fields.get("article_id", "").strip()
    title = " ".join(fields.get("title", "").split())
    author = fields.get("author", "").strip()
    if not article_id:
        problems.append(f"{where}, column article_id: empty; every article needs its id")
    if not title:
        problems.append(f"{where}, column title: empty")
    if not author:
        problems.append(f"{where}, column author: empty; every article needs its author")
    raw_state = fields.get("state", "")
    if state_from_draft:
        raw_state = "draft" if raw_state.strip().lower() in ("true", "yes", "1") else "published"
    state = _state(raw_state, where, problems)
    article = Article(
        row=where,
        article_id=article_id,
        title=title,
        author=author,
        state=state,
        locale=fields.get("locale", "").strip().lower(),
        labels=", ".join(
            p.strip() for p in fields.get("labels", "").replace(";", ",").split(",") if p.strip()
        ),
        created_at=_moment(fields.get("created_at", ""), where, "created_at", problems),
        updated_at=_moment(fields.get("updated_at", ""), where, "updated_at", problems),
        reuse=_reuse(fields.get("reuse", ""), where, problems),
    )
    return article if len(problems) == before else None


def parse_map(pairs: Iterable[str]) -> dict[str, str]:
    """``["Autor=author", "Nota="]`` to ``{"autor": "author", "nota": ""}``."""
    return loaders.parse_map(pairs, fields=FIELDS, example="Autor=author")


def read_articles(
    path: Path | str, mapping: Mapping[str, str] | None = None, *, source: str | None = None
) -> tuple[str, str, list[Article]]:
    """(format, source, articles) of an export; every problem is raised at once."""
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file")
    text = decode(path.read_bytes(), path)
    problems: list[str] = []
    articles: list[Article] = []
    if path.suffix.lower() == ".json":
        fmt, src = "zendesk-guide-json", source or "guide"
        articles = _read_json(path.name, text, problems)
    else:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
        reader = csv.reader(io.StringIO(text), dialect)
        headers = [normalise_header(h) for h in next(reader, [])]
        if mapping:
            fmt, src = "csv", source or "csv"
            columns = {h: mapping.get(h, h if h in FIELDS else "") for h in headers}
            state_from_draft = False
        else:
            found = next((f for f in _FORMATS if f[1] <= set(headers)), None)
            if found is None:
                expected = "; ".join(f"{n}: {', '.join(sorted(s))}" for n, s, _ in _FORMATS)
                raise ValidationError(
                    f"{path.name}: not a knowledge-base export corehub recognises (expected "
                    f"the headers of {expected}); read any CSV with --map COLUMN=field "
                    f"(fields: {', '.join(FIELDS)})"
                )
            fmt = found[0]
            src = source or ("guide" if fmt == "zendesk-guide" else "confluence")
            columns = {h: found[2].get(h, "") for h in headers}
            state_from_draft = fmt == "zendesk-guide"
        missing = [f for f in ("article_id", "title", "author") if f not in columns.values()]
        if fmt == "confluence" and "article_id" in missing:
            missing.remove("article_id")  # a Confluence export is keyed by its titles
        if missing:
            raise ValidationError(
                f"{path.name}: no column for {', '.join(missing)}; map one with --map COLUMN=field"
            )
        seen: dict[str, str] = {}
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            where = f"{path.name}, row {number}"
            fields: dict[str, str] = {}
            for header, value in zip(headers, values, strict=False):
                field = columns.get(header, "")
                if field and not fields.get(field):
                    fields[field] = value
            if fmt == "confluence" and not fields.get("article_id"):
                fields["article_id"] = fields.get("title", "")
            article = _from_fields(fields, where, problems, state_from_draft)
            if article is None:
                continue
            if article.article_id in seen:
                problems.append(
                    f"{where}, column article_id: {article.article_id!r} is also in "
                    f"{seen[article.article_id]}"
                )
                continue
            seen[article.article_id] = f"row {number}"
            articles.append(article)
    if problems:
        raise ValidationError(f"{path.name}: nothing was imported; fix these problems:", problems)
    return fmt, src, articles


def _read_json(name: str, text: str, problems: list[str]) -> list[Article]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{name}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ValidationError(
            f"{name}: not a Zendesk Guide articles export (expected an 'articles' list, as "
            "/api/v2/help_center/articles.json gives)"
        )
    users = {
        str(u.get("id")): str(u.get("email") or u.get("name") or "")
        for u in data.get("users") or []
        if isinstance(u, dict)
    }
    articles = []
    for n, item in enumerate(data["articles"]):
        where = f"{name}, articles[{n}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: not an article object")
            continue
        author = str(item.get("author_id") or "")
        labels = item.get("label_names") or []
        fields = {
            "article_id": str(item.get("id") or ""),
            "title": str(item.get("title") or ""),
            "author": users.get(author, author),
            "state": "archived"
            if item.get("outdated") or item.get("archived")
            else ("draft" if item.get("draft") else "published"),
            "locale": str(item.get("locale") or ""),
            "labels": ", ".join(str(label) for label in labels),
            "created_at": str(item.get("created_at") or ""),
            "updated_at": str(item.get("updated_at") or ""),
            "reuse": str(item.get("linked_tickets", "") or ""),
        }
        article = _from_fields(fields, where, problems, False)
        if article is not None:
            articles.append(article)
    return articles


def import_articles(
    hub: Hub,
    path: Path | str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
) -> ArticleImport:
    """Import a knowledge-base export (all-or-nothing; importing it again changes nothing)."""
    fmt, src, articles = read_articles(path, mapping, source=source)
    name = Path(path).name
    # Articles of authors who have left since are still theirs: everyone is found.
    authors = hub.people.finder((a.author for a in articles), include_inactive=True)
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for article in articles:
        match = authors.match(article.author)
        person = match.person
        if person is None:
            problems.append(match.problem(f"{article.row}, column author"))
            continue
        rows.append(
            {
                "source": src,
                "article_id": article.article_id,
                "title": article.title,
                "author_id": person.id,
                "state": article.state,
                "locale": article.locale,
                "labels": article.labels,
                "created_at": article.created_at,
                "updated_at": article.updated_at,
                "reuse": article.reuse,
            }
        )
    if problems:
        raise ValidationError(f"{name}: nothing was imported; fix these problems:", problems)
    now = hub.clock.now().isoformat()
    with hub.atomic() as db:
        created, updated, unchanged = sync_rows(
            db,
            TABLE,
            key="article_id",
            where={"source": src},
            rows=rows,
            compared=_COMPARED,
            now=now,
        )
        hub.audit.record(
            "quality.articles_imported",
            TABLE,
            name,
            after={"source": src, "created": created, "updated": updated, "unchanged": unchanged},
        )
    return ArticleImport(
        file=name, format=fmt, source=src, created=created, updated=updated, unchanged=unchanged
    )


def coaches(hub: Hub) -> list[Person]:
    """People who check articles: ``[settings.quality] coaches``, graders and team leads."""
    named = set(settings_of(hub).coaches)
    found = {p.id: p for p in graders(hub)}
    for person in hub.people.list():
        if person.id in named:
            found[person.id] = person
    return [found[k] for k in sorted(found)]


def _article_day(row: Mapping[str, Any]) -> str:
    return str(row["updated_at"] or row["created_at"] or "")[:10]


def sample_checks(
    hub: Hub,
    period: str,
    *,
    per_author: int,
    seed: int | None = None,
    team: str | None = None,
    dry_run: bool = False,
) -> CheckSample:
    """Pick each author's published articles of ``period`` for a content-standard check."""
    if per_author < 1:
        raise ValidationError(f"--per-author {per_author}: pick at least 1 article per author")
    start, end = parse_period(period)
    if seed is None:
        seed = random.SystemRandom().randrange(1, 2**31)
    rng = random.Random(seed)
    pool = coaches(hub)
    if not pool:
        raise ValidationError(
            "cannot sample articles: nobody checks them; name coaches in corehub.toml "
            '([settings.quality] coaches = ["id", ...]) or give a team a lead'
        )
    authors = {p.id for p in hub.people.list() if team is None or p.team == team}
    by_author: dict[str, list[dict[str, Any]]] = {}
    for row in hub.db.query(
        f"SELECT a.* FROM {TABLE} a LEFT JOIN {CHECKS} c ON c.article_row = a.id "
        "WHERE c.id IS NULL AND a.state = 'published' ORDER BY a.author_id, a.source, a.article_id"
    ):
        day = _article_day(row)
        if row["author_id"] in authors and start.isoformat() <= day <= end.isoformat():
            by_author.setdefault(row["author_id"], []).append(row)
    load = {p.id: 0 for p in pool} | {
        r["coach_id"]: r["n"]
        for r in hub.db.query(
            f"SELECT coach_id, COUNT(*) AS n FROM {CHECKS} WHERE status = 'open' GROUP BY coach_id"
        )
        if r["coach_id"] in {p.id for p in pool}
    }
    due = hub.clock.today() + dt.timedelta(days=settings_of(hub).grading_days)
    picks: list[tuple[dict[str, Any], str]] = []
    for author_id in sorted(by_author):
        rows = by_author[author_id]
        rng.shuffle(rows)
        for row in rows[:per_author]:
            eligible = [c for c in sorted(load) if c != author_id]
            if not eligible:
                continue
            coach = min(eligible, key=lambda c: (load[c], c))
            load[coach] += 1
            picks.append((row, coach))
    result = CheckSample(
        period=period,
        seed=seed,
        picks=tuple(
            CheckPick(article=article_label(r), author_id=r["author_id"], coach_id=c, due=due)
            for r, c in picks
        ),
        dry_run=dry_run,
    )
    if dry_run or not picks:
        return result
    with hub.atomic() as db:
        db.table(CHECKS).insert_all(
            [
                {
                    "article_row": r["id"],
                    "author_id": r["author_id"],
                    "coach_id": c,
                    "period": period,
                    "seed": seed,
                    "due": due.isoformat(),
                    "status": "open",
                }
                for r, c in picks
            ]
        )
        hub.audit.record(
            "quality.articles_sampled",
            CHECKS,
            period,
            after={"seed": seed, "picks": [p.article for p in result.picks]},
        )
    return result


def check_row(hub: Hub, check_id: int) -> dict[str, Any]:
    rows = list(
        hub.db.query(
            f"SELECT c.*, a.source, a.article_id, a.title FROM {CHECKS} c "
            f"JOIN {TABLE} a ON a.id = c.article_row WHERE c.id = ?",
            [check_id],
        )
    )
    if not rows:
        raise NotFoundError(
            f"no article check {check_id}; `corehub quality article-checks` lists them"
        )
    return rows[0]


def list_checks(
    hub: Hub, *, coach: str | None = None, author: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    where, args = [], []
    for column, value in (("c.coach_id", coach), ("c.author_id", author), ("c.status", status)):
        if value:
            where.append(f"{column} = ?")
            args.append(value)
    sql = (
        f"SELECT c.*, a.source, a.article_id, a.title FROM {CHECKS} c "
        f"JOIN {TABLE} a ON a.id = c.article_row"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY c.due, c.id"
    )
    return [dict(r) for r in hub.db.query(sql, args)]


def check_article(
    hub: Hub,
    check_id: int,
    answers: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
    *,
    submit: bool = False,
    actor: str | None = None,
) -> dict[str, Any]:
    """Record a coach's answers on the content standard (submitting makes them final)."""
    check = check_row(hub, check_id)
    actor = actor or hub.actor
    if actor == check["author_id"]:
        raise PermissionDeniedError(
            M_("you cannot check your own article (%(article)s)", article=article_label(check))
        )
    if actor != check["coach_id"] and actor not in hub.config.organization.hr:
        raise PermissionDeniedError(
            M_(
                "article check %(check)s belongs to the coach %(coach)s; only they or HR may "
                "record it",
                check=check_id,
                coach=check["coach_id"],
            )
        )
    if check["status"] == "submitted":
        raise ValidationError(
            f"the check of article {article_label(check)} was submitted already; it is final"
        )
    card = json.loads(check["scorecard"]) if check["scorecard"] else scorecards.get(hub, SCORECARD)
    merged = {
        **json.loads(check["answers"]),
        **{k: str(v).strip().lower() for k, v in answers.items()},
    }
    notes = {**json.loads(check["comments"]), **dict(comments or {})}
    problems = scorecards.answer_problems(card, merged, complete=submit)
    problems += [
        M_("not a criterion of scorecard %(card)r", where=k, card=card["id"])
        for k in notes
        if k not in scorecards.criteria(card)
    ]
    if problems:
        raise ValidationError(
            M_("check %(check)s: nothing was saved; fix these problems:", check=check_id), problems
        )
    result = hub.hook.score_ticket(hub=hub, scorecard=card, answers=merged)
    row = {
        "scorecard": json.dumps(card, ensure_ascii=False, sort_keys=True),
        "answers": json.dumps(merged, sort_keys=True),
        "comments": json.dumps(notes, ensure_ascii=False, sort_keys=True),
        "score": result.score,
        "critical_failed": int(result.critical_failed),
        "status": "submitted" if submit else "open",
        "day": hub.clock.today().isoformat() if submit else None,
        "submitted_at": hub.clock.now().isoformat() if submit else None,
    }
    with hub.atomic() as db:
        db.table(CHECKS).update(check_id, row)
        hub.audit.record(
            "quality.article_checked" if submit else "quality.article_check_saved",
            CHECKS,
            check_id,
            after={"article": article_label(check), "answers": merged, "score": result.score},
        )
    return {
        "check": check_id,
        "article": article_label(check),
        "author_id": check["author_id"],
        "status": row["status"],
        "score": result.score,
        "critical_failed": result.critical_failed,
    }


def author_summary(hub: Hub, person_id: str) -> dict[str, Any]:
    """An author's articles: how many, their reuse (tickets solved with them: ticket links,
    or the export's count when larger), and their checked scores by month."""
    settings = settings_of(hub)
    stale_before = (hub.clock.today() - dt.timedelta(days=settings.stale_article_days)).isoformat()
    from corehub_quality import reuse

    linked = reuse.linked_counts(hub, person_id)
    articles = [
        dict(r) | {"reuse": reuse.reuse_of(r, linked)}
        for r in hub.db.query(f"SELECT * FROM {TABLE} WHERE author_id = ?", [person_id])
    ]
    checks = list_checks(hub, author=person_id, status="submitted")
    trend: dict[str, list[float]] = {}
    for c in checks:
        if c["score"] is not None and c["day"]:
            trend.setdefault(c["day"][:7], []).append(float(c["score"]))
    return {
        "articles": len(articles),
        "published": sum(1 for a in articles if a["state"] == "published"),
        "reuse": sum(int(a["reuse"]) for a in articles),
        "reused_articles": sum(1 for a in articles if a["reuse"]),
        "stale": sum(
            1 for a in articles if a["state"] == "published" and _article_day(a) < stale_before[:10]
        ),
        "checked": len(checks),
        "below_standard": sum(
            1 for c in checks if c["score"] is None or c["score"] < settings.article_min_score
        ),
        "trend": [
            {"month": m, "score": round(sum(v) / len(v), 1), "checks": len(v)}
            for m, v in sorted(trend.items())
        ],
    }


EVIDENCE_KIND = "article_check"


def evidence(
    hub: Hub, person: Person, kind: str, since: dt.date
) -> list[CredentialEvidence] | None:
    """The submitted content-standard checks of ``person``'s articles since ``since``."""
    from corehub.models import CredentialEvidence

    if kind != EVIDENCE_KIND:
        return None
    return [
        CredentialEvidence(
            kind=EVIDENCE_KIND,
            day=dt.date.fromisoformat(c["day"]),
            score=c["score"],
            ref=article_label(c),
            title=c["title"],
            source="quality",
        )
        for c in list_checks(hub, author=person.id, status="submitted")
        if c["day"] and c["day"] >= since.isoformat()
    ]


def team_health(hub: Hub, people: Iterable[Person]) -> dict[str, Any] | None:
    """Article health of a team, by author name (never ranked by how many they wrote)."""
    authors = []
    for person in sorted(people, key=lambda p: (p.name, p.id)):
        summary = author_summary(hub, person.id)
        if not summary["articles"]:
            continue
        scores = [t["score"] for t in summary["trend"]]
        authors.append(
            {
                "name": person.name,
                "published": summary["published"],
                "checked": summary["checked"],
                "below_standard": summary["below_standard"],
                "stale": summary["stale"],
                "reuse": summary["reuse"],
                "score": scores[-1] if scores else None,
            }
        )
    if not authors:
        return None
    return {
        "authors": authors,
        "below_standard": sum(a["below_standard"] for a in authors),
        "stale": sum(a["stale"] for a in authors),
        "checked": sum(a["checked"] for a in authors),
        "minimum": settings_of(hub).article_min_score,
        "stale_days": settings_of(hub).stale_article_days,
    }
