"""The self_assessment plugin's pages in ``corehub serve``.

Fill in the self-assessment from its form (scales with their labels, texts, choices,
goals), save a draft, submit; the manager's review beside the submitted
self-assessment, with a private note, then release; the person reads, comments and
acknowledges. Every rule is the library's (:mod:`corehub_self_assessment.reviews`): the
views only turn forms into answers and errors into messages next to the fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, render_template, request, url_for

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.i18n import N_, active
from corehub.messages import Message, text_of
from corehub.models import NavItem, QuestionType, ReviewKind, ReviewStatus, Route
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    error_text,
    form_text,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_self_assessment import reviews
from corehub_self_assessment.answers import (
    NOT_RATED,
    applies,
    display_answer,
    questions_for,
    self_only,
)
from corehub_self_assessment.blueprint import bp

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Form, Person, Review

EMPTY_GOAL_ROWS = 2
MAX_GOAL_ROWS = 20
GAP = 2
_WHERE = r"(?:web\.)?(?P<qid>[A-Za-z0-9_-]+)(?:\[(?P<row>\d+)\])?(?:\.(?P<key>\w+))?"
_FIELD = re.compile(rf"^{_WHERE}$")
"""A problem's ``where``: ``web.goals_next[0].due`` (question, goal row, goal field)."""
GOAL_FIELDS = {
    "objective": N_("Goal %(n)s objective"),
    "result": N_("Goal %(n)s measurable result"),
    "due": N_("Goal %(n)s due date"),
    "outcome": N_("Goal %(n)s outcome"),
}


def route(hub: Hub) -> Route:
    return Route(
        name="self_assessment",
        blueprint=bp,
        url_prefix="/reviews",
        nav=(
            NavItem(label=N_("Reviews"), endpoint="self_assessment.mine", order=30),
            NavItem(label=N_("Development plan"), endpoint="self_assessment.plan_mine", order=31),
        ),
        task_endpoints={
            "self": "self_assessment.fill_self",
            "manager": "self_assessment.fill_manager",
            "acknowledge": "self_assessment.view",
        },
        task_labels={
            "self": N_("Self-assessment"),
            "manager": N_("Manager's review"),
            "acknowledge": N_("Read and acknowledge my review"),
        },
    )


# -- turning forms into answers and back -------------------------------------------


def parse_answers(form: Form, kind: ReviewKind, posted: Any) -> dict[str, Any]:
    """The answers a posted form holds: every question asked in ``kind`` (empty = unanswered)."""
    answers: dict[str, Any] = {}
    for _section, question in questions_for(form, kind):
        name = f"q-{question.id}"
        if QuestionType(question.type) is QuestionType.GOALS:
            try:
                rows = int(posted.get(f"{name}-rows", "0"))
            except ValueError:
                rows = 0
            goals = []
            for i in range(min(max(rows, 0), MAX_GOAL_ROWS)):
                goal = {
                    key: posted.get(f"{name}-{i}-{key}", "")
                    for key in ("objective", "result", "due", "outcome")
                }
                if any(v.strip() for v in goal.values()):
                    goals.append({k: v for k, v in goal.items() if v.strip()})
            answers[question.id] = goals or None
        else:
            answers[question.id] = posted.get(name) or None
    return answers


def field_errors(
    problems: Sequence[Message | str], form: Form
) -> tuple[dict[str, list[str]], list[str]]:
    """Problems by question id (a Message's ``where``), and the ones about no single question,
    worded for the page in the request's language."""
    t = active()
    by_question: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if not isinstance(problem, Message):  # a plain string: deprecated, shown as it is
            general.append(problem)
            continue
        match = _FIELD.match(problem.where or "")
        text = text_of(problem, t)
        required = problem.msgid == "required"
        qid = match.group("qid") if match else ""
        if not match or (form.question(qid) is None and qid != "private_note"):
            general.append(text_of(problem, t))
            continue
        if required:
            text = _("This question needs an answer before you submit.")
        if match.group("row") is not None:
            key = match.group("key") or ""
            n = int(match.group("row")) + 1
            if key in GOAL_FIELDS:
                text = f"{_(GOAL_FIELDS[key], n=n)}: {text}"
            elif key:
                text = _("Goal %(n)s, %(field)s: %(problem)s", n=n, field=key, problem=text)
            else:
                text = _("Goal %(n)s: %(problem)s", n=n, problem=text)
        by_question.setdefault(qid, []).append(text)
    return by_question, general


