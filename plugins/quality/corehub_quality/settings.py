"""``[settings.quality]`` in corehub.toml."""

from __future__ import annotations

from typing import Any

import attrs

NAME = "quality"


def _positive(_instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, not {value}")


@attrs.frozen
class QualitySettings:
    """Settings of the quality plugin; every field has a default."""

    graders: list[str] = attrs.field(factory=list)
    """Ids of people with the ``qa`` right: they grade tickets (team leads grade too)."""
    min_graded: int = attrs.field(default=5, validator=_positive)
    """A quality score is shown only from this many graded tickets on."""
    grading_days: int = attrs.field(default=7, validator=_positive)
    """Days a grader has for a sampled ticket."""
    critical_notice_days: int = attrs.field(default=3, validator=_positive)
    """Days a critical failure stays in the manager's reminders."""
    weak_category_score: float = 70.0
    coaches: list[str] = attrs.field(factory=list)
    """Ids of KCS coaches: they check knowledge articles (graders and team leads do too)."""
    article_min_score: float = 75.0
    """An article checked below this (0-100) is below the content standard."""
    stale_article_days: int = attrs.field(default=365, validator=_positive)
    """A published article not updated for this many days is stale."""
    """A category scoring below this (0-100) in a review's period recommends training."""


def settings_of(hub: Any) -> QualitySettings:
    settings: QualitySettings = hub.settings(NAME)
    return settings
