"""The quality plugin's pages in ``corehub serve``.

- ``/quality/``: the signed-in person's grading tasks, their own graded tickets (to
  acknowledge or dispute) and the disputes they may resolve;
- ``/quality/task/<id>``: the conversation beside the scorecard: draft, submit, a
  comment per criterion (only the task's grader, or HR);
- ``/quality/dispute/<id>``: resolve a dispute with a reasoned answer;
- ``/quality/calibration/<id>``: a closed session's agreement per criterion.

Who may see or do what is decided by the library (:mod:`corehub_quality.grading`,
:mod:`corehub_quality.disputes`, :mod:`corehub_quality.calibration`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import flask
from flask import flash, redirect, render_template, request, url_for

from corehub.errors import CorehubError, PermissionDeniedError
from corehub.i18n import N_, active
from corehub.models import NavItem, Route, Text
from corehub.web import current_hub, current_person, error_text, form_text, signed_in, write
from corehub.web import gettext as _
from corehub_quality import calibration, disputes, grading, sampling

if TYPE_CHECKING:
    from corehub import Hub


def route(hub: Hub) -> Route:
    return Route(
        name="quality",
        blueprint=bp,
        url_prefix="/quality",
        nav=(NavItem(label=N_("Quality"), endpoint="quality.home", order=45),),
    )


def _problems(exc: CorehubError) -> tuple[dict[str, str], list[str]]:
    """An error as a page shows it: problems beside their criterion, the rest on top."""
    from corehub.i18n import active
    from corehub.messages import Message, text_of

    t = active()
    problems = getattr(exc, "problems", None)
    if not problems:
        return {}, [error_text(exc)]
    fields: dict[str, str] = {}
    general: list[str] = []
    for problem in problems:
        where = problem.where if isinstance(problem, Message) else None
        if where and "answers." in where:
            fields[where.rsplit("answers.", 1)[1]] = text_of(problem, t)
        else:
            general.append(text_of(problem, t))
    if general or not fields:
        general.insert(0, text_of(getattr(exc, "summary", ""), t))
    return fields, general


def _criteria_rows(
    card: dict[str, Any],
    answers: dict[str, Any],
    comments: dict[str, Any],
    locale: str,
    errors: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The scorecard as the page draws it: categories, criteria, allowed answers, values."""
    categories = []
    for category in card["categories"]:
        rows = []
        for criterion in category["criteria"]:
            if criterion["type"] == "yes_no":
                options = [("yes", _("Yes")), ("no", _("No"))]
            else:
                points = card["scales"][criterion["scale"]]["points"]
                options = [
                    (str(p["value"]), f"{p['value']} {Text.of(p['label']).get(locale)}")
                    for p in points
                ]
            options.append(("na", _("Does not apply")))
            rows.append(
                {
                    "id": criterion["id"],
                    "text": Text.of(criterion["text"]).get(locale),
                    "critical": criterion["critical"],
                    "options": options,
                    "value": str(answers.get(criterion["id"], "")),
                    "comment": comments.get(criterion["id"], ""),
                    "error": (errors or {}).get(criterion["id"], ""),
                }
            )
        categories.append({"title": Text.of(category["title"]).get(locale), "criteria": rows})
    return categories


# -- the views -------------------------------------------------------------------

bp = flask.Blueprint("quality", __name__)
"""The plugin's pages, module-level views registered by :func:`route` (one blueprint
serves every app built, each view reads the request's Hub with ``current_hub()``)."""


