"""How commands print: aligned tables for people, JSON for programs."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (dates as ISO text)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


_LANGUAGE = re.compile(r"^[a-z]{2}([_-][A-Za-z]{2})?$")


def shown(value: Any) -> str:
    """A value as a person reads it on the command line (English), never a Python repr: a
    translated label (a :class:`corehub.models.Text`, or its stored ``{language: text}``
    mapping) as its English text, an enum as its value, a date as ISO text, a list as
    comma-separated values."""
    from corehub.models.text import Text

    if value is None:
        return ""
    if isinstance(value, Text):
        return str.__str__(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if value and all(
            isinstance(k, str) and _LANGUAGE.match(k) and isinstance(v, str)
            for k, v in value.items()
        ):
            return Text.of(value).get("en")
        return ", ".join(f"{shown(k)} ({shown(v)})" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(shown(v) for v in value)
    return str(value)


def echo_table(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], *, empty: str = "(none)"
) -> None:
    """Print rows as a table with aligned columns and a header line."""
    text_rows = [[shown(cell) for cell in row] for row in rows]
    if not text_rows:
        click.echo(empty)
        return
    widths = [max(len(h), *(len(r[i]) for r in text_rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    click.echo(line)
    click.echo("  ".join("-" * w for w in widths).rstrip())
    for row in text_rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def echo_fields(fields: dict[str, Any]) -> None:
    """Print ``name: value`` lines with the names aligned."""
    width = max((len(k) for k in fields), default=0)
    for key, value in fields.items():
        value = shown(value) or "-"
        click.echo(f"{key.rjust(width)}: {'-' if value in (None, '') else value}")
