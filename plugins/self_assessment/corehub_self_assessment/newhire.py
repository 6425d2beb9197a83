"""New-hire reviews: short reviews some days after a person's hire date.

The rule is ``[settings.new_hire]`` in corehub.toml (``days = [30, 60, 90]``, ``form =
"new_hire"``); with no days it is off. For each milestone a person gets two short reviews
on the new-hire form: their own part (``self``) and their manager's (``manager``), both
due on the hire date plus the milestone's days.

They are created:

- when a person is added with a hire date, or their hire date is set or changed (the
  ``person_hired`` hook, in the same transaction as the import);
- by ``corehub newhire sync``, for the people already present when the rule is turned on
  or changed.

Either way only milestones still ahead, or due at most ``recent_days`` ago (14 by
default), are created: someone hired a year ago gets none, someone hired 40 days ago
gets the 60- and 90-day reviews. Creating is idempotent: a milestone that exists (filled
or not) is never created twice, and a milestone removed from the rule later is kept.

Who sees what follows the reviews of a cycle: a draft is its author's only; once
submitted, the person's part is seen by their managers and HR, and the manager's part by
the person too (there is no release step in a short review).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import (
    ConfigError,
    FrozenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from corehub.i18n import N_
from corehub.loaders import dumps, loads
from corehub.messages import M_, Message, Named
from corehub.models import ExtraTask, Form, Person, Reminder, ReviewKind
from corehub_self_assessment.answers import normalise_answers, submit_problems
from corehub_self_assessment.checkins_storage import NEW_HIRE
from corehub_self_assessment.settings import NEW_HIRE as SETTINGS_NAME
from corehub_self_assessment.settings import NewHireSettings
from corehub_self_assessment.storage import form_from_json

if TYPE_CHECKING:
    from corehub import Hub

CATEGORY = "new_hire"
TASK_GROUP = N_("New-hire reviews")
RECENT_DONE_DAYS = 30
"""A part submitted this many days ago or less still shows on "My tasks", as done."""
TITLES = {
    ReviewKind.SELF: N_("New-hire review, %(days)s days: your part"),
    ReviewKind.MANAGER: N_("New-hire review, %(days)s days"),
}
LANGUAGES = ("en", "es", "da", "sv")


@attrs.frozen(kw_only=True)
class NewHireReview:
    id: int
    person_id: str
    day: int
    """The milestone: days after the hire date."""
    due: dt.date
    kind: ReviewKind
    author_id: str
    form: Form
    answers: dict[str, Any]
    status: str
    """``draft`` or ``submitted``."""
    submitted_at: dt.datetime | None = None

    @property
    def submitted(self) -> bool:
        return self.status == "submitted"


def settings_of(hub: Hub) -> NewHireSettings:
    settings: NewHireSettings = hub.settings(SETTINGS_NAME)
    return settings


def named(hub: Hub, person_id: str | None) -> Named:
    found = hub.people.find(person_id) if person_id else None
    return Named(person_id or "", found.name if found is not None else person_id or "")


def rule_form(hub: Hub) -> Form:
    """The form the rule names; a ConfigError naming the setting when there is none."""
    from corehub_self_assessment.forms import all_forms

    wanted = settings_of(hub).form
    found = all_forms(hub)
    if wanted not in found:
        raise ConfigError(
            f"{hub.config_path}, [settings.new_hire] form: no form {wanted!r} "
            f"(forms: {', '.join(found) or 'none'})"
        )
    return found[wanted]


def _review(row: Mapping[str, Any]) -> NewHireReview:
    return NewHireReview(
        id=row["id"],
        person_id=row["person_id"],
        day=int(row["day"]),
        due=dt.date.fromisoformat(row["due"]),
        kind=ReviewKind(row["kind"]),
        author_id=row["author_id"],
        form=form_from_json(row["form"]),
        answers=loads(row["answers"]) or {},
        status=row["status"],
        submitted_at=dt.datetime.fromisoformat(row["submitted_at"])
        if row["submitted_at"]
        else None,
    )


# -- creating ----------------------------------------------------------------------------


def milestones(hub: Hub, person: Person, today: dt.date) -> list[tuple[int, dt.date]]:
    """The milestones of the rule ``person`` gets: still ahead, or recent enough."""
    settings = settings_of(hub)
    if person.hire_date is None or not person.active:
        return []
    oldest = today - dt.timedelta(days=settings.recent_days)
    found = []
    for day in settings.days:
        due = person.hire_date + dt.timedelta(days=day)
        if due >= oldest:
            found.append((day, due))
    return found


def sync(
    hub: Hub, people: Iterable[Person] | None = None, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Create the new-hire reviews the rule asks for that do not exist yet (all people,
    or ``people``) as of ``today`` (the Hub's clock); one transaction. Returns what was
    created."""
    settings = settings_of(hub)
    if not settings.days:
        return []
    form = rule_form(hub)
    form_json = dumps(hub.unstructure(form))
    today = today or hub.clock.today()
    now = hub.clock.now().isoformat()
    created: list[dict[str, Any]] = []
    with hub.atomic():
        for person in people if people is not None else hub.people.list():
            wanted = milestones(hub, person, today)
            if not wanted:
                continue
            manager = hub.people.find(person.manager_id) if person.manager_id else None
            authors = {ReviewKind.SELF: person.id}
            if manager is not None and manager.active:
                authors[ReviewKind.MANAGER] = manager.id
            have = {
                (r["day"], r["kind"])
                for r in hub.db.query(
                    f"SELECT day, kind FROM [{NEW_HIRE}] WHERE person_id = ?", [person.id]
                )
            }
            for day, due in wanted:
                for kind, author in authors.items():
                    if (day, kind.value) in have:
                        continue
                    hub.db.table(NEW_HIRE).insert(
                        {
                            "person_id": person.id,
                            "day": day,
                            "due": due.isoformat(),
                            "kind": kind.value,
                            "author_id": author,
                            "form_id": form.id,
                            "form": form_json,
                            "answers": "{}",
                            "status": "draft",
                            "created_at": now,
                        }
                    )
                    created.append(
                        {
                            "person_id": person.id,
                            "day": day,
                            "due": due.isoformat(),
                            "kind": kind.value,
                            "author_id": author,
                        }
                    )
        if created:
            hub.audit.record(
                "new_hire.created",
                "person",
                ",".join(sorted({c["person_id"] for c in created})),
                after={"created": created},
            )
    return created