@bp.get("/")
@signed_in
def home() -> Any:
    from corehub.web import page_of

    hub = current_hub()
    me = current_person()
    sessions = list(
        hub.db.query("SELECT id, name, status FROM quality_calibrations ORDER BY id DESC")
    )
    may_see_results = me.id in hub.config.organization.hr or sampling.is_grader(hub, me.id)
    to_calibrate = calibration.to_grade(hub, me.id)
    tasks = list(sampling.open_tasks(hub, me.id))  # one grader's: a few per agent they grade
    tasks_page = page_of(len(tasks), arg="tasks-page")
    tasks = tasks_page.slice(tasks)
    # the grades the reader may see, a page of each list chosen and counted in SQL
    grades_page = page_of(disputes.count_grades(hub, actor=me.id, agent=me.id), arg="mine-page")
    grades = disputes.list_grades(
        hub, actor=me.id, agent=me.id, limit=grades_page.limit, offset=grades_page.offset
    )
    team_page = page_of(disputes.count_grades(hub, actor=me.id, other_agents=True), arg="team-page")
    team_grades = disputes.list_grades(
        hub, actor=me.id, other_agents=True, limit=team_page.limit, offset=team_page.offset
    )
    to_resolve = disputes.open_disputes(hub, actor=me.id)
    named = sorted(
        {t["agent_id"] for t in tasks}
        | {g["agent"] for g in team_grades}
        | {d["agent"] for d in to_resolve}
    )
    names = {p.id: p.name for p in map(hub.people.find, named) if p is not None}
    return render_template(
        "corehub_quality/web/home.html",
        tasks=tasks,
        tasks_page=tasks_page,
        today=hub.clock.today().isoformat(),
        grades=grades,
        grades_page=grades_page,
        team_grades=team_grades,
        team_page=team_page,
        to_resolve=to_resolve,
        sessions=sessions if may_see_results else [],
        to_calibrate=to_calibrate,
        names=names,
    )


def task_page(
    task_id: int,
    errors: list[str] | None = None,
    values: Any = None,
    fields: dict[str, str] | None = None,
) -> Any:
    hub = current_hub()
    me = current_person()
    task = grading.task_row(hub, task_id)
    grading.check_grader(hub, task, me.id)
    card = grading.scorecard_for(hub, task)
    saved = list(hub.db.query("SELECT * FROM quality_grades WHERE task_id = ?", [task_id]))
    answers = json.loads(saved[0]["answers"]) if saved else {}
    comments = json.loads(saved[0]["comments"]) if saved else {}
    if values is not None:
        answers, comments = values
    agent = hub.people.find(task["agent_id"])
    return (
        render_template(
            "corehub_quality/web/task.html",
            task=task,
            agent=agent,
            conversation=json.loads(task["conversation"]),
            scorecard_title=Text.of(card["title"]).get(active().language),
            version=card["version"],
            categories=_criteria_rows(card, answers, comments, active().language, fields),
            errors=errors or [],
            submitted=task["status"] == "submitted",
            score=saved[0]["score"] if saved else None,
            action=url_for(".grade", task_id=task_id),
            blind=None,
        ),
        400 if errors or fields else 200,
    )


@bp.get("/task/<int:task_id>")
@signed_in
def task(task_id: int) -> Any:
    return task_page(task_id)


@bp.post("/task/<int:task_id>")
@signed_in
def grade(task_id: int) -> Any:
    hub = current_hub()
    me = current_person()
    task = grading.task_row(hub, task_id)
    card = grading.scorecard_for(hub, task)
    ids = [q["id"] for c in card["categories"] for q in c["criteria"]]
    answers = {qid: request.form.get(f"a-{qid}", "") for qid in ids}
    comments = {qid: form_text(f"c-{qid}", 2000) for qid in ids}
    submit = request.form.get("action") == "submit"
    try:
        with write(hub):
            grading.grade(
                hub,
                {"task": task_id, "answers": answers, "comments": comments},
                submit=submit,
                source="web",
                actor=me.id,
            )
    except CorehubError as exc:
        fields, general = _problems(exc)
        return task_page(task_id, general, (answers, comments), fields)
    flash(_("Grade submitted.") if submit else _("Draft saved."), "success")
    return redirect(url_for(".home") if submit else url_for(".task", task_id=task_id))


@bp.post("/grade/<int:grade_id>/acknowledge")
@signed_in
def acknowledge(grade_id: int) -> Any:
    hub = current_hub()
    with write(hub):
        disputes.acknowledge(hub, grade_id, actor=current_person().id)
    flash(_("Grade acknowledged."), "success")
    return redirect(url_for(".home"))


@bp.post("/grade/<int:grade_id>/dispute")
@signed_in
def dispute(grade_id: int) -> Any:
    hub = current_hub()
    try:
        with write(hub):
            disputes.dispute(hub, grade_id, form_text("reason", 2000), actor=current_person().id)
    except CorehubError as exc:
        flash(error_text(exc), "error")
        return redirect(url_for(".home"))
    flash(_("Dispute sent: another grader or your manager will answer it."), "success")
    return redirect(url_for(".home"))


