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

    Called inside the transaction that stores it, unless the plugin implements
    ``feedback_received_batch`` (then that is called instead for feedback stored together).
    """


@hookspec
def feedback_received_batch(hub: Hub, items: list[Feedback]) -> None:
    """React to many pieces of feedback stored together (e.g. the ratings of a CSAT import).

    The batched form of ``feedback_received``: one call for everything one write stores,
    so an implementation reads what it needs once and writes its rows with one
    ``insert_all`` instead of one statement per item.

    :param hub: the Hub.
    :param items: the stored feedback, in the order it was stored (never empty). The same
        rules as for ``feedback_received`` hold for anonymous items.
    :returns: nothing. Raising rolls back storing all of them. A plugin that implements
        both hooks is called only through this one for feedback stored together (its
        ``feedback_received`` still answers feedback stored one at a time).

    Called once per import that creates feedback, inside its transaction, in the same
    plugin order as ``feedback_received``.
    """
