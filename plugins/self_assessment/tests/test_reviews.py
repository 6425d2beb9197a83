"""The review life cycle through the command line and the library, as a user meets it."""

from __future__ import annotations

import pytest
import yaml

from corehub import hookimpl
from corehub.errors import FrozenError, PermissionDeniedError, ValidationError
from corehub.models import QuestionType, TaskStatus
from corehub_self_assessment import reviews


def fill_file(cli, tmp_path, actor, person, kind, answers, **extra):
    """Export the fill-in file as ``actor``, put ``answers`` in, and write it to disk."""
    result = cli("--as", actor, "review", "export", "--person", person, "--kind", kind)
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    data["answers"].update(answers)
    data.update(extra)
    path = tmp_path / f"{person}-{kind}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_export_lists_every_question_with_its_scale(hub, cycle, cli):
    result = cli("--as", "alpha-01", "review", "export")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.stdout)
    assert (data["cycle"], data["person"], data["kind"], data["form"]) == (
        "2026 H1",
        "alpha-01",
        "self",
        "agent",
    )
    form = reviews.find(hub, cycle, "alpha-01", "self").review.form
    asked = {q.id for _, q in form.questions() if str(q.audience) in ("both", "self")}
    assert set(data["answers"]) == asked
    assert "overall" not in data["answers"]  # a manager-only question
    assert "# Scale: 1 Needs improvement, 2 Developing" in result.stdout
    assert "private_note" not in result.stdout


def test_full_cycle_through_the_command_line(hub, cycle, cli, tmp_path, answers):
    path = fill_file(cli, tmp_path, "alpha-01", "alpha-01", "self", answers["self"])
    saved = cli("--as", "alpha-01", "review", "import", str(path))
    assert saved.exit_code == 0, saved.output
    assert "as a draft" in saved.stdout

    # The draft is the author's alone: the manager cannot read it yet.
    hidden = cli("--as", "alpha-lead", "review", "show", "--person", "alpha-01", "--json")
    assert hidden.exit_code == 0, hidden.output
    assert "self" not in hidden.json()["reviews"]
    assert "not submitted yet" in hidden.json()["hidden"]["self"]

    submitted = cli("--as", "alpha-01", "review", "submit")
    assert submitted.exit_code == 0, submitted.output
    task = hub.cycles.task(cycle, "self", "alpha-01")
    assert task.status is TaskStatus.DONE
    manager_task = hub.cycles.task(cycle, "manager", "alpha-lead", "alpha-01")
    assert hub.cycles.is_available(manager_task)

    seen = cli("--as", "alpha-lead", "review", "show", "--person", "alpha-01", "--json").json()
    assert seen["reviews"]["self"]["status"] == "submitted"

    path = fill_file(
        cli,
        tmp_path,
        "alpha-lead",
        "alpha-01",
        "manager",
        answers["manager"],
        private_note="Watch the AHT trend.",
    )
    done = cli("--as", "alpha-lead", "review", "import", str(path), "--submit")
    assert done.exit_code == 0, done.output

    # Submitted but not released: the employee sees neither answers nor note.
    mine = cli("--as", "alpha-01", "review", "show", "--json").json()
    assert "manager" not in mine["reviews"]
    assert "not released yet" in mine["hidden"]["manager"]

    released = cli("--as", "alpha-lead", "review", "release", "--person", "alpha-01")
    assert released.exit_code == 0, released.output
    mine = cli("--as", "alpha-01", "review", "show", "--json")
    view = mine.json()
    assert view["reviews"]["manager"]["status"] == "released"
    assert "private_note" not in view["reviews"]["manager"]
    assert "Watch the AHT trend" not in mine.stdout
    flagged = {g["competency"] for g in view["competency_gaps"] if g["flagged"]}
    assert flagged == {"active_listening"}  # self 5, manager 3

    manager_view = cli("--as", "alpha-lead", "review", "show", "--person", "alpha-01").stdout
    assert "Watch the AHT trend." in manager_view
    director_view = cli("--as", "boss", "review", "show", "--person", "alpha-01", "--json").json()
    # The director above the manager sees the review, not its author's private note.
    assert director_view["reviews"]["manager"]["status"] == "released"
    assert "private_note" not in director_view["reviews"]["manager"]

    commented = cli(
        "--as", "alpha-01", "review", "comment", "I see the listening point differently."
    )
    assert commented.exit_code == 0, commented.output
    acked = cli("--as", "alpha-01", "review", "acknowledge")
    assert acked.exit_code == 0, acked.output
    assert hub.cycles.task(cycle, "acknowledge", "alpha-01").status is TaskStatus.DONE
    final = cli("--as", "alpha-01", "review", "show", "--json").json()
    assert final["reviews"]["manager"]["status"] == "acknowledged"
    assert [c["text"] for c in final["comments"]] == ["I see the listening point differently."]


