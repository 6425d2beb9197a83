"""``corehub training ...``: the catalogue, assignments, completions and compliance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from corehub import Hub
from corehub.cli import echo_json, echo_table, pass_hub
from corehub.errors import ValidationError
from corehub.loaders import parse_date
from corehub.models import AssignmentStatus, Level, Person

if TYPE_CHECKING:  # click 8.2 and later make ParamType generic; 8.1 does not subscript
    _ParamType = click.ParamType[Any, Any]
else:
    _ParamType = click.ParamType

STATE_LABELS = {
    "completed": "completed",
    "expiring": "expiring",
    "expired": "EXPIRED",
    "assigned": "assigned",
    "in_progress": "in progress",
    "overdue": "OVERDUE",
    "waived": "waived",
    "missing": "missing",
}


class DateType(_ParamType):
    """YYYY-MM-DD or day-first DD/MM/YYYY, like every corehub date."""

    name = "DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateType()


def _service(hub: Hub) -> Any:
    from corehub_training_tracker.training import Training

    return Training(hub)


def _scope(hub: Hub, team: str | None, person: str | None = None) -> list[Person]:
    """The people a listing covers, as the acting person (``--as``) may see them: one
    person (they, their managers, HR), one team (its own managers, HR), else everyone
    they may see."""
    from corehub import access

    who = access.viewer(hub)
    if person is not None:
        found = hub.people.get(person)
        access.require_see_person(hub, who, found.id)
        return [found]
    if team is not None:
        people = hub.people.list(team=team)
        if not people:
            teams = ", ".join(hub.people.teams()) or "none yet"
            raise ValidationError(f"no active people in team {team!r} (teams: {teams})")
        access.require_see_team(hub, who, team)
        return people
    return [p for p in hub.people.list() if access.may_see_person(hub, who, p.id)]


def register(cli: click.Group) -> None:
    @cli.group()
    def training() -> None:
        """Training: the course catalogue, assignments, completions and compliance."""

    from corehub_training_tracker.credentials_cli import register_coverage, register_credentials

    register_credentials(training, _scope, DATE)
    register_coverage(training)

    @training.command("courses")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def courses(hub: Hub, as_json: bool) -> None:
        """List the course catalogue with each course's average rating."""
        service = _service(hub)
        ratings = service.ratings()
        rows = []
        for course in service.catalogue.courses.values():
            average, count = ratings.get(course.id, (None, 0))
            rows.append(
                hub.unstructure(course)
                | {"rating_average": round(average, 2) if average else None, "rating_count": count}
            )
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["id"],
                    r["title"],
                    ", ".join(r["levels"]) or "all",
                    r["delivery"],
                    f"{r['duration_hours']:g} h" if r["duration_hours"] else "",
                    f"{r['validity_months']} months" if r["validity_months"] else "",
                    ", ".join(r["prerequisites"]),
                    f"{r['rating_average']:.1f} ({r['rating_count']})"
                    if r["rating_count"]
                    else "-",
                )
                for r in rows
            ),
            ("ID", "TITLE", "LEVELS", "DELIVERY", "LENGTH", "VALID", "NEEDS", "RATING"),
            empty="No courses.",
        )

    @training.command("sync")
    @pass_hub
    def sync(hub: Hub) -> None:
        """Apply the training rules: create missing assignments, recertifications, overdue flags.

        Running it twice creates nothing twice.
        """
        result = _service(hub).sync()
        click.echo(
            f"Sync: {len(result.created)} assignment(s) created, "
            f"{len(result.overdue)} newly overdue, {len(result.expired)} expired."
        )
        for record in result.created:
            click.echo(
                f"  + {record.person_id}: {record.course_id} due {record.due} ({record.source})"
            )
        for record in result.overdue:
            click.echo(f"  ! {record.person_id}: {record.course_id} was due {record.due}")

    @training.command("assign")
    @click.option("--course", "course_id", required=True, help="Course id.")
    @click.option(
        "--person", "person_ids", multiple=True, metavar="ID", help="A person (repeatable)."
    )
    @click.option("--team", help="Everyone active in this team.")
    @click.option(
        "--level", type=click.Choice([lv.value for lv in Level]), help="Everyone at this level."
    )
    @click.option("--due", type=DATE, required=True, help="Due date (YYYY-MM-DD or DD/MM/YYYY).")
    @pass_hub
    def assign(
        hub: Hub,
        course_id: str,
        person_ids: tuple[str, ...],
        team: str | None,
        level: str | None,
        due: dt.date,
    ) -> None:
        """Assign a course to people; nobody gets the same open assignment twice."""
        service = _service(hub)
        service.catalogue.course(course_id)
        people = service.resolve_people(person_ids=person_ids, team=team, level=level)
        result = service.assign(course_id, people, due=due)
        click.echo(f"Assigned {course_id} to {len(result.created)} person(s), due {due}.")
        for person_id, why in sorted(result.skipped.items()):
            click.echo(f"  skipped {person_id}: {why}")

    @training.command("start")
    @click.option("--person", "person_id", required=True, metavar="ID")
    @click.option("--course", "course_id", required=True)
    @pass_hub
    def start(hub: Hub, person_id: str, course_id: str) -> None:
        """Mark a person's assignment of a course as in progress."""
        record = _service(hub).start(person_id, course_id)
        click.echo(f"{person_id}: {course_id} is in progress (assignment #{record.id}).")

    @training.command("complete")
    @click.option("--person", "person_id", required=True, metavar="ID")
    @click.option("--course", "course_id", required=True)
    @click.option("--date", "on", type=DATE, required=True, help="Completion date.")
    @click.option("--score", type=click.FloatRange(0, 100), help="Score, 0 to 100.")
    @click.option(
        "--evidence",
        metavar="TEXT|FILE",
        help="A note (certificate number, link) or a file to keep.",
    )
    @click.option("--override", is_flag=True, help="Record it although a prerequisite is missing.")
    @click.option("--reason", help="Why the prerequisite is overridden (required with --override).")
    @pass_hub
    def complete(
        hub: Hub,
        person_id: str,
        course_id: str,
        on: dt.date,
        score: float | None,
        evidence: str | None,
        override: bool,
        reason: str | None,
    ) -> None:
        """Record that a person completed a course.

        --evidence naming an existing file copies the file into the workspace's evidence
        folder (under a safe name); any other text is kept as a note.
        """
        if override and not (reason and reason.strip()):
            raise click.UsageError("--override needs --reason")
        if reason and not override:
            raise click.UsageError("--reason is only used with --override")
        evidence_file = None
        if evidence is not None and Path(evidence).is_file():
            evidence_file, evidence = Path(evidence), None
        completion = _service(hub).complete(
            person_id,
            course_id,
            on,
            score=score,
            evidence=evidence,
            evidence_file=evidence_file,
            override_reason=reason if override else None,
        )
        expiry = f", valid until {completion.expires_on}" if completion.expires_on else ""
        click.echo(f"{person_id} completed {course_id} on {on}{expiry}.")
        if completion.evidence_file:
            click.echo(f"  evidence kept as {completion.evidence_file}")

    @training.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--ignore-unknown-columns", is_flag=True, help="Ignore columns other than ours.")
    @click.option("--override", is_flag=True, help="Import although prerequisites are missing.")
    @click.option("--reason", help="Why prerequisites are overridden (required with --override).")
    @pass_hub
    def import_(
        hub: Hub, file: Path, ignore_unknown_columns: bool, override: bool, reason: str | None
    ) -> None:
        """Import completions exported by an LMS (CSV, all-or-nothing).

        Columns: person (id or e-mail), course, completed_on; optional score, evidence.
        Comma or semicolon separated; dates YYYY-MM-DD or DD/MM/YYYY.
        """
        from corehub_training_tracker.importer import import_completions

        if override and not (reason and reason.strip()):
            raise click.UsageError("--override needs --reason")
        result = import_completions(
            hub,
            file,
            ignore_unknown_columns=ignore_unknown_columns,
            override_reason=reason if override else None,
        )
        click.echo(
            f"Imported {file.name}: {result.imported} completion(s), "
            f"{result.already_recorded} already recorded, "
            f"{result.assignments_completed} assignment(s) completed."
        )

    @training.command("waive")
    @click.option("--person", "person_id", required=True, metavar="ID")
    @click.option("--course", "course_id", required=True)
    @click.option("--reason", required=True, help="Why the person does not need the course.")
    @click.option("--until", type=DATE, help="Waived until this date (default: for good).")
    @pass_hub
    def waive(hub: Hub, person_id: str, course_id: str, reason: str, until: dt.date | None) -> None:
        """Waive a course for a person (their open assignment, or a future one)."""
        record = _service(hub).waive(person_id, course_id, reason, until=until)
        click.echo(f"{person_id}: {course_id} waived (assignment #{record.id}).")

    @training.command("status")
    @click.option("--team", help="Only this team.")
    @click.option("--person", "person_id", metavar="ID", help="Only this person.")
    @click.option("--overdue", is_flag=True, help="Only overdue assignments.")
    @click.option("--open", "open_only", is_flag=True, help="Only assignments not yet completed.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def status(
        hub: Hub,
        team: str | None,
        person_id: str | None,
        overdue: bool,
        open_only: bool,
        as_json: bool,
    ) -> None:
        """Each assignment and its status: assigned, in progress, completed, overdue, expired, waived."""
        service = _service(hub)
        people = {p.id: p for p in _scope(hub, team, person_id)}
        today = service.today
        rows = []
        for record in service.assignments(person_ids=list(people)):
            state = record.status(today)
            if overdue and state is not AssignmentStatus.OVERDUE:
                continue
            if open_only and not record.is_open():
                continue
            course = service.catalogue.courses.get(record.course_id)
            person = people[record.person_id]
            rows.append(
                record.plain(today)
                | {
                    "person_name": person.name,
                    "team": person.team,
                    "course_title": course.title if course else record.course_id,
                }
            )
        rows.sort(key=lambda r: (r["team"], r["person_name"], r["due"] or "", r["course_id"]))
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["id"],
                    r["person_id"],
                    r["person_name"],
                    r["course_id"],
                    STATE_LABELS.get(r["status"], r["status"]),
                    r["due"] or "",
                    r["completed_on"] or "",
                    r["expires_on"] or "",
                    r["source"],
                )
                for r in rows
            ),
            ("#", "PERSON", "NAME", "COURSE", "STATUS", "DUE", "COMPLETED", "EXPIRES", "SOURCE"),
            empty="No matching assignments."
            if overdue or open_only
            else "No assignments (corehub training sync, or corehub training assign).",
        )

    @training.command("matrix")
    @click.option("--team", help="Only this team.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def matrix(hub: Hub, team: str | None, as_json: bool) -> None:
        """Compliance matrix: people x required courses, with state and date."""
        from corehub_training_tracker.report import cell_date

        service = _service(hub)
        result = service.matrix(_scope(hub, team))
        if as_json:
            echo_json(result.plain())
            return
        if not result.courses:
            click.echo("No required courses for these people (see: corehub training courses).")
            return
        headers = ["PERSON", "NAME", *(c.id for c in result.courses)]
        rows = []
        for person in result.people:
            cells = []
            for course in result.courses:
                cell = result.cells.get((person.id, course.id))
                if cell is None:
                    cells.append("-")
                    continue
                kind, date = cell_date(cell.state, cell.due, cell.completed_on, cell.expires_on)
                label = STATE_LABELS.get(cell.state, cell.state)
                if kind == "done":
                    cells.append(f"{label} {date}")
                else:
                    cells.append(f"{label}, {kind} {date}" if kind else label)
            rows.append([person.id, person.name, *cells])
        echo_table(rows, headers)
        totals = []
        for course in result.courses:
            compliant, required = result.compliance(course.id)
            totals.append(f"{course.id} {compliant}/{required}")
        click.echo("Compliant: " + ", ".join(totals))

    @training.command("rate")
    @click.option("--person", "person_id", required=True, metavar="ID", help="The participant.")
    @click.option("--course", "course_id", required=True)
    @click.option(
        "--rating", type=click.IntRange(1, 5), required=True, help="1 (poor) to 5 (excellent)."
    )
    @click.option("--comment", default="", help="What worked, what did not.")
    @pass_hub
    def rate(hub: Hub, person_id: str, course_id: str, rating: int, comment: str) -> None:
        """Rate a completed course (the latest rating of a person counts)."""
        _service(hub).rate(person_id, course_id, rating, comment)
        click.echo(f"Thank you: {course_id} rated {rating}/5.")

    @training.command("recommendations")
    @click.option("--cycle", "cycle_name", help="Only recommendations from this cycle's reviews.")
    @click.option("--manager", "manager_id", metavar="ID", help="Only people this person manages.")
    @click.option(
        "--status",
        type=click.Choice(["pending", "accepted", "completed", "dismissed", "all"]),
        default="pending",
        show_default=True,
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def recommendations(
        hub: Hub, cycle_name: str | None, manager_id: str | None, status: str, as_json: bool
    ) -> None:
        """Courses recommended from low ratings in manager reviews."""
        from corehub import access
        from corehub_training_tracker import recommendations as recs

        cycle_id = hub.cycles.get(cycle_name).id if cycle_name else None
        if manager_id is not None:
            hub.people.get(manager_id)
        rows = recs.listing(
            hub,
            cycle_id=cycle_id,
            status=None if status == "all" else status,
            manager_id=manager_id,
        )
        who = access.viewer(hub)
        rows = [r for r in rows if access.may_see_person(hub, who, r["person_id"])]
        if as_json:
            echo_json(rows)
            return
        echo_table(
            (
                (
                    r["id"],
                    r["person_id"],
                    r["person_name"],
                    r["course_id"],
                    r["status"],
                    r["reason"],
                )
                for r in rows
            ),
            ("#", "PERSON", "NAME", "COURSE", "STATUS", "WHY"),
            empty="No recommendations.",
        )

    @training.command("accept")
    @click.argument("recommendation_id", type=int)
    @click.option(
        "--due", type=DATE, help="Due date of the assignment (default: in default_due_days)."
    )
    @pass_hub
    def accept(hub: Hub, recommendation_id: int, due: dt.date | None) -> None:
        """Accept a recommendation: the person is assigned the course."""
        from corehub_training_tracker import recommendations as recs

        row = recs.accept(hub, recommendation_id, due=due)
        click.echo(
            f"Accepted #{recommendation_id}: {row['person_id']} assigned {row['course_id']} "
            f"(assignment #{row['assignment_id']})."
        )

    @training.command("dismiss")
    @click.argument("recommendation_id", type=int)
    @click.option("--reason", required=True, help="Why the course is not needed.")
    @pass_hub
    def dismiss(hub: Hub, recommendation_id: int, reason: str) -> None:
        """Dismiss a recommendation, with the reason."""
        from corehub_training_tracker import recommendations as recs

        recs.dismiss(hub, recommendation_id, reason=reason)
        click.echo(f"Dismissed #{recommendation_id}.")
