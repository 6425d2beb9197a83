"""A plugin written against the previous release's docs, with the names those docs showed
(before the public surface of corehub, corehub.loaders, corehub.cli and corehub.web held
them). It must keep working for a release: tests/test_compat_last_release.py runs it."""

import click
from sqlite_utils.migrations import Migrations

from corehub.cli import pass_hub
from corehub.cli.output import echo_json, echo_table
from corehub.hub import Hub
from corehub.models import NavItem, ReportKind, ReportSection, Route
from corehub.outputs import write_text_output
from corehub.plugins import hookimpl
from corehub.safe_yaml import load_yaml
from corehub.storage import dumps, freeze_with_cycle, from_row, loads
from corehub.workspace import init_workspace

migrations = Migrations("last_release")


@migrations()
def m001_notes(db):
    db["last_release_notes"].create(
        {"id": int, "cycle_id": int, "person_id": str, "text": str, "tags": str}, pk="id"
    )
    freeze_with_cycle(db, "last_release_notes")


@hookimpl
def register_migrations(hub: Hub):
    return migrations


@hookimpl
def register_commands(cli):
    @cli.group(name="old-notes")
    def old_notes():
        """Notes, the way last release's docs showed."""

    @old_notes.command("import")
    @click.argument("cycle_name")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @pass_hub
    def import_(hub, cycle_name, path):
        """Store the notes of a YAML file (person: text) for a cycle."""
        cycle = hub.cycles.get(cycle_name)
        with open(path, encoding="utf-8") as handle:
            data = load_yaml(handle.read(), source=path)
        with hub.atomic():
            for person_id, text in data.items():
                row = {"cycle_id": cycle.id, "person_id": person_id, "text": text}
                hub.db["last_release_notes"].insert({**row, "tags": dumps(["imported"])})
                hub.audit.record("note.imported", "last_release_note", person_id, after=row)
        click.echo(f"{len(data)} notes")

    @old_notes.command("list")
    @click.option("--json", "as_json", is_flag=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False))
    @pass_hub
    def list_(hub, as_json, output):
        """List the notes (or write them to a file)."""
        rows = [{**row, "tags": loads(row["tags"])} for row in hub.db["last_release_notes"].rows]
        if output:
            write_text_output(hub, output, "\n".join(r["text"] for r in rows) + "\n")
        elif as_json:
            echo_json(rows)
        else:
            echo_table([(r["person_id"], r["text"]) for r in rows], ("PERSON", "NOTE"))


@hookimpl
def register_report_sections(hub, report):
    if report.kind is not ReportKind.PACKET:
        return []
    from corehub.render.i18n import translator  # moved to corehub.i18n; warns

    _ = translator(hub, report.locale).gettext
    return [
        ReportSection(
            id="last_release.notes",
            title=_("Comments"),
            template="last_release/notes.html",
            context=notes_context,
            order=870,
        )
    ]


def notes_context(hub, report):
    rows = hub.db["last_release_notes"].rows_where("person_id = ?", [report.person.id])
    notes = [r["text"] for r in rows]
    return {"notes": notes} if notes else None


@hookimpl
def prepare_jinja2_environment(hub, env):
    import jinja2

    templates = {"last_release/notes.html": "{% for n in notes %}<p>{{ n }}</p>{% endfor %}"}
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader(templates)])


@hookimpl
def register_routes(hub):
    import flask
    from markupsafe import escape

    from corehub.web.app import form_text, write
    from corehub.web.auth import require_role, signed_in

    bp = flask.Blueprint("last_release", __name__)

    @bp.get("/")
    @signed_in
    def mine():
        from corehub.web import current_hub, current_person

        rows = (
            current_hub()
            .db["last_release_notes"]
            .rows_where("person_id = ?", [current_person().id])
        )
        return "".join(f"<p>{escape(r['text'])}</p>" for r in rows) or "none"

    @bp.post("/")
    @require_role("manager")
    def add():
        from corehub.web import current_hub

        hub = current_hub()
        text = form_text("text", limit=200)
        with write(hub):
            hub.db["last_release_notes"].insert(
                {
                    "cycle_id": 1,
                    "person_id": flask.request.form["person"],
                    "text": text,
                    "tags": dumps([]),
                }
            )
        return "saved"

    return Route(
        name="last_release",
        blueprint=bp,
        url_prefix="/old-notes",
        nav=(NavItem(label="Old notes", endpoint="last_release.mine", roles=("employee",)),),
    )


def new_workspace(folder):
    """What a script of last release made a workspace with."""
    return init_workspace(folder, organization="Old docs desk")


def row_of(row, cls):
    return from_row(row, cls)