# -- reading -----------------------------------------------------------------------------


def stored(
    hub: Hub,
    *,
    person_id: str | None = None,
    author_or_about: tuple[str, Iterable[str]] | None = None,
) -> list[NewHireReview]:
    """Stored new-hire review parts, without visibility checks: of ``person_id``, or
    (``author_or_about=(author, people)``) those the author writes or about those people."""
    sql, params = f"SELECT * FROM [{NEW_HIRE}]", []
    if person_id:
        sql += " WHERE person_id = ?"
        params.append(person_id)
    elif author_or_about is not None:
        author, about = author_or_about
        sql += " WHERE author_id = ? OR person_id IN (SELECT value FROM json_each(?))"
        params.extend([author, json.dumps(sorted(set(about)))])
    return [_review(r) for r in hub.db.query(sql + " ORDER BY due, person_id, kind", params)]


def can_see(hub: Hub, review: NewHireReview, actor: str | None = None) -> bool:
    """A draft: its author only. Submitted: the author, and whoever may see the person."""
    who = access.viewer(hub, actor)
    if who.id == review.author_id:
        return True
    return review.submitted and access.may_see_person(hub, who, review.person_id)


def find(hub: Hub, person_id: str, day: int, kind: ReviewKind | str) -> NewHireReview:
    rows = list(
        hub.db.query(
            f"SELECT * FROM [{NEW_HIRE}] WHERE person_id = ? AND day = ? AND kind = ?",
            [person_id, int(day), ReviewKind(kind).value],
        )
    )
    if not rows:
        raise NotFoundError(
            M_(
                "%(person)s has no %(days)s-day new-hire review",
                person=named(hub, person_id),
                days=day,
                hint="see: corehub newhire status",
            )
        )
    return _review(rows[0])


def find_by_id(hub: Hub, review_id: int) -> NewHireReview:
    rows = list(hub.db.query(f"SELECT * FROM [{NEW_HIRE}] WHERE id = ?", [review_id]))
    if not rows:
        raise NotFoundError(M_("no new-hire review %(id)s", id=review_id))
    return _review(rows[0])


def get(
    hub: Hub, person_id: str, day: int, kind: ReviewKind | str, *, actor: str | None = None
) -> NewHireReview:
    review = find(hub, person_id, day, kind)
    require_see(hub, review, actor)
    return review


def require_see(hub: Hub, review: NewHireReview, actor: str | None = None) -> None:
    if can_see(hub, review, actor):
        return
    who = access.viewer(hub, actor)
    if not review.submitted and (
        who.id == review.person_id or access.may_see_person(hub, who, review.person_id)
    ):
        raise PermissionDeniedError(
            M_(
                "%(person)s's %(days)s-day new-hire review is not submitted yet; until then "
                "only its author sees it",
                person=named(hub, review.person_id),
                days=review.day,
            )
        )
    raise PermissionDeniedError(
        M_(
            "%(actor)s may not see %(person)s's data: only they, their managers and HR can",
            actor=who.actor,
            person=review.person_id,
        )
    )


def status(hub: Hub, *, actor: str | None = None) -> list[dict[str, Any]]:
    """One row per milestone of every person the actor may see (or is the manager part's
    author of): due date, whether each part is submitted, and whether it is late."""
    who = access.viewer(hub, actor)
    today = hub.clock.today()
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for review in stored(hub):
        if not (who.id == review.author_id or access.may_see_person(hub, who, review.person_id)):
            continue
        person = hub.people.find(review.person_id)
        row = rows.setdefault(
            (review.person_id, review.day),
            {
                "person_id": review.person_id,
                "person": person.name if person else review.person_id,
                "day": review.day,
                "due": review.due.isoformat(),
                "self": None,
                "manager": None,
                "manager_id": None,
                "overdue": False,
            },
        )
        row[review.kind.value] = review.status
        if review.kind is ReviewKind.MANAGER:
            row["manager_id"] = review.author_id
        if not review.submitted and review.due < today:
            row["overdue"] = True
    return sorted(rows.values(), key=lambda r: (r["due"], r["person"], r["day"]))


