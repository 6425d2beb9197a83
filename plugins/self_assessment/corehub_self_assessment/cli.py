"""``corehub forms`` and ``corehub review``: forms, and filling in, submitting and signing reviews.

The acting person is the global ``--as PERSON`` option (``hub.actor``); every visibility
and permission rule lives in :mod:`corehub_self_assessment.reviews`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_fields, echo_json, echo_table, pass_hub
from corehub.errors import CorehubError, ValidationError
from corehub.loaders import write_text_output
from corehub.models import Cycle, CycleStatus, Form, QuestionType, Review, ReviewKind

KINDS = click.Choice(["self", "manager"], case_sensitive=False)


def acting(hub: Hub) -> str:
    """The acting person: ``--as PERSON`` (checked by the ``corehub`` group), else the Hub's actor."""
    return hub.actor


def pick_cycle(hub: Hub, name: str | None) -> Cycle:
    """The cycle named, or the only open one."""
    if name:
        return hub.cycles.get(name)
    open_cycles = hub.cycles.list(status=CycleStatus.OPEN)
    if len(open_cycles) == 1:
        return open_cycles[0]
    if not open_cycles:
        raise CorehubError("no cycle is open; name one with --cycle")
    names = ", ".join(c.name for c in open_cycles)
    raise CorehubError(f"several cycles are open ({names}); choose one with --cycle")


def pick_person(hub: Hub, person_id: str | None) -> str:
    if person_id:
        return person_id
    actor = acting(hub)
    if hub.people.find(actor) is None:
        raise CorehubError("say whose review with --person (or act as that person with --as)")
    return actor


def _cycle_option(f: Any) -> Any:
    return click.option(
        "--cycle", "cycle_name", metavar="CYCLE", help="The cycle (default: the open one)."
    )(f)


def _person_option(f: Any) -> Any:
    return click.option(
        "--person", "person_id", metavar="ID", help="Whose review (default: --as PERSON)."
    )(f)


def _kind_option(f: Any) -> Any:
    return click.option(
        "--kind", type=KINDS, default="self", show_default=True, help="self or manager."
    )(f)


def register(cli: click.Group) -> None:
    register_forms_commands(cli)
    register_review_commands(cli)
    register_calibration_commands(cli)


# -- forms -----------------------------------------------------------------------


def register_forms_commands(cli: click.Group) -> None:
    @cli.group("forms")
    def forms_group() -> None:
        """Review forms: list, show, check a form file."""

    @forms_group.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def list_(hub: Hub, as_json: bool) -> None:
        """List every registered form and whom it is for."""
        from corehub_self_assessment import forms

        found = forms.all_forms(hub)
        if as_json:
            echo_json([_form_summary(f) for f in found.values()])
            return
        echo_table(
            (
                (
                    f.id,
                    f.version,
                    f.title,
                    ", ".join(lvl.value if hasattr(lvl, "value") else str(lvl) for lvl in f.levels)
                    or "any",
                    ", ".join(f.roles) or "-",
                    sum(1 for _ in f.questions()),
                )
                for f in found.values()
            ),
            ("ID", "VERSION", "TITLE", "LEVELS", "ROLES", "QUESTIONS"),
            empty="No forms (add YAML files to the workspace forms/ folder).",
        )

    @forms_group.command("show")
    @click.argument("form_id")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, form_id: str, as_json: bool) -> None:
        """Show a form's sections, questions and scales."""
        from corehub_self_assessment import forms

        form = forms.get_form(hub, form_id)
        if as_json:
            echo_json(hub.unstructure(form))
            return
        print_form(form)

    @forms_group.command("check")
    @click.argument(
        "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
    )
    @pass_hub
    def check(hub: Hub, files: tuple[Path, ...]) -> None:
        """Check form files; every problem is listed with its file and path."""
        from corehub.forms import load_form

        problems: list[str] = []
        for path in files:
            if not path.is_file():
                problems.append(f"{path}: no such file")
                continue
            try:
                form = load_form(path, source=str(path))
            except ValidationError as exc:
                problems.extend(exc.problems or [exc.summary])
                continue
            click.echo(
                f"{path}: ok (form {form.id!r}, {sum(1 for _ in form.questions())} questions)"
            )
        if problems:
            raise ValidationError(f"{len(problems)} problem(s) found:", problems)