def test_manager_review_waits_for_the_self_assessment_or_its_due_date(hub, cycle, clock, answers):
    try:
        reviews.save_draft(
            hub, cycle, "alpha-02", "manager", {"communication": 3}, actor="alpha-lead"
        )
    except PermissionDeniedError as exc:
        assert "2026-03-20" in str(exc)
    else:
        raise AssertionError("the manager review opened before the self-assessment")
    clock.set("2026-03-21")  # the self-assessment is now overdue
    saved = reviews.save_draft(
        hub, cycle, "alpha-02", "manager", {"communication": 3}, actor="alpha-lead"
    )
    assert saved.answers == {"communication": 3}


def test_bad_answers_are_listed_and_nothing_is_saved(hub, cycle, cli, tmp_path):
    path = fill_file(
        cli,
        tmp_path,
        "alpha-01",
        "alpha-01",
        "self",
        {
            "communication": 7,
            "teamwork": "great",
            "no_such_question": 3,
            "overall": "met expectations",
        },
    )
    text = path.read_text(encoding="utf-8")
    result = cli("--as", "alpha-01", "review", "import", str(path))
    assert result.exit_code != 0
    name = path.name
    assert f"{name}: answers.communication: 7 is outside the scale 'performance'" in result.stderr
    assert f"{name}: answers.teamwork: 'great' is not a point on the scale" in result.stderr
    assert f"{name}: answers.no_such_question: unknown question" in result.stderr
    assert (
        f"{name}: answers.overall: this question is answered in the manager review only"
        in result.stderr
    )
    assert reviews.find(hub, cycle, "alpha-01", "self").review.answers == {}
    assert path.read_text(encoding="utf-8") == text


def test_submit_lists_every_missing_required_answer(hub, cycle, cli):
    reviews.save_draft(hub, cycle, "alpha-01", "self", {"communication": 4}, actor="alpha-01")
    result = cli("--as", "alpha-01", "review", "submit")
    assert result.exit_code != 0
    for problem in ("active_listening: required", "strengths: required", "goals_next: required"):
        assert problem in result.stderr
    stored = reviews.find(hub, cycle, "alpha-01", "self").review
    assert stored.status.value == "draft"
    assert hub.cycles.task(cycle, "self", "alpha-01").status is TaskStatus.OPEN


def test_goals_need_a_measurable_result_and_a_due_date(hub, cycle, answers):
    vague = {**answers["self"], "goals_next": [{"objective": "Be better"}]}
    reviews.save_draft(hub, cycle, "alpha-01", "self", vague, actor="alpha-01")
    try:
        reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    except ValidationError as exc:
        assert "goals_next[0].result: a goal needs a measurable result" in exc.problems
        assert "goals_next[0].due: a goal needs a due date" in exc.problems
    else:
        raise AssertionError("a vague goal was accepted")
    try:
        reviews.save_draft(
            hub,
            cycle,
            "alpha-01",
            "self",
            {"goals_next": [{"objective": "x", "due": "next week"}]},
            actor="alpha-01",
        )
    except ValidationError as exc:
        assert exc.problems == [
            "answers.goals_next[0].due: 'next week' is not a date (use YYYY-MM-DD)"
        ]
    else:
        raise AssertionError("a bad date was accepted")


