"""Feedback hooks: kinds of feedback, importers of outside data, and arrivals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    from corehub.context import HubContext as Hub
    from corehub.models import Feedback, FeedbackKind, Importer


@hookspec
def register_feedback_kinds(hub: Hub) -> list[FeedbackKind] | None:
    """Return kinds of feedback people can give (praise, suggestion, pulse...).

    :param hub: the Hub.
    :returns: a list of ``FeedbackKind``. The same id from two plugins is an error naming
        both, unless one sets ``replaces=True``.

    Called whenever feedback is given, listed or summarised.
    """


@hookspec
def register_importers(hub: Hub) -> list[Importer] | None:
    """Return importers of outside feedback files (e.g. CSAT exports of a ticket system).

    :param hub: the Hub.
    :returns: a list of ``Importer``; each ``load(hub, path, options)`` is all-or-nothing.

    Called when an import command runs or lists its formats.
    """


@hookspec
def feedback_received(hub: Hub, feedback: Feedback) -> None:
    """React to feedback being stored.

    :param hub: the Hub.
    :param feedback: the stored feedback. For anonymous feedback ``author_id`` is None
        and nothing else identifies the author: keep it that way, and publish nothing
        about it as it arrives (a count or figure that moves with each answer gives the
        answer away; corehub shows anonymous results only for closed windows).
    :returns: nothing. Raising rolls back storing the feedback.

    Called inside the transaction that stores it.
    """
