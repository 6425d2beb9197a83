"""From reviews to training: low manager ratings become recommendations, accepted or dismissed."""

from __future__ import annotations

import datetime as dt

import pytest

from corehub import hookimpl
from corehub.errors import PluginError
from corehub.models import (
    Form,
    Question,
    QuestionType,
    Recommendation,
    Review,
    ReviewKind,
    ReviewStatus,
    Scale,
    ScalePoint,
    Section,
)

FIVE = Scale(id="performance", points=tuple(ScalePoint(value=v, label=str(v)) for v in range(1, 6)))
TEN = Scale(id="ten", points=tuple(ScalePoint(value=v, label=str(v)) for v in range(1, 11)))
ZERO_FOUR = Scale(id="zero-four", points=tuple(ScalePoint(value=v, label=str(v)) for v in range(5)))


def rating(qid, competency, scale="performance"):
    return Question(id=qid, text=qid, type=QuestionType.RATING, scale=scale, competency=competency)


FORM = Form(
    id="agent",
    title="Agent review",
    scales={"performance": FIVE, "ten": TEN, "zero-four": ZERO_FOUR},
    sections=(
        Section(
            id="customers",
            title="Customers",
            questions=(
                rating("listening", "active_listening"),
                rating("complaints", "complaint_handling"),
                rating("stress", "stress_handling"),
                rating("writing", "communication", scale="ten"),
                rating("kcs", "knowledge_sharing", scale="zero-four"),
                Question(id="notes", text="Notes", type=QuestionType.TEXT),
            ),
        ),
    ),
)


@pytest.fixture
def cycle(tracker):
    return tracker.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))


def review(cycle, answers, *, kind=ReviewKind.MANAGER, subject="alpha-01", review_id=7):
    return Review(
        id=review_id,
        cycle_id=cycle.id,
        kind=kind,
        subject_id=subject,
        author_id="alpha-lead",
        form=FORM,
        answers=answers,
        status=ReviewStatus.SUBMITTED,
    )


def submit(hub, the_review):
    hub.hook.review_submitted(hub=hub, review=the_review)


def pending(cli, *args):
    result = cli("training", "recommendations", *args, "--json")
    assert result.exit_code == 0, result.output
    return result.json()


def test_low_manager_ratings_become_pending_recommendations(tracker, team, cli, cycle):
    submit(
        tracker,
        review(
            cycle,
            {"listening": 2, "complaints": 1, "stress": 3, "writing": 9, "kcs": None, "notes": "x"},
        ),
    )
    recs = pending(cli, "--cycle", "2026 H1")
    by_course = {r["course_id"]: r for r in recs}
    # active_listening 2 -> active-listening; complaint_handling 1 -> complaint-handling
    assert set(by_course) == {"active-listening", "complaint-handling"}
    assert by_course["complaint-handling"]["competency"] == "complaint_handling"
    assert "complaint handling rated 1 of 5" in by_course["complaint-handling"]["reason"]
    assert {r["person_id"] for r in recs} == {"alpha-01"}
    assert {r["review_id"] for r in recs} == {7}


def test_not_rated_is_never_low_and_self_reviews_recommend_nothing(tracker, team, cli, cycle):
    submit(tracker, review(cycle, {"listening": None}))
    submit(
        tracker, review(cycle, {"listening": 1, "complaints": 1}, kind=ReviewKind.SELF, review_id=8)
    )
    assert pending(cli) == []


def test_submitting_twice_stores_once(tracker, team, cli, cycle):
    the_review = review(cycle, {"listening": 1})
    submit(tracker, the_review)
    submit(tracker, the_review)
    submit(tracker, review(cycle, {"listening": 2}, review_id=9))
    assert len(pending(cli)) == 1


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (
            {"writing": 3},
            {"clear-writing", "moments-of-truth", "active-listening"},
        ),  # 3 of 10 is low
        ({"writing": 4}, set()),
        ({"kcs": 1}, {"kcs-basics"}),  # 1 of 0-4 is low
        ({"kcs": 2}, set()),
    ],
)
def test_thresholds_follow_the_scale_range(tracker, team, cli, cycle, answers, expected):
    submit(tracker, review(cycle, answers))
    assert {r["course_id"] for r in pending(cli)} == expected


