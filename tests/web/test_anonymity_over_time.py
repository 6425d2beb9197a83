"""Anonymity over time: one more known answer never shows in a published figure.

The attack: read a figure, let one known person answer, read it again; the difference
is their answer (five upward answers at 5.0, then six at 4.33: the sixth gave 1). For
every anonymous figure (upward results, peer results, eNPS, the anonymous suggestions
in the pipeline and its counts) and every surface that
shows it (the web page, ``--json`` on the command line, the PDF), the two readings must
be the same: withheld while answers can come in, and frozen once they cannot.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from pypdf import PdfReader

from corehub.hub import Hub
from corehub.models import Cycle, Level, Person
from corehub.render import render_packet, render_summary
from corehub_feedback import peers, store


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def main_of(page: Any) -> str:
    assert page.status_code == 200, page.text
    return str(page.text.split("<main", 1)[1].split("</main>", 1)[0])


def section(text: str, title: str, following: tuple[str, ...]) -> str:
    """The text of a PDF section, from its title to the next section's title."""
    start = text.index(title)
    ends = [text.find(t, start + len(title)) for t in following]
    return text[start : min([e for e in ends if e > 0], default=len(text))]


def set_threshold(hub: Hub, value: int) -> None:
    hub.apply_settings("feedback", {"anonymity_threshold": value})


@pytest.fixture
def more_agents(hub: Hub, org: dict[str, Person]) -> None:
    """beta-06 and beta-07 join Bo Lead's team: seven reports in all."""
    hub.people.save(
        [
            Person(
                id=f"beta-{n:02d}",
                name=f"Beta Agent {n}",
                level=Level.OPERATIONAL,
                team="beta",
                manager_id="beta-lead",
                email=f"beta-{n:02d}@example.org",
                role="Service desk agent",
            )
            for n in (6, 7)
        ]
    )


@attrs.define
class Attack:
    """One anonymous figure: the answers before, the known answer, and how to read it."""

    hub: Hub
    cycle: Cycle
    browser: Callable[[str | None], Any]
    cli: Callable[..., Any]
    tmp_path: Path
    renders: int = 0

    def pdf(self, render: Callable[[Path], Path]) -> str:
        self.renders += 1
        return pdf_text(render(self.tmp_path / f"read-{self.renders}.pdf"))


class Upward(Attack):
    """Bo Lead's upward results: five answers of 5, then beta-06 gives 1."""

    surfaces = ("web", "json", "pdf")
    closes = "2026-07-01"  # the cycle's end (its upward due date) is 2026-06-30

    def first_answers(self) -> None:
        for n in range(1, 6):
            store.give(self.hub, kind="upward", rating=5, text="Fair", actor=f"beta-{n:02d}")

    def one_more(self) -> None:
        store.give(self.hub, kind="upward", rating=1, text="Unfair", actor="beta-06")

    def late_answer(self, surface: str) -> None:
        if surface == "web":
            page = self.browser("beta-07").post(
                "/feedback/upward", {"rating": "1", "text": "Late", "cycle": self.cycle.id}
            )
            assert page.status_code == 400 and "closed on 2026-06-30" in page.text
        else:
            late = self.cli(
                "--as", "beta-07", "feedback", "give", "--kind", "upward", "--rating", "1"
            )
            assert late.exit_code == 1
            assert "upward feedback in '2026 H1' closed on 2026-06-30" in late.stderr

    def read(self, surface: str) -> Any:
        if surface == "web":
            return main_of(self.browser("beta-lead").get("/feedback/results?person=beta-lead"))
        if surface == "json":
            return self.cli("--as", "beta-lead", "feedback", "summary", "--json").json()["upward"]
        text = self.pdf(lambda p: render_packet(self.hub, self.cycle.id, "beta-lead", p))
        return section(text, "Upward feedback", ("Comments and acknowledgement", "Sign-off"))

    def figure_shown(self, reading: Any, surface: str) -> bool:
        if surface == "json":
            return reading[0]["results"] == {
                "responses": 6,
                "ratings": 6,
                "mean": 4.33,
                "distribution": {"1": 1, "2": 0, "3": 0, "4": 0, "5": 5},
                "comments": ["Fair"] * 5 + ["Unfair"],
            }
        return "4.33" in reading if surface == "pdf" else "6 answers" in reading


