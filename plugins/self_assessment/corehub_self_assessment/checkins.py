"""1:1 check-ins between a manager and a report: the library the CLI and the web app share.

A check-in is a manager, one of the people they manage in today's org chart, and a day.
Between the two of them:

- an **agenda** either of them adds items to, before the check-in and on its day;
- **notes**, private to the two: HR, the operator and the people up the org chart never
  read them (:func:`corehub.access.may_see_conversation`), and no packet shows them;
- **action items**: a text, an owner (one of the two), a due date on or after the
  check-in's day, done or not, optionally linked to one of the person's goals.

Anyone who may see the person's data (their managers, HR, the operator) sees that a
check-in happened, its day and its action items, and nothing else.

A **cadence** per team (``[settings.checkins]``) says the next check-in is due so many days
after the last; ``corehub remind`` reminds the manager of an overdue one, and each action
item's owner of an open action falling due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import N_
from corehub.messages import M_, Message, Named
from corehub.models import Person, Reminder
from corehub_self_assessment.checkins_storage import (
    ACTIONS,
    AGENDA,
    CHECKINS,
    NOTES,
    advance_pairs,
)
from corehub_self_assessment.settings import CHECKINS as SETTINGS_NAME
from corehub_self_assessment.settings import CheckinSettings

if TYPE_CHECKING:
    from corehub import Hub

Actor = str | access.Viewer | None
"""Who acts: a person's id, a Viewer, or None for ``hub.actor``."""
MAX_TEXT = 4_000
CATEGORY = "checkins"
DUE_TITLE = N_("1:1 check-in")
ACTION_TITLE = N_("Check-in action item")


@attrs.frozen(kw_only=True)
class Checkin:
    id: int
    manager_id: str
    person_id: str
    day: dt.date
    created_by: str
    created_at: dt.datetime

    @property
    def parties(self) -> tuple[str, str]:
        return (self.manager_id, self.person_id)


@attrs.frozen(kw_only=True)
class Entry:
    """An agenda item or a note."""

    id: int
    author_id: str
    text: str
    created_at: dt.datetime


@attrs.frozen(kw_only=True)
class Action:
    id: int
    checkin_id: int
    text: str
    owner_id: str
    due: dt.date
    goal: str | None
    created_by: str
    created_at: dt.datetime
    done_at: dt.datetime | None = None
    done_by: str | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


def settings_of(hub: Hub) -> CheckinSettings:
    settings: CheckinSettings = hub.settings(SETTINGS_NAME)
    return settings


def named(hub: Hub, person_id: str | None) -> Named:
    found = hub.people.find(person_id) if person_id else None
    return Named(person_id or "", found.name if found is not None else person_id or "")


# -- reading ---------------------------------------------------------------------------


def _checkin(row: dict[str, Any]) -> Checkin:
    return Checkin(
        id=row["id"],
        manager_id=row["manager_id"],
        person_id=row["person_id"],
        day=dt.date.fromisoformat(row["day"]),
        created_by=row["created_by"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
    )


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        author_id=row["author_id"],
        text=row["text"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
    )


def _action(row: dict[str, Any]) -> Action:
    return Action(
        id=row["id"],
        checkin_id=row["checkin_id"],
        text=row["text"],
        owner_id=row["owner_id"],
        due=dt.date.fromisoformat(row["due"]),
        goal=row["goal"],
        created_by=row["created_by"],
        created_at=dt.datetime.fromisoformat(row["created_at"]),
        done_at=dt.datetime.fromisoformat(row["done_at"]) if row["done_at"] else None,
        done_by=row["done_by"],
    )


def find(hub: Hub, checkin_id: int) -> Checkin:
    """The check-in, without any visibility check (for the plugin's own use)."""
    rows = list(hub.db.query(f"SELECT * FROM [{CHECKINS}] WHERE id = ?", [checkin_id]))
    if not rows:
        raise NotFoundError(
            M_("no check-in %(id)s", id=checkin_id, hint="see: corehub checkin list")
        )
    return _checkin(rows[0])


def is_party(hub: Hub, checkin: Checkin, actor: Actor = None) -> bool:
    """Whether the actor is the manager or the person of the check-in."""
    return access.may_see_conversation(hub, access.viewer(hub, actor), checkin.parties)


def may_see(hub: Hub, checkin: Checkin, actor: Actor = None) -> bool:
    """That it happened, its day and its action items: the two, and whoever may see the
    person's data (their managers today, HR, the operator)."""
    who = access.viewer(hub, actor)
    return who.id in checkin.parties or access.may_see_person(hub, who, checkin.person_id)


def get(hub: Hub, checkin_id: int, *, actor: Actor = None) -> Checkin:
    """The check-in, when the actor may see it (PermissionDeniedError otherwise)."""
    checkin = find(hub, checkin_id)
    if not may_see(hub, checkin, actor):
        who = access.viewer(hub, actor)
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not see the check-ins of %(person)s",
                actor=named(hub, who.actor),
                person=named(hub, checkin.person_id),
            )
        )
    return checkin


