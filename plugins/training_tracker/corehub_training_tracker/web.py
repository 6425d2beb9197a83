"""The training tracker's pages in ``corehub serve``.

My training (assignments and their state, "I've started", mark complete with a date, a
score and evidence, rate a completed course); a person's training for their managers and
HR, who may also waive a course there with a reason; the team's compliance matrix,
assigning a course to people with a due date, the overdue list and the training
recommended by reviews (accept with a due date, dismiss with a reason). Who may see or
change what is decided by the library
(:class:`~corehub_training_tracker.training.Training` and
:mod:`~corehub_training_tracker.recommendations`); the views only turn forms into calls
and errors into messages next to the fields.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import flask
from flask import flash, g, redirect, render_template, request, url_for

from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import N_, Translator, active
from corehub.messages import Message, localize, text_of
from corehub.models import NavItem, Route
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    error_text,
    ngettext,
    require_role,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_training_tracker import recommendations as recs
from corehub_training_tracker.blueprint import bp
from corehub_training_tracker.evidence import Upload, max_bytes
from corehub_training_tracker.records import AssignmentRecord
from corehub_training_tracker.report import (
    DATE_WORDS,
    LEGEND,
    MATRIX_MARKS,
    STATUS_LABELS,
    _recommendation_reason,
    _source_label,
    _word,
    cell_date,
)
from corehub_training_tracker.training import Training

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person
    from corehub_training_tracker.records import Completion
    from corehub_training_tracker.training import Matrix

EVIDENCE_TEXT_LIMIT = 5000
TEMPLATES = Path(__file__).parent / "templates" / "corehub_training_tracker" / "web"
_CLI_HINT = re.compile(r"\s*\(use --[^)]*\)\s*$")
"""Command-line advice at the end of a plain-text problem (a Message keeps it as its hint,
which its translation leaves out)."""
_FIELD = re.compile(r"[a-z_]+")
ASSIGN_DUE_DAYS = 30
"""The due date the assign form suggests: about a month from today."""
REASON_LIMIT = 2000


def route(hub: Hub) -> Route:
    return Route(
        name="training_tracker",
        blueprint=bp,
        url_prefix="/training",
        max_request_bytes=max_bytes,  # evidence files up to max_evidence_mb
        nav=(
            NavItem(label=N_("My training"), endpoint="training_tracker.mine", order=50),
            NavItem(label=N_("My KCS licence"), endpoint="training_tracker.kcs_mine", order=52),
            NavItem(
                label=N_("Team training"),
                endpoint="training_tracker.team",
                roles=("manager", "hr"),
                order=51,
            ),
        ),
    )


# Status words, matrix marks, the legend, source labels and recommendation reasons are the
# training report's (corehub_training_tracker.report), in the signed-in person's language.


def figure(value: float) -> str:
    """A score or a size in MB as the person writes numbers (91.5, 91,5; 0.001), no padding."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=active().babel_locale)


def _recommendation(row: dict[str, Any], t: Translator) -> dict[str, Any]:
    """A recommendation row with its course title and reason in ``t``'s language."""
    return row | {
        "course_title": t.text(row["course_title"]),
        "reason": _recommendation_reason(str(row["reason"]), t),
    }


