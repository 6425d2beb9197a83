"""The platform hooks, called the way the core calls them."""

from __future__ import annotations

import click
import pytest

from corehub.errors import ConfigError
from corehub.models import Person
from corehub_self_assessment import reviews


def test_register_migrations_creates_frozen_tables(hub, plugin):
    sets = [
        s.name
        for _p, result in hub.hook.register_migrations.collect(hub=hub)
        for s in (result if isinstance(result, list) else [result])
    ]
    assert {"self_assessment", "self_assessment_checkins", "self_assessment_plans"} <= set(sets)
    tables = set(hub.db.table_names())
    assert {
        "self_assessment_reviews",
        "self_assessment_comments",
        "self_assessment_plan_goals",
        "self_assessment_plan_actions",
    } <= tables
    assert hub.pending_migrations() == []


def test_register_settings_reads_and_checks_the_config(hub, plugin):
    specs = hub.hook.register_settings.registry(what="settings", hub=hub)
    assert "self_assessment" in specs
    assert hub.settings("self_assessment").gap_threshold == 2
    hub.config.settings["self_assessment"] = {"gap_threshold": 1.5, "low_rating": 3}
    hub.reload_settings()
    assert hub.settings("self_assessment").low_rating == 3
    hub.config.settings["self_assessment"] = {"gap": 1}
    hub.reload_settings()
    with pytest.raises(ConfigError, match="gap: unknown key"):
        hub.settings("self_assessment")


def test_cycle_tasks_skips_an_inactive_manager(hub, cycle):
    lead = hub.people.get("alpha-lead")
    hub.people.save(
        [
            Person(
                id=lead.id,
                name=lead.name,
                role=lead.role,
                team=lead.team,
                active=False,
                manager_id=lead.manager_id,
                level=lead.level,
            )
        ]
    )
    person = hub.people.get("alpha-01")
    specs = [
        s
        for _p, result in hub.hook.cycle_tasks.collect(hub=hub, cycle=cycle, person=person)
        for s in result
    ]
    assert [s.kind for s in specs] == ["self"]


def test_person_enrolled_is_idempotent(hub, cycle):
    person = hub.people.get("alpha-01")
    before = len(reviews.stored_reviews(hub, cycle))
    hub.hook.person_enrolled(hub=hub, cycle=cycle, person=person)
    assert len(reviews.stored_reviews(hub, cycle)) == before


def test_register_commands_adds_review_and_forms(hub, plugin):
    group = click.Group("corehub")
    hub.hook.register_commands(cli=group)
    assert {"review", "forms"} <= set(group.commands)
    review = group.commands["review"]
    assert isinstance(review, click.Group)
    assert {
        "export",
        "import",
        "fill",
        "submit",
        "release",
        "acknowledge",
        "comment",
        "reopen",
        "show",
    } <= set(review.commands)
