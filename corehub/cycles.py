"""Evaluation cycles: create, open (enrol people, create tasks), track, close.

Opening is one transaction and idempotent: run it twice and you get one set of tasks;
run it again after new people join the scope and only they are enrolled. A closed
cycle is frozen by the database itself (triggers), so no code path can change it.
"""

from __future__ import annotations

import builtins
import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from corehub.audit import AuditLog
from corehub.errors import CorehubError, FrozenError, NotFoundError, PluginError, ValidationError
from corehub.hookcalls import batched_implementations
from corehub.messages import M_, N_
from corehub.models import (
    Cycle,
    CycleStatus,
    Level,
    Person,
    Task,
    TaskKind,
    TaskSpec,
    TaskStatus,
)
from corehub.people import People
from corehub.storage.db import dumps, from_row
from corehub.storage.migrations import NO_TEAM as STORED_NO_TEAM
from corehub.storage.migrations import TASK_TEAM_COUNTS

if TYPE_CHECKING:
    from corehub.context import HubContext

_SCOPE = re.compile(r"^(all|team:.+|level:.+|role:.+|person:.+)$")
_NAME = re.compile(r"^[\w][\w .:/()+-]{0,79}$")


@attrs.frozen
class OpenResult:
    cycle: Cycle
    enrolled: tuple[str, ...]
    """People enrolled by this run (not those enrolled before)."""
    tasks_created: int


