"""Reviews: the library the command line and the web app share.

Every function takes the acting person (``actor``, default ``hub.actor``) and enforces who
may see and do what:

- a draft is seen by its author only;
- the self-assessment is seen by the person, and by their managers and HR once submitted;
- the manager's review is seen by the person only once the manager releases it;
- the manager's private note is never shown to the person reviewed; it belongs to its
  author and HR, and a new manager does not inherit the notes of past cycles;
- only the author fills in and submits a review; only the person acknowledges and
  comments (their manager may answer a comment); reopening a submitted review is a
  manager's (or HR's) action with a reason, kept in the audit trail.

An actor who is not a person of the organization (the operator at the terminal,
``cli:<user>``) reads like HR but cannot write reviews: pass ``--as PERSON``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access
from corehub.errors import (
    CorehubError,
    FrozenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from corehub.loaders import dumps, loads
from corehub.messages import M_, N_, Message, Named
from corehub.models import (
    Cycle,
    Person,
    Review,
    ReviewKind,
    ReviewScore,
    ReviewStatus,
    TaskSpec,
    TaskStatus,
    converter,
)
from corehub_self_assessment import calibration_scopes, forms
from corehub_self_assessment.answers import normalise_answers
from corehub_self_assessment.scoring import score, score_with_source
from corehub_self_assessment.storage import (
    COMMENTS,
    REVIEWS,
    Comment,
    StoredReview,
    to_comment,
    to_stored,
)

if TYPE_CHECKING:
    from corehub import Hub

PLUGIN = "self_assessment"
MAX_COMMENT = 5_000
VISIBLE_TO_SUBJECT = (ReviewStatus.RELEASED, ReviewStatus.ACKNOWLEDGED)


class VersionConflictError(CorehubError):
    """A draft changed since the answers being saved were loaded."""


# -- who is asking -------------------------------------------------------------


@attrs.frozen
class Relation:
    """How the actor stands to one review."""

    actor: str
    is_person: bool
    author: bool
    subject: bool
    manager: bool
    """A manager of the person reviewed (direct or further up)."""
    hr: bool

    @property
    def oversees(self) -> bool:
        """HR, the operator at the terminal, or a manager of the person reviewed."""
        return self.hr or not self.is_person or self.manager


def relation(hub: Hub, review: Review, actor: str | None = None) -> Relation:
    who = actor or hub.actor
    is_person = hub.people.find(who) is not None
    return Relation(
        actor=who,
        is_person=is_person,
        author=who == review.author_id,
        subject=who == review.subject_id,
        manager=is_person
        and who != review.subject_id
        and access.manages(hub, who, review.subject_id),
        hr=who in hub.config.organization.hr,
    )


def can_see(hub: Hub, review: Review, actor: str | None = None) -> bool:
    """Whether ``actor`` may read ``review``'s answers."""
    rel = relation(hub, review, actor)
    if rel.author:
        return True
    if review.status is ReviewStatus.DRAFT:
        return False
    if rel.subject:
        return review.kind is ReviewKind.SELF or review.status in VISIBLE_TO_SUBJECT
    return rel.oversees


def can_see_private_note(hub: Hub, review: Review, actor: str | None = None) -> bool:
    """The private note belongs to its author and HR (once submitted); never the person.

    It does not follow the org chart: a new manager, or one further up, does not read the
    notes their predecessor wrote (:func:`corehub.access.may_see_private_note`).
    """
    rel = relation(hub, review, actor)
    if rel.subject:
        return False
    if rel.author:
        return True
    if review.status is ReviewStatus.DRAFT:
        return False
    # The operator at the terminal (not a person) reads like HR.
    return not rel.is_person or access.may_see_private_note(hub, rel.actor, review.author_id)


def _refusal(hub: Hub, stored: StoredReview, actor: str | None) -> PermissionDeniedError:
    review = stored.review
    rel = relation(hub, review, actor)
    what = describe(hub, review)
    if review.status is ReviewStatus.DRAFT and (rel.subject or rel.oversees):
        return PermissionDeniedError(
            M_("%(review)s is not submitted yet; until then only its author sees it", review=what)
        )
    if rel.subject and review.kind is ReviewKind.MANAGER:
        return PermissionDeniedError(
            M_(
                "%(review)s is not released yet; your manager releases it when it is ready",
                review=what,
            )
        )
    return PermissionDeniedError(
        M_("%(actor)s may not see %(review)s", actor=named(hub, rel.actor), review=what)
    )


def describe(hub: Hub, review: Review) -> Message:
    """``mad-01's self-assessment`` / ``the manager's review of mad-01``: a str (English, as
    the CLI prints it) that a message made with ``M_`` translates with the rest."""
    person = named(hub, review.subject_id)
    if review.kind is ReviewKind.SELF:
        return M_("%(person)s's self-assessment", person=person)
    return M_("the manager's review of %(person)s", person=person)


