"""Training hooks: the course catalogue, assignment rules and recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    import datetime as dt

    from corehub.context import HubContext as Hub
    from corehub.models import (
        Assignment,
        Course,
        CredentialEvidence,
        Person,
        Recommendation,
        Review,
        TrainingRule,
    )


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


@hookspec
def credential_evidence(
    hub: Hub, person: Person, kind: str, since: dt.date
) -> list[CredentialEvidence] | None:
    """Return evidence of ``person``'s work towards a credential level.

    :param hub: the Hub.
    :param person: whose evidence is asked for.
    :param kind: the kind of evidence a level's criteria name (``article_check``: a
        knowledge article of theirs checked against the content standard).
    :param since: the first day of the level's window; older evidence is not needed.
    :returns: a list of ``corehub.models.CredentialEvidence`` of that kind, or None. The
        quality plugin supplies ``article_check``; an organization plugin supplies evidence
        from its own systems the same way. The training tracker counts only items whose
        score reaches the level's minimum: a count of articles alone earns nothing.

    Called whenever the training tracker works out who holds which credential level
    (``corehub training credentials``, the packet, the team summary, a coach's sign-off).
    """
