"""Credentials with levels earned on evidence: KCS licences, coaches, sign-off, coaching log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corehub import Hub, hookimpl
from corehub.models import CredentialEvidence, Person


class Checks:
    """An organization's own system supplying checked articles through the hook."""

    def __init__(self) -> None:
        self.items: dict[str, list[CredentialEvidence]] = {}

    def add(self, person_id: str, *scores: float, day: dt.date = dt.date(2026, 2, 20)) -> None:
        for n, score in enumerate(scores):
            self.items.setdefault(person_id, []).append(
                CredentialEvidence(
                    kind="article_check", day=day, score=score, ref=f"kb:{person_id}-{n}"
                )
            )

    @hookimpl
    def credential_evidence(
        self, hub: Hub, person: Person, kind: str, since: dt.date
    ) -> list[CredentialEvidence]:
        return [e for e in self.items.get(person.id, []) if e.kind == kind and e.day >= since]


@pytest.fixture
def checks(tracker: Hub, register_plugin: Callable[..., Any]) -> Checks:
    found = Checks()
    register_plugin(found, name="kb-checks")
    return found


def _complete(cli: Any, person: str, *courses: str) -> None:
    for course in courses:
        result = cli(
            "training", "complete", "--person", person, "--course", course, "--date", "2026-02-01"
        )
        assert result.exit_code == 0, result.output


def _standing(cli: Any, person: str) -> dict[str, Any]:
    result = cli("training", "credentials", "--person", person, "--json")
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = result.json()
    return rows[0]


def test_a_level_is_earned_on_courses_evidence_and_a_coach_sign_off(
    team: list[Person], checks: Checks, cli: Any
) -> None:
    assert cli("training", "coach", "assign", "alpha-lead", "--team", "alpha").exit_code == 0
    first = _standing(cli, "alpha-01")
    assert first["level"] is None
    assert first["next_level"] == "candidate"
    assert first["missing"] == ["course clear-writing", "course kcs-basics", "a coach's sign-off"]
    assert first["coaches"] == ["alpha-lead"]
    early = cli("--as", "alpha-lead", "training", "sign-off", "alpha-01", "candidate")
    assert early.exit_code == 1
    assert "course clear-writing is not completed" in early.output
    _complete(cli, "alpha-01", "clear-writing", "kcs-basics")
    assert _standing(cli, "alpha-01")["ready_for_sign_off"] is True
    done = cli("--as", "alpha-lead", "training", "sign-off", "alpha-01", "candidate")
    assert done.exit_code == 0, done.output
    now = _standing(cli, "alpha-01")
    assert (now["level"], now["earned_on"], now["next_level"]) == (
        "candidate",
        "2026-03-02",
        "contributor",
    )
    assert "3 more checked article(s) scoring 80+ in 90 days" in now["missing"]


def test_a_count_of_articles_alone_never_earns_a_level(
    team: list[Person], checks: Checks, cli: Any
) -> None:
    cli("training", "coach", "assign", "alpha-lead", "--person", "alpha-02")
    _complete(cli, "alpha-02", "clear-writing", "kcs-basics")
    assert cli("--as", "alpha-lead", "training", "sign-off", "alpha-02", "candidate").exit_code == 0
    # Fifty poor articles and two old good ones: nothing qualifies.
    checks.add("alpha-02", *([40.0] * 50))
    checks.add("alpha-02", 95.0, 95.0, day=dt.date(2025, 6, 1))
    refused = cli("--as", "alpha-lead", "training", "sign-off", "alpha-02", "contributor")
    assert refused.exit_code == 1
    assert "0 of 3 checked articles in the last 90 days score 80 or more" in refused.output
    assert _standing(cli, "alpha-02")["level"] == "candidate"
    checks.add("alpha-02", 85.0, 90.0, 100.0)
    assert _standing(cli, "alpha-02")["ready_for_sign_off"] is True
    ok = cli("--as", "alpha-lead", "training", "sign-off", "alpha-02", "contributor")
    assert ok.exit_code == 0, ok.output
    assert _standing(cli, "alpha-02")["level"] == "contributor"