def field_errors(
    exc: ValidationError, fields: tuple[str, ...], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """The library's problems in the request's language, keyed by form field (the rest under
    ``form``): a Message by its ``where`` (``evidence big.pdf`` is about ``evidence``), a
    plain ``field: problem`` line by its start."""
    aliases = aliases or {}
    t = active()
    found: dict[str, list[str]] = {}
    for line in exc.problems or [exc.summary]:
        if isinstance(line, Message):
            where = line.where or ""
            head = where.split(" ", 1)[0]
            field = aliases.get(head, head)
            if field in fields:
                found.setdefault(field, []).append(text_of(line, t))
            elif not where or _FIELD.fullmatch(where):  # "course: ...": the form as a whole
                found.setdefault("form", []).append(text_of(line, t))
            else:
                found.setdefault("form", []).append(localize(line, t))
            continue
        key, _sep, text = line.partition(": ")
        head = key.split(" ", 1)[0]
        field = aliases.get(head, head)
        if text and field in fields:
            found.setdefault(field, []).append(_CLI_HINT.sub("", text))
        elif text and _FIELD.fullmatch(key):  # "course: ...": the form as a whole
            found.setdefault("form", []).append(_CLI_HINT.sub("", text))
        else:
            found.setdefault("form", []).append(_CLI_HINT.sub("", line))
    return {k: " ".join(v) for k, v in found.items()}


def page_problems(errors: dict[str, dict[str, str]] | None, shown: set[str]) -> FormErrors:
    """The summary on top of a page: each problem leads to its field, ``<form>-<field>``
    (the form's own message, ``<form>-form``, to the form); a problem of a form the page no
    longer shows (a course rated before completing it, a recommendation decided in another
    window) leads nowhere."""
    problems = FormErrors()
    for key, found in (errors or {}).items():
        for field, message in found.items():
            problems.add(f"{key}-{field}" if key in shown else None, message)
    return problems


FORMS = ("start", "complete", "waive")
DECISIONS = ("accept", "dismiss")


def _may_see(training: Training, person: Person) -> None:
    """The person, their managers and HR (the library's rule for recording their training)."""
    try:
        training.require_self_or_manager(person)
    except PermissionDeniedError:
        raise PermissionDeniedError(
            _("A person's training is for them, their managers and HR only.")
        ) from None


def _person(hub: Hub, person_id: str) -> Person:
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(_("There is no person with id %(id)s.", id=repr(person_id)))
    return person


def _completion_state(training: Training, completion: Completion) -> str:
    if not completion.valid_on(training.today):
        return "expired"
    return "completed" if training.covers(completion) else "expiring"


def _may_manage(training: Training, person: Person) -> bool:
    """Whether the signed-in person may assign and waive ``person``'s training (the library's
    rule: their managers and HR)."""
    try:
        training.require_may_manage(person)
    except PermissionDeniedError:
        return False
    return True


def person_context(training: Training, person: Person, me: Person) -> dict[str, Any]:
    """What the person page draws: to do, completed (latest per course), waived, recommended;
    whether the viewer may waive a course for the person."""
    t = active()
    today = training.today
    titles = {cid: t.text(c.title) for cid, c in training.catalogue.courses.items()}
    todo: list[dict[str, Any]] = []
    waived: list[dict[str, Any]] = []
    open_courses = set()
    for record in training.assignments(person_ids=[person.id]):
        row = record.plain(today) | {
            "title": titles.get(record.course_id, record.course_id),
            "source_label": _source_label(record.source, t),
        }
        if record.is_open():
            open_courses.add(record.course_id)
            todo.append(
                row | {"status_label": _word(t, STATUS_LABELS, row["status"]), "can_start": True}
            )
        elif record.waiver_in_effect(today):
            waived.append(row)
    required = training.matrix([person])
    for course in required.courses:
        cell = required.cells.get((person.id, course.id))
        if cell is not None and cell.state in {"missing", "expired"}:
            if course.id in open_courses:
                continue
            todo.append(
                {
                    "course_id": course.id,
                    "title": t.text(course.title),
                    "status": cell.state,
                    "status_label": _("Required, not assigned yet")
                    if cell.state == "missing"
                    else _("Expired: take it again"),
                    "due": None,
                    "days_overdue": None,
                    "started_on": None,
                    "source_label": _source_label("rule:", t),
                    "can_start": False,
                }
            )
    todo.sort(key=lambda r: (r["status"] != "overdue", r["due"] or "9999-12-31", r["title"]))
    latest: dict[str, Completion] = {}
    for completion in training.completions(person_ids=[person.id]):
        latest[completion.course_id] = completion
    completed = []
    for completion in sorted(latest.values(), key=lambda c: c.completed_on, reverse=True):
        state = _completion_state(training, completion)
        completed.append(
            {
                "course_id": completion.course_id,
                "title": titles.get(completion.course_id, completion.course_id),
                "completion_id": completion.id,
                "completed_on": completion.completed_on,
                "expires_on": completion.expires_on,
                "score": completion.score,
                "state": state,
                "state_label": _word(t, STATUS_LABELS, state),
                "evidence_text": completion.evidence_text,
                "evidence_name": completion.evidence_name if completion.evidence_file else None,
                "rating": training.rating_by(person.id, completion.course_id)
                if me.id == person.id
                else None,
            }
        )
    recommended = [
        _recommendation(row, t)
        for row in recs.listing(training.hub, status="pending", person_id=person.id)
    ]
    return {
        "subject": person,  # not "person": the base template's signed-in person
        "is_me": me.id == person.id,
        "today": today,
        "todo": todo,
        "completed": completed,
        "waived": waived,
        "recommended": recommended,
        "overdue_count": sum(r["status"] == "overdue" for r in todo),
        "may_waive": _may_manage(training, person),
        "reason_limit": REASON_LIMIT,
    }


def manageable(
    training: Training, me: Person, roles: set[str], teams: list[str] | None = None
) -> list[Person]:
    """The active people ``me`` may manage (the library's rule), ``me`` left out, by team
    and name: whom the team page shows and the assign form offers; only those in ``teams``
    when given (read in SQL, through the team index: "the whole team" of the assign form
    reads that team, not the organization)."""
    from corehub.web import people_from

    prefix, where, params = _scope(training.hub, me, roles, None)
    if teams is not None:
        where += " AND people.team IN (SELECT value FROM json_each(:teams))"
        params["teams"] = json.dumps(teams)
    candidates = people_from(
        training.hub,
        f"{prefix} SELECT * FROM people WHERE {where} ORDER BY team, name, id",
        params,
    )
    allowed = training.manageable_ids(p.id for p in candidates)
    return [p for p in candidates if p.id in allowed]


def _why_skipped(why: str, t: Translator) -> str:
    """Why the library skipped a person when assigning, in ``t``'s language (the status of
    the open assignment it names too)."""
    if isinstance(why, Message) and why.params.get("status") in STATUS_LABELS:
        status = _word(t, STATUS_LABELS, str(why.params["status"])).lower()
        why = Message(why.msgid, where=why.where, hint=why.hint, **{**why.params, "status": status})
    return text_of(why, t)


def _below(hub: Hub, me: Person) -> str:
    """A table of the active people below ``me`` at every level (``managed_people``),
    on the request's connection only (a temporary table): the org chart walked once per
    request, in the database, however many of the page's statements ask (the matrix's
    people, the totals, the overdue list, the recommendations, the teams)."""
    from corehub.web import MANAGED_SQL

    key = (id(hub.db.conn), me.id)
    if flask.has_app_context() and g.get("training_below") == key:
        return "temp.training_below"
    # DDL only: no transaction is opened (and none is ended) for it
    hub.db.execute("DROP TABLE IF EXISTS temp.training_below")
    hub.db.execute(
        f"CREATE TEMP TABLE training_below AS {MANAGED_SQL} SELECT id FROM below",
        {"me": me.id},
    )
    if flask.has_app_context():
        g.training_below = key
    return "temp.training_below"


def _scope(
    hub: Hub, me: Person, roles: set[str], team: str | None
) -> tuple[str, str, dict[str, Any]]:
    """The people the team page is about, as SQL: a ``WITH`` prefix (or ""), a condition on
    ``people`` and its parameters. HR: every active person; a manager: the active people
    below them at every level (``managed_people``, found once per request: :func:`_below`);
    ``me`` left out, ``team`` only when given (a condition of its own, so that a team is
    read through the team index, not by reading everyone). The same people
    :func:`manageable` finds, without loading them all."""
    params: dict[str, Any] = {"me": me.id}
    where = "people.active = 1 AND people.id != :me"
    if team is not None:
        where += " AND people.team = :team"
        params["team"] = team
    if "hr" in roles:
        return "", where, params
    below = _below(hub, me)
    return "", where + f" AND people.id IN (SELECT id FROM {below})", params


TEAM_LINKS = 12
"""Teams listed as links above the matrix when the reader's people are in at most this many;
with more, the page offers a search field and links to the teams on the page."""
TEAMS_FOUND = 20
"""Teams a search lists per page."""
FIND_LIMIT = 100
"""The longest team search the page takes (characters)."""


def _folded(text: str) -> str:
    """``text`` as a search compares it: case and Unicode forms set aside (Å, å, Å)."""
    import unicodedata

    return unicodedata.normalize("NFKC", text).casefold()


def team_filter(
    hub: Hub,
    me: Person,
    roles: set[str],
    team: str | None,
    find: str,
    page_teams: list[str],
) -> dict[str, Any]:
    """The team filter above the matrix, reading no more teams than it shows: every team as
    a link when the reader's people are in a few (:data:`TEAM_LINKS`); otherwise a search
    field, the teams of the page's people, and the teams whose name contains ``find``, a
    page of them at a time (the names are read from the team index; a team counts when
    someone in it is among the reader's people)."""
    from corehub.web import page_of

    prefix, where, params = _scope(hub, me, roles, None)
    first = [
        row[0]
        for row in hub.db.execute(
            f"{prefix} SELECT DISTINCT team FROM people WHERE {where} AND team != '' "
            "ORDER BY team LIMIT :limit",
            params | {"limit": TEAM_LINKS + 1},
        ).fetchall()
    ]
    if len(first) <= TEAM_LINKS:
        return {"search": False, "teams": first, "find": "", "found": [], "found_page": None}
    found: list[str] = []
    found_page = None
    if find:
        needle = _folded(find)
        names = [
            name
            for (name,) in hub.db.execute(
                "SELECT DISTINCT team FROM people WHERE team != '' ORDER BY team"
            ).fetchall()
            if needle in _folded(name)
        ]
        matches = [
            row[0]
            for row in hub.db.execute(
                f"{prefix} SELECT value FROM json_each(:names) WHERE EXISTS (SELECT 1 FROM "
                f"people WHERE {where} AND people.team = value) ORDER BY key",
                params | {"names": json.dumps(names)},
            ).fetchall()
        ]
        found_page = page_of(len(matches), per_page=TEAMS_FOUND, arg="teams-page")
        found = found_page.slice(matches)
    return {
        "search": True,
        "teams": sorted({t for t in page_teams if t}),
        "find": find,
        "found": found,
        "found_page": found_page,
    }


_DATE_TEXTS: weakref.WeakKeyDictionary[Translator, dict[tuple[str, dt.date], str]] = (
    weakref.WeakKeyDictionary()
)
"""Translator -> (kind, day) -> "Due 4 December 2026" and the like: the matrix's dates,
worded once per translator (the same days come back on every page and every request). Keyed
by the translator, not its locale: the wording also depends on its fallback chain and its
catalogs (a workspace's own), so two workspaces in one process never share a wording."""
_DATE_TEXTS_KEPT = 20_000
"""Dates kept per translator; past that, its dates are worded afresh."""
_DATE_TEXTS_LOCK = threading.Lock()


def _date_text(t: Translator, kind: str, day: dt.date) -> str:
    texts = _DATE_TEXTS.get(t)
    if texts is None:
        with _DATE_TEXTS_LOCK:
            texts = _DATE_TEXTS.setdefault(t, {})
    key = (kind, day)
    text = texts.get(key)
    if text is None:
        if len(texts) >= _DATE_TEXTS_KEPT:
            texts.clear()
        text = texts[key] = t.gettext(DATE_WORDS[kind]) % {"day": t.date(day)}
    return text


class OldCells(Sequence[dict[str, Any] | None]):
    """A row's cells as a list of dicts (``state``, ``mark``, ``label``, ``date``,
    ``date_text``, ``completed_on``; ``None`` where the course is not required): what
    ``row.cells`` offered a workspace's own ``team.html`` before the row's HTML
    (``row.html``). Built only when a template reads it, so the shipped page, which draws
    ``row.html``, never pays for it."""

    def __init__(self, build: Callable[[], list[dict[str, Any] | None]]) -> None:
        self._build = build
        self._cells: list[dict[str, Any] | None] | None = None

    def _list(self) -> list[dict[str, Any] | None]:
        if self._cells is None:
            self._cells = self._build()
        return self._cells

    @overload
    def __getitem__(self, index: int) -> dict[str, Any] | None: ...
    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any] | None]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())

    def __iter__(self) -> Iterator[dict[str, Any] | None]:
        return iter(self._list())


