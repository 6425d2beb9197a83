"""Periods people name on the command line: ``2026-11``, ``2026-Q4``, ``2026``."""

from __future__ import annotations

import datetime as dt
import re

from corehub.errors import ValidationError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    value = text.strip()
    if m := _MONTH.match(value):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, 1), _month_end(year, month)
    if m := _QUARTER.match(value):
        year, quarter = int(m.group(1)), int(m.group(2))
        return dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    raise ValidationError(f"{text!r} is not a period (use 2026-11, 2026-Q4 or 2026)")


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """``["2026-07", ..., "2026-12"]``."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
