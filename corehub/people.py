"""People: who is in the organization, their team, level and manager.

``hub.people`` reads and writes them; ``import_csv`` brings in the HR export. An import
is all-or-nothing: every problem in the file is listed with its row, and nothing is
written unless there is none. People are never deleted (history refers to them): they
are deactivated.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from corehub.audit import AuditLog
from corehub.errors import NotFoundError, ValidationError
from corehub.folding import fold_id, fold_name, search_words
from corehub.messages import M_, Message
from corehub.models import Level, Person
from corehub.storage import from_row
from corehub.tabular import parse_date, read_table

if TYPE_CHECKING:
    from corehub.context import HubContext

PEOPLE_COLUMNS = (
    "id",
    "name",
    "email",
    "role",
    "level",
    "team",
    "manager_id",
    "hire_date",
    "locale",
    "leaving_date",
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOCALE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z]{2})?$")
_FIELDS = [f.name for f in attrs.fields(Person)]


@attrs.frozen
class ImportResult:
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    deactivated: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()


class People:
    """``hub.people``: the people of the organization."""

    def __init__(self, hub: HubContext):
        self.hub = hub
        self._audit = AuditLog(hub)

    # -- reading -----------------------------------------------------------------

    def find(self, person_id: str) -> Person | None:
        rows = list(self.hub.db.query("SELECT * FROM people WHERE id = ?", [person_id]))
        return _to_person(rows[0]) if rows else None

    def get(self, person_id: str) -> Person:
        person = self.find(person_id)
        if person is None:
            raise NotFoundError(M_("no person with id %(id)r", id=person_id))
        return person

    def names(self, person_ids: Iterable[str]) -> dict[str, str]:
        """``{id: name}`` of the people with these ids, inactive ones too; an id of nobody
        is left out. Reads only those people, whatever the size of the organization."""
        wanted = sorted({i for i in person_ids if i})
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT id, name FROM people WHERE id IN ({marks})"
            found.update((row["id"], row["name"]) for row in self.hub.db.query(sql, chunk))
        return found

    def named_by(self, texts: Iterable[str]) -> builtins.list[Person]:
        """Everyone the texts of an export may name, inactive people too: those whose id or
        e-mail address is one of them in any case, or whose full name is, in any case,
        accents and spacing (see :func:`match_keys`). A name two people share returns both:
        :meth:`finder` decides among them. Reads only those people, whatever the size of
        the organization."""
        return self._by_keys({key for text in set(texts) if text for key in text_keys(text)})

    def finder(self, texts: Iterable[str | None] = (), *, include_inactive: bool) -> PeopleFinder:
        """The :class:`PeopleFinder` of an import: finds the person each row's text names
        (an exact id, else an id or e-mail address in any case, else a unique full name) and
        says why when it finds nobody.

        :param texts: every text the rows name people by (ids, e-mail addresses, names);
            the people they may name are read at once, by key, whatever the size of the
            organization. A text not given here is looked up when it is asked for.
        :param include_inactive: True: deactivated people and people whose leaving date
            has come are found like anyone (an export of past tickets, ratings, articles or
            completions names them). False: they are not candidates; a text that names only
            such a person is reported as no longer active.
        """
        return PeopleFinder(
            self._by_keys, texts, include_inactive=include_inactive, today=self.hub.clock.today()
        )

    def _by_keys(self, keys: Iterable[str]) -> builtins.list[Person]:
        """The people with any of these match keys (``people_match``), two reads of 500 keys
        or ids at a time."""
        wanted = sorted(set(keys))
        ids: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT person_id FROM people_match WHERE key IN ({marks})"
            ids.update(row["person_id"] for row in self.hub.db.query(sql, chunk))
        found: builtins.list[Person] = []
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT * FROM people WHERE id IN ({marks}) ORDER BY team, name, id"
            found.extend(_to_person(row) for row in self.hub.db.query(sql, chunk))
        return found

    def list(
        self,
        *,
        team: str | None = None,
        level: Level | str | None = None,
        manager_id: str | None = None,
        include_inactive: bool = False,
    ) -> builtins.list[Person]:
        """People sorted by team then name, filtered by every argument given."""
        where, params = [], []
        if not include_inactive:
            where.append("active = 1")
        for column, value in (("team", team), ("level", level), ("manager_id", manager_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(str(value))
        sql = "SELECT * FROM people"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY team, name, id"
        return [_to_person(row) for row in self.hub.db.query(sql, params)]

    def reports(self, manager_id: str, *, all_levels: bool = False) -> builtins.list[Person]:
        """The active people below ``manager_id`` in the org chart.

        :param manager_id: the manager's person id.
        :param all_levels: False (the default): only the direct reports, the people whose
            ``manager_id`` is this manager. True: everyone further down as well (reports of
            reports, at any depth), each person once, in org-chart order (a manager before
            their own reports); a loop in the chart ends the walk instead of repeating.
        :returns: active people, sorted by team, name and id within each level.
        """
        direct = self.list(manager_id=manager_id)
        if not all_levels:
            return direct
        found: builtins.list[Person] = []
        seen = {manager_id}
        queue = list(direct)
        while queue:
            person = queue.pop(0)
            if person.id in seen:
                continue
            seen.add(person.id)
            found.append(person)
            queue.extend(self.list(manager_id=person.id))
        return found

    def manages(self, manager_id: str, person_id: str) -> bool:
        """True if ``manager_id`` is ``person_id``'s manager, directly or further up."""
        return person_id in self.managed_among(manager_id, [person_id])

    def managed_among(self, manager_id: str, person_ids: Iterable[str]) -> set[str]:
        """Which of ``person_ids`` have ``manager_id`` among their managers, at any level
        up today's org chart. One statement walks their chains of managers (each once, a
        loop ends the walk), however many people are asked about and however many are
        below the manager."""
        wanted = sorted({i for i in person_ids if i and i != manager_id})
        if not wanted or not manager_id:
            return set()
        rows = self.hub.db.execute(
            "WITH RECURSIVE above(person, boss) AS ("
            " SELECT id, manager_id FROM people WHERE id IN (SELECT value FROM json_each(:ids))"
            " UNION SELECT above.person, people.manager_id FROM above"
            " JOIN people ON people.id = above.boss WHERE above.boss != :me"
            ") SELECT DISTINCT person FROM above WHERE boss = :me",
            {"ids": json.dumps(wanted), "me": manager_id},
        )
        return {row[0] for row in rows}

    def teams(self) -> builtins.list[str]:
        rows = self.hub.db.query(
            "SELECT DISTINCT team FROM people WHERE active = 1 AND team != '' ORDER BY team"
        )
        return [row["team"] for row in rows]

    def __iter__(self) -> Iterator[Person]:
        return iter(self.list())

    # -- writing -----------------------------------------------------------------

    def save(
        self, people: Iterable[Person], *, sync: bool = False, reason: str | None = None
    ) -> ImportResult:
        """Create or update people in one transaction, recording an audit event per change.

        With ``sync``, active people not in ``people`` are deactivated. Managers must exist
        (in ``people`` or already stored) and the org chart must have no loops.
        """
        today = self.hub.clock.today()
        # Someone whose leaving date has come is kept inactive (as deactivating them does).
        incoming = {
            p.id: attrs.evolve(p, active=False) if p.active and p.has_left(today) else p
            for p in people
        }
        with self.hub.atomic():
            existing = self._concerned(incoming, sync=sync)
            problems = _chart_problems(incoming, existing, sync=sync)
            problems += _email_problems(((p.id, p.email) for p in incoming.values()), existing)
            problems += [
                f"person {p.id!r}: {why}" for p in incoming.values() if (why := _leaving_problem(p))
            ]
            if problems:
                raise ValidationError("the people could not be saved:", problems)
            now = self.hub.clock.now().isoformat()
            created: builtins.list[str] = []
            updated: builtins.list[str] = []
            unchanged: builtins.list[str] = []
            reactivated: builtins.list[str] = []
            keyed: builtins.list[Person] = []
            table = self.hub.db.table("people")
            for person in incoming.values():
                before = existing.get(person.id)
                if before == person:
                    unchanged.append(person.id)
                    continue
                row = _to_row(person) | {"updated_at": now}
                if (
                    before is None
                    or before.name != person.name
                    or _keys_of(before) != _keys_of(person)
                ):
                    keyed.append(person)
                if before is None:
                    table.insert(row)
                    created.append(person.id)
                    self._audit.record(
                        "person.created", "person", person.id, after=person, reason=reason
                    )
                else:
                    table.update(person.id, row)
                    (reactivated if person.active and not before.active else updated).append(
                        person.id
                    )
                    self._audit.record(
                        "person.updated",
                        "person",
                        person.id,
                        before=before,
                        after=person,
                        reason=reason,
                    )
            _store_keys(self.hub.db, keyed)
            deactivated = []
            if sync:
                for person in existing.values():
                    if person.id not in incoming and person.active:
                        table.update(person.id, {"active": 0, "updated_at": now})
                        deactivated.append(person.id)
                        self._audit.record(
                            "person.deactivated",
                            "person",
                            person.id,
                            before=person,
                            reason=reason or "sync",
                        )
            hired = [
                incoming[i]
                for i in (*created, *updated, *reactivated)
                if incoming[i].hire_date is not None
                and incoming[i].active
                and (i not in existing or existing[i].hire_date != incoming[i].hire_date)
            ]
            for person in hired:
                self.hub.hook.person_hired(hub=self.hub, person=person)
            gone = [attrs.evolve(existing[i], active=False) for i in deactivated]
            gone += [incoming[i] for i in updated if not incoming[i].active and existing[i].active]
            for person in gone:
                self.hub.hook.person_deactivated(hub=self.hub, person=person)
        return ImportResult(
            created=tuple(created),
            updated=tuple(updated),
            unchanged=tuple(unchanged),
            deactivated=tuple(deactivated),
            reactivated=tuple(reactivated),
        )

    def _concerned(self, incoming: dict[str, Person], *, sync: bool) -> dict[str, Person]:
        """The stored people a save must know of: everyone for a sync (who is not in the
        file is deactivated); otherwise the people saved, everyone above them and above
        their new managers (a loop can only pass through the people saved), and whoever
        has one of their e-mail addresses. Saving one person reads a handful of rows,
        whatever the size of the organization."""
        if sync:
            return {p.id: p for p in self.list(include_inactive=True)}
        start = sorted({*incoming, *(p.manager_id for p in incoming.values() if p.manager_id)})
        rows = self.hub.db.query(
            "WITH RECURSIVE above(id) AS (SELECT value FROM json_each(:ids) UNION "
            "SELECT p.manager_id FROM people p JOIN above ON p.id = above.id "
            "WHERE p.manager_id IS NOT NULL) "
            "SELECT * FROM people WHERE id IN (SELECT id FROM above)",
            {"ids": json.dumps(start)},
        )
        found = {row["id"]: _to_person(row) for row in rows}
        emails = [p.email for p in incoming.values() if p.email]
        found.update((p.id, p) for p in self.named_by(emails))
        return found

    def set_leaving_date(
        self, person_id: str, day: dt.date | None, *, reason: str | None = None
    ) -> Person:
        """Record the day ``person_id`` leaves (None: they are not leaving after all).

        From that day the person no longer counts (coverage, reminders) and is deactivated:
        at once when the day has come, else by :meth:`deactivate_leavers` (``corehub remind``
        runs it every day). Clearing the date of someone already deactivated does not bring
        them back: a people import that lists them does.

        Who may do it is the caller's to check (``corehub people leave`` lets HR only).
        """
        person = self.get(person_id)
        if day is not None and person.hire_date is not None and day < person.hire_date:
            raise ValidationError(
                M_(
                    "%(day)s is before %(person)s's hire date, %(hired)s: a person cannot "
                    "leave before they start",
                    day=day.isoformat(),
                    person=person.id,
                    hired=person.hire_date.isoformat(),
                )
            )
        changed = attrs.evolve(person, leaving_date=day)
        if changed != person:
            self.save([changed], reason=reason or ("leaving" if day else "not leaving"))
        return self.get(person.id)

    def leavers(self, today: dt.date | None = None) -> builtins.list[Person]:
        """Active people whose leaving date has come by ``today`` (default: the Hub's today)."""
        today = today or self.hub.clock.today()
        rows = self.hub.db.query(
            "SELECT * FROM people WHERE active = 1 AND leaving_date IS NOT NULL "
            "AND leaving_date <= ? ORDER BY team, name, id",
            [today.isoformat()],
        )
        return [p for p in map(_to_person, rows) if p.has_left(today)]

    def deactivate_leavers(
        self, today: dt.date | None = None, *, dry_run: bool = False
    ) -> builtins.list[Person]:
        """Deactivate, in one transaction, every active person whose leaving date has come, as
        deactivating anyone does (audit event, ``person_deactivated`` hook). Returns them."""
        gone = self.leavers(today)
        if gone and not dry_run:
            with self.hub.atomic():
                for person in gone:
                    assert person.leaving_date is not None
                    self.save(
                        [attrs.evolve(person, active=False)],
                        reason=f"left on {person.leaving_date.isoformat()}",
                    )
        return gone

    def import_csv(self, path: Path | str, *, sync: bool = False) -> ImportResult:
        """Import the people CSV (see ``PEOPLE_COLUMNS``); all-or-nothing, problems by row."""
        table = read_table(path, required=("id", "name"), optional=PEOPLE_COLUMNS[2:])
        problems: builtins.list[str] = list(table.problems)
        existing = {p.id: p for p in self.list(include_inactive=True)}
        keep_leaving = "leaving_date" not in table.columns
        people: dict[str, Person] = {}
        first_row: dict[str, int] = {}
        broken: set[str] = set()  # ids on rows with problems: known, but not checked further
        for row in table:
            person, row_problems = _person_from_row(row.cells, lambda c, r=row: table.where(r, c))
            problems.extend(row_problems)
            row_id = row.get("id")
            if person is None:
                if row_id:
                    broken.add(row_id)
                    first_row.setdefault(row_id, row.number)
                continue
            if person.id in people:
                problems.append(
                    f"{table.where(row, 'id')}: duplicate id {person.id!r} (also on row {first_row[person.id]})"
                )
                continue
            before = existing.get(person.id)
            if keep_leaving and before is not None and before.leaving_date is not None:
                # A file without the column says nothing about leaving: the date set
                # earlier (`corehub people leave`, an earlier export) stays.
                person = attrs.evolve(person, leaving_date=before.leaving_date)
                if why := _leaving_problem(person):
                    problems.append(f"{table.where(row, 'hire_date')}: {why}")
                    continue
            people[person.id] = person
            first_row[person.id] = row.number
        if not table.rows:
            problems.append(f"{table.path.name}: no people in the file")
        # References and meaning are checked even when some rows are broken, so one run
        # lists every problem of the file.
        for problem in _chart_problems(people, existing, sync=sync, broken=broken):
            person_id = problem.split("'")[1] if "'" in problem else ""
            where = (
                f"{table.path.name}, row {first_row[person_id]}, column manager_id"
                if person_id in first_row
                else table.path.name
            )
            problems.append(f"{where}: {problem}")
        emails = [(row.get("id"), row.get("email")) for row in table if row.get("id")]
        problems += _email_problems(
            emails,
            existing,
            rows=first_row,
            where=lambda person_id: (
                f"{table.path.name}, row {first_row[person_id]}, column email"
                if person_id in first_row
                else table.path.name
            ),
        )
        if problems:
            raise ValidationError(
                f"{table.path.name}: nothing was imported; fix these problems:", problems
            )
        return self.save(people.values(), sync=sync, reason=f"import {table.path.name}")


