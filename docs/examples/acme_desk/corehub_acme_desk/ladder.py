"""Step 3 and 4: Acme's career ladder, as a packet section and as a command."""

import attrs
import click

from corehub.cli import echo_json, echo_table, pass_hub


@attrs.frozen
class AcmeSettings:
    """``[settings.acme_desk]`` in corehub.toml."""

    ladder: list[str] = attrs.field(
        factory=lambda: [
            "Night shift agent",
            "Service desk agent",
            "Senior service desk agent",
            "Team lead",
        ]
    )


def next_step(ladder: list[str], role: str) -> str | None:
    """The role after ``role`` on the ladder; None at the top or off the ladder."""
    if role not in ladder or role == ladder[-1]:
        return None
    return ladder[ladder.index(role) + 1]


def ladder_context(hub, report):
    """Plain data for the packet section; None leaves the section out."""
    ladder = hub.settings("acme_desk").ladder
    role = report.person.role
    if role not in ladder:
        return None
    return {"ladder": ladder, "role": role, "next_role": next_step(ladder, role)}


@click.group()
def acme():
    """Acme's own commands."""


@acme.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_hub
def ladder(hub, as_json):
    """Print the career ladder and how many people stand on each step."""
    steps = hub.settings("acme_desk").ladder
    people = hub.people.list()
    rows = [(step, sum(1 for p in people if p.role == step)) for step in steps]
    if as_json:
        echo_json([{"role": step, "people": count} for step, count in rows])
    else:
        echo_table(rows, ("ROLE", "PEOPLE"))