def form_sections(
    form: Form,
    kind: ReviewKind,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    other: Review | None = None,
) -> list[dict[str, Any]]:
    """What the template draws: sections, questions, scale points, current values, errors."""
    sections: dict[str, dict[str, Any]] = {}
    for section, question in questions_for(form, kind):
        entry = sections.setdefault(
            section.id,
            {
                "id": section.id,
                "title": section.title,
                "description": section.description,
                "questions": [],
                "their_only": _their_only(form, section.id, other),
            },
        )
        qtype = QuestionType(question.type)
        scale = form.scales.get(question.scale or "")
        value = values.get(question.id)
        goals: list[dict[str, Any]] = []
        if qtype is QuestionType.GOALS:
            goals = [dict(g) for g in (value or []) if isinstance(g, dict)]
            goals += [{} for _ in range(EMPTY_GOAL_ROWS)]
            goals = goals[:MAX_GOAL_ROWS]
        their = None
        gap = False
        if other is not None and applies(question, ReviewKind.SELF):
            their_value = other.answers.get(question.id)
            their = (
                display_answer(other.form, question, their_value, active()) if their_value else ""
            )
            if (
                qtype is QuestionType.RATING
                and isinstance(their_value, int)
                and str(value or "").isdigit()
            ):
                gap = abs(int(str(value)) - their_value) >= GAP
        entry["questions"].append(
            {
                "id": question.id,
                "name": f"q-{question.id}",
                "text": question.text,
                "help": question.help,
                "type": qtype.value,
                "required": question.required,
                "points": [{"value": str(p.value), "label": p.label} for p in scale.points]
                if scale
                else [],
                "not_rated": NOT_RATED,
                "allow_na": question.allow_na,
                "field": _first_input(f"q-{question.id}", qtype),
                "choices": list(question.choices),
                "value": ""
                if value is None
                else str(value)
                if qtype is not QuestionType.GOALS
                else "",
                "goals": goals,
                "looking_back": bool(question.review_of),
                "errors": errors.get(question.id, []),
                "their": their,
                "gap": gap,
            }
        )
    return list(sections.values())


def _first_input(name: str, qtype: QuestionType) -> str:
    """The id of a question's first input: where its error in the summary leads."""
    if qtype is QuestionType.TEXT:
        return f"{name}-text"
    if qtype is QuestionType.GOALS:
        return f"{name}-0-objective"
    return f"{name}-1"  # the first radio of a scale or of the choices


def page_problems(
    sections: list[dict[str, Any]], general: list[str], note_errors: list[str]
) -> FormErrors:
    """The summary on top of the form: what is about no question, then each question's
    problems in the order of the form, leading to its first input."""
    t = active()
    problems = FormErrors()
    for message in general:
        problems.add(None, message)
    for section in sections:
        for q in section["questions"]:
            for message in q["errors"]:
                problems.add(q["field"], f"{t.text(q['text']).rstrip('.')}: {message}")
    for message in note_errors:
        problems.add("private_note", message)
    return problems


def _their_only(form: Form, section_id: str, other: Review | None) -> list[dict[str, Any]]:
    """For the manager: what the person answered in this section that only they are asked
    (their suggestions), shown above the manager's answer to it."""
    if other is None:
        return []
    return [
        {
            "id": question.id,
            "text": question.text,
            "answer": display_answer(
                other.form, question, other.answers.get(question.id), active()
            ),
        }
        for question in self_only(form, section_id)
    ]


def review_status(status: str) -> str:
    """A review's status word (``draft``, ``submitted``...) in the request's language."""
    t = active()
    words = {
        "draft": t.pgettext("review status", "draft"),
        "submitted": t.pgettext("review status", "submitted"),
        "released": t.pgettext("review status", "released"),
        "acknowledged": t.pgettext("review status", "acknowledged"),
        "in progress": t.pgettext("review status", "in progress"),
    }
    return words.get(str(status), str(status))


# -- the views -------------------------------------------------------------------


def others_review(hub: Hub, cycle_id: int, person_id: str, me: Person) -> Review | None:
    """For the manager: the self-assessment beside their review, once they may see it."""
    try:
        return reviews.get(hub, cycle_id, person_id, ReviewKind.SELF, actor=me.id)
    except PermissionDeniedError:
        return None