def _cells(matrix: Matrix, t: Translator) -> list[dict[str, Any]]:
    """The matrix's rows for the page: each person, their row's cells as HTML (``html``: a
    cell's mark, label and date in ``t``'s language, escaped), each kind of cell made once
    per page (cells repeat a few states and days) and each date worded once per translator;
    and ``cells``, the same cells as dicts for a workspace's older ``team.html``, built
    only if it reads them (:class:`OldCells`)."""
    from markupsafe import Markup, escape

    not_required = escape(_("not required"))
    absent = Markup(
        f'<td class="cell na" title="{not_required}">'
        f'<span class="visually-hidden">{not_required}</span>·</td>'
    )
    words = {
        state: (_word(t, MATRIX_MARKS, state), _word(t, STATUS_LABELS, state))
        for state in MATRIX_MARKS
    }
    escaped = {state: (escape(mark), escape(label)) for state, (mark, label) in words.items()}
    made: dict[tuple[str, str, Any], str] = {}

    def as_dicts(person: Person) -> Callable[[], list[dict[str, Any] | None]]:
        def build() -> list[dict[str, Any] | None]:
            cells: list[dict[str, Any] | None] = []
            for course in matrix.courses:
                cell = matrix.cells.get((person.id, course.id))
                if cell is None:
                    cells.append(None)
                    continue
                kind, date = cell_date(cell.state, cell.due, cell.completed_on, cell.expires_on)
                mark, label = words[cell.state]
                cells.append(
                    {
                        "state": cell.state,
                        "mark": mark,
                        "label": label,
                        "date": date,
                        "date_text": _date_text(t, kind, date) if kind else "",
                        "completed_on": cell.completed_on,
                    }
                )
            return cells

        return build

    rows = []
    for person in matrix.people:
        cells: list[str] = []
        for course in matrix.courses:
            cell = matrix.cells.get((person.id, course.id))
            if cell is None:
                cells.append(absent)
                continue
            kind, date = cell_date(cell.state, cell.due, cell.completed_on, cell.expires_on)
            key = (cell.state, kind, date)
            html = made.get(key)
            if html is None:
                mark, label = escaped[cell.state]
                html = (
                    f'<td class="cell state-{escape(cell.state)}" title="{label}">'
                    f'<span class="mark">{mark}</span>'
                )
                if kind:
                    html += f'<br><span class="small">{escape(_date_text(t, kind, date))}</span>'
                html = made[key] = html + "</td>"
            cells.append(html)
        rows.append(
            {
                "person": person,
                "html": Markup("".join(cells)),
                "cells": OldCells(as_dicts(person)),
            }
        )
    return rows