def _person_from_row(cells: dict[str, str], where: Any) -> tuple[Person | None, list[str]]:
    problems = []
    value = {k: (v or "").strip() for k, v in cells.items() if k != "__extra__"}
    person_id, name = value.get("id", ""), value.get("name", "")
    if not person_id:
        problems.append(f"{where('id')}: empty")
    elif not re.fullmatch(r"[\w.@+-]+", person_id):
        problems.append(f"{where('id')}: {person_id!r} may only hold letters, digits and . _ - @ +")
    if not name:
        problems.append(f"{where('name')}: empty")
    email = value.get("email", "")
    if email and not _EMAIL.match(email):
        problems.append(f"{where('email')}: {email!r} is not an email address")
    level_text = value.get("level", "").lower() or Level.OPERATIONAL.value
    try:
        level = Level(level_text)
    except ValueError:
        allowed = ", ".join(level.value for level in Level)
        problems.append(f"{where('level')}: {value.get('level')!r} is not one of {allowed}")
        level = Level.OPERATIONAL
    hire_date = None
    if value.get("hire_date"):
        try:
            hire_date = parse_date(value["hire_date"])
        except ValueError as exc:
            problems.append(f"{where('hire_date')}: {exc}")
    leaving_date = None
    if value.get("leaving_date"):
        try:
            leaving_date = parse_date(value["leaving_date"])
        except ValueError as exc:
            problems.append(f"{where('leaving_date')}: {exc}")
    if hire_date and leaving_date and leaving_date < hire_date:
        problems.append(
            f"{where('leaving_date')}: {leaving_date.isoformat()} is before the hire date "
            f"{hire_date.isoformat()} (column hire_date); a person cannot leave before they start"
        )
    locale = value.get("locale") or None
    if locale and not _known_locale(locale):
        from corehub.i18n import LANGUAGES

        problems.append(
            f"{where('locale')}: {locale!r} is not a language corehub speaks: "
            f"use one of {', '.join(LANGUAGES)} (or a regional code such as es-MX)"
        )
    if problems:
        return None, problems
    person = Person(
        id=person_id,
        name=name,
        email=email,
        role=value.get("role", ""),
        level=level,
        team=value.get("team", ""),
        manager_id=value.get("manager_id") or None,
        hire_date=hire_date,
        locale=locale.replace("_", "-") if locale else None,
        leaving_date=leaving_date,
    )
    return person, []


