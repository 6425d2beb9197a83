"""The feedback plugin's pages in ``corehub serve``.

Give praise; send a suggestion, anonymously if you like; follow the suggestion pipeline
and its answers (and answer them, for managers, HR and named reviewers); peer feedback
tasks; upward feedback and the pulse survey; results, shown only at the anonymity
threshold. The rules are the library's (:mod:`corehub_feedback.store` and friends).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import flask
from flask import flash, redirect, render_template, request, url_for

from corehub.errors import CorehubError, NotFoundError, ValidationError
from corehub.i18n import N_
from corehub.messages import M_, Message
from corehub.models import CycleStatus, NavItem, Route
from corehub.web import FormErrors, current_hub, current_person, form_text, signed_in, write
from corehub.web import gettext as _
from corehub_feedback import access, kinds, peers, results, store, suggestions

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person


def route(hub: Hub) -> Route:
    return Route(
        name="feedback",
        blueprint=bp,
        url_prefix="/feedback",
        nav=(
            NavItem(label=N_("Feedback"), endpoint="feedback.home", order=40),
            NavItem(label=N_("Suggestions"), endpoint="feedback.pipeline", order=41),
            NavItem(label=N_("Feedback results"), endpoint="feedback.results_page", order=42),
        ),
        task_endpoints={"peer": "feedback.peer"},
        task_labels={"peer": N_("Peer feedback")},
    )


def _rating(value: str, what: str) -> float | None:
    """A posted rating; ``what`` (``M_("the rating")``) names it in the error."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(int(value))
    except ValueError:
        raise ValidationError(
            M_("%(what)s: %(value)s is not a whole number", what=what, value=repr(value))
        ) from None


def tag_label(tag: str) -> str:
    """A praise tag as the page shows it: a competency's label in the request's language."""
    from corehub.i18n import active

    return store.tag_label(tag, active())


def suggestion_status(status: str) -> str:
    """A suggestion's status word (``under review``) in the request's language."""
    from corehub.i18n import active

    t = active()
    words = {
        "new": t.pgettext("suggestion status", "new"),
        "under_review": t.pgettext("suggestion status", "under review"),
        "accepted": t.pgettext("suggestion status", "accepted"),
        "declined": t.pgettext("suggestion status", "declined"),
        "implemented": t.pgettext("suggestion status", "implemented"),
    }
    return words.get(status, status.replace("_", " "))


# What the library's problems are about (their msgids), for the page's fields.
TEXT_PROBLEMS = {
    "%(what)s is empty: say something",
    "%(what)s is %(length)s characters long; the limit is %(limit)s",
}
RATING_PROBLEMS = {
    "%(kind)s feedback needs a rating from %(low)s to %(high)s",
    "rating %(rating)s is not a whole number from %(low)s to %(high)s",
    "%(what)s: %(value)s is not a whole number",
    "upward feedback needs a rating (1-5), a text, or both",
}
RECIPIENT_PROBLEMS = {
    "%(role)s %(id)r is not a known person",
    "%(role)s %(id)r is no longer active",
    "%(kind)s feedback needs a recipient",
    "%(kind)s feedback cannot be given to yourself",
}
TAG_PROBLEMS = {
    "tags are short lowercase words (letters, digits, _ and -):",
    "at most %(limit)s tags, not %(count)s",
}
PEER_TEXTS = {"what to keep doing": "keep", "what to improve": "improve"}


def fields_of(form: str, first_rating: int = 1) -> Any:
    """Which field of ``form`` (``praise``, ``pulse``...) a problem of the library is about:
    the id of its input on the page, or None (the form as a whole)."""

    def field(problem: Any) -> str | None:
        if not isinstance(problem, Message):
            return None
        msgid = problem.msgid
        if msgid in TEXT_PROBLEMS:
            what = str(problem.params.get("what", ""))
            return PEER_TEXTS.get(what, f"{form}-text")
        if msgid in RATING_PROBLEMS:
            return f"{form}-rating-{first_rating}"
        if msgid in RECIPIENT_PROBLEMS and form == "praise":
            return "praise-to"
        if msgid in TAG_PROBLEMS:
            return "praise-tags"
        if msgid == "say what to keep doing, what to improve, or both":
            return "keep"
        return None

    return field