def _form_summary(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "version": form.version,
        "levels": [str(level) for level in form.levels],
        "roles": list(form.roles),
        "questions": sum(1 for _ in form.questions()),
    }


def print_form(form: Form) -> None:
    from corehub_self_assessment.answers import scale_text

    click.echo(f"{form.title} ({form.id}, version {form.version})")
    if form.description:
        click.echo(form.description)
    for level in form.levels or ():
        click.echo(f"  for level: {level}")
    for role in form.roles:
        click.echo(f"  for role: {role}")
    for section in form.sections:
        click.echo()
        click.echo(f"== {section.title} [{section.id}] (weight {section.weight:g})")
        for question in section.questions:
            qtype = QuestionType(question.type)
            tags = [qtype.value, f"for {question.audience}"]
            if question.required:
                tags.append("required")
            if question.weight != 1:
                tags.append(f"weight {question.weight:g}")
            if question.competency:
                tags.append(f"competency {question.competency}")
            click.echo(f"  {question.id}: {question.text} ({', '.join(tags)})")
            if qtype is QuestionType.RATING:
                click.echo(f"      scale {question.scale}: {scale_text(form, question)}")
            elif qtype is QuestionType.CHOICE:
                click.echo(f"      choices: {' | '.join(question.choices)}")
            elif question.review_of:
                click.echo(
                    f"      looks back on the goals of {question.review_of!r} in the previous review"
                )


# -- reviews ---------------------------------------------------------------------


