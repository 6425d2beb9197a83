"""``corehub review fill``: answering at the terminal."""

from __future__ import annotations

from corehub_self_assessment import reviews

AGENT_SELF_ORDER = [
    "communication",
    "active_listening",
    "complaint_handling",
    "problem_solving",
    "product_knowledge",
    "stress_handling",
    "knowledge_sharing",
    "teamwork",
    "examples",
    # goals_last: no earlier goals, nothing asked
    "strengths",
    "improvements",
    # goals_next: objective, result, due, then an empty objective
    "suggestions",
]


def test_fill_interactively_and_submit(hub, cycle, cli):
    lines = [
        "4",
        "9",
        "5",  # 9 is off the scale: asked again
        "3",
        "4",
        "3",
        "n/a",
        "2",
        "4",
        "Ticket 4411: calmed a customer after an outage",
        "Patience",
        "Knowledge articles",
        "Faster first replies",
        "First reply within 1 hour on 90% of tickets",
        "2026-13-01",
        "2026-12-31",
        "",
        "Shared macros for password resets",
        "y",
    ]
    result = cli("--as", "alpha-01", "review", "fill", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "9 is outside the scale" in result.output
    assert "not a date" in result.output
    review = reviews.find(hub, cycle, "alpha-01", "self").review
    assert review.status.value == "submitted"
    assert review.answers["active_listening"] == 5
    assert review.answers["stress_handling"] == "n/a"
    assert review.answers["goals_next"] == [
        {
            "objective": "Faster first replies",
            "result": "First reply within 1 hour on 90% of tickets",
            "due": "2026-12-31",
        }
    ]


def test_fill_keeps_answers_on_enter_and_saves_a_draft(hub, cycle, cli):
    reviews.save_draft(
        hub, cycle, "alpha-01", "self", {"communication": 2, "strengths": "Calm"}, actor="alpha-01"
    )
    # Enter everywhere, no goals, then "n" to the submit question.
    result = cli("--as", "alpha-01", "review", "fill", input="\n" * 14 + "n\n")
    assert result.exit_code == 0, result.output
    assert "Saved alpha-01's self-assessment as a draft" in result.output
    assert "active_listening: required" in result.output
    review = reviews.find(hub, cycle, "alpha-01", "self").review
    assert review.status.value == "draft"
    assert review.answers == {"communication": 2, "strengths": "Calm"}


def test_fill_for_someone_else_is_refused_before_any_question(hub, cycle, cli):
    result = cli("--as", "alpha-02", "review", "fill", "--person", "alpha-01", input="4\n")
    assert result.exit_code != 0
    assert "only alpha-01 can" in result.stderr
    assert "Answer" not in result.output


def test_manager_fill_asks_for_the_private_note(hub, cycle, cli, clock):
    clock.set("2026-03-25")
    # 13 questions, no goals, the answer to the suggestions, then the note.
    answers = "\n" * 15 + "Keep an eye on escalations\n" + "n\n"
    result = cli(
        "--as",
        "alpha-lead",
        "review",
        "fill",
        "--person",
        "alpha-01",
        "--kind",
        "manager",
        input=answers,
    )
    assert result.exit_code == 0, result.output
    assert "never shown to alpha-01" in result.output
    review = reviews.find(hub, cycle, "alpha-01", "manager").review
    assert reviews.private_note(hub, review, actor="alpha-lead") == "Keep an eye on escalations"
    assert reviews.private_note(hub, review, actor="alpha-01") is None


def test_fill_names_the_form_in_words_not_as_a_python_object(hub, cycle, cli):
    result = cli("--as", "alpha-01", "review", "fill", input="\n" * 40 + "n\n")
    assert "form 'Service desk agent review'" in result.output
    assert "Text(" not in result.output and "{'en'" not in result.output