def team_context(
    training: Training,
    me: Person,
    roles: set[str],
    team: str | None,
    find: str = "",
) -> dict[str, Any]:
    """The matrix, overdue list and pending recommendations of the people ``me`` may manage,
    a page of each read in SQL; the team filter (:func:`team_filter`); the courses and
    people the assign form offers. What a request reads grows with what the page shows,
    not with the organization: the totals are counted in SQL in one pass over the scope's
    records (:meth:`~corehub_training_tracker.training.Training.compliance_counts`)."""
    from corehub.web import page_of, people_from

    hub = training.hub
    prefix, where, params = _scope(hub, me, roles, team)
    everyone = "hr" in roles and team is None  # everyone but me: from the counts kept
    if everyone:
        page = page_of(training.active_count(excluding=me.id))
    else:
        total = hub.db.execute(f"{prefix} SELECT count(*) FROM people WHERE {where}", params)
        page = page_of(total.fetchone()[0])
    found = people_from(
        hub,
        f"{prefix} SELECT * FROM people WHERE {where} ORDER BY team, name, id "
        "LIMIT :limit OFFSET :offset",
        params | {"limit": page.limit, "offset": page.offset},
    )
    allowed = training.manageable_ids(p.id for p in found)
    people = [p for p in found if p.id in allowed]  # the library's rule, for every row shown
    t = active()
    today = training.today
    matrix = training.matrix(people)
    rows = _cells(matrix, t)
    if everyone:
        compliance = training.compliance_totals(excluding=me.id)
    else:
        compliance = training.compliance_counts(
            f"{prefix} SELECT * FROM people WHERE {where}", params
        )
    courses = []
    for course in matrix.courses:
        compliant, required = compliance.get(course.id, (0, 0))
        courses.append(
            {
                "id": course.id,
                "title": t.text(course.title),
                "compliant": compliant,
                "required": required,
                "percent": round(100 * compliant / required) if required else None,
            }
        )
    titles = {cid: t.text(c.title) for cid, c in training.catalogue.courses.items()}
    sources: dict[str, str] = {}
    # overdue: open, not completed, past its due date (AssignmentRecord.status), most late first
    late = (
        f"{prefix} SELECT a.*, people.name AS person_name, people.team AS person_team "
        f"FROM training_assignments AS a JOIN people ON people.id = a.person_id WHERE {where} "
        "AND a.status IN ('assigned', 'in_progress', 'overdue') "
        "AND a.completed_on IS NULL AND a.due IS NOT NULL AND a.due < :today"
    )
    late_params = params | {"today": today.isoformat()}
    overdue_page = page_of(
        hub.db.execute(f"SELECT count(*) FROM ({late})", late_params).fetchone()[0],
        arg="overdue-page",
    )
    overdue = []
    for row in hub.db.query(
        f"{late} ORDER BY a.due, people.name, a.id LIMIT :limit OFFSET :offset",
        late_params | {"limit": overdue_page.limit, "offset": overdue_page.offset},
    ):
        who = {"id": row["person_id"], "name": row.pop("person_name")}
        who["team"] = row.pop("person_team")
        record = AssignmentRecord.from_row(row)
        if record.source not in sources:
            sources[record.source] = _source_label(record.source, t)
        overdue.append(
            record.plain(today)
            | {
                "person": who,
                "title": titles.get(record.course_id, record.course_id),
                "source_label": sources[record.source],
            }
        )
    waiting = (
        f"{prefix} SELECT r.*, people.name AS person_name FROM training_recommendations AS r "
        f"JOIN people ON people.id = r.person_id WHERE {where} AND r.status = 'pending'"
    )
    pending_page = page_of(
        hub.db.execute(f"SELECT count(*) FROM ({waiting})", params).fetchone()[0],
        arg="recommendations-page",
    )
    cycles: dict[int | None, str] = {}
    pending = []
    for row in hub.db.query(
        f"{waiting} ORDER BY r.id LIMIT :limit OFFSET :offset",
        params | {"limit": pending_page.limit, "offset": pending_page.offset},
    ):
        if row["cycle_id"] not in cycles:
            cycles[row["cycle_id"]] = _cycle_name(hub, row["cycle_id"])
        known = training.catalogue.courses.get(row["course_id"])
        title = known.title if known is not None else row["course_id"]
        pending.append(
            _recommendation(row | {"course_title": title}, t)
            | {"cycle_name": cycles[row["cycle_id"]]}
        )
    # "the whole team (N people)" in the assign form counts the team, not this page: the
    # teams of this page's people, counted in SQL
    team_sizes = {
        row["team"]: row["n"]
        for row in hub.db.query(
            f"{prefix} SELECT team, count(*) AS n FROM people WHERE {where} AND team IN "
            "(SELECT value FROM json_each(:page_teams)) GROUP BY team",
            params | {"page_teams": json.dumps(sorted({p.team for p in people}))},
        )
    }
    legend = [
        {"state": s, "mark": _word(t, MATRIX_MARKS, s), "label": _word(t, LEGEND, s)}
        for s in MATRIX_MARKS
    ]
    groups: list[dict[str, Any]] = []
    for person in people:
        if not groups or groups[-1]["team"] != person.team:
            groups.append(
                {"team": person.team, "people": [], "size": team_sizes.get(person.team, 0)}
            )
        groups[-1]["people"].append(person)
    return {
        "today": today,
        "courses": courses,
        "rows": rows,
        "page": page,
        "overdue": overdue,
        "overdue_page": overdue_page,
        "pending": pending,
        "pending_page": pending_page,
        "legend": legend,
        "team_filter": team_filter(hub, me, roles, team, find, [p.team for p in people]),
        "team": team,
        "default_due": today + dt.timedelta(days=training.settings.default_due_days),
        "course_choices": sorted(
            ({"id": cid, "title": title} for cid, title in titles.items()),
            key=lambda c: c["title"].casefold(),
        ),
        "assign_groups": groups,
        "assign_due": today + dt.timedelta(days=ASSIGN_DUE_DAYS),
    }