def fill(cycle_id: int, person_id: str, kind: ReviewKind) -> Any:
    hub = current_hub()
    me = current_person()
    stored = reviews.find(hub, cycle_id, person_id, kind)
    if stored.review.status is not ReviewStatus.DRAFT and reviews.can_see(
        hub, stored.review, me.id
    ):
        return redirect(url_for(".view", cycle_id=cycle_id, person_id=person_id))
    review = reviews.ensure_fillable(hub, cycle_id, person_id, kind, actor=me.id)
    other = others_review(hub, cycle_id, person_id, me) if kind is ReviewKind.MANAGER else None
    cycle = hub.cycles.get(cycle_id)
    subject = hub.people.get(person_id)
    note = reviews.private_note(hub, review, actor=me.id) if kind is ReviewKind.MANAGER else None
    values: dict[str, Any] = dict(review.answers)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    version = stored.version
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        posted = parse_answers(review.form, kind, request.form)
        posted_note = form_text("private_note") if kind is ReviewKind.MANAGER else None
        try:
            expected = int(request.form.get("version", ""))
        except ValueError:
            expected = -1
        try:
            with write(hub):
                reviews.save_draft(
                    hub,
                    cycle_id,
                    person_id,
                    kind,
                    posted,
                    private_note=posted_note,
                    replace=True,
                    actor=me.id,
                    source="web",
                    expected_version=expected,
                )
            saved = True
        except reviews.VersionConflictError as exc:
            saved, status = False, 409
            general = [error_text(exc)]
        except ValidationError as exc:
            saved, status = False, 400
            errors, general = field_errors(exc.problems, review.form)
            general = general or ([] if errors else [error_text(exc)])
        if not saved:
            # Show exactly what was typed: nothing is lost, nothing half-saved.
            values = posted
            note = posted_note
        else:
            version = reviews.find(hub, cycle_id, person_id, kind).version
            if action == "submit":
                try:
                    with write(hub):
                        reviews.submit(hub, cycle_id, person_id, kind, actor=me.id)
                except ValidationError as exc:
                    status = 400
                    errors, general = field_errors(exc.problems, review.form)
                    general.insert(
                        0,
                        _(
                            "Your answers are saved as a draft, but not submitted yet: "
                            "complete what is marked below."
                        ),
                    )
                    values = reviews.find(hub, cycle_id, person_id, kind).review.answers
                    note = posted_note
                else:
                    flash(
                        _("Submitted. Your manager can now see your self-assessment.")
                        if kind is ReviewKind.SELF
                        else _(
                            "Submitted. Release it when you want %(name)s to read it.",
                            name=subject.name,
                        ),
                        "success",
                    )
                    return redirect(url_for(".view", cycle_id=cycle_id, person_id=person_id))
            else:
                flash(_("Draft saved. Only you can see it until you submit it."), "success")
                return redirect(request.path)
    sections = form_sections(review.form, kind, values, errors, other)
    if kind is ReviewKind.MANAGER:
        from corehub_self_assessment.evidence import by_competency

        evidence = by_competency(hub, subject, cycle, active().language)
        competency = {q.id: q.competency for _s, q in review.form.questions()}
        for section in sections:
            for question in section["questions"]:
                question["evidence"] = evidence.get(competency.get(question["id"]) or "", [])
    return (
        render_template(
            "corehub_self_assessment/web/fill.html",
            review=review,
            kind=kind.value,
            cycle=cycle,
            subject=subject,
            sections=sections,
            general=general,
            version=version,
            note=note,
            note_errors=errors.get("private_note", []),
            form_errors=page_problems(sections, general, errors.get("private_note", [])),
            other=other,
            due=cycle.due_for(kind.value),
            overdue=hub.clock.today() > cycle.due_for(kind.value),
        ),
        status,
    )


@bp.route("/<int:cycle_id>/<person_id>/self", methods=["GET", "POST"])
@signed_in
def fill_self(cycle_id: int, person_id: str) -> Any:
    return fill(cycle_id, person_id, ReviewKind.SELF)


@bp.route("/<int:cycle_id>/<person_id>/manager", methods=["GET", "POST"])
@signed_in
def fill_manager(cycle_id: int, person_id: str) -> Any:
    return fill(cycle_id, person_id, ReviewKind.MANAGER)


@bp.get("/")
@signed_in
def mine() -> Any:
    from corehub.models import CycleStatus

    hub = current_hub()
    me = current_person()
    cycles = []
    for cycle in hub.cycles.list():
        if cycle.status is CycleStatus.DRAFT:
            continue
        rows = reviews.listing(hub, cycle, actor=me.id, own_only=True)
        own = [r for r in rows if r["person"] == me.id]
        writing = [r for r in rows if r["person"] != me.id and r["author"] == me.id]
        if own or writing:
            names = {r["person"]: hub.people.get(r["person"]).name for r in writing}
            cycles.append({"cycle": cycle, "own": own, "writing": writing, "names": names})
    return render_template(
        "corehub_self_assessment/web/mine.html", cycles=cycles, review_status=review_status
    )


@bp.get("/<int:cycle_id>/<person_id>")
@signed_in
def view(cycle_id: int, person_id: str) -> Any:
    return view_page(cycle_id, person_id)


