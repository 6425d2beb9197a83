"""The development-plan contract: what a plugin contributes to a person's plan.

A person has one living plan, carried from cycle to cycle: their goals, the training
recommended and assigned to them, and the actions agreed with their manager. The
self_assessment plugin keeps the goals and actions; any plugin (the training tracker, an
organization's own) adds items through the ``development_plan_items`` hook, each as a
:class:`PlanItem`.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class PlanItemStatus(enum.StrEnum):
    """Where a plan item stands on the day the plan describes."""

    RECOMMENDED = "recommended"
    """Suggested (e.g. a course recommended from a review), not yet agreed or assigned."""
    OPEN = "open"
    """Agreed or assigned, not done yet."""
    OVERDUE = "overdue"
    """Past its due date and not done."""
    DONE = "done"
    """Done on ``done_on``."""


@attrs.frozen(kw_only=True)
class PlanItem:
    """One item a plugin contributes to a person's development plan."""

    kind: str
    """What sort of item, e.g. ``training``; the plan groups items by kind."""
    title: str
    """What it is, in the reader's language where the plugin has one (a course title)."""
    status: PlanItemStatus
    ref: str = ""
    """What it refers to in the contributing plugin, for people to look it up
    (``course:kcs-basics``)."""
    detail: str = ""
    """Why it is in the plan (``recommended from the 2026 H1 review``), or how it was done."""
    since: dt.date | None = None
    """When it entered the plan (assigned, recommended)."""
    due: dt.date | None = None
    done_on: dt.date | None = None
    """The day it was done; set exactly when ``status`` is ``done``."""
    source: str = ""
    """Who supplied it (the plugin's name), shown beside the item."""
