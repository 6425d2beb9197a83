"""Development plans: one living plan per person, carried from cycle to cycle.

A plan holds the person's goals (those set in their reviews, and goals added to the plan
directly), the training recommended and assigned to them (contributed by other plugins
through the ``development_plan_items`` hook: the training tracker's courses) and the
actions agreed between the person and their manager (text, owner, due date, status, the
day it was done; who added it and when).

Who may do what (:mod:`corehub.access`): the person, their managers (any level up) and HR
see the plan; the person and their direct manager add and change goals and actions. An
action's owner is the person or their manager. Nothing is deleted: an action marked done
stays, with its date, and every change is in the audit trail.

A packet reads the plan for the cycle's period: what is open at the cycle's end, and
what was done between its start and end (actions done, training completed, goals
achieved or looked back on in a review); what was done before the period is not counted.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import N_
from corehub.messages import M_, Message
from corehub.models import (
    Person,
    PlanItem,
    PlanItemStatus,
    QuestionType,
    Reminder,
    ReviewStatus,
)
from corehub_self_assessment.plans_migrations import ACTIONS, GOALS

if TYPE_CHECKING:
    from corehub import Hub

MAX_TEXT = 1_000
CATEGORY = "plans"
"""The reminders of open agreed actions (``corehub remind``)."""
REMINDER_TITLE = N_("Development plan action")
LANGUAGES = ("en", "es", "da", "sv")
LABELS = {
    "text": M_("the action's text"),
    "objective": M_("the goal's objective"),
    "result": M_("the goal's measurable result"),
    "outcome": M_("the goal's outcome"),
    "due": M_("the due date"),
    "on": M_("the day it was done"),
}
"""What each field is called in a problem about it (the field's name is its ``where``)."""


# -- who may see and change a plan ---------------------------------------------


def _person(hub: Hub, person_id: str) -> Person:
    person = hub.people.find(person_id)
    if person is None:
        raise NotFoundError(M_("no person with id %(id)r", id=person_id))
    return person


def _viewer(hub: Hub, actor: str | None) -> access.Viewer:
    """The viewer for ``actor``; the Hub's own actor (a person, or the operator) when None."""
    return access.viewer(hub, None if actor in (None, hub.actor) else actor)


def may_edit(hub: Hub, who: access.Viewer, person: Person) -> bool:
    """The person and their direct manager change the plan; HR and managers further up
    read it."""
    return who.id is not None and who.id in (person.id, person.manager_id)


def _require_edit(hub: Hub, actor: str | None, person: Person) -> access.Viewer:
    who = _viewer(hub, actor)
    access.require_see_person(hub, who, person.id)
    who.require_person(M_("changing a development plan"))
    if not may_edit(hub, who, person):
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not change %(person)s's development plan: only they and "
                "their manager can",
                actor=who.actor,
                person=person.id,
            )
        )
    return who


def owners(person: Person) -> tuple[str, ...]:
    """Who may own an action in ``person``'s plan: the person and their manager."""
    return tuple(p for p in (person.id, person.manager_id) if p)


# -- checking input ----------------------------------------------------------------