class Peer(Attack):
    """Beta Agent 1's peer results (threshold 3): three peers give 5, then beta-05 gives 1."""

    surfaces = ("web", "json", "pdf")
    closes = "2026-07-01"  # no peer due date: the cycle's end, 2026-06-30

    def first_answers(self) -> None:
        set_threshold(self.hub, 3)
        peers.request_peers(
            self.hub,
            cycle=self.cycle.id,
            person="beta-01",
            peers=["beta-02", "beta-03", "beta-04", "beta-05", "beta-06"],
            actor="beta-lead",
        )
        for n in (2, 3, 4):
            peers.submit_peer(
                self.hub,
                cycle=self.cycle.id,
                about="beta-01",
                rating=5,
                keep_doing="Patience",
                actor=f"beta-{n:02d}",
            )

    def one_more(self) -> None:
        peers.submit_peer(
            self.hub,
            cycle=self.cycle.id,
            about="beta-01",
            rating=1,
            improve="Rude",
            actor="beta-05",
        )

    def late_answer(self, surface: str) -> None:
        form = {"rating": "1", "improve": "Late"}
        if surface == "web":
            asked = self.browser("beta-06").get(f"/feedback/peer/{self.cycle.id}/beta-01").text
            assert "closed on 30 Jun 2026" in asked and 'name="rating"' not in asked
            page = self.browser("beta-06").post(f"/feedback/peer/{self.cycle.id}/beta-01", form)
            assert page.status_code == 400 and "closed on 2026-06-30" in page.text
        else:
            late = self.cli(
                "--as", "beta-06", "feedback", "peer", "--cycle", "2026 H1",
                "--about", "beta-01", "--rating", "1", "--improve", "Late",
            )  # fmt: skip
            assert late.exit_code == 1
            assert "peer feedback in '2026 H1' closed on 2026-06-30" in late.stderr

    def read(self, surface: str) -> Any:
        if surface == "web":
            return main_of(self.browser("beta-01").get("/feedback/results"))
        if surface == "json":
            return self.cli("--as", "beta-01", "feedback", "summary", "--json").json()["peer"]
        text = self.pdf(lambda p: render_packet(self.hub, self.cycle.id, "beta-01", p))
        return section(
            text, "Peer feedback", ("Customer satisfaction", "Comments and acknowledgement")
        )

    def figure_shown(self, reading: Any, surface: str) -> bool:
        if surface == "json":
            results = reading[0]["results"]
            return results is not None and (results["responses"], results["mean"]) == (4, 4.0)
        return "4.00" in reading if surface == "pdf" else "4 answers" in reading


class Pulse(Attack):
    """March's eNPS: five promoters from team beta, then beta-06 answers 0.

    No web page shows eNPS; the command line, JSON and the team summary PDF do.
    """

    surfaces = ("json", "json-summary", "pdf")
    closes = "2026-04-01"

    def first_answers(self) -> None:
        for n in range(1, 6):
            store.give(self.hub, kind="pulse", rating=10, actor=f"beta-{n:02d}")

    def one_more(self) -> None:
        store.give(self.hub, kind="pulse", rating=0, actor="beta-06")

    def late_answer(self, surface: str) -> None:
        # a month over takes no answer: a new one counts in the month it is given
        answer = self.cli("--as", "beta-07", "feedback", "pulse", "answer", "0")
        assert answer.exit_code == 0, answer.output

    def read(self, surface: str) -> Any:
        if surface == "json":
            return self.cli("feedback", "pulse", "results", "--month", "2026-03", "--json").json()
        if surface == "json-summary":
            team = self.cli(
                "feedback", "summary", "--team", "beta", "--period", "2026-03", "--json"
            )
            mine = self.cli(
                "--as", "beta-07", "feedback", "summary", "--period", "2026-03", "--json"
            )
            return [team.json()["enps"], mine.json()["enps"]]
        text = self.pdf(lambda p: render_summary(self.hub, self.cycle.id, p, team="beta"))
        return section(
            text, "Employee satisfaction (eNPS)", ("Customer satisfaction by agent", "Suggestions")
        )

    def figure_shown(self, reading: Any, surface: str) -> bool:
        six = {"responses": 6, "enps": 67, "promoters_pct": 83, "passives_pct": 0}
        if surface == "json":
            return bool(reading["overall"] and six.items() <= reading["overall"].items())
        if surface == "json-summary":
            return all(r[0]["figures"] and six.items() <= r[0]["figures"].items() for r in reading)
        return "Mar 2026 6 67" in reading or "March 2026 6 67" in reading


