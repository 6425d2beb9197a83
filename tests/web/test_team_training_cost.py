"""HR's Team training page costs what it shows.

Every variant (everyone, a team, a page further on, a team search) shows the library's
figures: each row's cells are the compliance matrix's, the totals the matrix's counts over
the whole scope. The team filter reads no more teams than it shows: with many teams it is a
search field, the teams of the page's people and a page of the teams found. The work of a
request does not grow with what it does not show: people in other teams leave a team's
page doing the same work, and more people on a page add no statement per person.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sqlite_utils

from corehub.models import Level, Person
from corehub_training_tracker.training import Matrix, Training
from tests.web.test_accessibility import axe_source  # noqa: F401 (a fixture)
from tests.web.test_aggregate_pages import _join


def _links(text: str, css: str) -> list[str]:
    """The team names linked in the element of class ``css``."""
    found = re.search(rf'<(?:p|ul) class="{css}[^"]*"[^>]*>(.*?)</(?:p|ul)>', text, re.S)
    assert found, css
    return [html.unescape(t) for t in re.findall(r'team=[^"]*"[^>]*>([^<]+)</a>', found.group(1))]


def _rows(text: str) -> dict[str, list[str]]:
    """Person id -> the marks of their row in the matrix ('' where not required)."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        person = re.search(r"/training/people/([^\"]+)\"", row).group(1)
        cells = re.findall(r'<td class="cell ([^"]+)"[^>]*>(.*?)</td>', row, re.S)
        rows[person] = [
            re.sub(r"<[^>]+>", " ", inner).split()[0] if "state-" in cls else ""
            for cls, inner in cells
        ]
    return rows


def _all_pages(client: Any, path: str) -> list[str]:
    texts = []
    while path:
        page = client.get(path)
        assert page.status_code == 200
        texts.append(page.get_data(as_text=True))
        after = re.search(
            r'<nav class="pager" aria-label="Pages of the compliance table">.*?'
            r'<a href="([^"]+)" rel="next">',
            texts[-1],
            re.S,
        )
        path = html.unescape(after.group(1)) if after else ""
    return texts


@pytest.fixture
def many_teams(hub: Any, cycle: Any) -> Training:
    """55 one-person teams below omega-lead (more than the filter lists as links), a team
    named with letters a search must fold (Åre, ÅRE), someone who has left, someone with no
    course required, a completion expired and one expiring today."""
    import datetime as dt

    _join(hub, cycle, "omega-lead", None, 55)
    hub.people.save(
        [
            Person(id="are-1", name="Åsa Öberg", team="Åre Support", manager_id="omega-lead"),
            Person(id="nomad", name="No Team", team="", manager_id="boss"),
            Person(id="chair", name="Chair Person", level=Level.DIRECTIVE, team="Board"),
        ]
    )
    training = Training(hub)
    training.sync()
    today = training.today
    for pid in ("omega-lead-00", "omega-lead-01", "alpha-01"):
        training.complete(pid, "data-protection", today - dt.timedelta(days=30))
    with hub.atomic() as db:
        for pid, expires in (("omega-lead-00", today - dt.timedelta(days=1)), ("alpha-01", today)):
            db.execute(
                "UPDATE training_completions SET expires_on = ? WHERE person_id = ?",
                [expires.isoformat(), pid],
            )
    hub.people.save([attrs.evolve(hub.people.get("omega-lead-02"), active=False)])
    return training


def _expected(training: Training, people: list[Person]) -> tuple[dict[str, list[str]], Matrix]:
    """The rows the library's matrix draws (by person id) and the matrix."""
    from corehub_training_tracker.report import MATRIX_MARKS

    matrix = training.matrix(people)
    rows = {
        p.id: [
            MATRIX_MARKS[cell.state].split()[0] if (cell := matrix.cells.get((p.id, c.id))) else ""
            for c in matrix.courses
        ]
        for p in people
    }
    return rows, matrix


@pytest.mark.parametrize(
    ("who", "path", "scope"),
    [
        ("hr-1", "/training/team", lambda p: p.id != "hr-1"),
        ("hr-1", "/training/team?find=omega", lambda p: p.id != "hr-1"),
        (
            "hr-1",
            "/training/team?team=omega-lead-team-07",
            lambda p: p.team == "omega-lead-team-07",
        ),
        ("boss", "/training/team", None),
        ("omega-lead", "/training/team", None),
    ],
)
def test_every_variant_shows_the_library_s_rows_and_totals(
    browser: Any, hub: Any, many_teams: Training, who: str, path: str, scope: Any
) -> None:
    if scope is None:  # the people below them, at every level
        people = hub.people.reports(who, all_levels=True)
    else:
        people = [p for p in hub.people.list() if scope(p)]  # active people only
    assert all(p.active for p in people) and "omega-lead-02" not in {p.id for p in people}
    training = Training(hub)
    whole = training.matrix(people)
    texts = _all_pages(browser(who), path)
    shown: set[str] = set()
    for text in texts:
        # the page's rows: the library's matrix of the page's people, cell by cell
        rows = _rows(text)
        assert not set(rows) & shown  # each person on one page
        shown |= set(rows)
        expected_rows, matrix = _expected(training, [hub.people.get(pid) for pid in rows])
        assert rows == expected_rows
        # the totals: the whole scope's, under each of the page's courses
        titles = [
            html.unescape(t) for t in re.findall(r'<th scope="col" class="course">(.*?)</th>', text)
        ]
        assert titles == [c.title for c in matrix.courses]
        foot = text[text.index("<tfoot>") : text.index("</tfoot>")]
        figures = [(int(a), int(b)) for a, b in re.findall(r"(\d+)/(\d+)", foot)]
        assert figures == [whole.compliance(c.id) for c in matrix.courses]
    assert shown == {p.id for p in people}


def test_with_many_teams_the_filter_is_a_search_and_the_page_s_teams(
    browser: Any, hub: Any, many_teams: Training
) -> None:
    hr = browser("hr-1")
    text = hr.get("/training/team").get_data(as_text=True)
    assert 'role="search"' in text and 'id="team-find"' in text
    assert '<label for="team-find">Find a team by name</label>' in text
    page_teams = sorted(
        {html.unescape(t) for t in re.findall(r'class="muted small">([^<]*)</span></th>', text)}
        - {""}
    )
    assert _links(text, "teams") == page_teams  # the teams of the page's 50 people
    assert len(page_teams) < len(hub.people.teams())
    # a search: case and accents folded, a page of the teams found, the search kept
    found = hr.get("/training/team?find=%C3%A5re").get_data(as_text=True)  # "åre"
    assert _links(found, "team-list") == ["Åre Support"]
    assert "1 team matches åre." in html.unescape(found)
    # (omega-lead-team-02's only member has left: nobody the page is about)
    omegas = [f"omega-lead-team-{n:02d}" for n in range(55) if n != 2]
    omega = hr.get("/training/team?find=OMEGA-lead-team").get_data(as_text=True)
    assert "54 teams match OMEGA-lead-team." in omega
    assert _links(omega, "team-list") == omegas[:20]
    after = re.search(
        r'<nav class="pager" aria-label="Pages of the teams found">.*?'
        r'<a href="([^"]+)" rel="next">',
        omega,
        re.S,
    )
    second = hr.get(html.unescape(after.group(1))).get_data(as_text=True)
    assert _links(second, "team-list") == omegas[20:40]
    # a team found keeps the search, and is the page's filter
    chosen = hr.get("/training/team?team=omega-lead-team-03&find=omega").get_data(as_text=True)
    assert 'aria-current="page">omega-lead-team-03</a>' in chosen
    assert "Team training: omega-lead-team-03" in chosen
    # nothing found: said so
    assert "No team matches team-02." in hr.get("/training/team?find=team-02").get_data(
        as_text=True
    )
    # a director finds only teams with people below them
    boss = browser("boss").get("/training/team?find=a").get_data(as_text=True)
    assert "HR" not in _links(boss, "team-list") and "Board" not in _links(boss, "team-list")


def test_a_manager_with_few_teams_gets_every_team_as_a_link(
    browser: Any, hub: Any, many_teams: Training
) -> None:
    text = browser("boss").get("/training/team").get_data(as_text=True)
    assert 'id="team-find"' in text  # boss manages omega-lead's 56 teams too
    lead = browser("alpha-lead").get("/training/team").get_data(as_text=True)
    assert 'id="team-find"' not in lead
    # alpha-lead's people are in one team: no filter at all, as before
    assert 'class="teams' not in lead
    hub.people.save([attrs.evolve(hub.people.get("alpha-02"), team="alpha-2")])
    two = browser("alpha-lead").get("/training/team").get_data(as_text=True)
    assert _links(two, "teams") == ["alpha", "alpha-2"]


@pytest.fixture
def vm_steps(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The statements of a request and the database's work for them (virtual machine
    steps), every query of the request."""
    seen: Counter[str] = Counter()
    execute = sqlite_utils.Database.execute

    def tick() -> int:
        seen["steps"] += 1
        return 0

    def counted(self: Any, sql: str, parameters: Any = None) -> Any:
        self.conn.set_progress_handler(tick, 1)
        seen["statements"] += 1
        return execute(self, sql, parameters)

    query = sqlite_utils.Database.query

    def counted_query(self: Any, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        self.conn.set_progress_handler(tick, 1)
        seen["statements"] += 1
        yield from query(self, sql, params)

    monkeypatch.setattr(sqlite_utils.Database, "execute", counted)
    monkeypatch.setattr(sqlite_utils.Database, "query", counted_query)
    return seen


def _work(client: Any, path: str, seen: Counter[str]) -> Counter[str]:
    client.get(path)  # warm: sessions, templates
    seen.clear()
    page = client.get(path)
    assert page.status_code == 200
    return Counter(seen)


def test_a_team_s_page_does_the_same_work_whoever_else_joins(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str]
) -> None:
    """A team's page reads the team through the team index, its totals too: 120 more
    people in 120 more teams (with training on record) change neither its statements nor
    its database work, within a margin far below a step per newcomer (the old page
    counted everyone's totals and listed every team: thousands of steps more)."""
    _join(hub, cycle, "yy-lead", None, 20)  # more teams than the filter lists as links
    training = Training(hub)
    training.sync()
    hr = browser("hr-1")
    path = "/training/team?team=alpha"
    before = _work(hr, path, vm_steps)
    _join(hub, cycle, "zz-lead", None, 120)
    for n in range(0, 120, 2):
        training.complete(f"zz-lead-{n:02d}", "data-protection", training.today)
    training.sync()
    after = _work(hr, path, vm_steps)
    assert after["statements"] == before["statements"]
    assert abs(after["steps"] - before["steps"]) < 60, (before, after)


@pytest.mark.parametrize("path", ["/training/team", "/training/team?page=2"])
def test_hr_s_page_of_everyone_does_the_same_work_whoever_else_joins(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str], path: str
) -> None:
    """HR's page of everyone counts its people and its totals from the counts the database
    keeps (per level and role, per stored day, per hire date), and the people of the teams
    a rule names one by one: 120 more people after its page, in 120 more teams, with
    training on record, new hires among them, change neither its statements nor its
    database work beyond a few new count rows, some steps per newcomer (it counted
    everyone: about 13,000 steps more here)."""
    import datetime as dt

    _join(hub, cycle, "yy-lead", None, 110)  # two full pages, teams as a search
    training = Training(hub)
    training.sync()
    hr = browser("hr-1")
    before = _work(hr, path, vm_steps)
    _join(hub, cycle, "zz-lead", None, 120)
    hub.people.save(
        [
            attrs.evolve(hub.people.get(f"zz-lead-{n:02d}"), hire_date=training.today)
            for n in range(0, 120, 3)
        ]
    )
    for n in range(0, 120, 2):
        training.complete(f"zz-lead-{n:02d}", "data-protection", training.today)
    training.waive("zz-lead-01", "data-protection", "on leave", until=training.today)
    training.sync()
    after = _work(hr, path, vm_steps)
    assert after["statements"] == before["statements"]
    # a few rows more in the counts (a new stored day, new hire dates): some 300 steps
    assert abs(after["steps"] - before["steps"]) < 500, (before, after)
    # and the figures are the matrix's of everyone
    people = [p for p in hub.people.list() if p.active and p.id != "hr-1"]
    _, matrix = _expected(Training(hub), people)
    text = hr.get("/training/team").get_data(as_text=True)
    titles = re.findall(r'<th scope="col" class="course">(.*?)</th>', text, re.S)
    foot = text[text.index("<tfoot>") : text.index("</tfoot>")]
    shown = [tuple(map(int, f)) for f in re.findall(r"(\d+)/(\d+)", foot)]
    ids = {c.title: c.id for c in matrix.courses}
    assert shown == [matrix.compliance(ids[html.unescape(t)]) for t in titles]
    assert len(shown) > 2
    assert hub.people.get("zz-lead-00").hire_date == dt.date.fromisoformat(str(training.today))


def test_more_people_on_a_page_add_no_statement_per_person(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str]
) -> None:
    """Who may be shown, each overdue person's name and team, each recommendation's
    person: read with the page's rows, not one look-up per person (the old page made one
    or more per row)."""
    import datetime as dt

    training = Training(hub)
    training.sync()
    for who in ("hr-1", "boss"):
        client = browser(who)
        before = _work(client, "/training/team", vm_steps)
        _join(hub, cycle, f"{who}-more", "alpha", 30)
        people = [hub.people.get(f"{who}-more-{i:02d}") for i in range(30)]
        training.assign("stress-handling", people, due=training.today + dt.timedelta(days=1))
        with hub.atomic() as db:  # overdue since yesterday
            db.execute(
                "UPDATE training_assignments SET due = ?, assigned_on = ? "
                "WHERE course_id = 'stress-handling'",
                [
                    (training.today - dt.timedelta(days=1)).isoformat(),
                    (training.today - dt.timedelta(days=9)).isoformat(),
                ],
            )
        after = _work(client, "/training/team", vm_steps)
        assert after["statements"] == before["statements"], (who, before, after)


