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

import attrs
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
        # the team filter lists the page's teams and a search field, the totals are
        # counted in SQL
        ("/training/team", 0),
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


@pytest.mark.parametrize("who", ["hr-1", "boss"])
def test_team_training_reads_the_same_rows_whatever_teams_follow_its_page(
    browser: Any, hub: Any, cycle: Any, rows_read: Counter[str], who: str
) -> None:
    """HR's Team training page (and a director's) computes its matrix for the page's
    people and its totals in SQL: teams after the page, with their own levels, roles and
    training records, add nothing to what it reads (its team filter is a search field
    and the teams on the page, once there are more than a few)."""
    from corehub_training_tracker.training import Training

    _join(hub, cycle, "omega-lead", None, 55)  # a full page of teams and people
    client = browser(who)
    before = _reads(client, "/training/team", rows_read)
    training = Training(hub)
    for n, lead in enumerate(("zz-one", "zz-two", "zz-three")):
        _join(hub, cycle, lead, lead, 20)
        hub.people.save(
            [
                attrs.evolve(hub.people.get(f"{lead}-{i:02d}"), role=f"Role {n} {i % 3}")
                for i in range(20)
            ]
        )
        for i in range(0, 20, 2):
            training.complete(f"{lead}-{i:02d}", "data-protection", training.today)
    after = _reads(client, "/training/team", rows_read)
    # HR's totals of everyone are read from counts kept per level and role: a row more
    # per new combination of level and role (nine here) in two of them
    assert after == before + (2 * 9 if who == "hr-1" else 0), (before, after)


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


# -- the calibration page, a page of each list at a time -------------------------------


def _calibration_org(hub: Any, cycle: Any) -> None:
    """Seven managers' teams with stored scores of many values (whole and fractional
    competency ratings, self-assessments above and below), a person without a team, one
    who has left, and adjustments of an overall and a competency rating in an open session."""
    hub.cycles.set_calibrate(cycle, True)
    for lead in ("gamma-lead", "delta-lead", "eps-lead", "eta-lead", "theta-lead"):
        _join(hub, cycle, lead, lead.split("-")[0], 4)
    hub.people.save([Person(id="nomad", name="No Team", team="", manager_id="boss")])
    hub.cycles.open(cycle.name)
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', (id * 7 % 41 + 10) / 10.0, 'sections', json_array(), 'competencies', "
            "json_object('communication', id % 5 + 1, 'teamwork', (id % 4) + 1.5)) "
            "WHERE cycle_id = ? AND subject_id NOT IN ('alpha-03', 'beta-05')",
            [cycle.id],
        )
    left = hub.people.get("gamma-lead-01")
    hub.people.save([attrs.evolve(left, active=False)])
    calibration.open_session(hub, cycle, "all", actor="hr-1")
    calibration.adjust(hub, cycle, "beta-02", 2.5, reason="in line", actor="hr-1")
    calibration.adjust(
        hub, cycle, "delta-lead-02", 3.25, reason="in line", competency="teamwork", actor="hr-1"
    )


def _expected(hub: Any, cycle: Any) -> dict[str, Any]:
    """The view's figures worked out here, review by review, with ``statistics``."""
    from corehub_self_assessment.storage import REVIEWS

    rows = hub.db.execute(
        f"SELECT r.id, r.subject_id, r.author_id, r.score, p.team FROM [{REVIEWS}] AS r "
        "JOIN people AS p ON p.id = r.subject_id WHERE r.cycle_id = ? AND r.kind = 'manager' "
        "AND r.status != 'draft'",
        [cycle.id],
    ).fetchall()
    latest = calibration.calibrations(hub, [r[0] for r in rows])
    import json

    by_manager: dict[str, list[float]] = defaultdict(list)
    competencies: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    gaps: dict[str, list[float]] = defaultdict(list)
    overall: dict[str, float] = {}
    for review_id, subject, author, score, team in rows:
        changes = latest.get(review_id, {})
        stored = json.loads(score)
        rating = changes["overall"]["calibrated"] if "overall" in changes else stored["overall"]
        overall[subject] = rating
        by_manager[author].append(rating)
        for c, v in stored["competencies"].items():
            competencies[author][c].append(changes[c]["calibrated"] if c in changes else v)
        mine = hub.db.execute(
            f"SELECT json_extract(score, '$.overall') FROM [{REVIEWS}] WHERE cycle_id = ? "
            "AND kind = 'self' AND status != 'draft' AND subject_id = ?",
            [cycle.id, subject],
        ).fetchone()
        if mine and mine[0] is not None:
            gaps[team or "-"].append(round(rating - mine[0], 2))
    values = list(overall.values())
    mean, spread = statistics.fmean(values), statistics.pstdev(values)
    return {
        "overall": {"n": len(values), "mean": round(mean, 2), "spread": round(spread, 2)},
        "managers": {
            m: (
                len(v),
                round(statistics.fmean(v), 2),
                round(statistics.pstdev(v), 2) if len(v) > 1 else 0.0,
                {c: round(statistics.fmean(x), 2) for c, x in competencies[m].items()},
            )
            for m, v in by_manager.items()
        },
        "gaps": {t: (len(v), round(statistics.fmean(v), 2)) for t, v in gaps.items()},
        "edges": {p for p, v in overall.items() if abs((v - mean) / spread) >= 1.5},
    }


