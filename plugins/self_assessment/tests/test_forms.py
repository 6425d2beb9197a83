"""Forms: the shipped ones, the workspace's, other plugins', checking and choosing."""

from __future__ import annotations

import datetime as dt
import textwrap

import attrs
import pytest

from corehub import hookimpl
from corehub.errors import DuplicateRegistrationError, ValidationError
from corehub.models import Form, Level, Person, QuestionType
from corehub_self_assessment import forms, reviews

DOMAIN_COMPETENCIES = {
    "communication",
    "active_listening",
    "problem_solving",
    "complaint_handling",
    "stress_handling",
    "product_knowledge",
    "knowledge_sharing",
    "teamwork",
}
EXTRA = {"supervisor": {"coaching", "planning"}, "director": {"vision", "resourcing"}}

SMALL_FORM = """\
id: {id}
title: {title}
levels: [operational]
scales:
  yesno:
    points:
      - {{value: 1, label: "No"}}
      - {{value: 2, label: "Yes"}}
sections:
  - id: main
    title: Main
    questions:
      - {{id: listens, text: Listens well, scale: yesno, competency: active_listening, required: true}}
      - {{id: suggestions, type: text, text: Suggestions to improve the help desk, audience: self}}
"""


def test_shipped_forms_cover_the_domain(hub, plugin):
    found = forms.all_forms(hub)
    assert set(found) == {"agent", "supervisor", "director", "new_hire"}
    # the short new-hire form is for new hires (see test_new_hire.py), not for cycles
    for form_id, form in ((k, v) for k, v in found.items() if k != "new_hire"):
        competencies = {q.competency for _, q in form.questions() if q.competency}
        assert DOMAIN_COMPETENCIES | EXTRA.get(form_id, set()) <= competencies, form_id
        closing = [s.id for s in form.sections][-4:]
        assert closing == ["last_goals", "development", "next_goals", "suggestions"]
        ids = {q.id for _, q in form.questions()}
        assert {"strengths", "improvements", "goals_next", "suggestions"} <= ids
        assert form.question("goals_next").type is QuestionType.GOALS


