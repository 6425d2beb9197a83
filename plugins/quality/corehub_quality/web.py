"""The quality plugin's pages in ``corehub serve``.

- ``/quality/``: the signed-in person's grading tasks, their own graded tickets (to
  acknowledge or dispute) and the disputes they may resolve;
- ``/quality/task/<id>``: the conversation beside the scorecard: draft, submit, a
  comment per criterion (only the task's grader, or HR);
- ``/quality/dispute/<id>``: resolve a dispute with a reasoned answer;
- ``/quality/calibration/<id>``: a closed session's agreement per criterion;
- ``/quality/articles/<id>``: a knowledge article's check on the content standard
  (:mod:`corehub_quality.article_web`: only the check's coach, or HR).

Who may see or do what is decided by the library (:mod:`corehub_quality.grading`,
:mod:`corehub_quality.disputes`, :mod:`corehub_quality.calibration`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from flask import flash, redirect, render_template, request, url_for

from corehub.errors import CorehubError, PermissionDeniedError
from corehub.i18n import N_, active
from corehub.models import NavItem, Route, Text
from corehub.web import (
    FormErrors,
    current_hub,
    current_person,
    form_text,
    signed_in,
    write,
)
from corehub.web import gettext as _
from corehub_quality import articles, calibration, disputes, grading, sampling
from corehub_quality.blueprint import bp

if TYPE_CHECKING:
    from corehub import Hub


def route(hub: Hub) -> Route:
    return Route(
        name="quality",
        blueprint=bp,
        url_prefix="/quality",
        nav=(NavItem(label=N_("Quality"), endpoint="quality.home", order=45),),
    )


def _problems(
    exc: CorehubError, text_field: str | None = None, card: dict[str, Any] | None = None
) -> FormErrors:
    """An error as a page shows it: each criterion's problem beside its answers (the first
    radio; the summary names the criterion of ``card``), a dispute's reason or answer
    beside ``text_field``, the rest on top."""
    from corehub.messages import Message

    def field(problem: Any) -> str | None:
        where = problem.where if isinstance(problem, Message) else None
        if not where:
            return None
        if "answers." in where:
            return f"a-{where.rsplit('answers.', 1)[1]}-1"
        if "comments." in where:
            return f"c-{where.rsplit('comments.', 1)[1]}"
        if where == "--reason" or where == "--answer":
            return text_field
        return None

    labels: dict[str, str] = {}
    locale = active().language
    for category in (card or {}).get("categories", []):
        for criterion in category["criteria"]:
            text = Text.of(criterion["text"]).get(locale).rstrip(".")
            labels[f"a-{criterion['id']}-1"] = text
            labels[f"c-{criterion['id']}"] = text
    return FormErrors().add_error(exc, field, labels=labels)


def channel_label(channel: str) -> str:
    """A ticket's channel (as the import stores it: ``email``, ``chat``...) in the request's
    language; one corehub does not know is shown as exported."""
    t = active()
    words = {
        "email": t.pgettext("ticket channel", "email"),
        "web": t.pgettext("ticket channel", "web form"),
        "chat": t.pgettext("ticket channel", "chat"),
        "phone": t.pgettext("ticket channel", "phone"),
    }
    return words.get(channel, channel)


def rating_label(rating: str) -> str:
    """A customer's satisfaction rating as exported (``good``, ``bad``, ``4``...) in the
    request's language."""
    t = active()
    words = {
        "good": t.pgettext("customer rating", "good"),
        "bad": t.pgettext("customer rating", "bad"),
    }
    return words.get(str(rating).strip().lower(), str(rating))


def dispute_label(status: str) -> str:
    """A dispute's status (``open``, ``changed``, ``upheld``) in the request's language."""
    t = active()
    words = {
        "open": t.pgettext("dispute status", "awaiting an answer"),
        "changed": t.pgettext("dispute status", "grade changed"),
        "upheld": t.pgettext("dispute status", "grade upheld"),
    }
    return words.get(status, status)


def criteria_rows(
    card: dict[str, Any],
    answers: dict[str, Any],
    comments: dict[str, Any],
    locale: str,
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
                }
            )
        categories.append({"title": Text.of(category["title"]).get(locale), "criteria": rows})
    return categories


# -- the views -------------------------------------------------------------------


@bp.get("/")
@signed_in
def home() -> Any:
    return home_page()


def home_page(
    errors: FormErrors | None = None,
    disputed: int | None = None,
    reason: str = "",
    status: int = 200,
) -> Any:
    """The quality page; after a dispute that was refused, ``disputed`` is its grade (its
    form stays open with the ``reason`` typed) and ``errors`` its problems."""
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
    article_checks = articles.list_checks(hub, coach=me.id, status="open")
    named = sorted(
        {t["agent_id"] for t in tasks}
        | {g["agent"] for g in team_grades}
        | {d["agent"] for d in to_resolve}
        | {c["author_id"] for c in article_checks}
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
        article_checks=article_checks,
        form_errors=errors or FormErrors(),
        channel_label=channel_label,
        dispute_label=dispute_label,
        disputed=disputed,
        reason=reason,
    ), status


def task_page(task_id: int, errors: FormErrors | None = None, values: Any = None) -> Any:
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
            categories=criteria_rows(card, answers, comments, active().language),
            form_errors=errors or FormErrors(),
            submitted=task["status"] == "submitted",
            score=saved[0]["score"] if saved else None,
            action=url_for(".grade", task_id=task_id),
            blind=None,
            channel_label=channel_label,
            rating_label=rating_label,
        ),
        400 if errors else 200,
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
        return task_page(task_id, _problems(exc, card=card), (answers, comments))
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
        problems = _problems(exc, f"reason-{grade_id}")
        return home_page(problems, grade_id, request.form.get("reason", ""), 400)
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
    errors = FormErrors()
    typed = ""
    if request.method == "POST":
        ids = [q["id"] for c in card["categories"] for q in c["criteria"]]
        posted = {qid: request.form.get(f"a-{qid}", "") for qid in ids}
        changes = {k: v for k, v in posted.items() if v and v != answers.get(k)}
        typed = request.form.get("answer", "")
        try:
            with write(hub):
                disputes.resolve(
                    hub, dispute_id, form_text("answer", 2000), changes=changes, actor=me.id
                )
        except CorehubError as exc:
            errors = _problems(exc, "answer", card)
            answers = answers | posted
        else:
            flash(_("Dispute resolved."), "success")
            return redirect(url_for(".home"))
    return (
        render_template(
            "corehub_quality/web/resolve.html",
            dispute=found,
            categories=criteria_rows(card, answers, json.loads(row["comments"]), active().language),
            form_errors=errors,
            answer=typed,
        ),
        400 if errors else 200,
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
    errors = FormErrors()
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
            errors = _problems(exc, card=card)
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
            categories=criteria_rows(card, answers, comments, active().language),
            form_errors=errors,
            submitted=status == "submitted" or session["status"] != "open",
            score=None,
            action=url_for(".calibration_grade", session_id=session_id, ticket=ticket),
            blind=session["name"],
            channel_label=channel_label,
            rating_label=rating_label,
        ),
        400 if errors else 200,
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
