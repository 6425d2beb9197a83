"""Training in a development plan (the ``development_plan_items`` hook): recommended and
assigned courses are open items; a course completed counts only inside the period."""

from __future__ import annotations

import datetime as dt

from corehub.models import PlanItemStatus, Recommendation
from corehub_training_tracker import recommendations


def items(hub, start, end, person="alpha-01"):
    found = hub.hook.development_plan_items(
        hub=hub, person=hub.people.get(person), start=start, end=end
    )
    return {(i.title, i.status, i.done_on) for group in found for i in group}


def test_assigned_recommended_and_completed_courses(tracker, team, cli):
    for args in (
        ("assign", "--course", "stress-handling", "--person", "alpha-01", "--due", "2026-04-01"),
        ("complete", "--person", "alpha-01", "--course", "clear-writing", "--date", "2025-11-20"),
        ("complete", "--person", "alpha-01", "--course", "kcs-basics", "--date", "2026-02-01"),
    ):
        result = cli("training", *args)
        assert result.exit_code == 0, result.output
    recommendations.store(
        tracker,
        [Recommendation(person_id="alpha-01", course_id="active-listening", reason="a low rating")],
    )
    period = items(tracker, dt.date(2026, 1, 1), dt.date(2026, 3, 2))  # to today
    titles = {title: (status, done) for title, status, done in period}
    assert titles["Handling stress at the desk"] == (PlanItemStatus.OPEN, None)
    assert titles["Knowledge sharing (KCS basics)"] == (PlanItemStatus.DONE, dt.date(2026, 2, 1))
    assert titles["Active listening"][0] is PlanItemStatus.RECOMMENDED
    # completed before the period: not in it
    assert not any("writing" in title.lower() for title in titles)
    # read at a later end, the assignment is overdue
    later = dict((t, s) for t, s, _ in items(tracker, dt.date(2026, 1, 1), dt.date(2026, 4, 2)))
    assert later["Handling stress at the desk"] is PlanItemStatus.OVERDUE
    # another person's plan holds none of it
    assert items(tracker, dt.date(2026, 1, 1), dt.date(2026, 6, 30), person="alpha-02") == set()