def test_threshold_setting(tracker, team, cycle, hub_with_settings):
    other, run = hub_with_settings(low_rating_threshold=3)
    submit(other, review(cycle, {"stress": 3, "listening": 4}))
    assert {r["course_id"] for r in run("training", "recommendations", "--json").json()} == {
        "stress-handling"
    }


def test_per_scale_threshold_in_the_scales_own_values(tracker, team, cycle, hub_with_settings):
    other, run = hub_with_settings(low_rating_thresholds={"ten": 6})
    submit(other, review(cycle, {"writing": 6, "stress": 3}))
    assert {r["course_id"] for r in run("training", "recommendations", "--json").json()} == {
        "clear-writing",
        "moments-of-truth",
        "active-listening",
    }


def test_courses_held_or_open_are_not_recommended(tracker, team, cli, cycle):
    cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        "active-listening",
        "--date",
        "2026-01-15",
    )
    cli(
        "training",
        "assign",
        "--course",
        "complaint-handling",
        "--person",
        "alpha-01",
        "--due",
        "2026-04-01",
    )
    submit(tracker, review(cycle, {"listening": 1, "complaints": 1, "stress": 1}))
    assert {r["course_id"] for r in pending(cli)} == {"stress-handling"}


def test_courses_for_another_level_are_not_recommended(tracker, team, cli, cycle):
    # complaint-handling is for operational staff only; alpha-lead is supervisory
    submit(tracker, review(cycle, {"complaints": 1}, subject="alpha-lead"))
    assert pending(cli) == []


class OtherRecommender:
    def __init__(self, course_id="product-update", person_id=None):
        self.course_id = course_id
        self.person_id = person_id

    @hookimpl
    def recommend_training(self, hub, person, review):
        return [
            Recommendation(
                person_id=self.person_id or person.id,
                course_id=self.course_id,
                reason="new ticketing system in April",
                review_id=review.id,
            )
        ]


def test_any_plugin_may_recommend(tracker, team, cli, cycle, register_plugin):
    register_plugin(OtherRecommender(), name="org")
    submit(tracker, review(cycle, {"listening": 5}))
    (rec,) = pending(cli, "--cycle", "2026 H1")
    assert rec["course_id"] == "product-update" and rec["reason"] == "new ticketing system in April"


def test_a_recommendation_of_an_unknown_course_is_an_error(tracker, team, cycle, register_plugin):
    register_plugin(OtherRecommender(course_id="time-travel"), name="org")
    with pytest.raises(PluginError, match="unknown course 'time-travel'"):
        submit(tracker, review(cycle, {"listening": 1}))
    assert tracker.db["training_recommendations"].count == 0


def test_a_recommendation_for_someone_else_is_an_error(tracker, team, cycle, register_plugin):
    register_plugin(OtherRecommender(person_id="alpha-02"), name="org")
    with pytest.raises(PluginError, match="not the person reviewed"):
        submit(tracker, review(cycle, {}))


def test_accept_turns_a_recommendation_into_an_assignment(tracker, team, cli, cycle):
    submit(tracker, review(cycle, {"stress": 1}))
    (rec,) = pending(cli)
    result = cli("training", "accept", str(rec["id"]), "--due", "2026-05-01")
    assert result.exit_code == 0, result.output
    rows = cli("training", "status", "--person", "alpha-01", "--json").json()
    (assignment,) = [r for r in rows if r["course_id"] == "stress-handling"]
    assert assignment["source"] == "recommendation" and assignment["due"] == "2026-05-01"
    assert pending(cli) == []
    (accepted,) = pending(cli, "--status", "accepted")
    assert accepted["assignment_id"] == assignment["id"]
    again = cli("training", "accept", str(rec["id"]))
    assert again.exit_code == 1 and "already accepted" in again.stderr


def test_accept_links_to_an_assignment_made_meanwhile(tracker, team, cli, cycle):
    submit(tracker, review(cycle, {"stress": 1}))
    (rec,) = pending(cli)
    cli(
        "training",
        "assign",
        "--course",
        "stress-handling",
        "--person",
        "alpha-01",
        "--due",
        "2026-04-01",
    )
    assert cli("training", "accept", str(rec["id"])).exit_code == 0
    assert tracker.db["training_assignments"].count == 1


