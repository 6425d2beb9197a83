"""The catalogue: shipped courses, the workspace's courses/ folder, other plugins' courses."""

from __future__ import annotations

import pytest

from corehub import hookimpl
from corehub.errors import DuplicateRegistrationError
from corehub.models import Course, Delivery, Level, TrainingRule

ISSUE_COURSES = {
    "induction",
    "moments-of-truth",
    "active-listening",
    "complaint-handling",
    "stress-handling",
    "clear-writing",
    "kcs-basics",
    "supervisor-coaching",
    "service-strategy",
}


def courses_by_id(cli):
    result = cli("training", "courses", "--json")
    assert result.exit_code == 0, result.output
    return {c["id"]: c for c in result.json()}


def test_shipped_catalogue_covers_the_help_desk_courses(tracker, cli):
    courses = courses_by_id(cli)
    assert set(courses) >= ISSUE_COURSES
    assert courses["supervisor-coaching"]["levels"] == ["supervisory"]
    assert courses["service-strategy"]["levels"] == ["directive"]
    assert courses["data-protection"]["validity_months"] == 12
    assert courses["complaint-handling"]["prerequisites"] == ["active-listening"]
    assert "active_listening" in courses["active-listening"]["competencies"]
    for course in courses.values():
        assert course["title"] and course["description"]
        assert course["delivery"] in {d.value for d in Delivery}


def test_workspace_course_replaces_shipped_one_and_adds_new(tracker, cli, courses_dir):
    (courses_dir / "ours.yaml").write_text(
        """
courses:
  - id: induction
    title: Nordlys induction week
    levels: operational
    duration_hours: 40
    delivery: classroom
  - id: itil-foundation
    title: ITIL 4 Foundation
    validity_months: 36
    competencies: [problem_solving]
""",
        encoding="utf-8",
    )
    courses = courses_by_id(cli)
    assert courses["induction"]["title"] == "Nordlys induction week"
    assert courses["induction"]["levels"] == ["operational"]
    assert courses["itil-foundation"]["validity_months"] == 36
    assert "moments-of-truth" in courses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("courses:\n  - id: x\n    title: X\n    validity_months: soon\n", "validity_months"),
        ("courses:\n  - id: x\n    title: X\n    delivery: telepathy\n", "delivery: 'telepathy'"),
        ("courses:\n  - id: x\n    title: X\n    levels: [boss]\n", "levels[0]: 'boss'"),
        ("courses:\n  - id: x\n    title: X\n    lenght: 3\n", "lenght: unknown key"),
        ("courses:\n  - id: x\n    title: ''\n", "title: empty"),
        ("courses:\n  - title: No id\n", "id: missing"),
        ("courses:\n  - id: x\n    title: X\n    validity_months: 0\n", "validity_months: 0"),
        ("courses: [\n  bad", "line"),
        ("lessons: []\n", "unknown key"),
        (
            "rules:\n  - id: r\n    course_id: induction\n    recertify_months: -1\n",
            "recertify_months",
        ),
    ],
)
def test_bad_catalogue_file_names_file_and_field(tracker, cli, courses_dir, text, expected):
    (courses_dir / "broken.yaml").write_text(text, encoding="utf-8")
    result = cli("training", "courses")
    assert result.exit_code == 1
    assert "broken.yaml" in result.stderr
    assert expected in result.stderr


def test_prerequisite_loop_is_an_error_and_nothing_is_assigned(tracker, team, cli, courses_dir):
    (courses_dir / "loop.yaml").write_text(
        """
courses:
  - {id: a-course, title: A, prerequisites: [b-course]}
  - {id: b-course, title: B, prerequisites: [c-course]}
  - {id: c-course, title: C, prerequisites: [a-course]}
""",
        encoding="utf-8",
    )
    result = cli("training", "sync")
    assert result.exit_code == 1
    assert "prerequisite loop: a-course -> b-course -> c-course -> a-course" in result.stderr
    assert tracker.db["training_assignments"].count == 0


