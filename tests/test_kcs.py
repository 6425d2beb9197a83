"""Knowledge-Centered Service across the quality plugin and the training tracker.

Articles checked in the quality plugin become evidence for KCS licence levels in the
training tracker through the ``credential_evidence`` hook (the plugins never import each
other); the packet and the team summary show levels, article quality and reuse, and no
list of people is ever ordered by how many articles they wrote.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest

import corehub_quality.plugin
import corehub_training_tracker.plugin
from corehub.models import Report, ReportKind

CRITERIA = (
    "customer_words",
    "no_duplicate",
    "environment",
    "cause",
    "resolution",
    "links_valid",
    "audience",
)
# Article counts that differ from the alphabetical order: 2 wrote most, 3 fewest.
WRITTEN = {"alpha-01": 3, "alpha-02": 6, "alpha-03": 1}
REUSE = {"alpha-01": 40, "alpha-02": 2, "alpha-03": 9}


@pytest.fixture
def kcs(hub: Any, register_plugin: Any, make_people: Any, cli: Any, tmp_path: Path) -> Any:
    register_plugin(corehub_quality.plugin, name="quality")
    register_plugin(corehub_training_tracker.plugin, name="training_tracker")
    make_people(team="alpha", agents=3)
    hub.config = attrs.evolve(
        hub.config, settings={**hub.config.settings, "quality": {"coaches": ["alpha-lead"]}}
    )
    hub.reload_settings()
    lines = ["Id,Title,Author,Section,Draft,Updated at,Linked tickets"]
    number = 700
    for author, count in WRITTEN.items():
        for n in range(count):
            number += 1
            reuse = REUSE[author] if n == 0 else 0
            lines.append(
                f"{number},How to fix case {number},{author},KB,false,2026-02-1{n},{reuse}"
            )
    path = tmp_path / "guide.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("quality", "import-articles", str(path)).exit_code == 0
    sample = cli("quality", "sample-articles", "--period", "2026-02", "--per-author", "6")
    assert sample.exit_code == 0, sample.output
    from corehub_quality import articles

    for check in articles.list_checks(hub):
        answers = dict.fromkeys(CRITERIA, "yes")
        if check["author_id"] == "alpha-02":
            answers["environment"] = answers["audience"] = "no"  # many, but weak
        articles.check_article(hub, check["id"], answers, submit=True, actor=check["coach_id"])
    assert cli("training", "coach", "assign", "alpha-lead", "--team", "alpha").exit_code == 0
    for person in WRITTEN:
        for course in ("clear-writing", "kcs-basics"):
            done = cli(
                "training",
                "complete",
                "--person",
                person,
                "--course",
                course,
                "--date",
                "2026-01-15",
            )
            assert done.exit_code == 0, done.output
        signed = cli("--as", "alpha-lead", "training", "sign-off", person, "candidate")
        assert signed.exit_code == 0, signed.output
    hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    hub.cycles.open("2026 H1")
    return hub


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_checked_articles_earn_a_level_and_many_weak_ones_do_not(kcs: Any, cli: Any) -> None:
    standings = {
        s["person_id"]: s
        for s in cli("training", "credentials", "--team", "alpha", "--json").json()
    }
    # alpha-01: three articles at the standard; alpha-02: six below it.
    assert standings["alpha-01"]["ready_for_sign_off"] is True
    assert standings["alpha-02"]["ready_for_sign_off"] is False
    assert "3 more checked article(s) scoring 80+ in 90 days" in standings["alpha-02"]["missing"]
    ok = cli("--as", "alpha-lead", "training", "sign-off", "alpha-01", "contributor")
    assert ok.exit_code == 0, ok.output
    refused = cli("--as", "alpha-lead", "training", "sign-off", "alpha-02", "contributor")
    assert refused.exit_code == 1
    assert "0 of 3 checked articles in the last 90 days score 80 or more" in refused.output


def test_packet_shows_level_article_quality_reuse_and_what_is_next(
    kcs: Any, cli: Any, tmp_path: Path
) -> None:
    cli("--as", "alpha-lead", "training", "sign-off", "alpha-01", "contributor")
    target = tmp_path / "packet.pdf"
    result = cli(
        "render", "packet", "--cycle", "2026 H1", "--person", "alpha-01", "-o", str(target)
    )
    assert result.exit_code == 0, result.output
    text = " ".join(_pdf_text(target).split())
    assert "KCS licence" in text
    assert "KCS Contributor since" in text
    assert "For KCS Publisher" in text
    assert "Complete Products and systems update" in text
    assert "2 more articles checked at 90 or more within 90 days" in text
    assert "Coach: Alpha Lead" in text
    assert "Knowledge articles" in text
    assert "40 tickets in all" in text
    assert "Content standard of their checked articles" in text


def test_packet_in_spanish(kcs: Any, cli: Any, tmp_path: Path) -> None:
    target = tmp_path / "packet-es.pdf"
    result = cli(
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-02",
        "--locale",
        "es",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    text = " ".join(_pdf_text(target).split())
    assert "Licencia KCS" in text
    assert "Candidato KCS" in text
    assert "Artículos de conocimiento" in text


def _team_lists(hub: Any) -> dict[str, list[str]]:
    """Every list of people in the team summary's KCS and article sections, in order."""
    from corehub_quality import report as quality_report
    from corehub_training_tracker import credentials_report

    report = Report(
        kind=ReportKind.SUMMARY, cycle=hub.cycles.get("2026 H1"), locale="en", team="alpha"
    )
    health = quality_report.articles_team_context(hub, report)
    levels = credentials_report.team_context(hub, report)
    assert health is not None and levels is not None
    return {
        "article health": [a["name"] for a in health["authors"]],
        "coachees": [n for c in levels["coaches"] for n in c["coachees"]],
        "pending": [p["name"] for p in levels["pending"]],
    }


