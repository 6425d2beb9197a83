"""The converter this plugin structures forms and reviews with.

corehub's shared converter registers a hook for ``str``; cattrs dispatches subclasses of
``str`` (the record enums are ``StrEnum``) to it, so enum fields would come back as plain
text. This converter adds an explicit hook per enum, so ``question.type`` is a
``QuestionType`` and a bad value is an error listing the allowed ones.
"""

from __future__ import annotations

import enum
from typing import Any

import cattrs

from corehub.models import Audience, Level, QuestionType, ReviewKind, ReviewStatus
from corehub.models.converter import make_converter


def _structure_enum(value: Any, type_: type[enum.Enum]) -> enum.Enum:
    try:
        return type_(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in type_)
        raise ValueError(f"{value!r} is not one of: {allowed}") from None


def _make() -> cattrs.Converter:
    conv = make_converter()
    for cls in (Audience, Level, QuestionType, ReviewKind, ReviewStatus):
        conv.register_structure_hook(cls, _structure_enum)
    return conv


converter = _make()
"""Structures forms, reviews and goals with real enum values."""
