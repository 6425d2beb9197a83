"""A cycle closed with --force shows its cancelled work as cancelled: status, summary, HR."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

import corehub_self_assessment.plugin
from corehub.models import Level, Person
from corehub.render import render_summary
from corehub_self_assessment import reviews
from tests.i18n.test_packets import ANSWERS


@pytest.fixture
def forced(hub, cli, register_plugin, make_people):
    """alpha-01 did their self-assessment; everything else was cancelled by a forced close."""
    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
    hub.people.save([Person(id="boss", name="Isabel", level=Level.DIRECTIVE, team="Management")])
    make_people(team="alpha", agents=3, manager_id="boss")
    hub.cycles.create(
        "2026 H1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        due={"self": dt.date(2026, 3, 20), "manager": dt.date(2026, 4, 10)},
    )
    cycle = hub.cycles.open("2026 H1").cycle
    reviews.save_draft(hub, cycle, "alpha-01", "self", ANSWERS, actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    closed = cli("cycle", "close", "2026 H1", "--force", "--reason", "budget freeze")
    assert closed.exit_code == 0, closed.output
    return hub.cycles.get("2026 H1")


def test_status_counts_cancelled_tasks_and_never_reads_finished(forced, cli):
    out = cli("cycle", "status", "2026 H1").stdout
    lines = out.splitlines()
    assert all("CANCELLED" in line for line in lines if line.startswith(("TASK", "TEAM")))
    total = next(line for line in lines if line.startswith("total"))
    done, open_, _overdue, _waiting, cancelled = (int(x) for x in total.split()[1:6])
    assert done == 1 and open_ == 0 and cancelled > 0
    assert "100%" not in out
    assert "x" in total.split()[6]  # the bar shows the cancelled share
    data = cli("cycle", "status", "2026 H1", "--json")
    assert '"cancelled": ' + str(cancelled) in data.stdout


def test_the_summary_of_a_closed_cycle_shows_cancelled_work(forced, hub, tmp_path):
    path = render_summary(hub, forced, tmp_path / "s.pdf", team="alpha", locale="en")

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())
    assert "still in progress" not in text
    assert "not reviewed when the cycle closed" in text
    assert "0 / 0" not in text
    assert "cancelled" in text
    # no manager score: the self-assessment mean is a sentence of its own
    assert "closed. Mean self-assessment 3.60 (1 submitted)." in text and ". ;" not in text