class Suggestion(Attack):
    """The suggestion pipeline: two anonymous suggestions of yesterday, then beta-06 sends
    one; the pipeline, its counts, JSON and the summary PDF must not change until the day
    is over (the new one is then listed with every other of its day)."""

    surfaces = ("web", "json", "pdf")
    closes = "2026-03-03"
    says_when = False

    def first_answers(self) -> None:
        for n, text in ((1, "Headsets"), (2, "Night shift rota")):
            store.give(
                self.hub,
                kind="suggestion",
                text=text,
                anonymous=True,
                actor=f"beta-{n:02d}",
                on=dt.date(2026, 3, 1),
            )

    def one_more(self) -> None:
        store.give(self.hub, kind="suggestion", text="A new lead", anonymous=True, actor="beta-06")

    def late_answer(self, surface: str) -> None:
        store.give(self.hub, kind="suggestion", text="Later", anonymous=True, actor="beta-07")

    def read(self, surface: str) -> Any:
        if surface == "web":
            page = main_of(self.browser("beta-lead").get("/feedback/suggestions"))
            return re.sub(r'name="csrf_token" value="[^"]*"', "", page)
        if surface == "json":
            return [
                self.cli("--as", "beta-lead", "feedback", "suggestions", "--json").json(),
                self.cli("--as", "beta-lead", "feedback", "summary", "--json").json()[
                    "suggestions"
                ],
            ]
        text = self.pdf(lambda p: render_summary(self.hub, self.cycle.id, p, team="beta"))
        return section(text, "Suggestions", ("People in the cycle",))

    def figure_shown(self, reading: Any, surface: str) -> bool:
        if surface == "json":
            return len(reading[0]) == 3 and reading[1]["new"] == 3
        return "A new lead" in reading and ("New: 3" in reading or surface == "web")


ATTACKS = {"upward": Upward, "peer": Peer, "pulse": Pulse, "suggestion": Suggestion}
CASES = [(name, surface) for name, attack in ATTACKS.items() for surface in attack.surfaces]


@pytest.fixture
def attack(
    request: Any, hub: Hub, cycle: Cycle, more_agents: None, browser: Any, cli: Any, tmp_path: Path
) -> Attack:
    figure = request.param
    made: Attack = ATTACKS[figure](hub, cycle, browser, cli, tmp_path)
    return made


@pytest.mark.parametrize(("attack", "surface"), CASES, indirect=["attack"])
def test_one_known_answer_cannot_be_read_off_an_open_window(attack: Any, surface: str) -> None:
    attack.first_answers()
    before = attack.read(surface)
    attack.one_more()
    after = attack.read(surface)
    assert after == before, "the figure changed with one known answer"
    assert not attack.figure_shown(after, surface)
    if not getattr(attack, "says_when", True):
        return
    # and the reader is told when the results appear
    said = json.dumps(after) if not isinstance(after, str) else after
    assert re.search(r"Results appear after|results appear after|results_after.: .2026", said), said


@pytest.mark.parametrize(("attack", "surface"), CASES, indirect=["attack"])
def test_a_closed_window_shows_the_figure_and_never_changes_again(
    attack: Any, surface: str, clock: Any
) -> None:
    attack.first_answers()
    attack.one_more()
    clock.set(attack.closes)
    before = attack.read(surface)
    assert attack.figure_shown(before, surface), before
    attack.late_answer(surface)
    assert attack.read(surface) == before