def test_no_list_of_people_is_ordered_by_article_count(kcs: Any, cli: Any, tmp_path: Path) -> None:
    by_count = [
        name
        for name, _count in sorted(
            ((f"Alpha Agent {p[-1]}", n) for p, n in WRITTEN.items()), key=lambda x: -x[1]
        )
    ]
    by_name = sorted(by_count)
    assert by_count != by_name  # the data can tell the two orders apart
    for where, names in _team_lists(kcs).items():
        people = [n for n in names if n.startswith("Alpha Agent")]
        if len(people) > 1:
            assert people != [n for n in by_count if n in people], f"{where} is count-ordered"
            assert people == sorted(people), f"{where} is not listed by name"
    target = tmp_path / "summary.pdf"
    result = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = " ".join(_pdf_text(target).split())
    assert "KCS licences and coaching" in text and "Knowledge article health" in text
    assert "Coaches and their coachees" in text
    health = text[text.index("Knowledge article health") :]
    positions = [health.index(name) for name in by_name]
    assert positions == sorted(positions)
    assert "6 checked articles below the content standard" in text


def test_the_demo_has_articles_in_four_languages_levels_coaches_and_a_pending_sign_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corehub.demo import build_demo
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "quality,training_tracker")
    demo = build_demo(tmp_path / "demo", echo=lambda _line: None)
    hub = demo.hub
    try:
        locales = {
            r["locale"] for r in hub.db.query("SELECT DISTINCT locale FROM quality_articles")
        }
        assert locales == {"en", "es", "da", "sv"}
        service = Credentials(Training(hub))
        standings = service.standings(hub.people.list(), "kcs")
        levels = {s.level for s in standings}
        assert {None, "candidate", "contributor", "publisher"} <= levels
        assert [s.person_id for s in standings if s.ready_for_sign_off] != []
        assert all(s.coaches for s in standings if s.level)
        assert hub.db.table("training_coaching_sessions").count > 0
        assert not [s.person_id for s in standings if s.review]
        # a person leaving opens a coverage gap within the horizon
        from corehub_training_tracker.coverage import team_coverage

        [products] = [
            c for c in team_coverage(Training(hub)) if (c.team, c.tag) == ("Stockholm", "products")
        ]
        assert products.gap == 0 and products.gap_soon == 1
        assert products.leaving == (("sto-03", dt.date(2026, 12, 23)),)
        assert "sto-03" not in [c.person_id for c in products.candidates]
        # reuse comes from the tickets' article links (the Guide export carries no count)
        from corehub_quality import reuse

        assert not [r for r in hub.db.query("SELECT reuse FROM quality_articles") if r["reuse"]]
        linked = reuse.linked_counts(hub)
        assert len(linked) > 20 and sum(linked.values()) > 100
    finally:
        hub.close()


# -- reuse from the ticket export's links ----------------------------------------------------

