"""``corehub demo``: a realistic organization and a cycle every plugin fills in."""

from __future__ import annotations

import datetime as dt

from corehub import Hub, hookimpl
from corehub.demo import DEMO_TODAY, build_demo, close_demo
from corehub.models import CycleStatus, Level


class DemoFiller:
    def __init__(self):
        self.calls = []

    @hookimpl
    def prepare_demo(self, hub, cycle):
        self.calls.append(
            (cycle.name, cycle.status, hub.clock.today(), len(hub.cycles.members(cycle)))
        )


def test_demo_builds_the_organization_and_asks_each_plugin_for_data(tmp_path, monkeypatch):
    filler = DemoFiller()
    from corehub import plugins

    real = plugins.make_plugin_manager

    def with_filler(**kwargs):
        pm = real(load_entry_points=False, env={})
        pm.register_named(filler, "demo-filler")
        return pm

    monkeypatch.setattr("corehub.hub.make_plugin_manager", with_filler)
    result = build_demo(tmp_path / "demo", echo=lambda line: None)
    assert filler.calls == [("2026 H2", CycleStatus.OPEN, DEMO_TODAY.date(), 39)]
    hub: Hub = result.hub
    people = hub.people.list()
    assert len(people) == 39
    assert {p.level for p in people} == set(Level)
    assert {p.team for p in people} >= {"Madrid", "København", "Stockholm"}
    assert {p.locale for p in people} == {"es", "da", "sv"}
    assert any("ø" in p.name or "æ" in p.name for p in people) and any(
        "ñ" in p.name for p in people
    )
    assert hub.config.organization.timezone == "Europe/Madrid"
    closed = close_demo(result)
    assert closed.status is CycleStatus.CLOSED and closed.end == dt.date(2026, 12, 31)
    hub.close()


def test_demo_command_refuses_a_folder_with_files_unless_forced(tmp_path, monkeypatch):
    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "")
    from corehub.testing import run_cli

    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    refused = run_cli(Hub(None), "demo", str(target))
    assert refused.exit_code == 1 and "is not empty" in refused.stderr
    assert (target / "keep.txt").exists()
    forced = run_cli(Hub(None), "demo", str(target), "--force")
    assert forced.exit_code == 1 and "is not a demo workspace" in forced.stderr
    assert (target / "keep.txt").read_text() == "mine"  # --force never deletes other folders
    from corehub.demo import DEMO_ORGANIZATION
    from corehub.workspace import init_workspace

    earlier_demo = tmp_path / "earlier-demo"
    init_workspace(earlier_demo, organization=DEMO_ORGANIZATION).close()
    (earlier_demo / "left.txt").write_text("from the last demo")
    target = earlier_demo
    done = run_cli(Hub(None), "demo", str(target), "--force", "--no-render")
    assert done.exit_code == 0, done.output
    assert not (target / "left.txt").exists()
    assert "Imported 39 people" in done.stdout and "Closed cycle '2026 H2'" in done.stdout


class StrictOrg:
    """An organization's plugin whose validation refuses what the demo's random answers say."""

    @hookimpl
    def validate_review(self, hub, review, form):
        return ["comments: this organization wants a comment on every review"]


def test_demo_reports_which_plugin_refused_its_data_and_builds_the_rest(tmp_path, monkeypatch):
    import corehub_self_assessment.plugin
    from corehub import plugins

    filler = DemoFiller()
    real = plugins.make_plugin_manager

    def with_strict_org(**kwargs):
        pm = real(load_entry_points=False, env={})
        pm.register_named(corehub_self_assessment.plugin, "self_assessment")
        pm.register_named(StrictOrg(), "strict-org")
        pm.register_named(filler, "demo-filler")
        return pm

    monkeypatch.setattr("corehub.hub.make_plugin_manager", with_strict_org)
    lines: list[str] = []
    result = build_demo(tmp_path / "demo", echo=lines.append)
    [(plugin, why)] = result.refused
    assert plugin == "self_assessment"
    assert "this organization wants a comment on every review" in why
    assert any(
        line.startswith("  self_assessment: demo data refused and left out:") for line in lines
    )
    # The other plugins' demo data is still made, and the refused plugin left nothing half-done.
    assert len(filler.calls) == 1
    hub: Hub = result.hub
    assert hub.db["self_assessment_reviews"].count_where("status != 'draft'") == 0
    closed = close_demo(result)
    assert closed.status is CycleStatus.CLOSED
    hub.close()


