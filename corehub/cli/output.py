"""How commands print: aligned tables for people, JSON for programs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import click


def echo_json(data: Any) -> None:
    """Print ``data`` as indented JSON (dates as ISO text)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo_table(
    rows: Iterable[Sequence[Any]], headers: Sequence[str], *, empty: str = "(none)"
) -> None:
    """Print rows as a table with aligned columns and a header line."""
    text_rows = [["" if cell is None else str(cell) for cell in row] for row in rows]
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
        if isinstance(value, dict):
            value = ", ".join(f"{k} ({v})" for k, v in value.items()) or "-"
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "-"
        click.echo(f"{key.rjust(width)}: {'-' if value in (None, '') else value}")