def test_calibration_view_s_figures_are_those_of_each_review(hub: Any, cycle: Any) -> None:
    _calibration_org(hub, cycle)
    expected = _expected(hub, cycle)
    data = calibration.view(hub, cycle, "all", actor="hr-1")
    assert data["overall"] == expected["overall"]
    assert {
        m["manager"]: (m["n"], m["mean"], m["spread"], m["competencies"]) for m in data["managers"]
    } == expected["managers"]
    assert {g["team"]: (g["n"], g["mean_gap"]) for g in data["gaps_by_team"]} == expected["gaps"]
    assert {e["person"] for e in data["edges"]} == expected["edges"]
    assert len(expected["managers"]) >= 7 and expected["edges"]
    distances = [abs(e["z"]) for e in data["edges"]]
    assert distances == sorted(distances, reverse=True)


@pytest.mark.parametrize("size", [1, 2, 3, 50])
def test_a_window_of_the_calibration_view_is_a_part_of_the_whole(
    hub: Any, cycle: Any, size: int
) -> None:
    _calibration_org(hub, cycle)
    whole = calibration.view(hub, cycle, "all", actor="hr-1")
    lists = {"managers": "managers", "teams": "gaps_by_team", "edges": "edges"}
    assert whole["totals"] == {k: len(whole[v]) for k, v in lists.items()}
    for name, key in lists.items():
        parts: list[Any] = []
        for number in range(1, whole["totals"][name] // size + 3):
            part = calibration.view(hub, cycle, "all", actor="hr-1", pages={name: (number, size)})
            assert {k: part[k] for k in ("overall", "totals", "adjustments")} == {
                k: whole[k] for k in ("overall", "totals", "adjustments")
            }
            last = -(-whole["totals"][name] // size)
            if number <= last:
                parts += part[key]
            else:  # past the end: the last page
                assert part[key] == whole[key][(last - 1) * size :]
        assert parts == whole[key], name


def _table(text: str, heading: str) -> list[list[str]]:
    section = text[text.index(heading) :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("who", ["hr-1", "boss"])
def test_the_calibration_page_s_pages_show_the_whole_view(
    browser: Any, hub: Any, cycle: Any, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    """Page by page, the managers, the teams and the people at the edges are the library's
    whole view, each once, for HR and for a director two levels above the agents."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "PER_PAGE", 2)
    _calibration_org(hub, cycle)
    whole = calibration.view(hub, cycle, "all", actor=who)
    client = browser(who)
    headings = {
        "page": "Managers side by side",
        "teams-page": "Self vs manager, per team",
        "edges-page": "At the edges",
    }
    for arg, heading in headings.items():
        shown: list[list[str]] = []
        path = f"/reviews/calibration/{cycle.id}"
        while path:
            page = client.get(path)
            assert page.status_code == 200
            shown += _table(page.text, heading)
            section = page.text[page.text.index(heading) :]
            after = re.search(
                r'<a href="([^"]+)" rel="next">', section[: section.index("</section>")]
            )
            path = html.unescape(after.group(1)) if after else ""
            assert not path or f"{arg}=" in path
        if arg == "page":
            assert [(r[0], int(r[1])) for r in shown] == [
                (m["name"], m["n"]) for m in whole["managers"]
            ]
            assert [r[2] for r in shown] == [f"{m['mean']:.2f}" for m in whole["managers"]]
        elif arg == "teams-page":
            assert [(r[0], int(r[1]), r[2]) for r in shown] == [
                (g["team"], g["n"], f"{g['mean_gap']:+.2f}") for g in whole["gaps_by_team"]
            ]
        else:
            assert [r[0] for r in shown] == [e["name"] for e in whole["edges"]]
            assert len(shown) > 2


def test_the_calibration_page_reads_a_page_of_each_list_whatever_the_organization(
    browser: Any, hub: Any, cycle: Any, rows_read: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More managers, teams and ratings past the page's lists leave the rows read the same:
    what reaches Python is the page, the totals and the distinct overall ratings."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "PER_PAGE", 2)
    _calibration_org(hub, cycle)
    # (while a session is open, its form offers every rated person of the scope)
    calibration.close_session(hub, cycle, "all", actor="hr-1")
    path = f"/reviews/calibration/{cycle.id}"
    hr = browser("hr-1")
    before = _reads(hr, path, rows_read)
    for n, lead in enumerate(("zz-one", "zz-two", "zz-three")):
        _join(hub, cycle, lead, lead, 20)
        with hub.atomic() as db:  # ratings the first page of the cycle already has
            db.execute(
                "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
                "'overall', ? + 2, 'sections', json_array(), 'competencies', json_object("
                "'communication', 3)) WHERE cycle_id = ? AND subject_id IN (SELECT id FROM "
                "people WHERE manager_id = ?)",
                [n, cycle.id, lead],
            )
    after = _reads(hr, path, rows_read)
    assert after == before, (before, after)


# -- the check-ins overview's teams: the org chart below the reader, not every team -------


def test_the_teams_a_reader_may_look_over_are_those_the_rule_gives(hub: Any, cycle: Any) -> None:
    from corehub import access
    from corehub_self_assessment import checkins_overview

    # a team led from outside it, a middle manager who has left, a director two levels up
    hub.people.save(
        [
            Person(
                id="mid",
                name="Middle Manager",
                level=Level.SUPERVISORY,
                team="Ops",
                manager_id="boss",
            ),
            Person(id="ops-01", name="Ops One", team="ops", manager_id="mid"),
            Person(id="ops-02", name="Ops Two", team="ops", manager_id="mid"),
            Person(id="out-01", name="Out One", team="outpost", manager_id="alpha-lead"),
        ]
    )
    mid = hub.people.get("mid")
    hub.people.save([attrs.evolve(mid, active=False)])
    every = [
        r[0]
        for r in hub.db.execute(
            "SELECT DISTINCT team FROM people WHERE active = 1 AND team != '' ORDER BY team"
        )
    ]
    for person in hub.people.list():
        expected = [t for t in every if access.may_see_team(hub, person.id, t)]
        assert checkins_overview.teams(hub, actor=person.id) == expected, person.id
    assert "outpost" in checkins_overview.teams(hub, actor="boss")


def test_the_check_ins_overview_reads_the_teams_below_its_reader_only(
    browser: Any, hub: Any, cycle: Any, rows_read: Counter[str]
) -> None:
    """More teams elsewhere in the organization leave what a team lead's overview reads the
    same (it looked every team's leads up before)."""
    lead = browser("alpha-lead")
    before = _reads(lead, "/checkins/overview", rows_read)
    for name in ("omega-lead", "zeta-lead", "eta-lead"):
        _join(hub, cycle, name, None, 4)
    after = _reads(lead, "/checkins/overview", rows_read)
    assert after == before, (before, after)


def test_the_check_ins_overview_s_work_is_a_page_s_not_the_organization_s(
    browser: Any, hub: Any, cycle: Any
) -> None:
    """HR's overview (overdue first, by the teams' cadences) reads its page from the
    stored pairs in its order: 101 more pairs, overdue ones among them, leave its work
    the same but for a few steps, on the first page and the next, filtered to the
    overdue ones or not. It ordered every pair of the organization (about 260 steps
    each)."""
    from corehub.testing import count_statements
    from corehub_self_assessment import checkins, checkins_overview

    # as corehub.toml's [settings.checkins] would say
    hub.config.settings["checkins"] = {"cadence_days": 14, "teams": {"alpha": 7, "zz": 0}}
    hub.reload_settings()

    def work() -> tuple[int, int, dict[str, int]]:
        steps = {}
        with count_statements(hub, unit=1) as ran:
            total = checkins_overview.count(hub, actor="hr-1")
            late = checkins_overview.count(hub, overdue_only=True, actor="hr-1")
            steps["counts"] = ran.steps
            for offset in (0, 50):
                checkins_overview.overview(hub, actor="hr-1", limit=50, offset=offset)
            checkins_overview.overview(hub, actor="hr-1", limit=50, overdue_only=True)
        steps["pages"] = ran.steps - steps["counts"]
        return total, late, steps

    def held(lead: str, n: int) -> None:
        # every other report met long ago (overdue), the others last week
        for i in range(n):
            day = "2025-12-01" if i % 2 else "2026-02-25"
            checkins.create(hub, f"{lead}-{i:02d}", day, actor=lead)

    # enough pairs, overdue and not, for full pages
    _join(hub, cycle, "first-lead", None, 120)
    held("first-lead", 120)
    pairs, overdue, before = work()
    _join(hub, cycle, "omega-lead", None, 100)
    held("omega-lead", 100)
    more, more_overdue, after = work()
    assert (more - pairs, more_overdue - overdue) == (101, 50)
    # the pages read their rows (and the ones before them) only: about 40,000 more
    # steps on the old code
    assert after["pages"] - before["pages"] <= 1_000, (before, after)
    # the count of every pair is kept; the overdue ones are counted from an index, a few
    # steps each (about 260 steps a pair, every pair, on the old code)
    assert after["counts"] - before["counts"] <= 30 * 50, (before, after)


def test_a_director_is_shown_by_name_only_the_people_below_them(
    browser: Any, hub: Any, cycle: Any
) -> None:
    """The calibration page's figures cover the whole scope for a director, but its rows
    naming one person (the people at the edges, the adjustments, the form's list) name only
    the people the director may see, as the calibration sheet does; HR sees every name."""
    _calibration_org(hub, cycle)
    # a second region: its director, a lead and agents rated far from everyone else
    hub.people.save(
        [Person(id="boss-2", name="Second Director", level=Level.DIRECTIVE, team="Board")]
    )
    _join(hub, cycle, "far-lead", "far", 3, boss="boss-2")
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', 1, 'sections', json_array(), 'competencies', json_object()) "
            "WHERE cycle_id = ? AND kind = 'manager' AND subject_id LIKE 'far-lead-%'",
            [cycle.id],
        )
    calibration.adjust(hub, cycle, "far-lead-00", 4.5, reason="region two", actor="hr-1")
    path = f"/reviews/calibration/{cycle.id}"
    hr = browser("hr-1")
    hr_page = hr.get(path).text
    assert "region two" in hr_page
    page = browser("boss").get(path)
    assert page.status_code == 200
    # the figures are the whole scope's, for both
    whole = calibration.view(hub, cycle, "all", actor="boss")
    assert any(e["person"].startswith("far-lead-") for e in whole["edges"])
    assert f"{whole['overall']['mean']:.2f}" in page.text
    # but no name, rating row or adjustment of the other region
    assert "far-lead-0" not in page.text and "Agent far-lead" not in page.text
    assert "region two" not in page.text
    assert "outside your view" in page.text
    # and the director's own people are still named (an adjustment of theirs)
    made = page.text.split(">Adjustments</h2>", 1)[1]
    assert '<span class="muted small">beta-02</span>' in made

    # the form (a search: many are rated) finds nobody's own rating, HR's neither, and a
    # director only the people below them; a forged adjustment is refused
    def people_offered(client: Any, *finds: str) -> set[str]:
        return {
            person
            for find in finds
            for person in re.findall(
                r'<span class="muted small">([^<]+)</span></td>',
                client.get(f"{path}?find={find}").text,
            )
        }

    director = browser("boss")
    options = people_offered(director, "agent", "lead", "far", "isabel", "boss", "a", "b")
    assert options and "boss" not in options and "beta-02" in options, options
    assert not [o for o in options if o.startswith("far-lead")], options
    offered = people_offered(hr, "far", "hr", "henrik")
    assert "hr-1" not in offered and "far-lead-00" in offered
    forged = director.post(
        path,
        data={"person": "far-lead-01", "rating": "5", "reason": "not mine to move"},
    )
    assert forged.status_code == 403
    assert not hub.db.execute(
        "SELECT 1 FROM self_assessment_calibrations WHERE reason = 'not mine to move'"
    ).fetchall()


@pytest.fixture
def vm_steps(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How much work the database did for the self-assessment plugin's queries of a
    request (those naming its tables): its virtual machine's steps."""
    seen: Counter[str] = Counter()
    running = {"ours": False}
    execute = sqlite_utils.Database.execute

    def tick() -> int:
        seen["steps"] += running["ours"]
        return 0

    def counted(self: Any, sql: str, parameters: Any = None) -> Any:
        self.conn.set_progress_handler(tick, 1)
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            return execute(self, sql, parameters)
        running["ours"] = "self_assessment_" in sql
        cursor = execute(self, sql, parameters)
        rows = _Rows(cursor.fetchall())  # every step is taken here
        rows.description = cursor.description
        running["ours"] = False
        return rows

    monkeypatch.setattr(sqlite_utils.Database, "execute", counted)
    return seen


class _Rows(list):  # type: ignore[type-arg]
    """Rows fetched already, handed out as a cursor would."""

    description: Any = None

    def fetchall(self) -> list[Any]:
        return list(self)

    def fetchone(self) -> Any:
        return self[0] if self else None


def test_the_calibration_page_s_work_does_not_grow_with_the_reviews(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sixty more submitted manager reviews, of one more manager in one more team, after
    the page's lists: the page's queries do the same work as before but for the counts
    of that manager and that team (they read counts kept beside the reviews, then a page
    of rows), not a step more per review (they did about 200 more per review)."""
    from corehub_self_assessment import web_calibration

    monkeypatch.setattr(web_calibration, "PER_PAGE", 2)
    _calibration_org(hub, cycle)
    calibration.close_session(hub, cycle, "all", actor="hr-1")
    path = f"/reviews/calibration/{cycle.id}"
    work = []
    for who in ("hr-1", "boss"):
        client = browser(who)
        client.get(path)
        vm_steps.clear()
        assert client.get(path).status_code == 200
        work.append(vm_steps["steps"])
    _join(hub, cycle, "zz-lead", "zz-team", 60)
    with hub.atomic() as db:  # a rating the cycle has already
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', 3, 'sections', json_array(), 'competencies', json_object("
            "'communication', 3)) WHERE cycle_id = ? AND subject_id IN (SELECT id FROM "
            "people WHERE manager_id = 'zz-lead')",
            [cycle.id],
        )
    assert calibration.view(hub, cycle, "all", actor="hr-1")["reviewed"] >= 80
    for who, before in zip(("hr-1", "boss"), work, strict=True):
        client = browser(who)
        client.get(path)
        vm_steps.clear()
        assert client.get(path).status_code == 200
        assert before < vm_steps["steps"] <= before + 60, (who, before, vm_steps["steps"])


def test_a_director_s_page_looks_up_the_managers_of_the_people_it_names_only(
    browser: Any, hub: Any, cycle: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A director's page names the people at the edges and in the adjustments whom
    ``access.may_see_person`` lets them see (a lead who has left between them still
    counts), and finds them by each one's managers, without listing everyone below the
    director (which only the form's list of rated people needs, while a session is open)."""
    from corehub import access

    _calibration_org(hub, cycle)
    hub.people.save(
        [Person(id="boss-2", name="Second Director", level=Level.DIRECTIVE, team="Board")]
    )
    _join(hub, cycle, "far-lead", "far", 3, boss="boss-2")
    _join(hub, cycle, "gone-lead", "gone", 2)
    with hub.atomic() as db:
        db.execute(
            "UPDATE self_assessment_reviews SET status = 'submitted', score = json_object("
            "'overall', CASE WHEN subject_id LIKE 'far-%' THEN 1 ELSE 5 END, 'sections', "
            "json_array(), 'competencies', json_object()) WHERE cycle_id = ? AND kind = "
            "'manager' AND (subject_id LIKE 'far-lead-%' OR subject_id LIKE 'gone-lead-%')",
            [cycle.id],
        )
    hub.people.save([attrs.evolve(hub.people.get("gone-lead"), active=False)])
    calibration.adjust(hub, cycle, "far-lead-00", 4.5, reason="region two", actor="hr-1")
    calibration.adjust(hub, cycle, "gone-lead-01", 4.5, reason="left lead", actor="hr-1")
    calibration.close_session(hub, cycle, "all", actor="hr-1")
    whole = calibration.view(hub, cycle, "all", actor="boss")
    named = {e["person"]: e["name"] for e in whole["edges"]}
    assert {"far-lead-01", "gone-lead-00"} <= set(named)
    statements: list[str] = []
    execute = sqlite_utils.Database.execute

    def recorded(self: Any, sql: str, parameters: Any = None) -> Any:
        statements.append(sql)
        return execute(self, sql, parameters)

    monkeypatch.setattr(sqlite_utils.Database, "execute", recorded)
    page = browser("boss").get(f"/reviews/calibration/{cycle.id}?scope=all")
    assert page.status_code == 200
    for person, name in named.items():
        shown = access.may_see_person(hub, "boss", person)
        assert (html.escape(name) in page.text) is shown, person
    assert "gone-lead-01" in page.text and "left lead" in page.text
    assert "far-lead-0" not in page.text and "region two" not in page.text
    assert not any("below(id)" in sql for sql in statements)
