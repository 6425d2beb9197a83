"""``corehub audit``: read the audit trail."""

from __future__ import annotations

import click

from corehub.cli.output import echo_json, echo_table
from corehub.errors import PermissionDeniedError
from corehub.hub import Hub


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--entity", help="Only this kind of record: person, cycle, task, review...")
    @click.option("--id", "entity_id", help="Only this record.")
    @click.option("--cycle", "cycle_name", help="Only events of this cycle.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON with before/after values.")
    @click.pass_obj
    def audit(
        hub: Hub, entity: str | None, entity_id: str | None, cycle_name: str | None, as_json: bool
    ) -> None:
        """Show who changed what, and when (oldest first). For HR and the operator only."""
        from corehub import access
        from corehub.messages import M_

        who = access.viewer(hub)
        if not who.sees_everything:
            # Every before/after is in the trail: answers, private notes, anyone's training.
            raise PermissionDeniedError(
                M_("%(actor)s may not read the audit trail: only HR can", actor=who.actor)
            )
        cycle_id = hub.cycles.get(cycle_name).id if cycle_name else None
        events = list(hub.audit.events(entity=entity, entity_id=entity_id, cycle_id=cycle_id))
        if as_json:
            echo_json([hub.unstructure(e) for e in events])
            return
        echo_table(
            (
                (
                    e.at.isoformat(timespec="seconds"),
                    e.actor or "(anonymous)",
                    e.action,
                    f"{e.entity} {e.entity_id}",
                    e.reason or "",
                )
                for e in events
            ),
            ("WHEN", "WHO", "WHAT", "RECORD", "REASON"),
            empty="No events.",
        )
