"""People: everyone in the organization, and where they sit in it."""

from __future__ import annotations

import datetime as dt
import enum

import attrs


class Level(enum.StrEnum):
    """The three levels of help desk work (seed 003): who is trained and evaluated for what."""

    OPERATIONAL = "operational"
    SUPERVISORY = "supervisory"
    DIRECTIVE = "directive"


@attrs.frozen(kw_only=True)
class Person:
    """Anyone in the organization: agent, supervisor, manager or director."""

    id: str
    name: str
    email: str = ""
    role: str = ""
    """Job description (e.g. "Service desk agent"); forms and expectations are chosen by it."""
    level: Level = Level.OPERATIONAL
    team: str = ""
    manager_id: str | None = None
    hire_date: dt.date | None = None
    locale: str | None = None
    """Language for this person's forms and packets; None means the organization's."""
    active: bool = True
    leaving_date: dt.date | None = None
    """The day the person leaves: from that day on they no longer count (coverage, reminders)
    and are deactivated (their last working day is the day before). None: not leaving."""

    def has_left(self, today: dt.date) -> bool:
        """Whether the leaving date has come by ``today``."""
        return self.leaving_date is not None and self.leaving_date <= today
