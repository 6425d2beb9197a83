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


CHECKINS = "checkins"
NEW_HIRE = "new_hire"


def _not_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be 0 (no cadence) or more days, not {value}")


def _team_cadences(
    instance: object, attribute: attrs.Attribute[dict[str, int]], value: dict[str, int]
) -> None:
    bad = [f"{team} = {days}" for team, days in value.items() if days < 0]
    if bad:
        raise ValueError(f"a cadence is 0 (none) or more days, not {', '.join(bad)}")


@attrs.frozen(kw_only=True)
class CheckinSettings:
    """``[settings.checkins]``: how often a manager meets each report one to one."""

    cadence_days: int = attrs.field(default=0, validator=_not_negative)
    """The next check-in is due this many days after the last one; 0 means no cadence
    (nobody is reminded)."""
    teams: dict[str, int] = attrs.field(factory=dict, validator=_team_cadences)
    """Per-team cadence, by the report's team: ``[settings.checkins.teams] Madrid = 7``
    (0 turns the cadence off for that team)."""

    def cadence_for(self, team: str) -> int:
        """The cadence in days for a report in ``team`` (0: none)."""
        return self.teams.get(team, self.cadence_days)


def _milestones(
    instance: object, attribute: attrs.Attribute[tuple[int, ...]], value: tuple[int, ...]
) -> None:
    problems = [f"{day} is not a positive number of days" for day in value if day <= 0]
    if list(value) != sorted(set(value)):
        problems.append(f"{list(value)} must be in increasing order, each day once")
    if problems:
        raise ValueError("; ".join(problems))


@attrs.frozen(kw_only=True)
class NewHireSettings:
    """``[settings.new_hire]``: short reviews some days after a person's hire date."""

    days: tuple[int, ...] = attrs.field(default=(), validator=_milestones)
    """Days after the hire date a new-hire review is due, e.g. ``[30, 60, 90]``; empty
    (the default) turns the rule off."""
    form: str = "new_hire"
    """The form the new-hire reviews use (the plugin ships ``new_hire``; a workspace form
    with that id replaces it)."""
    recent_days: int = attrs.field(default=14, validator=_not_negative)
    """For people hired before the rule was turned on (or imported with an old hire date):
    a milestone is created only if its due date is at most this many days ago; older
    milestones are skipped."""