def test_stale_evidence_flags_the_level_for_review(
    team: list[Person], checks: Checks, cli: Any, clock: Any
) -> None:
    cli("training", "coach", "assign", "alpha-lead", "--person", "alpha-03")
    _complete(cli, "alpha-03", "clear-writing", "kcs-basics")
    checks.add("alpha-03", 90.0, 90.0, 90.0)
    cli("--as", "alpha-lead", "training", "sign-off", "alpha-03", "candidate")
    assert (
        cli("--as", "alpha-lead", "training", "sign-off", "alpha-03", "contributor").exit_code == 0
    )
    assert _standing(cli, "alpha-03")["review"] == []
    clock.advance(days=120)
    later = _standing(cli, "alpha-03")
    assert later["level"] == "contributor"  # kept, but flagged, not silently kept
    assert later["review"] == ["contributor"]
    table = cli("training", "credentials", "--team", "alpha")
    assert "REVIEW: contributor" in table.output


def test_only_a_coach_of_the_person_signs_off(team: list[Person], checks: Checks, cli: Any) -> None:
    _complete(cli, "alpha-01", "clear-writing", "kcs-basics")
    nobody = cli("--as", "alpha-02", "training", "sign-off", "alpha-01", "candidate")
    assert nobody.exit_code == 1
    assert "alpha-02 is not a coach of alpha-01" in nobody.output
    assert "Traceback" not in nobody.output
    cli("training", "coach", "assign", "alpha-02", "--person", "alpha-03")
    other = cli("--as", "alpha-02", "training", "sign-off", "alpha-01", "candidate")
    assert other.exit_code == 1 and "not a coach of alpha-01" in other.output
    assert _standing(cli, "alpha-01")["level"] is None
    unknown = cli("--as", "alpha-02", "training", "sign-off", "alpha-03", "grandmaster")
    assert unknown.exit_code == 1 and "no level 'grandmaster'" in unknown.output


def test_bad_level_definitions_are_all_reported(team: list[Person], tracker: Hub, cli: Any) -> None:
    folder = Path(str(tracker.workspace)) / "credentials"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kcs.yaml").write_text(
        "id: kcs\ntitle: KCS\nlevels:\n"
        "  - {id: a, requires: c, courses: [no-such-course]}\n"
        "  - {id: b, requires: a, min_checked: -1}\n"
        "  - {id: c, requires: b}\n"
        "  - {id: d, requires: zz}\n",
        encoding="utf-8",
    )
    result = cli("training", "credentials")
    assert result.exit_code == 1
    out = result.output
    assert "kcs.yaml, levels.a.courses: unknown course 'no-such-course'" in out
    assert "kcs.yaml, levels.b.min_checked: -1" in out
    assert "kcs.yaml, levels.d.requires: unknown level 'zz'" in out
    assert "levels require each other in a circle: a -> c -> b -> a" in out
    assert "Traceback" not in out


def test_coaching_sessions_are_seen_by_coach_and_coachee_only(
    team: list[Person], cli: Any, make_people: Callable[..., Any]
) -> None:
    make_people(team="beta", agents=1)
    cli("training", "coach", "assign", "alpha-02", "--person", "alpha-01")
    stranger = cli("--as", "alpha-03", "training", "coaching", "log", "alpha-01", "--notes", "x")
    assert stranger.exit_code == 1 and "not a coach of alpha-01" in stranger.output
    logged = cli(
        "--as",
        "alpha-02",
        "training",
        "coaching",
        "log",
        "alpha-01",
        "--notes",
        "Reviewed two articles: <b>titles</b> in the customer's words.",
        "--next-steps",
        "Link the printer article to the driver one.",
    )
    assert logged.exit_code == 0, logged.output
    for viewer in ("alpha-01", "alpha-02", "alpha-lead"):
        seen = cli("--as", viewer, "training", "coaching", "show", "alpha-01", "--json")
        assert seen.exit_code == 0, seen.output
        assert [r["next_steps"] for r in seen.json()] == [
            "Link the printer article to the driver one."
        ]
    hidden = cli("--as", "beta-01", "training", "coaching", "show", "alpha-01")
    assert hidden.exit_code == 1 and "may not see the coaching" in hidden.output
    coaches = cli("training", "coach", "list", "--json").json()
    assert coaches == [{"coach": "alpha-02", "coachees": ["alpha-01"]}]


def test_the_shipped_kcs_credential_names_catalogue_courses(tracker: Hub, cli: Any) -> None:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    kcs = Credentials(Training(tracker)).credential("kcs")
    assert [lv.id for lv in kcs.levels] == ["candidate", "contributor", "publisher"]
    assert [lv.requires for lv in kcs.levels] == [None, "candidate", "contributor"]
    assert all(lv.sign_off for lv in kcs.levels)
    assert all(lv.min_score >= 80 for lv in kcs.levels if lv.min_checked)