def agenda(hub: Hub, checkin: Checkin) -> list[Entry]:
    rows = hub.db.query(f"SELECT * FROM [{AGENDA}] WHERE checkin_id = ? ORDER BY id", [checkin.id])
    return [_entry(r) for r in rows]


def notes(hub: Hub, checkin: Checkin) -> list[Entry]:
    rows = hub.db.query(f"SELECT * FROM [{NOTES}] WHERE checkin_id = ? ORDER BY id", [checkin.id])
    return [_entry(r) for r in rows]


def actions(hub: Hub, checkin_ids: Iterable[int]) -> list[Action]:
    ids = list(checkin_ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = hub.db.query(
        f"SELECT * FROM [{ACTIONS}] WHERE checkin_id IN ({marks}) ORDER BY due, id", ids
    )
    return [_action(r) for r in rows]


def checkins_of(
    hub: Hub,
    *,
    person_id: str | None = None,
    manager_id: str | None = None,
    involving: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[Checkin]:
    """Stored check-ins, newest first, without visibility checks (``involving``: those
    where that person is the manager or the report)."""
    where, params = [], []
    if involving:
        where.append("(manager_id = ? OR person_id = ?)")
        params.extend([involving, involving])
    if person_id:
        where.append("person_id = ?")
        params.append(person_id)
    if manager_id:
        where.append("manager_id = ?")
        params.append(manager_id)
    if start:
        where.append("day >= ?")
        params.append(start.isoformat())
    if end:
        where.append("day <= ?")
        params.append(end.isoformat())
    sql = f"SELECT * FROM [{CHECKINS}]"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_checkin(r) for r in hub.db.query(sql + " ORDER BY day DESC, id DESC", params)]


def view(hub: Hub, checkin_id: int, *, actor: Actor = None) -> dict[str, Any]:
    """One check-in as plain data for the actor: agenda and notes only for the two."""
    checkin = get(hub, checkin_id, actor=actor)
    private = is_party(hub, checkin, actor)
    today = hub.clock.today()
    return {
        **_plain(hub, checkin, today),
        "private_visible": private,
        "agenda": [_plain_entry(hub, e) for e in agenda(hub, checkin)] if private else None,
        "notes": [_plain_entry(hub, e) for e in notes(hub, checkin)] if private else None,
        "actions": _with_plan_links(
            hub, [_plain_action(hub, a, today) for a in actions(hub, [checkin.id])]
        ),
        "goals": goals_of(hub, checkin.person_id, actor=actor) if private else [],
    }


def _with_plan_links(hub: Hub, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each action item with the development plan action it was carried into (or None)."""
    from corehub_self_assessment import plans

    carried = plans.carried_as(hub, [r["id"] for r in rows])
    return [{**r, "plan_action_id": carried.get(r["id"])} for r in rows]


def listing(
    hub: Hub,
    *,
    person_id: str | None = None,
    team: str | None = None,
    involving: str | None = None,
    actor: Actor = None,
) -> list[dict[str, Any]]:
    """The check-ins the actor may see (of ``person_id`` only, of the people of ``team``
    only, or those ``involving`` that person as the manager or the report, when given),
    newest first, with how many of their actions are done and open. A team is for those
    who may see its aggregates (its managers, HR)."""
    who = access.viewer(hub, actor)
    if team is not None:
        access.require_see_team(hub, who, team)
        ids = {
            r["id"]
            for r in hub.db.query(
                f"SELECT c.id FROM [{CHECKINS}] AS c JOIN people AS p ON p.id = c.person_id "
                "WHERE p.team = ?",
                [team],
            )
        }
        found = [c for c in checkins_of(hub, person_id=person_id) if c.id in ids]
        visible = [c for c in found if may_see(hub, c, who)]
    elif person_id:
        if hub.people.find(person_id) is None:
            raise NotFoundError(M_("no person %(id)r", id=person_id))
        found = checkins_of(hub, person_id=person_id)
        visible = [c for c in found if may_see(hub, c, who)]
        if found and not visible:
            get(hub, found[0].id, actor=who)  # raises the refusal
    else:
        visible = [c for c in checkins_of(hub, involving=involving) if may_see(hub, c, who)]
    today = hub.clock.today()
    by_checkin: dict[int, list[Action]] = {}
    for action in actions(hub, [c.id for c in visible]):
        by_checkin.setdefault(action.checkin_id, []).append(action)
    rows = []
    for checkin in visible:
        done = sum(1 for a in by_checkin.get(checkin.id, []) if a.done)
        rows.append(
            {
                **_plain(hub, checkin, today),
                "actions_done": done,
                "actions_open": len(by_checkin.get(checkin.id, [])) - done,
            }
        )
    return rows


def _plain(hub: Hub, checkin: Checkin, today: dt.date) -> dict[str, Any]:
    manager, person = hub.people.find(checkin.manager_id), hub.people.find(checkin.person_id)
    return {
        "id": checkin.id,
        "day": checkin.day.isoformat(),
        "held": checkin.day <= today,
        "manager_id": checkin.manager_id,
        "manager": manager.name if manager else checkin.manager_id,
        "person_id": checkin.person_id,
        "person": person.name if person else checkin.person_id,
    }


def _plain_entry(hub: Hub, entry: Entry) -> dict[str, Any]:
    author = hub.people.find(entry.author_id)
    return {
        "id": entry.id,
        "author_id": entry.author_id,
        "author": author.name if author else entry.author_id,
        "text": entry.text,
        "at": entry.created_at.isoformat(timespec="minutes"),
    }


def _plain_action(hub: Hub, action: Action, today: dt.date) -> dict[str, Any]:
    owner = hub.people.find(action.owner_id)
    return {
        "id": action.id,
        "checkin_id": action.checkin_id,
        "text": action.text,
        "owner_id": action.owner_id,
        "owner": owner.name if owner else action.owner_id,
        "due": action.due.isoformat(),
        "goal": action.goal,
        "done": action.done,
        "done_at": action.done_at.date().isoformat() if action.done_at else None,
        "overdue": not action.done and action.due < today,
    }


def goals_of(hub: Hub, person_id: str, *, actor: Actor = None) -> list[str]:
    """The objectives of the person's goals in the reviews the actor may read (set or
    looked back on), each once, newest first: what an action item may be linked to."""
    from corehub_self_assessment.reviews import goal_history

    seen: dict[str, None] = {}
    for row in reversed(goal_history(hub, person_id, actor=access.viewer(hub, actor).actor)):
        objective = str(row.get("objective") or "").strip()
        if objective:
            seen.setdefault(objective, None)
    return list(seen)


# -- writing ---------------------------------------------------------------------------


def _text(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(M_("%(field)s is empty", field=field))
    if len(text) > MAX_TEXT:
        raise ValidationError(
            M_("%(field)s has at most %(limit)s characters", field=field, limit=MAX_TEXT)
        )
    return text


def _as_day(value: dt.date | str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            M_("%(field)s %(value)r is not a date (YYYY-MM-DD)", field=field, value=str(value))
        ) from None


def create(
    hub: Hub,
    person_id: str,
    day: dt.date | str,
    *,
    agenda_items: Iterable[str] = (),
    actor: Actor = None,
) -> Checkin:
    """A check-in of the acting manager with ``person_id`` on ``day`` (with first agenda
    items). Only a manager of the person in today's org chart holds one."""
    who = access.viewer(hub, actor)
    manager = who.require_person(M_("holding a check-in"))
    person = hub.people.find(person_id)
    if person is None or not person.active:
        raise NotFoundError(
            M_("no active person %(id)r", id=person_id, hint="see: corehub people list")
        )
    if person.id == manager.id or not access.manages(hub, manager.id, person.id):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not hold a check-in with %(person)s: %(person)s is not "
                "one of their reports",
                actor=named(hub, manager.id),
                person=named(hub, person.id),
            )
        )
    when = _as_day(day, "date")
    items = [_text(item, "agenda item") for item in agenda_items]
    clash = list(
        hub.db.query(
            f"SELECT id FROM [{CHECKINS}] WHERE manager_id = ? AND person_id = ? AND day = ?",
            [manager.id, person.id, when.isoformat()],
        )
    )
    if clash:
        raise ValidationError(
            M_(
                "there is already a check-in with %(person)s on %(day)s (number %(id)s)",
                person=named(hub, person.id),
                day=when,
                id=clash[0]["id"],
            )
        )
    now = hub.clock.now().isoformat()
    with hub.atomic():
        # the overview's pairs as of today, so that it corrects only the check-ins held since
        advance_pairs(hub.db, hub.clock.today().isoformat())
        checkin_id = int(
            hub.db.table(CHECKINS)
            .insert(
                {
                    "manager_id": manager.id,
                    "person_id": person.id,
                    "day": when.isoformat(),
                    "created_by": manager.id,
                    "created_at": now,
                }
            )
            .last_pk
            or 0
        )
        for item in items:
            hub.db.table(AGENDA).insert(
                {"checkin_id": checkin_id, "author_id": manager.id, "text": item, "created_at": now}
            )
        hub.audit.record(
            "checkin.created",
            "checkin",
            checkin_id,
            after={"manager": manager.id, "person": person.id, "day": when.isoformat()},
        )
    return find(hub, checkin_id)