# -- the views -------------------------------------------------------------------

bp = flask.Blueprint("feedback", __name__)
"""The plugin's pages, module-level views registered by :func:`route` (one blueprint
serves every app built, each view reads the request's Hub with ``current_hub()``)."""


def open_cycles(hub: Hub) -> list[Any]:
    return hub.cycles.list(status=CycleStatus.OPEN)


def home_page(
    errors: FormErrors | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    failed: str = "",
) -> Any:
    """The feedback page; after a failed send, ``failed`` names the form (``praise``...)
    whose ``errors`` the page shows and ``values`` what was typed in it."""
    hub = current_hub()
    me = current_person()
    mine = store.list_feedback(hub, actor=me.id, kind=kinds.PRAISE, involving=me.id, limit=20)
    named = sorted({i for item in mine for i in (item.author_id, item.recipient_id) if i})
    names = {p.id: p.name for p in map(hub.people.find, named) if p is not None}
    find = request.args.get("find", "").strip()[:100]
    colleagues = colleagues_for(hub, me, find)
    chosen = (values or {}).get("praise-to")
    if chosen and chosen not in {p.id for p in colleagues}:
        # the colleague a praise that was sent back was meant for stays chosen
        colleagues = [p for p in [hub.people.find(chosen)] if p is not None] + colleagues
    manager = hub.people.find(me.manager_id) if me.manager_id else None
    today = hub.clock.today()
    month = store.survey_period(kinds.PULSE, today, None) or ""
    cycles = open_cycles(hub)
    upward_cycles = [
        c
        for c in cycles
        if not results.window_closed(hub, c, kinds.UPWARD)
        and not store.has_answered(
            hub, kinds.UPWARD, store.survey_period(kinds.UPWARD, today, c.id) or "", me.id
        )
    ]
    return (
        render_template(
            "corehub_feedback/web/home.html",
            praise=mine,
            names=names,
            colleagues=colleagues,
            find=find,
            more_colleagues=len(colleagues) > COLLEAGUES,
            shown_colleagues=COLLEAGUES,
            manager=manager,
            cycles=cycles,
            upward_cycles=upward_cycles,
            upward_open=[c for c in cycles if not results.window_closed(hub, c, kinds.UPWARD)],
            pulse_answered=store.has_answered(hub, kinds.PULSE, month, me.id),
            next_month=(today.replace(day=28) + dt.timedelta(days=4)).replace(day=1),
            form_errors=errors or FormErrors(),
            failed=failed,
            values=values or {},
            threshold=results.threshold(hub),
            tag_label=tag_label,
        ),
        status,
    )


COLLEAGUES = 100
"""How many colleagues the praise form offers at once; a search narrows them down."""


def colleagues_for(hub: Hub, me: Person, find: str = "") -> list[Person]:
    """Whom the praise form offers, read in SQL: with ``find``, the active people whose name,
    team or id contains it; without, the giver's own team, manager and reports. At most
    :data:`COLLEAGUES` (one more tells the page there are more to narrow down)."""
    from corehub.web import people_from

    if find:
        pattern = "%" + find.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where = (
            "(name LIKE :find ESCAPE '\\' OR team LIKE :find ESCAPE '\\' "
            "OR id LIKE :find ESCAPE '\\')"
        )
    else:
        pattern = ""
        where = "((team = :team AND team != '') OR id = :manager OR manager_id = :me)"
    return people_from(
        hub,
        f"SELECT * FROM people WHERE active = 1 AND id != :me AND {where} "
        "ORDER BY id = :manager DESC, team, name, id LIMIT :limit",
        {
            "me": me.id,
            "team": me.team or "",
            "manager": me.manager_id or "",
            "find": pattern,
            "limit": COLLEAGUES + 1,
        },
    )


@bp.get("/")
@signed_in
def home() -> Any:
    return home_page()