def named(hub: Hub, person_id: str | None) -> Named:
    """A person inside a message: their id on the command line, their name on a page."""
    found = hub.people.find(person_id) if person_id else None
    return Named(person_id or "", found.name if found is not None else person_id or "")


# -- reading -------------------------------------------------------------------


def resolve_cycle(hub: Hub, cycle: Cycle | str | int) -> Cycle:
    return hub.cycles.get(cycle.id if isinstance(cycle, Cycle) else cycle)


def find(
    hub: Hub, cycle: Cycle | str | int, person_id: str, kind: ReviewKind | str
) -> StoredReview:
    """The stored review, without any visibility check (for the plugin's own use)."""
    cycle = resolve_cycle(hub, cycle)
    kind = _kind(kind)
    rows = list(
        hub.db.query(
            f"SELECT * FROM [{REVIEWS}] WHERE cycle_id = ? AND subject_id = ? AND kind = ?",
            [cycle.id, person_id, kind.value],
        )
    )
    if rows:
        return to_stored(rows[0])
    member = hub.cycles.is_member(cycle, person_id)
    hub.people.get(person_id)  # NotFoundError: no person with that id
    if not member:
        raise NotFoundError(
            M_(
                "%(person)s is not in cycle %(cycle)r",
                person=named(hub, person_id),
                cycle=cycle.name,
            )
        )
    if kind is ReviewKind.MANAGER:
        raise NotFoundError(
            M_(
                "%(person)s has no manager review in cycle %(cycle)r (no manager)",
                person=named(hub, person_id),
                cycle=cycle.name,
            )
        )
    raise NotFoundError(
        M_(
            "%(person)s has no self review in cycle %(cycle)r",
            person=named(hub, person_id),
            cycle=cycle.name,
            hint="was the self_assessment plugin installed after the cycle opened?",
        )
    )


def get(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    *,
    actor: str | None = None,
) -> Review:
    """The review, if ``actor`` may see it (PermissionDeniedError otherwise)."""
    stored = find(hub, cycle, person_id, kind)
    if not can_see(hub, stored.review, actor):
        raise _refusal(hub, stored, actor)
    return stored.review


def private_note(hub: Hub, review: Review, *, actor: str | None = None) -> str | None:
    """The manager's private note, or None when ``actor`` may not see it."""
    if not can_see_private_note(hub, review, actor):
        return None
    row = hub.db.table(REVIEWS).get(review.id)
    return str(row["private_note"] or "")


def comments(hub: Hub, review: Review, *, actor: str | None = None) -> list[Comment]:
    if not can_see(hub, review, actor):
        return []
    rows = hub.db.table(COMMENTS).rows_where("review_id = ?", [review.id], order_by="id")
    return [to_comment(row) for row in rows]


def stored_reviews(
    hub: Hub,
    cycle: Cycle | str | int | None = None,
    *,
    person_id: str | None = None,
    involving: str | None = None,
) -> list[StoredReview]:
    """Every stored review (no visibility check), optionally of one cycle or person, or
    only those ``involving`` a person as their subject or their author."""
    where: list[str] = []
    params: list[Any] = []
    if cycle is not None:
        # "+": with ``involving``, found by the subject and author indexes, not the cycle's
        where.append("+cycle_id = ?" if involving is not None else "cycle_id = ?")
        params.append(resolve_cycle(hub, cycle).id)
    if person_id is not None:
        where.append("subject_id = ?")
        params.append(person_id)
    if involving is not None:
        where.append(
            f"id IN (SELECT id FROM {REVIEWS} WHERE subject_id = ? "
            f"UNION ALL SELECT id FROM {REVIEWS} WHERE author_id = ?)"
        )
        params += [involving, involving]
    rows = hub.db.table(REVIEWS).rows_where(
        " AND ".join(where) or None, params, order_by="cycle_id, subject_id, kind"
    )
    return [to_stored(row) for row in rows]


def listing(
    hub: Hub,
    cycle: Cycle | str | int,
    *,
    actor: str | None = None,
    person_id: str | None = None,
    own_only: bool = False,
) -> list[dict[str, Any]]:
    """The reviews of a cycle ``actor`` is concerned with, and their status as they may see it.

    With ``own_only``, only the reviews about the actor and those they write (read by an
    index, not by going through the cycle's reviews): what "Reviews" shows them.
    """
    today = hub.clock.today()
    rows = []
    cycle = resolve_cycle(hub, cycle)
    involving = (actor or hub.actor) if own_only else None
    for stored in stored_reviews(hub, cycle, person_id=person_id, involving=involving):
        review = stored.review
        rel = relation(hub, review, actor)
        if not (rel.author or rel.subject or rel.oversees):
            continue
        status = review.status.value
        if rel.subject and not rel.author and not can_see(hub, review, actor):
            status = "in progress"
        due = cycle.due_for(review.kind.value)
        rows.append(
            {
                "id": review.id,
                "person": review.subject_id,
                "kind": review.kind.value,
                "author": review.author_id,
                "form": review.form.id,
                "status": status,
                "due": due.isoformat(),
                "overdue": review.status is ReviewStatus.DRAFT and today > due,
                "visible": can_see(hub, review, actor),
                "available": _is_available(hub, cycle, review),
            }
        )
    return rows


