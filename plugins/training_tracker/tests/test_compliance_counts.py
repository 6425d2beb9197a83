"""compliance_counts (the team page's totals) counts what the matrix decides cell by cell,
for every kind of rule: by level, by role, by team, for new hires only, and one course
required by a new-hire rule and an ordinary rule at once; whatever the people's records
(none, deleted again, waived, expired) and whoever is in scope."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

from corehub import Hub
from corehub.models import Level, Person
from corehub_training_tracker.training import Training

RULES = """\
rules:
  - {id: leads-coach, course_id: supervisor-coaching, roles: [Team lead]}
  - {id: beta-protects, course_id: data-protection, teams: [beta]}
  - {id: agents-listen, course_id: active-listening, levels: [operational]}
  - {id: beta-agents-handle, course_id: complaint-handling, levels: [operational],
     teams: [beta], roles: [Agent]}
  - {id: new-hires-listen, course_id: moments-of-truth, new_hires_within_days: 20}
  - {id: new-beta-listen, course_id: active-listening, teams: [beta],
     new_hires_within_days: 20}
  - {id: gamma-moments, course_id: moments-of-truth, teams: [gamma]}
"""


@pytest.fixture
def training(tracker: Hub, courses_dir: Path, hub_with_settings: Any) -> Training:
    (courses_dir / "rules.yaml").write_text(RULES, encoding="utf-8")
    hub, _ = hub_with_settings(use_shipped_rules=False)
    training = Training(hub)
    today = training.today
    long_ago, lately = dt.date(2019, 5, 1), today - dt.timedelta(days=10)
    people = []
    for team in ("alpha", "beta", "gamma"):
        people.append(
            Person(
                id=f"{team}-lead",
                name=f"{team} lead",
                role="Team lead",
                level=Level.SUPERVISORY,
                team=team,
                hire_date=long_ago,
            )
        )
        for n, (role, hired) in enumerate(
            [
                ("Agent", long_ago),
                ("Agent", lately),
                ("", long_ago),
                ("Agent", None),
                ("Senior agent", lately),
                ("Agent", long_ago),
            ]
        ):
            people.append(
                Person(
                    id=f"{team}-{n}",
                    name=f"{team} {n}",
                    role=role,
                    level=Level.OPERATIONAL,
                    team=team,
                    manager_id=f"{team}-lead",
                    hire_date=hired,
                )
            )
    people.append(Person(id="nobody", name="No Team", level=Level.OPERATIONAL, hire_date=lately))
    hub.people.save(people)
    for course in (
        "moments-of-truth",
        "active-listening",
        "complaint-handling",
        "data-protection",
        "supervisor-coaching",
    ):
        for pid in ("alpha-0", "beta-0", "beta-2", "gamma-0", "alpha-lead", "beta-3"):
            training.complete(pid, course, today - dt.timedelta(days=40))
    # on record and then deleted again: the stored day stays, empty
    training.complete("gamma-5", "moments-of-truth", today - dt.timedelta(days=5))
    with hub.atomic() as db:
        db.execute("DELETE FROM training_completions WHERE person_id = 'gamma-5'")
        db.execute(  # expired yesterday
            "UPDATE training_completions SET expires_on = ? WHERE person_id = 'beta-2'",
            [(today - dt.timedelta(days=1)).isoformat()],
        )
    training.waive("alpha-5", "moments-of-truth", "on leave", until=today)
    training.waive("beta-5", "active-listening", "on leave")
    training.assign(
        "moments-of-truth", [hub.people.get("alpha-2")], due=today
    )  # an old hire, on record: required
    left = hub.people.get("beta-0")
    hub.people.save([attrs.evolve(left, active=False)])
    return training


@pytest.mark.parametrize(
    "scope",
    [
        "SELECT * FROM people WHERE active = 1",
        "SELECT * FROM people WHERE active = 1 AND team = 'beta'",
        "SELECT * FROM people WHERE id != 'alpha-lead' AND team IN ('alpha', 'gamma')",
        "SELECT * FROM people WHERE role = '' OR team = ''",
    ],
)
def test_the_counts_are_the_matrix_s(training: Training, clock: Any, scope: str) -> None:
    hub = training.hub
    for _ in range(2):
        training = Training(hub)
        people = [hub.people.get(row["id"]) for row in hub.db.query(scope)]
        matrix = training.matrix(people)
        expected: dict[str, tuple[int, int]] = {}
        for (_, course_id), cell in matrix.cells.items():
            compliant, of = expected.get(course_id, (0, 0))
            expected[course_id] = (compliant + cell.compliant, of + 1)
        assert matrix.cells  # (every scope requires something)
        assert training.compliance_counts(scope) == expected
        clock.advance(days=15)  # the recent hires are no longer new, a waiver has ended
