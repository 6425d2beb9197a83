"""``corehub plan``: a person's development plan, its goals and agreed actions.

The acting person is the global ``--as PERSON`` option (``hub.actor``); every rule
(who sees, who changes, who may own an action) is :mod:`corehub_self_assessment.plans`'.
"""

from __future__ import annotations

from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_fields, echo_json, echo_table, pass_hub
from corehub_self_assessment.cli import acting, pick_person


def register(cli: click.Group) -> None:
    @cli.group("plan")
    def plan_group() -> None:
        """Development plans: goals, training and agreed actions, carried across cycles."""

    @plan_group.command("show")
    @click.option("--person", "person_id", metavar="ID", help="Whose plan (default: --as PERSON).")
    @click.option(
        "--cycle",
        "cycle_name",
        metavar="CYCLE",
        help="Read the plan for this cycle's period: what was done between its start and end.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def show(hub: Hub, person_id: str | None, cycle_name: str | None, as_json: bool) -> None:
        """Show a person's plan: goals, training, agreed actions, and what was done."""
        from corehub_self_assessment import plans

        start = end = None
        if cycle_name:
            cycle = hub.cycles.get(cycle_name)
            start, end = cycle.start, hub.cycles.as_of(cycle)
        plan = plans.show(hub, pick_person(hub, person_id), start=start, end=end, actor=acting(hub))
        if as_json:
            echo_json(plan)
            return
        print_plan(plan)

    @plan_group.group("goal")
    def goal_group() -> None:
        """Goals added to a plan directly (goals set in reviews are in it already)."""

    @goal_group.command("add")
    @click.option("--person", "person_id", metavar="ID", help="Whose plan (default: --as PERSON).")
    @click.option("--objective", required=True, help="What the person wants to reach.")
    @click.option("--result", default="", help="The measurable result that says it was met.")
    @click.option("--due", metavar="YYYY-MM-DD", help="When it is due.")
    @pass_hub
    def goal_add(
        hub: Hub, person_id: str | None, objective: str, result: str, due: str | None
    ) -> None:
        """Add a goal to a person's plan (the person and their manager may)."""
        from corehub_self_assessment import plans

        row = plans.add_goal(
            hub,
            pick_person(hub, person_id),
            objective,
            result=result,
            due=due,
            actor=acting(hub),
        )
        click.echo(f"Added goal #{row['id']} to {row['person_id']}'s plan.")

    @goal_group.command("done")
    @click.argument("goal_id", type=int, metavar="ID")
    @click.option("--outcome", default="", help="What came of it.")
    @click.option("--on", "on", metavar="YYYY-MM-DD", help="When it was reached (default: today).")
    @pass_hub
    def goal_done(hub: Hub, goal_id: int, outcome: str, on: str | None) -> None:
        """Record that a plan goal was achieved; it stays in the plan with its date."""
        from corehub_self_assessment import plans

        row = plans.goal_achieved(hub, goal_id, outcome=outcome, on=on, actor=acting(hub))
        click.echo(f"Goal #{row['id']} achieved on {row['done_on']}.")

    @plan_group.group("action")
    def action_group() -> None:
        """Actions agreed between a person and their manager."""

    @action_group.command("add")
    @click.option("--person", "person_id", metavar="ID", help="Whose plan (default: --as PERSON).")
    @click.option("--text", required=True, help="What will be done.")
    @click.option(
        "--owner", metavar="ID", help="Who does it: the person (default) or their manager."
    )
    @click.option("--due", metavar="YYYY-MM-DD", help="When it is due.")
    @pass_hub
    def action_add(
        hub: Hub, person_id: str | None, text: str, owner: str | None, due: str | None
    ) -> None:
        """Agree an action in a person's plan (the person and their manager may)."""
        from corehub_self_assessment import plans

        row = plans.add_action(
            hub, pick_person(hub, person_id), text, owner=owner, due=due, actor=acting(hub)
        )
        click.echo(
            f"Added action #{row['id']} to {row['person_id']}'s plan (owner {row['owner_id']})."
        )

    @action_group.command("edit")
    @click.argument("action_id", type=int, metavar="ID")
    @click.option("--text", help="The new text.")
    @click.option("--owner", metavar="ID", help="The person or their manager.")
    @click.option("--due", metavar="YYYY-MM-DD", help="The new due date.")
    @pass_hub
    def action_edit(
        hub: Hub, action_id: int, text: str | None, owner: str | None, due: str | None
    ) -> None:
        """Change an open action's text, owner or due date."""
        from corehub_self_assessment import plans

        row = plans.edit_action(hub, action_id, text=text, owner=owner, due=due, actor=acting(hub))
        click.echo(f"Changed action #{row['id']}.")

    @action_group.command("done")
    @click.argument("action_id", type=int, metavar="ID")
    @click.option("--on", "on", metavar="YYYY-MM-DD", help="When it was done (default: today).")
    @pass_hub
    def action_done(hub: Hub, action_id: int, on: str | None) -> None:
        """Mark an action done; it stays in the plan with its date."""
        from corehub_self_assessment import plans

        row = plans.action_done(hub, action_id, on=on, actor=acting(hub))
        click.echo(f"Action #{row['id']} done on {row['done_on']}.")


def print_plan(plan: dict[str, Any]) -> None:
    person = plan["person"]
    period = plan["period"]
    click.echo(f"Development plan of {person['name']} ({person['id']})")
    echo_fields(
        {
            "manager": person["manager_name"],
            "period": f"{period['start']} to {period['end']}" if period["start"] else None,
            "as of": period["end"],
        }
    )
    click.echo()
    click.echo("Goals")
    rows = [
        (f"#{g['id']}", g["objective"], g["result"], g["due"], g["status"], g["done_on"], "plan")
        for g in plan["goals"]
    ] + [
        (
            "",
            g["objective"],
            g["result"],
            g["due"],
            "reviewed" if g["outcome"] else "set",
            g.get("outcome_on"),
            f"review {g['cycle']}",
        )
        for g in plan["review_goals"]
    ]
    echo_table(rows, ("ID", "OBJECTIVE", "RESULT", "DUE", "STATUS", "DONE", "FROM"), empty="  none")
    click.echo()
    click.echo("Training and other items")
    echo_table(
        ((i["kind"], i["title"], i["status"], i["due"], i["detail"]) for i in plan["items"]),
        ("KIND", "TITLE", "STATUS", "DUE", "WHY"),
        empty="  none open",
    )
    click.echo()
    click.echo("Agreed actions")
    echo_table(
        (
            (
                f"#{a['id']}",
                a["text"],
                a["owner"],
                a["due"],
                a["status"],
                a["done_on"],
                f"{a['added_by']} {a['added_on']}",
                f"check-in {a['checkin_id']} ({a['checkin_day']})" if a["checkin_id"] else "-",
            )
            for a in plan["actions"]
        ),
        ("ID", "ACTION", "OWNER", "DUE", "STATUS", "DONE", "ADDED", "FROM"),
        empty="  none",
    )
    done = plan["done_in_period"]
    click.echo()
    label = f"Done from {period['start']} to {period['end']}" if period["start"] else "Done"
    click.echo(
        f"{label}: {len(done['actions'])} action(s), {len(done['training'])} course(s) completed, "
        f"{len(done['goals'])} goal(s) progressed"
    )
    for a in done["actions"]:
        click.echo(f"  action  {a['done_on']}  {a['text']}")
    for t in done["training"]:
        click.echo(f"  course  {t['done_on']}  {t['title']}")
    for o in done["other"]:
        click.echo(f"  {o['kind']}  {o['done_on']}  {o['title']}")
    for g in done["goals"]:
        click.echo(f"  goal    {g.get('done_on') or g.get('on')}  {g['objective']}")
