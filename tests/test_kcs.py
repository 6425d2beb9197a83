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
    hub._settings.clear()
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
    finally:
        hub.close()