def _cycle_name(hub: Hub, cycle_id: int | None) -> str:
    if cycle_id is None:
        return ""
    try:
        return hub.cycles.get(cycle_id).name
    except NotFoundError:
        return ""


def _date(text: str, missing: str) -> dt.date:
    """The day in ``text``; ``missing`` is the (translated) message when there is none."""
    from corehub.loaders import parse_date

    text = text.strip()
    if not text:
        raise ValueError(missing)
    try:
        return parse_date(text)
    except ValueError:
        raise ValueError(_("%(text)s is not a date (use YYYY-MM-DD)", text=repr(text))) from None


# -- the views -------------------------------------------------------------------


def upload_mb(hub: Hub) -> float:
    """What a page can take, in MB: the library's limit (the Route raises the web app's
    request limit to it)."""
    return Training(hub).settings.max_evidence_mb


def person_page(
    person_id: str,
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    me = current_person()
    training = Training(hub)
    person = _person(hub, person_id)
    _may_see(training, person)
    context = person_context(training, person, me)
    shown = {f"{form}-{row['course_id']}" for row in context["todo"] for form in FORMS}
    if context["is_me"]:
        shown |= {f"rate-{row['course_id']}" for row in context["completed"]}
    return (
        render_template(
            "corehub_training_tracker/web/person.html",
            **context,
            errors=errors or {},
            values=values or {},
            upload_mb=upload_mb(hub),
            figure=figure,
            form_errors=page_problems(errors, shown),
            text_limit=EVIDENCE_TEXT_LIMIT,
        ),
        status,
    )


def checked(person_id: str) -> tuple[Hub, Training, Person]:
    """The request's Hub, the tracker and the person, once the viewer may see them."""
    hub = current_hub()
    training = Training(hub)
    person = _person(hub, person_id)
    _may_see(training, person)
    return hub, training, person


def back(person_id: str) -> Any:
    if person_id == current_person().id:
        return redirect(url_for(".mine"))
    return redirect(url_for(".person", person_id=person_id))


@bp.get("/training.css")
def stylesheet() -> Any:
    return flask.send_from_directory(TEMPLATES, "training.css", max_age=3600)


@bp.get("/")
@signed_in
def mine() -> Any:
    return person_page(current_person().id)


@bp.get("/people/<person_id>")
@signed_in
def person(person_id: str) -> Any:
    if person_id == current_person().id:
        return redirect(url_for(".mine"))
    return person_page(person_id)


@bp.post("/people/<person_id>/courses/<course_id>/start")
@signed_in
def start(person_id: str, course_id: str) -> Any:
    hub, training, person = checked(person_id)
    key = f"start-{course_id}"
    try:
        with write(hub):
            training.start(person.id, course_id)
    except ValidationError as exc:
        return person_page(person_id, {key: {"form": error_text(exc)}}, {}, 400)
    title = active().text(training.catalogue.course(course_id).title)
    flash(_("%(course)s: marked as started.", course=title), "success")
    return back(person_id)


@bp.post("/people/<person_id>/courses/<course_id>/complete")
@signed_in
def complete(person_id: str, course_id: str) -> Any:
    hub, training, person = checked(person_id)
    course = training.catalogue.course(course_id)
    key = f"complete-{course_id}"
    values = {k: request.form.get(k, "") for k in ("date", "score", "evidence")}
    errors: dict[str, str] = {}
    on = None
    try:
        on = _date(values["date"], _("give the day you completed it"))
    except ValueError as exc:
        errors["date"] = error_text(exc)  # already in the person's language
    score = None
    if values["score"].strip():
        try:
            score = float(values["score"].replace(",", "."))
        except ValueError:
            errors["score"] = _("%(value)s is not a number", value=repr(values["score"]))
    evidence = values["evidence"].strip()
    if len(evidence) > EVIDENCE_TEXT_LIMIT:
        errors["evidence"] = ngettext(
            "at most %(num)s character", "at most %(num)s characters", EVIDENCE_TEXT_LIMIT
        )
    upload = None
    sent = request.files.get("evidence_file")
    if sent is not None and sent.filename:
        # never more than the library accepts plus one byte: it refuses what is too large
        upload = Upload(name=sent.filename, data=sent.stream.read(max_bytes(hub) + 1))
    if upload is not None and errors:
        errors["evidence_file"] = _("choose the file again (a page cannot keep it)")
    if errors or on is None:
        return person_page(person_id, {key: errors}, {key: values}, 400)
    try:
        with write(hub):
            training.complete(
                person.id,
                course.id,
                on,
                score=score,
                evidence=evidence or None,
                evidence_upload=upload,
            )
    except ValidationError as exc:
        found = field_errors(exc, ("date", "score", "evidence_file"), {"evidence": "evidence_file"})
        if upload is not None and "evidence_file" not in found:
            found["evidence_file"] = _("choose the file again (a page cannot keep it)")
        return person_page(person_id, {key: found}, {key: values}, 400)
    flash(
        _(
            "%(course)s: completed on %(day)s.",
            course=active().text(course.title),
            day=active().date(on, "message"),
        ),
        "success",
    )
    return back(person_id)


@bp.post("/people/<person_id>/courses/<course_id>/rate")
@signed_in
def rate(person_id: str, course_id: str) -> Any:
    hub, training, person = checked(person_id)
    course = training.catalogue.course(course_id)
    key = f"rate-{course_id}"
    values = {k: request.form.get(k, "") for k in ("rating", "comment")}
    try:
        rating = int(values["rating"])
    except ValueError:
        rating = 0  # the library refuses it (after checking who may rate)
    try:
        with write(hub):
            training.rate(person.id, course.id, rating, values["comment"])
    except ValidationError as exc:
        found = field_errors(exc, ("rating", "comment"))
        if rating == 0 and "rating" in found:
            found["rating"] = _("choose 1 to 5")
        return person_page(person_id, {key: found}, {key: values}, 400)
    flash(
        _(
            "Thank you: %(course)s rated %(rating)s of 5.",
            course=active().text(course.title),
            rating=rating,
        ),
        "success",
    )
    return back(person_id)


@bp.post("/people/<person_id>/courses/<course_id>/waive")
@signed_in
def waive(person_id: str, course_id: str) -> Any:
    hub, training, person = checked(person_id)
    training.require_may_manage(person)  # 403 unless a manager of theirs or HR
    course = training.catalogue.course(course_id)
    key = f"waive-{course_id}"
    values = {k: request.form.get(k, "") for k in ("reason", "until")}
    errors: dict[str, str] = {}
    if len(values["reason"]) > REASON_LIMIT:
        errors["reason"] = ngettext(
            "at most %(num)s character", "at most %(num)s characters", REASON_LIMIT
        )
    until = None
    if values["until"].strip():
        try:
            until = _date(values["until"], "")
        except ValueError as exc:
            errors["until"] = error_text(exc)  # already in the person's language
    if errors:
        return person_page(person_id, {key: errors}, {key: values}, 400)
    try:
        with write(hub):
            training.waive(person.id, course.id, values["reason"], until=until)
    except ValidationError as exc:
        if not values["reason"].strip():
            found = {"reason": error_text(exc)}  # the library's "a waiver needs a reason"
        else:
            found = field_errors(exc, ("reason", "until"), {"--until": "until"})
        return person_page(person_id, {key: found}, {key: values}, 400)
    title = active().text(course.title)
    flash(
        _(
            "%(course)s is waived for %(name)s until %(day)s.",
            course=title,
            name=person.name,
            day=active().date(until, "message"),
        )
        if until
        else _("%(course)s is waived for %(name)s.", course=title, name=person.name),
        "success",
    )
    return back(person_id)


@bp.get("/people/<person_id>/evidence/<int:completion_id>")
@signed_in
def evidence(person_id: str, completion_id: int) -> Any:
    hub, training, person = checked(person_id)
    found = [c for c in training.completions(person_ids=[person.id]) if c.id == completion_id]
    if not found or not found[0].evidence_file:
        raise NotFoundError(
            _("There is no evidence file for completion #%(id)s.", id=completion_id)
        )
    completion = found[0]
    assert completion.evidence_file is not None
    return flask.send_from_directory(
        hub.require_workspace().resolve(),
        completion.evidence_file,
        as_attachment=True,
        download_name=completion.evidence_name or completion.evidence_file.rsplit("/")[-1],
        max_age=0,
    )


def team_page(
    errors: dict[str, dict[str, str]] | None = None,
    values: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
) -> Any:
    training = Training(current_hub())
    team = request.args.get("team") or None
    find = " ".join(request.args.get("find", "").split())[:FIND_LIMIT]
    context = team_context(training, current_person(), g.roles, team, find)
    shown = {f"{form}-{rec['id']}" for rec in context["pending"] for form in DECISIONS}
    if context["assign_groups"]:
        shown.add("assign")
    return (
        render_template(
            "corehub_training_tracker/web/team.html",
            **context,
            form_errors=page_problems(errors, shown),
            errors=errors or {},
            values=values or {},
        ),
        status,
    )


@bp.get("/team")
@require_role("manager", "hr")
def team() -> Any:
    return team_page()


def pending_for_me(rec_id: int) -> dict[str, Any]:
    """The recommendation, once the library says the viewer may decide on it."""
    training = Training(current_hub())
    rec = recs.get(current_hub(), rec_id)
    training.require_may_manage(_person(current_hub(), rec["person_id"]))
    return rec


@bp.post("/recommendations/<int:rec_id>/accept")
@require_role("manager", "hr")
def accept(rec_id: int) -> Any:
    hub = current_hub()
    rec = pending_for_me(rec_id)
    key = f"accept-{rec_id}"
    values = {"due": request.form.get("due", "")}
    due = None
    if values["due"].strip():
        try:
            due = _date(values["due"], _("give the day it is due"))
        except ValueError as exc:  # already in the person's language
            return team_page({key: {"due": error_text(exc)}}, {key: values}, 400)
    try:
        with write(hub):
            accepted = recs.accept(hub, rec_id, due=due)
    except ValidationError as exc:
        return team_page({key: field_errors(exc, ("due",))}, {key: values}, 400)
    assignment = Training(hub).assignment(accepted["assignment_id"])
    person = _person(hub, rec["person_id"])
    title = active().text(Training(hub).catalogue.course(rec["course_id"]).title)
    flash(
        _(
            "%(name)s is assigned %(course)s, due %(day)s.",
            name=person.name,
            course=title,
            day=active().date(assignment.due, "message"),
        )
        if assignment.due
        else _("%(name)s is assigned %(course)s.", name=person.name, course=title),
        "success",
    )
    return redirect(url_for(".team", _anchor="recommendations"))


@bp.post("/recommendations/<int:rec_id>/dismiss")
@require_role("manager", "hr")
def dismiss(rec_id: int) -> Any:
    hub = current_hub()
    rec = pending_for_me(rec_id)
    key = f"dismiss-{rec_id}"
    values = {"reason": request.form.get("reason", "")}
    if len(values["reason"]) > 2000:
        too_long = ngettext("at most %(num)s character", "at most %(num)s characters", 2000)
        return team_page({key: {"reason": too_long}}, {key: values}, 400)
    try:
        with write(hub):
            recs.dismiss(hub, rec_id, reason=values["reason"])
    except ValidationError as exc:
        message = error_text(exc)
        if not values["reason"].strip():
            message = _("say why the course is not needed")
        return team_page({key: {"reason": message}}, {key: values}, 400)
    person = _person(hub, rec["person_id"])
    flash(_("Recommendation for %(name)s dismissed.", name=person.name), "success")
    return redirect(url_for(".team", _anchor="recommendations"))


@bp.post("/assign")
@require_role("manager", "hr")
def assign() -> Any:
    hub = current_hub()
    training = Training(hub)
    team = request.args.get("team") or None
    values: dict[str, Any] = {
        "course": request.form.get("course", ""),
        "due": request.form.get("due", ""),
        "people": request.form.getlist("person"),
        "teams": request.form.getlist("team"),
    }
    errors: dict[str, str] = {}
    course = None
    if not values["course"]:
        errors["course"] = _("choose a course")
    else:
        try:
            course = training.catalogue.course(values["course"])
        except NotFoundError:
            errors["course"] = _("choose a course from the list")
    due = None
    try:
        due = _date(values["due"], _("give the day it is due"))
    except ValueError as exc:
        errors["due"] = error_text(exc)  # already in the person's language
    # "the whole team": everyone in it the signed-in person may manage
    whole = set(values["teams"])
    members = [p.id for p in manageable(training, current_person(), g.roles, sorted(whole))]
    person_ids = list(dict.fromkeys([*values["people"], *members]))
    people: list[Person] = []
    if not person_ids:
        errors["people"] = _("choose at least one person")
    else:
        try:
            people = training.resolve_people(person_ids=person_ids)
        except ValidationError as exc:
            errors["people"] = error_text(exc)
    for person in people:
        training.require_may_manage(person)  # 403: never assigned outside one's people
    if errors or course is None or due is None:
        return team_page({"assign": errors}, {"assign": values}, 400)
    try:
        with write(hub):
            result = training.assign(course.id, people, due=due)
    except ValidationError as exc:
        summary = exc.summary
        field = "due" if isinstance(summary, Message) and "due" in summary.params else "form"
        return team_page({"assign": {field: error_text(exc)}}, {"assign": values}, 400)
    t = active()
    title = t.text(course.title)
    created = len(result.created)
    flash(
        ngettext(
            "Assigned %(course)s to %(num)s person, due %(day)s.",
            "Assigned %(course)s to %(num)s people, due %(day)s.",
            created,
            course=title,
            day=t.date(due, "message"),
        ),
        "success" if created else "warning",
    )
    if result.skipped:
        names = {p.id: p.name for p in people}
        skipped = sorted(result.skipped.items(), key=lambda item: names.get(item[0], item[0]))
        flash(
            ngettext(
                "%(num)s person skipped: %(reasons)s",
                "%(num)s people skipped: %(reasons)s",
                len(skipped),
                reasons="; ".join(
                    f"{names.get(pid, pid)}: {_why_skipped(why, t)}" for pid, why in skipped
                ),
            ),
            "warning",
        )
    return redirect(url_for(".team", team=team))


@bp.errorhandler(413)
def too_large(_exc: Any) -> Any:
    from corehub.web import error_page as render_error

    limit = upload_mb(current_hub())
    return render_error(
        413,
        _(
            "The file is larger than the %(limit)s MB this page accepts; nothing was saved. "
            "Go back (what you typed is still in the form) and choose a smaller file, or ask "
            "HR to record it with corehub training complete --evidence-file.",
            limit=figure(limit),
        ),
    )