def give(form: str, done: str, **kwargs: Any) -> Any:
    hub = current_hub()
    try:
        with write(hub):
            store.give(hub, actor=current_person().id, **kwargs)
    except (ValidationError, CorehubError) as exc:
        values = {f"{form}-{k}": v for k, v in request.form.items() if k != "csrf_token"}
        first = 0 if form == "pulse" else 1
        return home_page(FormErrors().add_error(exc, fields_of(form, first)), values, 400, form)
    flash(done, "success")
    return redirect(url_for(".home"))


@bp.post("/praise")
@signed_in
def praise() -> Any:
    tags = [t for t in form_text("tags", 500).replace(",", " ").split() if t]
    return give(
        "praise",
        _("Praise sent."),
        kind=kinds.PRAISE,
        to=request.form.get("to") or None,
        text=form_text("text"),
        tags=tags,
    )


@bp.post("/suggestion")
@signed_in
def suggestion() -> Any:
    anonymous = request.form.get("anonymous") == "yes"
    return give(
        "suggestion",
        _(
            "Suggestion sent anonymously: nobody can see it came from you. It appears in "
            "Suggestions tomorrow, with the others sent today."
        )
        if anonymous
        else _("Suggestion sent."),
        kind=kinds.SUGGESTION,
        text=form_text("text"),
        anonymous=anonymous,
    )


@bp.post("/pulse")
@signed_in
def pulse() -> Any:
    try:
        rating = _rating(request.form.get("rating", ""), M_("your answer"))
    except ValidationError as exc:
        values = {f"pulse-{k}": v for k, v in request.form.items() if k != "csrf_token"}
        problems = FormErrors().add_error(exc, fields_of("pulse", 0))
        return home_page(problems, values, 400, "pulse")
    return give(
        "pulse",
        _("Thank you: your answer is counted anonymously."),
        kind=kinds.PULSE,
        rating=rating,
        text=form_text("text"),
    )


@bp.post("/upward")
@signed_in
def upward() -> Any:
    try:
        rating = _rating(request.form.get("rating", ""), M_("the rating"))
    except ValidationError as exc:
        values = {f"upward-{k}": v for k, v in request.form.items() if k != "csrf_token"}
        problems = FormErrors().add_error(exc, fields_of("upward"))
        return home_page(problems, values, 400, "upward")
    return give(
        "upward",
        _("Thank you: your feedback about your manager is anonymous."),
        kind=kinds.UPWARD,
        rating=rating,
        text=form_text("text"),
        cycle=request.form.get("cycle") or None,
    )


def pipeline_page(
    errors: FormErrors | None = None,
    status: int = 200,
    failed: int | None = None,
    values: dict[str, str] | None = None,
) -> Any:
    """The suggestion pipeline; after a failed answer, ``failed`` is the suggestion it was
    about, ``errors`` its problems and ``values`` what was typed."""
    from corehub.web import page_of

    hub = current_hub()
    me = current_person()
    status_filter = request.args.get("status") or None
    counts = suggestions.counts_by_status(hub)
    # a page of what the reader may read, chosen and counted in SQL
    _, total = suggestions.pipeline_page(hub, actor=me.id, status=status_filter, limit=0)
    page = page_of(total)
    items, _ = suggestions.pipeline_page(
        hub, actor=me.id, status=status_filter, limit=page.limit, offset=page.offset
    )
    who = access.viewer(hub, me.id)
    named = sorted(
        {i.author_id for i in items if i.author_id}
        | {r.responder_id for i in items for r in i.responses if r.responder_id}
    )
    names = {p.id: p.name for p in map(hub.people.find, named) if p is not None}
    return (
        render_template(
            "corehub_feedback/web/pipeline.html",
            items=items,
            names=names,
            me=me,
            reviewer=store.can_review_suggestions(hub, who),
            transitions=suggestions.TRANSITIONS,
            suggestion_status=suggestion_status,
            counts=counts,
            page=page,
            status_filter=status_filter,
            form_errors=errors or FormErrors(),
            failed=failed,
            values=values or {},
        ),
        status,
    )


