"""The plugin as corehub sees it: its hooks, entry point, migrations, settings and commands."""

from __future__ import annotations

from importlib import metadata

HOOKS = {
    "register_migrations",
    "register_settings",
    "register_commands",
    "register_courses",
    "register_training_rules",
    "recommend_training",
    "review_submitted",
    "register_report_sections",
    "extra_stylesheets",
    "prepare_demo",
    "extra_reminders",
    "register_routes",
    "extra_protected_paths",
    "development_plan_items",
}


def test_plugin_implements_its_hooks(tracker):
    assert set(tracker.pm.hooks_of("training_tracker")) == HOOKS


def test_entry_point_names_the_plugin_module():
    (entry,) = [e for e in metadata.entry_points(group="corehub") if e.name == "training_tracker"]
    assert entry.value == "corehub_training_tracker.plugin"
    assert entry.dist is not None and entry.dist.name == "corehub-training-tracker"


def test_register_migrations_creates_the_tables(tracker):
    (migrations,) = [m for m in tracker.migration_sets() if m.name == "training_tracker"]
    assert migrations.pending(tracker.db) == []
    for table in (
        "training_assignments",
        "training_completions",
        "training_feedback",
        "training_recommendations",
    ):
        assert tracker.db[table].exists()


def test_register_settings_defaults_and_bad_keys(tracker, hub_with_settings):
    config = tracker.settings("training_tracker")
    assert (
        config.recertification_window_days,
        config.low_rating_threshold,
        config.induction_days,
    ) == (30, 2, 30)
    _other, run = hub_with_settings(recertification_windw_days=10)
    result = run("training", "courses")
    assert result.exit_code == 1 and "recertification_windw_days" in result.stderr


def test_register_commands_adds_the_training_group(tracker, cli):
    result = cli("training", "--help")
    assert result.exit_code == 0
    for command in (
        "sync",
        "assign",
        "start",
        "complete",
        "import",
        "status",
        "matrix",
        "waive",
        "rate",
        "courses",
        "recommendations",
        "accept",
        "dismiss",
    ):
        assert command in result.stdout


def test_prepare_demo_hook_needs_the_library_only(tracker, clock):
    """prepare_demo on a workspace with the demo people (the full demo is in test_demo)."""
    import datetime as dt

    from corehub.demo import DEMO_TODAY, people_csv

    tracker.people.import_csv(people_csv())
    cycle = tracker.cycles.create("2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
    clock.set(DEMO_TODAY)
    tracker.hook.prepare_demo(hub=tracker, cycle=cycle)
    assert tracker.db["training_completions"].count > 0
    assert tracker.db["training_feedback"].count > 0
