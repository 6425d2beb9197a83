"""``corehub serve``: the web app, and ``corehub people invite``: personal sign-in links."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import click

from corehub.errors import CorehubError, NotFoundError
from corehub.hub import Hub

SERVED_FILE = ".corehub-served"
"""Where `corehub serve` notes the address it serves, for `corehub people invite`."""
FALLBACK_URL = "http://127.0.0.1:8000"


def served_url(host: str, port: int) -> str:
    """The address people open for `serve --host HOST --port PORT` on this machine."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.getfqdn() or "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def record_served(workspace: Path, url: str) -> None:
    """Note ``url`` in the workspace (written to a temporary name, then renamed)."""
    target = workspace / SERVED_FILE
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps({"url": url}) + "\n", encoding="utf-8")
    os.replace(temporary, target)


def link_base(hub: Hub, given: str | None) -> tuple[str, str]:
    """(base URL of sign-in links, where it comes from): ``--base-url``, else ``[web]
    base_url``, else the address `corehub serve` last served this workspace on, else
    http://127.0.0.1:8000 (serve's default)."""
    if given:
        return given, "--base-url"
    if hub.config.web.base_url:
        return hub.config.web.base_url, "[web] base_url in corehub.toml"
    if hub.workspace is not None:
        try:
            noted = json.loads((hub.workspace / SERVED_FILE).read_text(encoding="utf-8"))
            url = str(noted["url"])
        except (OSError, ValueError, KeyError, TypeError):
            url = ""
        if url.startswith(("http://", "https://")):
            return url, "where `corehub serve` last ran for this workspace"
    return FALLBACK_URL, "the default of `corehub serve`; set [web] base_url to choose"


def register(cli: click.Group) -> None:
    @cli.command()
    @click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
    @click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
    @click.option(
        "--secure-cookies",
        is_flag=True,
        help="Send the session cookie over HTTPS only (use behind a TLS proxy).",
    )
    @click.pass_obj
    def serve(hub: Hub, host: str, port: int, threads: int, secure_cookies: bool) -> None:
        """Run the web app: sign-in links, tasks, reviews, feedback, team dashboards.

        Sign-in is by personal link: create them with `corehub people invite`. The session
        cookie is signed with $COREHUB_SECRET_KEY, else with a random key corehub keeps in
        the workspace (.corehub-web-secret, readable by its owner only).
        """
        import waitress

        from corehub.web.app import create_app, workspace_hub_factory

        workspace = hub.require_workspace()
        hub.db  # noqa: B018 - a missing, damaged or locked database stops here, in one line
        hub.close()
        factory = workspace_hub_factory(workspace, plugins_dir=hub._plugins_dir)
        app = create_app(factory, secure_cookies=secure_cookies)
        url = served_url(host, port)
        click.echo(f"corehub serving {workspace} on http://{host}:{port}/ (Ctrl-C stops)")
        if hub.config.web.base_url:
            click.echo(f"Sign-in links use [web] base_url: {hub.config.web.base_url}")
        else:
            record_served(workspace, url)
            click.echo(
                f"Sign-in links from `corehub people invite` use {url} "
                "(set [web] base_url when people reach corehub at another address)"
            )
        try:
            waitress.serve(app, host=host, port=port, threads=threads, ident="corehub")
        except OSError as exc:
            raise CorehubError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc} "
                "(is corehub or another program already serving there? try --port)"
            ) from exc
        finally:
            factory.close()  # the connections the requests reused

    people = cli.commands.get("people")
    if not isinstance(people, click.Group):
        return

    @people.command("invite")
    @click.option("--person", "person_ids", multiple=True, metavar="ID", help="Invite this person.")
    @click.option("--team", help="Invite everyone active in this team.")
    @click.option("--all", "everyone", is_flag=True, help="Invite every active person.")
    @click.option(
        "--base-url",
        default=None,
        help="Where people reach `corehub serve` (default: [web] base_url, else the address "
        "`corehub serve` last ran on for this workspace, else http://127.0.0.1:8000).",
    )
    @click.option("--days", default=7, show_default=True, type=int, help="Days a link lasts.")
    @click.option(
        "--send", is_flag=True, help="Email each link (SMTP, or the outbox without a host)."
    )
    @click.pass_obj
    def invite(
        hub: Hub,
        person_ids: tuple[str, ...],
        team: str | None,
        everyone: bool,
        base_url: str | None,
        days: int,
        send: bool,
    ) -> None:
        """Create personal sign-in links (single use, expiring) and print or email them."""
        from corehub.web import tokens

        if sum(bool(x) for x in (person_ids, team, everyone)) != 1:
            raise click.UsageError(
                "name who to invite: --person ID (repeatable), --team T or --all"
            )
        if person_ids:
            people = [hub.people.get(pid) for pid in person_ids]
        elif team:
            people = hub.people.list(team=team)
            if not people:
                raise NotFoundError(f"no active people in team {team!r}")
        else:
            people = hub.people.list()
        if send:
            missing = [p.id for p in people if not p.email]
            if missing:
                raise CorehubError(f"no email address for: {', '.join(missing)}; nothing was sent")
        base_url, source = link_base(hub, base_url)
        click.echo(f"Links point at {base_url} ({source}).", err=True)
        invitations = tokens.invite(hub, people, base_url=base_url, days=days)
        for inv in invitations:
            if not send:
                click.echo(f"{inv.person.id}\t{inv.person.name}\t{inv.url}")
                continue
            where = hub.hook.send_notification(
                hub=hub, notification=tokens.invitation_message(hub, inv)
            )
            click.echo(f"{inv.person.id}: sent ({where})")
        if not send:
            click.echo(
                f"{len(invitations)} link(s), valid {days} day(s), single use. Treat them as "
                "passwords.",
                err=True,
            )

    @people.command("sign-out")
    @click.argument("person_id")
    @click.pass_obj
    def sign_out(hub: Hub, person_id: str) -> None:
        """End every web session of PERSON_ID now (a lost laptop, a shared computer).

        Their next click in corehub shows the sign-in page; sign-in links they have not used
        yet keep working.
        """
        from corehub.web import sessions

        ended = sessions.end_all(hub, person_id)
        click.echo(f"{person_id}: {ended} web session(s) ended")
