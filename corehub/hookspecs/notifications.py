"""Notification hooks: what people should be reminded of or must do, and how messages are
delivered."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from corehub.hookspecs._markers import hookspec

if TYPE_CHECKING:
    from corehub.context import HubContext as Hub
    from corehub.models import ExtraTask, Notification, Person, Reminder


@hookspec
def extra_reminders(hub: Hub, today: dt.date) -> list[Reminder] | None:
    """Add the things people must do soon or are late with.

    :param hub: the Hub.
    :param today: the day reminders are computed for (the Hub's clock).
    :returns: a list of ``Reminder`` records (who, what, due date), due soon or overdue;
        corehub decides who receives what: the person, then their manager and HR as
        the item gets later (only items with ``escalate=True``).

    Called by ``corehub remind``; the core adds open cycle tasks itself.
    """


@hookspec
def extra_tasks(hub: Hub, person: Person, today: dt.date) -> list[ExtraTask] | None:
    """Add what ``person`` must do outside the review cycles, for their "My tasks" page.

    :param hub: the Hub.
    :param person: the signed-in person whose tasks are listed.
    :param today: the day the page is shown for (the Hub's clock), for what is overdue.
    :returns: a list of ``ExtraTask`` records: what to do, by when, whom it concerns,
        whether it is done, and the web endpoint where it is done. Return what is open and
        what was done recently; read only ``person``'s own rows (the page is shown often).

    Called by the web app's "My tasks" page (``/tasks``), once per page.
    """


@hookspec(firstresult=True)
def send_notification(hub: Hub, notification: Notification) -> str | None:
    """Deliver one message.

    :param hub: the Hub.
    :param notification: recipient, address, subject, text and HTML bodies.
    :returns: a short description of where it went (e.g. ``smtp:mail.example.org``), or
        None to let the next implementation deliver it. Raise to report a failed
        delivery: corehub records it as not sent and retries on the next run. The
        default sends through SMTP when ``[smtp] host`` is set, else writes an ``.eml``
        file to the workspace's outbox folder.

    Called once per message, by ``corehub remind``.
    """
