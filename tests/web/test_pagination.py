"""Long lists come in pages read in SQL, and a page never shows a row its reader may not see.

The org chart of tests/web/conftest.py grows: team gamma (120 agents under gamma-lead, who
reports to boss) and, outside boss's part of the chart, omega-lead with 55 agents, each in
a team of their own (so HR's overview has more teams than fit on one page). Every page of
each list is followed by its "next" link; the rows of all pages together must be exactly
the rows the reader may see, each once, and the counts the pages state must be right.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from corehub import access
from corehub.models import Level, Person

GAMMA = 120
OMEGA = 55


@pytest.fixture
def org(org: dict[str, Person], hub: Any) -> dict[str, Person]:
    extra = [
        Person(
            id="gamma-lead",
            name="Gil Lead",
            level=Level.SUPERVISORY,
            team="gamma",
            manager_id="boss",
            email="gamma-lead@example.org",
        ),
        Person(id="omega-lead", name="Olga Lead", level=Level.SUPERVISORY, team="omega"),
    ]
    extra += [
        Person(
            id=f"gamma-{n:03d}",
            name=f"Gamma Agent {n:03d}",
            team="gamma",
            manager_id="gamma-lead",
            role="Service desk agent",
        )
        for n in range(GAMMA)
    ]
    extra += [
        Person(
            id=f"omega-{n:03d}",
            name=f"Omega Agent {n:03d}",
            team=f"omega-{n:03d}",
            manager_id="omega-lead",
            role="Service desk agent",
        )
        for n in range(OMEGA)
    ]
    hub.people.save(extra)
    return {**org, **{p.id: p for p in extra}}


def pages(client: Any, path: str, limit: int = 20) -> list[str]:
    """Every page of a list, from ``path`` on by its "next" links."""
    found = []
    while path and len(found) < limit:
        page = client.get(path)
        assert page.status_code == 200, page.text
        found.append(page.text)
        after = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        path = html.unescape(after.group(1)) if after else ""
    return found


def section(text: str, anchor: str) -> str:
    """The ``<section id=anchor>`` of a page."""
    start = text.index(f'id="{anchor}"')
    return text[start : text.index("</section>", start)]


def below(hub: Any, manager_id: str, cycle: Any) -> set[str]:
    members = {p.id for p in hub.cycles.members(cycle)}
    return {p.id for p in hub.people.reports(manager_id, all_levels=True)} & members


@pytest.mark.parametrize("reader", ["boss", "gamma-lead", "alpha-lead", "omega-lead"])
def test_my_team_pages_hold_exactly_the_people_below_the_reader(browser, hub, cycle, reader):
    texts = pages(browser(reader), "/team")
    rows = [
        pid for text in texts for pid in re.findall(rf"/packet/{cycle.id}/([^/\"]+)\.pdf", text)
    ]
    expected = below(hub, reader, cycle)
    assert sorted(rows) == sorted(expected)  # every one of them, once, on some page
    assert all(access.may_see_person(hub, reader, pid) for pid in rows)
    assert len(texts) == -(-len(expected) // 50)
    if len(texts) > 1:
        assert f"of {len(expected)}" in texts[0]
        assert '<nav class="pager" aria-label="Pages of the people in 2026 H1">' in texts[0]
        assert 'aria-current="page">1</a>' in texts[0]
        assert 'aria-current="page">2</a>' in texts[1]


def test_a_page_past_the_end_or_not_a_number_shows_the_nearest_page(browser, hub, cycle):
    client = browser("boss")
    last = client.get(f"/team?people-{cycle.id}=99")
    assert last.status_code == 200
    assert 'aria-current="page">3</a>' in last.text
    first = client.get(f"/team?people-{cycle.id}=two")
    assert first.status_code == 200
    assert 'aria-current="page">1</a>' in first.text


def test_hr_overview_pages_count_every_team_once_and_keep_other_arguments(browser, hub, cycle):
    texts = pages(browser("hr-1"), "/hr?lang=x")
    teams = [t for text in texts for t in re.findall(rf"/summary/{cycle.id}/([^\"]+)\.pdf", text)]
    report = hub.cycles.report(cycle.id)
    assert sorted(teams) == sorted(t for t in report.by_team if t != "(no team)")
    assert len(texts) == 2
    assert "lang=x" in re.search(r'<a href="([^"]+)" rel="next">', texts[0]).group(1)
    # the totals are the whole cycle's, on every page
    total = f"<th>{report.total.done}</th><th>{report.total.open}</th>"
    assert all(total in text for text in texts)
    # a page past the end, or not a number, is the nearest page there is
    client = browser("hr-1")
    assert client.get(f"/hr?teams-{cycle.id}=99").text.count("/summary/") == texts[-1].count(
        "/summary/"
    )
    assert 'aria-current="page">2</a>' in client.get(f"/hr?teams-{cycle.id}=99").text
    assert 'aria-current="page">1</a>' in client.get(f"/hr?teams-{cycle.id}=x").text


def test_hr_overview_is_hr_s_only(browser, cycle):
    assert browser("boss").get("/hr").status_code == 403


def matrix_rows(texts: list[str]) -> list[str]:
    return [
        pid
        for text in texts
        for pid in re.findall(r"/training/people/([^\"]+)\"", section(text, "matrix"))
    ]


@pytest.mark.parametrize("reader", ["hr-1", "boss", "gamma-lead", "omega-lead", "alpha-lead"])
def test_team_training_pages_hold_exactly_the_people_one_may_manage(browser, hub, cycle, reader):
    texts = pages(browser(reader), "/training/team")
    rows = matrix_rows(texts)
    if reader == "hr-1":
        expected = {p.id for p in hub.people.list()} - {reader}
    else:
        expected = {p.id for p in hub.people.reports(reader, all_levels=True)}
    assert sorted(rows) == sorted(expected)
    hr = access.viewer(hub, reader).is_hr
    assert all(hr or hub.people.manages(reader, pid) for pid in rows)


def test_team_training_filter_is_kept_across_pages_and_compliance_counts_everyone(
    browser, hub, cycle
):
    from corehub_training_tracker.training import Training

    hub.actor = "hr-1"
    training = Training(hub)
    first = next(iter(training.matrix(hub.people.list(team="gamma")).courses))
    for n in range(0, GAMMA, 3):  # a third of the team took the first required course
        training.complete(f"gamma-{n:03d}", first.id, hub.clock.today())
    hub.db.conn.commit()
    texts = pages(browser("hr-1"), "/training/team?team=gamma")
    assert len(texts) == 3
    nexts = [re.search(r'<a href="([^"]+)" rel="next">', t) for t in texts[:-1]]
    assert all("team=gamma" in html.unescape(m.group(1)) for m in nexts if m)
    rows = matrix_rows(texts)
    gamma = hub.people.list(team="gamma")
    assert sorted(rows) == sorted(p.id for p in gamma)
    # the footer's compliance is the whole team's (as the library's matrix counts it), on
    # every page, not the page's share of it
    matrix = training.matrix(gamma)
    assert matrix.compliance(first.id)[0] == GAMMA // 3
    for course in matrix.courses:
        compliant, required = matrix.compliance(course.id)
        assert all(f"{compliant}/{required}" in section(t, "matrix") for t in texts)


def test_suggestions_pages_show_what_the_reader_may_read_and_keep_the_status_filter(
    browser, hub, cycle, clock
):
    import datetime as dt

    from corehub_feedback import store

    given = hub.clock.today() - dt.timedelta(days=1)
    for n in range(70):
        store.give(
            hub,
            kind="suggestion",
            text=f"Idea number {n:03d}",
            anonymous=n % 2 == 0,  # the odd ones are signed by gamma agents
            actor=f"gamma-{n:03d}",
            on=given,
        )
    hub.db.conn.commit()

    def ideas(reader: str, path: str = "/feedback/suggestions") -> list[str]:
        return [
            i for t in pages(browser(reader), path) for i in re.findall(r"Idea number (\d+)", t)
        ]

    # an agent who reviews nothing: the anonymous ones and their own signed one
    agent = ideas("gamma-001")
    assert sorted(agent) == sorted([f"{n:03d}" for n in range(0, 70, 2)] + ["001"])
    # HR reads every one, each once, over two pages
    everything = ideas("hr-1")
    assert sorted(everything) == [f"{n:03d}" for n in range(70)]
    texts = pages(browser("hr-1"), "/feedback/suggestions?status=new")
    assert len(texts) == 2
    after = html.unescape(re.search(r'<a href="([^"]+)" rel="next">', texts[0]).group(1))
    assert "status=new" in after
    assert ideas("hr-1", "/feedback/suggestions?status=accepted") == []


def test_praise_offers_the_reader_s_colleagues_and_finds_anyone_else(browser, hub, cycle):
    client = browser("gamma-001")
    page = client.get("/feedback/").text
    offered = set(re.findall(r'<option value="([^"]+)"', section(page, "praise")))
    assert "gamma-lead" in offered and "gamma-002" in offered
    assert "alpha-01" not in offered and "gamma-001" not in offered
    found = client.get("/feedback/?find=Alpha+Agent").text
    offered = set(re.findall(r'<option value="([^"]+)"', section(found, "praise")))
    assert offered == {"alpha-01", "alpha-02", "alpha-03"}
    many = client.get("/feedback/?find=agent").text
    assert "Only the first 100 who match are listed" in many
    assert len(re.findall(r'<option value="[^"]+"', section(many, "praise"))) == 100
    nobody = client.get("/feedback/?find=%25").text  # a wildcard is a character like others
    assert "Nobody matches" in nobody


@pytest.mark.parametrize("lang", ["en", "es"])
def test_paginated_pages_meet_wcag_21_aa(chromium, hub, server, cycle, lang, tmp_path):
    from tests.web.test_accessibility import AXE, signed_in, violations

    if not AXE.exists():
        pytest.skip("needs axe-core (make install fetches it)")
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for who, path in (
        ("boss", f"/team?people-{cycle.id}=2"),
        ("hr-1", "/hr"),
        ("hr-1", "/training/team?team=gamma&page=2"),
    ):
        page = signed_in(chromium, hub, server, who, lang, axe)
        page.goto(f"{server}{path}")
        assert page.locator("nav.pager [aria-current=page]").count() >= 1
        problems += violations(page)
        page.locator("nav.pager").first.screenshot(path=str(tmp_path / f"{who}-{lang}.png"))
        page.context.close()
    assert not problems, "\n".join(problems)