def test_the_demo_shows_a_rescore_refused_on_its_closed_cycle(demo_workspace):
    """The walkthrough runs ``corehub review rescore`` on the closed cycle: the command
    itself refuses, and the stored scores stay as given."""
    from corehub import Hub
    from corehub.testing import run_cli

    printed = (demo_workspace.parent / "demo-output.txt").read_text(encoding="utf-8")
    closed = printed.index("Closed cycle '2026 H2'.")
    tried = printed.index("Trying: corehub review rescore --cycle '2026 H2'")
    assert closed < tried
    assert (
        "  refused: cycle '2026 H2' is closed; its scores stay as they were given and are "
        "never recomputed" in printed
    )
    hub = Hub(demo_workspace)
    try:
        assert not list(hub.audit.events(action="review.rescored"))
        again = run_cli(hub, "review", "rescore", "--cycle", "2026 H2")
        assert again.exit_code == 1 and "is closed" in again.stderr
    finally:
        hub.close()


def test_the_demo_plans_count_only_what_was_done_in_the_cycle(demo_workspace):
    """Every plan in the demo has an action done before the cycle's period (left out of
    the cycle's view of the plan) and actions agreed in it."""
    from corehub import Hub
    from corehub.testing import run_cli

    hub = Hub(demo_workspace)
    try:
        plan = run_cli(hub, "plan", "show", "--person", "mad-01", "--cycle", "2026 H2", "--json")
        assert plan.exit_code == 0, plan.stderr
        data = plan.json()
        done = [a for a in data["actions"] if a["status"] == "done"]
        assert any(a["done_on"] < "2026-07-01" for a in done)
        counted = data["done_in_period"]["actions"]
        assert counted and all("2026-07-01" <= a["done_on"] <= "2026-12-31" for a in counted)
        assert any(a["status"] != "done" and a["owner"] == "sup-mad" for a in data["actions"])
    finally:
        hub.close()


FOUR_POINT_AGENT_FORM = """
id: agent
title: Night owl agent review
replaces: true
levels: [operational]
scales:
  four:
    points:
      - {value: 1, label: Not yet}
      - {value: 2, label: Sometimes}
      - {value: 3, label: Usually}
      - {value: 4, label: Always}
sections:
  - id: nights
    title: Nights on the desk
    questions:
      - {id: calm, text: Stays calm, scale: four, competency: stress_handling, allow_na: false}
      - {id: solve, text: Solves problems alone, scale: four, competency: problem_solving}
  - id: closing
    title: Looking ahead
    questions:
      - {id: strengths, text: Strengths, type: text}
      - {id: goals_next, text: Goals for next period, type: goals}
"""


def test_demo_answers_an_organizations_own_form_on_its_own_scale(tmp_path, monkeypatch):
    """A plugin replacing the agent form with a four-point scale gets demo reviews rated on
    that scale, not the demo's usual 1 to 5 refused by the form's own checks."""
    import json

    import corehub_self_assessment.plugin
    from corehub import plugins

    form = tmp_path / "agent.yaml"
    form.write_text(FOUR_POINT_AGENT_FORM)

    class NightOwl:
        @hookimpl
        def register_forms(self, hub):
            return [form]

    real = plugins.make_plugin_manager

    def with_night_owl(**kwargs):
        pm = real(load_entry_points=False, env={})
        pm.register_named(corehub_self_assessment.plugin, "self_assessment")
        pm.register_named(NightOwl(), "night-owl")
        return pm

    monkeypatch.setattr("corehub.hub.make_plugin_manager", with_night_owl)
    result = build_demo(tmp_path / "demo", echo=lambda line: None)
    hub: Hub = result.hub
    try:
        assert result.refused == ()
        rows = list(
            hub.db.query("select answers from self_assessment_reviews where status != 'draft'")
        )
        ratings = [
            value
            for row in rows
            for key, value in json.loads(row["answers"]).items()
            if key in ("calm", "solve") and value != "n/a"
        ]
        assert ratings and set(ratings) <= {1, 2, 3, 4} and len(set(ratings)) > 1
    finally:
        hub.close()


def test_the_demo_gives_every_role_a_title_in_each_of_its_languages(demo_workspace):
    """A Swedish packet cover says "Servicedeskmedarbetare", not the English role as typed."""
    from corehub import roles

    hub = Hub(demo_workspace)
    try:
        _, titles = roles.role_titles(hub)
        for person in hub.people.list():
            for locale in ("es", "da", "sv"):
                shown = roles.title(titles, person.role, locale)
                assert shown and shown != person.role, (person.id, locale, shown)
        assert roles.title(titles, "Service desk agent", "sv") == "Servicedeskmedarbetare"
    finally:
        hub.close()