def _leaving_problem(person: Person) -> str:
    """What is wrong with a person's leaving date ("" when nothing is)."""
    if person.leaving_date and person.hire_date and person.leaving_date < person.hire_date:
        return (
            f"leaving date {person.leaving_date.isoformat()} is before the hire date "
            f"{person.hire_date.isoformat()}; a person cannot leave before they start"
        )
    return ""


def _known_locale(locale: str) -> bool:
    """A language corehub ships translations for, or a regional variant of one (es-MX)."""
    from corehub.i18n import LANGUAGES

    return bool(_LOCALE.match(locale)) and re.split(r"[-_]", locale)[0].lower() in LANGUAGES


def _email_problems(
    incoming: Iterable[tuple[str, str]],
    existing: dict[str, Person],
    *,
    rows: dict[str, int] | None = None,
    where: Callable[[str], str | None] | None = None,
) -> builtins.list[Message]:
    """E-mail addresses used by two people: sign-in links and every import find people by
    e-mail address, so one address must name one person, active or not. Addresses are
    compared as everything that finds people compares them (:func:`fold_id`: any case and
    Unicode form), so ``Ann@example.org`` and the same in full-width letters are one
    address.

    ``incoming`` holds (id, email) of the people being saved (rows of a file, broken or not);
    ``rows``: the file's row of each id; ``where``: what a problem of an id is about (its
    file, row and column), in front of the text.
    """
    incoming = [(pid, (email or "").strip()) for pid, email in incoming]
    ids = {pid for pid, _ in incoming}
    # a stored person whose address stays as it is (in any case and Unicode form) is not
    # checked: two people who already share an address (``corehub db check`` lists them)
    # can still leave, be renamed or move team; only a change of address, or a new person,
    # that makes or keeps a clash is refused
    kept = {
        pid
        for pid, email in incoming
        if email and pid in existing and fold_id(existing[pid].email) == fold_id(email)
    }
    owners: dict[str, tuple[str, str]] = {}  # folded address: its owner and their spelling
    for person in sorted(existing.values(), key=_by_id):
        if (person.id not in ids or person.id in kept) and person.email:
            owners.setdefault(fold_id(person.email), (person.id, person.email.strip()))
    problems = []
    for person_id, email in incoming:
        if not email or person_id in kept:
            continue
        key = fold_id(email)
        other, theirs = owners.get(key, (None, ""))
        if other is None or other == person_id:
            owners[key] = (person_id, email)
            continue
        at = where(person_id) if where else None
        same = theirs == email
        if other in ids and rows and other in rows:
            message = (
                M_(
                    "person %(person)r: email %(email)r is also the email of %(other)r "
                    "(row %(row)s)",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                    row=rows[other],
                )
                if same
                else M_(
                    "person %(person)r: email %(email)r is also the email of %(other)r "
                    "(row %(row)s), written %(theirs)r: e-mail addresses are compared in any "
                    "case and Unicode form",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                    row=rows[other],
                    theirs=theirs,
                )
            )
        elif other in ids:
            message = (
                M_(
                    "person %(person)r: email %(email)r is also the email of %(other)r",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                )
                if same
                else M_(
                    "person %(person)r: email %(email)r is also the email of %(other)r, "
                    "written %(theirs)r: e-mail addresses are compared in any case and "
                    "Unicode form",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                    theirs=theirs,
                )
            )
        else:
            message = (
                M_(
                    "person %(person)r: email %(email)r is already the email of %(other)r",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                )
                if same
                else M_(
                    "person %(person)r: email %(email)r is already the email of %(other)r, "
                    "written %(theirs)r: e-mail addresses are compared in any case and "
                    "Unicode form",
                    where=at,
                    person=person_id,
                    email=email,
                    other=other,
                    theirs=theirs,
                )
            )
        problems.append(message)
    return problems