def test_forms_list_and_show(hub, plugin, cli):
    listed = cli("forms", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert {f["id"]: f["levels"] for f in listed.json()} == {
        "agent": ["operational"],
        "director": ["directive"],
        "supervisor": ["supervisory"],
        "new_hire": [],
    }
    shown = cli("forms", "show", "supervisor")
    assert shown.exit_code == 0, shown.output
    assert "coaching: Coaches agents regularly" in shown.stdout
    assert "scale performance: 1 Needs improvement" in shown.stdout
    missing = cli("forms", "show", "nope")
    assert missing.exit_code != 0
    assert "no form 'nope' (forms: agent, director, new_hire, supervisor)" in missing.stderr


def test_forms_check_names_file_and_path(hub, plugin, cli, tmp_path):
    bad = tmp_path / "agent.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            id: agent
            title: Agent
            scales:
              five: {points: [{value: 1, label: Low}, {value: 5, label: High}]}
            sections:
              - id: a
                title: A
                questions:
                  - {id: q1, text: One, scale: five}
              - id: b
                title: B
                weight: 0
                questions:
                  - {id: q1, text: Again, scale: five}
                  - {id: q2, type: choice, text: Pick}
              - id: c
                title: C
                questions:
                  - {id: q3, text: Three, scale: x}
                  - {id: q4, text: Four}
                  - {id: q5, text: Five, scale: five}
            """
        ),
        encoding="utf-8",
    )
    result = cli("forms", "check", str(bad))
    assert result.exit_code != 0
    name = str(bad)
    for problem in (
        f"{name}: sections[2].questions[0].scale: unknown scale 'x' (scales: five)",
        f"{name}: sections[1].questions[0].id: duplicate question id 'q1' (also sections[0].questions[0])",
        f"{name}: sections[1].weight: 0 must be greater than 0",
        f"{name}: sections[1].questions[1].choices: a choice question needs at least 2 choices",
        f"{name}: sections[2].questions[1].scale: a rating question needs a scale",
    ):
        assert problem in result.stderr, result.stderr
    structural = tmp_path / "structural.yaml"
    structural.write_text(
        bad.read_text(encoding="utf-8")
        .replace("id: q3, ", "")
        .replace("scale: five}", "scale: five, colour: red}"),
        encoding="utf-8",
    )
    result = cli("forms", "check", str(structural))
    assert f"{structural}: sections[2].questions[0].id: missing" in result.stderr
    assert f"{structural}: sections[2].questions[2].colour: unknown key" in result.stderr, (
        result.stderr
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    result = cli("forms", "check", str(broken))
    assert f"{broken}: line 3" in result.stderr and "not valid YAML" in result.stderr
    good = tmp_path / "good.yaml"
    good.write_text(SMALL_FORM.format(id="small", title="Small"), encoding="utf-8")
    assert cli("forms", "check", str(good)).exit_code == 0


def test_a_broken_workspace_form_is_reported_relative_to_the_workspace(hub, plugin, cli):
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "agent.yaml").write_text(
        SMALL_FORM.format(id="agent", title="Agent").replace("scale: yesno", "scale: x"),
        encoding="utf-8",
    )
    result = cli("forms", "list")
    assert result.exit_code != 0
    assert "forms/agent.yaml: sections[0].questions[0].scale: unknown scale 'x'" in result.stderr


def test_a_workspace_form_replaces_a_shipped_one(hub, plugin, cli):
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "agent.yaml").write_text(
        SMALL_FORM.format(id="agent", title="Our agent form"), encoding="utf-8"
    )
    (folder / "night.yaml").write_text(
        SMALL_FORM.format(id="night", title="Night shift").replace(
            "levels: [operational]", "roles: [Night agent]"
        ),
        encoding="utf-8",
    )
    found = forms.all_forms(hub)
    assert found["agent"].title == "Our agent form"
    assert found["night"].roles == ("Night agent",)
    assert "Our agent form" in cli("forms", "list").stdout


def test_select_form_by_role_then_level(hub, plugin, cycle):
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "night.yaml").write_text(
        SMALL_FORM.format(id="night", title="Night shift").replace(
            "levels: [operational]", "roles: [Night agent]"
        ),
        encoding="utf-8",
    )
    night = Person(
        id="n1",
        name="Nina Night",
        role="night agent",
        level=Level.OPERATIONAL,
        manager_id="alpha-lead",
    )
    day = Person(id="d1", name="Dan Day", role="Service desk agent", level=Level.OPERATIONAL)
    lead = hub.people.get("alpha-lead")
    assert hub.hook.select_form(hub=hub, cycle=cycle, person=night).id == "night"
    assert hub.hook.select_form(hub=hub, cycle=cycle, person=day).id == "agent"
    assert hub.hook.select_form(hub=hub, cycle=cycle, person=lead).id == "supervisor"
    assert reviews.find(hub, cycle, "boss", "self").review.form.id == "director"


class OrgForms:
    """An organization's plugin: its own form, and its own rule for choosing forms."""

    def __init__(self, replaces: bool):
        self.replaces = replaces

    @hookimpl
    def register_forms(self, hub):
        form = forms.parse_form(SMALL_FORM.format(id="agent", title="Org agent form"), source="org")
        return [attrs.evolve(form, replaces=self.replaces)]

    @hookimpl
    def select_form(self, hub, cycle, person):
        return forms.get_form(hub, "agent") if person.id == "boss" else None


def test_another_plugins_form_must_say_it_replaces(hub, plugin, register_plugin):
    register_plugin(OrgForms(replaces=False), name="org")
    with pytest.raises(DuplicateRegistrationError, match="registered by both plugin"):
        forms.all_forms(hub)


def test_an_organization_plugin_overrides_forms_and_the_choice(hub, plugin, register_plugin, team):
    register_plugin(OrgForms(replaces=True), name="org")
    assert forms.all_forms(hub)["agent"].title == "Org agent form"
    hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    cycle = hub.cycles.open("2026 H1").cycle
    assert reviews.find(hub, cycle, "boss", "self").review.form.title == "Org agent form"
    assert reviews.find(hub, cycle, "alpha-lead", "self").review.form.id == "supervisor"


def test_a_review_keeps_the_form_it_started_with(hub, plugin, cycle, cli):
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "agent.yaml").write_text(
        SMALL_FORM.format(id="agent", title="Changed later"), encoding="utf-8"
    )
    assert forms.all_forms(hub)["agent"].title == "Changed later"
    review = reviews.find(hub, cycle, "alpha-01", "self").review
    assert review.form.title == "Service desk agent review"
    assert "communication" in yaml_answers(cli("--as", "alpha-01", "review", "export").stdout)


def yaml_answers(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)["answers"]