def register_review_commands(cli: click.Group) -> None:
    @cli.group("review")
    def review_group() -> None:
        """Self-assessments and manager reviews: fill in, submit, release, acknowledge.

        \b
        The acting person is --as PERSON, e.g.:
          corehub --as mad-01 review export > mine.yaml
          corehub --as mad-01 review import mine.yaml --submit
          corehub --as sup-mad review fill --person mad-01 --kind manager
        """

    @review_group.command("list")
    @_cycle_option
    @click.option("--person", "person_id", metavar="ID", help="Only reviews about this person.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def list_(hub: Hub, cycle_name: str | None, person_id: str | None, as_json: bool) -> None:
        """Reviews you write, receive or oversee in a cycle, and their status."""
        from corehub_self_assessment import reviews

        cycle = pick_cycle(hub, cycle_name)
        if person_id is not None:
            hub.people.get(person_id)  # a typo is an error, not "no reviews"
        rows = reviews.listing(hub, cycle, actor=acting(hub), person_id=person_id)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["person"],
                    r["kind"],
                    r["author"],
                    r["form"],
                    r["status"] + (" (overdue)" if r["overdue"] else ""),
                    r["due"],
                )
                for r in rows
            ),
            ("PERSON", "KIND", "AUTHOR", "FORM", "STATUS", "DUE"),
            empty="No reviews you can see in this cycle.",
        )

    @review_group.command("export")
    @_cycle_option
    @_person_option
    @_kind_option
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to FILE instead of printing.",
    )
    @pass_hub
    def export(
        hub: Hub, cycle_name: str | None, person_id: str | None, kind: str, output: Path | None
    ) -> None:
        """Write a fill-in file (YAML) with every question, its scale and the answers so far."""
        from corehub_self_assessment import fillin, reviews

        cycle = pick_cycle(hub, cycle_name)
        actor = acting(hub)
        review = reviews.get(hub, cycle, pick_person(hub, person_id), kind, actor=actor)
        text = fillin.export_text(hub, review, actor=actor)
        if output is None:
            click.echo(text, nl=False)
            return
        write_text_output(hub, output, text)
        if cycle.is_closed:
            click.echo(
                f"Wrote {output}: a copy to read (cycle {cycle.name!r} is closed).", err=True
            )
        elif review.status.value != "draft":
            click.echo(
                f"Wrote {output}: a copy to read (the review is {review.status.value}).", err=True
            )
        else:
            click.echo(
                f"Wrote {output}; fill it in, then: "
                f"corehub --as {review.author_id} review import {output}",
                err=True,
            )

    @review_group.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--submit", is_flag=True, help="Submit after saving (all or nothing).")
    @pass_hub
    def import_(hub: Hub, file: Path, submit: bool) -> None:
        """Check a filled-in file and save its answers as a draft (or submit them)."""
        from corehub_self_assessment import fillin

        name, data = fillin.read_fillin(file)
        review = fillin.import_data(hub, name, data, submit=submit, actor=acting(hub))
        _report_saved(hub, review, submitted=submit)

    @review_group.command("fill")
    @_cycle_option
    @_person_option
    @_kind_option
    @click.option("--submit", is_flag=True, help="Submit when done without asking.")
    @pass_hub
    def fill(
        hub: Hub, cycle_name: str | None, person_id: str | None, kind: str, submit: bool
    ) -> None:
        """Answer the review question by question at the terminal (Enter keeps an answer)."""
        from corehub_self_assessment import reviews

        cycle = pick_cycle(hub, cycle_name)
        actor = acting(hub)
        person = pick_person(hub, person_id)
        review = reviews.ensure_fillable(hub, cycle, person, kind, actor=actor)
        answers, note = prompt_answers(hub, review, actor)
        with hub.atomic():
            saved = reviews.save_draft(
                hub, cycle, person, kind, answers, private_note=note, actor=actor
            )
            if submit or click.confirm(
                "Submit now? (a submitted review cannot be edited)", default=False
            ):
                saved = reviews.submit(hub, cycle, person, kind, actor=actor)
                submit = True
        _report_saved(hub, saved, submitted=submit)

    @review_group.command("submit")
    @_cycle_option
    @_person_option
    @_kind_option
    @pass_hub
    def submit_(hub: Hub, cycle_name: str | None, person_id: str | None, kind: str) -> None:
        """Submit a draft review (every required question answered)."""
        from corehub_self_assessment import reviews

        cycle = pick_cycle(hub, cycle_name)
        review = reviews.submit(hub, cycle, pick_person(hub, person_id), kind, actor=acting(hub))
        _report_saved(hub, review, submitted=True)

    @review_group.command("release")
    @_cycle_option
    @click.option("--person", "person_id", metavar="ID", required=True, help="Whose review.")
    @pass_hub
    def release(hub: Hub, cycle_name: str | None, person_id: str) -> None:
        """Show your submitted review to the person (your private note stays hidden)."""
        from corehub_self_assessment import reviews

        review = reviews.release(hub, pick_cycle(hub, cycle_name), person_id, actor=acting(hub))
        click.echo(
            f"Released {reviews.describe(hub, review)}; {person_id} can now read it and acknowledge it."
        )

    @review_group.command("acknowledge")
    @_cycle_option
    @_person_option
    @pass_hub
    def acknowledge(hub: Hub, cycle_name: str | None, person_id: str | None) -> None:
        """Sign that you have read your manager's review."""
        from corehub_self_assessment import reviews

        review = reviews.acknowledge(
            hub, pick_cycle(hub, cycle_name), pick_person(hub, person_id), actor=acting(hub)
        )
        click.echo(f"Acknowledged {reviews.describe(hub, review)}.")

    @review_group.command("comment")
    @_cycle_option
    @_person_option
    @click.argument("text")
    @pass_hub
    def comment(hub: Hub, cycle_name: str | None, person_id: str | None, text: str) -> None:
        """Add a comment to a released manager review (the person, or their manager replying)."""
        from corehub_self_assessment import reviews

        made = reviews.comment(
            hub, pick_cycle(hub, cycle_name), pick_person(hub, person_id), text, actor=acting(hub)
        )
        click.echo(f"Comment {made.id} added by {made.author_id}.")

    @review_group.command("reopen")
    @_cycle_option
    @click.option("--person", "person_id", metavar="ID", required=True, help="Whose review.")
    @_kind_option
    @click.option("--reason", required=True, help="Why (kept in the audit trail).")
    @pass_hub
    def reopen(hub: Hub, cycle_name: str | None, person_id: str, kind: str, reason: str) -> None:
        """Turn a submitted review back into a draft (a manager's action, with a reason)."""
        from corehub_self_assessment import reviews

        review = reviews.reopen(
            hub, pick_cycle(hub, cycle_name), person_id, kind, reason=reason, actor=acting(hub)
        )
        click.echo(
            f"Reopened {reviews.describe(hub, review)}; {review.author_id} can edit and submit it again."
        )

    @review_group.command("rescore")
    @click.option("--cycle", "cycle_name", metavar="CYCLE", required=True, help="The open cycle.")
    @click.option("--dry-run", is_flag=True, help="Say what would change; store nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def rescore(hub: Hub, cycle_name: str, dry_run: bool, as_json: bool) -> None:
        """Score an open cycle's submitted reviews again with the scoring rule installed now.

        Scores are given when a review is submitted and never recomputed on reading; this
        is the explicit way to apply a new or changed scoring plugin. Each change is in the
        audit trail. A closed cycle's scores never change.
        """
        from corehub_self_assessment import reviews

        cycle = hub.cycles.get(cycle_name)
        changes = reviews.rescore(hub, cycle, actor=acting(hub), dry_run=dry_run)
        if as_json:
            echo_json({"cycle": cycle.name, "dry_run": dry_run, "changes": changes})
            return
        if not changes:
            click.echo(f"No score in cycle {cycle.name!r} changes: they stay as given.")
            return
        echo_table(
            (
                (
                    c["person"],
                    c["kind"],
                    _num2(c["before"]),
                    _num2(c["after"]),
                    f"{c['scored_by_before'] or '?'} {c['scored_by_version_before'] or ''}".strip(),
                    f"{c['scored_by'] or '?'} {c['scored_by_version'] or ''}".strip(),
                )
                for c in changes
            ),
            ("PERSON", "KIND", "BEFORE", "AFTER", "SCORED BY (BEFORE)", "SCORED BY (NOW)"),
        )
        verb = "would be rescored (nothing stored)" if dry_run else "rescored (in the audit trail)"
        click.echo(f"{len(changes)} review(s) {verb}.")

    @review_group.command("show")
    @_cycle_option
    @_person_option
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, cycle_name: str | None, person_id: str | None, as_json: bool) -> None:
        """Show a person's reviews as you may see them: answers, scores, gaps, comments."""
        from corehub_self_assessment.views import person_view

        cycle = pick_cycle(hub, cycle_name)
        view = person_view(hub, cycle, pick_person(hub, person_id), actor=acting(hub))
        if as_json:
            echo_json(view)
            return
        print_view(view)

    @review_group.command("goals")
    @_person_option
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def goals(hub: Hub, person_id: str | None, as_json: bool) -> None:
        """A person's goals across cycles, with their outcomes."""
        from corehub_self_assessment import reviews

        rows = reviews.goal_history(hub, pick_person(hub, person_id), actor=acting(hub))
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["cycle"],
                    r["kind"],
                    "outcome" if r["looking_back"] else "set",
                    r.get("objective", ""),
                    r.get("result", ""),
                    r.get("due", ""),
                    r.get("outcome", ""),
                )
                for r in rows
            ),
            ("CYCLE", "REVIEW", "", "OBJECTIVE", "RESULT", "DUE", "OUTCOME"),
            empty="No goals you can see.",
        )


