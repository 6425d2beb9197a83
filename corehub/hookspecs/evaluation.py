"""Evaluation hooks: forms, enrolment and tasks, scoring, and the review life cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    import datetime as dt
    from os import PathLike

    from corehub.context import HubContext as Hub
    from corehub.messages import Message
    from corehub.models import (
        Cycle,
        Evidence,
        Form,
        Person,
        PlanItem,
        Review,
        ReviewScore,
        Task,
        TaskKind,
        TaskSpec,
    )


@hookspec
def register_forms(hub: Hub) -> list[Form | str | PathLike[str]] | None:
    """Return review forms to offer.

    :param hub: the Hub asking.
    :returns: a list of ``corehub.models.Form``, or of paths (``str`` or ``Path``) of YAML
        form files, read with ``corehub.forms.load_form``. Two plugins returning the same form
        id is an error naming both, unless one form sets ``replaces=True``.

    Called whenever the set of forms is needed (listing forms, opening a cycle).
    """


@hookspec(firstresult=True)
def select_form(hub: Hub, cycle: Cycle, person: Person) -> Form | None:
    """Choose the form for ``person``'s reviews in ``cycle``.

    :param hub: the Hub.
    :param cycle: the cycle the person is being enrolled in.
    :param person: the person to be reviewed.
    :returns: a ``Form``, or None to let the next implementation decide. The first
        non-None answer wins, so an organization plugin can override the default choice
        (by role, then level).

    Called once per person when a cycle enrols them.
    """


@hookspec
def register_task_kinds(hub: Hub) -> list[TaskKind] | None:
    """Return the kinds of task this plugin creates in cycles (``self``, ``peer``...).

    :param hub: the Hub asking.
    :returns: a list of ``corehub.models.TaskKind``. Two plugins returning the same name is
        an error naming both, unless one kind sets ``replaces=True``.

    Called when a cycle is created, to check the kinds named in its due dates
    (``corehub cycle create --due self=2026-11-15``): a kind nobody registered is refused.
    """


@hookspec
def cycle_tasks(hub: Hub, cycle: Cycle, person: Person) -> list[TaskSpec] | None:
    """Return the tasks to create when ``person`` is enrolled in ``cycle``.

    :param hub: the Hub.
    :param cycle: the cycle being opened.
    :param person: the person being enrolled.
    :returns: a list of ``TaskSpec`` (kind, assignee, subject, due, after). Tasks are
        keyed by (cycle, kind, assignee, subject): opening a cycle twice never creates a
        task twice.

    Called for every person in scope, inside the transaction of ``corehub cycle open``,
    unless the plugin implements ``cycle_tasks_batch`` (then that is called instead).
    """


@hookspec
def cycle_tasks_batch(
    hub: Hub, cycle: Cycle, people: list[Person]
) -> dict[str, list[TaskSpec]] | None:
    """Return the tasks to create for everyone enrolled in ``cycle`` by one opening.

    The batched form of ``cycle_tasks``: one call for all the people enrolled, so an
    implementation can fetch what it needs in one query instead of one per person.

    :param hub: the Hub.
    :param cycle: the cycle being opened.
    :param people: the people being enrolled, in enrolment order (never empty).
    :returns: a dict from person id (of someone in ``people``) to that person's list of
        ``TaskSpec``, exactly as ``cycle_tasks`` would return it for them; people left out
        get no tasks from this plugin. A plugin that implements both hooks is called only
        through this one when a cycle opens (its ``cycle_tasks`` still answers direct calls).

    Called once per opening that enrols anyone, inside the transaction of
    ``corehub cycle open``, in the same plugin order as ``cycle_tasks``.
    """


@hookspec
def person_enrolled(hub: Hub, cycle: Cycle, person: Person) -> None:
    """React to ``person`` joining ``cycle`` (e.g. copy their form into a new review).

    :param hub: the Hub.
    :param cycle: the cycle.
    :param person: the person newly enrolled.
    :returns: nothing. Raising rolls back the whole opening of the cycle.

    Called once per person and cycle, inside the opening transaction, after the
    person's tasks were created, unless the plugin implements ``people_enrolled``
    (then that is called instead, once for everyone).
    """


@hookspec
def people_enrolled(hub: Hub, cycle: Cycle, people: list[Person]) -> None:
    """React to ``people`` joining ``cycle`` together (e.g. create all their reviews).

    The batched form of ``person_enrolled``: one call for everyone one opening enrols, so
    an implementation writes its rows with one ``insert_all`` and reads shared things
    (forms, settings) once.

    :param hub: the Hub.
    :param cycle: the cycle.
    :param people: the people newly enrolled, in enrolment order (never empty).
    :returns: nothing. Raising rolls back the whole opening. A plugin that implements
        both hooks is called only through this one when a cycle opens.

    Called once per opening that enrols anyone, inside the opening transaction, after
    the tasks were created, in the same plugin order as ``person_enrolled``.
    """


@hookspec
def cycle_opened(hub: Hub, cycle: Cycle) -> None:
    """React to a cycle being opened.

    :param hub: the Hub.
    :param cycle: the cycle, now with status ``open``.
    :returns: nothing. Raising rolls back the whole opening.

    Called once per cycle, inside the opening transaction, after every person in
    scope has been enrolled.
    """


@hookspec
def task_completed(hub: Hub, task: Task) -> None:
    """React to a cycle task being done.

    :param hub: the Hub.
    :param task: the task, with status ``done``.
    :returns: nothing. Raising rolls back the completion.

    Called inside the transaction that marks the task done.
    """


@hookspec
def validate_review(hub: Hub, review: Review, form: Form) -> list[Message] | None:
    """Check a review before it is submitted.

    :param hub: the Hub.
    :param review: the review about to be submitted (answers included).
    :param form: the form copy the review was started with.
    :returns: a list of problems made with ``corehub.messages.M_``, each naming what it is
        about in ``where``: a question id (``M_("required", where="q_listening")``), or a
        goal row and field (``where="goals_next[0].due"``); a problem about no single
        question has no ``where``. Empty or None when the review is fine. All plugins'
        problems are reported together and nothing is saved when there is any. The web
        form shows each problem beside the question its ``where`` names, in the reader's
        language. A plain string is still accepted for one release (deprecated): it is
        reported as it is, above the form rather than beside a question.

    Called on submit, before anything is written.
    """


@hookspec(firstresult=True)
def score_review(hub: Hub, review: Review, form: Form) -> ReviewScore | None:
    """Score a review: per section, per competency and overall.

    :param hub: the Hub.
    :param review: the review to score.
    :param form: the form copy the review was answered on.
    :returns: a ``ReviewScore``, or None to let the next implementation score it. The
        default weighs the rated questions and re-normalises over what was rated ("not
        rated" is never zero); an organization plugin replaces it by answering first.

    Called when a review is submitted (the result is stored with the plugin's name and
    version, and never recomputed on reading), for a draft's preview, and by
    ``corehub review rescore`` on an open cycle.
    """


@hookspec
def review_submitted(hub: Hub, review: Review) -> None:
    """React to a review being submitted.

    :param hub: the Hub.
    :param review: the review, with status ``submitted``.
    :returns: nothing. Raising rolls back the submission.

    Called inside the submitting transaction, after the review was stored.
    """


@hookspec
def cycle_closed(hub: Hub, cycle: Cycle) -> None:
    """React to a cycle being closed; after this, the cycle's records are frozen.

    :param hub: the Hub.
    :param cycle: the cycle, now with status ``closed``.
    :returns: nothing. Raising rolls back the closing.

    Called once, inside the closing transaction.
    """


@hookspec
def extra_competency_evidence(
    hub: Hub, person: Person, cycle: Cycle, locale: str
) -> list[Evidence] | None:
    """Add evidence from the work itself about ``person``'s competencies in ``cycle``.

    :param hub: the Hub.
    :param person: the person being reviewed.
    :param cycle: the cycle of the review (its period is the evidence's period).
    :param locale: the reader's language (``en``, ``es``, ``da``, ``sv``...): give
        ``title`` and ``value`` in it.
    :returns: a list of ``Evidence`` (competency, title, value). The review form shows
        each beside the questions about its competency, whoever supplied it; return
        nothing rather than a figure from too few data.

    Called when a manager opens a review to write it (the fill-in file and the web form).
    """


@hookspec
def development_plan_items(
    hub: Hub, person: Person, start: dt.date, end: dt.date
) -> list[PlanItem] | None:
    """Add items to ``person``'s development plan (the plan carried across cycles).

    :param hub: the Hub.
    :param person: whose plan is shown.
    :param start: the first day of the period the plan is read for (a cycle's start).
    :param end: the day the plan describes (a cycle's end, or today when earlier).
    :returns: a list of ``corehub.models.PlanItem``: what is still open on ``end``
        (recommended, open or overdue) and what was done between ``start`` and ``end``
        (``status`` ``done`` with its ``done_on``); leave out what was done before
        ``start``. The training tracker returns the person's recommended and assigned
        courses and the courses they completed; an organization's plugin adds its own
        items the same way.

    Called whenever a plan is read: ``corehub plan show``, the plan page, and the
    development plan section of a review packet (with the cycle's period).
    """
