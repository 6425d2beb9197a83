"""``corehub cycle``: plan, open, track and close evaluation cycles."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from corehub.cli.output import echo_json, echo_table
from corehub.hub import Hub
from corehub.models import TaskStatus

if TYPE_CHECKING:
    from corehub.cycles import CycleReport, StatusCounts

if TYPE_CHECKING:  # click 8.2 and later make ParamType generic; 8.1 does not subscript
    _ParamType = click.ParamType[Any, Any]
else:
    _ParamType = click.ParamType


class DateType(_ParamType):
    name = "DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (use YYYY-MM-DD)", param, ctx)


class DueType(_ParamType):
    name = "KIND=DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, dt.date]:
        if isinstance(value, tuple):
            return value
        kind, eq, date = str(value).partition("=")
        if not eq or not kind.strip():
            self.fail(f"{value!r}: use KIND=DATE, e.g. self=2026-11-15", param, ctx)
        return kind.strip(), DateType().convert(date.strip(), param, ctx)


DATE = DateType()


def register(cli: click.Group) -> None:
    @cli.group()
    def cycle() -> None:
        """Evaluation cycles: create, open, status, close."""

    @cycle.command()
    @click.argument("name")
    @click.option("--start", type=DATE, required=True, help="First day (YYYY-MM-DD).")
    @click.option("--end", type=DATE, required=True, help="Last day (YYYY-MM-DD).")
    @click.option(
        "--scope",
        "scope",
        multiple=True,
        metavar="SCOPE",
        help="all, team:T, level:L, role:R or person:P; repeat for a union. Default: all.",
    )
    @click.option(
        "--due",
        "due",
        multiple=True,
        type=DueType(),
        help="Due date of a task kind, e.g. --due self=2026-11-15; repeatable.",
    )
    @click.option(
        "--allow-empty-scope",
        is_flag=True,
        help="Accept a scope item that matches nobody yet (people will join before it opens).",
    )
    @click.option(
        "--calibrate",
        is_flag=True,
        help="A calibration step: manager reviews are compared before any is released.",
    )
    @click.pass_obj
    def create(
        hub: Hub,
        name: str,
        start: dt.date,
        end: dt.date,
        scope: tuple[str, ...],
        due: tuple[tuple[str, dt.date], ...],
        allow_empty_scope: bool,
        calibrate: bool,
    ) -> None:
        """Plan a cycle NAME (a draft: nobody is enrolled until it is opened)."""
        created = hub.cycles.create(
            name,
            start=start,
            end=end,
            scope=scope or ("all",),
            due=dict(due),
            allow_empty=allow_empty_scope,
            calibrate=calibrate,
        )
        click.echo(
            f"Created cycle {created.name!r} ({created.start} to {created.end}, scope {' + '.join(created.scope)})."
        )
        click.echo(f"Open it with: corehub cycle open {_quote(created.name)}")

    @cycle.command("settings")
    @click.argument("name")
    @click.option(
        "--calibrate/--no-calibrate",
        default=None,
        help="Turn the calibration step on or off (manager reviews compared before release).",
    )
    @click.pass_obj
    def settings(hub: Hub, name: str, calibrate: bool | None) -> None:
        """Show or change a cycle's settings."""
        cycle = hub.cycles.get(name)
        if calibrate is not None:
            cycle = hub.cycles.set_calibrate(cycle, calibrate)
        state = "on" if cycle.calibrate else "off"
        click.echo(f"Cycle {cycle.name!r}: calibration step {state}.")

    @cycle.command("open")
    @click.argument("name")
    @click.pass_obj
    def open_(hub: Hub, name: str) -> None:
        """Enrol everyone in scope and create their tasks (safe to run again)."""
        result = hub.cycles.open(name)
        if result.enrolled:
            click.echo(
                f"Opened {result.cycle.name!r}: enrolled {len(result.enrolled)} people, created {result.tasks_created} tasks."
            )
        else:
            click.echo(f"{result.cycle.name!r} is open; nobody new to enrol.")

    @cycle.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def list_(hub: Hub, as_json: bool) -> None:
        """List cycles."""
        cycles = hub.cycles.list()
        if as_json:
            echo_json([hub.unstructure(c) for c in cycles])
            return
        echo_table(
            ((c.name, c.status.value, c.start, c.end, " + ".join(c.scope)) for c in cycles),
            ("NAME", "STATUS", "START", "END", "SCOPE"),
            empty="No cycles (corehub cycle create --help).",
        )

    @cycle.command()
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def status(hub: Hub, name: str, as_json: bool) -> None:
        """Progress at a glance: done / open / overdue tasks per kind and per team."""
        from corehub import access

        report = hub.cycles.report(name)
        # Every team's progress at once: HR's, like the web app's HR overview.
        access.require_see_team(hub, access.viewer(hub), None)
        if as_json:
            echo_json(_report_json(hub, report))
            return
        print_report(report)

    @cycle.command()
    @click.argument("name")
    @click.option("--person", "person_id", metavar="ID", help="Only tasks this person must do.")
    @click.option("--kind", help="Only this kind of task.")
    @click.option("--open", "only_open", is_flag=True, help="Only open tasks.")
    @click.option("--overdue", is_flag=True, help="Only overdue tasks.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def tasks(
        hub: Hub,
        name: str,
        person_id: str | None,
        kind: str | None,
        only_open: bool,
        overdue: bool,
        as_json: bool,
    ) -> None:
        """List the tasks of a cycle, soonest due first."""
        from corehub import access

        c = hub.cycles.get(name)
        if person_id is not None:
            hub.people.get(person_id)  # a typo is an error, not "no tasks"
        if kind is not None and kind not in hub.cycles.task_kinds():
            known = ", ".join(sorted(hub.cycles.task_kinds())) or "none"
            raise click.BadParameter(f"no task kind {kind!r} (kinds: {known})", param_hint="--kind")
        today = hub.clock.today()
        found = hub.cycles.tasks(
            c,
            kind=kind,
            assignee_id=person_id,
            status=TaskStatus.OPEN if (only_open or overdue) else None,
            viewer=hub.actor,
        )
        if overdue:
            found = [t for t in found if t.is_overdue(today)]
        who = access.viewer(hub)
        if not who.sees_everything:
            # --as PERSON: their own tasks and those about people they may see.
            found = [
                t
                for t in found
                if t.assignee_id == who.id or access.may_see_person(hub, who, t.subject_id)
            ]
        if as_json:
            echo_json([hub.unstructure(t) | {"overdue": t.is_overdue(today)} for t in found])
            return
        echo_table(
            (
                (
                    t.id,
                    t.label,
                    t.assignee_id,
                    t.subject_id,
                    t.due,
                    t.status.value + (" (overdue)" if t.is_overdue(today) else ""),
                )
                for t in found
            ),
            ("ID", "TASK", "WHO", "ABOUT", "DUE", "STATUS"),
            empty="No tasks match.",
        )

    @cycle.command()
    @click.argument("name")
    @click.option("--force", is_flag=True, help="Close even with open tasks (they are cancelled).")
    @click.option(
        "--reason", help="Why (required with --force when tasks are open; kept in the audit trail)."
    )
    @click.pass_obj
    def close(hub: Hub, name: str, force: bool, reason: str | None) -> None:
        """Close a cycle; it is frozen afterwards. Refuses while tasks are open."""
        closed = hub.cycles.close(name, force=force, reason=reason)
        click.echo(f"Closed {closed.name!r}. It is now frozen.")