def _require_party(hub: Hub, checkin: Checkin, actor: Actor, doing: Message) -> str:
    who = access.viewer(hub, actor)
    me = who.require_person(doing)
    if me.id not in checkin.parties:
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not change the check-in of %(manager)s and %(person)s: "
                "only the two of them can",
                actor=named(hub, me.id),
                manager=named(hub, checkin.manager_id),
                person=named(hub, checkin.person_id),
            )
        )
    return me.id


def add_agenda_item(hub: Hub, checkin_id: int, text: str, *, actor: Actor = None) -> int:
    """An agenda item by either of the two, before the check-in or on its day."""
    checkin = find(hub, checkin_id)
    author = _require_party(hub, checkin, actor, M_("adding to a check-in's agenda"))
    item = _text(text, "agenda item")
    if hub.clock.today() > checkin.day:
        raise ValidationError(
            M_(
                "the check-in of %(day)s is over: add the item to the next check-in's agenda",
                day=checkin.day,
            )
        )
    return insert_entry(hub, AGENDA, checkin, author, item, "checkin.agenda_added")


def add_note(hub: Hub, checkin_id: int, text: str, *, actor: Actor = None) -> int:
    """A note by either of the two, read by the two only."""
    checkin = find(hub, checkin_id)
    author = _require_party(hub, checkin, actor, M_("writing a check-in note"))
    return insert_entry(hub, NOTES, checkin, author, _text(text, "note"), "checkin.note_added")


