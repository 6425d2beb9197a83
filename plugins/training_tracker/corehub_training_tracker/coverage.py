"""Staffing coverage: enough people holding a current certification on every system.

``[settings.training_tracker] coverage`` sets, per team and per system or queue tag, how
many active people must hold a current certification: a completion of a course carrying
the tag, or a credential level carrying it (not under review). A gap today, or one that
opens within ``coverage_horizon_days`` because certifications expire or people leave (a
person stops counting on their leaving date), is listed with the day it opens and the
people who could close it soonest (closest to done: in progress first, then by how many
prerequisites they still miss; nobody who leaves within the horizon).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from corehub.errors import ValidationError
from corehub.i18n import LANGUAGES, N_, translator
from corehub.models import Course, Person, Reminder, Text
from corehub_training_tracker.settings import settings as training_settings

if TYPE_CHECKING:
    from corehub import Hub
    from corehub_training_tracker.training import Training


@attrs.frozen(kw_only=True)
class Candidate:
    person_id: str
    name: str
    course_id: str
    steps_left: float
    """Courses still to complete (prerequisites included); an assignment in progress counts half."""
    state: str
    """``in_progress``, ``assigned`` or ``not_assigned``."""


@attrs.frozen(kw_only=True)
class Coverage:
    team: str
    tag: str
    minimum: int
    holders: tuple[str, ...]
    holders_at_horizon: tuple[str, ...]
    horizon: dt.date
    expiring: tuple[tuple[str, dt.date], ...]
    """(person, the day their certification lapses) within the horizon."""
    candidates: tuple[Candidate, ...]
    leaving: tuple[tuple[str, dt.date], ...] = ()
    """(holder, their leaving date) within the horizon: they stop counting that day."""
    opens_on: dt.date | None = None
    """The day fewer than ``minimum`` hold a certification: today for a gap now, a later day
    for a gap that opens within the horizon, None when none does."""

    @property
    def gap(self) -> int:
        return max(0, self.minimum - len(self.holders))

    @property
    def gap_soon(self) -> int:
        return max(0, self.minimum - len(self.holders_at_horizon))


def _tagged(courses: Iterable[Course], tag: str) -> list[Course]:
    return [c for c in courses if tag in c.tags]


def _holds_until(training: Training, person_id: str, course_ids: Iterable[str]) -> dt.date | None:
    """The last day covered by a current completion of any of the courses (max date: never)."""
    best: dt.date | None = None
    for course_id in course_ids:
        for completion in training.completions(person_ids=[person_id], course_id=course_id):
            if not completion.valid_on(training.today) or completion.completed_on > training.today:
                continue
            end = completion.expires_on or dt.date.max
            best = end if best is None or end > best else best
    return best


def _steps(training: Training, person: Person, course: Course, seen: set[str]) -> float:
    if course.id in seen or training.holds(person.id, course.id):
        return 0.0
    seen.add(course.id)
    record = training.open_assignment(person.id, course.id)
    own = (
        0.5 if record is not None and record.status(training.today).value == "in_progress" else 1.0
    )
    for prerequisite in course.prerequisites:
        if prerequisite in training.catalogue.courses:
            own += _steps(training, person, training.catalogue.courses[prerequisite], seen)
    return own


def coverage(
    training: Training,
    *,
    team: str | None = None,
    credential_holders: dict[str, dict[str, set[str]]] | None = None,
) -> list[Coverage]:
    """Coverage of every configured (team, tag), or of one team.

    ``credential_holders``: tag -> team -> ids of people holding a credential level with
    the tag (worked out by the caller from the credentials, so this stays about courses).
    """
    hub = training.hub
    settings = training.settings
    minimums = settings.coverage
    problems = []
    for team_name, tags in minimums.items():
        if not isinstance(tags, dict):
            problems.append(f"coverage.{team_name}: a table of tag = minimum people")
            continue
        for tag, minimum in tags.items():
            if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
                problems.append(
                    f"coverage.{team_name}.{tag}: {minimum!r} must be a whole number from 1"
                )
    if problems:
        raise ValidationError("[settings.training_tracker] has problems:", problems)
    if team is not None and team not in minimums:
        known = ", ".join(sorted(minimums)) or "none"
        raise ValidationError(
            f"no coverage is set for team {team!r} (teams with a minimum: {known}); set "
            f"[settings.training_tracker] coverage = {{ {team} = {{ TAG = N }} }}"
        )
    horizon = training.today + dt.timedelta(days=settings.coverage_horizon_days)
    courses = list(training.catalogue.courses.values())
    found = []
    for team_name in sorted(minimums):
        if team is not None and team_name != team:
            continue
        # Someone whose leaving date has come no longer counts, deactivated yet or not.
        people = [p for p in hub.people.list(team=team_name) if not p.has_left(training.today)]
        for tag, minimum in sorted(minimums[team_name].items()):
            tagged = _tagged(courses, tag)
            by_credential = (credential_holders or {}).get(tag, {}).get(team_name, set())
            if not tagged and tag not in (credential_holders or {}):
                raise ValidationError(
                    f"coverage.{team_name}.{tag}: no course or credential carries the tag "
                    f"{tag!r}; add `tags: [{tag}]` to a course"
                )
            holders, later, expiring, leaving, candidates = [], [], [], [], []
            losses: list[dt.date] = []
            for person in people:
                until = _holds_until(training, person.id, [c.id for c in tagged])
                if person.id in by_credential:
                    until = dt.date.max
                leaves = person.leaving_date
                if until is None:
                    if leaves is not None and leaves <= horizon:
                        continue  # leaving soon: not one to train for the gap
                    options = [
                        (_steps(training, person, course, set()), course) for course in tagged
                    ]
                    if options:
                        steps, course = min(options, key=lambda o: (o[0], o[1].id))
                        record = training.open_assignment(person.id, course.id)
                        candidates.append(
                            Candidate(
                                person_id=person.id,
                                name=person.name,
                                course_id=course.id,
                                steps_left=steps,
                                state=record.status(training.today).value
                                if record
                                else "not_assigned",
                            )
                        )
                    continue
                holders.append(person.id)
                stops = min(until, leaves) if leaves is not None else until
                if stops > horizon:
                    later.append(person.id)
                    continue
                losses.append(stops)
                if until <= horizon:
                    expiring.append((person.id, until))
                if leaves is not None and leaves <= horizon:
                    leaving.append((person.id, leaves))
            opens_on = None
            if len(holders) < minimum:
                opens_on = training.today
            else:
                remaining = len(holders)
                for day in sorted(losses):
                    remaining -= 1
                    if remaining < minimum:
                        opens_on = day
                        break
            candidates.sort(key=lambda c: (c.steps_left, c.state != "in_progress", c.name))
            found.append(
                Coverage(
                    team=team_name,
                    tag=tag,
                    minimum=minimum,
                    holders=tuple(holders),
                    holders_at_horizon=tuple(later),
                    horizon=horizon,
                    expiring=tuple(expiring),
                    candidates=tuple(candidates),
                    leaving=tuple(leaving),
                    opens_on=opens_on,
                )
            )
    return found


def plain(item: Coverage) -> dict[str, Any]:
    return {
        "team": item.team,
        "tag": item.tag,
        "minimum": item.minimum,
        "holders": list(item.holders),
        "gap": item.gap,
        "gap_soon": item.gap_soon,
        "horizon": item.horizon.isoformat(),
        "opens_on": item.opens_on.isoformat() if item.opens_on else None,
        "expiring": [{"person_id": p, "lapses_on": d.isoformat()} for p, d in item.expiring],
        "leaving": [{"person_id": p, "leaves_on": d.isoformat()} for p, d in item.leaving],
        "closest": [attrs.asdict(c) for c in item.candidates],
    }


def team_coverage(training: Training, team: str | None = None) -> list[Coverage]:
    """Coverage counting course certifications and credential levels (not under review)."""
    from corehub_training_tracker.credentials import Credentials

    return coverage(
        training, team=team, credential_holders=Credentials(training).tag_holders(team=team)
    )


COVERAGE_GAP = N_("Coverage gap: %(tag)s in %(team)s (%(holders)s of %(minimum)s certified)")
COVERAGE_GAP_SOON = N_(
    "Coverage gap from %(day)s: %(tag)s in %(team)s (%(holders)s of %(minimum)s certified by then)"
)
ABOUT_COVERAGE = N_("staffing coverage")


def reminders(hub: Hub, today: dt.date) -> list[Reminder]:
    """A reminder to each of a team's managers for each coverage gap, now or soon."""
    from corehub import access
    from corehub_training_tracker.training import Training

    if not training_settings(hub).coverage:
        return []
    translators = {lang: translator(hub, lang) for lang in LANGUAGES}
    found = []
    for item in team_coverage(Training(hub, as_of=today)):
        if not item.gap and not item.gap_soon:
            continue
        # Due today while the gap exists (training takes time): it is worked out afresh
        # every day, so it is never "overdue" and leaves the digest once the gap closes.
        due = today
        held = len(item.holders) if item.gap else len(item.holders_at_horizon)
        values = {"tag": item.tag, "team": item.team, "holders": held, "minimum": item.minimum}
        message = COVERAGE_GAP if item.gap else COVERAGE_GAP_SOON
        titles = {
            lang: t.gettext(message)
            % (values | {"day": t.date(item.opens_on or item.horizon, "message")})
            for lang, t in translators.items()
        }
        for manager in access.team_managers(hub, item.team):
            found.append(
                Reminder(
                    key=f"training-coverage:{item.team}:{item.tag}",
                    person_id=manager.id,
                    category="training",
                    title=Text(titles),
                    due=due,
                    about=Text(
                        {lang: t.gettext(ABOUT_COVERAGE) for lang, t in translators.items()}
                    ),
                )
            )
    return found
