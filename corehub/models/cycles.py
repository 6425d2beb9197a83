"""Evaluation cycles and the tasks people must do in them."""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class CycleStatus(enum.StrEnum):
    """A cycle is drafted, opened (people enrolled, tasks created), then closed (frozen)."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


@attrs.frozen(kw_only=True)
class Cycle:
    """One evaluation round, e.g. "2026 H2", over the people in its scope."""

    id: int
    name: str
    start: dt.date
    end: dt.date
    scope: tuple[str, ...] = ("all",)
    """Who is in it: ``all``, ``team:T``, ``level:L``, ``role:R`` or ``person:P`` (a union)."""
    due: dict[str, dt.date] = attrs.field(factory=dict)
    """Due date per task kind; a kind not named here is due on ``end``."""
    status: CycleStatus = CycleStatus.DRAFT
    created_at: dt.datetime | None = None
    opened_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    close_reason: str | None = None
    calibrate: bool = False
    """Whether manager reviews are calibrated (compared, and adjusted with a reason) after
    they are submitted and before any can be released."""

    def due_for(self, kind: str) -> dt.date:
        """The due date of tasks of ``kind`` in this cycle."""
        return self.due.get(kind, self.end)

    @property
    def is_closed(self) -> bool:
        return self.status is CycleStatus.CLOSED


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@attrs.frozen(kw_only=True)
class TaskKind:
    """A kind of task a plugin creates in cycles (returned by ``register_task_kinds``).

    ``corehub cycle create --due KIND=DATE`` accepts only registered kinds, so a typo
    (``slef=``) is refused instead of silently giving every task the default due date.
    """

    name: str
    """The kind as tasks carry it, e.g. ``self``; lowercase letters, digits and ``_``."""
    description: str = ""
    """What it is, for people choosing due dates, e.g. "the person's self-assessment"."""
    replaces: bool = False
    """Whether this kind replaces one of the same name registered by another plugin."""


@attrs.frozen(kw_only=True)
class TaskSpec:
    """A task a plugin asks for when a person is enrolled (returned by ``cycle_tasks``)."""

    kind: str
    """What is to be done, e.g. ``self``, ``manager``, ``peer``, ``acknowledge``."""
    assignee_id: str
    """Who must do it."""
    subject_id: str | None = None
    """Whom it is about; None means the enrolled person."""
    due: dt.date | None = None
    """None means the cycle's due date for this kind."""
    after: tuple[str, ...] = ()
    """Kinds of tasks about the same subject that must be done (or overdue) first."""
    title: str = ""
    """What people see, e.g. "Self-assessment" or "Review Ana's self-assessment"; default: the kind."""
    private: bool = False
    """Whether the assignee has done it must stay between them and corehub (an anonymous survey):
    listings hide the assignee and reminders about it are never escalated to anyone."""


@attrs.frozen(kw_only=True)
class Task:
    """One thing someone must do in a cycle."""

    id: int
    cycle_id: int
    kind: str
    assignee_id: str
    subject_id: str
    due: dt.date
    status: TaskStatus = TaskStatus.OPEN
    plugin: str = ""
    """The plugin that asked for it."""
    after: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    completed_by: str | None = None
    title: str = ""
    private: bool = False

    @property
    def label(self) -> str:
        """The title, or the kind in words when the plugin gave none."""
        return self.title or self.kind.replace("_", " ").capitalize()

    def is_overdue(self, today: dt.date) -> bool:
        return self.status is TaskStatus.OPEN and today > self.due