def insert_entry(hub: Hub, table: str, checkin: Checkin, author: str, text: str, event: str) -> int:
    with hub.atomic():
        entry_id = int(
            hub.db.table(table)
            .insert(
                {
                    "checkin_id": checkin.id,
                    "author_id": author,
                    "text": text,
                    "created_at": hub.clock.now().isoformat(),
                }
            )
            .last_pk
            or 0
        )
        # The audit trail (read by HR) says something was added, never what.
        hub.audit.record(event, "checkin", checkin.id, after={"entry": entry_id})
    return entry_id


def add_action(
    hub: Hub,
    checkin_id: int,
    text: str,
    *,
    owner: str,
    due: dt.date | str,
    goal: str | None = None,
    actor: Actor = None,
) -> int:
    """An action item of the check-in: owned by one of the two, due on or after its day,
    optionally linked to one of the person's goals (by its objective). Every problem of
    the action is reported at once; nothing is stored unless all is well."""
    checkin = find(hub, checkin_id)
    author = _require_party(hub, checkin, actor, M_("adding a check-in action item"))
    problems: list[Message] = []
    clean = ""
    try:
        clean = _text(text, "action")
    except ValidationError as exc:
        problems.append(M_("%(problem)s", problem=exc.summary, where="text"))
    owner = (owner or "").strip()
    if owner not in checkin.parties:
        problems.append(
            M_(
                "%(owner)r is not one of the two: the owner is %(manager)s or %(person)s",
                owner=owner,
                manager=checkin.manager_id,
                person=checkin.person_id,
                where="owner",
            )
        )
    when: dt.date | None = None
    try:
        when = _as_day(due, "due date")
    except ValidationError as exc:
        problems.append(M_("%(problem)s", problem=exc.summary, where="due"))
    if when is not None and when < checkin.day:
        problems.append(
            M_(
                "%(due)s is before the check-in (%(day)s)",
                due=when,
                day=checkin.day,
                where="due",
            )
        )
    linked: str | None = None
    if goal and goal.strip():
        linked = match_goal(hub, checkin.person_id, goal, actor=author)
        if linked is None:
            known = goals_of(hub, checkin.person_id, actor=author)
            problems.append(
                M_(
                    "%(person)s has no goal %(goal)r",
                    person=named(hub, checkin.person_id),
                    goal=goal.strip(),
                    where="goal",
                    hint=("goals: " + "; ".join(known)) if known else "they have no goals yet",
                )
            )
    if problems:
        raise ValidationError(M_("the action item was not added:"), problems)
    assert when is not None
    with hub.atomic():
        action_id = int(
            hub.db.table(ACTIONS)
            .insert(
                {
                    "checkin_id": checkin.id,
                    "text": clean,
                    "owner_id": owner,
                    "due": when.isoformat(),
                    "goal": linked,
                    "created_by": author,
                    "created_at": hub.clock.now().isoformat(),
                }
            )
            .last_pk
            or 0
        )
        hub.audit.record(
            "checkin.action_added",
            "checkin_action",
            action_id,
            after={
                "checkin": checkin.id,
                "text": clean,
                "owner": owner,
                "due": when.isoformat(),
                "goal": linked,
            },
        )
    return action_id


