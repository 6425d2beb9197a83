"""A plugin written against the previous release's documented names still works (the
compatibility policy: a moved name keeps working, with a deprecation warning where it
says so, for at least one release). The plugin is tests/compat/last_release_plugin.py."""

from __future__ import annotations

import datetime as dt
import importlib.util
import warnings
from pathlib import Path

import pytest

from corehub.models import Report, ReportKind

PLUGIN = Path(__file__).parent / "compat" / "last_release_plugin.py"


@pytest.fixture
def old_plugin(register_plugin):
    spec = importlib.util.spec_from_file_location("last_release_plugin", PLUGIN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return register_plugin(module, name="last_release")


@pytest.fixture
def cycle(hub, make_people):
    make_people(team="alpha", agents=2)
    hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    return hub.cycles.open("2026 H1").cycle


def test_its_commands_tables_and_audit_events_work(old_plugin, hub, cli, cycle, tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text("alpha-01: Great on the phones\nalpha-02: Kind <b>always</b>\n")
    done = cli("old-notes", "import", "2026 H1", str(notes))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == "2 notes"
    listed = cli("old-notes", "list", "--json").json()
    assert [(n["person_id"], n["tags"]) for n in listed] == [
        ("alpha-01", ["imported"]),
        ("alpha-02", ["imported"]),
    ]
    assert "Great on the phones" in cli("old-notes", "list").stdout
    target = tmp_path / "out" / "notes.txt"
    target.parent.mkdir()
    assert cli("old-notes", "list", "-o", str(target)).exit_code == 0
    assert target.read_text().splitlines() == ["Great on the phones", "Kind <b>always</b>"]
    refused = cli("old-notes", "list", "-o", str(hub.config_path))
    assert refused.exit_code != 0 and target.exists()
    actions = [e["action"] for e in cli("audit", "--json").json()]
    assert actions.count("note.imported") == 2


def test_its_rows_freeze_with_their_cycle(old_plugin, hub, cli, cycle, tmp_path):
    notes = tmp_path / "notes.yaml"
    notes.write_text("alpha-01: Before the close\n")
    assert cli("old-notes", "import", "2026 H1", str(notes)).exit_code == 0
    assert cli("cycle", "close", "2026 H1", "--force").exit_code == 0
    late = cli("old-notes", "import", "2026 H1", str(notes))
    assert late.exit_code != 0
    assert len(cli("old-notes", "list", "--json").json()) == 1


def test_its_packet_section_translates_through_the_old_module(
    old_plugin, hub, cli, cycle, tmp_path
):
    from corehub.testing import render_sections

    notes = tmp_path / "notes.yaml"
    notes.write_text("alpha-01: Kind <b>always</b>\n")
    assert cli("old-notes", "import", "2026 H1", str(notes)).exit_code == 0
    person = hub.people.get("alpha-01")
    report = Report(kind=ReportKind.PACKET, cycle=cycle, locale="es", person=person)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        html = render_sections(hub, report, plugin="last_release")["last_release.notes"]
    assert "Kind &lt;b&gt;always&lt;/b&gt;" in html


def test_its_pages_work_with_the_old_web_names(old_plugin, hub, cycle, web_client):
    manager = web_client("alpha-lead")
    assert manager.post("/old-notes/", {"person": "alpha-01", "text": "Well done"}).text == "saved"
    assert "Well done" in web_client("alpha-01").get("/old-notes/").text
    assert (
        web_client("alpha-01").post("/old-notes/", {"person": "x", "text": "y"}).status_code == 403
    )
    too_long = manager.post("/old-notes/", {"person": "alpha-01", "text": "x" * 201})
    assert too_long.status_code == 400
    assert web_client().get("/old-notes/").status_code == 302


def test_its_workspace_helper_and_row_reader_work(old_plugin, tmp_path):
    import attrs

    @attrs.frozen
    class Note:
        person_id: str
        text: str

    made = old_plugin.new_workspace(tmp_path / "ws")
    try:
        assert made.config.organization.name == "Old docs desk"
    finally:
        made.close()
    assert old_plugin.row_of({"person_id": "p", "text": "t"}, Note) == Note("p", "t")