def test_nobody_fills_in_or_submits_for_someone_else(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    other = cli("--as", "alpha-02", "review", "submit", "--person", "alpha-01")
    assert other.exit_code != 0
    assert "alpha-02 cannot submit alpha-01's self-assessment: only alpha-01 can" in other.stderr
    lead = cli("--as", "alpha-lead", "review", "submit", "--person", "alpha-01")
    assert "only alpha-01 can" in lead.stderr
    operator = cli("review", "submit", "--person", "alpha-01")
    assert "pass --as alpha-01" in operator.stderr
    assert reviews.find(hub, cycle, "alpha-01", "self").review.status.value == "draft"


def test_a_peer_cannot_read_someone_elses_review(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    peek = cli("--as", "alpha-02", "review", "show", "--person", "alpha-01")
    assert peek.exit_code != 0
    assert "may not see" in peek.stderr
    export = cli("--as", "alpha-02", "review", "export", "--person", "alpha-01")
    assert export.exit_code != 0
    assert "Calm with upset customers" not in export.output


def test_someone_outside_the_cycle_has_no_review(hub, cycle, cli, make_people):
    make_people(team="beta", agents=1)  # joined after the cycle opened
    result = cli("--as", "beta-01", "review", "export")
    assert result.exit_code != 0
    assert "beta-01 is not in cycle '2026 H1'" in result.stderr


def test_a_submitted_review_cannot_be_edited_until_reopened(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    try:
        reviews.save_draft(hub, cycle, "alpha-01", "self", {"communication": 1}, actor="alpha-01")
    except FrozenError as exc:
        assert "cannot be edited" in str(exc)
    else:
        raise AssertionError("a submitted review was edited")

    by_self = cli(
        "--as", "alpha-01", "review", "reopen", "--person", "alpha-01", "--reason", "typo"
    )
    assert by_self.exit_code != 0
    assert "manager or HR" in by_self.stderr
    no_reason = cli(
        "--as", "alpha-lead", "review", "reopen", "--person", "alpha-01", "--reason", " "
    )
    assert no_reason.exit_code != 0

    reopened = cli(
        "--as",
        "alpha-lead",
        "review",
        "reopen",
        "--person",
        "alpha-01",
        "--reason",
        "Wrong period rated",
    )
    assert reopened.exit_code == 0, reopened.output
    events = list(hub.audit.events(entity="review", action="review.reopened"))
    assert len(events) == 1
    assert events[0].actor == "alpha-lead"
    assert events[0].reason == "Wrong period rated"
    assert events[0].before["answers"]["communication"] == 4
    assert hub.cycles.task(cycle, "self", "alpha-01").status is TaskStatus.OPEN
    # Hidden from the manager again while it is a draft.
    assert (
        "self"
        not in cli("--as", "alpha-lead", "review", "show", "--person", "alpha-01", "--json").json()[
            "reviews"
        ]
    )

    edited = reviews.save_draft(
        hub, cycle, "alpha-01", "self", {"communication": 2}, actor="alpha-01"
    )
    assert edited.answers["communication"] == 2
    assert (
        reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01").status.value == "submitted"
    )


def test_database_refuses_edits_of_a_submitted_review(hub, cycle, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    review = reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    with pytest.raises(FrozenError, match="cannot be edited"), hub.atomic() as db:
        db.table("self_assessment_reviews").update(review.id, {"answers": "{}"})


def test_a_closed_cycle_is_frozen(hub, cycle, answers):
    hub.cycles.close(cycle.name, force=True, reason="end of test")
    with pytest.raises(FrozenError):
        reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")


class Listener:
    """A stand-in for the training tracker: looks for low-rated competencies on submit."""

    def __init__(self):
        self.low: list[tuple[str, str, list[str]]] = []

    @hookimpl
    def review_submitted(self, hub, review):
        low = [
            q.competency
            for _, q in review.form.questions()
            if q.type is QuestionType.RATING
            and isinstance(review.answers.get(q.id), int)
            and review.answers[q.id] <= 2
        ]
        self.low.append((review.kind.value, review.subject_id, low))


def test_review_submitted_carries_the_form_and_answers(hub, cycle, register_plugin, clock, answers):
    listener = register_plugin(Listener(), name="listener")
    clock.set("2026-03-21")
    reviews.save_draft(hub, cycle, "alpha-02", "manager", answers["manager"], actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-02", "manager", actor="alpha-lead")
    assert listener.low == [("manager", "alpha-02", ["knowledge_sharing"])]


class Failing:
    @hookimpl
    def review_submitted(self, hub, review):
        raise ValidationError("the listener refuses")


def test_a_failing_listener_rolls_the_submission_back(hub, cycle, register_plugin, answers):
    register_plugin(Failing(), name="failing")
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    with pytest.raises(ValidationError, match="the listener refuses"):
        reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    assert reviews.find(hub, cycle, "alpha-01", "self").review.status.value == "draft"
    assert hub.cycles.task(cycle, "self", "alpha-01").status is TaskStatus.OPEN


class ExtraRule:
    @hookimpl
    def validate_review(self, hub, review, form):
        if "ticket" not in (review.answers.get("examples") or ""):
            return ["examples: name at least one ticket"]
        return None


def test_other_plugins_validation_is_reported_with_ours(hub, cycle, register_plugin, answers):
    register_plugin(ExtraRule(), name="extra_rule")
    reviews.save_draft(
        hub, cycle, "alpha-01", "self", {**answers["self"], "teamwork": None}, actor="alpha-01"
    )
    try:
        reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    except ValidationError as exc:
        assert set(exc.problems) == {"teamwork: required", "examples: name at least one ticket"}
    else:
        raise AssertionError("submitted despite problems")


def test_tasks_for_the_person_their_manager_and_the_sign_off(hub, cycle):
    kinds = {
        (t.kind, t.assignee_id, t.subject_id, t.after)
        for t in hub.cycles.tasks(cycle, subject_id="alpha-01")
    }
    assert kinds == {
        ("self", "alpha-01", "alpha-01", ()),
        ("manager", "alpha-lead", "alpha-01", ("self",)),
        ("acknowledge", "alpha-01", "alpha-01", ("manager",)),
    }
    # The director has no manager: only a self-assessment.
    assert [t.kind for t in hub.cycles.tasks(cycle, subject_id="boss")] == ["self"]


def test_review_list_shows_what_each_person_is_concerned_with(hub, cycle, cli):
    mine = cli("--as", "alpha-01", "review", "list", "--json").json()
    assert {(r["person"], r["kind"]) for r in mine} == {
        ("alpha-01", "self"),
        ("alpha-01", "manager"),
    }
    assert next(r for r in mine if r["kind"] == "manager")["status"] == "in progress"
    lead = cli("--as", "alpha-lead", "review", "list", "--json").json()
    assert {r["person"] for r in lead} == {"alpha-lead", "alpha-01", "alpha-02", "alpha-03"}
    table = cli("--as", "alpha-lead", "review", "list")
    assert "alpha-03" in table.stdout


def test_goals_carry_over_to_the_next_cycle_for_their_outcome(hub, cycle, clock, cli, answers):
    import datetime as dt

    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    manager_goals = [
        {"objective": "Coach a new colleague", "result": "They pass induction", "due": "2026-10-01"}
    ]
    reviews.save_draft(
        hub,
        cycle,
        "alpha-01",
        "manager",
        {**answers["manager"], "goals_next": manager_goals},
        actor="alpha-lead",
    )
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    hub.cycles.close(cycle.name, force=True, reason="test")
    clock.set("2026-07-01")
    hub.cycles.create("2026 H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
    nxt = hub.cycles.open("2026 H2").cycle
    draft = reviews.find(hub, nxt, "alpha-01", "self").review
    assert draft.answers["goals_last"] == manager_goals  # the manager's goals win over one's own

    exported = cli("--as", "alpha-01", "review", "export", "--cycle", "2026 H2").stdout
    assert "Coach a new colleague" in exported
    try:
        reviews.save_draft(hub, nxt, "alpha-01", "self", answers["self"], actor="alpha-01")
        reviews.submit(hub, nxt, "alpha-01", "self", actor="alpha-01")
    except ValidationError as exc:
        assert exc.problems == ["goals_last[0].outcome: say what came of this goal"]
    else:
        raise AssertionError("the outcome of last period's goal was not asked for")
    outcome = [{**manager_goals[0], "outcome": "Met: Ana passed induction in August"}]
    reviews.save_draft(hub, nxt, "alpha-01", "self", {"goals_last": outcome}, actor="alpha-01")
    reviews.submit(hub, nxt, "alpha-01", "self", actor="alpha-01")
    history = cli("--as", "alpha-01", "review", "goals", "--json").json()
    assert {"cycle": "2026 H2", "outcome": "Met: Ana passed induction in August"}.items() <= next(
        h for h in history if h["looking_back"]
    ).items()


def test_a_fill_in_file_reports_its_keys_and_its_answers_in_one_run(hub, cycle, cli, tmp_path):
    path = fill_file(
        cli, tmp_path, "alpha-01", "alpha-01", "self", {"communication": 9}, notes="typo key"
    )
    result = cli("--as", "alpha-01", "review", "import", str(path))
    assert result.exit_code == 1
    assert "alpha-01-self.yaml: notes: unknown key" in result.stderr
    assert "communication" in result.stderr.split("unknown key")[1]
    assert reviews.find(hub, cycle, "alpha-01", "self").review.answers == {}


def test_review_list_for_somebody_unknown_is_an_error(hub, cycle, cli):
    result = cli("--as", "alpha-lead", "review", "list", "--person", "alpha-99")
    assert result.exit_code == 1
    assert "no person with id 'alpha-99'" in result.stderr


def test_the_manager_reads_what_only_the_person_answered_where_they_answer_it(
    hub, cycle, cli, tmp_path, answers, clock
):
    """Questions only the person is asked (their suggestions) are shown to the manager in the
    section where the manager answers them: in the fill-in file and at the terminal."""
    suggestion = "A shared macro <library> for password resets.\nAnd a second line."
    path = fill_file(
        cli,
        tmp_path,
        "alpha-01",
        "alpha-01",
        "self",
        {**answers["self"], "suggestions": suggestion},
    )
    assert cli("--as", "alpha-01", "review", "import", str(path), "--submit").exit_code == 0
    exported = cli(
        "--as", "alpha-lead", "review", "export", "--person", "alpha-01", "--kind", "manager"
    )
    assert exported.exit_code == 0, exported.output
    text = exported.stdout
    section = text[text.index("Suggestions to improve the help desk") :]
    assert "# alpha-01 answered: A shared macro <library> for password resets." in section
    assert "#   And a second line." in section or "# And a second line." in section
    assert section.index("A shared macro") < section.index("suggestions_response:")
    # the answers stay comments: the file still imports as the manager's own answers
    assert "suggestions" not in yaml.safe_load(text)["answers"]
    clock.set("2026-03-25")
    result = cli(
        "--as",
        "alpha-lead",
        "review",
        "fill",
        "--person",
        "alpha-01",
        "--kind",
        "manager",
        input="\n" * 40,
    )
    assert "alpha-01 answered: A shared macro <library> for password resets." in result.output
    out = result.output
    assert out.index("alpha-01 answered: A shared macro") < out.index(
        "Your answer to the suggestions"
    )


def test_the_manager_file_shows_no_suggestions_before_the_person_submits(hub, cycle, cli):
    exported = cli(
        "--as", "alpha-lead", "review", "export", "--person", "alpha-01", "--kind", "manager"
    )
    assert exported.exit_code == 0, exported.output
    assert "answered:" not in exported.stdout


def test_the_person_reads_the_managers_answer_as_the_managers(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    reviews.save_draft(hub, cycle, "alpha-01", "manager", answers["manager"], actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    reviews.release(hub, cycle, "alpha-01", actor="alpha-lead")
    shown = cli("--as", "alpha-01", "review", "show").output
    assert "suggestions_response (the manager's answer): Agreed" in shown


def test_export_of_a_closed_cycle_is_a_copy_to_read_not_a_draft_to_fill(hub, cycle, cli, tmp_path):
    closed = cli("cycle", "close", cycle.name, "--force", "--reason", "reorganisation")
    assert closed.exit_code == 0, closed.output
    target = tmp_path / "mine.yaml"
    result = cli("--as", "alpha-01", "review", "export", "--cycle", cycle.name, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "a copy to read (cycle '2026 H1' is closed)" in result.stderr
    text = target.read_text(encoding="utf-8")
    assert "Status: draft, never submitted. Cycle '2026 H1' is closed and frozen" in text
    assert "Fill in the answers" not in text and "(saves a draft)" not in text
    refused = cli("--as", "alpha-01", "review", "import", str(target))
    assert refused.exit_code != 0 and "closed" in refused.stderr


def test_export_of_a_submitted_review_says_it_cannot_be_edited(hub, cycle, cli, answers):
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers["self"], actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    text = cli("--as", "alpha-01", "review", "export").stdout
    assert "# Status: submitted. A submitted review cannot be edited" in text
    assert "(saves a draft)" not in text


def test_the_fill_in_file_speaks_the_language_of_whoever_fills_it_in(
    hub, cycle, cli, tmp_path, answers
):
    import attrs

    for person_id in ("alpha-01", "alpha-lead"):
        hub.people.save([attrs.evolve(hub.people.get(person_id), locale="es")])
    text = cli("--as", "alpha-01", "review", "export").stdout
    assert "# Estado: borrador. Rellena las respuestas y después ejecuta:" in text
    assert "(guarda un borrador)" in text and "Escala: 1 Necesita mejorar" in text
    assert "Se comunica con claridad y cortesía" in text and "(obligatoria)" in text
    assert "Fill in the answers" not in text and "Scale:" not in text
    # the keys stay the ones the import reads
    data = yaml.safe_load(text)
    assert data["kind"] == "self" and "communication" in data["answers"]
    path = fill_file(cli, tmp_path, "alpha-01", "alpha-01", "self", answers["self"])
    assert cli("--as", "alpha-01", "review", "import", str(path), "--submit").exit_code == 0
    # the manager (Spanish too) writes a choice in Spanish; it is stored as the form's choice
    manager = {**answers["manager"], "overall": "cumplió las expectativas"}
    path = fill_file(cli, tmp_path, "alpha-lead", "alpha-01", "manager", manager)
    assert (
        "Una de: superó las expectativas | cumplió las expectativas"
        in cli(
            "--as", "alpha-lead", "review", "export", "--person", "alpha-01", "--kind", "manager"
        ).stdout
    )
    done = cli("--as", "alpha-lead", "review", "import", str(path))
    assert done.exit_code == 0, done.output
    stored = reviews.find(hub, cycle, "alpha-01", "manager").review
    assert stored.answers["overall"] == "met expectations"
    again = cli(
        "--as", "alpha-lead", "review", "export", "--person", "alpha-01", "--kind", "manager"
    )
    assert "overall: cumplió las expectativas" in again.stdout
    assert "alpha-01 respondió: A shared macro library" in again.stdout