def shared_emails(db: Any) -> builtins.list[tuple[str, builtins.list[tuple[str, str]]]]:
    """E-mail addresses that name more than one person in the workspace (compared as
    :func:`fold_id` compares them), each with its people's ids and spellings, sorted. A
    save refuses a second person with an address; a workspace that took one in before
    addresses were compared in any Unicode form may hold such a pair, which ``corehub db
    check`` reports. Reads the match keys that two people share, not every person."""
    rows = db.execute(
        "SELECT m.key, p.id, p.email FROM people_match AS m JOIN people AS p "
        "ON p.id = m.person_id WHERE m.key IN (SELECT key FROM people_match "
        "GROUP BY key HAVING count(*) > 1) AND p.email IS NOT NULL AND p.email != '' "
        "ORDER BY m.key, p.id"
    ).fetchall()
    found: dict[str, builtins.list[tuple[str, str]]] = {}
    for key, person_id, email in rows:
        if fold_id(email) == key:
            found.setdefault(key, []).append((person_id, email))
    return sorted(
        ((key, owners) for key, owners in found.items() if len(owners) > 1),
        key=lambda pair: pair[1],
    )


def _chart_problems(
    incoming: dict[str, Person],
    existing: dict[str, Person],
    *,
    sync: bool,
    broken: set[str] | frozenset[str] = frozenset(),
) -> builtins.list[str]:
    """Unknown or inactive managers, and management loops, in the chart after the change.

    ``broken`` holds ids of people in the file whose rows have problems of their own: a
    manager among them is not reported again as unknown.
    """
    chart = {} if sync else {pid: p for pid, p in existing.items() if p.active}
    chart.update({pid: p for pid, p in incoming.items() if p.active})
    problems = []
    for person in incoming.values():
        manager = person.manager_id
        if manager is None or (manager in broken and manager not in chart):
            continue
        if manager == person.id:
            problems.append(f"person {person.id!r} is their own manager")
        elif manager not in chart:
            known = manager in existing or manager in incoming
            why = "is inactive or not in the file" if known else "is not a known person"
            problems.append(f"person {person.id!r}: manager {manager!r} {why}")
    for person_id in sorted(incoming):
        seen = [person_id]
        current = chart.get(person_id)
        while current is not None and current.manager_id and current.manager_id in chart:
            if current.manager_id in seen:
                if current.manager_id == person_id and len(seen) > 1:
                    loop = " -> ".join([*seen, person_id])
                    problems.append(f"person {person_id!r} is in a management loop: {loop}")
                break
            seen.append(current.manager_id)
            current = chart.get(current.manager_id)
    return problems


