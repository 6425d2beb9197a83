"""``corehub people``: import the org chart from CSV, list people."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from corehub import access
from corehub.cli.output import echo_fields, echo_json, echo_table
from corehub.errors import NotFoundError, PermissionDeniedError, ValidationError
from corehub.hub import Hub
from corehub.messages import M_
from corehub.models import Level


def register(cli: click.Group) -> None:
    @cli.group()
    def people() -> None:
        """People: who is in the organization."""

    @people.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--sync",
        is_flag=True,
        help="Deactivate active people missing from the file (history is kept).",
    )
    @click.pass_obj
    def import_(hub: Hub, file: Path, sync: bool) -> None:
        """Import or update people from a CSV FILE.

        Columns: id, name (required); email, role, level (operational, supervisory,
        directive), team, manager_id, hire_date, locale, leaving_date (the day they
        leave; a file without the column keeps the dates set before; a day that has
        come imports the person deactivated). Comma or semicolon separated,
        UTF-8 with or without BOM. Every problem is listed with its row and nothing is
        written unless there is none.
        """
        result = hub.people.import_csv(file, sync=sync)
        parts = [
            f"{len(result.created)} created",
            f"{len(result.updated)} updated",
            f"{len(result.unchanged)} unchanged",
        ]
        if result.reactivated:
            parts.append(f"{len(result.reactivated)} reactivated")
        if sync:
            parts.append(f"{len(result.deactivated)} deactivated")
        click.echo(f"Imported {file.name}: " + ", ".join(parts) + ".")

    @people.command("list")
    @click.option("--team", help="Only this team.")
    @click.option("--level", type=click.Choice([lv.value for lv in Level]), help="Only this level.")
    @click.option(
        "--manager", "manager_id", metavar="ID", help="Only direct reports of this person."
    )
    @click.option("--inactive", is_flag=True, help="Include deactivated people.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def list_(
        hub: Hub,
        team: str | None,
        level: str | None,
        manager_id: str | None,
        inactive: bool,
        as_json: bool,
    ) -> None:
        """List people, by team and name."""
        if team is not None and team not in {
            p.team for p in hub.people.list(include_inactive=True)
        }:
            known = ", ".join(hub.people.teams()) or "none yet"
            raise NotFoundError(f"no team named {team!r} (teams: {known})")
        if manager_id is not None:
            hub.people.get(manager_id)
        found = hub.people.list(
            team=team, level=level, manager_id=manager_id, include_inactive=inactive
        )
        if as_json:
            echo_json([hub.unstructure(p) for p in found])
            return
        # an unknown team or manager was refused above: an empty list here is a real answer
        empty = (
            "Nobody matches."
            if team or level or manager_id
            else "No people yet (corehub people import FILE.csv)."
        )
        echo_table(
            (
                (
                    p.id,
                    p.name,
                    p.team,
                    p.role,
                    p.level.value,
                    p.manager_id or "",
                    ("inactive" if not p.active else "")
                    + (f" (leaves {p.leaving_date.isoformat()})" if p.leaving_date else ""),
                )
                for p in found
            ),
            ("ID", "NAME", "TEAM", "ROLE", "LEVEL", "MANAGER", ""),
            empty=empty,
        )

    @people.command("leave")
    @click.argument("person_id")
    @click.option(
        "--on",
        "day",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="The day they leave (YYYY-MM-DD): from that day they no longer count.",
    )
    @click.option("--cancel", is_flag=True, help="They are not leaving after all.")
    @click.option("--reason", help="Why, for the audit trail.")
    @click.pass_obj
    def leave(
        hub: Hub, person_id: str, day: dt.datetime | None, cancel: bool, reason: str | None
    ) -> None:
        """Record the day PERSON_ID leaves (HR only).

        From that day they no longer count towards training coverage and get no
        reminders; they are deactivated on it (at once when the day has come, else by
        `corehub remind`, which deactivates the people whose leaving date has come on
        every run), which ends their web sessions. History is kept.
        """
        if cancel == (day is not None):
            raise ValidationError("give the day with --on YYYY-MM-DD, or --cancel")
        who = access.viewer(hub)
        if not who.sees_everything:
            raise PermissionDeniedError(
                M_("%(actor)s may not record when people leave: only HR can", actor=who.actor)
            )
        person = hub.people.set_leaving_date(person_id, day.date() if day else None, reason=reason)
        if person.leaving_date is None:
            click.echo(
                f"{person.id} is not leaving."
                + (
                    ""
                    if person.active
                    else " They stay inactive: a people import that lists them reactivates them."
                )
            )
        elif not person.active:
            click.echo(f"{person.id} left on {person.leaving_date.isoformat()}: deactivated.")
        else:
            click.echo(
                f"{person.id} leaves on {person.leaving_date.isoformat()}: from that day they "
                "no longer count and are deactivated."
            )

    @people.command("show")
    @click.argument("person_id")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def show(hub: Hub, person_id: str, as_json: bool) -> None:
        """Show one person, their manager and direct reports."""
        person = hub.people.get(person_id)
        reports = hub.people.reports(person.id)
        data = hub.unstructure(person) | {"reports": [p.id for p in reports]}
        if as_json:
            echo_json(data)
            return
        echo_fields(data)
