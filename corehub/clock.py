"""Time, as corehub sees it: one clock per Hub, so tests can set the date."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Anything with ``now()`` (an aware UTC datetime) and ``today()``."""

    def now(self) -> dt.datetime: ...

    def today(self) -> dt.date: ...


class SystemClock:
    """The real clock. ``today()`` is the date in the organization's time zone."""

    def __init__(self, timezone: str = "UTC"):
        from zoneinfo import ZoneInfo

        self._zone = ZoneInfo(timezone)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return dt.datetime.now(self._zone).date()


class FixedClock:
    """A clock that stands still until moved; used by tests and the demo."""

    def __init__(self, now: dt.datetime | dt.date | str):
        self.set(now)

    def set(self, now: dt.datetime | dt.date | str) -> None:
        """Move the clock to ``now`` (a datetime, a date meaning 09:00 UTC, or ISO text)."""
        if isinstance(now, str):
            now = dt.datetime.fromisoformat(now) if "T" in now else dt.date.fromisoformat(now)
        if isinstance(now, dt.datetime):
            self._now = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
        else:
            self._now = dt.datetime(now.year, now.month, now.day, 9, 0, tzinfo=dt.UTC)

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``clock.advance(days=3)``."""
        self._now += dt.timedelta(**delta)

    def now(self) -> dt.datetime:
        return self._now

    def today(self) -> dt.date:
        return self._now.date()