@bp.get("/suggestions")
@signed_in
def pipeline() -> Any:
    return pipeline_page()


@bp.post("/suggestions/<int:suggestion_id>/respond")
@signed_in
def respond(suggestion_id: int) -> Any:
    hub = current_hub()
    try:
        with write(hub):
            suggestions.respond(
                hub,
                suggestion_id,
                text=form_text("text"),
                status=request.form.get("status") or None,
                actor=current_person().id,
            )
    except ValidationError as exc:
        listed = any(
            x.id == suggestion_id for x in suggestions.pipeline(hub, actor=current_person().id)
        )
        # an answer to an id the list does not show (not a suggestion): about no field
        prefix = f"r{suggestion_id}"

        def field(problem: Any) -> str | None:
            if not listed or not isinstance(problem, Message):
                return None
            if problem.msgid in TEXT_PROBLEMS:
                return f"{prefix}-text"
            if problem.msgid.startswith("suggestion %(id)s is %(current)s"):
                return f"{prefix}-status"
            return None

        values = {"text": request.form.get("text", ""), "status": request.form.get("status", "")}
        problems = FormErrors().add_error(exc, field)
        return pipeline_page(problems, 400, suggestion_id, values)
    flash(_("Answer sent."), "success")
    return redirect(url_for(".pipeline"))


@bp.route("/peer/<int:cycle_id>/<person_id>", methods=["GET", "POST"])
@signed_in
def peer(cycle_id: int, person_id: str) -> Any:
    hub = current_hub()
    me = current_person()
    cycle = hub.cycles.get(cycle_id)
    try:
        task = hub.cycles.task(cycle, kinds.PEER, me.id, person_id)
    except NotFoundError:
        about = hub.people.find(person_id)
        raise NotFoundError(
            M_(
                "you were not asked for peer feedback on %(person)s in %(cycle)r",
                person=about.name if about else person_id,
                cycle=cycle.name,
            )
        ) from None
    subject: Person = hub.people.get(person_id)
    errors, status = FormErrors(), 200
    if request.method == "POST":
        try:
            rating = _rating(request.form.get("rating", ""), M_("the rating"))
            with write(hub):
                peers.submit_peer(
                    hub,
                    cycle=cycle_id,
                    about=person_id,
                    rating=rating,
                    keep_doing=form_text("keep_doing"),
                    improve=form_text("improve"),
                    actor=me.id,
                )
        except ValidationError as exc:
            errors.add_error(exc, fields_of("peer"))
            status = 400
        else:
            flash(_("Thank you: your feedback on %(name)s is in.", name=subject.name), "success")
            return redirect(url_for("corehub.tasks"))
    return (
        render_template(
            "corehub_feedback/web/peer.html",
            cycle=cycle,
            subject=subject,
            task=task,
            form_errors=errors,
            values=request.form,
            threshold=results.threshold(hub),
            due=cycle.due_for(kinds.PEER),
            closed=results.window_closed(hub, cycle, kinds.PEER),
        ),
        status,
    )


@bp.get("/results")
@signed_in
def results_page() -> Any:
    hub = current_hub()
    me = current_person()
    who = access.viewer(hub, me.id)
    person_id = request.args.get("person", me.id)
    access.require_see_person(hub, who, person_id)
    person = hub.people.get(person_id)
    managing = bool(hub.people.reports(person.id))
    shown = []
    for cycle in hub.cycles.list():
        if cycle.status is CycleStatus.DRAFT:
            continue
        shown.append(
            {
                "cycle": cycle,
                "peer": results.peer_results(hub, cycle.id, person.id),
                "peer_after": results.results_after(hub, cycle, kinds.PEER),
                "peer_progress": peers.peer_progress(
                    hub, cycle=cycle.id, person=person.id, actor=me.id
                ),
                "upward": results.upward_results(hub, cycle.id, person.id) if managing else None,
                "upward_after": results.results_after(hub, cycle, kinds.UPWARD),
            }
        )
    return render_template(
        "corehub_feedback/web/results.html",
        person=person,
        cycles=shown,
        managing=managing,
        threshold=results.threshold(hub),
    )