def _report_saved(hub: Hub, review: Review, *, submitted: bool) -> None:
    from corehub_self_assessment import reviews
    from corehub_self_assessment.answers import submit_problems

    what = reviews.describe(hub, review)
    if submitted:
        click.echo(f"Submitted {what}.")
        return
    problems = submit_problems(review.form, review.kind, review.answers)
    click.echo(f"Saved {what} as a draft.")
    if problems:
        click.echo(f"Still to do before submitting ({len(problems)}):")
        for problem in problems[:15]:
            click.echo(f"  - {problem}")
        if len(problems) > 15:
            click.echo(f"  ... and {len(problems) - 15} more")
    else:
        click.echo("Everything required is answered: submit it with 'corehub review submit'.")


# -- interactive filling ---------------------------------------------------------------


def prompt_answers(hub: Hub, review: Review, actor: str) -> tuple[dict[str, Any], str | None]:
    """Ask every question at the terminal; each answer is checked as it is typed."""
    from corehub_self_assessment import fillin, reviews
    from corehub_self_assessment.answers import display_answer, questions_for, scale_text, self_only

    form = review.form
    answers: dict[str, Any] = {}
    click.echo(
        f"{reviews.describe(hub, review)}: form '{form.title}'. Press Enter to keep an answer."
    )
    current_section = None
    self_review = fillin.visible_self_review(hub, review, actor)
    for section, question in questions_for(form, review.kind):
        if section.id != current_section:
            current_section = section.id
            click.echo()
            click.echo(f"== {section.title}")
            if self_review is not None:
                for asked in self_only(self_review.form, section.id):
                    said = display_answer(
                        self_review.form, asked, self_review.answers.get(asked.id)
                    )
                    click.echo()
                    click.echo(f"{review.subject_id} was asked: {asked.text}")
                    click.echo(f"{review.subject_id} answered: {said or '(no answer)'}")
        existing = review.answers.get(question.id)
        click.echo()
        click.echo(question.text + (" (required)" if question.required else ""))
        if question.help:
            click.echo(f"  {question.help}")
        qtype = QuestionType(question.type)
        if qtype is QuestionType.GOALS:
            answers[question.id] = _prompt_goals(question, existing)
            continue
        if qtype is QuestionType.RATING:
            na = "; or n/a" if question.allow_na else ""
            click.echo(f"  Scale: {scale_text(form, question)}{na}")
        elif qtype is QuestionType.CHOICE:
            for i, choice in enumerate(question.choices, start=1):
                click.echo(f"  {i}. {choice}")
        answers[question.id] = _prompt_one(form, question, existing)
    note = None
    if review.kind is ReviewKind.MANAGER:
        current = reviews.private_note(hub, review, actor=actor) or ""
        click.echo()
        click.echo(f"Private note (never shown to {review.subject_id}); Enter keeps it.")
        note = click.prompt("Note", default=current, show_default=False)
    return answers, note


