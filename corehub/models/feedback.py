"""The feedback contract: kinds of feedback and importers of outside data (CSAT)."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from corehub.models.text import EMPTY, Text, to_text


class Anonymity(enum.StrEnum):
    NEVER = "never"
    OPTIONAL = "optional"
    ALWAYS = "always"


@attrs.frozen(kw_only=True)
class FeedbackKind:
    """A kind of feedback (praise, suggestion, pulse...). Organizations may add their own."""

    id: str
    label: Text = attrs.field(converter=to_text)
    description: Text = attrs.field(default=EMPTY, converter=to_text)
    anonymity: Anonymity = Anonymity.NEVER
    needs_recipient: bool = True
    replaces: bool = False


@attrs.frozen(kw_only=True)
class Importer:
    """Reads a file of outside feedback (e.g. CSAT from a ticket system) into corehub."""

    id: str
    description: str
    kind: str
    """The feedback kind it produces."""
    load: Callable[[Any, Path, dict[str, str]], Any]
    """``load(hub, path, options)``, ``hub`` being the :class:`corehub.Hub` (typed ``Any`` here:
    records import no service); all-or-nothing, returns a summary of what was imported."""
    replaces: bool = False


@attrs.frozen(kw_only=True)
class Feedback:
    """One piece of feedback. Anonymous feedback has no author and only a day, never a time."""

    id: int
    kind: str
    recipient_id: str | None
    author_id: str | None
    anonymous: bool
    given_on: datetime.date
    text: str = ""
    rating: float | None = None
    cycle_id: int | None = None
