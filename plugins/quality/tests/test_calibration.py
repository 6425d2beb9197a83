"""Calibration sessions: blind grading, agreement per criterion, distance from consensus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .conftest import set_settings
from .test_scorecards import WRITTEN_ALL_YES

TICKETS = ("zendesk:101", "zendesk:102", "zendesk:105", "zendesk:106")  # alpha-01: email, chat


def _grade(cli: Any, tmp_path: Path, grader: str, ticket: str, answers: dict[str, str]) -> None:
    out = tmp_path / f"{grader}-{ticket.replace(':', '-')}.yaml"
    made = cli("--as", grader, "quality", "calibrate", "grade-file", "nov", ticket, "-o", str(out))
    assert made.exit_code == 0, made.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["answers"] = answers
    out.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = cli("--as", grader, "quality", "calibrate", "grade", str(out), "--submit")
    assert result.exit_code == 0, result.output


def test_a_session_shows_which_criteria_are_read_differently(
    imported: Any, cli: Any, tmp_path: Path
) -> None:
    set_settings(imported, graders=["qa-1", "alpha-02"])
    args = ["quality", "calibrate", "new", "nov"]
    for ticket in TICKETS:
        args += ["--ticket", ticket]
    for grader in ("qa-1", "alpha-02", "alpha-lead"):
        args += ["--grader", grader]
    opened = cli(*args)
    assert opened.exit_code == 0, opened.output
    tones = {"qa-1": "5", "alpha-02": "4", "alpha-lead": "2"}
    for n, ticket in enumerate(TICKETS):
        for grader in ("qa-1", "alpha-02", "alpha-lead"):
            answers = dict(WRITTEN_ALL_YES)
            # Everyone reads "greeting" alike; "tone" they read very differently.
            answers["greeting"] = "yes" if n % 2 else "no"
            answers["tone"] = tones[grader] if n % 2 else str(6 - int(tones[grader]))
            _grade(cli, tmp_path, grader, ticket, answers)
    blind = cli("quality", "calibrate", "results", "nov")
    assert blind.exit_code == 1 and "results show once it is closed" in blind.output
    assert cli("quality", "calibrate", "close", "nov").exit_code == 0
    result = cli("quality", "calibrate", "results", "nov", "--json")
    assert result.exit_code == 0, result.output
    data = result.json()
    rows = {r["criterion"]: r for r in data["criteria"]}
    assert rows["greeting"]["agreement_pct"] == 100 and rows["greeting"]["alpha"] == 1.0
    assert rows["tone"]["agreement_pct"] == 0 and rows["tone"]["alpha"] < 0.667
    assert "tone" in data["read_differently"] and "greeting" not in data["read_differently"]
    # All answered "yes" everywhere: agreement is total, alpha is undefined (one value).
    assert rows["documented"]["agreement_pct"] == 100 and rows["documented"]["alpha"] is None
    distance = {g["grader"]: g["distance_pct"] for g in data["graders"]}
    assert distance["alpha-lead"] > distance["alpha-02"]
    table = cli("quality", "calibrate", "results", "nov")
    assert "read differently" in table.output


def test_bad_sessions_are_refused_with_every_problem(imported: Any, cli: Any) -> None:
    result = cli(
        "quality",
        "calibrate",
        "new",
        "x",
        "--ticket",
        "zendesk:101",
        "--ticket",
        "zendesk:999",
        "--grader",
        "alpha-01",
        "--grader",
        "alpha-03",
    )
    assert result.exit_code == 1
    for text in (
        "--grader alpha-01: not a grader",
        "--ticket zendesk:999: no such imported ticket",
        "--ticket zendesk:101: it is alpha-01's own ticket",
    ):
        assert text in result.output
    assert list(imported.db.query("SELECT * FROM quality_calibrations")) == []


def test_only_the_sessions_graders_grade(imported: Any, cli: Any) -> None:
    assert (
        cli(
            "quality",
            "calibrate",
            "new",
            "nov",
            "--ticket",
            "zendesk:101",
            "--grader",
            "qa-1",
            "--grader",
            "alpha-lead",
        ).exit_code
        == 0
    )
    refused = cli("--as", "alpha-02", "quality", "calibrate", "grade-file", "nov", "zendesk:101")
    assert refused.exit_code == 1 and "only the session's graders" in refused.output


def test_the_team_summary_pdf_carries_closed_sessions(
    imported: Any, cli: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from pypdf import PdfReader

    assert (
        cli(
            "quality",
            "calibrate",
            "new",
            "nov",
            "--ticket",
            "zendesk:101",
            "--ticket",
            "zendesk:102",
            "--grader",
            "qa-1",
            "--grader",
            "alpha-lead",
        ).exit_code
        == 0
    )
    for grader, tone in (("qa-1", "5"), ("alpha-lead", "1")):
        for ticket in ("zendesk:101", "zendesk:102"):
            _grade(cli, tmp_path, grader, ticket, WRITTEN_ALL_YES | {"tone": tone})
    imported.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    imported.cycles.open("2026 H1")
    target = tmp_path / "summary.pdf"
    before = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert before.exit_code == 0, before.output
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Grader calibration" not in text  # an open session shows nothing
    assert cli("quality", "calibrate", "close", "nov").exit_code == 0
    after = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert after.exit_code == 0, after.output
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    text = " ".join(text.split())
    assert "Grader calibration" in text and "KRIPPENDORFF" in text.upper()
    assert "Writes in a friendly, professional tone." in text and "Read differently" in text


def test_every_team_summary_of_a_run_shares_one_reading_of_the_closed_sessions(
    imported: Any, cli: Any, make_people: Any, tmp_path: Path
) -> None:
    """The closed sessions are the organization's, the same in every team summary: read once
    while the database is unchanged, read again after any change."""
    import datetime as dt

    from corehub.models import Report, ReportKind
    from corehub.testing import render_sections

    make_people(team="beta", agents=2)
    new = ["quality", "calibrate", "new", "nov", "--ticket", "zendesk:101"]
    assert cli(*new, "--grader", "qa-1", "--grader", "alpha-lead").exit_code == 0
    for grader, tone in (("qa-1", "5"), ("alpha-lead", "1")):
        _grade(cli, tmp_path, grader, "zendesk:101", WRITTEN_ALL_YES | {"tone": tone})
    assert cli("quality", "calibrate", "close", "nov").exit_code == 0
    cycle = imported.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    imported.cycles.open("2026 H1")
    statements: list[str] = []

    def summary(team: str) -> tuple[str, list[str]]:
        statements.clear()
        imported.db.conn.set_trace_callback(statements.append)
        try:
            report = Report(kind=ReportKind.SUMMARY, cycle=cycle, locale="en", team=team)
            html = render_sections(imported, report, plugin="quality")["quality.calibration"]
        finally:
            imported.db.conn.set_trace_callback(None)
        return html, [s for s in statements if "quality_calibration" in s]

    alpha, alpha_reads = summary("alpha")
    beta, beta_reads = summary("beta")
    assert "Writes in a friendly, professional tone." in alpha
    assert alpha_reads and beta_reads == [] and beta == alpha

    dec = ["quality", "calibrate", "new", "dec", "--ticket", "zendesk:102"]
    assert cli(*dec, "--grader", "qa-1", "--grader", "alpha-lead").exit_code == 0
    again, again_reads = summary("beta")
    assert again_reads and again == alpha  # read anew; an open session shows nothing
