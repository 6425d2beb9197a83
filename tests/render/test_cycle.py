"""``corehub render cycle``: every packet, summaries, binder, incremental, worker processes."""

from __future__ import annotations

import datetime as dt
import re

from corehub.models import Person


def test_render_cycle_then_nothing_changed_then_one_change(hub, cycle, cli, pdf, tmp_path):
    out = tmp_path / "pdfs"
    first = cli("render", "cycle", "2026 H1", "--out", str(out), "--binder")
    assert first.exit_code == 0, first.output
    assert re.search(
        r"Rendered 4 packets and 2 summaries, 0 unchanged, binder rendered in [\d.]+ s",
        first.stdout,
    )
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names == [
        "alpha-agent-2_alpha-02.pdf",
        "alpha-agent-3_alpha-03.pdf",
        "alpha-lead_alpha-lead.pdf",
        "binder.pdf",
        "soren-akesson-nunez_alpha-01.pdf",
        "summary-alpha.pdf",
        "summary.pdf",
    ]
    assert (out / ".summary.pdf.sha256").is_file()

    binder = pdf.reader(out / "binder.pdf")
    sizes = [len(pdf.reader(out / n).pages) for n in names if n.startswith(("alpha", "soren"))]
    assert len(binder.pages) == sum(sizes)
    people = [item.title for item in binder.outline if not isinstance(item, list)]
    assert people == [
        "Alpha Agent 2 (alpha-02)",
        "Alpha Agent 3 (alpha-03)",
        "Alpha Lead (alpha-lead)",
        "Søren Åkesson Núñez (alpha-01)",
    ]  # team, name
    footers = [page.extract_text() for page in binder.pages]
    # numbering restarts per packet; Søren's packet is in Danish
    assert sum("Page 2 of 2" in text for text in footers) == 3
    assert sum("Side 2 af 2" in text for text in footers) == 1

    again = cli("render", "cycle", "2026 H1", "--out", str(out), "--binder")
    assert "Rendered 0 packets and 0 summaries, 6 unchanged, binder unchanged" in again.stdout

    agent = hub.people.get("alpha-03")
    hub.people.save(
        [
            Person(
                **{
                    **hub.unstructure(agent),
                    "role": "Senior agent",
                    "level": agent.level,
                    "hire_date": agent.hire_date,
                }
            )
        ]
    )
    late = cli("render", "cycle", "2026 H1", "--out", str(out), "--binder")
    # the agent's packet and the two summaries listing them change; nothing else
    assert "Rendered 1 packet and 2 summaries, 3 unchanged, binder rendered" in late.stdout
    assert "Senior agent" in pdf.text(out / "alpha-agent-3_alpha-03.pdf")

    forced = cli("render", "cycle", "2026 H1", "--out", str(out), "--force", "--no-summaries")
    assert "Rendered 4 packets and 0 summaries, 0 unchanged" in forced.stdout


def test_a_template_change_re_renders(hub, cycle, cli, templates, tmp_path):
    out = tmp_path / "pdfs"
    cli("render", "cycle", "2026 H1", "--out", str(out), "--team", "alpha", "--no-summaries")
    templates("corehub/sections/signoff.html", "<p>Signed in the HR system.</p>")
    from corehub.render.documents import _renderers

    _renderers.clear()  # a new process would see the new template
    result = cli("render", "cycle", "2026 H1", "--out", str(out), "--no-summaries")
    assert "Rendered 4 packets and 0 summaries, 0 unchanged" in result.stdout