@pytest.mark.parametrize("lang", ["es", "da", "sv"])
def test_the_team_search_speaks_the_reader_s_language(
    browser: Any, hub: Any, many_teams: Training, lang: str
) -> None:
    """The search field, what it found, its pages and the page's teams, in es, da and sv
    (the page as a whole is checked by tests/web/test_no_english.py; its people are in too
    few teams there for the search)."""
    from tests.web.test_no_english import left_in, messages, words

    hub.people.save([attrs.evolve(hub.people.get("hr-1"), locale=lang)])
    translated, native = messages(lang)
    typed = {w for p in hub.people.list() for w in words(f"{p.name} {p.role} {p.team}")}
    typed |= {t for p in hub.people.list() for t in (p.name, p.role, p.team) if t}
    typed |= {"omega", "zzz"}  # what HR typed into the search
    client = browser("hr-1")
    problems = []
    for path in (
        "/training/team?find=omega",
        "/training/team?find=omega&teams-page=2",
        "/training/team?find=zzz",
        "/training/team?team=alpha&find=omega",
    ):
        page = client.get(path)
        assert page.status_code == 200
        assert 'id="team-find"' in page.text
        problems += [
            f"{path}: {p}" for p in left_in(html.unescape(page.text), translated, native, typed)
        ]
    assert problems == [], "\n".join(problems)


