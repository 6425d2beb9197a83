"""The team training page's compliance figures are the library's matrix, day by day.

The page counts compliance in SQL over the whole scope (HR: everyone; a director: the
people below them at every level; a team filter), from the last day the database keeps
for each person and course; the matrix decides cell by cell from the records. Both must
agree on a small organization with every edge: a completion expired yesterday, one
expiring today (not valid today) and tomorrow, waivers until today and until yesterday,
someone with no course required, someone who has left, and a director two levels above
the agents. Moving the clock a day, with nothing written, moves the figures with it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import attrs
import pytest

from corehub.models import Level, Person
from corehub_training_tracker.training import Training

COURSE = "data-protection"


@pytest.fixture
def edges(hub: Any, cycle: Any) -> Training:
    training = Training(hub)
    hub.people.save([Person(id="chair", name="Chair Person", level=Level.DIRECTIVE, team="Board")])
    training.sync()
    today = training.today
    for pid in ("alpha-01", "alpha-02", "alpha-03", "beta-01", "beta-02", "beta-03"):
        training.complete(pid, COURSE, today - dt.timedelta(days=30))
    with hub.atomic() as db:  # validity as the course's rule would give on other days
        for pid, expires in (
            ("alpha-01", today - dt.timedelta(days=1)),
            ("alpha-02", today),
            ("alpha-03", today + dt.timedelta(days=1)),
        ):
            db.execute(
                "UPDATE training_completions SET expires_on = ? WHERE person_id = ? "
                "AND course_id = ?",
                [expires.isoformat(), pid, COURSE],
            )
    training.waive("beta-04", COURSE, "on leave", until=today)
    training.waive("beta-05", COURSE, "on leave", until=today + dt.timedelta(days=3))
    with hub.atomic() as db:
        db.execute(
            "UPDATE training_assignments SET waived_until = ? WHERE person_id = 'beta-05' "
            "AND course_id = ? AND status = 'waived'",
            [(today - dt.timedelta(days=1)).isoformat(), COURSE],
        )
    gone = hub.people.get("beta-03")
    hub.people.save([attrs.evolve(gone, active=False)])
    return training


def _shown(text: str) -> dict[str, tuple[int, int]]:
    """Course title -> (compliant, required) from the page's matrix."""
    titles = [
        html.unescape(t)
        for t in re.findall(r'<th scope="col" class="course">(.*?)</th>', text, re.S)
    ]
    foot = text[text.index("<tfoot>") : text.index("</tfoot>")]
    figures = [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+)", foot)]
    return dict(zip(titles, figures, strict=True))


def _expected(training: Training, people: list[Person]) -> dict[str, tuple[int, int]]:
    matrix = training.matrix(people)
    counts: dict[str, list[int]] = {c.id: [0, 0] for c in matrix.courses}
    for (_, course_id), cell in matrix.cells.items():
        counts[course_id][0] += int(cell.compliant)
        counts[course_id][1] += 1
    return {training.catalogue.course(c).title: (a, b) for c, (a, b) in counts.items()}


@pytest.mark.parametrize(
    ("who", "path", "scope"),
    [
        ("hr-1", "/training/team", lambda p: p.id != "hr-1"),
        ("hr-1", "/training/team?team=alpha", lambda p: p.team == "alpha"),
        ("boss", "/training/team", lambda p: p.manager_id in ("boss", "alpha-lead", "beta-lead")),
        ("boss", "/training/team?team=beta", lambda p: p.team == "beta" and p.id != "boss"),
    ],
)
def test_compliance_figures_are_the_matrix_s_today_and_tomorrow(
    browser: Any, hub: Any, clock: Any, edges: Training, who: str, path: str, scope: Any
) -> None:
    for _ in range(2):
        client = browser(who)  # (signed in afresh: a day ends a session)
        people = [p for p in hub.people.list() if scope(p)]
        training = Training(hub)
        expected = _expected(training, people)
        shown = _shown(client.get(path).get_data(as_text=True))
        assert shown == expected
        assert expected.get(training.catalogue.course(COURSE).title)
        clock.advance(days=1)  # nothing written: the figures follow the day


def test_the_edges_count_as_the_cells_say(hub: Any, edges: Training) -> None:
    """Expired yesterday and today: not compliant; tomorrow: compliant; a waiver until
    today: compliant, until yesterday: not; who has left is not counted."""
    people = [p for p in hub.people.list() if p.team in ("alpha", "beta")]
    cells = edges.matrix(people).cells
    compliant = {pid for (pid, cid), cell in cells.items() if cid == COURSE and cell.compliant}
    assert compliant == {"alpha-03", "beta-01", "beta-02", "beta-04"}
    assert "beta-03" not in {p.id for p in people}
    counts = edges.compliance_counts(
        "SELECT * FROM people WHERE active = 1 AND team IN ('alpha', 'beta')"
    )
    assert counts[COURSE] == (4, len([p for p in people if (p.id, COURSE) in cells]))


def test_the_matrix_reads_its_records_at_once(hub: Any, edges: Training) -> None:
    """The matrix of a page's people (the team page's) is read in a few statements, not
    one per person and course: who has an induction on record is known from them."""
    import sqlite_utils

    people = [p for p in hub.people.list() if p.team in ("alpha", "beta")]
    seen: list[str] = []
    execute = sqlite_utils.Database.execute

    def counted(self: Any, sql: str, parameters: Any = None) -> Any:
        if "training_" in sql:
            seen.append(sql)
        return execute(self, sql, parameters)

    sqlite_utils.Database.execute = counted  # type: ignore[method-assign]
    try:
        matrix = edges.matrix(people)
    finally:
        sqlite_utils.Database.execute = execute  # type: ignore[method-assign]
    assert len(seen) == 2, seen
    # the same cells as each person's own required courses say
    assert {(p.id, c) for p in people for c in edges.required(p)} == set(matrix.cells)