def test_jobs_render_the_same_documents_in_worker_processes(
    hub, cycle, cli, pdf, tmp_path, register_plugin
):
    # the task plugin of the fixture lives in a test module workers cannot import
    result = cli("render", "cycle", "2026 H1", "--out", str(tmp_path / "x"), "--jobs", "2")
    assert result.exit_code != 0
    assert "plugin 'render_test_tasks' was registered in this process" in result.stderr
    hub.pm.unregister_named("render_test_tasks")

    one, two = tmp_path / "one", tmp_path / "two"
    assert cli("render", "cycle", "2026 H1", "--out", str(one)).exit_code == 0
    result = cli("render", "cycle", "2026 H1", "--out", str(two), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "Rendered 4 packets and 2 summaries, 0 unchanged" in result.stdout
    for path in sorted(one.glob("*.pdf")):
        assert pdf.text(two / path.name) == pdf.text(path)
        assert (two / f".{path.name}.sha256").read_text() == (
            one / f".{path.name}.sha256"
        ).read_text()


WORKSPACE_PLUGIN = """
from corehub import hookimpl
from corehub.models import ReportSection, TaskKind, TaskSpec


@hookimpl
def cycle_tasks(hub, cycle, person):
    return [TaskSpec(kind="self", assignee_id=person.id)]


@hookimpl
def register_task_kinds(hub):
    return [TaskKind(name="self")]


@hookimpl
def register_report_sections(hub, report):
    return [
        ReportSection(
            id="house_notes",
            title="House notes",
            template="house/notes.html",
            context=lambda hub, report: {"who": report.person.name if report.person else ""},
        )
    ]
"""


def test_jobs_load_the_workspace_plugins_folder_named_in_the_config(
    workspace, clock, make_people, templates, pdf, tmp_path, monkeypatch
):
    """``[paths] plugins`` names the one-file plugins folder: worker processes load it too."""
    monkeypatch.setenv("COREHUB_LOAD_PLUGINS", "")
    extras = workspace / "extras"
    extras.mkdir()
    (extras / "house_notes.py").write_text(WORKSPACE_PLUGIN, encoding="utf-8")
    config = workspace / "corehub.toml"
    text = config.read_text(encoding="utf-8")
    assert '\nplugins = "plugins"' in text
    config.write_text(text.replace('\nplugins = "plugins"', '\nplugins = "extras"'), "utf-8")
    templates("house/notes.html", "<p>House notes for {{ who }}</p>")
    make_people(team="alpha", agents=2)

    from corehub.hub import Hub
    from corehub.testing import run_cli

    house = Hub(workspace, clock=clock, actor="test-admin")
    try:
        assert "house_notes" in house.pm.infos
        created = house.cycles.create(
            "2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
        )
        house.cycles.open(created.name)
        one, two = tmp_path / "one", tmp_path / "two"
        first = run_cli(house, "render", "cycle", "2026 H1", "--out", str(one), "--jobs", "1")
        assert first.exit_code == 0, first.output
        second = run_cli(house, "render", "cycle", "2026 H1", "--out", str(two), "--jobs", "2")
        assert second.exit_code == 0, second.output
    finally:
        house.close()
    packets = sorted(one.glob("*.pdf"))
    assert packets
    assert sorted(p.name for p in two.glob("*.pdf")) == [p.name for p in packets]
    assert any("House notes for" in pdf.text(path) for path in packets)
    for path in packets:
        assert pdf.text(two / path.name) == pdf.text(path)


def test_a_worker_is_warm_before_its_first_packet(hub, cycle, tmp_path, monkeypatch):
    from corehub.render import batch, pdf

    hub.pm.unregister_named("render_test_tasks")  # registered here: workers cannot load it
    monkeypatch.setattr(pdf, "_state", {})
    monkeypatch.setattr(batch, "_worker", {})
    jobs, _members = batch.plan(hub, cycle, tmp_path)
    batch._worker_init(batch.worker_spec(hub), cycle.id, jobs[0])

    renderer = batch._worker["renderer"]
    compiled = {name for _loader, name in renderer.env.cache.keys()}  # noqa: SIM118 (an LRU cache)
    assert {"packet.html", "summary.html", "corehub/sections/cover.html"} <= compiled
    assert "font_config" in pdf._state  # WeasyPrint imported, fonts loaded
    assert pdf._state["css"]  # the packet's stylesheets parsed
    outcome = batch._worker_render((cycle.id, jobs[0], True, None, None))
    assert outcome.status == "rendered"