def _prompt_one(form: Form, question: Any, existing: Any) -> Any:
    from corehub_self_assessment.answers import normalise_answer

    qtype = QuestionType(question.type)
    default = "" if existing is None else str(existing)
    while True:
        raw = click.prompt("Answer", default=default, show_default=bool(default))
        raw = raw.strip()
        if not raw:
            return None
        if (
            qtype is QuestionType.CHOICE
            and raw.isdigit()
            and 1 <= int(raw) <= len(question.choices)
        ):
            raw = question.choices[int(raw) - 1]
        value, problems = normalise_answer(form, question, raw, path=question.id)
        if not problems:
            return value
        for problem in problems:
            click.echo(f"  {problem}", err=True)


def _prompt_goals(question: Any, existing: Any) -> list[dict[str, Any]] | None:
    import datetime as dt

    goals = [dict(g) for g in (existing or [])]
    if question.review_of:
        if not goals:
            click.echo("  (no goals were set in an earlier review)")
            return None
        for goal in goals:
            click.echo(
                f"  Goal: {goal.get('objective', '')} | result: {goal.get('result', '-')} | due {goal.get('due', '-')}"
            )
            outcome = click.prompt(
                "  Outcome", default=goal.get("outcome", ""), show_default=bool(goal.get("outcome"))
            )
            goal["outcome"] = outcome.strip()
        return goals
    for goal in goals:
        click.echo(
            f"  Current goal: {goal.get('objective')} | {goal.get('result', '')} | due {goal.get('due', '')}"
        )
    keep = bool(goals) and click.confirm("  Keep these goals?", default=True)
    kept = goals if keep else []
    click.echo("  New goal (empty objective to finish):")
    while True:
        objective = click.prompt("  Objective", default="", show_default=False).strip()
        if not objective:
            break
        result = click.prompt("  Measurable result", default="", show_default=False).strip()
        while True:
            due = click.prompt("  Due (YYYY-MM-DD)", default="", show_default=False).strip()
            try:
                due = dt.date.fromisoformat(due).isoformat() if due else ""
                break
            except ValueError:
                click.echo(f"  {due!r} is not a date (use YYYY-MM-DD)", err=True)
        kept.append(
            {k: v for k, v in (("objective", objective), ("result", result), ("due", due)) if v}
        )
    return kept or None


# -- printing a review -----------------------------------------------------------------


