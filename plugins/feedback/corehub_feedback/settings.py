"""``[settings.feedback]`` in corehub.toml."""

from __future__ import annotations

from typing import Any

import attrs

MIN_THRESHOLD = 3
"""The anonymity threshold can be lowered to this, never below."""


def _threshold(_instance: Any, _attribute: Any, value: int) -> None:
    if value < MIN_THRESHOLD:
        raise ValueError(
            f"anonymity_threshold = {value} is too low: aggregates of anonymous answers need at "
            f"least {MIN_THRESHOLD} responses (the default is 5)"
        )


def _positive(_instance: Any, attribute: Any, value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, not {value}")


@attrs.frozen
class FeedbackSettings:
    """Settings of the feedback plugin; every field has a default."""

    anonymity_threshold: int = attrs.field(default=5, validator=_threshold)
    """Aggregates (upward, pulse, peer ratings) over fewer responses are never shown."""
    max_text_length: int = attrs.field(default=2000, validator=_positive)
    """Longest feedback text, response or comment accepted, in characters."""
    peers_min: int = attrs.field(default=2, validator=_positive)
    """Fewest peers to name; never fewer than ``anonymity_threshold`` in effect."""
    peers_max: int = attrs.field(default=8, validator=_positive)
    """Most peers to name; at least ``anonymity_threshold``, so peer feedback can show."""
    suggestion_reviewers: list[str] = attrs.field(factory=list)
    """Ids of people who may answer suggestions, besides HR and anyone who manages people."""

    def __attrs_post_init__(self) -> None:
        if self.peers_min > self.peers_max:
            raise ValueError(f"peers_min ({self.peers_min}) is above peers_max ({self.peers_max})")
        if self.peers_max < self.anonymity_threshold:
            raise ValueError(
                f"peers_max ({self.peers_max}) is below anonymity_threshold "
                f"({self.anonymity_threshold}): peer feedback could never be shown; "
                f"allow at least {self.anonymity_threshold} peers"
            )


def settings_of(hub: Any) -> FeedbackSettings:
    """The validated feedback settings of ``hub``."""
    settings: FeedbackSettings = hub.settings("feedback")
    return settings
