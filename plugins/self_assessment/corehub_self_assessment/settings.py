"""``[settings.self_assessment]`` in corehub.toml."""

from __future__ import annotations

import attrs

NAME = "self_assessment"


@attrs.frozen(kw_only=True)
class SelfAssessmentSettings:
    """How reviews are compared and flagged."""

    gap_threshold: float = 2
    """Self and manager ratings this far apart (or more) are flagged as a gap."""
    low_rating: float = 2
    """Manager ratings at or below this mark a competency as an area for training."""
    show_calibration_to_person: bool = False
    """Whether the person reviewed sees the rating before calibration, and why it changed
    (HR and managers always do)."""
    default_form: str = ""
    """Form id for people whose role and level match no form ("" means a form for any level)."""
