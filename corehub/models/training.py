"""The training contract: courses, the rules that assign them, and recommendations."""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from corehub.models.people import Level
from corehub.models.text import EMPTY, Text, to_text


class Delivery(enum.StrEnum):
    CLASSROOM = "classroom"
    ELEARNING = "e-learning"
    ON_THE_JOB = "on-the-job"
    COACHING = "coaching"


@attrs.frozen(kw_only=True)
class Course:
    """A course in the catalogue. ``validity_months`` makes it a certification that expires."""

    id: str
    title: Text = attrs.field(converter=to_text)
    description: Text = attrs.field(default=EMPTY, converter=to_text)
    levels: tuple[Level, ...] = ()
    roles: tuple[str, ...] = ()
    competencies: tuple[str, ...] = ()
    """Competencies it builds; low ratings in these become recommendations of this course."""
    duration_hours: float | None = None
    delivery: Delivery = Delivery.ELEARNING
    validity_months: int | None = None
    prerequisites: tuple[str, ...] = ()
    replaces: bool = False
    tags: tuple[str, ...] = ()
    """Systems or queues the course certifies people on (``printing``, ``vpn``): what
    staffing coverage counts."""


@attrs.frozen(kw_only=True)
class TrainingRule:
    """Who must hold which course, by when (applied by ``corehub training sync``)."""

    id: str
    course_id: str
    levels: tuple[Level, ...] = ()
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    new_hires_within_days: int | None = None
    """Due this many days after the person's hire date (induction)."""
    due: dt.date | None = None
    recertify_months: int | None = None
    replaces: bool = False


@attrs.frozen(kw_only=True)
class Recommendation:
    """A course suggested for a person, with the reason (e.g. a low manager rating)."""

    person_id: str
    course_id: str
    reason: str
    competency: str | None = None
    review_id: int | None = None


class AssignmentStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"
    EXPIRED = "expired"
    WAIVED = "waived"


@attrs.frozen(kw_only=True)
class Assignment:
    """A course a person must take by a date, and what became of it."""

    id: int
    person_id: str
    course_id: str
    assigned_on: dt.date
    due: dt.date | None = None
    status: AssignmentStatus = AssignmentStatus.ASSIGNED
    completed_on: dt.date | None = None
    expires_on: dt.date | None = None
    source: str = "manual"
    """Why it exists: ``manual``, ``rule:<id>``, ``recommendation`` or ``recertification``."""


@attrs.frozen(kw_only=True)
class CredentialEvidence:
    """One piece of evidence towards a credential level (a checked knowledge article).

    Evidence is about quality, never volume: an item counts towards a level only when its
    ``score`` reaches the level's minimum, and only inside the level's window of days.
    """

    kind: str
    """What was checked, e.g. ``article_check``; a level's criteria name the kind they need."""
    day: dt.date
    """When the check was made (the window of a level counts back from today)."""
    score: float | None
    """0-100 on the standard the check used; None when it could not be scored."""
    ref: str = ""
    """What was checked, for people to look it up (``guide:360001``)."""
    title: str = ""
    source: str = ""
    """Who supplied it (the plugin or system), shown beside the evidence."""