def _is_available(hub: Hub, cycle: Cycle, review: Review) -> bool:
    """False for a manager's review that cannot be filled in yet (see _require_available)."""
    try:
        _require_available(hub, cycle, review)
    except PermissionDeniedError:
        return False
    return True


# -- enrolment -----------------------------------------------------------------


def enrolment_tasks(hub: Hub, people: list[Person]) -> dict[str, list[TaskSpec]]:
    """Each person's cycle tasks, by person id: ``self``; with an active manager, the
    manager's review once ``self`` is done or overdue, then the person's ``acknowledge``."""
    managers = _active_managers(hub, people)
    tasks: dict[str, list[TaskSpec]] = {}
    for person in people:
        mine = [TaskSpec(kind="self", assignee_id=person.id)]
        if person.manager_id in managers:
            mine.append(
                TaskSpec(
                    kind="manager",
                    assignee_id=person.manager_id,
                    subject_id=person.id,
                    after=("self",),
                )
            )
            mine.append(TaskSpec(kind="acknowledge", assignee_id=person.id, after=("manager",)))
        tasks[person.id] = mine
    return tasks


def _active_managers(hub: Hub, people: list[Person]) -> set[str]:
    """Which of ``people``'s managers are active people: one query for everyone."""
    manager_ids = sorted({p.manager_id for p in people if p.manager_id})
    if not manager_ids:
        return set()
    return {
        row[0]
        for row in hub.db.execute(
            "SELECT id FROM people WHERE active = 1 AND id IN (SELECT value FROM json_each(?))",
            [dumps(manager_ids)],
        )
    }


def create_for_enrolment(hub: Hub, cycle: Cycle, person: Person) -> list[int]:
    """Store the person's self review and (with a manager) manager review, each with a form copy."""
    return create_for_people(hub, cycle, [person])


def create_for_people(hub: Hub, cycle: Cycle, people: list[Person]) -> list[int]:
    """Store everyone's self review and (with an active manager) manager review, each with
    a copy of the form ``select_form`` chose, prefilled with last period's goals.

    One pass for all: the forms are read once, each form is serialised once, the managers,
    the reviews there are already and the earlier goals come from one query each, and the
    new reviews are written with one ``insert_all``. A review that exists already is kept.
    Returns the ids of the reviews created, in order (person by person, self first).
    """
    if not people:
        return []
    chosen: list[Any] = []
    with forms.pinned(hub):
        for person in people:
            form = hub.hook.select_form(hub=hub, cycle=cycle, person=person)
            if form is None:
                raise CorehubError(
                    M_(
                        "no review form fits %(person)s (role %(role)r, level %(level)s); add "
                        "one to the workspace forms/ folder or set [settings.self_assessment] "
                        "default_form",
                        person=person.id,
                        role=person.role or "-",
                        level=person.level,
                    )
                )
            chosen.append(form)
    db = hub.db
    active_managers = _active_managers(hub, people)
    existing = {
        (row[0], row[1])
        for row in db.execute(
            f"SELECT kind, subject_id FROM [{REVIEWS}] WHERE cycle_id = ?", [cycle.id]
        )
    }
    distinct = list({id(form): form for form in chosen}.values())
    goal_questions = {
        question.review_of
        for form in distinct
        for _, question in form.questions()
        if question.review_of
    }
    earlier = _earlier_goals(hub, cycle, [p.id for p in people], goal_questions)
    now = hub.clock.now().isoformat()
    # each form once: its copy as JSON, and which questions of each kind of review start
    # with earlier goals
    copies = {id(form): dumps(hub.unstructure(form)) for form in distinct}
    goal_slots = {
        (id(form), kind): _goal_slots(form, kind) for form in distinct for kind in ReviewKind
    }
    rows = []
    for person, form in zip(people, chosen, strict=True):
        form_json = copies[id(form)]
        authors = {ReviewKind.SELF: person.id}
        if person.manager_id in active_managers:
            authors[ReviewKind.MANAGER] = person.manager_id
        for kind, author in authors.items():
            if (kind.value, person.id) in existing:
                continue
            mine = earlier.get(person.id)
            prefill = {
                question_id: mine[review_of]
                for question_id, review_of in goal_slots[id(form), kind]
                if mine and mine.get(review_of)
            }
            rows.append(
                {
                    "cycle_id": cycle.id,
                    "kind": kind.value,
                    "subject_id": person.id,
                    "author_id": author,
                    "form_id": form.id,
                    "form": form_json,
                    "answers": dumps(prefill),
                    "status": ReviewStatus.DRAFT.value,
                    "created_at": now,
                }
            )
    if not rows:
        return []
    last = db.execute(f"SELECT COALESCE(MAX(id), 0) FROM [{REVIEWS}]").fetchone()[0]
    db.table(REVIEWS).insert_all(rows, batch_size=500)
    return [
        int(row[0])
        for row in db.execute(f"SELECT id FROM [{REVIEWS}] WHERE id > ? ORDER BY id", [last])
    ]