def match_goal(hub: Hub, person_id: str, goal: str, *, actor: Actor = None) -> str | None:
    """The person's goal objective ``goal`` names: the same words (any case), or the one
    objective it begins."""
    wanted = goal.strip().casefold()
    objectives = goals_of(hub, person_id, actor=actor)
    exact = [o for o in objectives if o.casefold() == wanted]
    if exact:
        return exact[0]
    starts = [o for o in objectives if o.casefold().startswith(wanted)]
    return starts[0] if len(starts) == 1 else None


def find_action(hub: Hub, action_id: int) -> Action:
    rows = list(hub.db.query(f"SELECT * FROM [{ACTIONS}] WHERE id = ?", [action_id]))
    if not rows:
        raise NotFoundError(M_("no check-in action item %(id)s", id=action_id))
    return _action(rows[0])


def set_done(hub: Hub, action_id: int, done: bool = True, *, actor: Actor = None) -> Action:
    """Mark an action item done (or, with ``done=False``, not done): either of the two."""
    action = find_action(hub, action_id)
    checkin = find(hub, action.checkin_id)
    me = _require_party(hub, checkin, actor, M_("marking a check-in action item"))
    if action.done == done:
        return action
    from corehub_self_assessment import plans

    carried = plans.carried_as(hub, [action.id]).get(action.id)
    plan_action = plans.action(hub, carried) if carried is not None else None
    if not done and plan_action is not None and plan_action["status"] == "done":
        raise ValidationError(
            M_(
                "action item %(id)s stays done: it was carried into the development plan "
                "(action #%(plan)s), where a done action is kept as it was",
                id=action.id,
                plan=carried,
            )
        )
    now = hub.clock.now().isoformat()
    with hub.atomic():
        if done and plan_action is not None and plan_action["status"] == "open":
            # the plan action it was carried into is done too, on the same day
            plans.close_carried(hub, plan_action["id"], me)
        hub.db.table(ACTIONS).update(
            action.id, {"done_at": now if done else None, "done_by": me if done else None}
        )
        hub.audit.record(
            "checkin.action_done" if done else "checkin.action_reopened",
            "checkin_action",
            action.id,
            before={"done": action.done},
            after={"done": done},
        )
    return find_action(hub, action_id)


