"""``corehub checkin`` (1:1 check-ins) and ``corehub newhire`` (new-hire reviews).

The acting person is the global ``--as PERSON`` option (``hub.actor``); every rule of who
may see and do what lives in :mod:`corehub_self_assessment.checkins` and
:mod:`corehub_self_assessment.newhire`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_fields, echo_json, echo_table, pass_hub
from corehub.errors import NotFoundError, ValidationError
from corehub.models import ReviewKind

KINDS = click.Choice(["self", "manager"], case_sensitive=False)


def register(cli: click.Group) -> None:
    register_checkin_commands(cli)
    register_newhire_commands(cli)


# -- check-ins ---------------------------------------------------------------------------


def register_checkin_commands(cli: click.Group) -> None:
    @cli.group("checkin")
    def checkin_group() -> None:
        """1:1 check-ins between a manager and a report: agenda, notes, action items.

        \b
        The acting person is --as PERSON, e.g.:
          corehub --as sup-mad checkin new agt-mad-01 --date 2026-03-10 --agenda "Queue load"
          corehub --as agt-mad-01 checkin agenda add 4 "Night shift swap"
          corehub --as sup-mad checkin action add 4 "Shadow a senior" --owner agt-mad-01 --due 2026-03-24
          corehub --as agt-mad-01 checkin action done 7
        Agenda and notes are read by the two only; others who may see the person
        (their managers, HR) see the date and the action items.
        """

    @checkin_group.command("new")
    @click.argument("person_id", metavar="PERSON")
    @click.option("--date", "day", required=True, metavar="YYYY-MM-DD", help="The day you meet.")
    @click.option(
        "--agenda",
        "items",
        multiple=True,
        metavar="TEXT",
        help="A first agenda item (repeat for more).",
    )
    @pass_hub
    def new(hub: Hub, person_id: str, day: str, items: tuple[str, ...]) -> None:
        """Plan (or record) a check-in with PERSON, one of the people you manage."""
        from corehub_self_assessment import checkins

        checkin = checkins.create(hub, person_id, day, agenda_items=items)
        click.echo(
            f"Check-in {checkin.id}: {checkin.manager_id} with {checkin.person_id} on "
            f"{checkin.day.isoformat()}."
        )

    @checkin_group.group("agenda")
    def agenda_group() -> None:
        """The agenda of a check-in (either of the two, up to the check-in's day)."""

    @agenda_group.command("add")
    @click.argument("checkin_id", type=int, metavar="CHECKIN")
    @click.argument("text")
    @pass_hub
    def agenda_add(hub: Hub, checkin_id: int, text: str) -> None:
        """Add an item to the agenda of check-in CHECKIN."""
        from corehub_self_assessment import checkins

        checkins.add_agenda_item(hub, checkin_id, text)
        click.echo(f"Added to the agenda of check-in {checkin_id}.")

    @checkin_group.command("note")
    @click.argument("checkin_id", type=int, metavar="CHECKIN")
    @click.argument("text")
    @pass_hub
    def note(hub: Hub, checkin_id: int, text: str) -> None:
        """Write a note on check-in CHECKIN (read by the two of you only)."""
        from corehub_self_assessment import checkins

        checkins.add_note(hub, checkin_id, text)
        click.echo(f"Note added to check-in {checkin_id}.")

    @checkin_group.group("action")
    def action_group() -> None:
        """Action items of a check-in: an owner (one of the two), a due date, done or not."""

    @action_group.command("add")
    @click.argument("checkin_id", type=int, metavar="CHECKIN")
    @click.argument("text")
    @click.option(
        "--owner", required=True, metavar="ID", help="Who does it: the manager or the report."
    )
    @click.option(
        "--due", required=True, metavar="YYYY-MM-DD", help="On or after the check-in's day."
    )
    @click.option(
        "--goal",
        metavar="OBJECTIVE",
        help="Link it to one of the person's goals (its objective, or how it begins).",
    )
    @click.option(
        "--plan",
        "to_plan",
        is_flag=True,
        help="Also carry it into the person's development plan (linked both ways).",
    )
    @pass_hub
    def action_add(
        hub: Hub,
        checkin_id: int,
        text: str,
        owner: str,
        due: str,
        goal: str | None,
        to_plan: bool,
    ) -> None:
        """Add an action item to check-in CHECKIN."""
        from corehub_self_assessment import checkins, plans

        with hub.atomic():  # with --plan: both, or neither
            action_id = checkins.add_action(hub, checkin_id, text, owner=owner, due=due, goal=goal)
            carried = plans.carry_checkin_action(hub, action_id) if to_plan else None
        click.echo(f"Action item {action_id} added to check-in {checkin_id}.")
        if carried is not None:
            click.echo(
                f"Carried into {carried['person_id']}'s development plan as action "
                f"#{carried['id']}."
            )

    @action_group.command("carry")
    @click.argument("action_id", type=int, metavar="ACTION")
    @pass_hub
    def action_carry(hub: Hub, action_id: int) -> None:
        """Carry open action item ACTION into the person's development plan (the person or
        their manager), linked both ways; it is then reminded of as a plan action."""
        from corehub_self_assessment import plans

        carried = plans.carry_checkin_action(hub, action_id)
        click.echo(
            f"Action item {action_id} carried into {carried['person_id']}'s development plan "
            f"as action #{carried['id']}."
        )

    @action_group.command("done")
    @click.argument("action_id", type=int, metavar="ACTION")
    @click.option("--undo", is_flag=True, help="Mark it not done again.")
    @pass_hub
    def action_done(hub: Hub, action_id: int, undo: bool) -> None:
        """Mark action item ACTION done (either of the two)."""
        from corehub_self_assessment import checkins

        action = checkins.set_done(hub, action_id, not undo)
        click.echo(f"Action item {action.id} is {'done' if action.done else 'open'}.")

    @checkin_group.command("list")
    @click.option("--person", "person_id", metavar="ID", help="Only the check-ins of this person.")
    @click.option(
        "--team",
        metavar="TEAM",
        help="Only the check-ins of the people of this team (its managers and HR).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def list_(hub: Hub, person_id: str | None, team: str | None, as_json: bool) -> None:
        """The check-ins you took part in or may see, newest first."""
        from corehub_self_assessment import checkins

        rows = checkins.listing(hub, person_id=person_id, team=team)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["id"],
                    r["day"] + ("" if r["held"] else " (planned)"),
                    r["manager_id"],
                    r["person_id"],
                    f"{r['actions_done']} done, {r['actions_open']} open",
                )
                for r in rows
            ),
            ("ID", "DATE", "MANAGER", "PERSON", "ACTIONS"),
            empty="No check-ins you can see.",
        )

    @checkin_group.command("overview")
    @click.option("--team", metavar="TEAM", help="Only this team (every team: HR only).")
    @click.option("--manager", "manager_id", metavar="ID", help="Only this manager's reports.")
    @click.option("--overdue", is_flag=True, help="Only the pairs whose check-in is overdue.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def overview(
        hub: Hub, team: str | None, manager_id: str | None, overdue: bool, as_json: bool
    ) -> None:
        """Who met whom and when, per team and manager, overdue first (never the notes).

        For HR (every team) and a team's own managers (--team). Each manager and direct
        report: the last check-in, the days since it against the team's cadence, the next
        one due or planned, how many were held in the last 12 months, open action items.
        """
        from corehub_self_assessment import checkins_overview

        rows = checkins_overview.overview(
            hub, team=team, manager_id=manager_id, overdue_only=overdue
        )
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["team"],
                    r["manager_id"],
                    r["person_id"],
                    r["last"] or "never",
                    "" if r["days_since"] is None else r["days_since"],
                    r["cadence_days"] or "-",
                    (f"planned {r['planned']}" if r["planned"] else r["next_due"] or "-")
                    + (" OVERDUE" if r["overdue"] else ""),
                    r["held"],
                    f"{r['actions_open']} open"
                    + (f", {r['actions_late']} late" if r["actions_late"] else ""),
                )
                for r in rows
            ),
            ("TEAM", "MANAGER", "PERSON", "LAST", "DAYS", "CADENCE", "NEXT", "HELD", "ACTIONS"),
            empty="No manager with direct reports here.",
        )

    @checkin_group.command("show")
    @click.argument("checkin_id", type=int, metavar="CHECKIN")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, checkin_id: int, as_json: bool) -> None:
        """One check-in: its agenda and notes (the two only) and its action items."""
        from corehub_self_assessment import checkins

        data = checkins.view(hub, checkin_id)
        if as_json:
            echo_json(data)
            return
        echo_fields(
            {
                "Check-in": data["id"],
                "Date": data["day"] + ("" if data["held"] else " (planned)"),
                "Manager": f"{data['manager']} ({data['manager_id']})",
                "Person": f"{data['person']} ({data['person_id']})",
            }
        )
        if data["private_visible"]:
            for title, entries in (("Agenda", data["agenda"]), ("Notes", data["notes"])):
                click.echo()
                click.echo(f"{title}:")
                for e in entries or []:
                    click.echo(f"  - {e['text']} ({e['author_id']}, {e['at']})")
                if not entries:
                    click.echo("  (none)")
        else:
            click.echo()
            click.echo("Agenda and notes: only the two of them read these.")
        click.echo()
        click.echo("Action items:")
        echo_table(
            (
                (
                    a["id"],
                    a["text"],
                    a["owner_id"],
                    a["due"],
                    "done" if a["done"] else ("overdue" if a["overdue"] else "open"),
                    a["goal"] or "-",
                    f"#{a['plan_action_id']}" if a["plan_action_id"] else "-",
                )
                for a in data["actions"]
            ),
            ("ID", "ACTION", "OWNER", "DUE", "STATUS", "GOAL", "PLAN"),
            empty="  (none)",
        )

    @checkin_group.command("due")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def due(hub: Hub, as_json: bool) -> None:
        """Managers and reports you may see: last check-in, next planned, next due by the cadence."""
        from corehub_self_assessment import checkins

        rows = checkins.cadence(hub)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["manager_id"],
                    r["person_id"],
                    r["cadence_days"] or "-",
                    r["last"] or "never",
                    r["planned"] or "-",
                    (r["next_due"] or "-") + (" (overdue)" if r["overdue"] else ""),
                )
                for r in rows
            ),
            ("MANAGER", "PERSON", "EVERY", "LAST", "PLANNED", "DUE"),
            empty="No managers and reports you can see.",
        )


