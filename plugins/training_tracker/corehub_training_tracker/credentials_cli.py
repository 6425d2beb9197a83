"""``corehub training credentials``, ``sign-off``, ``coach``, ``coaching``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_json, echo_table, pass_hub


def _credentials(hub: Hub) -> Any:
    from corehub_training_tracker.credentials import Credentials
    from corehub_training_tracker.training import Training

    return Credentials(Training(hub))


def register_credentials(
    training: click.Group, scope: Any, date_type: click.ParamType[Any, Any]
) -> None:
    @training.command("credentials")
    @click.option("--person", help="One person.")
    @click.option("--team", help="One team.")
    @click.option("--credential", "credential_id", help="Credential id (default: kcs).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def credentials(
        hub: Hub, person: str | None, team: str | None, credential_id: str | None, as_json: bool
    ) -> None:
        """Each person's credential level, what the next level still needs, and their coach.

        People are listed by team and name: nobody is ranked.
        """
        service = _credentials(hub)
        standings = service.standings(scope(hub, team, person), credential_id)
        if as_json:
            echo_json([hub.unstructure(s) for s in standings])
            return
        echo_table(
            (
                (
                    s.person_id,
                    s.team or "",
                    s.level_title or "-",
                    s.earned_on.isoformat() if s.earned_on else "",
                    s.next_title or "(top level)",
                    ("READY for sign-off" if s.ready_for_sign_off else "; ".join(s.missing)),
                    ", ".join(s.coaches) or "-",
                    ("REVIEW: " + ", ".join(s.review)) if s.review else "",
                )
                for s in standings
            ),
            ("PERSON", "TEAM", "LEVEL", "SINCE", "NEXT", "STILL NEEDS", "COACH", ""),
            empty="Nobody.",
        )

    @training.command("sign-off")
    @click.argument("person")
    @click.argument("level")
    @click.option("--credential", "credential_id", help="Credential id (default: kcs).")
    @click.option("--note", default="", help="The coach's note.")
    @pass_hub
    def sign_off(hub: Hub, person: str, level: str, credential_id: str | None, note: str) -> None:
        """As a coach of PERSON (--as COACH), grant LEVEL once its other criteria are met."""
        state = _credentials(hub).sign_off(person, level, credential_id=credential_id, note=note)
        click.echo(f"{person} holds {state.title} since {state.earned_on}.")

    @training.group("coach")
    def coach() -> None:
        """KCS coaches: who coaches whom."""

    @coach.command("assign")
    @click.argument("coach_id", metavar="COACH")
    @click.option("--person", "person_ids", multiple=True, metavar="ID", help="A coachee.")
    @click.option("--team", help="Coach a whole team.")
    @pass_hub
    def coach_assign(
        hub: Hub, coach_id: str, person_ids: tuple[str, ...], team: str | None
    ) -> None:
        """Make COACH a coach of people or of a team (their managers or HR do this)."""
        added = _credentials(hub).assign_coach(coach_id, person_ids=person_ids, team=team)
        click.echo(f"{coach_id}: {added} coaching assignment(s) added.")

    @coach.command("list")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def coach_list(hub: Hub, as_json: bool) -> None:
        """Coaches and their coachees."""
        service = _credentials(hub)
        rows = service.coach_table()
        if as_json:
            echo_json(rows)
            return
        echo_table(
            ((r["coach"], ", ".join(r["coachees"])) for r in rows),
            ("COACH", "COACHEES"),
            empty="No coaches yet (`corehub training coach assign`).",
        )

    @training.group("coaching")
    def coaching() -> None:
        """Coaching sessions: what coach and coachee worked on, and the next steps."""

    @coaching.command("log")
    @click.argument("person")
    @click.option("--notes", required=True)
    @click.option("--next-steps", default="")
    @click.option("--date", "day", type=date_type, help="Day of the session (default today).")
    @pass_hub
    def coaching_log(
        hub: Hub, person: str, notes: str, next_steps: str, day: dt.date | None
    ) -> None:
        """As PERSON's coach (--as COACH), log a coaching session."""
        row = _credentials(hub).log_session(
            person, day=day or hub.clock.today(), notes=notes, next_steps=next_steps
        )
        click.echo(f"Coaching session {row} logged for {person}.")

    @coaching.command("show")
    @click.argument("person")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def coaching_show(hub: Hub, person: str, as_json: bool) -> None:
        """PERSON's coaching sessions (the person, their coaches, managers and HR see them)."""
        rows = _credentials(hub).sessions(person)
        if as_json:
            echo_json(rows)
            return
        echo_table(
            ((r["day"], r["coach_id"], r["notes"], r["next_steps"]) for r in rows),
            ("DATE", "COACH", "NOTES", "NEXT STEPS"),
            empty="No coaching sessions yet.",
        )


def register_coverage(training: click.Group) -> None:
    @training.command("coverage")
    @click.option("--team", help="One team.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_hub
    def coverage_(hub: Hub, team: str | None, as_json: bool) -> None:
        """Per team and system: people holding a current certification against the minimum,
        gaps now and within the horizon, and who could close them soonest."""
        from corehub import access
        from corehub_training_tracker.coverage import plain, team_coverage
        from corehub_training_tracker.training import Training

        if team is not None:
            access.require_see_team(hub, access.viewer(hub), team)
        items = team_coverage(Training(hub), team)
        if as_json:
            echo_json([plain(i) for i in items])
            return
        rows = []
        for item in items:
            state = "ok"
            if item.gap:
                state = f"GAP: {item.gap} short"
            elif item.gap_soon:
                state = f"gap of {item.gap_soon} from {item.opens_on or item.horizon}"
            closest = ", ".join(
                f"{c.person_id} ({c.course_id}, {c.steps_left:g} to go)"
                for c in item.candidates[:3]
            )
            why = [f"{p} lapses {d}" for p, d in item.expiring] + [
                f"{p} leaves {d}" for p, d in item.leaving
            ]
            rows.append(
                (
                    item.team,
                    item.tag,
                    f"{len(item.holders)}/{item.minimum}",
                    state,
                    "; ".join(why),
                    closest if (item.gap or item.gap_soon) else "",
                )
            )
        echo_table(
            rows,
            ("TEAM", "SYSTEM", "CERTIFIED", "STATE", "WITHIN THE HORIZON", "CLOSEST TO CLOSE IT"),
            empty="No coverage minimums set ([settings.training_tracker] coverage).",
        )
