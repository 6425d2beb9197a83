"""Calibration before release: sessions per scope, the view, adjustments with a reason,
release refused until the session over the person is closed."""

from __future__ import annotations

import re

import attrs
import pytest

from corehub.errors import CorehubError, PermissionDeniedError, ValidationError
from corehub.models import Level, Person, Report, ReportKind
from corehub_self_assessment import calibration, reviews

CAL = "2026 Cal"


@pytest.fixture
def calibrated(hub, team, cli, answers):
    """A calibrated cycle: alpha-01..03 reviewed by alpha-lead; alpha-lead by boss."""
    hub.people.save([Person(id="hr-1", name="Hana HR", team="HR")])
    hub.config = attrs.evolve(
        hub.config, organization=attrs.evolve(hub.config.organization, hr=["hr-1"])
    )
    made = cli(
        "cycle",
        "create",
        CAL,
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
        "--due",
        "self=2026-03-01",
        "--calibrate",
    )
    assert made.exit_code == 0, made.output
    cycle = hub.cycles.open(CAL).cycle
    assert cycle.calibrate
    ratings = {"alpha-01": 5, "alpha-02": 3, "alpha-03": 1}
    for person, value in ratings.items():
        mine = {**answers["self"], "communication": 4}
        reviews.save_draft(hub, cycle, person, "self", mine, actor=person)
        reviews.submit(hub, cycle, person, "self", actor=person)
        theirs = {
            **answers["manager"],
            **{
                q: value
                for q in (
                    "communication",
                    "active_listening",
                    "complaint_handling",
                    "problem_solving",
                    "product_knowledge",
                    "stress_handling",
                    "knowledge_sharing",
                    "teamwork",
                )
            },
        }
        reviews.save_draft(hub, cycle, person, "manager", theirs, actor="alpha-lead")
        reviews.submit(hub, cycle, person, "manager", actor="alpha-lead")
    return cycle


def test_a_cycle_without_the_step_cannot_be_calibrated(hub, cycle, cli):
    result = cli("cycle", "calibrate", "open", "--cycle", cycle.name)
    assert result.exit_code == 1
    assert "has no calibration step" in result.output
    assert "corehub cycle settings" in result.output and "Traceback" not in result.output
    assert calibration.sessions(hub, cycle) == []
    # the setting turns it on, and it is in the audit trail
    on = cli("cycle", "settings", cycle.name, "--calibrate")
    assert on.exit_code == 0 and "calibration step on" in on.output
    assert list(hub.audit.events(action="cycle.settings_changed"))
    assert cli("cycle", "calibrate", "open", "--cycle", cycle.name).exit_code == 0


def test_release_waits_for_a_closed_session(hub, calibrated, cli):
    refused = cli("--as", "alpha-lead", "review", "release", "--cycle", CAL, "--person", "alpha-01")
    assert refused.exit_code == 1
    assert "calibration session over them has been held and closed" in refused.output
    assert cli("--as", "hr-1", "cycle", "calibrate", "open", "--cycle", CAL).exit_code == 0
    during = cli("--as", "alpha-lead", "review", "release", "--cycle", CAL, "--person", "alpha-01")
    assert during.exit_code == 1
    assert "cannot be released while the calibration session for all is open" in during.output
    assert "Traceback" not in during.output
    review = reviews.find(hub, calibrated, "alpha-01", "manager").review
    assert review.status.value == "submitted"  # nothing half-written
    assert cli("--as", "hr-1", "cycle", "calibrate", "close", "--cycle", CAL).exit_code == 0
    done = cli("--as", "alpha-lead", "review", "release", "--cycle", CAL, "--person", "alpha-01")
    assert done.exit_code == 0, done.output


def test_a_team_session_holds_its_team_only(hub, calibrated):
    calibration.open_session(hub, calibrated, "team:alpha", actor="hr-1")
    with pytest.raises(CorehubError, match="session for team:alpha is open"):
        reviews.release(hub, calibrated, "alpha-02", actor="alpha-lead")
    calibration.close_session(hub, calibrated, "team:alpha", actor="hr-1")
    assert reviews.release(hub, calibrated, "alpha-02", actor="alpha-lead").status.value == (
        "released"
    )