def mark_carried_done(hub: Hub, action_id: int, actor_id: str) -> None:
    """The plan action an item was carried into was marked done: the item is done too
    (no party check: the plan's own rule allowed it)."""
    action = find_action(hub, action_id)
    if action.done:
        return
    hub.db.table(ACTIONS).update(
        action.id, {"done_at": hub.clock.now().isoformat(), "done_by": actor_id}
    )
    hub.audit.record(
        "checkin.action_done",
        "checkin_action",
        action.id,
        before={"done": False},
        after={"done": True, "by": "development plan"},
    )


# -- cadence and reminders ---------------------------------------------------------------


def cadence(
    hub: Hub,
    *,
    actor: Actor = None,
    today: dt.date | None = None,
    manager_id: str | None = None,
) -> list[dict[str, Any]]:
    """Each manager and direct report the actor may see (of ``manager_id`` only, when
    given): the last check-in, the next one planned, and when the next is due by the
    team's cadence (None without a cadence)."""
    today = today or hub.clock.today()
    who = access.viewer(hub, actor)
    settings = settings_of(hub)
    rows = []
    if manager_id is not None:
        manager = hub.people.find(manager_id)
        people = hub.people.reports(manager_id) if manager and manager.active else []
        active = {manager.id: manager} if manager and manager.active else {}
    else:
        people = hub.people.list()
        active = {p.id: p for p in people}
    for person in people:
        manager = active.get(person.manager_id or "")
        if manager is None:
            continue
        if not (who.id == manager.id or access.may_see_person(hub, who, person.id)):
            continue
        rows.append(_pair(hub, manager, person, settings.cadence_for(person.team), today))
    return sorted(rows, key=lambda r: (r["next_due"] or "9999", r["manager"], r["person"]))


