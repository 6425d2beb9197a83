"""The plugin's settings: ``[settings.training_tracker]`` in corehub.toml."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from corehub import Hub

NAME = "training_tracker"


@attrs.frozen(kw_only=True)
class TrainingSettings:
    """Every key is optional; the defaults suit a help desk of a few dozen people."""

    recertification_window_days: int = 30
    """A certification is re-assigned this many days before it expires."""
    induction_days: int = 30
    """New hires must complete induction within this many days of their hire date (0: no rule)."""
    induction_course: str = "induction"
    new_hire_lookback_days: int = 90
    """Who counts as a new hire at sync time: hired at most this many days ago."""
    default_due_days: int = 60
    """Due date of assignments created by rules without a date of their own."""
    low_rating_threshold: float = 2
    """Manager ratings at or below this (on a 1-5 scale; mapped onto other ranges) recommend training."""
    low_rating_thresholds: dict[str, float] = attrs.field(factory=dict)
    """Per scale id, a threshold in that scale's own values (wins over ``low_rating_threshold``)."""
    use_shipped_rules: bool = True
    """Apply the rules shipped with the plugin (core courses by level, data protection)."""
    disabled_rules: list[str] = attrs.field(factory=list)
    """Ids of rules (from any plugin or file) not to apply."""
    evidence_folder: str = "evidence/training"
    """Where evidence files are copied, relative to the workspace."""
    max_evidence_mb: float = 20
    """Largest evidence file accepted."""
    coverage: dict[str, dict[str, int]] = attrs.field(factory=dict)
    """Per team, per system or queue tag: how many active people must hold a current
    certification (``{alpha = {printing = 2}}``)."""
    coverage_horizon_days: int = 30
    """A coverage gap that opens within this many days (expiry, a leaving date) is shown."""


def settings(hub: Hub) -> TrainingSettings:
    value: TrainingSettings = hub.settings(NAME)
    return value