def test_the_view_compares_managers_and_reads_stored_scores(hub, calibrated, cli):
    data = cli("--as", "boss", "cycle", "calibrate", "show", "--cycle", CAL, "--json").json()
    assert data["scope"] == "all" and data["reviewed"] == 3
    [lead] = [m for m in data["managers"] if m["manager"] == "alpha-lead"]
    assert lead["n"] == 3
    assert lead["mean"] == 3.0
    assert lead["spread"] == pytest.approx(1.63, abs=0.01)
    assert lead["shares"] == {"1": 0.333, "2": 0.0, "3": 0.333, "4": 0.0, "5": 0.333}
    assert lead["competencies"]["communication"] == 3.0
    [alpha] = data["gaps_by_team"]
    assert alpha["team"] == "alpha" and alpha["n"] == 3
    text = cli("--as", "boss", "cycle", "calibrate", "show", "--cycle", CAL).output
    assert "Alpha Lead" in text or "alpha-lead" in text
    assert "33%" in text


def test_adjustments_keep_the_original_who_when_and_why(hub, calibrated, cli, clock):
    calibration.open_session(hub, calibrated, actor="hr-1")
    made = cli(
        "--as", "hr-1", "cycle", "calibrate", "adjust", "--cycle", CAL, "--person", "alpha-03",
        "--rating", "2", "--reason", "Two hard escalations weighed too much",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "from 1.00 to 2.00" in made.output
    [event] = hub.audit.events(action="review.calibrated")
    assert event.actor == "hr-1"
    assert event.reason == "Two hard escalations weighed too much"
    # the view, the review and the packet read the calibrated rating
    data = calibration.view(hub, calibrated, actor="hr-1")
    [row] = [r for r in data["ratings"] if r["person"] == "alpha-03"]
    assert (row["original"], row["overall"], row["adjusted"]) == (1.0, 2.0, True)
    hr_view = cli(
        "--as", "hr-1", "review", "show", "--cycle", CAL, "--person", "alpha-03", "--json"
    )
    manager = hr_view.json()["reviews"]["manager"]
    assert manager["score"]["overall"] == 2.0
    assert manager["calibration"]["given"]["overall"] == 1.0
    assert manager["calibration"]["adjustments"][0]["reason"].startswith("Two hard")
    calibration.close_session(hub, calibrated, actor="hr-1")
    reviews.release(hub, calibrated, "alpha-03", actor="alpha-lead")
    mine = cli("--as", "alpha-03", "review", "show", "--cycle", CAL, "--json").json()
    assert mine["reviews"]["manager"]["score"]["overall"] == 2.0
    assert mine["reviews"]["manager"]["calibrated"] is True
    assert "calibration" not in mine["reviews"]["manager"]  # the original stays with HR
    packet = Report(
        kind=ReportKind.PACKET,
        cycle=calibrated,
        locale="en",
        person=hub.people.get("alpha-03"),
        manager=hub.people.get("alpha-lead"),
    )
    [ratings] = [
        s
        for _, result in hub.hook.register_report_sections.collect(hub=hub, report=packet)
        for s in result
        if s.id == "self_assessment.ratings"
    ]
    context = ratings.context(hub, packet)
    assert context["overall"]["manager"] == 2.0 and context["calibrated_from"] is None
    # by a setting, the person sees the original too
    hub.config = attrs.evolve(
        hub.config,
        settings={**hub.config.settings, "self_assessment": {"show_calibration_to_person": True}},
    )
    hub.reload_settings()
    assert ratings.context(hub, packet)["calibrated_from"] == 1.0
    mine = cli("--as", "alpha-03", "review", "show", "--cycle", CAL, "--json").json()
    assert mine["reviews"]["manager"]["calibration"]["given"]["overall"] == 1.0


@pytest.mark.parametrize(
    ("rating", "reason", "message"),
    [
        (7, "too high", "on the form's scale, 1 to 5 (7 given)"),
        (float("nan"), "not a number", "on the form's scale"),
        (0, "too low", "on the form's scale, 1 to 5"),
        (3, "   ", "needs a --reason"),
    ],
)
def test_bad_adjustments_are_refused_and_nothing_is_kept(hub, calibrated, rating, reason, message):
    calibration.open_session(hub, calibrated, actor="hr-1")
    with pytest.raises(ValidationError) as caught:
        calibration.adjust(hub, calibrated, "alpha-01", rating, reason=reason, actor="hr-1")
    assert message in str(caught.value) + " ".join(map(str, caught.value.problems or []))
    assert calibration.calibrations(hub, [1, 2, 3, 4, 5, 6, 7, 8]) == {}
    assert not list(hub.audit.events(action="review.calibrated"))


def test_only_hr_and_directors_calibrate(hub, calibrated, clock):
    with pytest.raises(PermissionDeniedError, match="calibration is for HR and directors"):
        calibration.open_session(hub, calibrated, actor="alpha-lead")
    calibration.open_session(hub, calibrated, actor="boss")  # a director
    with pytest.raises(PermissionDeniedError):
        calibration.adjust(hub, calibrated, "alpha-01", 4, reason="x", actor="alpha-01")
    with pytest.raises(PermissionDeniedError):
        calibration.view(hub, calibrated, actor="alpha-02")


def test_a_director_calibrates_only_the_people_below_them(hub, calibrated, cli):
    """A director of another region may sit in the session, but not move the ratings of
    people who are not below them; nobody calibrates their own rating."""
    far = Person(id="far", name="Far Director", level=Level.DIRECTIVE, team="Region two")
    hub.people.save([far])
    calibration.open_session(hub, calibrated, actor="hr-1")
    with pytest.raises(PermissionDeniedError, match="only the people below them"):
        calibration.adjust(hub, calibrated, "alpha-01", 4, reason="x", actor="far")
    refused = cli(
        "--as", "far", "cycle", "calibrate", "adjust", "--cycle", CAL, "--person", "alpha-02",
        "--rating", "4", "--reason", "from another region",
    )  # fmt: skip
    assert refused.exit_code != 0
    assert "far cannot calibrate the rating of alpha-02" in refused.output
    assert "Traceback" not in refused.output
    for own in ("boss", "hr-1"):
        with pytest.raises(PermissionDeniedError, match="cannot calibrate their own rating"):
            calibration.adjust(hub, calibrated, own, 4, reason="x", actor=own)
    assert calibration.calibrations(hub, list(range(1, 20))) == {}
    assert not list(hub.audit.events(action="review.calibrated"))
    # the director above them, HR and the operator may
    calibration.adjust(hub, calibrated, "alpha-01", 4, reason="in line", actor="boss")
    calibration.adjust(hub, calibrated, "alpha-02", 4, reason="in line", actor="hr-1")
    calibration.adjust(hub, calibrated, "alpha-03", 2, reason="in line")
    assert len(list(hub.audit.events(action="review.calibrated"))) == 3


def test_adjusting_needs_an_open_session_and_a_valid_scope(hub, calibrated):
    with pytest.raises(ValidationError, match="not calibrated") as caught:
        calibration.adjust(hub, calibrated, "alpha-01", 4, reason="x", actor="hr-1")
    assert "no calibration session over alpha-01 is open" in " ".join(
        map(str, caught.value.problems or [])
    )
    with pytest.raises(ValidationError, match="unknown calibration scope"):
        calibration.open_session(hub, calibrated, "manager:alpha-lead", actor="hr-1")
    with pytest.raises(ValidationError, match="nobody in cycle"):
        calibration.open_session(hub, calibrated, "team:nowhere", actor="hr-1")
    calibration.open_session(hub, calibrated, actor="hr-1")
    with pytest.raises(ValidationError, match="already open"):
        calibration.open_session(hub, calibrated, actor="hr-1")


def test_a_closed_cycle_keeps_its_calibration(hub, calibrated):
    calibration.open_session(hub, calibrated, actor="hr-1")
    calibration.adjust(hub, calibrated, "alpha-01", 4, reason="peer evidence", actor="hr-1")
    hub.cycles.close(CAL, force=True, reason="end")
    from corehub.errors import FrozenError

    with pytest.raises(FrozenError):
        calibration.adjust(hub, calibrated, "alpha-01", 3, reason="later", actor="hr-1")
    # the view still reads, from what was stored
    assert calibration.view(hub, CAL, actor="hr-1")["adjustments"][0]["calibrated"] == 4.0


# -- the calibration sheet (corehub render calibration) -----------------------------------


def _sheet_text(path):
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


def test_the_calibration_sheet_shows_levels_before_and_after_and_each_adjustment(
    hub, calibrated, cli, tmp_path
):
    cli("--as", "hr-1", "cycle", "calibrate", "open", "--cycle", CAL)
    calibration.adjust(
        hub, calibrated, "alpha-03", 2.0, reason="Escalations were handed over", actor="hr-1"
    )
    # long names: the people's table breaks them between words, never inside one
    long = {
        "alpha-lead": "Bartholomew Featherstonehaugh Montgomery-Kjærgaard",
        "alpha-01": "Maximiliana Wolkenstein-Rodenegg Featherstonehaugh",
    }
    hub.people.save([attrs.evolve(hub.people.get(i), name=n) for i, n in long.items()])
    target = tmp_path / "sheets" / "calibration.pdf"
    target.parent.mkdir()
    result = cli("--as", "hr-1", "render", "calibration", "--cycle", CAL, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert [p.name for p in target.parent.iterdir()] == ["calibration.pdf"]  # no temporary left
    text = _sheet_text(target)
    people = text.split("People in scope", 1)[1]
    for word in ("Bartholomew", "Featherstonehaugh", "Maximiliana", "Wolkenstein"):
        assert word in people, people
    assert "Calibration sheet" in text and "the whole cycle" in text
    # one rating moved from level 1 to level 2: 1 -> 0 and 0 -> 1, with the change
    levels = re.search(r"CHANGE\n(.*?)Managers side by side", text, re.S)
    assert levels, text
    rows = [line.split() for line in levels.group(1).splitlines() if line.strip()]
    same = "\u2013"  # the dash of "no change"
    assert rows[:5] == [
        ["1", "1", "0", "-1"],
        ["2", "0", "1", "+1"],
        ["3", "1", "1", same],
        ["4", "0", "0", same],
        ["5", "1", "1", same],
    ]
    assert "Escalations were handed over" in text and "Hana HR" in text
    for name in ("Alpha Agent 2", "Alpha Agent 3"):
        assert name in text
    # a team's sheet, by a director, named after its scope
    made = cli(
        "--as",
        "boss",
        "render",
        "calibration",
        "--cycle",
        CAL,
        "--scope",
        "team:alpha",
        "-o",
        str(tmp_path / "alpha.pdf"),
    )
    assert made.exit_code == 0, made.output
    assert "team alpha" in _sheet_text(tmp_path / "alpha.pdf")


def test_the_sheet_shows_only_the_people_its_reader_may_see(hub, calibrated, cli, tmp_path):
    hub.people.save([Person(id="dir-2", name="Other Director", level=Level.DIRECTIVE)])
    cli("--as", "hr-1", "cycle", "calibrate", "open", "--cycle", CAL)
    calibration.adjust(hub, calibrated, "alpha-03", 2.0, reason="SECRET-REASON", actor="hr-1")
    target = tmp_path / "other.pdf"
    result = cli("--as", "dir-2", "render", "calibration", "--cycle", CAL, "-o", str(target))
    assert result.exit_code == 0, result.output
    text = _sheet_text(target)
    assert "prepared for Other Director" in text
    assert "Alpha Agent" not in text and "SECRET-REASON" not in text
    assert "1 more adjustment is about someone outside your view" in text
    assert "6 more people in scope are outside your view" in text
    # the distribution still counts the whole scope
    assert "3 of 6 manager reviews submitted" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as", "alpha-lead"), "cannot calibrate reviews: calibration is for HR and directors"),
        (("--as", "hr-1", "--scope", "group:x"), "unknown calibration scope 'group:x'"),
        (("--as", "hr-1", "--locale", "xx"), "xx"),
    ],
)
def test_the_sheet_is_refused_with_one_sentence(hub, calibrated, cli, tmp_path, args, message):
    actor, rest = args[:2], args[2:]
    target = tmp_path / "sheet.pdf"
    result = cli(*actor, "render", "calibration", "--cycle", CAL, *rest, "-o", str(target))
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not target.exists()


def test_no_sheet_for_a_cycle_without_the_step(hub, cycle, cli, tmp_path):
    target = tmp_path / "sheet.pdf"
    result = cli("render", "calibration", "--cycle", cycle.name, "-o", str(target))
    assert result.exit_code == 1 and "has no calibration step" in result.stderr
    assert not target.exists()


def test_an_actor_who_is_not_a_known_active_person_is_refused(hub, calibrated):
    """Only the operator at the terminal acts without being a person: a mistyped or
    departed id gets no operator's rights."""
    calibration.open_session(hub, calibrated, actor="hr-1")
    for actor in ("hr-l", "nobody"):
        with pytest.raises(PermissionDeniedError, match="is not a known person"):
            calibration.adjust(hub, calibrated, "alpha-01", 4, reason="x", actor=actor)
        with pytest.raises(PermissionDeniedError):
            calibration.view(hub, calibrated, actor=actor)
    assert not list(hub.audit.events(action="review.calibrated"))
    calibration.adjust(hub, calibrated, "alpha-01", 4, reason="the operator", actor=hub.actor)