# -- new-hire reviews --------------------------------------------------------------------


def register_newhire_commands(cli: click.Group) -> None:
    @cli.group("newhire")
    def newhire_group() -> None:
        """New-hire reviews some days after the hire date ([settings.new_hire] days).

        \b
          corehub newhire sync                     (create what the rule asks for)
          corehub newhire status
          corehub --as agt-mad-09 newhire fill agt-mad-09 --day 30 --set going_well="..." --submit
          corehub --as sup-mad newhire fill agt-mad-09 --day 30 --kind manager --from answers.yaml
        """

    @newhire_group.command("sync")
    @pass_hub
    def sync(hub: Hub) -> None:
        """Create the new-hire reviews the rule asks for (idempotent)."""
        from corehub import access
        from corehub_self_assessment import newhire

        who = access.viewer(hub)
        if not who.sees_everything:
            from corehub.errors import PermissionDeniedError

            raise PermissionDeniedError(f"{who.actor} may not create new-hire reviews: only HR can")
        created = newhire.sync(hub)
        if not newhire.settings_of(hub).days:
            click.echo("The new-hire rule is off: set [settings.new_hire] days in corehub.toml.")
            return
        for c in created:
            click.echo(f"created {c['person_id']} {c['day']} days ({c['kind']}), due {c['due']}")
        click.echo(f"{len(created)} new-hire review part(s) created.")

    @newhire_group.command("status")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def status(hub: Hub, as_json: bool) -> None:
        """Each new hire's milestones you may see: due date, each part's status."""
        from corehub_self_assessment import newhire

        rows = newhire.status(hub)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["person_id"],
                    r["day"],
                    r["due"] + (" (overdue)" if r["overdue"] else ""),
                    r["self"] or "-",
                    r["manager"] or "-",
                )
                for r in rows
            ),
            ("PERSON", "DAYS", "DUE", "SELF", "MANAGER"),
            empty="No new-hire reviews you can see.",
        )

    @newhire_group.command("show")
    @click.argument("person_id", metavar="PERSON")
    @click.option("--day", type=int, required=True, help="The milestone (days after hiring).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, person_id: str, day: int, as_json: bool) -> None:
        """The parts of PERSON's new-hire review you may see."""
        from corehub_self_assessment import newhire
        from corehub_self_assessment.answers import display_answer, questions_for

        parts = []
        for kind in (ReviewKind.SELF, ReviewKind.MANAGER):
            try:
                review = newhire.find(hub, person_id, day, kind)
            except NotFoundError:
                continue
            if newhire.can_see(hub, review):
                parts.append(review)
        if not parts:
            # the refusal (or "no such review") in one sentence
            newhire.get(hub, person_id, day, ReviewKind.SELF)
            newhire.get(hub, person_id, day, ReviewKind.MANAGER)
        if as_json:
            echo_json(
                [
                    {
                        "person_id": r.person_id,
                        "day": r.day,
                        "due": r.due.isoformat(),
                        "kind": r.kind.value,
                        "author_id": r.author_id,
                        "form": r.form.id,
                        "status": r.status,
                        "answers": r.answers,
                    }
                    for r in parts
                ]
            )
            return
        for review in parts:
            click.echo(
                f"== {review.kind.value} ({review.author_id}), {review.day} days, "
                f"due {review.due.isoformat()}: {review.status}"
            )
            for _section, question in questions_for(review.form, review.kind):
                value = review.answers.get(question.id)
                click.echo(f"  {question.id}: {question.text}")
                click.echo(f"      {display_answer(review.form, question, value) or '-'}")

    @newhire_group.command("fill")
    @click.argument("person_id", metavar="PERSON")
    @click.option("--day", type=int, required=True, help="The milestone (days after hiring).")
    @click.option("--kind", type=KINDS, default="self", show_default=True, help="self or manager.")
    @click.option(
        "--set", "pairs", multiple=True, metavar="QUESTION=ANSWER", help="One answer (repeat)."
    )
    @click.option(
        "--from",
        "source",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A YAML file of answers: question id: answer.",
    )
    @click.option("--submit", is_flag=True, help="Submit when everything required is answered.")
    @pass_hub
    def fill(
        hub: Hub,
        person_id: str,
        day: int,
        kind: str,
        pairs: tuple[str, ...],
        source: Path | None,
        submit: bool,
    ) -> None:
        """Save answers of your part of PERSON's new-hire review (and submit it)."""
        from corehub_self_assessment import newhire

        raw: dict[str, Any] = {}
        if source is not None:
            data = _read_answers(source)
            if not isinstance(data, dict):
                raise ValidationError(f"{source}: expected question ids with their answers")
            raw.update({str(k): v for k, v in data.items()})
        bad = [p for p in pairs if "=" not in p]
        if bad:
            raise ValidationError("--set takes QUESTION=ANSWER:", [f"--set {p!r}" for p in bad])
        for pair in pairs:
            key, _, value = pair.partition("=")
            raw[key.strip()] = _typed(value.strip())
        review = newhire.save(hub, person_id, day, ReviewKind(kind), raw, submit=submit)
        if review.submitted:
            click.echo(
                f"Submitted the {review.day}-day new-hire review ({review.kind.value}) of {person_id}."
            )
            return
        click.echo(
            f"Saved the {review.day}-day new-hire review ({review.kind.value}) of {person_id} as a draft."
        )
        problems = newhire.problems_of(review)
        if problems:
            click.echo(f"Still to do before submitting ({len(problems)}):")
            for problem in problems:
                click.echo(f"  - {problem}")


def _typed(value: str) -> Any:
    """``3`` is a rating; anything else is text."""
    return int(value) if value.isdigit() else value


def _read_answers(path: Path) -> Any:
    from corehub.loaders import load_yaml

    if not path.is_file():
        raise ValidationError(f"{path}: no such file")
    try:
        return load_yaml(path.read_bytes(), source=str(path))
    except ValidationError:
        raise
    except Exception as exc:  # a YAML syntax error, an unsafe document
        raise ValidationError(f"{path}: not a readable YAML file: {exc}") from None