def match_keys(person_id: str | None, email: str | None, name: str | None) -> set[str]:
    """The keys an export may name a person by: the folded id and e-mail address
    (:func:`fold_id`) and the folded full name (:func:`fold_name`). They are stored (core
    migrations m010 and m012, and ``People.save``): a change here needs a migration that
    rebuilds ``people_match``."""
    return {fold_id(person_id), fold_id(email), fold_name(name)} - {""}


def text_keys(text: str) -> set[str]:
    """The keys under which a text of an export may name someone (as an id, an e-mail
    address or a name, written as it is or as "Last, First": see :func:`name_keys`)."""
    return match_keys(text, None, None) | set(name_keys(text))


def name_keys(text: str | None) -> tuple[str, ...]:
    """The folded full names a text may be (:func:`fold_name`): the text as it is and, when
    it has exactly one comma between two parts (``"Núñez, María"``, as exports list
    people by family name), also the name it stands for, first part last
    (``"maria nunez"``), and itself with one space after the comma (``"Núñez,María"`` is
    the name ``"Núñez, María"`` as written). A text with no comma, or with two or more,
    is only itself."""
    folded = fold_name(text)
    if not folded:
        return ()
    if folded.count(",") != 1:
        return (folded,)
    last, first = (" ".join(part.split()) for part in folded.split(","))
    if not last or not first:
        return (folded,)
    # the name as written, whatever the spaces around its comma, or first part last
    return tuple(dict.fromkeys((folded, f"{last}, {first}", f"{first} {last}")))