def test_hr_finds_a_team_with_the_keyboard_in_a_browser(
    chromium: Any,
    hub: Any,
    server: str,
    many_teams: Training,
    shots: Any,
    axe_source: str,  # noqa: F811
) -> None:
    """In headless Chromium, in Spanish: the search field is labelled, typing part of a
    name and Enter lists the teams found (announced as a status), the pages of the teams
    found keep the search, choosing a team filters the matrix and keeps the list; no WCAG
    2.1 AA violation on the way."""
    from playwright.sync_api import expect

    from tests.web.test_accessibility import signed_in, violations

    page = signed_in(chromium, hub, server, "hr-1", "es", axe_source)
    page.goto(f"{server}/training/team")
    field = page.get_by_label("Busca un equipo por su nombre")
    field.fill("LEAD-TEAM-1")
    field.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_have_text("10 equipos coinciden con LEAD-TEAM-1.")
    found = page.get_by_role("list", name="Equipos encontrados").get_by_role("link")
    assert found.all_inner_texts() == [f"omega-lead-team-{n}" for n in range(10, 20)]
    assert violations(page) == []
    page.screenshot(path=str(shots / "team-training-search.png"), full_page=True)
    found.nth(3).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Formación del equipo: omega-lead-team-13"
    )
    assert page.get_by_label("Busca un equipo por su nombre").input_value() == "LEAD-TEAM-1"
    current = page.locator(".team-list a[aria-current=page]")
    expect(current).to_have_text("omega-lead-team-13")
    assert violations(page) == []
    page.screenshot(path=str(shots / "team-training-team.png"), full_page=True)