def print_view(view: dict[str, Any]) -> None:
    person = view["person"]
    click.echo(f"{person['name']} ({person['id']}), {person['role'] or '-'}, cycle {view['cycle']}")
    for kind, reason in view["hidden"].items():
        click.echo(f"  {kind}: {reason}")
    for kind, data in view["reviews"].items():
        click.echo()
        title = "Self-assessment" if kind == "self" else f"Manager's review by {data['author']}"
        overall = data["score"]["overall"]
        echo_fields(
            {
                title: data["status"],
                "form": f"{data['form']['title']} (v{data['form']['version']})",
                "submitted": (data["submitted_at"] or "")[:10],
                "released": (data["released_at"] or "")[:10] if kind == "manager" else None,
                "overall score": "-" if overall is None else f"{overall:.2f}",
                "scored by": _scored_by(data.get("scored_by"), data["status"]),
            }
        )
        for section in data["sections"]:
            click.echo(f"  == {section['title']}")
            for q in section["questions"]:
                shown = q["display"] or "(not answered)"
                lines = shown.split("\n")
                who = " (the manager's answer)" if q.get("audience") == "manager" else ""
                click.echo(f"    {q['id']}{who}: {lines[0]}")
                for line in lines[1:]:
                    click.echo(f"      {line}")
        if "calibration" in data:
            given = data["calibration"]["given"]["overall"]
            click.echo(f"  Calibrated; the overall rating as given was {_num2(given)}:")
            for change in data["calibration"]["adjustments"]:
                click.echo(
                    f"    {change['what']}: {_num2(change['original'])} -> "
                    f"{_num2(change['calibrated'])} by {change['by']} on {change['at'][:10]}: "
                    f"{change['reason']}"
                )
        elif data.get("calibrated"):
            click.echo("  The overall rating was calibrated.")
        if "private_note" in data:
            click.echo(
                f"  Private note (not shown to {person['id']}): {data['private_note'] or '-'}"
            )
    if view["competency_gaps"]:
        click.echo()
        click.echo(
            f"Self vs manager by competency (flagged at a gap of {view['gap_threshold']:g} or more):"
        )
        echo_table(
            (
                (
                    g["label"],
                    _num(g["self"]),
                    _num(g["manager"]),
                    _num(g["gap"], signed=True),
                    "GAP" if g["flagged"] else "",
                )
                for g in view["competency_gaps"]
            ),
            ("COMPETENCY", "SELF", "MANAGER", "GAP", ""),
        )
    if view["comments"]:
        click.echo()
        click.echo("Comments:")
        for c in view["comments"]:
            click.echo(f"  {c['at'][:10]} {c['author']}: {c['text']}")


def _scored_by(source: dict[str, Any] | None, status: str) -> str | None:
    """``self_assessment 0.1.0, form agent v2, 2026-03-02`` for a given score; a draft's
    score is a preview of the rule installed now."""
    if status == "draft":
        return "preview (a draft's score is given when it is submitted)"
    if not source:
        return None
    plugin = source.get("plugin") or "?"
    version = f" {source['plugin_version']}" if source.get("plugin_version") else ""
    return (
        f"{plugin}{version}, form {source.get('form')} v{source.get('form_version')}, "
        f"{(source.get('scored_at') or '')[:10]}"
    )