def _pair(hub: Hub, manager: Person, person: Person, days: int, today: dt.date) -> dict[str, Any]:
    held, planned = hub.db.execute(
        f"SELECT max(CASE WHEN day <= ? THEN day END), min(CASE WHEN day > ? THEN day END) "
        f"FROM [{CHECKINS}] WHERE manager_id = ? AND person_id = ?",
        [today.isoformat(), today.isoformat(), manager.id, person.id],
    ).fetchone()
    due: dt.date | None = None
    if days:
        if held:
            due = dt.date.fromisoformat(held) + dt.timedelta(days=days)
        else:
            # Never met: a cadence after the hire date for a newcomer, else now.
            start = person.hire_date + dt.timedelta(days=days) if person.hire_date else today
            due = max(start, today)
    return {
        "manager_id": manager.id,
        "manager": manager.name,
        "person_id": person.id,
        "person": person.name,
        "team": person.team,
        "cadence_days": days or None,
        "last": held,
        "planned": planned,
        "next_due": due.isoformat() if due else None,
        "overdue": bool(due and due < today and not planned),
    }


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """A check-in due by the cadence (to the manager, unless one is planned), and every
    open action item (to its owner), by its due date."""
    found: list[Reminder] = []
    settings = settings_of(hub)
    people = hub.people.list()
    active = {p.id: p for p in people}
    for person in people:
        manager = active.get(person.manager_id or "")
        days = settings.cadence_for(person.team)
        if manager is None or not days:
            continue
        pair = _pair(hub, manager, person, days, today)
        if pair["planned"] or not pair["next_due"]:
            continue
        found.append(
            Reminder(
                key=f"checkin-due:{manager.id}:{person.id}:{pair['next_due']}",
                person_id=manager.id,
                category=CATEGORY,
                title=DUE_TITLE,
                about=person.name,
                due=dt.date.fromisoformat(pair["next_due"]),
                escalate=False,
            )
        )
    from corehub_self_assessment.plans_migrations import ACTIONS as PLAN_ACTIONS

    # an item carried into the development plan is reminded of as a plan action
    for row in hub.db.query(
        f"SELECT a.*, c.manager_id, c.person_id FROM [{ACTIONS}] a "
        f"JOIN [{CHECKINS}] c ON c.id = a.checkin_id WHERE a.done_at IS NULL "
        f"AND a.id NOT IN (SELECT checkin_action_id FROM [{PLAN_ACTIONS}] "
        "WHERE checkin_action_id IS NOT NULL)"
    ):
        action = _action(row)
        if action.owner_id not in active:
            continue
        other = row["person_id"] if action.owner_id == row["manager_id"] else row["manager_id"]
        found.append(
            Reminder(
                key=f"checkin-action:{action.id}",
                person_id=action.owner_id,
                category=CATEGORY,
                title=ACTION_TITLE,
                about=f"{action.text} ({active[other].name if other in active else other})",
                due=action.due,
                escalate=False,
            )
        )
    return found


# -- the packet ------------------------------------------------------------------------


def period_summary(hub: Hub, person_id: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    """What a packet shows of the check-ins of a period: each held check-in (day, manager,
    whether it kept the cadence), and the action items with their state; never agenda or
    notes."""
    today = hub.clock.today()
    last_day = min(end, today)
    held = sorted(
        checkins_of(hub, person_id=person_id, start=start, end=last_day), key=lambda c: c.day
    )
    person = hub.people.find(person_id)
    days = settings_of(hub).cadence_for(person.team if person else "")
    rows = []
    previous: dt.date | None = None
    for checkin in held:
        gap = (checkin.day - previous).days if previous else None
        rows.append(
            {
                **_plain(hub, checkin, today),
                "gap_days": gap,
                "on_cadence": None if not days or gap is None else gap <= days,
            }
        )
        previous = checkin.day
    acts = [_plain_action(hub, a, last_day) for a in actions(hub, [c.id for c in held])]
    return {
        "cadence_days": days or None,
        "checkins": rows,
        "actions": acts,
        "done": sum(1 for a in acts if a["done"]),
        "open": sum(1 for a in acts if not a["done"]),
    }