def view_page(
    cycle_id: int,
    person_id: str,
    form_errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    http_status: int = 200,
) -> Any:
    hub = current_hub()
    me = current_person()
    cycle = hub.cycles.get(cycle_id)
    subject = hub.people.get(person_id)
    shown: dict[str, Review | None] = {}
    refusals: dict[str, str] = {}
    for kind in (ReviewKind.SELF, ReviewKind.MANAGER):
        try:
            shown[kind.value] = reviews.get(hub, cycle, person_id, kind, actor=me.id)
        except PermissionDeniedError as exc:
            shown[kind.value] = None
            refusals[kind.value] = error_text(exc)
        except Exception as exc:  # no manager review (a person without a manager)
            from corehub.errors import NotFoundError

            if not isinstance(exc, NotFoundError):
                raise
            shown[kind.value] = None
    if not any(shown.values()):
        raise PermissionDeniedError(
            next(
                iter(refusals.values()),
                _("There is no review of %(person)s to show you.", person=person_id),
            )
        )
    mine_review = shown["manager"]
    form = (shown["self"] or mine_review).form  # type: ignore[union-attr]
    rows = []
    for section, question in form.questions():
        answers = {}
        for kind_name, review in shown.items():
            if review is not None and question.id in review.answers:
                answers[kind_name] = display_answer(
                    review.form, question, review.answers[question.id], active()
                )
        s_val = shown["self"].answers.get(question.id) if shown["self"] else None
        m_val = mine_review.answers.get(question.id) if mine_review else None
        gap = isinstance(s_val, int) and isinstance(m_val, int) and abs(s_val - m_val) >= GAP
        rows.append(
            {
                "section": section.title,
                "text": question.text,
                "answers": answers,
                "gap": gap,
                "audience": str(question.audience),
            }
        )
    note = reviews.private_note(hub, mine_review, actor=me.id) if mine_review else None
    comments = reviews.comments(hub, mine_review, actor=me.id) if mine_review else []
    names = {c.author_id: hub.people.get(c.author_id).name for c in comments}
    status = {k: (r.status.value if r else None) for k, r in shown.items()}
    released = mine_review is not None and mine_review.status in reviews.VISIBLE_TO_SUBJECT
    can_release = False
    try:
        stored = reviews.find(hub, cycle, person_id, ReviewKind.MANAGER)
        rel = reviews.relation(hub, stored.review, me.id)
        can_release = (
            stored.review.status is ReviewStatus.SUBMITTED
            and (rel.author or (rel.hr and not rel.subject))
            and not cycle.is_closed
        )
        can_fill_manager = rel.author and stored.review.status is ReviewStatus.DRAFT
    except Exception:
        can_fill_manager = False
    return render_template(
        "corehub_self_assessment/web/view.html",
        form_errors=form_errors or FormErrors(),
        values=values or {},
        cycle=cycle,
        subject=subject,
        rows=rows,
        shown=shown,
        status=status,
        refusals=refusals,
        note=note,
        comments=comments,
        names=names,
        released=released,
        is_subject=me.id == person_id,
        can_comment=released
        and not cycle.is_closed
        and (me.id == person_id or (mine_review is not None and me.id == mine_review.author_id)),
        can_acknowledge=me.id == person_id
        and mine_review is not None
        and mine_review.status is ReviewStatus.RELEASED
        and not cycle.is_closed,
        can_release=can_release,
        can_fill_manager=can_fill_manager,
        review_status=review_status,
    ), http_status


@bp.post("/<int:cycle_id>/<person_id>/release")
@signed_in
def release(cycle_id: int, person_id: str) -> Any:
    hub = current_hub()
    with write(hub):
        reviews.release(hub, cycle_id, person_id, actor=current_person().id)
    flash(
        _("Released. The person can now read your review (never your private note)."),
        "success",
    )
    return redirect(url_for(".view", cycle_id=cycle_id, person_id=person_id))


@bp.post("/<int:cycle_id>/<person_id>/acknowledge")
@signed_in
def acknowledge(cycle_id: int, person_id: str) -> Any:
    hub = current_hub()
    with write(hub):
        reviews.acknowledge(hub, cycle_id, person_id, actor=current_person().id)
    flash(_("Acknowledged. Thank you."), "success")
    return redirect(url_for(".view", cycle_id=cycle_id, person_id=person_id))


@bp.post("/<int:cycle_id>/<person_id>/comment")
@signed_in
def comment(cycle_id: int, person_id: str) -> Any:
    hub = current_hub()
    text = request.form.get("text", "")
    try:
        with write(hub):
            reviews.comment(
                hub,
                cycle_id,
                person_id,
                form_text("text", reviews.MAX_COMMENT + 1000),
                actor=current_person().id,
            )
    except ValidationError as exc:
        problems = FormErrors().add_error(exc, default="comment-text")
        return view_page(cycle_id, person_id, problems, {"comment": text}, 400)
    flash(_("Comment added."), "success")
    return redirect(url_for(".view", cycle_id=cycle_id, person_id=person_id))
