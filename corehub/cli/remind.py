"""``corehub remind``: one digest per person of what is due soon or overdue."""

from __future__ import annotations

import click

from corehub.cli.output import echo_json
from corehub.errors import CorehubError
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--cycle", "cycle_name", help="Only tasks of this review cycle.")
    @click.option(
        "--training", is_flag=True, help="Only training (assignments and certifications)."
    )
    @click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def remind(
        hub: Hub, cycle_name: str | None, training: bool, dry_run: bool, as_json: bool
    ) -> None:
        """Remind people of what is due soon or overdue; escalate what is late.

        Each person gets one digest. Items late by [reminders] copy_manager_after_days go
        to their manager too, and by copy_hr_after_days to HR. Safe to run every day:
        a digest already sent today is not sent again; failed sends are retried next run.
        People whose leaving date has come are deactivated first (with --dry-run, only
        named).
        """
        from corehub.notify import remind as run_reminders

        gone = hub.people.deactivate_leavers(dry_run=dry_run)
        if gone and not as_json:
            verb = "would be deactivated" if dry_run else "deactivated"
            for person in gone:
                assert person.leaving_date is not None
                click.echo(f"{person.id} left on {person.leaving_date.isoformat()}: {verb}.")

        categories = None
        if cycle_name or training:
            categories = (["cycle"] if cycle_name else []) + (["training"] if training else [])
        cycle_id = hub.cycles.get(cycle_name).id if cycle_name else None
        outcomes = run_reminders(hub, categories=categories, cycle_id=cycle_id, dry_run=dry_run)
        if as_json:
            echo_json(
                [
                    {
                        "recipient": o.recipient_id,
                        "status": o.status,
                        "subject": o.subject,
                        "detail": o.detail,
                    }
                    for o in outcomes
                ]
            )
        else:
            for o in outcomes:
                if o.status == "planned":
                    click.echo(f"--- to {o.recipient_id}: {o.subject}")
                    click.echo(o.detail.rstrip())
                    click.echo()
                else:
                    click.echo(
                        f"{o.status:8} {o.recipient_id}: {o.subject or o.detail}"
                        + (f" ({o.detail})" if o.status == "failed" and o.subject else "")
                    )
            counts = {
                s: sum(1 for o in outcomes if o.status == s)
                for s in ("sent", "skipped", "failed", "planned")
            }
            click.echo(
                ", ".join(f"{n} {s}" for s, n in counts.items() if n)
                or "Nothing to remind anyone of."
            )
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            raise CorehubError(
                f"{len(failed)} reminder(s) could not be sent; they will be retried on the next run"
            )
