"""The HR overview, team training and calibration pages count in SQL and read a page's rows.

Their figures are the library's (the whole cycle's report, the compliance matrix, the
calibration view computed from each review's stored score), and what reaches Python from
the database for one request does not grow with the organization: 60 more people in the
cycle, with submitted reviews, leave the rows read the same, or larger by a row per new
team or manager the page lists.
"""

from __future__ import annotations

import html
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import sqlite_utils

from corehub.models import Level, Person
from corehub_self_assessment import calibration, reviews
from tests.web.test_calibration_web import _submitted


class _Counted:
    """A cursor that counts the rows it hands out."""

    def __init__(self, cursor: Any, seen: Counter[str]):
        self._cursor, self._seen = cursor, seen

    def fetchall(self) -> list[Any]:
        rows = self._cursor.fetchall()
        self._seen["rows"] += len(rows)
        return rows

    def fetchone(self) -> Any:
        row = self._cursor.fetchone()
        self._seen["rows"] += row is not None
        return row

    def __iter__(self) -> Iterator[Any]:
        for row in self._cursor:
            self._seen["rows"] += 1
            yield row

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


@pytest.fixture
def rows_read(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many rows the database handed to Python (every query of the request)."""
    seen: Counter[str] = Counter()
    execute = sqlite_utils.Database.execute

    def counted(self: Any, sql: str, parameters: Any = None) -> Any:
        return _Counted(execute(self, sql, parameters), seen)

    query = sqlite_utils.Database.query

    def counted_query(self: Any, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        for row in query(self, sql, params):
            seen["rows"] += 1
            yield row

    monkeypatch.setattr(sqlite_utils.Database, "execute", counted)
    monkeypatch.setattr(sqlite_utils.Database, "query", counted_query)
    return seen


def _join(hub: Any, cycle: Any, lead: str, team: str | None, n: int, boss: str = "boss") -> None:
    """``lead`` and ``n`` agents under them join the organization and the cycle; each agent
    in ``team``, or in a team of their own when ``team`` is None."""
    hub.people.save(
        [
            Person(
                id=lead,
                name=f"Lead {lead}",
                level=Level.SUPERVISORY,
                team=team or lead,
                manager_id=boss,
            ),
            *[
                Person(
                    id=f"{lead}-{i:02d}",
                    name=f"Agent {lead} {i:02d}",
                    team=team or f"{lead}-team-{i:02d}",
                    manager_id=lead,
                    role="Service desk agent",
                )
                for i in range(n)
            ],
        ]
    )
    hub.cycles.open(cycle.name)


def _scores(hub: Any, cycle: Any, lead: str) -> None:
    """Every review of ``lead``'s agents submitted with the same stored score."""
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', 3.5, 'sections', json_array(), 'competencies', json_object("
            "'communication', 3)) WHERE cycle_id = ? AND subject_id IN (SELECT id FROM people "
            "WHERE manager_id = ?)",
            [cycle.id, lead],
        )


def _hr_rows(text: str) -> dict[str, list[int]]:
    found = {}
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)
        ]
        found[html.unescape(cells[0])] = [int(c) for c in cells[1:6]]
    return found


def test_hr_overview_shows_the_library_s_counts_for_every_team_and_the_whole_cycle(
    browser: Any, hub: Any, cycle: Any
) -> None:
    _join(hub, cycle, "omega-lead", None, 55)  # more teams than fit on a page
    hub.people.save([Person(id="nomad", name="No Team", team="", manager_id="boss")])
    hub.cycles.open(cycle.name)
    for person, rating in (("alpha-01", 5), ("alpha-02", 2)):
        _submitted(hub, cycle, person, rating)
    hub.cycles.cancel_task(hub.cycles.task(cycle, "self", "beta-01", "beta-01"), reason="leave")
    report = hub.cycles.report(cycle.id)
    assert report.total.waiting and report.total.open and report.total.done
    hr = browser("hr-1")
    shown: dict[str, list[int]] = {}
    path = "/hr"
    while path:
        page = hr.get(path)
        assert page.status_code == 200
        rows = _hr_rows(page.text)
        assert not set(rows) & set(shown)  # every team once
        shown |= rows
        after = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        path = html.unescape(after.group(1)) if after else ""
    expected = {
        team: [c.done, c.open, c.waiting, c.overdue, c.cancelled]
        for team, c in report.by_team.items()
    }
    assert shown == expected and "(no team)" in shown
    total = report.total
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page.text, re.S).group(1)
    assert [int(x) for x in re.findall(r"<th>(\d+)</th>", foot)] == [
        total.done,
        total.open,
        total.waiting,
        total.overdue,
        total.cancelled,
    ]
    # a page of the report counts the same as the whole
    names = hub.cycles.report_teams(cycle.id, offset=10, limit=7)[1]
    part = hub.cycles.report(cycle.id, teams=names)
    assert part.by_team == {n: report.by_team[n] for n in names} and part.total == total