def test_dismiss_needs_a_reason_and_keeps_it(tracker, team, cli, cycle):
    submit(tracker, review(cycle, {"stress": 1}))
    (rec,) = pending(cli)
    assert cli("training", "dismiss", str(rec["id"])).exit_code != 0
    result = cli(
        "training", "dismiss", str(rec["id"]), "--reason", "stress came from a one-off project"
    )
    assert result.exit_code == 0, result.output
    (dismissed,) = pending(cli, "--status", "dismissed")
    assert dismissed["decision_reason"] == "stress came from a one-off project"
    assert tracker.db["training_assignments"].count == 0
    assert cli("training", "accept", str(rec["id"])).exit_code == 1


def test_recommendations_for_a_manager_only(tracker, team, cli, cycle, make_people):
    make_people(team="beta", agents=1)
    submit(tracker, review(cycle, {"stress": 1}))
    submit(tracker, review(cycle, {"stress": 1}, subject="beta-01", review_id=11))
    assert {r["person_id"] for r in pending(cli, "--manager", "alpha-lead")} == {"alpha-01"}
    assert {r["person_id"] for r in pending(cli, "--manager", "beta-lead")} == {"beta-01"}
    table = cli("training", "recommendations", "--cycle", "2026 H1").stdout
    assert "stress-handling" in table and "beta-01" in table
    assert cli("training", "recommendations", "--cycle", "2031").exit_code == 1


def test_only_a_manager_may_accept(tracker, team, cli, cycle):
    from corehub.testing import run_cli

    submit(tracker, review(cycle, {"stress": 1}))
    (rec,) = pending(cli)
    tracker.actor = "alpha-02"
    result = run_cli(tracker, "training", "accept", str(rec["id"]))
    assert result.exit_code == 1 and "does not manage" in result.stderr
    tracker.actor = "alpha-lead"
    assert run_cli(tracker, "training", "accept", str(rec["id"])).exit_code == 0


def test_completing_the_course_settles_its_pending_recommendation(tracker, team, cli, cycle, clock):
    submit(tracker, review(cycle, {"stress": 1}))
    (rec,) = pending(cli)
    done = cli(
        "training",
        "complete",
        "--person",
        "alpha-01",
        "--course",
        rec["course_id"],
        "--date",
        clock.today().isoformat(),
    )
    assert done.exit_code == 0, done.output
    assert pending(cli) == []
    assert pending(cli, "--status", "dismissed") == []
    (settled,) = pending(cli, "--status", "completed")
    assert settled["decision_reason"] == f"completed on {clock.today().isoformat()}"
    refused = cli("training", "dismiss", str(settled["id"]), "--reason", "late")
    assert refused.exit_code != 0 and "already done: its course was completed" in refused.stderr


def test_upgrading_marks_recommendations_settled_by_a_completion_as_completed(tmp_path):
    """Workspaces made before `completed` existed: a recommendation the plugin settled when
    its course was completed becomes `completed`; one a manager dismissed stays dismissed."""
    import sqlite_utils

    from corehub_training_tracker.migrations import (
        m001_training_tables,
        m002_recommendations_completed,
    )

    db = sqlite_utils.Database(tmp_path / "old.db")
    db.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT, actor TEXT, action TEXT,"
        " entity TEXT, entity_id TEXT, cycle_id INTEGER, before TEXT, after TEXT, reason TEXT)"
    )
    m001_training_tables(db)
    for rec_id, reason in ((1, "completed on 2026-03-01"), (2, "not needed")):
        db["training_recommendations"].insert(
            {
                "id": rec_id,
                "person_id": "alpha-01",
                "course_id": f"c{rec_id}",
                "reason": "x",
                "status": "dismissed",
                "created_at": "2026-02-01",
                "decision_reason": reason,
            }
        )
    db["events"].insert(
        {
            "action": "training.recommendation_settled",
            "entity": "training_recommendation",
            "entity_id": "1",
        }
    )
    m002_recommendations_completed(db)
    statuses = {r["id"]: r["status"] for r in db["training_recommendations"].rows}
    assert statuses == {1: "completed", 2: "dismissed"}
    db["training_recommendations"].update(2, {"status": "completed"})  # now allowed
