"""Staffing coverage: certified people per team and system against a minimum, gaps, who closes them."""

from __future__ import annotations

from typing import Any

import attrs

from corehub import Hub
from corehub.models import Person


def _settings(hub: Hub, **values: Any) -> None:
    settings = {**hub.config.settings, "training_tracker": values}
    hub.config = attrs.evolve(hub.config, settings=settings)
    hub._settings.clear()


def _complete(cli: Any, person: str, course: str, day: str) -> None:
    result = cli("training", "complete", "--person", person, "--course", course, "--date", day)
    assert result.exit_code == 0, result.output


def test_a_gap_that_opens_within_the_horizon_names_who_could_close_it(
    tracker: Hub, team: list[Person], cli: Any
) -> None:
    _settings(tracker, coverage={"alpha": {"products": 2}}, coverage_horizon_days=30)
    for person in ("alpha-01", "alpha-02", "alpha-03"):
        _complete(cli, person, "clear-writing", "2025-01-10")
    _complete(cli, "alpha-01", "product-update", "2025-03-20")  # lapses 2026-03-20
    _complete(cli, "alpha-02", "product-update", "2026-01-10")
    cli(
        "training",
        "assign",
        "--course",
        "product-update",
        "--person",
        "alpha-03",
        "--due",
        "2026-04-01",
    )
    assert (
        cli("training", "start", "--person", "alpha-03", "--course", "product-update").exit_code
        == 0
    )
    result = cli("training", "coverage", "--json")
    assert result.exit_code == 0, result.output
    [item] = result.json()
    assert (item["team"], item["tag"], item["minimum"]) == ("alpha", "products", 2)
    assert sorted(item["holders"]) == ["alpha-01", "alpha-02"]
    assert item["gap"] == 0
    assert item["gap_soon"] == 1
    assert item["expiring"] == [{"person_id": "alpha-01", "lapses_on": "2026-03-20"}]
    # Closest to done first: in progress (half a course) before one not yet started.
    assert [(c["person_id"], c["steps_left"]) for c in item["closest"]] == [
        ("alpha-03", 0.5),
        ("alpha-lead", 1.0),
    ]
    table = cli("training", "coverage", "--team", "alpha")
    assert "gap of 1 by 2026-04-01" in table.output
    assert "alpha-03 (product-update, 0.5 to go)" in table.output
    reminded = cli("remind", "--training", "--dry-run", "--json").json()
    lead = [o["detail"] for o in reminded if o["recipient"] == "alpha-lead"]
    assert any("Coverage gap: products in alpha (1 of 2 certified)" in d for d in lead), reminded


def test_a_gap_today_and_bad_settings(tracker: Hub, team: list[Person], cli: Any) -> None:
    _settings(tracker, coverage={"alpha": {"products": 1}})
    [item] = cli("training", "coverage", "--json").json()
    assert (item["gap"], item["holders"]) == (1, [])
    assert "GAP: 1 short" in cli("training", "coverage").output
    _settings(tracker, coverage={"alpha": {"printers": 1, "products": 0}})
    bad = cli("training", "coverage")
    assert bad.exit_code == 1
    assert "coverage.alpha.products: 0 must be a whole number from 1" in bad.output
    _settings(tracker, coverage={"alpha": {"printers": 1}})
    untagged = cli("training", "coverage")
    assert (
        untagged.exit_code == 1
        and "no course or credential carries the tag 'printers'" in untagged.output
    )
    unknown = cli("training", "coverage", "--team", "beta")
    assert unknown.exit_code == 1 and "no coverage is set for team 'beta'" in unknown.output