# -- filling -----------------------------------------------------------------------------


def save(
    hub: Hub,
    person_id: str,
    day: int,
    kind: ReviewKind | str,
    raw: Mapping[str, Any],
    *,
    submit: bool = False,
    replace: bool = False,
    where: str = "answers",
    actor: str | None = None,
) -> NewHireReview:
    """Save the answers of one part (its author only, while a draft); with ``submit``,
    submit it too, when everything required is answered. ``raw`` adds to the saved
    answers (an empty answer clears one), or with ``replace`` is all of them. Every
    problem is reported at once; nothing is stored when there is one."""
    review = find(hub, person_id, day, kind)
    who = access.viewer(hub, actor)
    me = who.require_person(M_("filling in a new-hire review"))
    if me.id != review.author_id:
        raise PermissionDeniedError(
            M_(
                "%(actor)s may not fill in this part of %(person)s's new-hire review: "
                "it is %(author)s's to fill in",
                actor=named(hub, me.id),
                person=named(hub, review.person_id),
                author=named(hub, review.author_id),
            )
        )
    if review.submitted:
        raise FrozenError(
            M_(
                "%(person)s's %(days)s-day new-hire review is submitted; it is kept as given",
                person=named(hub, review.person_id),
                days=review.day,
            )
        )
    merged = dict(raw) if replace else {**review.answers, **dict(raw)}
    merged = {k: v for k, v in merged.items() if v not in (None, "", [])}
    answers, problems = normalise_answers(review.form, review.kind, merged, where=where)
    if submit and not problems:
        problems = submit_problems(review.form, review.kind, answers)
    if problems:
        raise ValidationError(
            M_("the new-hire review was not saved:")
            if not submit
            else M_("the new-hire review was not submitted:"),
            problems,
        )
    now = hub.clock.now().isoformat()
    with hub.atomic():
        hub.db.table(NEW_HIRE).update(review.id, {"answers": dumps(answers), "updated_at": now})
        if submit:
            hub.db.table(NEW_HIRE).update(review.id, {"status": "submitted", "submitted_at": now})
            hub.audit.record(
                "new_hire.submitted",
                "new_hire_review",
                review.id,
                after={"person": review.person_id, "day": review.day, "kind": review.kind.value},
            )
    return find_by_id(hub, review.id)


def problems_of(review: NewHireReview) -> list[Message]:
    return submit_problems(review.form, review.kind, review.answers)


# -- reminders ---------------------------------------------------------------------------


def title(hub: Hub, kind: ReviewKind, days: int) -> dict[str, str]:
    """The reminder's title in every language corehub ships (the recipient's is used)."""
    from corehub import i18n

    return {
        code: i18n.translator(hub, code).gettext(TITLES[kind], domain="corehub_self_assessment")
        % {"days": days}
        for code in LANGUAGES
    }


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """Every part not submitted yet reminds its author, by the milestone's due date."""
    found = []
    names = {p.id: p.name for p in hub.people.list(include_inactive=True)}
    active = {p.id for p in hub.people.list()}
    for review in stored(hub):
        if review.submitted or review.author_id not in active:
            continue
        found.append(
            Reminder(
                key=f"new-hire:{review.id}",
                person_id=review.author_id,
                category=CATEGORY,
                title=title(hub, review.kind, review.day),
                about=names.get(review.person_id, review.person_id)
                if review.kind is ReviewKind.MANAGER
                else "",
                due=review.due,
            )
        )
    return found


def tasks_of(hub: Hub, person_id: str, today: dt.date) -> list[ExtraTask]:
    """The parts ``person_id`` writes (their own, and the manager's parts of the people
    they manage): the open ones, and the ones submitted in the last RECENT_DONE_DAYS days,
    for their "My tasks" page. Reads that person's rows only."""
    since = (today - dt.timedelta(days=RECENT_DONE_DAYS)).isoformat()
    rows = hub.db.execute(
        f"SELECT r.id, r.person_id, r.day, r.due, r.kind, r.status, p.name "
        f"FROM [{NEW_HIRE}] AS r LEFT JOIN people AS p ON p.id = r.person_id "
        "WHERE r.author_id = ? AND (r.status != 'submitted' OR r.submitted_at >= ?) "
        "ORDER BY r.due, r.person_id, r.kind",
        [person_id, since],
    ).fetchall()
    return [
        ExtraTask(
            key=f"new-hire:{review_id}",
            group=TASK_GROUP,
            title=title(hub, ReviewKind(kind), int(day)),
            due=dt.date.fromisoformat(due),
            about="" if subject == person_id else (name or subject),
            done=status == "submitted",
            endpoint="self_assessment_checkins.new_hire",
            values={"review_id": review_id},
            domain="corehub_self_assessment",
        )
        for review_id, subject, day, due, kind, status, name in rows
    ]