def test_unknown_prerequisite_and_rule_course_are_errors(tracker, cli, courses_dir):
    (courses_dir / "refs.yaml").write_text(
        """
courses:
  - {id: advanced, title: Advanced, prerequisites: [actve-listening]}
rules:
  - {id: everyone-advanced, course: advnced}
""",
        encoding="utf-8",
    )
    result = cli("training", "courses")
    assert result.exit_code == 1
    assert "unknown course 'actve-listening' (did you mean 'active-listening'?)" in result.stderr
    assert "rule 'everyone-advanced', course_id: unknown course 'advnced'" in result.stderr


class OrgCourses:
    """An organization's plugin adding a course and a team rule with a date."""

    def __init__(self, *, replaces: bool = False, course_id: str = "phone-system-2027"):
        self.replaces = replaces
        self.course_id = course_id

    @hookimpl
    def register_courses(self, hub):
        return [
            Course(
                id=self.course_id,
                title="The new phone system",
                levels=(Level.OPERATIONAL,),
                delivery=Delivery.ON_THE_JOB,
                replaces=self.replaces,
            )
        ]

    @hookimpl
    def register_training_rules(self, hub):
        import datetime as dt

        return [
            TrainingRule(
                id="alpha-phone-system",
                course_id=self.course_id,
                teams=("alpha",),
                due=dt.date(2026, 4, 30),
            )
        ]


def test_other_plugin_courses_and_team_rule_with_date(tracker, team, cli, register_plugin):
    register_plugin(OrgCourses(), name="org")
    assert "phone-system-2027" in courses_by_id(cli)
    assert cli("training", "sync").exit_code == 0
    rows = cli("training", "status", "--json").json()
    phone = [r for r in rows if r["course_id"] == "phone-system-2027"]
    assert {r["person_id"] for r in phone} == {"alpha-lead", "alpha-01", "alpha-02", "alpha-03"}
    assert {r["due"] for r in phone} == {"2026-04-30"}
    assert {r["source"] for r in phone} == {"rule:alpha-phone-system"}


def test_same_course_id_from_two_plugins_names_both(tracker, cli, register_plugin):
    register_plugin(OrgCourses(course_id="induction"), name="org")
    result = cli("training", "courses")
    assert result.exit_code == 1
    assert "'training_tracker'" in result.stderr and "'org'" in result.stderr
    assert "replaces=True" in result.stderr


def test_replaces_true_wins_over_the_shipped_course(tracker, cli, register_plugin):
    register_plugin(OrgCourses(course_id="induction", replaces=True), name="org")
    assert courses_by_id(cli)["induction"]["title"] == "The new phone system"


def test_duplicate_error_type_from_library(tracker, register_plugin):
    from corehub_training_tracker.catalogue import load_catalogue

    register_plugin(OrgCourses(course_id="induction"), name="org")
    with pytest.raises(DuplicateRegistrationError):
        load_catalogue(tracker)


def test_shipped_rules_can_be_switched_off(tracker, team, hub_with_settings):
    other, run = hub_with_settings(use_shipped_rules=False, disabled_rules=["induction-new-hires"])
    assert run("training", "sync").exit_code == 0
    assert other.db["training_assignments"].count == 0


def test_disabled_rule_is_not_applied(tracker, team, hub_with_settings):
    other, run = hub_with_settings(disabled_rules=["everyone-data-protection"])
    assert run("training", "sync").exit_code == 0
    courses = {r["course_id"] for r in other.db["training_assignments"].rows}
    assert "data-protection" not in courses
    assert "active-listening" in courses


def test_a_broken_item_does_not_hide_meaning_and_reference_problems(tracker, cli, courses_dir):
    (courses_dir / "mixed.yaml").write_text(
        """
courses:
  - {id: advanced, title: Advanced, duration_hours: lots, validity_months: 0}
  - {id: expert, title: Expert, prerequisites: [advnced-x]}
rules:
  - {id: everyone-expert, course: exprt}
""",
        encoding="utf-8",
    )
    result = cli("training", "courses")
    assert result.exit_code == 1
    err = result.stderr
    assert "courses[0] (id 'advanced'), duration_hours: expected a number, got 'lots'" in err
    assert "courses[0] (id 'advanced'), validity_months: 0 must be at least 1" in err
    assert "courses[1], prerequisites: unknown course 'advnced-x'" in err
    assert "rules[0], course_id: unknown course 'exprt' (did you mean 'expert'?)" in err