@bp.route("/dispute/<int:dispute_id>", methods=["GET", "POST"])
@signed_in
def resolve(dispute_id: int) -> Any:
    hub = current_hub()
    me = current_person()
    found = next(
        (d for d in disputes.open_disputes(hub, actor=me.id) if d["dispute"] == dispute_id),
        None,
    )
    if found is None:
        raise PermissionDeniedError(_("This dispute is not open, or it is not yours to resolve."))
    row = next(iter(hub.db.query("SELECT * FROM quality_grades WHERE id = ?", [found["grade"]])))
    card = json.loads(row["scorecard"])
    answers = json.loads(row["answers"])
    errors: list[str] = []
    fields: dict[str, str] = {}
    if request.method == "POST":
        ids = [q["id"] for c in card["categories"] for q in c["criteria"]]
        posted = {qid: request.form.get(f"a-{qid}", "") for qid in ids}
        changes = {k: v for k, v in posted.items() if v and v != answers.get(k)}
        try:
            with write(hub):
                disputes.resolve(
                    hub, dispute_id, form_text("answer", 2000), changes=changes, actor=me.id
                )
        except CorehubError as exc:
            fields, errors = _problems(exc)
            answers = answers | posted
        else:
            flash(_("Dispute resolved."), "success")
            return redirect(url_for(".home"))
    return (
        render_template(
            "corehub_quality/web/resolve.html",
            dispute=found,
            categories=_criteria_rows(
                card, answers, json.loads(row["comments"]), active().language, fields
            ),
            errors=errors,
        ),
        400 if errors or fields else 200,
    )


@bp.route("/calibration/<int:session_id>/<ticket>", methods=["GET", "POST"])
@signed_in
def calibration_grade(session_id: int, ticket: str) -> Any:
    """A session grader's blind grade of one ticket (others' answers stay hidden)."""
    hub = current_hub()
    me = current_person()
    session = calibration.session(hub, session_id)
    calibration.check_grader(hub, session, me.id)
    row = calibration.session_ticket(hub, session, ticket)
    card = json.loads(row["scorecard"])
    answers, comments, status = calibration.own_grade(hub, session, row, me.id)
    fields: dict[str, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        ids = [q["id"] for c in card["categories"] for q in c["criteria"]]
        answers = {qid: request.form.get(f"a-{qid}", "") for qid in ids}
        comments = {qid: form_text(f"c-{qid}", 2000) for qid in ids}
        submit = request.form.get("action") == "submit"
        try:
            with write(hub):
                calibration.grade(
                    hub,
                    {
                        "calibration": session["name"],
                        "ticket": ticket,
                        "answers": answers,
                        "comments": comments,
                    },
                    submit=submit,
                    source="web",
                    actor=me.id,
                )
        except CorehubError as exc:
            fields, errors = _problems(exc)
        else:
            flash(_("Grade submitted.") if submit else _("Draft saved."), "success")
            return redirect(url_for(".home"))
    task = dict(row) | {"task_id": None, "due": None}
    return (
        render_template(
            "corehub_quality/web/task.html",
            task=task,
            agent=hub.people.find(row["agent_id"]),
            conversation=json.loads(row["conversation"]),
            scorecard_title=Text.of(card["title"]).get(active().language),
            version=card["version"],
            categories=_criteria_rows(card, answers, comments, active().language, fields),
            errors=errors,
            submitted=status == "submitted" or session["status"] != "open",
            score=None,
            action=url_for(".calibration_grade", session_id=session_id, ticket=ticket),
            blind=session["name"],
        ),
        400 if errors or fields else 200,
    )


@bp.get("/calibration/<int:session_id>")
@signed_in
def calibration_results(session_id: int) -> Any:
    hub = current_hub()
    me = current_person()
    if me.id not in hub.config.organization.hr and not sampling.is_grader(hub, me.id):
        raise PermissionDeniedError(_("Calibration results are for graders and HR."))
    data = calibration.results(hub, str(session_id), locale=active().language)
    return render_template("corehub_quality/web/calibration.html", data=data)