def test_report_teams_pages_the_teams_in_sql(hub: Any, cycle: Any) -> None:
    _join(hub, cycle, "omega-lead", None, 12)
    every = list(hub.cycles.report(cycle.id).by_team)
    total, names = hub.cycles.report_teams(cycle.id)
    assert (total, names) == (len(every), every)
    assert hub.cycles.report_teams(cycle.id, offset=5, limit=4) == (total, every[5:9])
    assert hub.cycles.report_teams(cycle.id, limit=0) == (total, [])
    assert hub.cycles.report_teams(cycle.id, offset=1000, limit=4) == (total, [])


def _reads(client: Any, path: str, rows_read: Counter[str]) -> int:
    client.get(path)  # warm: sessions, templates
    rows_read.clear()
    assert client.get(path).status_code == 200
    return rows_read["rows"]


@pytest.mark.parametrize(
    ("path", "grows_by"),
    [
        ("/hr", 0),
        # the team filter lists one more team; compliance rules are matched once per
        # level, role and team (the lead and the agents of the new team)
        ("/training/team", 3),
        ("/reviews/calibration/{cycle}", 8),  # a manager, a team, their ratings' rows
        ("/checkins/", 0),  # my own check-ins, reports and new-hire parts only
    ],
)
def test_a_page_reads_the_same_rows_whoever_joins_the_organization(
    browser: Any, hub: Any, cycle: Any, rows_read: Counter[str], path: str, grows_by: int
) -> None:
    hub.cycles.set_calibrate(cycle, True)
    _join(hub, cycle, "omega-lead", None, 55)  # a full page of teams and people
    _scores(hub, cycle, "omega-lead")
    path = path.format(cycle=cycle.id)
    hr = browser("hr-1")
    before = _reads(hr, path, rows_read)
    _join(hub, cycle, "zeta-lead", "zz-zeta", 60)  # one team, after the first page
    _scores(hub, cycle, "zeta-lead")
    after = _reads(hr, path, rows_read)
    assert before <= after <= before + grows_by, (before, after)


def test_calibration_view_counts_what_the_stored_scores_and_adjustments_say(
    hub: Any, cycle: Any
) -> None:
    hub.cycles.set_calibrate(cycle, True)
    ratings = {"alpha-01": 5, "alpha-02": 2, "alpha-03": 4}
    for person, rating in ratings.items():
        _submitted(hub, cycle, person, rating)
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    calibration.adjust(hub, cycle, "alpha-02", 2.5, reason="a tie: rounds to even", actor="hr-1")
    calibration.adjust(hub, cycle, "alpha-02", 3.5, reason="changed again", actor="hr-1")
    data = calibration.view(hub, cycle, "all", actor="hr-1")
    # the same figures computed here, review by review
    overall: dict[str, float] = {}
    selves: dict[str, float] = {}
    competencies: dict[str, list[float]] = defaultdict(list)
    for person in ratings:
        manager = reviews.find(hub, cycle, person, "manager").review
        score = calibration.calibrated_score(hub, manager, reviews.given_score(hub, manager))
        assert score.overall is not None
        overall[person] = score.overall
        for c, v in score.competencies.items():
            competencies[c].append(v)
        mine = reviews.given_score(hub, reviews.find(hub, cycle, person, "self").review).overall
        assert mine is not None
        selves[person] = mine
    values = list(overall.values())
    [manager] = data["managers"]
    assert manager["manager"] == "alpha-lead" and manager["n"] == 3
    assert manager["mean"] == round(statistics.fmean(values), 2)
    assert manager["spread"] == round(statistics.pstdev(values), 2)
    points = Counter(min(max(round(v), 1), 5) for v in values)
    assert manager["shares"] == {str(p): round(points[p] / 3, 3) for p in range(1, 6)}
    assert manager["competencies"] == {
        c: round(statistics.fmean(v), 2) for c, v in sorted(competencies.items())
    }
    gaps = [round(overall[p] - selves[p], 2) for p in ratings]
    assert data["gaps_by_team"] == [
        {"team": "alpha", "n": 3, "mean_gap": round(statistics.fmean(gaps), 2)}
    ]
    assert data["overall"]["n"] == 3 and data["reviewed"] == 3
    assert [(a["person"], a["calibrated"]) for a in data["adjustments"]] == [("alpha-02", 3.5)]
    assert {r["person"]: r["overall"] for r in data["ratings"]} == overall
    # the page leaves the list of rated people out unless a session over its scope is open
    assert calibration.view(hub, cycle, "team:beta", actor="hr-1", ratings=None)["ratings"] == []
