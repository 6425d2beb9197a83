"""Check-ins and new-hire reviews in ``corehub serve`` (``/checkins``).

- ``/checkins/``: my check-ins (with my manager, with the people I manage), when each
  report's next check-in is due, my new-hire reviews to fill, and a form to plan a
  check-in with one of my reports;
- ``/checkins/<id>``: one check-in: its agenda and notes (for the two only), its action
  items, with forms to add to each and to mark an action done;
- ``/checkins/new-hire/<id>``: one part of a new-hire review, filled in on its form.

Every rule is the library's (:mod:`corehub_self_assessment.checkins`,
:mod:`corehub_self_assessment.newhire`); a refused page answers 403 in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import flask
from flask import flash, redirect, render_template, request, url_for

from corehub import access
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.i18n import N_, active
from corehub.messages import Message, text_of
from corehub.models import NavItem, Route
from corehub.web import FormErrors, current_hub, current_person, form_text, signed_in, write
from corehub.web import gettext as _
from corehub_self_assessment import checkins, newhire, plans
from corehub_self_assessment.answers import display_answer, questions_for
from corehub_self_assessment.web import field_errors, form_sections, page_problems, parse_answers

if TYPE_CHECKING:
    from corehub import Hub

bp = flask.Blueprint("self_assessment_checkins", __name__)

MAX_TEXT = checkins.MAX_TEXT
ACTION_FIELDS = {
    "text": "action-text",
    "owner": "action-owner",
    "due": "action-due",
    "goal": "action-goal",
}


def route(hub: Hub) -> Route:
    return Route(
        name="self_assessment_checkins",
        blueprint=bp,
        url_prefix="/checkins",
        nav=(NavItem(label=N_("Check-ins"), endpoint="self_assessment_checkins.mine", order=35),),
    )


def _new_checkin_field(problem: Message | str) -> str:
    """The input of the "Plan a check-in" form a refusal is about: the agenda text (too
    long, or empty), the date (not a date, or taken), else the person (not a report)."""
    if not isinstance(problem, Message):
        return "new-agenda"  # the posted text was far too long
    field = problem.params.get("field")
    if field == "agenda item":
        return "new-agenda"
    if field == "date" or problem.msgid.startswith("there is already a check-in"):
        return "new-date"
    return "new-person"


# -- the list ------------------------------------------------------------------------------


@bp.get("/")
@signed_in
def mine() -> Any:
    return _render_mine()


def _render_mine(
    form_errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    me = current_person()
    # Only the rows about me: the page's cost does not grow with the organization.
    rows = checkins.listing(hub, involving=me.id, actor=me.id)
    reports = hub.people.reports(me.id, all_levels=True)
    due = checkins.cadence(hub, actor=me.id, manager_id=me.id)
    about = [me.id, *(p.id for p in reports)]
    hires = [
        {"review": r, "person": hub.people.find(r.person_id)}
        for r in newhire.stored(hub, author_or_about=(me.id, about))
        if r.author_id == me.id
        or (r.submitted and (r.person_id == me.id or access.manages(hub, me.id, r.person_id)))
    ]
    # HR and a team's own managers look the check-ins over (linked from this page)
    overview = access.may_see_team(hub, me.id, None) or any(
        access.may_see_team(hub, me.id, team) for team in sorted({p.team for p in reports})
    )
    return (
        render_template(
            "corehub_self_assessment/web/checkins.html",
            overview=overview,
            with_manager=[r for r in rows if r["person_id"] == me.id],
            with_reports=[r for r in rows if r["manager_id"] == me.id],
            reports=reports,
            due=due,
            hires=hires,
            me=me,
            form_errors=form_errors or FormErrors(),
            values=values or {},
            today=hub.clock.today().isoformat(),
        ),
        status,
    )


@bp.post("/new")
@signed_in
def create() -> Any:
    hub = current_hub()
    me = current_person()
    values = {
        "person": request.form.get("person", ""),
        "date": request.form.get("date", ""),
        "agenda": request.form.get("agenda", ""),
    }
    errors = FormErrors()
    if not values["person"]:
        errors.add("new-person", _("Choose the person you meet."))
    if not values["date"]:
        errors.add("new-date", _("Give the day you meet."))
    if errors:
        return _render_mine(errors, values, 400)
    try:
        agenda = [form_text("agenda", MAX_TEXT)] if values["agenda"].strip() else []
        with write(hub):
            checkin = checkins.create(
                hub, values["person"], values["date"], agenda_items=agenda, actor=me.id
            )
    except (ValidationError, PermissionDeniedError, NotFoundError) as exc:
        # shown by the field it is about (the library names it), in the form as typed
        errors.add_error(exc, _new_checkin_field)
        status = 403 if isinstance(exc, PermissionDeniedError) else 400
        return _render_mine(errors, values, status)
    flash(_("Check-in planned."), "success")
    return redirect(url_for(".show", checkin_id=checkin.id))


# -- the overview (HR, a team's managers) --------------------------------------------------


@bp.get("/overview")
@signed_in
def overview() -> Any:
    """Who met whom and when, per team and manager, overdue first; never the notes."""
    from corehub.web import page_of
    from corehub_self_assessment import checkins_overview

    hub = current_hub()
    me = current_person()
    teams = checkins_overview.teams(hub, actor=me.id)
    team = request.args.get("team") or None
    if team is None and not access.may_see_team(hub, me.id, None) and teams:
        team = teams[0]  # a team's manager: their (first) team
    overdue_only = request.args.get("overdue") == "1"
    page = page_of(checkins_overview.count(hub, team=team, overdue_only=overdue_only, actor=me.id))
    rows = checkins_overview.overview(
        hub,
        team=team,
        overdue_only=overdue_only,
        limit=page.limit,
        offset=page.offset,
        actor=me.id,
    )
    return render_template(
        "corehub_self_assessment/web/checkins_overview.html",
        rows=rows,
        page=page,
        teams=teams,
        team=team,
        all_teams=access.may_see_team(hub, me.id, None),
        overdue_only=overdue_only,
    )


# -- one check-in --------------------------------------------------------------------------


@bp.get("/<int:checkin_id>")
@signed_in
def show(checkin_id: int) -> Any:
    return _render_checkin(checkin_id)


def _render_checkin(
    checkin_id: int,
    form_errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    hub = current_hub()
    me = current_person()
    data = checkins.view(hub, checkin_id, actor=me.id)
    party = me.id in (data["manager_id"], data["person_id"])
    person = hub.people.get(data["person_id"])
    return (
        render_template(
            "corehub_self_assessment/web/checkin.html",
            c=data,
            party=party,
            agenda_open=hub.clock.today().isoformat() <= data["day"],
            may_carry=party and plans.may_edit(hub, access.viewer(hub, me.id), person),
            form_errors=form_errors or FormErrors(),
            values=values or {},
        ),
        status,
    )


def _add_text(
    checkin_id: int, add: Callable[..., Any], kind: str, anchor: str, done: str, label: str
) -> Any:
    """One text added to a check-in (``kind`` agenda or note), or the page again with the
    problem beside its field (``<kind>-text``) and the text as typed."""
    hub = current_hub()
    text = request.form.get("text", "")
    try:
        with write(hub):
            add(hub, checkin_id, form_text("text", MAX_TEXT), actor=current_person().id)
    except ValidationError as exc:
        field: str | None = f"{kind}-text"
        if kind == "agenda" and hub.clock.today() > checkins.find(hub, checkin_id).day:
            field = None  # the page has no agenda form once the check-in is over
        errors = FormErrors().add_error(exc, default=field, label=label)
        return _render_checkin(checkin_id, errors, {kind: text}, 400)
    flash(done, "success")
    return redirect(url_for(".show", checkin_id=checkin_id) + f"#{anchor}")


@bp.post("/<int:checkin_id>/agenda")
@signed_in
def add_agenda(checkin_id: int) -> Any:
    return _add_text(
        checkin_id,
        checkins.add_agenda_item,
        "agenda",
        "agenda",
        _("Added to the agenda."),
        _("Agenda"),
    )


@bp.post("/<int:checkin_id>/notes")
@signed_in
def add_note(checkin_id: int) -> Any:
    return _add_text(
        checkin_id,
        checkins.add_note,
        "note",
        "notes",
        _("Note added. Only the two of you read it."),
        _("Notes"),
    )


@bp.post("/<int:checkin_id>/actions")
@signed_in
def add_action(checkin_id: int) -> Any:
    hub = current_hub()
    values = {
        "text": request.form.get("text", ""),
        "owner": request.form.get("owner", ""),
        "due": request.form.get("due", ""),
        "goal": request.form.get("goal", ""),
    }
    try:
        with write(hub):
            checkins.add_action(
                hub,
                checkin_id,
                form_text("text", MAX_TEXT),
                owner=values["owner"],
                due=values["due"],
                goal=values["goal"] or None,
                actor=current_person().id,
            )
    except ValidationError as exc:
        errors = FormErrors().add_error(
            exc, ACTION_FIELDS, default="action-text", label=_("Action items")
        )
        return _render_checkin(checkin_id, errors, values, 400)
    flash(_("Action item added."), "success")
    return redirect(url_for(".show", checkin_id=checkin_id) + "#actions")


@bp.post("/actions/<int:action_id>/done")
@signed_in
def action_done(action_id: int) -> Any:
    hub = current_hub()
    done = request.form.get("done", "1") == "1"
    with write(hub):
        action = checkins.set_done(hub, action_id, done, actor=current_person().id)
    flash(_("Marked done.") if action.done else _("Marked open again."), "success")
    return redirect(url_for(".show", checkin_id=action.checkin_id) + "#actions")


@bp.post("/actions/<int:action_id>/plan")
@signed_in
def action_to_plan(action_id: int) -> Any:
    """Carry an action item into the person's development plan (linked both ways)."""
    hub = current_hub()
    item = checkins.find_action(hub, action_id)
    try:
        with write(hub):
            carried = plans.carry_checkin_action(hub, action_id, actor=current_person().id)
    except ValidationError as exc:
        errors = FormErrors().add_error(exc, label=_("Action items"))
        return _render_checkin(item.checkin_id, errors, {}, 400)
    flash(_("Carried into the development plan as action #%(id)s.", id=carried["id"]), "success")
    return redirect(url_for(".show", checkin_id=item.checkin_id) + "#actions")