MatchStatus = Literal["found", "ambiguous", "inactive", "unknown", "empty"]
"""What a :class:`PeopleFinder` made of a row's texts."""


@attrs.frozen
class PersonMatch:
    """What a :class:`PeopleFinder` made of the texts of one row."""

    status: MatchStatus
    """``found``: :attr:`person` is the one; ``ambiguous``: the text names several people
    (:attr:`candidates`); ``inactive``: it names only people who are no longer active
    (:attr:`candidates`; only a finder that excludes them says so); ``unknown``: nobody;
    ``empty``: the row names nobody at all."""
    text: str = ""
    """The text that decided: the first of the row's texts that names anyone, else the
    first one given."""
    person: Person | None = None
    by: Literal["id", "email", "name"] | None = None
    """How :attr:`person` or the :attr:`candidates` were found."""
    candidates: tuple[Person, ...] = ()
    """The people an ambiguous text names, or the inactive people a text names, by id."""

    def problem(self, where: str | None = None) -> Message:
        """Why nobody was found, as one translatable problem for the import's list
        (``where``: the file, row and column, which the English text starts with). A match
        that found someone has no problem: asking for it is a ``ValueError``."""
        ids = ", ".join(p.id for p in self.candidates)
        if self.status == "found":
            person = self.person.id if self.person else ""
            raise ValueError(f"{self.text!r} names {person!r}: there is no problem to report")
        if self.status == "empty":
            return M_("empty", where=where)
        if self.status == "ambiguous":
            return M_(
                "%(text)r names more than one person (%(ids)s)",
                where=where,
                hint=(
                    "name them by id or e-mail address in the file, "
                    "or give each person a distinct name"
                ),
                text=self.text,
                ids=ids,
            )
        if self.status == "inactive":
            if len(self.candidates) > 1:
                return M_(
                    "%(text)r names only people who are no longer active (%(ids)s)",
                    where=where,
                    text=self.text,
                    ids=ids,
                )
            return M_(
                "%(text)r names %(id)s, who is no longer active",
                where=where,
                text=self.text,
                id=ids,
            )
        return M_(
            "%(text)r is not a known person (matched by id, e-mail address or full name)",
            where=where,
            hint="add them with `corehub people import` or fix the export",
            text=self.text,
        )