def _earlier_goals(
    hub: Hub, cycle: Cycle, person_ids: list[str], question_ids: set[str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each person, the goals (by question id) of their latest earlier review that set
    any, as :func:`previous_goals` finds them one by one: one query per goals question
    for everyone, which picks each person's latest review in SQL."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    if not person_ids:
        return found
    for question_id in sorted(question_ids):
        path = "$." + json.dumps(question_id)
        rows = hub.db.execute(
            f"""
            SELECT subject_id, goals FROM (
                SELECT r.subject_id, json_extract(r.answers, :path) AS goals,
                       ROW_NUMBER() OVER (
                           PARTITION BY r.subject_id
                           ORDER BY c.start_date DESC, c.id DESC,
                                    CASE r.kind WHEN 'manager' THEN 0 ELSE 1 END
                       ) AS n
                FROM [{REVIEWS}] r JOIN cycles c ON c.id = r.cycle_id
                WHERE r.cycle_id != :cycle AND r.status != 'draft' AND c.start_date <= :start
                  AND r.subject_id IN (SELECT value FROM json_each(:people))
                  AND json_type(r.answers, :path) = 'array'
                  AND json_array_length(r.answers, :path) > 0
            ) WHERE n = 1
            """,
            {
                "path": path,
                "cycle": cycle.id,
                "start": cycle.start.isoformat(),
                "people": dumps(person_ids),
            },
        )
        for subject_id, goals_json in rows:
            goals = loads(goals_json)
            found.setdefault(subject_id, {})[question_id] = [
                {k: g[k] for k in ("objective", "result", "due") if g.get(k)} for g in goals
            ]
    return found


def previous_goals(
    hub: Hub, cycle: Cycle, person_id: str, question_id: str
) -> list[dict[str, Any]]:
    """The goals set in the person's latest earlier review (the manager's, else their own)."""
    rows = hub.db.query(
        f"""
        SELECT r.* FROM [{REVIEWS}] r JOIN cycles c ON c.id = r.cycle_id
        WHERE r.subject_id = ? AND r.cycle_id != ? AND r.status != 'draft' AND c.start_date <= ?
        ORDER BY c.start_date DESC, c.id DESC, CASE r.kind WHEN 'manager' THEN 0 ELSE 1 END
        """,
        [person_id, cycle.id, cycle.start.isoformat()],
    )
    for row in rows:
        goals = to_stored(row).review.answers.get(question_id)
        if isinstance(goals, list) and goals:
            return [{k: g[k] for k in ("objective", "result", "due") if g.get(k)} for g in goals]
    return []


def _goal_slots(form: Any, kind: ReviewKind) -> list[tuple[str, str]]:
    """(question id, goals question it reviews) of each question of ``form`` that a ``kind``
    review answers and that starts with last period's goals (``review_of``)."""
    from corehub_self_assessment.answers import applies

    return [
        (question.id, question.review_of)
        for _, question in form.questions()
        if question.review_of and applies(question, kind)
    ]


# -- writing -------------------------------------------------------------------


def _kind(kind: ReviewKind | str) -> ReviewKind:
    try:
        kind = ReviewKind(kind)
    except ValueError:
        raise ValidationError(
            M_("unknown review kind %(kind)r: use self or manager", kind=kind)
        ) from None
    if kind not in (ReviewKind.SELF, ReviewKind.MANAGER):
        raise ValidationError(
            M_(
                "%(kind)s reviews are not kept by self_assessment: use self or manager",
                kind=kind.value,
            )
        )
    return kind


_NOT_THE_AUTHOR = {
    # verb: (an operator who is not a person, a person who is not the author)
    "fill in": (
        N_("to fill in %(review)s, act as its author"),
        N_("%(actor)s cannot fill in %(review)s: only %(author)s can"),
    ),
    "submit": (
        N_("to submit %(review)s, act as its author"),
        N_("%(actor)s cannot submit %(review)s: only %(author)s can"),
    ),
}


def _require_author(hub: Hub, stored: StoredReview, actor: str | None, verb: str) -> str:
    review = stored.review
    who = actor or hub.actor
    if who == review.author_id:
        return who
    what = describe(hub, review)
    operator, person = _NOT_THE_AUTHOR[verb]
    if hub.people.find(who) is None:
        raise PermissionDeniedError(M_(operator, review=what, hint=f"pass --as {review.author_id}"))
    raise PermissionDeniedError(
        M_(person, actor=named(hub, who), review=what, author=named(hub, review.author_id))
    )


def _require_available(hub: Hub, cycle: Cycle, review: Review) -> None:
    if review.kind is not ReviewKind.MANAGER:
        return
    try:
        task = hub.cycles.task(cycle, "manager", review.author_id or "", review.subject_id)
    except NotFoundError:
        return
    if task.status is TaskStatus.OPEN and not hub.cycles.is_available(task):
        due = cycle.due_for("self")
        raise PermissionDeniedError(
            M_(
                "the manager's review of %(person)s opens once their self-assessment is "
                "submitted or its due date (%(due)s) has passed",
                person=named(hub, review.subject_id),
                due=due,
            )
        )


_NOT_A_DRAFT = {
    ReviewStatus.SUBMITTED: N_(
        "%(review)s is submitted; a submitted review cannot be edited "
        "(a manager can reopen it with a reason)"
    ),
    ReviewStatus.RELEASED: N_(
        "%(review)s is released; a submitted review cannot be edited "
        "(a manager can reopen it with a reason)"
    ),
    ReviewStatus.ACKNOWLEDGED: N_(
        "%(review)s is acknowledged; a submitted review cannot be edited "
        "(a manager can reopen it with a reason)"
    ),
}


def _require_draft(hub: Hub, review: Review) -> None:
    if review.status is not ReviewStatus.DRAFT:
        raise FrozenError(M_(_NOT_A_DRAFT[review.status], review=describe(hub, review)))


def ensure_fillable(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    *,
    actor: str | None = None,
) -> Review:
    """The review, if ``actor`` may fill it in now (its author, a draft, and open for them)."""
    cycle = hub.cycles.ensure_writable(resolve_cycle(hub, cycle))
    stored = find(hub, cycle, person_id, kind)
    _require_author(hub, stored, actor, "fill in")
    _require_draft(hub, stored.review)
    _require_available(hub, cycle, stored.review)
    return stored.review


def save_draft(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    answers: Mapping[str, Any],
    *,
    private_note: str | None = None,
    replace: bool = False,
    actor: str | None = None,
    source: str = "answers",
    expected_version: int | None = None,
) -> Review:
    """Check and store answers as a draft. With ``replace`` the answers given are all there is;
    otherwise they are merged into the draft (an empty answer clears that question).

    With ``expected_version`` (the ``StoredReview.version`` the answers were edited from), a
    draft saved by someone else in between is never overwritten: VersionConflictError."""
    with hub.atomic() as db:
        cycle = hub.cycles.ensure_writable(resolve_cycle(hub, cycle))
        review = ensure_fillable(hub, cycle, person_id, kind, actor=actor)
        if expected_version is not None:
            current = find(hub, cycle, person_id, kind).version
            if current != expected_version:
                raise VersionConflictError(
                    M_(
                        "%(review)s was saved elsewhere (another window or device) after you "
                        "opened it; your changes were not saved so as not to overwrite that "
                        "version. Reload it, then make your changes again.",
                        review=describe(hub, review),
                    )
                )
        who = actor or hub.actor
        clean, problems = normalise_answers(review.form, review.kind, answers, where=source)
        if private_note is not None and review.kind is not ReviewKind.MANAGER:
            problems.append(
                M_("only the manager's review has a private note", where="private_note")
            )
        if problems:
            raise ValidationError(
                M_("%(review)s was not saved:", review=describe(hub, review)), problems
            )
        merged = {} if replace else dict(review.answers)
        for key in answers:
            merged.pop(str(key), None)
        merged.update(clean)
        update: dict[str, Any] = {
            "answers": dumps(merged),
            "updated_at": hub.clock.now().isoformat(),
        }
        db.execute(f"UPDATE [{REVIEWS}] SET version = version + 1 WHERE id = ?", [review.id])
        if private_note is not None:
            update["private_note"] = private_note.strip()
        db.table(REVIEWS).update(review.id, update)
        hub.audit.record(
            "review.saved",
            "review",
            review.id,
            actor=who,
            cycle_id=cycle.id,
            after={
                "kind": review.kind.value,
                "subject": review.subject_id,
                "answered": len(merged),
            },
        )
        return find(hub, cycle, person_id, kind).review


def submit(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    *,
    actor: str | None = None,
) -> Review:
    """Submit a draft: every plugin's ``validate_review`` must pass; the task is completed and
    ``review_submitted`` fires, all in one transaction."""
    with hub.atomic() as db:
        cycle = hub.cycles.ensure_writable(resolve_cycle(hub, cycle))
        stored = find(hub, cycle, person_id, kind)
        review = stored.review
        who = _require_author(hub, stored, actor, "submit")
        _require_draft(hub, review)
        _require_available(hub, cycle, review)
        problems = [
            problem
            for result in hub.hook.validate_review(hub=hub, review=review, form=review.form)
            for problem in (result or [])
        ]
        if problems:
            raise ValidationError(
                M_("%(review)s was not submitted:", review=describe(hub, review)), problems
            )
        now = hub.clock.now()
        submitted = attrs.evolve(review, status=ReviewStatus.SUBMITTED, submitted_at=now)
        result, source = score_with_source(hub, submitted)
        db.table(REVIEWS).update(
            review.id,
            {
                "status": ReviewStatus.SUBMITTED.value,
                "submitted_at": now.isoformat(),
                "updated_at": now.isoformat(),
                "score": dumps(hub.unstructure(result)),
                "score_source": dumps(source),
            },
        )
        hub.audit.record(
            "review.submitted",
            "review",
            review.id,
            actor=who,
            cycle_id=cycle.id,
            before={"status": review.status.value},
            after={
                "status": "submitted",
                "answers": review.answers,
                "overall": result.overall,
                "scored_by": source,
            },
        )
        _complete_task(hub, cycle, review.kind.value, who, review.subject_id)
        submitted = find(hub, cycle, person_id, kind).review
        hub.hook.review_submitted(hub=hub, review=submitted)
        return submitted


def _complete_task(hub: Hub, cycle: Cycle, kind: str, assignee: str, subject: str) -> None:
    try:
        task = hub.cycles.task(cycle, kind, assignee, subject)
    except NotFoundError:
        return
    if task.status is TaskStatus.OPEN:
        hub.cycles.complete_task(task, by=assignee)


Guard = Callable[[StoredReview, Relation], None]
"""Refuses a transition (raises) for this review and actor; returns None to allow it."""


def _transition(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    *,
    actor: str | None,
    guard: Guard,
    to: ReviewStatus,
    event: str,
    fields: Mapping[str, Any],
    before: Callable[[Review], Mapping[str, Any]] | None = None,
    reason: str | None = None,
    then: Callable[[Cycle, Review, Relation], None] | None = None,
) -> Review:
    """One step of the review life cycle, in one transaction: the cycle must be writable,
    ``guard`` may refuse, then the status and ``fields`` are written, the audit event
    ``event`` recorded (``before``: what else the event keeps of the review as it was), and ``then``
    runs (tasks to complete or reopen)."""
    with hub.atomic() as db:
        cycle = hub.cycles.ensure_writable(resolve_cycle(hub, cycle))
        stored = find(hub, cycle, person_id, kind)
        review = stored.review
        rel = relation(hub, review, actor)
        guard(stored, rel)
        db.table(REVIEWS).update(review.id, {"status": to.value, **fields})
        hub.audit.record(
            event,
            "review",
            review.id,
            actor=rel.actor,
            cycle_id=cycle.id,
            before={"status": review.status.value, **(before(review) if before else {})},
            after={"status": to.value},
            reason=reason,
        )
        if then is not None:
            then(cycle, review, rel)
        return find(hub, cycle, person_id, kind).review


def release(
    hub: Hub, cycle: Cycle | str | int, person_id: str, *, actor: str | None = None
) -> Review:
    """Show the submitted manager review to the person reviewed (the private note stays hidden)."""

    def guard(stored: StoredReview, rel: Relation) -> None:
        review = stored.review
        if not (rel.author or (rel.hr and not rel.subject)):
            raise PermissionDeniedError(
                M_(
                    "%(actor)s cannot release %(review)s: only %(author)s (or HR) can",
                    actor=rel.actor,
                    review=describe(hub, review),
                    author=named(hub, review.author_id),
                )
            )
        if review.status is ReviewStatus.DRAFT:
            raise CorehubError(
                M_(
                    "%(review)s is not submitted yet; submit it before releasing it",
                    review=describe(hub, review),
                )
            )
        if review.status in VISIBLE_TO_SUBJECT:
            raise CorehubError(
                M_(
                    "%(review)s was already released on %(day)s",
                    review=describe(hub, review),
                    day=review.released_at,
                )
            )
        refusal = calibration_scopes.release_refusal(
            hub, resolve_cycle(hub, cycle), review.subject_id
        )
        if refusal is not None:
            raise CorehubError(refusal)

    return _transition(
        hub,
        cycle,
        person_id,
        ReviewKind.MANAGER,
        actor=actor,
        guard=guard,
        to=ReviewStatus.RELEASED,
        event="review.released",
        fields={"released_at": hub.clock.now().isoformat()},
    )


def acknowledge(
    hub: Hub, cycle: Cycle | str | int, person_id: str, *, actor: str | None = None
) -> Review:
    """The person signs that they have read their released review."""

    def guard(stored: StoredReview, rel: Relation) -> None:
        review = stored.review
        if rel.actor != review.subject_id:
            raise PermissionDeniedError(
                M_(
                    "only %(person)s can acknowledge %(review)s",
                    person=named(hub, review.subject_id),
                    review=describe(hub, review),
                    hint=None if rel.is_person else f"pass --as {review.subject_id}",
                )
            )
        if review.status is ReviewStatus.ACKNOWLEDGED:
            raise CorehubError(
                M_("you acknowledged %(review)s already", review=describe(hub, review))
            )
        if review.status is not ReviewStatus.RELEASED:
            raise _refusal(hub, stored, rel.actor)

    def then(cycle: Cycle, review: Review, rel: Relation) -> None:
        _complete_task(hub, cycle, "acknowledge", rel.actor, review.subject_id)

    return _transition(
        hub,
        cycle,
        person_id,
        ReviewKind.MANAGER,
        actor=actor,
        guard=guard,
        to=ReviewStatus.ACKNOWLEDGED,
        event="review.acknowledged",
        fields={"acknowledged_at": hub.clock.now().isoformat()},
        then=then,
    )


def comment(
    hub: Hub, cycle: Cycle | str | int, person_id: str, text: str, *, actor: str | None = None
) -> Comment:
    """Add a comment to a released manager review: by the person, or their manager answering."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(M_("a comment needs some text"))
    if len(text) > MAX_COMMENT:
        raise ValidationError(
            M_(
                "a comment has at most %(limit)s characters (%(given)s given)",
                limit=MAX_COMMENT,
                given=len(text),
            )
        )
    with hub.atomic() as db:
        cycle = hub.cycles.ensure_writable(resolve_cycle(hub, cycle))
        stored = find(hub, cycle, person_id, ReviewKind.MANAGER)
        review = stored.review
        rel = relation(hub, review, actor)
        if not (rel.subject or rel.author):
            raise PermissionDeniedError(
                M_(
                    "%(actor)s cannot comment on %(review)s: only %(person)s and %(author)s can",
                    actor=rel.actor,
                    review=describe(hub, review),
                    person=named(hub, review.subject_id),
                    author=named(hub, review.author_id),
                )
            )
        if review.status not in VISIBLE_TO_SUBJECT:
            if rel.subject:
                raise _refusal(hub, stored, rel.actor)
            raise CorehubError(
                M_(
                    "%(review)s is not released yet; comments open after release",
                    review=describe(hub, review),
                )
            )
        now = hub.clock.now().isoformat()
        comment_id = (
            db.table(COMMENTS)
            .insert(
                {
                    "review_id": review.id,
                    "cycle_id": cycle.id,
                    "author_id": rel.actor,
                    "text": text,
                    "created_at": now,
                }
            )
            .last_pk
        )
        hub.audit.record(
            "review.commented",
            "review",
            review.id,
            actor=rel.actor,
            cycle_id=cycle.id,
            after={"comment": comment_id},
        )
        return to_comment(db.table(COMMENTS).get(int(comment_id or 0)))


def reopen(
    hub: Hub,
    cycle: Cycle | str | int,
    person_id: str,
    kind: ReviewKind | str,
    *,
    reason: str,
    actor: str | None = None,
) -> Review:
    """Turn a submitted review back into a draft: a manager's (or HR's) action with a reason.

    The submitted answers are kept in the audit event; the review's task opens again, and a
    reopened manager review is hidden from the person until it is released again.
    """
    if not (reason or "").strip():
        raise ValidationError(
            M_("reopening a review needs a --reason (it is kept in the audit trail)")
        )

    def guard(stored: StoredReview, rel: Relation) -> None:
        review = stored.review
        if rel.subject or not (rel.manager or rel.hr):
            raise PermissionDeniedError(
                M_(
                    "%(actor)s cannot reopen %(review)s: reopening is an action for "
                    "%(person)s's manager or HR",
                    actor=rel.actor,
                    review=describe(hub, review),
                    person=review.subject_id,
                )
            )
        if review.status is ReviewStatus.DRAFT:
            raise CorehubError(
                M_(
                    "%(review)s is still a draft; there is nothing to reopen",
                    review=describe(hub, review),
                )
            )

    def then(cycle: Cycle, review: Review, rel: Relation) -> None:
        kinds = [review.kind.value] + (["acknowledge"] if review.kind is ReviewKind.MANAGER else [])
        for task in hub.cycles.tasks(cycle, subject_id=review.subject_id):
            if task.kind in kinds and task.plugin == PLUGIN and task.status is TaskStatus.DONE:
                hub.cycles.reopen_task(task, reason=reason, by=rel.actor)

    return _transition(
        hub,
        cycle,
        person_id,
        kind,
        actor=actor,
        guard=guard,
        to=ReviewStatus.DRAFT,
        event="review.reopened",
        fields={
            "submitted_at": None,
            "released_at": None,
            "acknowledged_at": None,
            "score": None,
            "score_source": None,
            "updated_at": hub.clock.now().isoformat(),
        },
        before=lambda review: {
            "submitted_at": review.submitted_at,
            "released_at": review.released_at,
            "answers": review.answers,
        },
        reason=reason.strip(),
        then=then,
    )


# -- scores as given -------------------------------------------------------------


def given_score(hub: Hub, review: Review) -> ReviewScore:
    """The score of ``review`` as it was given: stored when it was submitted, never
    recomputed on reading (a scoring plugin installed or changed later does not rewrite it).
    A draft has no given score yet: its preview is what the scoring rule says now."""
    return given_scores(hub, [review])[review.id][0]


def given_scores(
    hub: Hub, found: list[Review]
) -> dict[int, tuple[ReviewScore, dict[str, Any] | None]]:
    """Each review's given score and what produced it (None for a draft's preview), by id,
    read in one query."""
    ids = [r.id for r in found if r.status is not ReviewStatus.DRAFT]
    stored: dict[int, tuple[Any, Any]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ", ".join("?" * len(part))
        for row in hub.db.execute(
            f"SELECT id, score, score_source FROM [{REVIEWS}] WHERE id IN ({marks})", part
        ):
            stored[int(row[0])] = (loads(row[1]), loads(row[2]))
    result: dict[int, tuple[ReviewScore, dict[str, Any] | None]] = {}
    for review in found:
        if review.status is ReviewStatus.DRAFT:
            result[review.id] = (score(hub, review), None)
            continue
        data, source = stored.get(review.id, (None, None))
        given = converter.structure(data, ReviewScore) if data else ReviewScore(overall=None)
        result[review.id] = (given, source)
    return result


def rescore(
    hub: Hub, cycle: Cycle | str | int, *, actor: str | None = None, dry_run: bool = False
) -> list[dict[str, Any]]:
    """Score every submitted review of an open cycle again with the scoring rule installed
    now; store and audit (``review.rescored``) each score that changed, in one transaction.

    A closed cycle's scores never change (FrozenError). Only HR, or the operator at the
    terminal, rescores. Returns the changes (with ``dry_run``, what would change).
    """
    who = actor or hub.actor
    if hub.people.find(who) is not None and who not in hub.config.organization.hr:
        raise PermissionDeniedError(
            M_("%(actor)s cannot rescore a cycle: rescoring is an action for HR", actor=who)
        )
    the_cycle = resolve_cycle(hub, cycle)
    if the_cycle.is_closed:
        raise FrozenError(
            M_(
                "cycle %(name)r is closed; its scores stay as they were given and are "
                "never recomputed",
                name=the_cycle.name,
            )
        )
    changes: list[dict[str, Any]] = []
    with hub.atomic() as db:
        the_cycle = hub.cycles.ensure_writable(the_cycle)
        for stored in stored_reviews(hub, the_cycle):
            review = stored.review
            if review.status is ReviewStatus.DRAFT:
                continue
            result, source = score_with_source(hub, review)
            new = loads(dumps(hub.unstructure(result)))
            old_source = stored.score_source or {}
            same_rule = all(
                old_source.get(k) == source[k] for k in ("plugin", "plugin_version", "form_version")
            )
            if new == stored.score and same_rule:
                continue
            before = (stored.score or {}).get("overall")
            changes.append(
                {
                    "review": review.id,
                    "person": review.subject_id,
                    "kind": review.kind.value,
                    "before": before,
                    "after": result.overall,
                    "changed": new != stored.score,
                    "scored_by_before": old_source.get("plugin"),
                    "scored_by_version_before": old_source.get("plugin_version"),
                    "scored_by": source["plugin"],
                    "scored_by_version": source["plugin_version"],
                }
            )
            if dry_run:
                continue
            db.table(REVIEWS).update(
                review.id, {"score": dumps(new), "score_source": dumps(source)}
            )
            hub.audit.record(
                "review.rescored",
                "review",
                review.id,
                actor=who,
                cycle_id=the_cycle.id,
                before={"score": stored.score, "scored_by": stored.score_source},
                after={"score": new, "scored_by": source},
            )
    return changes


# -- goals across cycles ---------------------------------------------------------


def goal_history(hub: Hub, person_id: str, *, actor: str | None = None) -> list[dict[str, Any]]:
    """Goals set and looked back on in every review of the person that ``actor`` may see."""
    from corehub.models import QuestionType

    history = []
    for stored in stored_reviews(hub, person_id=person_id):
        review = stored.review
        if not can_see(hub, review, actor):
            continue
        cycle = hub.cycles.get(review.cycle_id)
        for _, question in review.form.questions():
            if QuestionType(question.type) is not QuestionType.GOALS:
                continue
            for goal in review.answers.get(question.id) or []:
                history.append(
                    {
                        "cycle": cycle.name,
                        "kind": review.kind.value,
                        "status": review.status.value,
                        "question": question.id,
                        "looking_back": bool(question.review_of),
                        **goal,
                    }
                )
    return history