# -- new-hire reviews ----------------------------------------------------------------------


@bp.route("/new-hire/<int:review_id>", methods=["GET", "POST"])
@signed_in
def new_hire(review_id: int) -> Any:
    hub = current_hub()
    me = current_person()
    review = newhire.find_by_id(hub, review_id)
    newhire.require_see(hub, review, me.id)
    person = hub.people.get(review.person_id)
    if review.submitted or review.author_id != me.id:
        return render_template(
            "corehub_self_assessment/web/newhire_view.html",
            review=review,
            person=person,
            answers=[
                {
                    "text": question.text,
                    "answer": display_answer(
                        review.form, question, review.answers.get(question.id), active()
                    ),
                }
                for _section, question in questions_for(review.form, review.kind)
            ],
        )
    values: dict[str, Any] = dict(review.answers)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        submit = request.form.get("action") == "submit"
        posted = parse_answers(review.form, review.kind, request.form)
        try:
            with write(hub):
                saved = newhire.save(
                    hub,
                    review.person_id,
                    review.day,
                    review.kind,
                    posted,
                    submit=submit,
                    replace=True,
                    where="web",
                    actor=me.id,
                )
        except ValidationError as exc:
            status = 400
            errors, general = field_errors(exc.problems, review.form)
            if not errors and not general:
                general = [text_of(exc.summary, active())]
            values = posted
        else:
            flash(_("Submitted.") if saved.submitted else _("Draft saved."), "success")
            return redirect(request.path)
    sections = form_sections(review.form, review.kind, values, errors)
    return (
        render_template(
            "corehub_self_assessment/web/newhire_fill.html",
            review=review,
            person=person,
            sections=sections,
            form_errors=page_problems(sections, general, []),
            overdue=review.due < hub.clock.today(),
        ),
        status,
    )
