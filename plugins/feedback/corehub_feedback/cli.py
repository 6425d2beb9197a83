"""``corehub feedback``: give, list, answer and summarise feedback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from corehub import Hub
from corehub.cli import echo_fields, echo_json, echo_table


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _pct(figures: dict[str, Any] | None, key: str) -> str:
    return "-" if figures is None else f"{figures[key]}%"


def register(cli: click.Group) -> None:

    @cli.group()
    def feedback() -> None:
        """Feedback: praise, suggestions, concerns, peer and upward feedback, CSAT and eNPS.

        Act as a person with the global option: corehub --as PERSON feedback ...
        """

    @feedback.command()
    @click.option(
        "--kind",
        "kind",
        required=True,
        help="praise, suggestion, concern, upward, pulse, or your own kind.",
    )
    @click.option(
        "--to", "to", metavar="PERSON", help="Who it is for (upward: your manager, the default)."
    )
    @click.option("--text", help="What you want to say.")
    @click.option("--rating", type=float, help="A rating (upward 1-5, pulse 0-10).")
    @click.option("--tag", "tags", multiple=True, help="Competency tag (praise); repeatable.")
    @click.option(
        "--anonymous",
        is_flag=True,
        help="Store no author (suggestions; upward and pulse always are).",
    )
    @click.option("--cycle", help="The cycle it belongs to (upward: default the open cycle).")
    @click.pass_obj
    def give(
        hub: Hub,
        kind: str,
        to: str | None,
        text: str | None,
        rating: float | None,
        tags: tuple[str, ...],
        anonymous: bool,
        cycle: str | None,
    ) -> None:
        """Give feedback as the acting person (--as PERSON)."""
        from corehub_feedback import kinds, store

        item = store.give(
            hub,
            kind=kind,
            to=to,
            text=text,
            rating=rating,
            tags=tags,
            anonymous=anonymous,
            cycle=cycle,
        )
        whom = f" to {item.recipient_id}" if item.recipient_id else ""
        how = " anonymously (no author stored)" if item.anonymous else ""
        click.echo(f"Stored {item.kind} feedback {item.id}{whom}{how}.")
        if item.kind not in kinds.AGGREGATE_ONLY and store.is_held_back(hub, item):
            click.echo("It is listed from tomorrow, with the rest of today's anonymous feedback.")

    @feedback.command("list")
    @click.option("--to", "to", metavar="PERSON", help="Only feedback for this person.")
    @click.option("--kind", help="Only this kind.")
    @click.option("--since", help="Only from this day on (YYYY-MM-DD).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def list_(hub: Hub, to: str | None, kind: str | None, since: str | None, as_json: bool) -> None:
        """Feedback you may read (peer, upward and pulse appear only in summaries)."""
        from corehub_feedback import store

        if to is not None:
            hub.people.get(to)  # a typo is an error, not "no feedback"
        items = store.list_feedback(hub, to=to, kind=kind, since=_date(since))
        if as_json:
            echo_json([store.item_json(hub, i) for i in items])
            return
        echo_table(
            (
                (
                    i.id,
                    i.given_on,
                    i.kind,
                    "(anonymous)" if i.anonymous else (i.author_id or "(customer)"),
                    i.recipient_id or "-",
                    "" if i.rating is None else f"{i.rating:g}",
                    _short(i.text),
                )
                for i in items
            ),
            ("ID", "DAY", "KIND", "FROM", "TO", "RATING", "TEXT"),
            empty="No feedback you may read matches.",
        )

    @feedback.command("suggestions")
    @click.option(
        "--status", help="Only this status: new, under_review, accepted, declined, implemented."
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def suggestions_(hub: Hub, status: str | None, as_json: bool) -> None:
        """The suggestion pipeline: status and the latest response with its reasoning."""
        from corehub_feedback import store, suggestions

        items = suggestions.pipeline(hub, status=status)
        if as_json:
            echo_json([store.item_json(hub, i) for i in items])
            return
        echo_table(
            (
                (
                    i.id,
                    i.given_on,
                    "(anonymous)" if i.anonymous else i.author_id,
                    i.status,
                    _short(i.text, 40),
                    _short(i.responses[-1].text, 50) if i.responses else "-",
                )
                for i in items
            ),
            ("ID", "DAY", "FROM", "STATUS", "SUGGESTION", "LATEST RESPONSE"),
            empty="No suggestions you may read.",
        )

    @feedback.command()
    @click.argument("suggestion_id", type=int)
    @click.option(
        "--status",
        help="New status, one step at a time: new -> under_review -> accepted or declined; "
        "accepted -> implemented; declined -> under_review.",
    )
    @click.option("--text", required=True, help="The response, with the reasoning.")
    @click.pass_obj
    def respond(hub: Hub, suggestion_id: int, status: str | None, text: str) -> None:
        """Answer suggestion SUGGESTION_ID (and move it along the pipeline)."""
        from corehub_feedback import suggestions

        item = suggestions.respond(hub, suggestion_id, text=text, status=status)
        click.echo(f"Suggestion {item.id} is now {item.status}.")

    @feedback.command("summary")
    @click.option("--team", help="One team (its managers and HR).")
    @click.option("--person", metavar="PERSON", help="One person (them, their managers, HR).")
    @click.option("--period", help="2026-11, 2026-Q4 or 2026 (default: the last 12 months).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def summary_(
        hub: Hub, team: str | None, person: str | None, period: str | None, as_json: bool
    ) -> None:
        """CSAT, eNPS, praise received and suggestion counts."""
        from corehub_feedback import summary

        data = summary.summary(hub, team=team, person=person, period=period)
        if as_json:
            echo_json(data)
            return
        print_summary(data)

    @feedback.command("import-csat")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--map",
        "mappings",
        multiple=True,
        metavar="THEIRS=OURS",
        help="Read column THEIRS as ticket_id, agent, score, comment or date (THEIRS= ignores it).",
    )
    @click.option(
        "--map-values",
        "value_maps",
        multiple=True,
        metavar="RATING=SCORE",
        help="Score a ticket export's rating, e.g. 'Extremely happy=5' (good=5, bad=1 built in).",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def import_csat(
        hub: Hub, file: Path, mappings: tuple[str, ...], value_maps: tuple[str, ...], as_json: bool
    ) -> None:
        """Import CSAT ratings from a CSAT file or a ticket export (Zendesk CSV or API JSON,
        Freshdesk, Jira Service Management); all-or-nothing, re-import safe."""
        from corehub_feedback import csat

        importer = hub.hook.register_importers.registry(what="importer", hub=hub)["csat"]
        options = csat.parse_mapping(mappings) | csat.parse_values(value_maps)
        result = importer.load(hub, file, options)
        if as_json:
            echo_json(hub.unstructure(result))
            return
        click.echo(
            f"{result.file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            + (f" {result.unrated} unrated tickets skipped." if result.unrated else "")
        )

    @feedback.command("request-peers")
    @click.option("--cycle", required=True, help="The open cycle.")
    @click.option("--person", required=True, metavar="PERSON", help="Whom the feedback is about.")
    @click.option(
        "--peers",
        required=True,
        metavar="A,B,C",
        help="Peers, comma separated: at least the anonymity threshold (5 by default).",
    )
    @click.pass_obj
    def request_peers(hub: Hub, cycle: str, person: str, peers: str) -> None:
        """Name peers to give feedback on a person; each gets a 'peer' task in the cycle.

        Peer results show only once as many peers as the anonymity threshold have answered,
        so naming fewer is refused.
        """
        from corehub_feedback import peers as peer_forms

        tasks = peer_forms.request_peers(hub, cycle=cycle, person=person, peers=peers.split(","))
        click.echo(
            f"{len(tasks)} peer(s) asked for feedback on {person}: {', '.join(t.assignee_id for t in tasks)}."
        )
        _echo_progress(peer_forms.peer_progress(hub, cycle=cycle, person=person))

    @feedback.command("peer-status")
    @click.option("--cycle", required=True, help="The cycle.")
    @click.option("--person", required=True, metavar="PERSON", help="Whom the feedback is about.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def peer_status(hub: Hub, cycle: str, person: str, as_json: bool) -> None:
        """How many peers were asked and answered, and how many answers are still needed
        before peer feedback is shown (counts only, never who)."""
        from corehub_feedback import peers as peer_forms

        progress = peer_forms.peer_progress(hub, cycle=cycle, person=person)
        if as_json:
            echo_json(progress)
            return
        _echo_progress(progress)

    @feedback.command("peer")
    @click.option("--cycle", required=True, help="The open cycle.")
    @click.option("--about", required=True, metavar="PERSON", help="Whom your feedback is about.")
    @click.option("--rating", type=float, required=True, help="Overall, 1-5.")
    @click.option("--keep", "keep_doing", help="What they should keep doing.")
    @click.option("--improve", help="What they could improve.")
    @click.pass_obj
    def peer(
        hub: Hub, cycle: str, about: str, rating: float, keep_doing: str | None, improve: str | None
    ) -> None:
        """Submit your peer form (completes your peer task)."""
        from corehub_feedback import peers as peer_forms

        peer_forms.submit_peer(
            hub,
            cycle=cycle,
            about=about,
            rating=rating,
            keep_doing=keep_doing,
            improve=improve,
        )
        click.echo(f"Thank you: your peer feedback on {about} is in, and your task is done.")

    @feedback.group()
    def pulse() -> None:
        """Pulse survey: how likely are you to recommend working here (eNPS)."""

    @pulse.command("answer")
    @click.argument("score", type=int)
    @click.option("--comment", help="Anything you want to add.")
    @click.pass_obj
    def pulse_answer(hub: Hub, score: int, comment: str | None) -> None:
        """Answer with SCORE from 0 to 10 (anonymous: no author, only the day)."""
        from corehub_feedback import kinds, store

        store.give(hub, kind=kinds.PULSE, rating=score, text=comment)
        click.echo("Thank you: your answer is stored anonymously (no author, only the day).")

    @pulse.command("results")
    @click.option("--month", help="YYYY-MM (default: this month).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def pulse_results(hub: Hub, month: str | None, as_json: bool) -> None:
        """eNPS for a month, overall and by team, at the anonymity threshold."""
        from corehub_feedback import access, results, summary

        month = month or hub.clock.today().strftime("%Y-%m")
        summary.parse_period(month, hub.clock.today())
        data = dict(results.pulse_month(hub, month))  # shared with later readers: a copy
        who = access.viewer(hub)
        if not who.sees_everything:
            # --as PERSON: the teams they are a manager of; the whole organization is HR's.
            data["overall"] = None
            data["teams"] = {
                team: figures
                for team, figures in data["teams"].items()
                if access.can_see_team(hub, who, team)
            }
            data["withheld_teams"] = [
                t for t in data["withheld_teams"] if access.can_see_team(hub, who, t)
            ]
        if as_json:
            echo_json(data)
            return
        click.echo(f"eNPS {month} (shown from {data['threshold']} responses)")
        if data["results_after"]:
            click.echo(
                f"Results appear after {data['results_after']}, when the month is over "
                "(a figure that changed with each answer would give answers away)."
            )
            return
        rows = [("everyone", data["overall"]), *data["teams"].items()]
        echo_table(
            (
                (
                    name,
                    f["responses"],
                    f["enps"],
                    _pct(f, "promoters_pct"),
                    _pct(f, "detractors_pct"),
                )
                for name, f in rows
                if f is not None
            ),
            ("GROUP", "RESPONSES", "ENPS", "PROMOTERS", "DETRACTORS"),
            empty="Too few responses to show anything.",
        )
        if data["withheld_teams"]:
            click.echo(
                f"Not shown (too few responses, or could be worked out by subtraction): {', '.join(data['withheld_teams'])}"
            )

    @feedback.command("kinds")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.pass_obj
    def kinds_(hub: Hub, as_json: bool) -> None:
        """The kinds of feedback, from corehub-feedback and any other plugin."""
        from corehub_feedback import kinds

        found = kinds.all_kinds(hub)
        if as_json:
            echo_json([hub.unstructure(k) for k in found.values()])
            return
        echo_table(
            (
                (
                    k.id,
                    k.label,
                    k.anonymity.value,
                    "yes" if k.needs_recipient else "no",
                    _short(k.description, 50),
                )
                for k in found.values()
            ),
            ("KIND", "LABEL", "ANONYMOUS", "RECIPIENT", "DESCRIPTION"),
        )


def print_summary(data: dict[str, Any]) -> None:
    """The human-readable summary."""
    heading = data.get("person", {}).get("name") or data.get("team") or "everyone"
    click.echo(f"Feedback summary: {heading}, {data['period']['label']}")
    click.echo()
    overall = data["csat"]["overall"]
    if overall:
        echo_fields(
            {
                "CSAT": f"{overall['satisfied_pct']}% satisfied (4-5), mean {overall['mean']}, {overall['count']} ratings"
            }
        )
        echo_table(
            (
                (
                    t["month"],
                    t["figures"]["count"],
                    f"{t['figures']['satisfied_pct']}%",
                    t["figures"]["mean"],
                )
                for t in data["csat"]["trend"]
                if t["figures"]
            ),
            ("MONTH", "RATINGS", "SATISFIED", "MEAN"),
        )
    else:
        echo_fields({"CSAT": "no ratings in the period"})
    if data.get("csat_by_agent"):
        click.echo()
        echo_table(
            (
                (
                    a["name"],
                    a["figures"]["count"],
                    f"{a['figures']['satisfied_pct']}%",
                    a["figures"]["mean"],
                )
                for a in data["csat_by_agent"]
            ),
            ("AGENT", "RATINGS", "SATISFIED", "MEAN"),
        )
    click.echo()
    shown = [e for e in data["enps"] if e["figures"]]
    echo_fields(
        {
            "eNPS": ", ".join(
                f"{e['month']}: {e['figures']['enps']:+d} ({e['figures']['responses']})"
                for e in shown
            )
            or f"not shown (fewer than {data['threshold']} responses)"
        }
    )
    for entry in data["enps"]:
        if entry.get("results_after"):
            click.echo(f"  {entry['month']}: results appear after {entry['results_after']}")
    echo_fields({"praise received": data["praise"]["received"]})
    for quote in data["praise"].get("recent", []):
        click.echo(f"  {quote['on']} {quote['from']}: {_short(quote['text'], 70)}")
    for key, label in (("peer", "peer feedback"), ("upward", "upward feedback")):
        for entry in data.get(key, []):
            res = entry["results"]
            if res:
                text = f"mean {res['mean']} from {res['responses']} responses"
            elif entry.get("results_after"):
                text = f"results appear after {entry['results_after']}, when answers close"
            else:
                text = f"not shown (fewer than {data['threshold']} responses)"
            echo_fields({f"{label} {entry['cycle']}": text})
    echo_fields({"suggestions": data["suggestions"]})


def _echo_progress(progress: dict[str, Any]) -> None:
    if progress["answered"] is None:
        click.echo(
            f"{progress['asked']} peer(s) asked; results are shown from "
            f"{progress['threshold']} answers, after the peer due date."
        )
        return
    click.echo(
        f"{progress['answered']} of {progress['asked']} peer(s) answered; results are shown "
        f"from {progress['threshold']} answers"
        + (
            f": {progress['still_needed']} more needed."
            if progress["still_needed"]
            else ", after the peer due date."
        )
    )