def parse_day(value: dt.date | str | None, field: str, problems: list[str]) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` (None when empty); a problem naming ``field`` otherwise."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            M_(
                "%(what)s %(value)r is not a date: give it as YYYY-MM-DD",
                what=LABELS[field],
                value=text,
                where=field,
            )
        )
        return None


def _text(value: str | None, field: str, problems: list[str], *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.append(M_("%(what)s is empty", what=LABELS[field], where=field))
    elif len(text) > MAX_TEXT:
        problems.append(
            M_(
                "%(what)s has at most %(limit)s characters",
                what=LABELS[field],
                limit=MAX_TEXT,
                where=field,
            )
        )
    return text


def _owner(hub: Hub, person: Person, owner: str | None, problems: list[str]) -> str:
    owner = (owner or "").strip() or person.id
    if owner not in owners(person):
        allowed = " or ".join(owners(person))
        problems.append(
            M_(
                "owner %(owner)r is neither %(person)s nor their manager: an agreed action "
                "is owned by %(allowed)s",
                owner=owner,
                person=person.id,
                allowed=allowed,
                where="owner",
            )
        )
    return owner


def _not_future(hub: Hub, day: dt.date | None, field: str, problems: list[str]) -> None:
    if day is not None and day > hub.clock.today():
        problems.append(
            M_("%(what)s %(day)s is in the future", what=LABELS[field], day=day, where=field)
        )


# -- actions ------------------------------------------------------------------------


def add_action(
    hub: Hub,
    person_id: str,
    text: str,
    *,
    owner: str | None = None,
    due: dt.date | str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Agree an action in ``person_id``'s plan; owned by the person unless ``owner`` is
    their manager. Every problem is reported at once and nothing is written."""
    person = _person(hub, person_id)
    with hub.atomic() as db:
        who = _require_edit(hub, actor, person)
        problems: list[str] = []
        text = _text(text, "text", problems, required=True)
        owner_id = _owner(hub, person, owner, problems)
        due_day = parse_day(due, "due", problems)
        if problems:
            raise ValidationError(
                M_("the action was not added to %(person)s's plan:", person=person.id), problems
            )
        now = hub.clock.now().isoformat()
        row = {
            "person_id": person.id,
            "text": text,
            "owner_id": owner_id,
            "due": due_day.isoformat() if due_day else None,
            "status": "open",
            "added_by": who.actor,
            "added_at": now,
        }
        action_id = int(db.table(ACTIONS).insert(row).last_pk or 0)
        hub.audit.record("plan.action_added", "plan_action", action_id, actor=who.actor, after=row)
        return action(hub, action_id)


def action(hub: Hub, action_id: int) -> dict[str, Any]:
    rows = list(hub.db.query(f"SELECT * FROM [{ACTIONS}] WHERE id = ?", [action_id]))
    if not rows:
        raise NotFoundError(M_("no agreed action #%(id)s in any development plan", id=action_id))
    return dict(rows[0])


def carry_checkin_action(
    hub: Hub, checkin_action_id: int, *, actor: str | None = None
) -> dict[str, Any]:
    """Carry an open action item of a check-in into the person's development plan: an
    agreed action with the same text, owner and due date, linked both ways (the plan
    shows the check-in it came from, the check-in the plan action it became). Done by
    the person or their direct manager; an item is carried once."""
    from corehub_self_assessment import checkins

    item = checkins.find_action(hub, checkin_action_id)
    checkin = checkins.find(hub, item.checkin_id)
    checkins.get(hub, checkin.id, actor=actor)  # refused when the check-in is not theirs to see
    person = _person(hub, checkin.person_id)
    with hub.atomic() as db:
        who = _require_edit(hub, actor, person)
        problems: list[str] = []
        carried = carried_as(hub, [checkin_action_id]).get(checkin_action_id)
        if carried is not None:
            problems.append(
                M_(
                    "it is in the development plan already, as action #%(plan)s",
                    plan=carried,
                )
            )
        if item.done:
            problems.append(M_("it is done already: only an open action item is carried"))
        owner_id = _owner(hub, person, item.owner_id, problems)
        if problems:
            raise ValidationError(
                M_(
                    "action item %(id)s of the check-in was not carried into %(person)s's plan:",
                    id=checkin_action_id,
                    person=person.id,
                ),
                problems,
            )
        row = {
            "person_id": person.id,
            "text": item.text[:MAX_TEXT],
            "owner_id": owner_id,
            "due": item.due.isoformat(),
            "status": "open",
            "added_by": who.actor,
            "added_at": hub.clock.now().isoformat(),
            "checkin_action_id": checkin_action_id,
        }
        action_id = int(db.table(ACTIONS).insert(row).last_pk or 0)
        hub.audit.record(
            "plan.action_carried", "plan_action", action_id, actor=who.actor, after=row
        )
        return action(hub, action_id)


def close_carried(hub: Hub, action_id: int, actor_id: str) -> None:
    """The check-in action item a plan action was carried from was marked done (by one of
    the two who met): the plan action is done too, today."""
    changes = {
        "status": "done",
        "done_on": hub.clock.today().isoformat(),
        "closed_by": actor_id,
        "closed_at": hub.clock.now().isoformat(),
    }
    hub.db.table(ACTIONS).update(action_id, changes)
    hub.audit.record(
        "plan.action_done",
        "plan_action",
        action_id,
        actor=actor_id,
        before={"status": "open"},
        after={**changes, "from": "check-in"},
    )


def carried_as(hub: Hub, checkin_action_ids: list[int]) -> dict[int, int]:
    """{check-in action item id: the plan action it was carried into}, for those carried."""
    if not checkin_action_ids:
        return {}
    marks = ", ".join("?" for _ in checkin_action_ids)
    return {
        int(a): int(b)
        for a, b in hub.db.execute(
            f"SELECT checkin_action_id, id FROM [{ACTIONS}] WHERE checkin_action_id IN ({marks})",
            list(checkin_action_ids),
        ).fetchall()
    }


def _action_for_edit(
    hub: Hub, action_id: int, actor: str | None
) -> tuple[dict[str, Any], Person, access.Viewer]:
    row = action(hub, action_id)
    person = _person(hub, row["person_id"])
    who = _viewer(hub, actor)
    if not access.may_see_person(hub, who, person.id):
        # not seeing the plan: the action is not theirs to know of
        raise NotFoundError(M_("no agreed action #%(id)s in any development plan", id=action_id))
    who = _require_edit(hub, actor, person)
    return row, person, who


def edit_action(
    hub: Hub,
    action_id: int,
    *,
    text: str | None = None,
    owner: str | None = None,
    due: dt.date | str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Change an open action's text, owner or due date (what is not given stays)."""
    with hub.atomic() as db:
        row, person, who = _action_for_edit(hub, action_id, actor)
        problems: list[str] = []
        if row["status"] != "open":
            problems.append(
                M_(
                    "action #%(id)s was marked done on %(day)s and is kept as it was",
                    id=action_id,
                    day=row["done_on"],
                )
            )
        changes: dict[str, Any] = {}
        if text is not None:
            changes["text"] = _text(text, "text", problems, required=True)
        if owner is not None:
            changes["owner_id"] = _owner(hub, person, owner, problems)
        if due is not None:
            day = parse_day(due, "due", problems)
            changes["due"] = day.isoformat() if day else None
        if not changes and not problems:
            problems.append(M_("nothing to change: give --text, --owner or --due"))
        if problems:
            raise ValidationError(M_("action #%(id)s was not changed:", id=action_id), problems)
        changes |= {"changed_by": who.actor, "changed_at": hub.clock.now().isoformat()}
        db.table(ACTIONS).update(action_id, changes)
        hub.audit.record(
            "plan.action_changed",
            "plan_action",
            action_id,
            actor=who.actor,
            before={k: row[k] for k in changes if k in row},
            after=changes,
        )
        return action(hub, action_id)


def action_done(
    hub: Hub,
    action_id: int,
    *,
    on: dt.date | str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Mark an action done (``on`` a day, today by default); it stays in the plan, with
    its date, and can no longer be changed."""
    with hub.atomic() as db:
        row, _, who = _action_for_edit(hub, action_id, actor)
        problems: list[str] = []
        if row["status"] != "open":
            problems.append(
                M_(
                    "action #%(id)s was already marked done on %(day)s",
                    id=action_id,
                    day=row["done_on"],
                )
            )
        day = parse_day(on, "on", problems) or hub.clock.today()
        _not_future(hub, day, "on", problems)
        if problems:
            raise ValidationError(M_("action #%(id)s was not marked done:", id=action_id), problems)
        changes = {
            "status": "done",
            "done_on": day.isoformat(),
            "closed_by": who.actor,
            "closed_at": hub.clock.now().isoformat(),
        }
        db.table(ACTIONS).update(action_id, changes)
        hub.audit.record(
            "plan.action_done",
            "plan_action",
            action_id,
            actor=who.actor,
            before={"status": "open"},
            after=changes,
        )
        if row.get("checkin_action_id"):  # the check-in's action item it came from is done too
            from corehub_self_assessment import checkins

            checkins.mark_carried_done(hub, int(row["checkin_action_id"]), who.actor)
        return action(hub, action_id)


# -- goals --------------------------------------------------------------------------


def add_goal(
    hub: Hub,
    person_id: str,
    objective: str,
    *,
    result: str = "",
    due: dt.date | str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Add a goal to the plan directly (goals set in reviews are in it already)."""
    person = _person(hub, person_id)
    with hub.atomic() as db:
        who = _require_edit(hub, actor, person)
        problems: list[str] = []
        objective = _text(objective, "objective", problems, required=True)
        result = _text(result, "result", problems, required=False)
        due_day = parse_day(due, "due", problems)
        if problems:
            raise ValidationError(
                M_("the goal was not added to %(person)s's plan:", person=person.id), problems
            )
        row = {
            "person_id": person.id,
            "objective": objective,
            "result": result,
            "due": due_day.isoformat() if due_day else None,
            "status": "open",
            "added_by": who.actor,
            "added_at": hub.clock.now().isoformat(),
        }
        goal_id = int(db.table(GOALS).insert(row).last_pk or 0)
        hub.audit.record("plan.goal_added", "plan_goal", goal_id, actor=who.actor, after=row)
        return goal(hub, goal_id)


def goal(hub: Hub, goal_id: int) -> dict[str, Any]:
    rows = list(hub.db.query(f"SELECT * FROM [{GOALS}] WHERE id = ?", [goal_id]))
    if not rows:
        raise NotFoundError(M_("no goal #%(id)s in any development plan", id=goal_id))
    return dict(rows[0])


def goal_achieved(
    hub: Hub,
    goal_id: int,
    *,
    outcome: str = "",
    on: dt.date | str | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Record that a plan goal was achieved (``on`` a day, today by default), with what
    came of it."""
    with hub.atomic() as db:
        row = goal(hub, goal_id)
        person = _person(hub, row["person_id"])
        if not access.may_see_person(hub, _viewer(hub, actor), person.id):
            raise NotFoundError(M_("no goal #%(id)s in any development plan", id=goal_id))
        who = _require_edit(hub, actor, person)
        problems: list[str] = []
        if row["status"] != "open":
            problems.append(
                M_("goal #%(id)s was already achieved on %(day)s", id=goal_id, day=row["done_on"])
            )
        outcome = _text(outcome, "outcome", problems, required=False)
        day = parse_day(on, "on", problems) or hub.clock.today()
        _not_future(hub, day, "on", problems)
        if problems:
            raise ValidationError(M_("goal #%(id)s was not marked achieved:", id=goal_id), problems)
        changes = {
            "status": "achieved",
            "outcome": outcome,
            "done_on": day.isoformat(),
            "closed_by": who.actor,
            "closed_at": hub.clock.now().isoformat(),
        }
        db.table(GOALS).update(goal_id, changes)
        hub.audit.record(
            "plan.goal_achieved",
            "plan_goal",
            goal_id,
            actor=who.actor,
            before={"status": "open"},
            after=changes,
        )
        return goal(hub, goal_id)


# -- reading the plan ---------------------------------------------------------------


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def review_goals(
    hub: Hub, person_id: str, reader: str | None, end: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The goals set in the person's most recent review that set any (manager's first),
    and every goal looked back on (an outcome recorded), as ``reader`` may see them."""
    from corehub_self_assessment import reviews

    set_goals: list[dict[str, Any]] = []
    looked_back: list[dict[str, Any]] = []
    latest: tuple[Any, ...] | None = None
    for stored in reviews.stored_reviews(hub, person_id=person_id):
        review = stored.review
        if review.status is ReviewStatus.DRAFT or review.submitted_at is None:
            continue
        submitted = review.submitted_at.date()
        if submitted > end or not reviews.can_see(hub, review, reader):
            continue
        cycle = hub.cycles.get(review.cycle_id)
        for _, question in review.form.questions():
            if QuestionType(question.type) is not QuestionType.GOALS:
                continue
            for entry in review.answers.get(question.id) or []:
                row = {
                    "cycle": cycle.name,
                    "review": review.kind.value,
                    "objective": entry.get("objective", ""),
                    "result": entry.get("result", ""),
                    "due": entry.get("due") or None,
                    "outcome": entry.get("outcome") or "",
                    "on": submitted.isoformat(),
                }
                if question.review_of:
                    if row["outcome"]:
                        looked_back.append(row)
                    continue
                rank = (cycle.end, review.kind.value == "manager", review.id)
                if latest is None or rank > latest:
                    latest, set_goals = rank, []
                if rank == latest:
                    set_goals.append(row)
    outcomes = {g["objective"]: g for g in looked_back}
    for row in set_goals:
        later = outcomes.get(row["objective"])
        if later and later["on"] >= row["on"]:
            row["outcome"], row["outcome_on"] = later["outcome"], later["on"]
    return set_goals, looked_back


def contributed(hub: Hub, person: Person, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The items other plugins add (training), as plain data."""
    items: list[dict[str, Any]] = []
    for plugin, result in hub.hook.development_plan_items.collect(
        hub=hub, person=person, start=start, end=end
    ):
        for item in result or []:
            if not isinstance(item, PlanItem):
                from corehub.errors import PluginError

                raise PluginError(
                    f"plugin {plugin!r}: development_plan_items must return PlanItem records",
                    plugin=plugin,
                )
            if item.status is PlanItemStatus.DONE and (
                item.done_on is None or not start <= item.done_on <= end
            ):
                continue
            plain = hub.unstructure(item)
            plain["source"] = item.source or plugin
            items.append(plain)
    order = {s: i for i, s in enumerate(("overdue", "open", "recommended", "done"))}
    items.sort(
        key=lambda i: (i["kind"], order.get(i["status"], 9), i.get("due") or "9999", i["title"])
    )
    return items


class _Names:
    """People's names looked up as they are asked for: a plan names a handful of people,
    so the organization is never read whole."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.known: dict[str, str | None] = {}

    def get(self, person_id: str | None, default: str | None = None) -> str | None:
        if not person_id:
            return default
        if person_id not in self.known:
            self.known[person_id] = self.hub.people.names([person_id]).get(person_id)
        return self.known[person_id] or default


def _names(hub: Hub) -> _Names:
    return _Names(hub)


def show(
    hub: Hub,
    person_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """``person_id``'s plan as ``actor`` may see it, as plain data.

    Without a period it is read as of today and "done" covers everything done; with one
    (a cycle's ``start``, and the day it describes: ``hub.cycles.as_of(cycle)``) it is
    the plan on ``end`` and ``done_in_period`` counts only what was done between
    ``start`` and ``end``.
    """
    person = _person(hub, person_id)
    who = _viewer(hub, actor)
    access.require_see_person(hub, who, person.id)
    today = hub.clock.today()
    end = end or today
    start = start or dt.date.min
    names = _names(hub)

    def in_period(day: str | None) -> bool:
        found = _day(day)
        return found is not None and start <= found <= end

    actions = []
    for row in hub.db.query(
        f"SELECT * FROM [{ACTIONS}] WHERE person_id = ? ORDER BY id", [person.id]
    ):
        if _day(row["added_at"]) and _day(row["added_at"]) > end:  # type: ignore[operator]
            continue
        done = row["status"] == "done" and _day(row["done_on"]) is not None
        if done and _day(row["done_on"]) > end:  # type: ignore[operator]
            done = False
        status = "done" if done else "open"
        if status == "open" and row["due"] and _day(row["due"]) < end:  # type: ignore[operator]
            status = "overdue"
        actions.append(
            {
                "id": row["id"],
                "text": row["text"],
                "owner": row["owner_id"],
                "owner_name": names.get(row["owner_id"], row["owner_id"]),
                "due": row["due"],
                "status": status,
                "done_on": row["done_on"] if done else None,
                "added_by": row["added_by"],
                "added_by_name": names.get(row["added_by"], row["added_by"]),
                "added_on": row["added_at"][:10],
                "in_period": done and in_period(row["done_on"]),
                "checkin_action_id": row["checkin_action_id"],
                "checkin_id": None,
                "checkin_day": None,
            }
        )
    _from_checkins(hub, actions)
    goals = []
    for row in hub.db.query(
        f"SELECT * FROM [{GOALS}] WHERE person_id = ? ORDER BY id", [person.id]
    ):
        if _day(row["added_at"]) and _day(row["added_at"]) > end:  # type: ignore[operator]
            continue
        achieved = row["status"] == "achieved" and _day(row["done_on"]) <= end  # type: ignore[operator]
        goals.append(
            {
                "id": row["id"],
                "objective": row["objective"],
                "result": row["result"],
                "due": row["due"],
                "status": "achieved" if achieved else "open",
                "outcome": row["outcome"] if achieved else "",
                "done_on": row["done_on"] if achieved else None,
                "added_by": row["added_by"],
                "added_by_name": names.get(row["added_by"], row["added_by"]),
                "added_on": row["added_at"][:10],
                "in_period": achieved and in_period(row["done_on"]),
                "source": "plan",
            }
        )
    from_reviews, looked_back = review_goals(hub, person.id, who.actor, end)
    items = contributed(hub, person, start, end)

    def by_day(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: str(r.get("done_on") or r.get("on") or ""))

    done_in_period = {
        "actions": by_day([a for a in actions if a["in_period"]]),
        "training": by_day([i for i in items if i["kind"] == "training" and i["status"] == "done"]),
        "other": by_day([i for i in items if i["kind"] != "training" and i["status"] == "done"]),
        "goals": by_day(
            [g for g in goals if g["in_period"]] + [g for g in looked_back if in_period(g["on"])]
        ),
    }
    return {
        "person": {
            "id": person.id,
            "name": person.name,
            "manager": person.manager_id,
            "manager_name": names.get(person.manager_id or "", person.manager_id),
        },
        "period": {
            "start": None if start == dt.date.min else start.isoformat(),
            "end": end.isoformat(),
        },
        "may_edit": may_edit(hub, who, person),
        "owners": [{"id": o, "name": names.get(o, o)} for o in owners(person)],
        "goals": goals,
        "review_goals": from_reviews,
        "items": [i for i in items if i["status"] != "done"],
        "actions": actions,
        "done_in_period": done_in_period,
    }


def _from_checkins(hub: Hub, actions: list[dict[str, Any]]) -> None:
    """Each action carried from a check-in: the check-in's number and day (the link back)."""
    from corehub_self_assessment.checkins_storage import ACTIONS as CHECKIN_ACTIONS
    from corehub_self_assessment.checkins_storage import CHECKINS

    ids = [a["checkin_action_id"] for a in actions if a["checkin_action_id"]]
    if not ids:
        return
    marks = ", ".join("?" for _ in ids)
    found = {
        row[0]: (row[1], row[2])
        for row in hub.db.execute(
            f"SELECT a.id, c.id, c.day FROM [{CHECKIN_ACTIONS}] AS a "
            f"JOIN [{CHECKINS}] AS c ON c.id = a.checkin_id WHERE a.id IN ({marks})",
            ids,
        ).fetchall()
    }
    for entry in actions:
        if entry["checkin_action_id"] in found:
            entry["checkin_id"], entry["checkin_day"] = found[entry["checkin_action_id"]]


def is_empty(plan: dict[str, Any]) -> bool:
    return not (
        plan["goals"]
        or plan["review_goals"]
        or plan["items"]
        or plan["actions"]
        or any(plan["done_in_period"].values())
    )


def problem_fields(problems: list[Message | str]) -> dict[str, list[str]]:
    """Problems by the field their ``where`` names (for the web form)."""
    fields: dict[str, list[str]] = {}
    for problem in problems:
        where = getattr(problem, "where", None) or ""
        fields.setdefault(where, []).append(problem)
    return fields


# -- reminders ------------------------------------------------------------------------


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """Every open agreed action with a due date reminds its owner, in their language;
    once it is late the escalation ladder of ``[reminders]`` tells the owner's manager
    (the plan's manager, for an action the person owns), then HR. Read in one query."""
    from corehub import i18n

    title = {
        code: i18n.translator(hub, code).gettext(REMINDER_TITLE, domain="corehub_self_assessment")
        for code in LANGUAGES
    }
    found = []
    for row in hub.db.query(
        f"SELECT a.id, a.text, a.due, a.owner_id, a.person_id, p.name AS person "
        f"FROM [{ACTIONS}] AS a JOIN people AS p ON p.id = a.person_id "
        "JOIN people AS o ON o.id = a.owner_id "
        "WHERE a.status = 'open' AND a.due IS NOT NULL AND p.active = 1 AND o.active = 1"
    ):
        about = (
            row["text"]
            if row["owner_id"] == row["person_id"]
            else (f"{row['text']} ({row['person']})")
        )
        found.append(
            Reminder(
                key=f"plan-action:{row['id']}",
                person_id=row["owner_id"],
                category=CATEGORY,
                title=title,
                about=about,
                due=dt.date.fromisoformat(row["due"]),
            )
        )
    return found
