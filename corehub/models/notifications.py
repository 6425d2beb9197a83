"""The notification contract: what is due, and the messages that remind people of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from corehub.models.text import EMPTY, Text, to_text


@attrs.frozen(kw_only=True)
class Reminder:
    """One thing a person must do by a date: a cycle task, a course, a certification to renew."""

    key: str
    """Stable identity, e.g. ``task:12`` or ``assignment:40``."""
    person_id: str
    """Who must act (the digest goes to them)."""
    category: str
    """``cycle`` or ``training`` (what ``corehub remind --cycle/--training`` select), or a plugin's own."""
    title: Text = attrs.field(converter=to_text)
    """What to do, e.g. "Self-assessment" or "Renew: Complaint handling certification": a
    {language: text} mapping, or a string the recipient's catalog translates when it can."""
    due: dt.date
    about: Text = attrs.field(default=EMPTY, converter=to_text)
    """Whom or what it concerns, e.g. the reviewed person's name or the cycle."""
    cycle_id: int | None = None
    escalate: bool = True
    """False for anything about an anonymous survey: only ``person_id`` may ever see it."""


@attrs.frozen(kw_only=True)
class Notification:
    """A message to one person, with a plain text and an HTML body."""

    recipient_id: str
    to: str
    """The email address."""
    subject: str
    text: str
    html: str = ""
    kind: str = "reminder"


@attrs.frozen(kw_only=True)
class ExtraTask:
    """Something a person must do outside a review cycle (their part of a new-hire review),
    listed on their "My tasks" page beside the tasks of the open cycles."""

    key: str
    """Stable identity, e.g. ``new-hire:12``."""
    group: Text = attrs.field(converter=to_text)
    """The heading it is listed under ("New-hire reviews"): a {language: text} mapping, or a
    msgid of ``domain``'s catalog."""
    title: Text = attrs.field(converter=to_text)
    """What to do, e.g. "New-hire review, 30 days: your part" (translated like ``group``)."""
    due: dt.date
    about: Text = attrs.field(default=EMPTY, converter=to_text)
    """Whom it concerns (a person's name), empty when it is about the person themselves."""
    done: bool = False
    endpoint: str | None = None
    """The web page where it is done: a Flask endpoint (``self_assessment_checkins.new_hire``)."""
    values: dict[str, Any] = attrs.field(factory=dict)
    """The endpoint's URL values (``{"review_id": 12}``)."""
    domain: str | None = None
    """The catalog the msgids of ``group`` and ``title`` are in (the plugin's, e.g.
    ``corehub_self_assessment``)."""
