"""An incremental render is cheap and still right: nothing is gathered when nothing changed,
and every kind of change that alters a packet renders it again.

Runs on a copy of the demo workspace, with every shipped plugin and its data.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from corehub.clock import FixedClock
from corehub.demo import DEMO_CYCLE, DEMO_TODAY
from corehub.hub import Hub
from corehub.models import Person
from corehub.render import batch
from corehub.render.documents import Renderer, _renderers, renderer_for
from corehub.render.freshness import run_state


def _hub(folder: Path, today: dt.datetime = DEMO_TODAY) -> Hub:
    return Hub(folder, clock=FixedClock(today), actor="hr-bench")


def _check(hub: Hub, cycle_name: str, person_id: str, out: Path) -> str:
    """Render ``person_id``'s packet as ``render cycle`` does; ``rendered`` or ``unchanged``."""
    renderer = renderer_for(hub)
    cycle = hub.cycles.get(cycle_name)
    job = batch.Job("packet", person_id, out / f"{person_id}.pdf", person_id)
    state = run_state(renderer, variant=None, skip=[out])
    return batch.render_job(renderer, cycle, job, force=False, variant=None, state=state).status


def _text(pdf: Any, out: Path, person_id: str) -> str:
    return " ".join(pdf.text(out / f"{person_id}.pdf").split())


@pytest.fixture
def desk(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("COREHUB_WORKSPACE", raising=False)
    _renderers.clear()
    return demo_copy


def _ungraded(hub: Hub) -> dict[str, Any]:
    """A sampled conversation of the demo not graded yet, and its agent."""
    rows = list(
        hub.db.query(
            "SELECT k.id, k.grader_id, t.agent_id, t.channel FROM quality_tasks k "
            "JOIN quality_tickets t ON t.id = k.ticket_row WHERE k.id NOT IN "
            "(SELECT task_id FROM quality_grades WHERE task_id IS NOT NULL) ORDER BY k.id DESC"
        )
    )
    assert rows, "the demo leaves its newest sample partly ungraded"
    return rows[0]


def test_nothing_changed_nothing_is_gathered_and_each_change_renders_again(
    desk: Path, tmp_path: Path, pdf: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corehub_feedback import store
    from corehub_quality import grading
    from corehub_quality.demo import _answers as grader_answers
    from corehub_training_tracker.training import Training

    hub = _hub(desk)
    task = _ungraded(hub)
    agent = hub.people.get(task["agent_id"])
    other = next(p for p in hub.people.list(team=agent.team) if p.id != agent.id)
    out = tmp_path / "pdfs"
    out.mkdir()
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"

    # unchanged: recognised without gathering a single section
    real_gather = Renderer.gather

    def must_not_gather(self: Renderer, report: Any) -> Any:
        raise AssertionError(f"gathered {report.person.id if report.person else report.team}")

    monkeypatch.setattr(Renderer, "gather", must_not_gather)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"
    monkeypatch.setattr(Renderer, "gather", real_gather)

    # a change elsewhere in the organization: gathered again, not rendered again
    store.give(hub, kind="praise", to=other.id, text="Thanks for the cover.", actor=agent.id)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"
    monkeypatch.setattr(Renderer, "gather", must_not_gather)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"  # and recorded as checked
    monkeypatch.setattr(Renderer, "gather", real_gather)

    # a new feedback item for them
    store.give(hub, kind="praise", to=agent.id, text="Solved my VPN puzzle.", actor=other.id)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"
    assert "Solved my VPN puzzle." in _text(pdf, out, agent.id)

    # a new training record
    training = Training(hub)
    course = next(c for c in training.catalogue.courses if not training.holds(agent.id, c))
    training.complete(agent.id, course, dt.date(2026, 12, 1), score=91.0)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"

    # a quality score: their conversation is graded
    card = grading.scorecard_for(hub, {"task_id": task["id"], "channel": task["channel"]})
    answers = grader_answers(card, 0.9, random.Random(1), critical=False)
    grading.grade(
        hub, {"task": task["id"], "answers": answers}, submit=True, actor=task["grader_id"]
    )
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"

    # their name, then their manager
    plain = hub.unstructure(agent)
    renamed = {**plain, "name": "Renata Åkerlund Quintana"}
    hub.people.save([hub.converter.structure(renamed, Person)])
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"
    assert "Renata Åkerlund Quintana" in _text(pdf, out, agent.id)
    director = next(p for p in hub.people.list(level="directive"))
    moved = {**renamed, "manager_id": director.id}
    hub.people.save([hub.converter.structure(moved, Person)])
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"
    assert director.name in _text(pdf, out, agent.id)
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"

    # a template of the workspace (a new process would build a new renderer)
    override = hub.path("templates") / "corehub" / "sections" / "signoff.html"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("<p>Signed in the HR system.</p>\n", encoding="utf-8")
    _renderers.clear()
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"
    assert "Signed in the HR system." in _text(pdf, out, agent.id)

    # another version of a plugin
    hub.pm.infos["feedback"].version = "99.0"
    _renderers.clear()
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "rendered"
    assert _check(hub, DEMO_CYCLE, agent.id, out) == "unchanged"

    # the day: what is overdue is counted on the day a packet is rendered
    later = _hub(desk, DEMO_TODAY + dt.timedelta(days=1))
    _renderers.clear()
    later.pm.infos["feedback"].version = "99.0"
    assert _check(later, DEMO_CYCLE, agent.id, out) == "unchanged"  # gathered: same data
    later.close()
    hub.close()


def test_a_changed_review_answer_renders_the_packet_again(
    desk: Path, tmp_path: Path, pdf: Any
) -> None:
    from corehub.demo import DemoWriting
    from corehub.models import ReviewKind
    from corehub_self_assessment import reviews
    from corehub_self_assessment.demo import _answers

    hub = _hub(desk, dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC))
    cycle = hub.cycles.create("2027 H1", start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30))
    cycle = hub.cycles.open(cycle.name).cycle
    person = next(p for p in hub.cycles.members(cycle) if p.level.value == "operational")
    out = tmp_path / "pdfs"
    out.mkdir()
    review = reviews.find(hub, cycle, person.id, ReviewKind.SELF).review
    words = DemoWriting(hub, "freshness")
    answers = _answers(
        review.form, ReviewKind.SELF, random.Random(2), 3.0, 0.0, words, person.id, person.id
    )
    for _, question in review.form.questions():
        if question.review_of:  # last cycle's goals, each with what came of it
            answers[question.id] = [
                {**goal, "outcome": "Done in March."} for goal in review.answers[question.id]
            ]
    reviews.save_draft(hub, cycle, person.id, ReviewKind.SELF, answers, actor=person.id)
    reviews.submit(hub, cycle, person.id, ReviewKind.SELF, actor=person.id)
    assert _check(hub, "2027 H1", person.id, out) == "rendered"
    assert _check(hub, "2027 H1", person.id, out) == "unchanged"

    rated = next(k for k, v in answers.items() if isinstance(v, int))
    answers[rated] = 5 if answers[rated] != 5 else 1
    reviews.reopen(
        hub, cycle, person.id, ReviewKind.SELF, reason="typo in a rating", actor=person.manager_id
    )
    reviews.save_draft(hub, cycle, person.id, ReviewKind.SELF, answers, actor=person.id)
    reviews.submit(hub, cycle, person.id, ReviewKind.SELF, actor=person.id)
    assert _check(hub, "2027 H1", person.id, out) == "rendered"
    hub.close()