def test_no_fitting_form_stops_the_cycle_from_opening(hub, plugin):
    folder = hub.path("forms")
    hub.people.save([Person(id="x1", name="X", role="Courier", level=Level.OPERATIONAL)])
    hub.cycles.create("C", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), scope=["person:x1"])
    folder.mkdir(exist_ok=True)
    # Replace the agent form with one for another level: nothing fits an operational courier.
    (folder / "agent.yaml").write_text(
        SMALL_FORM.format(id="agent", title="A").replace("[operational]", "[directive]"),
        encoding="utf-8",
    )
    with pytest.raises(Exception, match="no review form fits x1"):
        hub.cycles.open("C")
    assert hub.cycles.get("C").status.value == "draft"


def test_settings_default_form(hub, plugin, workspace):
    hub.config.settings["self_assessment"] = {"default_form": "agent"}
    hub.reload_settings()
    courier = Person(id="x1", name="X", role="Courier", level=Level.OPERATIONAL)
    folder = hub.path("forms")
    folder.mkdir(exist_ok=True)
    (folder / "agent.yaml").write_text(
        SMALL_FORM.format(id="agent", title="A").replace("[operational]", "[directive]"),
        encoding="utf-8",
    )
    chosen = forms.choose_form(hub, courier, hub.settings("self_assessment").default_form)
    assert isinstance(chosen, Form) and chosen.id == "agent"


def test_parse_form_rejects_semantic_mistakes():
    text = SMALL_FORM.format(id="Bad Id", title="T").replace(
        "type: text,", "type: text, choices: [a, b],"
    )
    with pytest.raises(ValidationError) as info:
        forms.parse_form(text, source="forms/x.yaml")
    assert (
        "forms/x.yaml: id: 'Bad Id' must be lowercase letters, digits, - or _"
        in info.value.problems
    )
    assert (
        "forms/x.yaml: sections[0].questions[1].choices: only choice questions have choices"
        in info.value.problems
    )


def test_structure_meaning_and_references_of_a_form_come_in_one_run(hub, plugin):
    text = """
id: agent
title: Agent review
bogus: 1
scales:
  five: {points: [{value: 1, label: Poor}, {value: 2, label: Good}]}
sections:
  - id: basics
    title: Basics
    weight: -2
    questions:
      - {id: q1, text: Listens, type: rating, scale: ten}
      - {id: q2, text: Other, type: rating, scale: five, weight: heavy}
  - id: more
    title: More
    questions: not a list
"""
    with pytest.raises(ValidationError) as info:
        forms.parse_form(text, source="forms/agent.yaml")
    found = info.value.problems
    assert found == [
        "forms/agent.yaml: sections[0].questions[1].weight: expected a number, got 'heavy'",
        "forms/agent.yaml: sections[1].questions: expected a list of mappings, got a single value",
        "forms/agent.yaml: bogus: unknown key",
        "forms/agent.yaml: sections[0].weight: -2 must be greater than 0",
        "forms/agent.yaml: sections[0].questions[0].scale: unknown scale 'ten' (scales: five)",
    ]


def test_forms_registered_as_paths_or_records_are_read_by_corehubs_one_loader(
    hub, plugin, register_plugin, tmp_path
):
    """The plugin's forms are corehub's registered forms: a path is read by
    corehub.forms.load_form (its errors word for word), anything else is refused by name."""
    from corehub.forms import load_form, registered_forms

    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL_FORM.format(id="Bad Id", title="x"), encoding="utf-8")
    night = tmp_path / "night.yaml"
    night.write_text(SMALL_FORM.format(id="night", title="Night"), encoding="utf-8")

    class Registers:
        def __init__(self, *records):
            self.records = list(records)

        @hookimpl
        def register_forms(self, hub):
            return self.records

    register_plugin(Registers(str(night)), name="org")
    assert forms.all_forms(hub) == registered_forms(hub)
    assert forms.all_forms(hub)["night"] == load_form(night)
    hub.pm.unregister_named("org")

    register_plugin(Registers(broken), name="org")
    with pytest.raises(ValidationError) as ours:
        forms.all_forms(hub)
    with pytest.raises(ValidationError) as corehubs:
        load_form(broken)
    assert (ours.value.summary, ours.value.problems) == (
        corehubs.value.summary,
        corehubs.value.problems,
    )
    hub.pm.unregister_named("org")

    register_plugin(Registers({"id": "night"}), name="org")
    with pytest.raises(ValidationError, match="register_forms returned dict"):
        forms.all_forms(hub)
