"""Sampling tickets fairly, grading them from a fill-in file, reminders."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from corehub.models import Level

from .conftest import set_settings, zendesk_csv
from .test_scorecards import WRITTEN_ALL_YES


def _sample(cli: Any, *args: str) -> Any:
    result = cli("quality", "sample", "--period", "2026-02", *args, "--json")
    assert result.exit_code == 0, result.output
    return result.json()


def test_sampling_is_reproducible_fair_and_never_twice(imported: Any, cli: Any) -> None:
    preview = _sample(cli, "--per-agent", "4", "--seed", "7", "--dry-run")
    assert preview["sample_id"] is None and preview["seed"] == 7
    real = _sample(cli, "--per-agent", "4", "--seed", "7")
    assert real["picks"] == preview["picks"]
    picks = real["picks"]
    assert len(picks) == 12
    for agent in ("alpha-01", "alpha-02", "alpha-03"):
        mine = [p for p in picks if p["agent_id"] == agent]
        # Four picks over four channels: one of each.
        assert sorted(p["channel"] for p in mine) == ["chat", "email", "phone", "web"]
    assert all(p["grader_id"] != p["agent_id"] for p in picks)
    assert {p["grader_id"] for p in picks} == {"alpha-lead", "qa-1"}
    assert all(p["due"] == "2026-03-09" for p in picks)
    seeds = [r["seed"] for r in imported.db.query("SELECT seed FROM quality_samples")]
    assert seeds == [7]
    second = _sample(cli, "--per-agent", "4")
    tickets = [p["ticket"] for p in picks + second["picks"]]
    assert len(tickets) == len(set(tickets)) == 24
    third = cli("quality", "sample", "--period", "2026-02", "--per-agent", "4")
    assert third.exit_code == 1 and "no ticket of the period is left to grade" in third.output


def test_low_csat_picks_badly_rated_tickets_first(imported: Any, cli: Any) -> None:
    picks = _sample(cli, "--per-agent", "2", "--strategy", "low-csat", "--dry-run")["picks"]
    rows = {
        f"zendesk:{r['ticket_id']}": r["rating"]
        for r in imported.db.query("SELECT ticket_id, rating FROM quality_tickets")
    }
    assert [rows[p["ticket"]] for p in picks] == ["bad"] * 6


def test_a_grader_never_gets_their_own_ticket(imported: Any, cli: Any, make_people: Any) -> None:
    # alpha-01 is the only grader besides the lead; the lead's own tickets go elsewhere.
    set_settings(imported, graders=["alpha-01"])
    picks = _sample(cli, "--per-agent", "8", "--dry-run")["picks"]
    assert all(p["grader_id"] != p["agent_id"] for p in picks)
    assert {p["grader_id"] for p in picks if p["agent_id"] == "alpha-01"} == {"alpha-lead"}


def test_each_ticket_goes_to_the_least_loaded_grader_but_its_agent(
    qa: Any, cli: Any, make_people: Any, tmp_path: Path, clock: Any
) -> None:
    """Twelve agents, six of whom grade too, with the lead and a QA specialist: every pick
    goes to a grader with the fewest tickets so far among those it may go to (never the
    ticket's own agent), so nobody ends up with two more than another."""
    make_people(team="alpha", agents=12)
    make_people(rows=[{"id": "qa-1", "name": "Quinn Auditor", "email": "qa-1@example.org"}])
    graders = ["qa-1"] + [f"alpha-{n:02d}" for n in range(1, 7)]
    set_settings(qa, graders=graders)
    path = tmp_path / "zendesk.csv"
    path.write_text(zendesk_csv(agents=12), encoding="utf-8")
    assert cli("quality", "import-tickets", str(path)).exit_code == 0
    picks = _sample(cli, "--per-agent", "3", "--seed", "11")["picks"]
    assert len(picks) == 36
    load = dict.fromkeys([*graders, "alpha-lead"], 0)
    for pick in picks:
        others = [g for g in load if g != pick["agent_id"]]
        assert pick["grader_id"] in others
        assert load[pick["grader_id"]] == min(load[g] for g in others), (pick, load)
        load[pick["grader_id"]] += 1
    assert max(load.values()) - min(load.values()) <= 1


def test_no_graders_is_a_clear_error(team: Any, cli: Any, make_people: Any) -> None:
    set_settings(team, graders=[])
    make_people(rows=[{**_lead(team), "level": Level.OPERATIONAL}])
    result = cli("quality", "sample", "--period", "2026-02")
    assert result.exit_code == 1
    assert "nobody grades tickets" in result.output


def _lead(hub: Any) -> dict[str, Any]:
    lead = hub.people.get("alpha-lead")
    return {"id": lead.id, "name": lead.name, "team": lead.team, "email": lead.email}


def _fill(cli: Any, task: int, tmp_path: Path, answers: dict[str, str], actor: str) -> Path:
    out = tmp_path / f"grade-{task}.yaml"
    made = cli("--as", actor, "quality", "grade-file", str(task), "-o", str(out))
    assert made.exit_code == 0, made.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["answers"] = dict(answers)
    out.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return out


def _first_task(hub: Any, channel: str = "email") -> dict[str, Any]:
    return next(
        iter(
            hub.db.query(
                "SELECT k.id, k.grader_id, t.agent_id, t.source, t.ticket_id FROM quality_tasks k "
                "JOIN quality_tickets t ON t.id = k.ticket_row WHERE t.channel = ? ORDER BY k.id",
                [channel],
            )
        )
    )


def test_grading_from_a_fill_in_file(imported: Any, cli: Any, tmp_path: Path) -> None:
    _sample(cli, "--per-agent", "4", "--seed", "1")
    task = _first_task(imported)
    text = cli("--as", task["grader_id"], "quality", "grade-file", str(task["id"])).stdout
    assert f"Case {task['ticket_id']}" in text and "CRITICAL: Free of rude" in text
    path = _fill(cli, task["id"], tmp_path, {"greeting": "no", "tone": "4"}, task["grader_id"])
    draft = cli("--as", task["grader_id"], "quality", "grade", str(path), "--json")
    assert draft.exit_code == 0, draft.output
    assert draft.json()["status"] == "draft"
    incomplete = cli("--as", task["grader_id"], "quality", "grade", str(path), "--submit")
    assert incomplete.exit_code == 1
    assert "answers.clarity: not answered" in incomplete.output
    path = _fill(cli, task["id"], tmp_path, WRITTEN_ALL_YES, task["grader_id"])
    done = cli("--as", task["grader_id"], "quality", "grade", str(path), "--submit", "--json")
    assert done.exit_code == 0, done.output
    assert (done.json()["status"], done.json()["score"]) == ("submitted", 100.0)
    again = cli("--as", task["grader_id"], "quality", "grade", str(path), "--submit")
    assert again.exit_code == 1 and "submitted already" in again.output
    status = {r["grader"]: r for r in cli("quality", "status", "--json").json()}
    assert status[task["grader_id"]]["submitted"] == 1
    actions = [e["action"] for e in imported.db.query("SELECT action FROM events ORDER BY id")]
    assert "quality.grade_saved" in actions and "quality.grade_submitted" in actions


def test_a_grade_keeps_its_scorecard_version(imported: Any, cli: Any, tmp_path: Path) -> None:
    _sample(cli, "--per-agent", "4", "--seed", "1")
    task = _first_task(imported)
    path = _fill(cli, task["id"], tmp_path, WRITTEN_ALL_YES, task["grader_id"])
    assert cli("--as", task["grader_id"], "quality", "grade", str(path), "--submit").exit_code == 0
    folder = Path(imported.workspace) / "scorecards"
    folder.mkdir()
    (folder / "written.yaml").write_text(
        "id: written\nversion: 2\nchannels: [email, chat, web]\ncategories:\n"
        "  - id: basics\n    criteria:\n      - {id: polite, text: Polite}\n",
        encoding="utf-8",
    )
    [row] = imported.db.query("SELECT * FROM quality_grades")
    assert row["scorecard_version"] == 1
    assert "greeting" in json.loads(row["scorecard"])["categories"][0]["criteria"][0]["id"]
    assert row["score"] == 100.0


def test_bad_grading_input(imported: Any, cli: Any, tmp_path: Path) -> None:
    _sample(cli, "--per-agent", "4", "--seed", "1")
    task = _first_task(imported)
    own = cli("--as", task["agent_id"], "quality", "grade-file", str(task["id"]))
    assert own.exit_code == 1 and "cannot grade your own ticket" in own.output
    other = "qa-1" if task["grader_id"] != "qa-1" else "alpha-lead"
    refused = cli("--as", other, "quality", "grade-file", str(task["id"]))
    assert refused.exit_code == 1 and f"belongs to {task['grader_id']}" in refused.output
    path = _fill(cli, task["id"], tmp_path, {"greeting": "maybe", "nope": "yes"}, task["grader_id"])
    bad = cli("--as", task["grader_id"], "quality", "grade", str(path))
    assert bad.exit_code == 1
    assert "answers.greeting: 'maybe' is not yes, no or na" in bad.output
    assert "answers.nope: not a criterion of scorecard 'written'" in bad.output
    unsampled = next(
        iter(
            imported.db.query(
                "SELECT t.source, t.ticket_id FROM quality_tickets t LEFT JOIN quality_tasks k "
                "ON k.ticket_row = t.id WHERE k.id IS NULL"
            )
        )
    )
    data = yaml.safe_load(path.read_text())
    data["ticket"] = f"{unsampled['source']}:{unsampled['ticket_id']}"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    not_sampled = cli("--as", task["grader_id"], "quality", "grade", str(path))
    assert not_sampled.exit_code == 1 and "was not sampled for grading" in not_sampled.output
    assert list(imported.db.query("SELECT * FROM quality_grades")) == []


def test_reminders_for_graders_and_critical_failures_for_the_manager(
    imported: Any, cli: Any, tmp_path: Path, clock: Any
) -> None:
    _sample(cli, "--per-agent", "4", "--seed", "3")
    today = imported.clock.today()
    reminders = [
        r
        for _plugin, found in imported.hook.extra_reminders.collect(hub=imported, today=today)
        for r in found
        if r.category == "quality"
    ]
    assert len(reminders) == 12 and {r.due for r in reminders} == {dt.date(2026, 3, 9)}
    task = _first_task(imported, channel="email")
    answers = WRITTEN_ALL_YES | {"personal_data": "no"}
    path = _fill(cli, task["id"], tmp_path, answers, task["grader_id"])
    result = cli("--as", task["grader_id"], "quality", "grade", str(path), "--submit")
    assert result.exit_code == 0, result.output
    assert "Critical failure (personal_data)" in result.output
    planned = cli("remind", "--dry-run", "--json")
    assert planned.exit_code == 0, planned.output
    to_lead = [o for o in planned.json() if o["recipient"] == "alpha-lead"]
    assert to_lead and "Critical failure in a graded customer conversation" in to_lead[0]["detail"]
    clock.advance(days=3)
    later = imported.hook.extra_reminders.collect(hub=imported, today=imported.clock.today())
    keys = [r.key for _p, found in later for r in found]
    assert not any(k.startswith("quality-critical:") for k in keys)