def _num2(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _num(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed else f"{value:.1f}"


# -- calibration -------------------------------------------------------------------


def register_calibration_commands(cli: click.Group) -> None:
    cycle_group = cli.commands.get("cycle")
    if not isinstance(cycle_group, click.Group):
        return

    @cycle_group.group("calibrate")
    def calibrate_group() -> None:
        """Calibrate manager reviews before release (a cycle created with --calibrate).

        \b
        corehub cycle calibrate open  --cycle C [--scope all|team:T|level:L]
        corehub cycle calibrate show  --cycle C [--scope ...] [--json]
        corehub cycle calibrate adjust --cycle C --person P --rating 3.5 --reason "..."
        corehub cycle calibrate close --cycle C [--scope ...]
        """

    def _scope_option(f: Any) -> Any:
        return click.option(
            "--scope",
            default="all",
            show_default=True,
            metavar="SCOPE",
            help="all, team:T or level:L.",
        )(f)

    @calibrate_group.command("open")
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="The cycle.")
    @_scope_option
    @pass_hub
    def open_(hub: Hub, cycle_name: str, scope: str) -> None:
        """Open a session: no manager review in the scope is released until it is closed."""
        from corehub_self_assessment import calibration

        session = calibration.open_session(hub, cycle_name, scope, actor=acting(hub))
        click.echo(
            f"Calibration of {session['scope']} in cycle {cycle_name!r} is open; releasing "
            "reviews in it waits until it is closed."
        )

    @calibrate_group.command("show")
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="The cycle.")
    @_scope_option
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, cycle_name: str, scope: str, as_json: bool) -> None:
        """The calibration view: each manager's ratings side by side, gaps, the edges."""
        from corehub_self_assessment import calibration

        data = calibration.view(hub, cycle_name, scope, actor=acting(hub))
        if as_json:
            echo_json(data)
            return
        print_calibration(data)

    @calibrate_group.command("adjust")
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="The cycle.")
    @click.option("--person", "person_id", required=True, metavar="ID", help="Whose rating.")
    @click.option("--rating", type=float, required=True, help="The calibrated rating.")
    @click.option(
        "--competency", default=None, metavar="ID", help="A competency (default: the overall)."
    )
    @click.option("--reason", default="", help="Why (kept in the audit trail; required).")
    @pass_hub
    def adjust(
        hub: Hub,
        cycle_name: str,
        person_id: str,
        rating: float,
        competency: str | None,
        reason: str,
    ) -> None:
        """Calibrate a person's overall (or one competency's) manager rating, with a reason."""
        from corehub_self_assessment import calibration

        made = calibration.adjust(
            hub,
            cycle_name,
            person_id,
            rating,
            reason=reason,
            competency=competency,
            actor=acting(hub),
        )
        before = "-" if made["original"] is None else f"{made['original']:.2f}"
        click.echo(
            f"Calibrated {person_id}'s {made['what']} rating from {before} to "
            f"{made['calibrated']:.2f} (by {made['by']}; in the audit trail)."
        )

    @calibrate_group.command("close")
    @click.option("--cycle", "cycle_name", required=True, metavar="CYCLE", help="The cycle.")
    @_scope_option
    @pass_hub
    def close(hub: Hub, cycle_name: str, scope: str) -> None:
        """Close the session: its manager reviews may be released."""
        from corehub_self_assessment import calibration

        session = calibration.close_session(hub, cycle_name, scope, actor=acting(hub))
        click.echo(
            f"Calibration of {session['scope']} in cycle {cycle_name!r} is closed; its "
            "manager reviews may be released."
        )


def print_calibration(data: dict[str, Any]) -> None:
    click.echo(
        f"Calibration of {data['scope']} in cycle {data['cycle']}: {data['reviewed']} of "
        f"{data['people']} manager reviews submitted; overall mean "
        f"{_num2(data['overall']['mean'])}, spread {_num2(data['overall']['spread'])}"
    )
    for session in data["sessions"]:
        click.echo(f"  session {session['scope']}: {session['status']}")
    click.echo()
    points = [str(p) for p in data["scale"]]
    echo_table(
        (
            (
                m["name"],
                m["n"],
                _num2(m["mean"]),
                _num2(m["spread"]),
                *(f"{round(100 * m['shares'][p])}%" for p in points),
            )
            for m in data["managers"]
        ),
        ("MANAGER", "REVIEWS", "MEAN", "SPREAD", *points),
        empty="No submitted manager reviews in this scope yet.",
    )
    competencies = sorted({c for m in data["managers"] for c in m["competencies"]})
    if competencies:
        click.echo()
        click.echo("Competency means per manager:")
        echo_table(
            (
                (c, *(_num2(m["competencies"].get(c)) for m in data["managers"]))
                for c in competencies
            ),
            ("COMPETENCY", *(m["manager"] for m in data["managers"])),
        )
    if data["gaps_by_team"]:
        click.echo()
        click.echo("Self vs manager (manager minus self, overall) per team:")
        echo_table(
            ((g["team"], g["n"], f"{g['mean_gap']:+.2f}") for g in data["gaps_by_team"]),
            ("TEAM", "PEOPLE", "MEAN GAP"),
        )
    if data["edges"]:
        click.echo()
        click.echo("At the edges (1.5 spreads or more from the mean):")
        echo_table(
            (
                (e["person"], e["name"], e["manager"], _num2(e["overall"]), e["edge"])
                for e in data["edges"]
            ),
            ("PERSON", "NAME", "MANAGER", "OVERALL", "EDGE"),
        )
    if data["adjustments"]:
        click.echo()
        click.echo("Adjustments:")
        for a in data["adjustments"]:
            click.echo(
                f"  {a['person']} {a['what']}: {_num2(a['original'])} -> "
                f"{_num2(a['calibrated'])} by {a['by']} on {a['at'][:10]}: {a['reason']}"
            )
