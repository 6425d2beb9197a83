"""Training in ``corehub remind``: open assignments reach the person, late ones their manager."""

from __future__ import annotations


def test_open_assignments_are_reminded_and_escalated(tracker, team, cli, clock):
    assigned = cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--team",
        "alpha",
        "--due",
        "2026-03-06",
    )
    assert assigned.exit_code == 0, assigned.output
    cli(
        "training",
        "complete",
        "--person",
        "alpha-02",
        "--course",
        "stress-handling",
        "--date",
        "2026-03-02",
    )

    soon = cli("remind", "--training", "--dry-run", "--json").json()
    reminded = {o["recipient"]: o["detail"] for o in soon}
    assert set(reminded) == {"alpha-lead", "alpha-01", "alpha-03"}  # alpha-02 is done
    assert "Handling stress" in reminded["alpha-01"] and "due 2026-03-06" in reminded["alpha-01"]

    clock.set("2026-03-12")  # six days late: the team lead hears of their agents too
    late = {
        o["recipient"]: o["detail"]
        for o in cli("remind", "--training", "--dry-run", "--json").json()
    }
    assert "6 days overdue" in late["alpha-01"]
    lead = late["alpha-lead"]
    assert "Overdue in your team" in lead and "Alpha Agent 1" in lead and "Alpha Agent 3" in lead
    assert "Alpha Agent 2" not in lead


def test_only_training_reminders_with_training_flag(tracker, team, cli):
    cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--person",
        "alpha-01",
        "--due",
        "2026-03-06",
    )
    everything = cli("remind", "--dry-run", "--json").json()
    cycles_only = cli("remind", "--cycle", "nope", "--dry-run")
    assert cycles_only.exit_code == 1 and "no cycle named 'nope'" in cycles_only.stderr
    assert [o["recipient"] for o in everything] == ["alpha-01"]