class PeopleFinder:
    """Finds the person each row of an import names; made by :meth:`People.finder`.

    A text names a person, in this order:

    1. by their exact id;
    2. else by their id or e-mail address in any case (Unicode-normalised, without
       surrounding spaces): when that names two people (one's id is another's e-mail
       address), the text is ambiguous;
    3. else by their full name in any case, accents and spacing, if exactly one person
       has it; a name several people share is ambiguous, never a guess. A text with
       exactly one comma may also be the name written "Last, First" (``"Núñez, María"``
       finds María Núñez): when it fits two people that way (one whose name has the
       comma, one whose name is the two parts swapped), it is ambiguous too.

    A row with several texts (a ticket's assignee e-mail address, then their name) is
    decided by the first text that names anyone. Only the people the texts may name are
    read, once; each distinct row of texts is decided once, however many rows repeat it.
    """

    def __init__(
        self,
        read: Callable[[set[str]], Iterable[Person]],
        texts: Iterable[str | None] = (),
        *,
        include_inactive: bool,
        today: dt.date,
    ) -> None:
        self.include_inactive = include_inactive
        """Whether people who are no longer active (or whose leaving date has come) are
        found like anyone."""
        self._read_keys = read
        self._today = today
        self._known: dict[str, Person] = {}
        self._ids: dict[str, builtins.list[Person]] = {}
        self._emails: dict[str, builtins.list[Person]] = {}
        self._names: dict[str, builtins.list[Person]] = {}
        self._asked: set[str] = set()
        self._folded: dict[str, tuple[str, tuple[str, ...]]] = {}  # text: its id, name keys
        self._matched: dict[tuple[str | None, ...], PersonMatch] = {}
        self._read(texts)

    def find(self, *texts: str | None) -> Person | None:
        """The person the texts name (see the class), or None: nobody, several people, or
        only people who are no longer active when those are left out."""
        return self.match(*texts).person

    def match(self, *texts: str | None) -> PersonMatch:
        """What the texts of one row name: the first text that names anyone decides."""
        decided = self._matched.get(texts)
        if decided is None:
            decided = self._matched[texts] = self._match(texts)
        return decided

    def _match(self, texts: tuple[str | None, ...]) -> PersonMatch:
        given = [t for t in texts if t and t.strip()]
        if not given:
            return PersonMatch("empty")
        self._read(given)
        for text in given:
            decided = self._tiers(text)
            if decided.status != "unknown":
                return decided
        return PersonMatch("unknown", text=given[0])

    def _tiers(self, text: str) -> PersonMatch:
        key, names = self._folded[text]
        by_id = self._ids.get(key, [])
        # a name as it is, or as "Last, First": everyone it may be, each once; two people
        # (one called "Núñez, María", one "María Núñez") make it ambiguous, never a guess
        by_name = list({p.id: p for name in names for p in self._names.get(name, [])}.values())
        by_email = [p for p in self._emails.get(key, []) if p not in by_id]
        exact = self._known.get(text.strip())
        tiers: builtins.list[tuple[Literal["id", "email", "name"], builtins.list[Person]]] = [
            ("id", [exact] if exact is not None else []),
            ("email" if by_email else "id", [*by_id, *by_email]),
            ("name", by_name),
        ]
        for by, named in tiers:
            if not named:
                continue
            usable = named if self.include_inactive else [p for p in named if self._current(p)]
            if len(usable) == 1:
                return PersonMatch("found", text=text, person=usable[0], by=by)
            return PersonMatch(
                "ambiguous" if usable else "inactive",
                text=text,
                by=by,
                candidates=tuple(sorted(usable or named, key=_by_id)),
            )
        return PersonMatch("unknown", text=text)

    def _current(self, person: Person) -> bool:
        return person.active and not person.has_left(self._today)

    def _read(self, texts: Iterable[str | None]) -> None:
        """Read the people these texts may name, unless an earlier read did."""
        new = {t for t in set(texts) if t and t not in self._folded}
        for text in new:
            self._folded[text] = (fold_id(text), name_keys(text))
        keys = {
            key for text in new for key in (self._folded[text][0], *self._folded[text][1]) if key
        } - self._asked
        if not keys:
            return
        self._asked |= keys
        for person in self._read_keys(keys):
            if person.id in self._known:
                continue
            self._known[person.id] = person
            self._ids.setdefault(fold_id(person.id), []).append(person)
            if person.email:
                self._emails.setdefault(fold_id(person.email), []).append(person)
            self._names.setdefault(fold_name(person.name), []).append(person)