@attrs.frozen
class StatusCounts:
    done: int = 0
    open: int = 0
    overdue: int = 0
    waiting: int = 0
    """Open tasks whose prerequisite tasks are neither done nor overdue (included in ``open``)."""
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.done + self.open

    def add(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(**{f: getattr(self, f) + getattr(other, f) for f in _COUNT_FIELDS})


_COUNT_FIELDS = ("done", "open", "overdue", "waiting", "cancelled")


@attrs.frozen
class CycleReport:
    """``corehub cycle status``: task counts per kind and per team, as of ``today``."""

    cycle: Cycle
    today: dt.date
    people: int
    by_kind: dict[str, StatusCounts]
    by_team: dict[str, StatusCounts]
    total: StatusCounts


def parse_scope(items: Iterable[str]) -> tuple[str, ...]:
    scope, problems = _parse_scope(items)
    if problems:
        raise ValidationError(M_("unknown scope:"), problems)
    return scope


def _parse_scope(items: Iterable[str]) -> tuple[tuple[str, ...], builtins.list[str]]:
    """The scope items, and a problem for each one that is not a scope."""
    scope = tuple(s.strip() for s in items if s.strip()) or ("all",)
    problems: builtins.list[str] = []
    for item in scope:
        if not _SCOPE.match(item):
            problems.append(
                M_(
                    "unknown scope %(scope)r: use all, team:NAME, level:LEVEL, role:ROLE or person:ID",
                    scope=item,
                )
            )
        elif item.startswith("level:"):
            try:
                Level(item[6:].lower())
            except ValueError:
                allowed = ", ".join(level.value for level in Level)
                problems.append(
                    M_(
                        "unknown level in scope %(scope)r: use one of %(allowed)s",
                        scope=item,
                        allowed=allowed,
                    )
                )
    return scope, problems


class Cycles:
    """``hub.cycles``: evaluation cycles and their tasks."""

    def __init__(self, hub: HubContext):
        self.hub = hub
        self._people = People(hub)
        self._audit = AuditLog(hub)
        self._after_json: dict[tuple[str, ...], str | None] = {}

    # -- cycles ------------------------------------------------------------------

    def create(
        self,
        name: str,
        *,
        start: dt.date,
        end: dt.date,
        scope: Iterable[str] = ("all",),
        due: dict[str, dt.date] | None = None,
        allow_empty: bool = False,
        calibrate: bool = False,
    ) -> Cycle:
        """Create a draft cycle. Nobody is enrolled until it is opened.

        With ``calibrate`` the cycle has a calibration step: manager reviews are compared
        after they are submitted and before any can be released.

        Each item of ``scope`` must match at least one active person today (a misspelt
        ``team:Nrod`` would open a cycle for nobody), unless ``allow_empty`` says the
        people will come later.
        """
        name = name.strip()
        problems: builtins.list[str] = []
        if not _NAME.match(name):
            problems.append(
                M_("1 to 80 letters, digits, spaces or . : / ( ) + -", where=f"name {name!r}")
            )
        if end < start:
            problems.append(M_("end %(end)s is before start %(start)s", end=end, start=start))
        kinds = self.task_kinds() if due else {}
        for kind, date in (due or {}).items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", kind):
                problems.append(
                    M_(
                        "the task kind must be lowercase, like 'self'",
                        where=f"due {kind}={date.isoformat()}",
                    )
                )
            elif kind not in kinds:
                close = difflib.get_close_matches(kind, list(kinds), n=1)
                problems.append(
                    M_(
                        "no task kind %(kind)r; the kinds are: %(kinds)s",
                        kind=kind,
                        kinds=", ".join(sorted(kinds)) or "none (no plugin creates tasks)",
                        where=f"due {kind}={date.isoformat()}",
                        hint=f"did you mean {close[0]!r}?" if close else None,
                    )
                )
            if date < start:
                problems.append(
                    M_(
                        "due %(kind)s=%(date)s is before the cycle starts (%(start)s)",
                        kind=kind,
                        date=date,
                        start=start,
                    )
                )
        scope, scope_problems = _parse_scope(scope)
        problems += scope_problems
        if not allow_empty:
            valid = [item for item in scope if not any(repr(item) in p for p in scope_problems)]
            problems += self._empty_scope_problems(valid)
        if problems:
            raise ValidationError(M_("cycle %(name)r was not created:", name=name), problems)
        with self.hub.atomic() as db:
            if self.find(name) is not None:
                raise ValidationError(M_("a cycle named %(name)r already exists", name=name))
            row = {
                "name": name,
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "scope": dumps(list(scope)),
                "due": dumps({k: v.isoformat() for k, v in (due or {}).items()}),
                "status": CycleStatus.DRAFT.value,
                "created_at": self.hub.clock.now().isoformat(),
                "calibrate": int(calibrate),
            }
            cycle_id = db.table("cycles").insert(row).last_pk
            assert cycle_id is not None
            cycle = self.get(cycle_id)
            self._audit.record("cycle.created", "cycle", cycle.id, after=cycle, cycle_id=cycle.id)
        return cycle

    def task_kinds(self) -> dict[str, TaskKind]:
        """The kinds of task the loaded plugins create, by name (``register_task_kinds``)."""
        return self.hub.hook.register_task_kinds.registry(what="task kind", hub=self.hub)

    def find(self, name_or_id: str | int) -> Cycle | None:
        if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
            rows = list(self.hub.db.query("SELECT * FROM cycles WHERE id = ?", [int(name_or_id)]))
            if rows:
                return _to_cycle(rows[0])
        rows = list(self.hub.db.query("SELECT * FROM cycles WHERE name = ?", [str(name_or_id)]))
        return _to_cycle(rows[0]) if rows else None

    def get(self, name_or_id: str | int) -> Cycle:
        cycle = self.find(name_or_id)
        if cycle is None:
            names = [c.name for c in self.list()]
            hint = f"cycles: {', '.join(names)}" if names else "no cycles yet: corehub cycle create"
            raise NotFoundError(M_("no cycle named %(name)r", name=name_or_id, hint=hint))
        return cycle

    def list(self, *, status: CycleStatus | None = None) -> builtins.list[Cycle]:
        where = "status = ?" if status else None
        rows = self.hub.db.table("cycles").rows_where(
            where, [status.value] if status else [], order_by="start_date, id"
        )
        return [_to_cycle(row) for row in rows]

    def people_in_scope(self, cycle: Cycle) -> builtins.list[Person]:
        """Active people matched by any item of the cycle's scope."""
        matched = []
        for person in self._people.list():
            if any(_in_scope(person, item) for item in cycle.scope):
                matched.append(person)
        return matched

    def _empty_scope_problems(self, scope: Iterable[str]) -> builtins.list[str]:
        """One problem per scope item that matches no active person, with what there is."""
        people = self._people.list()
        problems: builtins.list[str] = []
        for item in scope:
            if any(_in_scope(person, item) for person in people):
                continue
            kind, _, value = item.partition(":")
            known: Iterable[str] = ()
            if kind == "team":
                known = sorted({p.team for p in people if p.team})
            elif kind == "role":
                known = sorted({p.role for p in people if p.role})
            elif kind == "person":
                known = [p.id for p in people]
            close = difflib.get_close_matches(value, list(known), n=1) if value else []
            hint = (
                f"did you mean {kind}:{close[0]}?"
                if close
                else "or pass --allow-empty-scope if people will join before it opens"
            )
            problems.append(M_("scope %(scope)r matches no active person", scope=item, hint=hint))
        return problems

    def is_member(self, cycle: Cycle, person_id: str) -> bool:
        """Whether ``person_id`` is enrolled in ``cycle`` (active or not)."""
        row = self.hub.db.execute(
            "SELECT 1 FROM cycle_members WHERE cycle_id = ? AND person_id = ?",
            [cycle.id, person_id],
        ).fetchone()
        return row is not None

    def members(self, cycle: Cycle, *, team: str | None = None) -> builtins.list[Person]:
        """The people enrolled in ``cycle`` (active or not), by team and name.

        With ``team``, only that team's; NotFoundError (naming the teams there are) if
        nobody of it is in the cycle.
        """
        from corehub.people import _to_person

        sql = (
            "SELECT people.* FROM cycle_members JOIN people ON people.id = cycle_members.person_id "
            "WHERE cycle_id = ?"
        )
        if team is None:
            rows = self.hub.db.query(sql + " ORDER BY people.team, people.name", [cycle.id])
            return [_to_person(row) for row in rows]
        # one team's people only: a team's documents cost the same in any size of organization
        rows = self.hub.db.query(
            sql + " AND people.team = ? ORDER BY people.team, people.name", [cycle.id, team]
        )
        in_team = [_to_person(row) for row in rows]
        if not in_team:
            teams = self.hub.db.query(
                "SELECT DISTINCT people.team FROM cycle_members JOIN people "
                "ON people.id = cycle_members.person_id WHERE cycle_id = ? AND people.team != ''",
                [cycle.id],
            )
            known = ", ".join(sorted(row["team"] for row in teams)) or "none"
            raise NotFoundError(
                M_(
                    "nobody in team %(team)r is in cycle %(cycle)r",
                    team=team,
                    cycle=cycle.name,
                    hint=f"teams: {known}",
                )
            )
        return in_team

    def open(self, name_or_id: str | int) -> OpenResult:
        """Enrol everyone in scope and create their tasks, in one transaction.

        Opening an open cycle again enrols only people who joined the scope since; it
        never creates a task twice. A closed cycle cannot be opened.
        """
        with self.hub.atomic() as db:
            cycle = self.get(name_or_id)
            if cycle.is_closed:
                raise FrozenError(
                    M_("cycle %(name)r is closed and cannot be opened again", name=cycle.name)
                )
            first_open = cycle.status is CycleStatus.DRAFT
            if first_open:
                now = self.hub.clock.now().isoformat()
                db.table("cycles").update(
                    cycle.id, {"status": CycleStatus.OPEN.value, "opened_at": now}
                )
                cycle = self.get(cycle.id)
            enrolled_before = {
                row["person_id"]
                for row in db.query(
                    "SELECT person_id FROM cycle_members WHERE cycle_id = ?", [cycle.id]
                )
            }
            newcomers = [p for p in self.people_in_scope(cycle) if p.id not in enrolled_before]
            now = self.hub.clock.now().isoformat()
            db.table("cycle_members").insert_all(
                ({"cycle_id": cycle.id, "person_id": p.id, "enrolled_at": now} for p in newcomers),
                batch_size=500,
            )
            known = {row["id"] for row in db.query("SELECT id FROM people WHERE active = 1")}
            rows = self._enrolment_task_rows(cycle, newcomers, now, known)
            # counted, not taken from total_changes(): that counts what triggers write too
            count = "SELECT count(*) FROM tasks WHERE cycle_id = ?"
            before = db.execute(count, [cycle.id]).fetchone()[0]
            db.table("tasks").insert_all(rows, ignore=True, batch_size=500)
            tasks_created = db.execute(count, [cycle.id]).fetchone()[0] - before
            if newcomers:
                for impl in batched_implementations(
                    self.hub.pm, batched="people_enrolled", single="person_enrolled"
                ):
                    if impl.batched:
                        impl(hub=self.hub, cycle=cycle, people=list(newcomers))
                    else:
                        for person in newcomers:
                            impl(hub=self.hub, cycle=cycle, person=person)
            if first_open:
                self._audit.record(
                    "cycle.opened", "cycle", cycle.id, cycle_id=cycle.id, after=cycle
                )
                self.hub.hook.cycle_opened(hub=self.hub, cycle=cycle)
            if newcomers:
                self._audit.record(
                    "cycle.enrolled",
                    "cycle",
                    cycle.id,
                    cycle_id=cycle.id,
                    after={"people": [p.id for p in newcomers], "tasks": tasks_created},
                )
        return OpenResult(
            cycle=cycle, enrolled=tuple(p.id for p in newcomers), tasks_created=tasks_created
        )

    def add_tasks(
        self, cycle: Cycle, person: Person, specs: Iterable[TaskSpec], *, plugin: str
    ) -> builtins.list[Task]:
        """Add tasks about ``person`` to an open cycle after enrolment (e.g. peers named later).

        Idempotent like opening: a task that exists already is not created twice. Returns
        the tasks as stored (existing or new), in the order of ``specs``.
        """
        specs = list(specs)
        with self.hub.atomic() as db:
            cycle = self.ensure_writable(cycle)
            if not self.is_member(cycle, person.id):
                raise CorehubError(
                    M_(
                        "%(person)s is not enrolled in cycle %(cycle)r",
                        person=person.id,
                        cycle=cycle.name,
                    )
                )
            known = {row["id"] for row in db.query("SELECT id FROM people WHERE active = 1")}
            now = self.hub.clock.now().isoformat()
            rows = self._rows_for(cycle, person, now, known, [(plugin, specs)])
            existing = {t.id for t in self.tasks(cycle, subject_id=person.id)}
            db.table("tasks").insert_all(rows, ignore=True)
            stored = [self.task(cycle, r["kind"], r["assignee_id"], r["subject_id"]) for r in rows]
            new = [t.id for t in stored if t.id not in existing]
            if new:
                self._audit.record(
                    "cycle.tasks_added", "cycle", cycle.id, cycle_id=cycle.id, after={"tasks": new}
                )
        return stored

    def _enrolment_task_rows(
        self, cycle: Cycle, people: builtins.list[Person], now: str, known: set[str]
    ) -> builtins.list[dict[str, Any]]:
        """The task rows of everyone enrolled, person by person, each person's in plugin
        order: ``cycle_tasks_batch`` once for all, ``cycle_tasks`` once per person for a
        plugin that has only that."""
        if not people:
            return []
        contributed: dict[str, builtins.list[tuple[str, Any]]] = {p.id: [] for p in people}
        for impl in batched_implementations(
            self.hub.pm, batched="cycle_tasks_batch", single="cycle_tasks"
        ):
            if not impl.batched:
                for person in people:
                    specs = impl(hub=self.hub, cycle=cycle, person=person)
                    if specs is not None:
                        contributed[person.id].append((impl.plugin, specs))
                continue
            result = impl(hub=self.hub, cycle=cycle, people=list(people))
            if result is None:
                continue
            if not isinstance(result, dict):
                raise PluginError(
                    f"plugin {impl.plugin!r}: cycle_tasks_batch must return a dict of "
                    "person id to a list of TaskSpec records",
                    plugin=impl.plugin,
                )
            for person_id, specs in result.items():
                if person_id not in contributed:
                    raise PluginError(
                        f"plugin {impl.plugin!r} returned tasks for {person_id!r}, who is not "
                        "among the people being enrolled",
                        plugin=impl.plugin,
                    )
                if specs is not None:
                    contributed[person_id].append((impl.plugin, specs))
        return [
            row
            for person in people
            for row in self._rows_for(cycle, person, now, known, contributed[person.id])
        ]

    def _rows_for(
        self,
        cycle: Cycle,
        person: Person,
        now: str,
        known: set[str],
        contributed: builtins.list[tuple[str, Any]],
    ) -> builtins.list[dict[str, Any]]:
        rows = []
        for plugin, specs in contributed:
            for spec in specs:
                if not isinstance(spec, TaskSpec):
                    raise PluginError(
                        f"plugin {plugin!r}: cycle_tasks must return TaskSpec records",
                        plugin=plugin,
                    )
                for who in (spec.assignee_id, spec.subject_id or person.id):
                    if who not in known:
                        raise PluginError(
                            f"plugin {plugin!r} asked for a {spec.kind!r} task for {who!r}, "
                            "who is not an active person",
                            plugin=plugin,
                        )
                rows.append(
                    {
                        "cycle_id": cycle.id,
                        "kind": spec.kind,
                        "assignee_id": spec.assignee_id,
                        "subject_id": spec.subject_id or person.id,
                        "due": (spec.due or cycle.due_for(spec.kind)).isoformat(),
                        "status": TaskStatus.OPEN.value,
                        "plugin": plugin,
                        "after": self._stored_after(spec.after),
                        "created_at": now,
                        "title": spec.title,
                        "private": int(spec.private),
                    }
                )
        return rows

    def _stored_after(self, after: Iterable[str]) -> str | None:
        """A task's ``after`` kinds as stored (JSON), made once for each set of kinds."""
        key = tuple(after)
        if key not in self._after_json:
            self._after_json[key] = dumps(list(key))
        return self._after_json[key]

    def set_calibrate(self, cycle: Cycle | int | str, calibrate: bool) -> Cycle:
        """Turn the cycle's calibration step on or off (not once the cycle is closed)."""
        current = cycle if isinstance(cycle, Cycle) else self.get(cycle)
        current = self.get(current.id)
        if current.is_closed:
            raise FrozenError(
                M_("cycle %(name)r is closed; nothing in it can change", name=current.name)
            )
        if current.calibrate == calibrate:
            return current
        with self.hub.atomic() as db:
            db.execute("UPDATE cycles SET calibrate = ? WHERE id = ?", [int(calibrate), current.id])
            self._audit.record(
                "cycle.settings_changed",
                "cycle",
                current.id,
                cycle_id=current.id,
                before={"calibrate": current.calibrate},
                after={"calibrate": calibrate},
            )
        return self.get(current.id)

    def close(
        self, name_or_id: str | int, *, force: bool = False, reason: str | None = None
    ) -> Cycle:
        """Close the cycle. Open tasks block it unless ``force`` with a ``reason`` (they are cancelled)."""
        with self.hub.atomic() as db:
            cycle = self.get(name_or_id)
            if cycle.is_closed:
                raise FrozenError(M_("cycle %(name)r is already closed", name=cycle.name))
            if cycle.status is CycleStatus.DRAFT:
                raise CorehubError(
                    M_("cycle %(name)r was never opened; open it first", name=cycle.name)
                )
            open_tasks = self.tasks(cycle, status=TaskStatus.OPEN)
            if open_tasks and not force:
                shown = [
                    M_(
                        "%(kind)s by %(person)s about %(subject)s (due %(due)s)",
                        kind=t.kind,
                        person=t.assignee_id,
                        subject=t.subject_id,
                        due=t.due,
                    )
                    for t in open_tasks[:20]
                ]
                if len(open_tasks) > 20:
                    shown.append(M_("... and %(n)s more", n=len(open_tasks) - 20))
                raise ValidationError(
                    M_(
                        "cycle %(name)r has %(n)s open task(s); finish them or use "
                        "--force --reason TEXT:",
                        name=cycle.name,
                        n=len(open_tasks),
                    ),
                    shown,
                )
            if force and open_tasks and not (reason and reason.strip()):
                raise ValidationError(M_("closing with open tasks needs a --reason"))
            for task in open_tasks:
                db.table("tasks").update(task.id, {"status": TaskStatus.CANCELLED.value})
            if open_tasks:
                self._audit.record(
                    "cycle.tasks_cancelled",
                    "cycle",
                    cycle.id,
                    cycle_id=cycle.id,
                    after={"tasks": [t.id for t in open_tasks]},
                    reason=reason,
                )
            db.table("cycles").update(
                cycle.id,
                {
                    "status": CycleStatus.CLOSED.value,
                    "closed_at": self.hub.clock.now().isoformat(),
                    "close_reason": reason,
                },
            )
            closed = self.get(cycle.id)
            self._audit.record(
                "cycle.closed",
                "cycle",
                cycle.id,
                cycle_id=cycle.id,
                before=cycle,
                after=closed,
                reason=reason,
            )
            self.hub.hook.cycle_closed(hub=self.hub, cycle=closed)
        return closed

    def as_of(self, cycle: Cycle) -> dt.date:
        """The day a report on ``cycle`` describes: its closing day once closed, else today."""
        if cycle.is_closed and cycle.closed_at is not None:
            return cycle.closed_at.date()
        return self.hub.clock.today()

    def ensure_writable(self, cycle: Cycle | int | str) -> Cycle:
        """The cycle, if it is open; FrozenError if closed, an error if still a draft."""
        cycle = cycle if isinstance(cycle, Cycle) else self.get(cycle)
        current = self.get(cycle.id)
        if current.is_closed:
            raise FrozenError(
                M_("cycle %(name)r is closed; nothing in it can change", name=current.name)
            )
        if current.status is CycleStatus.DRAFT:
            raise CorehubError(M_("cycle %(name)r is not open yet", name=current.name))
        return current

    # -- tasks -------------------------------------------------------------------

    def tasks(
        self,
        cycle: Cycle | None = None,
        *,
        kind: str | None = None,
        assignee_id: str | None = None,
        subject_id: str | None = None,
        status: TaskStatus | None = None,
        viewer: str | None = None,
    ) -> builtins.list[Task]:
        """Tasks matching every filter given, soonest due first.

        With ``viewer``, private tasks (anonymous surveys) of other assignees are left out:
        whether someone has answered one is theirs alone to know.
        """
        where, params = [], []
        for column, value in (
            ("cycle_id", cycle.id if cycle else None),
            ("kind", kind),
            ("assignee_id", assignee_id),
            ("subject_id", subject_id),
            ("status", status.value if status else None),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        rows = self.hub.db.table("tasks").rows_where(
            " AND ".join(where) or None, params, order_by="due, id"
        )
        tasks = [_to_task(row) for row in rows]
        if viewer is not None:
            tasks = [t for t in tasks if not t.private or t.assignee_id == viewer]
        return tasks

    def task(
        self, cycle: Cycle, kind: str, assignee_id: str, subject_id: str | None = None
    ) -> Task:
        found = self.tasks(
            cycle, kind=kind, assignee_id=assignee_id, subject_id=subject_id or assignee_id
        )
        if not found:
            if subject_id and subject_id != assignee_id:
                raise NotFoundError(
                    M_(
                        "%(person)s has no %(kind)r task about %(subject)s in cycle %(cycle)r",
                        person=assignee_id,
                        kind=kind,
                        subject=subject_id,
                        cycle=cycle.name,
                    )
                )
            raise NotFoundError(
                M_(
                    "%(person)s has no %(kind)r task in cycle %(cycle)r",
                    person=assignee_id,
                    kind=kind,
                    cycle=cycle.name,
                )
            )
        return found[0]

    def is_available(self, task: Task, today: dt.date | None = None) -> bool:
        """True when every task this one waits for is done or past its due date."""
        today = today or self.hub.clock.today()
        if not task.after:
            return True
        for other in self.tasks(self.get(task.cycle_id), subject_id=task.subject_id):
            if other.kind in task.after and other.status is TaskStatus.OPEN and other.due >= today:
                return False
        return True

    def complete_task(self, task: Task, *, by: str | None = None) -> Task:
        """Mark a task done (in one transaction with the ``task_completed`` hook)."""
        with self.hub.atomic() as db:
            current = self._task_by_id(task.id)
            self.ensure_writable(current.cycle_id)
            if current.status is not TaskStatus.OPEN:
                already = (
                    N_("the %(kind)r task of %(person)s is already done")
                    if current.status is TaskStatus.DONE
                    else N_("the %(kind)r task of %(person)s is already cancelled")
                )
                raise CorehubError(M_(already, kind=current.kind, person=current.assignee_id))
            db.table("tasks").update(
                current.id,
                {
                    "status": TaskStatus.DONE.value,
                    "completed_at": self.hub.clock.now().isoformat(),
                    "completed_by": by or self.hub.actor,
                },
            )
            done = self._task_by_id(current.id)
            self._audit.record(
                "task.completed",
                "task",
                done.id,
                cycle_id=done.cycle_id,
                before=current,
                after=done,
            )
            self.hub.hook.task_completed(hub=self.hub, task=done)
        return done

    def reopen_task(self, task: Task, *, reason: str, by: str | None = None) -> Task:
        """Open a done task again (e.g. a submitted review sent back), keeping the reason."""
        if not reason.strip():
            raise ValidationError(M_("reopening a task needs a reason"))
        with self.hub.atomic() as db:
            current = self._task_by_id(task.id)
            self.ensure_writable(current.cycle_id)
            if current.status is not TaskStatus.DONE:
                not_done = (
                    N_("the %(task)r task of %(person)s is open, not done")
                    if current.status is TaskStatus.OPEN
                    else N_("the %(task)r task of %(person)s is cancelled, not done")
                )
                raise CorehubError(M_(not_done, task=current.label, person=current.assignee_id))
            db.table("tasks").update(
                current.id,
                {"status": TaskStatus.OPEN.value, "completed_at": None, "completed_by": None},
            )
            reopened = self._task_by_id(current.id)
            self._audit.record(
                "task.reopened",
                "task",
                current.id,
                actor=by,
                cycle_id=current.cycle_id,
                before=current,
                after=reopened,
                reason=reason.strip(),
            )
        return reopened

    def cancel_task(self, task: Task, *, reason: str) -> Task:
        """Cancel an open task (e.g. a peer who left), with a reason kept in the audit trail."""
        if not reason.strip():
            raise ValidationError(M_("cancelling a task needs a reason"))
        with self.hub.atomic() as db:
            current = self._task_by_id(task.id)
            self.ensure_writable(current.cycle_id)
            db.table("tasks").update(current.id, {"status": TaskStatus.CANCELLED.value})
            cancelled = self._task_by_id(current.id)
            self._audit.record(
                "task.cancelled",
                "task",
                current.id,
                cycle_id=current.cycle_id,
                before=current,
                after=cancelled,
                reason=reason,
            )
        return cancelled

    def _task_by_id(self, task_id: int) -> Task:
        rows = list(self.hub.db.query("SELECT * FROM tasks WHERE id = ?", [task_id]))
        if not rows:
            raise NotFoundError(M_("no task with id %(id)s", id=task_id))
        return _to_task(rows[0])

    # -- status ------------------------------------------------------------------

    def report(
        self,
        name_or_id: str | int,
        *,
        today: dt.date | None = None,
        teams: Iterable[str] | None = None,
    ) -> CycleReport:
        """Counts of done / open / overdue / waiting tasks per kind and per team.

        Read from the counts the database keeps of the cycle's tasks (core migration m011,
        kept by triggers in the same transaction as every write): the totals from the
        cycle's counts by kind, the teams' rows only for ``teams`` when given (a page of
        :meth:`report_teams`; every team otherwise). Overdue and waiting are decided here,
        against ``today``, from the due dates counted.
        """
        cycle = self.get(name_or_id)
        today = today or self.hub.clock.today()
        db = self.hub.db
        params = {"today": today.isoformat(), "cycle": cycle.id}
        people = db.execute(
            f"SELECT coalesce(sum(n), 0) FROM {TASK_TEAM_COUNTS} WHERE cycle_id = :cycle "
            "AND scope = 'members'",
            params,
        ).fetchone()[0]
        by_kind: dict[str, Counter[str]] = {}
        for kind, status, overdue, waiting, n in db.execute(
            _COUNTED.format(key="kind", where="scope = 'all'"), params
        ).fetchall():
            _count(by_kind.setdefault(kind, Counter()), status, n, overdue, waiting)
        where = "scope = 'team'"
        if teams is not None:
            where += " AND team IN (SELECT value FROM json_each(:teams))"
            params["teams"] = dumps(sorted(set(teams)))
        by_team: dict[str, Counter[str]] = {}
        for team, status, overdue, waiting, n in db.execute(
            _COUNTED.format(key="team", where=where), params
        ).fetchall():
            _count(by_team.setdefault(team, Counter()), status, n, overdue, waiting)

        def freeze(counter: Counter[str]) -> StatusCounts:
            return StatusCounts(**{f: counter.get(f, 0) for f in _COUNT_FIELDS})

        kinds = {k: freeze(v) for k, v in sorted(by_kind.items())}
        total = StatusCounts()
        for kind_counts in kinds.values():
            total = total.add(kind_counts)
        return CycleReport(
            cycle=cycle,
            today=today,
            people=people,
            by_kind=kinds,
            by_team={k: freeze(v) for k, v in sorted(by_team.items())},
            total=total,
        )

    def report_teams(
        self, name_or_id: str | int, *, offset: int = 0, limit: int | None = None
    ) -> tuple[int, builtins.list[str]]:
        """How many teams :meth:`report` counts for the cycle, and ``limit`` of their names
        from ``offset`` on, in its order: the teams of the people its tasks are about
        (``(no team)`` for tasks about someone outside the cycle's members or without a
        team). Paged in SQL from the teams' counts, for a page of the HR overview."""
        cycle = self.get(name_or_id)
        teams = (
            f"SELECT DISTINCT team FROM {TASK_TEAM_COUNTS} WHERE cycle_id = :cycle "
            "AND scope = 'team'"
        )
        params = {"cycle": cycle.id}
        if limit == 0:
            return self.hub.db.execute(f"SELECT count(*) FROM ({teams})", params).fetchone()[0], []
        rows = self.hub.db.execute(
            f"SELECT team, count(*) OVER () FROM ({teams}) ORDER BY team "
            "LIMIT :limit OFFSET :offset",
            params | {"limit": -1 if limit is None else limit, "offset": offset},
        ).fetchall()
        if rows:
            return rows[0][1], [row[0] for row in rows]
        return self.report_teams(cycle.id, limit=0)[0] if offset else 0, []


NO_TEAM = STORED_NO_TEAM
"""The team :meth:`Cycles.report` counts a task under when its person has none."""

_COUNTED = f"""
    SELECT {{key}}, status, status = 'open' AND due < :today AS overdue,
           status = 'open' AND waits >= :today AS waiting, sum(n)
    FROM {TASK_TEAM_COUNTS} WHERE cycle_id = :cycle AND {{where}}
    GROUP BY 1, 2, 3, 4
"""
"""The tasks counted (core m011) per kind or team of a cycle, by status, overdue or not
and waiting or not on the day asked for (``waits``: until when a task waits; '' never)."""


def _count(counts: Counter[str], status: str, n: int, overdue: bool, waiting: bool) -> None:
    if status == TaskStatus.DONE:
        counts["done"] += n
    elif status == TaskStatus.CANCELLED:
        counts["cancelled"] += n
    else:
        counts["open"] += n
        counts["overdue"] += n if overdue else 0
        counts["waiting"] += n if waiting else 0


def _in_scope(person: Person, item: str) -> bool:
    kind, _, value = item.partition(":")
    return (
        kind == "all"
        or (kind == "team" and person.team == value)
        or (kind == "level" and person.level.value == value.lower())
        or (kind == "role" and person.role == value)
        or (kind == "person" and person.id == value)
    )


def _to_cycle(row: dict[str, Any]) -> Cycle:
    return from_row(
        row,
        Cycle,
        columns={"start_date": "start", "end_date": "end"},
        json_columns=("scope", "due"),
    )


def _to_task(row: dict[str, Any]) -> Task:
    return from_row(row, Task, json_columns=("after",))
