"""Staffing coverage: certified people per team and system against a minimum, gaps, who closes them."""

from __future__ import annotations

from typing import Any

import attrs

from corehub import Hub
from corehub.models import Person


def _settings(hub: Hub, **values: Any) -> None:
    settings = {**hub.config.settings, "training_tracker": values}
    hub.config = attrs.evolve(hub.config, settings=settings)
    hub.reload_settings()


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
    assert "gap of 1 from 2026-03-20" in table.output  # the day it opens, not the horizon
    assert "alpha-01 lapses 2026-03-20" in table.output
    assert item["opens_on"] == "2026-03-20" and item["leaving"] == []
    assert "alpha-03 (product-update, 0.5 to go)" in table.output
    reminded = cli("remind", "--training", "--dry-run", "--json").json()
    lead = [o["detail"] for o in reminded if o["recipient"] == "alpha-lead"]
    assert any(
        "Coverage gap from 2026-03-20: products in alpha (1 of 2 certified by then)" in d
        for d in lead
    ), reminded


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


# -- people leaving -------------------------------------------------------------------


def _leave(cli: Any, person: str, day: str, *more: str) -> Any:
    return cli("people", "leave", person, "--on", day, *more)


def _products(tracker: Hub, cli: Any, minimum: int, *holders: str) -> None:
    """``minimum`` certified people needed on products; ``holders`` certified (no expiry
    within the horizon: completed 2026-02-01, valid a year)."""
    _settings(tracker, coverage={"alpha": {"products": minimum}}, coverage_horizon_days=30)
    for person in ("alpha-01", "alpha-02", "alpha-03"):
        _complete(cli, person, "clear-writing", "2025-01-10")
    for person in holders:
        _complete(cli, person, "product-update", "2026-02-01")


def test_a_person_leaving_within_the_horizon_opens_a_gap_on_their_leaving_date(
    tracker: Hub, team: list[Person], cli: Any
) -> None:
    _products(tracker, cli, 2, "alpha-01", "alpha-02")
    [before] = cli("training", "coverage", "--json").json()
    assert (before["gap"], before["gap_soon"], before["opens_on"]) == (0, 0, None)
    assert _leave(cli, "alpha-02", "2026-03-16").exit_code == 0
    [item] = cli("training", "coverage", "--json").json()
    assert sorted(item["holders"]) == ["alpha-01", "alpha-02"]  # still here today
    assert (item["gap"], item["gap_soon"], item["opens_on"]) == (0, 1, "2026-03-16")
    assert item["leaving"] == [{"person_id": "alpha-02", "leaves_on": "2026-03-16"}]
    assert item["expiring"] == []
    # who closes it soonest: alpha-03 (prerequisite done) before alpha-lead (one more)
    assert [c["person_id"] for c in item["closest"]] == ["alpha-03", "alpha-lead"]
    table = cli("training", "coverage").output
    assert "gap of 1 from 2026-03-16" in table and "alpha-02 leaves 2026-03-16" in table
    reminded = cli("remind", "--training", "--dry-run", "--json").json()
    lead = [o["detail"] for o in reminded if o["recipient"] == "alpha-lead"]
    assert any("Coverage gap from 2026-03-16: products in alpha" in d for d in lead)
    # beyond the horizon: not a gap yet
    assert _leave(cli, "alpha-02", "2026-06-30").exit_code == 0
    [later] = cli("training", "coverage", "--json").json()
    assert (later["gap_soon"], later["leaving"]) == (0, [])


def test_a_leaver_is_not_named_to_close_a_gap(tracker: Hub, team: list[Person], cli: Any) -> None:
    _products(tracker, cli, 1)
    assert _leave(cli, "alpha-03", "2026-03-20").exit_code == 0
    [item] = cli("training", "coverage", "--json").json()
    assert item["gap"] == 1 and item["opens_on"] == "2026-03-02"
    assert "alpha-03" not in [c["person_id"] for c in item["closest"]]
    assert [c["person_id"] for c in item["closest"]] == ["alpha-01", "alpha-02", "alpha-lead"]


def test_expiring_and_leaving_together_open_the_gap_on_the_second_loss(
    tracker: Hub, team: list[Person], cli: Any
) -> None:
    """Three certified, two needed: alpha-01's certification lapses on 20 March, alpha-02
    leaves on 25 March: one loss leaves two (covered), the second opens the gap."""
    _products(tracker, cli, 2, "alpha-02", "alpha-03")
    _complete(cli, "alpha-01", "product-update", "2025-03-20")  # lapses 2026-03-20
    assert _leave(cli, "alpha-02", "2026-03-25").exit_code == 0
    [item] = cli("training", "coverage", "--json").json()
    assert len(item["holders"]) == 3 and item["gap"] == 0
    assert (item["gap_soon"], item["opens_on"]) == (1, "2026-03-25")
    assert item["expiring"] == [{"person_id": "alpha-01", "lapses_on": "2026-03-20"}]
    assert item["leaving"] == [{"person_id": "alpha-02", "leaves_on": "2026-03-25"}]
    # one person whose certification lapses AND who leaves within the horizon counts once
    assert _leave(cli, "alpha-01", "2026-03-22").exit_code == 0
    assert _leave(cli, "alpha-02", "2026-06-30").exit_code == 0
    [once] = cli("training", "coverage", "--json").json()
    assert (once["gap_soon"], once["opens_on"]) == (0, None)
    assert once["leaving"] == [{"person_id": "alpha-01", "leaves_on": "2026-03-22"}]


def test_a_leaving_date_in_the_past_stops_counting_and_deactivates(
    tracker: Hub, team: list[Person], cli: Any
) -> None:
    _products(tracker, cli, 2, "alpha-01", "alpha-02")
    # The day has come (HR recorded it late): the person is deactivated at once.
    left = _leave(cli, "alpha-02", "2026-02-27", "--reason", "resigned")
    assert left.exit_code == 0, left.output
    assert "alpha-02 left on 2026-02-27: deactivated." in left.output
    assert not tracker.people.get("alpha-02").active
    [item] = cli("training", "coverage", "--json").json()
    assert item["holders"] == ["alpha-01"] and item["gap"] == 1
    events = cli("audit", "--json").json()
    assert any(e["entity_id"] == "alpha-02" and e["reason"] == "resigned" for e in events), events


def test_remind_deactivates_the_people_whose_leaving_date_has_come(
    tracker: Hub, team: list[Person], cli: Any, clock: Any
) -> None:
    _products(tracker, cli, 2, "alpha-01", "alpha-02")
    assert _leave(cli, "alpha-02", "2026-03-05").exit_code == 0
    assert tracker.people.get("alpha-02").active
    clock.advance(days=4)  # 2026-03-06: the day has come; nobody has run anything yet
    # not counted, even before the daily job deactivates them
    [item] = cli("training", "coverage", "--json").json()
    assert item["holders"] == ["alpha-01"]
    planned = cli("remind", "--dry-run")
    assert "alpha-02 left on 2026-03-05: would be deactivated." in planned.output
    assert tracker.people.get("alpha-02").active  # a dry run changes nothing
    assert "to alpha-02" not in planned.output  # and reminds them of nothing
    ran = cli("remind")
    assert "alpha-02 left on 2026-03-05: deactivated." in ran.output
    assert not tracker.people.get("alpha-02").active
    again = cli("remind")
    assert "alpha-02" not in again.output.split("left on")[0]  # once