def _by_id(person: Person) -> str:
    return person.id


def _keys_of(person: Person) -> set[str]:
    return match_keys(person.id, person.email, person.name)


def _store_keys(db: Any, people: builtins.list[Person]) -> None:
    """Replace the match keys of ``people`` (created or renamed) in ``people_match``, and
    their search words (:func:`corehub.folding.search_words`) in ``people_words``."""
    for start in range(0, len(people), 500):
        chunk = [p.id for p in people[start : start + 500]]
        marks = ", ".join("?" for _ in chunk)
        db.execute(f"DELETE FROM people_match WHERE person_id IN ({marks})", chunk)
    db.table("people_match").insert_all(
        ({"key": key, "person_id": p.id} for p in people for key in _keys_of(p)),
        batch_size=2000,
        ignore=True,
    )
    db.table("people_words").upsert_all(
        ({"person_id": p.id, "words": search_words(p.name, p.id), "stale": 0} for p in people),
        pk="person_id",
        batch_size=2000,
    )


def refold(db: Any) -> int:
    """Fold again the people another program wrote (``people_words.stale``, set by the
    triggers of core migration m013): their match keys and search words are made from
    their stored row. Returns how many. Reads only those people (an index of the stale
    ones), so it runs each time corehub opens the workspace."""
    stale = [r["person_id"] for r in db.query("SELECT person_id FROM people_words WHERE stale")]
    if not stale:
        return 0
    people = [
        Person(id=r["id"], name=r["name"], email=r["email"])
        for r in db.query(
            "SELECT id, name, email FROM people WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(stale)],
        )
    ]
    _store_keys(db, people)
    return len(people)


def _to_row(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "level": person.level.value,
        "team": person.team,
        "manager_id": person.manager_id,
        "hire_date": person.hire_date.isoformat() if person.hire_date else None,
        "locale": person.locale,
        "active": 1 if person.active else 0,
        "leaving_date": person.leaving_date.isoformat() if person.leaving_date else None,
    }


def _to_person(row: dict[str, Any]) -> Person:
    return from_row(row, Person)
