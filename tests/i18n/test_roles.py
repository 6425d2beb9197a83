"""Job titles in the reader's language: the organization's roles.yaml, read by packets (the
cover, the signatures), team summaries and web pages; as typed where it gives none."""

from __future__ import annotations

import attrs
import pytest

from corehub.errors import ValidationError
from corehub.i18n import translator
from corehub.render import render_packet, render_summary
from corehub.roles import parse_roles
from tests.i18n.test_packets import pdf_text, reviewed  # noqa: F401 (a fixture)

ROLES = """\
# the role as the people import has it: its title in each language
Service desk agent: {es: Agente del service desk, da: Servicedeskmedarbejder, sv: Servicedeskmedarbetare}
team LEAD:
  es: Jefe de equipo
  da: Teamleder
"""
AGENT = {
    "es": "Agente del service desk",
    "da": "Servicedeskmedarbejder",
    "sv": "Servicedeskmedarbetare",
    "en": "Service desk agent",
}
LEAD = {"es": "Jefe de equipo", "da": "Teamleder", "sv": "Team lead", "en": "Team lead"}


@pytest.fixture
def titled(hub, reviewed):  # noqa: F811
    (hub.workspace / "roles.yaml").write_text(ROLES, encoding="utf-8")
    return reviewed


@pytest.mark.parametrize("lang", ["es", "da", "sv", "en"])
def test_the_packet_names_the_roles_in_its_language(hub, titled, tmp_path, lang):
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale=lang)])
    text = pdf_text(render_packet(hub, titled, "alpha-01", tmp_path / "p.pdf"))
    assert AGENT[lang] in text and LEAD[lang] in text  # cover, manager, signatures
    if lang != "en":
        assert "Service desk agent" not in text
    if lang in ("es", "da"):
        assert "Team lead" not in text
    summary = pdf_text(render_summary(hub, titled, tmp_path / "s.pdf", team="alpha", locale=lang))
    assert AGENT[lang] in summary


def test_a_danish_cover_reads_danish(hub, titled, tmp_path):
    """Looked at: output/cover-da.png (pdftoppm -png -r 60 -f 1 -l 1)."""
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="da")])
    packet = render_packet(hub, titled, "alpha-01", tmp_path / "da.pdf")
    first = pdf_text(packet).split("Side 2 af")[0]
    assert "Servicedeskmedarbejder" in first and "Teamleder" in first


def test_the_web_shows_the_readers_title(hub, titled, register_plugin, web_client):
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale="da")])
    page = web_client("alpha-lead").get("/training/people/alpha-01")
    assert page.status_code == 200
    assert "Servicedeskmedarbejder" in page.text and "Service desk agent" not in page.text


def test_a_role_the_file_does_not_name_stays_as_typed(hub, titled):
    t = translator(hub, "da")
    assert t.role("Night shift coordinator") == "Night shift coordinator"
    assert t.role("  service desk AGENT ") == "Servicedeskmedarbejder"  # case, spaces
    assert t.role("") == ""
    assert translator(hub, "es_MX").role("Team lead") == "Jefe de equipo"


def test_without_a_roles_file_roles_stay_as_typed(hub, reviewed):  # noqa: F811
    assert translator(hub, "da").role("Service desk agent") == "Service desk agent"


def test_every_problem_of_the_file_is_listed_with_its_role():
    bad = """\
Service desk agent: {es: Agente, xx: Nope}
Team lead: Jefe
Coach: {da: ""}
coach: {sv: Coach}
"""
    with pytest.raises(ValidationError) as caught:
        parse_roles(bad, source="roles.yaml")
    assert caught.value.summary == "roles.yaml is not a valid list of role titles:"
    assert caught.value.problems == [
        "roles.yaml: 'Service desk agent': 'xx' is not a language corehub speaks (en, es, da, sv)",
        "roles.yaml: 'Team lead': give its title per language, e.g. {es: ..., da: ...}",
        "roles.yaml: 'Coach'.da: the title is empty",
        "roles.yaml: 'coach': the same role as 'Coach'",
    ]
    with pytest.raises(ValidationError) as caught:
        parse_roles("Agent: {es: [unclosed\n", source="roles.yaml")
    assert caught.value.problems[0].startswith("roles.yaml: line 2, column 1: not valid YAML")
    with pytest.raises(ValidationError) as caught:
        parse_roles(b"Agent: {es: \xff}\n", source="roles.yaml")
    assert caught.value.problems == ["roles.yaml: not UTF-8 text"]


def test_a_broken_file_stops_a_render_with_one_line_naming_it(hub, titled, cli):
    (hub.workspace / "roles.yaml").write_text("Agent: {xx: Nope}\n", encoding="utf-8")
    result = cli("render", "packet", "--cycle", "2026 H1", "--person", "alpha-01")
    assert result.exit_code == 1
    assert "roles.yaml is not a valid list of role titles" in result.stderr
    assert "Traceback" not in result.output
