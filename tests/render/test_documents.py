"""Packets and summaries through the command line and the library: what a manager gets."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from corehub.render import render_packet, renderer_for


def test_packet_without_plugins_has_cover_overview_signoff_and_page_numbers(
    hub, cycle, cli, pdf, tmp_path
):
    target = tmp_path / "packet.pdf"
    # alpha-01 reads Danish; --locale en asks for the English packet
    result = cli(
        "render", "packet", "--cycle", "2026 H1", "--person", "alpha-01", "--locale", "en",
        "-o", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.stdout
    pages = pdf.pages(target)
    assert len(pages) == 2
    cover, rest = pages[0], pages[1]
    assert "Søren Åkesson Núñez" in cover
    assert "TEST HELP DESK" in cover  # the organization, in small capitals
    assert "Alpha Lead" in cover  # the manager
    assert "1 Jan 2026 \u2013 30 Jun 2026" in cover
    assert "Page 1 of 2" not in cover  # the cover carries no running header or footer
    assert "The cycle at a glance" in rest
    assert "Self-assessment" in rest and "Manager review" in rest
    assert "Sign-off" in rest
    assert "Page 2 of 2" in rest
    assert "Søren Åkesson Núñez · Review packet" in rest  # running header
    assert not list(tmp_path.glob("*.part"))


def test_packet_locale_is_the_persons_or_the_organizations(hub, cycle):
    renderer = renderer_for(hub)
    danish = renderer.packet_report("2026 H1", "alpha-01")
    other = renderer.packet_report("2026 H1", "alpha-02")
    assert (danish.locale, other.locale) == ("da", hub.config.organization.locale)
    html = renderer.render_html(renderer.gather(danish)).html
    assert '<html lang="da">' in html


def test_summary_without_plugins_shows_completion_and_people(hub, cycle, cli, pdf, tmp_path):
    target = tmp_path / "summary.pdf"
    result = cli("render", "summary", "--cycle", "2026 H1", "--team", "alpha", "-o", str(target))
    assert result.exit_code == 0, result.output
    text = pdf.text(target)
    assert "Team alpha" in text
    assert "for Alpha Lead" in text
    assert "Completion of the cycle" in text
    assert "Self-assessment" in text
    assert "People in the cycle" in text
    for name in ("Alpha Agent 2", "Alpha Agent 3", "Søren Åkesson Núñez"):
        assert name in text


def test_default_output_goes_to_the_workspace_output_folder(hub, cycle, cli):
    result = cli("render", "packet", "--cycle", "2026 H1", "--person", "alpha-lead")
    assert result.exit_code == 0, result.output
    assert (hub.path("output") / "2026-h1" / "alpha-lead_alpha-lead.pdf").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["packet", "--cycle", "nope", "--person", "alpha-01"], "no cycle named 'nope'"),
        (["packet", "--cycle", "2026 H1", "--person", "ghost"], "no person with id 'ghost'"),
        (["summary", "--cycle", "2026 H1", "--team", "omega"], "nobody in team 'omega'"),
        (["cycle", "2026 H1", "--team", "omega"], "nobody in team 'omega'"),
    ],
)
def test_bad_input_is_one_clear_line(cycle, cli, args, message):
    result = cli("render", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_person_outside_the_cycle_is_refused(hub, cycle, cli, make_people):
    make_people(team="beta", agents=1)
    result = cli("render", "packet", "--cycle", "2026 H1", "--person", "beta-01")
    assert result.exit_code != 0
    assert "is not in cycle '2026 H1'" in result.stderr


def test_unwritable_output_folder_is_a_clear_error(cycle, cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli("render", "cycle", "2026 H1", "--out", str(blocker / "pdfs"))
    assert result.exit_code != 0
    assert f"cannot create output folder {blocker / 'pdfs'}" in result.stderr
    result = cli(
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-01",
        "-o",
        str(blocker / "x.pdf"),
    )
    assert result.exit_code != 0
    assert "cannot create output folder" in result.stderr


def test_pdf_a3b_embeds_the_packets_data_as_json(hub, cycle, cli, pdf, tmp_path):
    import json

    target = tmp_path / "archive.pdf"
    result = cli(
        "render",
        "packet",
        "--cycle",
        "2026 H1",
        "--person",
        "alpha-02",
        "--pdf-variant",
        "pdf/a-3b",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.output
    reader = pdf.reader(target)
    assert list(reader.attachments) == ["packet.json"]
    data = json.loads(reader.attachments["packet.json"][0])
    assert data["report"]["person"]["id"] == "alpha-02"
    assert [s["id"] for s in data["sections"]] == ["cover", "overview", "signoff"]
    assert b"pdfaid:part" in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_corehub_help_does_not_import_weasyprint(tmp_path):
    code = (
        "import sys\n"
        "from corehub.cli import main\n"
        "for args in (['--help'], ['render', '--help'], ['render', 'cycle', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('WEASYPRINT', 'weasyprint' in sys.modules)\n"
    )
    env = {**os.environ, "COREHUB_LOAD_PLUGINS": "", "COREHUB_WORKSPACE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "Render review packets" in out.stdout
    assert "WEASYPRINT False" in out.stdout, out.stderr


def test_one_font_configuration_and_parsed_css_serve_every_document(hub, cycle, tmp_path):
    from corehub.render import pdf as engine

    # both in English: each language has its own stylesheet (the page counter), parsed once
    render_packet(hub, "2026 H1", "alpha-01", tmp_path / "a.pdf", locale="en")
    fonts = engine.font_config()
    cached = dict(engine._state["css"])
    render_packet(hub, "2026 H1", "alpha-02", tmp_path / "b.pdf")
    assert engine.font_config() is fonts
    assert engine._state["css"] == cached  # the same parsed CSS objects, none added