def print_report(report: CycleReport) -> None:
    """The human-readable cycle status: counts per task kind, then per team."""
    c = report.cycle
    click.echo(
        f"{c.name} ({c.status.value}), {c.start} to {c.end}, {report.people} people, as of {report.today}"
    )
    click.echo()
    echo_table(
        _rows(report.by_kind, report),
        ("TASK", "DONE", "OPEN", "OVERDUE", "WAITING", "CANCELLED", "PROGRESS"),
        empty="No tasks.",
    )
    if report.by_team:
        click.echo()
        echo_table(
            _rows(report.by_team, report),
            ("TEAM", "DONE", "OPEN", "OVERDUE", "WAITING", "CANCELLED", "PROGRESS"),
        )


def _rows(groups: dict[str, StatusCounts], report: CycleReport) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for key, counts in groups.items():
        rows.append(_row(key, counts))
    rows.append(_row("total", report.total))
    return rows


def _row(key: str, c: StatusCounts) -> tuple[object, ...]:
    return (key, c.done, c.open, c.overdue, c.waiting, c.cancelled, _bar(c))


def _bar(counts: StatusCounts, width: int = 20) -> str:
    """Done as ``#``, cancelled as ``x``, open as ``.``; the share is of every task, so a
    cycle closed with cancelled tasks never reads 100%."""
    planned = counts.total + counts.cancelled
    if not planned:
        return "-"
    share = counts.done / planned
    filled = round(share * width)
    crossed = min(round(counts.cancelled / planned * width), width - filled)
    return "#" * filled + "x" * crossed + "." * (width - filled - crossed) + f" {share:4.0%}"


def _report_json(hub: Hub, report: CycleReport) -> dict[str, object]:
    def counts(c: StatusCounts) -> dict[str, int]:
        return {
            "done": c.done,
            "open": c.open,
            "overdue": c.overdue,
            "waiting": c.waiting,
            "cancelled": c.cancelled,
        }

    return {
        "cycle": hub.unstructure(report.cycle),
        "today": report.today.isoformat(),
        "people": report.people,
        "by_kind": {k: counts(v) for k, v in report.by_kind.items()},
        "by_team": {k: counts(v) for k, v in report.by_team.items()},
        "total": counts(report.total),
    }


def _quote(name: str) -> str:
    return f'"{name}"' if " " in name else name
