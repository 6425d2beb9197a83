"""Training hooks: the course catalogue, assignment rules and recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.models import Assignment, Course, Person, Recommendation, Review, TrainingRule


@hookspec
def register_courses(hub: Hub) -> list[Course] | None:
    """Return courses for the training catalogue.

    :param hub: the Hub.
    :returns: a list of ``corehub.models.Course``. The same course id from two plugins is
        an error naming both, unless one sets ``replaces=True``.

    Called whenever the catalogue is needed.
    """


@hookspec
def register_training_rules(hub: Hub) -> list[TrainingRule] | None:
    """Return rules saying who must hold which course by when.

    :param hub: the Hub.
    :returns: a list of ``corehub.models.TrainingRule``.

    Called by ``corehub training sync`` and wherever compliance is computed.
    """


@hookspec
def recommend_training(hub: Hub, person: Person, review: Review) -> list[Recommendation] | None:
    """Suggest courses for ``person`` from a submitted ``review``.

    :param hub: the Hub.
    :param person: the person reviewed.
    :param review: a submitted review (usually the manager's) with its answers and form.
    :returns: a list of ``Recommendation``; they become assignments only when accepted.

    Called after a manager review is submitted and when recommendations are listed.
    """


@hookspec
def assignment_completed(hub: Hub, assignment: Assignment) -> None:
    """React to a training assignment being completed.

    :param hub: the Hub.
    :param assignment: the assignment, with status ``completed``.
    :returns: nothing.

    Called inside the transaction that records the completion.
    """


@hookspec
def assignment_overdue(hub: Hub, assignment: Assignment) -> None:
    """React to a training assignment passing its due date without completion.

    :param hub: the Hub.
    :param assignment: the assignment, with status ``overdue``.
    :returns: nothing.

    Called once per assignment, when a sync first finds it overdue.
    """