TICKETS = (
    "Id,Subject,Assignee,Via,Status,Solved at,Satisfaction Score,Linked articles\n"
    "501,VPN,alpha-01,email,solved,2026-02-20,good,704\n"
    "502,VPN again,alpha-02,email,solved,2026-02-21,good,"
    '"https://help.example.com/hc/en-us/articles/704-VPN-drops, guide:705"\n'
    "503,Printer,alpha-03,chat,solved,2026-02-22,good,704;999\n"
    "504,Printer,alpha-03,chat,solved,2026-02-23,good,999\n"
    "505,Nothing linked,alpha-01,chat,solved,2026-02-23,good,\n"
)


def _reuse(hub: Any) -> dict[str, int]:
    from corehub_quality.articles import author_summary

    return {p: author_summary(hub, p)["reuse"] for p in WRITTEN}


def test_reuse_comes_from_the_ticket_links_and_reimport_changes_nothing(
    kcs: Any, cli: Any, tmp_path: Path
) -> None:
    assert _reuse(kcs) == {"alpha-01": 40, "alpha-02": 2, "alpha-03": 9}  # the export's counts
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    first = cli("quality", "import-tickets", str(path))
    assert first.exit_code == 0, first.output
    assert "5 created" in first.stdout and "6 article link(s)" in first.stdout
    # the unknown article is reported once for the file, with both rows; nothing refused
    assert first.stderr.count("'999'") == 1, first.stderr
    assert "1 linked article(s) not imported yet: '999' (row 4, row 5)" in first.stderr
    # 704 is linked by three tickets (id, URL, id), 705 by one: alpha-02's first article
    # had reuse 2 in the article export; the ticket links make it 3, and 705 adds 1.
    assert _reuse(kcs) == {"alpha-01": 40, "alpha-02": 4, "alpha-03": 9}
    again = cli("quality", "import-tickets", str(path), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 5)
    assert again["unknown_links"] == [{"link": "999", "rows": ["row 4", "row 5"], "count": 2}]
    assert _reuse(kcs) == {"alpha-01": 40, "alpha-02": 4, "alpha-03": 9}
    links = kcs.db.table("quality_ticket_links").count
    # a newer export: 502 no longer links 705, 505 now links 702 (alpha-01's second)
    newer = TICKETS.replace(', guide:705"', '"').replace("good,\n", "good,guide:702\n")
    path.write_text(newer, encoding="utf-8")
    third = cli("quality", "import-tickets", str(path), "--json").json()
    assert (third["updated"], third["unchanged"]) == (2, 3)
    assert kcs.db.table("quality_ticket_links").count == links
    assert _reuse(kcs) == {"alpha-01": 41, "alpha-02": 3, "alpha-03": 9}
    # the article behind '999' arrives later: the links count from then on
    later = tmp_path / "more.csv"
    later.write_text(
        "Id,Title,Author,Section,Draft,Updated at\n999,Printer offline,alpha-01,KB,false,"
        "2026-02-25\n",
        encoding="utf-8",
    )
    assert cli("quality", "import-articles", str(later)).exit_code == 0
    assert _reuse(kcs)["alpha-01"] == 43
    final = cli("quality", "import-tickets", str(path))
    assert "not imported yet" not in final.stderr


def test_any_export_maps_its_link_column_and_the_summary_shows_reuse_by_name(
    kcs: Any, cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "desk.csv"
    path.write_text(
        "Ticket;Agent;KB links\nT-1;alpha-03;710\nT-2;alpha-03;guide:710 guide:703\n",
        encoding="utf-8",
    )
    result = cli(
        "quality",
        "import-tickets",
        str(path),
        "--map",
        "Ticket=ticket_id",
        "--map",
        "Agent=agent",
        "--map",
        "KB links=articles",
        "--source",
        "desk",
    )
    assert result.exit_code == 0, result.output
    assert not result.stderr
    assert _reuse(kcs) == {"alpha-01": 41, "alpha-02": 2, "alpha-03": 9}  # 710: max(9, 2)
    from corehub_quality import report as quality_report

    report = Report(
        kind=ReportKind.SUMMARY, cycle=kcs.cycles.get("2026 H1"), locale="en", team="alpha"
    )
    health = quality_report.articles_team_context(kcs, report)
    assert health is not None
    rows = [(a["name"], a["reuse"]) for a in health["authors"]]
    assert rows == [("Alpha Agent 1", 41), ("Alpha Agent 2", 2), ("Alpha Agent 3", 9)]
    bad = cli("quality", "import-tickets", str(path), "--map", "KB links=links")
    assert bad.exit_code != 0 and "'links' is not one of" in bad.stderr
    assert "articles" in bad.stderr
