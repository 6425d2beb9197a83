"""Report sections for credentials: a person's KCS level in their packet; the team's levels,
coaches and coverage in its summary. Plain data only; nobody is ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from corehub.i18n import Translator, translator
from corehub.models import Report, ReportKind, ReportSection

if TYPE_CHECKING:
    from corehub import Hub
    from corehub.models import Person
    from corehub_training_tracker.credentials import Credentials, Standing


def sections(hub: Hub, report: Report) -> list[ReportSection]:
    _ = translator(hub, report.locale).gettext
    if report.kind is ReportKind.PACKET:
        return [
            ReportSection(
                id="training_tracker.credential",
                title=_("KCS licence"),
                template="corehub_training_tracker/credential.html",
                context=person_context,
                order=410,
            )
        ]
    if report.kind is not ReportKind.SUMMARY:
        return []
    return [
        ReportSection(
            id="training_tracker.credentials",
            title=_("KCS licences and coaching"),
            template="corehub_training_tracker/credentials_team.html",
            context=team_context,
            order=410,
        ),
        ReportSection(
            id="training_tracker.coverage",
            title=_("Staffing coverage"),
            template="corehub_training_tracker/coverage.html",
            context=coverage_context,
            order=415,
        ),
    ]


def _service(hub: Hub, report: Report) -> Credentials:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    return Credentials(Training(hub, as_of=hub.cycles.as_of(report.cycle)))


def still_needed(service: Credentials, standing: Standing, t: Translator) -> list[str]:
    """What the next level still needs, in the reader's language."""
    following = next((s for s in standing.levels if s.level == standing.next_level), None)
    if following is None:
        return []
    courses = service.training.catalogue.courses
    found = [
        t.gettext("Complete %(course)s")
        % {"course": t.text(courses[c].title) if c in courses else c}
        for c in following.missing_courses
    ]
    if not following.evidence_met:
        short = following.needed - following.qualifying
        found.append(
            t.ngettext(
                "%(num)s more article checked at %(score)s or more within %(days)s days",
                "%(num)s more articles checked at %(score)s or more within %(days)s days",
                short,
            )
            % {"num": short, "score": f"{following.min_score:g}", "days": following.window_days}
        )
    found.append(t.gettext("A coach's sign-off"))
    return found


def _names(hub: Hub, ids: Any) -> list[str]:
    people = [hub.people.find(i) for i in ids]
    return [p.name for p in people if p is not None]


def person_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    person = report.person
    if person is None:
        return None
    service = _service(hub, report)
    credentials = service.all
    if not credentials:
        return None
    credential = service.credential(None)
    standing = service.standing(person, credential, report.locale)
    if standing.level is None and not standing.coaches:
        return None
    t = translator(hub, report.locale)
    return {
        "level": standing.level_title,
        "earned_on": standing.earned_on.isoformat() if standing.earned_on else None,
        "next": standing.next_title,
        "ready": standing.ready_for_sign_off,
        "needs": still_needed(service, standing, t),
        "review": [s.title for s in standing.levels if s.review],
        "coaches": _names(hub, standing.coaches),
    }


def _members(hub: Hub, report: Report) -> list[Person]:
    if report.team:
        return hub.people.list(team=report.team)
    if report.manager is not None:
        return [p for p in hub.people.list() if hub.people.manages(report.manager.id, p.id)]
    return hub.people.list()


def team_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    service = _service(hub, report)
    if not service.all:
        return None
    credential = service.credential(None)
    members = _members(hub, report)
    standings = service.standings(members, credential.id, report.locale)
    t = translator(hub, report.locale)
    # Distribution in the ladder's order (not a ranking of people).
    labels = [t.gettext("No level yet")] + [lv.title.get(report.locale) for lv in credential.levels]
    counts = [0] * len(labels)
    position = {None: 0} | {lv.id: n + 1 for n, lv in enumerate(credential.levels)}
    for standing in standings:
        counts[position[standing.level]] += 1
    distribution = [{"level": label, "people": n} for label, n in zip(labels, counts, strict=True)]
    member_ids = {p.id for p in members}
    coaches = [
        {
            "coach": (_names(hub, [row["coach"]]) or [row["coach"]])[0],
            "coachees": _names(hub, [c for c in row["coachees"] if c in member_ids]),
        }
        for row in service.coach_table(members)
    ]
    coaches = [c for c in coaches if c["coachees"]]
    pending = [{"name": s.name, "level": s.next_title} for s in standings if s.ready_for_sign_off]
    review = [
        {"name": s.name, "levels": [lv.title for lv in s.levels if lv.review]}
        for s in standings
        if s.review
    ]
    if not any(s.level for s in standings) and not coaches:
        return None
    return {
        "distribution": distribution,
        "coaches": coaches,
        "pending": pending,
        "review": review,
    }


def coverage_context(hub: Hub, report: Report) -> dict[str, Any] | None:
    from corehub_training_tracker.coverage import team_coverage
    from corehub_training_tracker.training import Training

    training = Training(hub, as_of=hub.cycles.as_of(report.cycle))
    if not training.settings.coverage:
        return None
    teams = {p.team for p in _members(hub, report) if p.team} & set(training.settings.coverage)
    # each team of the report on its own: a team summary reads its team, not the organization
    items = [i for team in sorted(teams) for i in team_coverage(training, team)]
    if not items:
        return None
    names = hub.people.names(p for i in items for p, _day in (*i.expiring, *i.leaving))
    return {
        "items": [
            {
                "team": i.team,
                "tag": i.tag,
                "minimum": i.minimum,
                "holders": len(i.holders),
                "gap": i.gap,
                "gap_soon": i.gap_soon,
                "horizon": i.horizon.isoformat(),
                "opens_on": i.opens_on.isoformat() if i.opens_on else None,
                "expiring": [
                    {"name": names.get(p, p), "day": d.isoformat()} for p, d in i.expiring
                ],
                "leaving": [{"name": names.get(p, p), "day": d.isoformat()} for p, d in i.leaving],
                "closest": [
                    {"name": c.name, "course": c.course_id, "steps": c.steps_left}
                    for c in i.candidates[:3]
                ],
            }
            for i in items
        ]
    }