def test_assigning_to_a_whole_team_reads_that_team(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str]
) -> None:
    """HR assigns a course to "the whole team": the team's members are read through the
    team index and checked at once (the form read everyone HR may manage, person by
    person): 60 more people elsewhere change neither the statements nor, beyond a small
    margin, the database's work; and the course goes to exactly the team's members."""
    hr = browser("hr-1")
    work = []
    for course, due in (("clear-writing", "2026-04-15"), ("kcs-basics", "2026-04-16")):
        vm_steps.clear()
        answer = hr.post("/training/assign", {"course": course, "team": "beta", "due": due})
        assert answer.status_code == 302, answer.text
        work.append(Counter(vm_steps))
        if len(work) == 1:
            _join(hub, cycle, "yy-lead", None, 60)
    assert work[1]["statements"] == work[0]["statements"], work
    assert abs(work[1]["steps"] - work[0]["steps"]) < 200, work
    training = Training(hub)
    beta = {p.id for p in hub.people.list(team="beta") if p.id != "hr-1"}
    for course in ("clear-writing", "kcs-basics"):
        assert {a.person_id for a in training.assignments(course_id=course)} == beta


@pytest.mark.parametrize("path", ["/training/team", "/training/team?page=2"])
def test_a_director_s_page_walks_the_org_chart_once(
    browser: Any, hub: Any, cycle: Any, vm_steps: Counter[str], path: str
) -> None:
    """A director's page finds the people below them once per request, and every part of
    the page (the count, the matrix's people, the totals, the overdue list, the
    recommendations, the teams, the assign form's team sizes) reads that list: 121 more
    people below the director, with training on record, add fewer steps per newcomer than
    walking the org chart in each statement did (about 350-420 here, 580-650 before; what
    is left is each part reading the newcomer's records); the figures stay those of the
    library's matrix of everyone below the director."""
    _join(hub, cycle, "yy-lead", None, 60)  # two pages, teams as a search
    training = Training(hub)
    training.sync()
    boss = browser("boss")
    recursive: Counter[str] = Counter()
    execute = sqlite_utils.Database.execute

    def seen(self: Any, sql: str, parameters: Any = None) -> Any:
        recursive["walks"] += "WITH RECURSIVE below" in sql
        return execute(self, sql, parameters)

    before = _work(boss, path, vm_steps)
    _join(hub, cycle, "zz-lead", None, 120)
    for n in range(0, 120, 2):
        training.complete(f"zz-lead-{n:02d}", "data-protection", training.today)
    training.sync()
    after = _work(boss, path, vm_steps)
    assert after["statements"] == before["statements"]
    per_newcomer = (after["steps"] - before["steps"]) / 121
    assert per_newcomer < 500, (before, after, per_newcomer)
    # one walk of the org chart per request
    original = sqlite_utils.Database.execute
    sqlite_utils.Database.execute = seen  # type: ignore[method-assign]
    try:
        assert boss.get(path).status_code == 200
    finally:
        sqlite_utils.Database.execute = original  # type: ignore[method-assign]
    assert recursive["walks"] == 1
    # the figures: the library's matrix of everyone below the director
    people = hub.people.reports("boss", all_levels=True)
    _, matrix = _expected(Training(hub), people)
    text = boss.get("/training/team").get_data(as_text=True)
    titles = re.findall(r'<th scope="col" class="course">(.*?)</th>', text, re.S)
    foot = text[text.index("<tfoot>") : text.index("</tfoot>")]
    shown = [tuple(map(int, f)) for f in re.findall(r"(\d+)/(\d+)", foot)]
    ids = {c.title: c.id for c in matrix.courses}
    assert shown == [matrix.compliance(ids[html.unescape(t)]) for t in titles]
    assert len(shown) > 2
