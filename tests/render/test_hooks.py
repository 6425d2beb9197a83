"""Every rendering hook, template lookup, error naming and the URL fetcher's refusals."""

from __future__ import annotations

import logging
import sys
import types
from pathlib import Path

import pytest

from corehub import hookimpl
from corehub.errors import DuplicateRegistrationError, PluginError
from corehub.i18n import activate, translator
from corehub.models import ReportKind, ReportSection
from corehub.render import render_packet, renderer_for
from corehub.render.pdf import AssetRefused, resolve_asset


def plugin(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(name)
    for hook, fn in hooks.items():
        setattr(module, hook, hookimpl(fn))
    return module


def sections_plugin(*sections: ReportSection, kind=ReportKind.PACKET) -> types.ModuleType:
    def register_report_sections(hub, report):
        return list(sections) if report.kind is kind else None

    return plugin("sections", register_report_sections=register_report_sections)


def html_of(hub, person="alpha-01") -> str:
    renderer = renderer_for(hub)
    report = renderer.packet_report("2026 H1", person, locale="en")  # alpha-01 reads Danish
    return renderer.render_html(renderer.gather(report)).html


def test_register_report_sections_adds_orders_and_omits_sections(
    hub, cycle, register_plugin, templates, pdf, tmp_path
):
    templates(
        "t/goals.html", "<p>Goal: {{ goal }} for {{ report.person.name }} ({{ section.id }})</p>"
    )
    seen = []

    def none_for_lead(hub, report):
        seen.append(report.person.id)
        return None if report.person.id == "alpha-lead" else {"goal": "Cut first-reply time"}

    register_plugin(
        sections_plugin(
            ReportSection(
                id="goals",
                title="Goals for next cycle",
                template="t/goals.html",
                context=none_for_lead,
                order=50,
            ),
        ),
        name="goals_plugin",
    )
    target = render_packet(hub, "2026 H1", "alpha-01", tmp_path / "p.pdf", locale="en")
    text = pdf.text(target)
    assert "Goals for next cycle" in text
    assert "Goal: Cut first-reply time for Søren Åkesson Núñez (goals)" in text
    assert text.index("Goals for next cycle") < text.index("The cycle at a glance")  # 50 < 100
    assert "Goals for next cycle" not in html_of(hub, "alpha-lead")  # context returned None
    assert seen == ["alpha-01", "alpha-lead"]


def test_duplicate_section_ids_name_both_plugins_unless_one_replaces(
    hub, cycle, register_plugin, templates
):
    templates("t/signoff.html", "<p>Signed digitally in our HR system.</p>")
    clash = ReportSection(
        id="signoff", title="Sign-off", template="t/signoff.html", context=lambda hub, report: {}
    )
    register_plugin(sections_plugin(clash), name="hr_signoff")
    with pytest.raises(DuplicateRegistrationError) as excinfo:
        html_of(hub)
    assert "plugin 'hr_signoff'" in str(excinfo.value)
    assert "plugin 'corehub.render'" in str(excinfo.value)
    hub.pm.unregister_named("hr_signoff")
    register_plugin(
        sections_plugin(
            ReportSection(
                id="signoff",
                title="Sign-off",
                template="t/signoff.html",
                context=lambda hub, report: {},
                replaces=True,
                order=950,
            )
        ),
        name="hr_signoff2",
    )
    html = html_of(hub)
    assert "Signed digitally in our HR system." in html
    assert "Signing confirms this packet was discussed" not in html


def test_section_context_errors_and_template_errors_name_plugin_and_template(
    hub, cycle, register_plugin, templates, tmp_path
):
    def broken(hub, report):
        raise KeyError("csat")

    register_plugin(
        sections_plugin(
            ReportSection(id="csat", title="CSAT", template="t/csat.html", context=broken)
        ),
        name="feedbackish",
    )
    with pytest.raises(PluginError, match=r"plugin 'feedbackish' failed building section 'csat'"):
        render_packet(hub, "2026 H1", "alpha-01", tmp_path / "never.pdf")
    assert not (tmp_path / "never.pdf").exists()  # nothing half-written
    assert not list(tmp_path.glob(".never.pdf.*"))
    hub.pm.unregister_named("feedbackish")

    path = templates("t/bad.html", "<p>{{ rows | nosuchfilter }}</p>")
    register_plugin(
        sections_plugin(
            ReportSection(
                id="bad", title="Bad", template="t/bad.html", context=lambda h, r: {"rows": 1}
            )
        ),
        name="badsyntax",
    )
    with pytest.raises(PluginError) as excinfo:
        html_of(hub)
    message = str(excinfo.value)
    assert "section 'bad' of plugin 'badsyntax'" in message
    assert "'t/bad.html'" in message and f"{path}, line 1" in message
    hub.pm.unregister_named("badsyntax")

    path = templates("t/boom.html", "<p>ok</p>\n<p>{{ rows.items[0] }}</p>")
    register_plugin(
        sections_plugin(
            ReportSection(
                id="boom", title="Boom", template="t/boom.html", context=lambda h, r: {"rows": 1}
            )
        ),
        name="boomplug",
    )
    with pytest.raises(PluginError) as excinfo:
        html_of(hub)
    assert "section 'boom' of plugin 'boomplug': template 't/boom.html' failed" in str(
        excinfo.value
    )
    assert f"{path}, line 2" in str(excinfo.value)
    hub.pm.unregister_named("boomplug")

    register_plugin(
        sections_plugin(
            ReportSection(
                id="gone", title="Gone", template="t/missing.html", context=lambda h, r: {}
            )
        ),
        name="missingplug",
    )
    with pytest.raises(
        PluginError, match=r"plugin 'missingplug': template 't/missing\.html' not found"
    ):
        html_of(hub)


def test_prepare_jinja2_environment_runs_once_per_environment(
    hub, cycle, register_plugin, templates
):
    calls = []

    def prepare_jinja2_environment(hub, env):
        calls.append(env)
        env.filters["shout"] = lambda text: f"{text.upper()}!"

    templates("t/motto.html", "<p>{{ 'well done' | shout }}</p>")
    register_plugin(plugin("filters", prepare_jinja2_environment=prepare_jinja2_environment))
    register_plugin(
        sections_plugin(
            ReportSection(
                id="motto", title="Motto", template="t/motto.html", context=lambda h, r: {}
            )
        ),
        name="motto",
    )
    assert "WELL DONE!" in html_of(hub, "alpha-01")
    assert "WELL DONE!" in html_of(hub, "alpha-02")
    assert len(calls) == 1
    assert calls[0].autoescape is True


def test_extra_template_vars_reach_documents_and_sections(hub, cycle, register_plugin, templates):
    asked = []

    def extra_template_vars(hub, template, context):
        asked.append(template)
        return {"motto": "Customers first"} if "report" in context else None

    templates("t/motto.html", "<p>{{ motto }} at {{ report.cycle.name }}</p>")
    templates(
        "packet.html",
        """
        {% extends "corehub:packet.html" %}
        {% block head %}<meta name="motto" content="{{ motto }}">{% endblock %}
    """,
    )
    register_plugin(plugin("vars", extra_template_vars=extra_template_vars))
    register_plugin(
        sections_plugin(
            ReportSection(
                id="motto", title="Motto", template="t/motto.html", context=lambda h, r: {}
            )
        ),
        name="motto",
    )
    html = html_of(hub)
    assert "<p>Customers first at 2026 H1</p>" in html
    assert '<meta name="motto" content="Customers first">' in html  # workspace override of packet
    assert {
        "packet.html",
        "t/motto.html",
        "corehub/sections/cover.html",
        "corehub/corehub.css",
    } <= set(asked)


def test_extra_stylesheets_are_rendered_and_appended_after_corehubs(
    hub, cycle, register_plugin, templates
):
    templates("t/brand.css", ".brand-{{ report.kind }} { color: #123456; }")
    register_plugin(plugin("brand", extra_stylesheets=lambda hub, report: ["t/brand.css"]))
    html = html_of(hub)
    assert ".brand-packet { color: #123456; }" in html
    assert html.index("@font-face") < html.index(".brand-packet")
    hub.pm.unregister_named("brand")
    register_plugin(plugin("nocss", extra_stylesheets=lambda hub, report: ["t/none.css"]))
    with pytest.raises(
        PluginError, match=r"stylesheet of plugin 'nocss': template 't/none\.css' not found"
    ):
        html_of(hub)


def test_render_pdf_can_be_replaced_by_a_plugin(hub, cycle, register_plugin, tmp_path):
    received = {}

    def render_pdf(hub, html, target, document):
        received.update(html=html, document=document)
        target.write_text("engine of our own")
        return target

    register_plugin(plugin("engine", render_pdf=render_pdf))
    target = render_packet(hub, "2026 H1", "alpha-01", tmp_path / "x.pdf")
    assert target.read_text() == "engine of our own"
    assert "<style>" in received["html"] and "Søren Åkesson Núñez" in received["html"]
    assert received["document"].report.person.id == "alpha-01"
    assert received["document"].stylesheets[0].lstrip().startswith("@font-face")


def test_lookup_order_workspace_then_plugin_package_then_core(
    hub, cycle, register_plugin, templates, tmp_path, monkeypatch
):
    package = tmp_path / "pkgs" / "corehub_rtest"
    (package / "templates" / "corehub_rtest").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from corehub import hookimpl\n"
        "from corehub.models import ReportSection\n"
        "@hookimpl\n"
        "def register_report_sections(hub, report):\n"
        "    return [ReportSection(id='kudos', title='Kudos', order=300,\n"
        "        template='corehub_rtest/kudos.html', context=lambda h, r: {'n': 3})]\n"
    )
    (package / "templates" / "corehub_rtest" / "kudos.html").write_text("<p>{{ n }} kudos</p>")
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    import corehub_rtest

    templates(
        "corehub_rtest/kudos.html",
        '{% extends "corehub_rtest:corehub_rtest/kudos.html" %}<p>Great work!</p>',
    )
    templates(
        "corehub/sections/signoff.html",
        '<div class="ours">Our sign-off</div>{% include "corehub:corehub/sections/signoff.html" %}',
    )
    register_plugin(corehub_rtest, name="rtest")
    env = renderer_for(hub).env
    assert (
        env.get_template("corehub_rtest:corehub_rtest/kudos.html").render(n=2) == "<p>2 kudos</p>"
    )
    html = html_of(hub)
    assert "<p>3 kudos</p>" in html  # the workspace override extends the plugin's original
    assert "Great work!" not in html  # (content outside blocks of a child is not rendered)
    assert '<div class="ours">Our sign-off</div>' in html
    assert "Signing confirms this packet was discussed" in html  # the core original, included
    sys.modules.pop("corehub_rtest", None)


def test_user_text_with_html_and_css_urls_renders_as_text_and_fetches_nothing(
    hub, cycle, register_plugin, templates, pdf, tmp_path, caplog
):
    answer = (
        '<img src="file:///etc/passwd"> <style>body { background: url(file:///etc/passwd) }'
        '</style> <span style="background: url(http://example.org/x.png)">x</span>'
    )
    templates("t/answer.html", "<p class='answer'>{{ answer }}</p>")
    register_plugin(
        sections_plugin(
            ReportSection(
                id="answers",
                title="Answers",
                template="t/answer.html",
                context=lambda h, r: {"answer": answer},
            )
        ),
        name="answers",
    )
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    text = pdf.text(render_packet(hub, "2026 H1", "alpha-01", tmp_path / "p.pdf"))
    flat = " ".join(text.split())
    assert '<img src="file:///etc/passwd">' in flat
    assert "url(file:///etc/passwd)" in flat
    assert "root:x:0:0" not in text
    assert not [
        r for r in caplog.records if "passwd" in r.getMessage() or "example.org" in r.getMessage()
    ]


def test_a_careless_safe_filter_still_cannot_fetch_files_network_or_data(
    hub, cycle, register_plugin, templates, pdf, tmp_path, caplog
):
    answer = (
        '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
        '<img src="data:image/png;base64,iVBORw0KGgo="><p>after</p>'
    )
    templates("t/raw.html", "<div>{{ answer | safe }}</div>")
    register_plugin(
        sections_plugin(
            ReportSection(
                id="raw",
                title="Raw",
                template="t/raw.html",
                context=lambda h, r: {"answer": answer},
            )
        ),
        name="raw",
    )
    caplog.set_level(logging.WARNING, logger="weasyprint")
    text = pdf.text(render_packet(hub, "2026 H1", "alpha-01", tmp_path / "p.pdf"))
    assert "after" in text and "root:x:0:0" not in text
    refused = " ".join(r.getMessage() for r in caplog.records)
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "data:image/png"):
        assert url in refused
    assert refused.count("only packaged assets are served") >= 3


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.org/font.woff",
        "data:font/woff;base64,AAAA",
        "corehub-asset:corehub/../../etc/passwd",
        "corehub-asset:corehub/render/pdf.py",
        "corehub-asset:jinja2/__init__.py",
        "corehub-asset:corehub/render/static/fonts/nope.otf",
    ],
)
def test_resolve_asset_refuses_everything_but_packaged_assets(url):
    with pytest.raises(AssetRefused):
        resolve_asset(url, {"corehub"})


def test_resolve_asset_serves_corehubs_fonts():
    path = resolve_asset("corehub-asset:corehub/render/static/fonts/Inter-Regular.otf", {"corehub"})
    assert path.name == "Inter-Regular.otf" and path.is_file()
    assert (Path(path).parent / "OFL.txt").is_file()


def test_charts_macros_escape_labels_and_show_not_rated(hub):
    charts = renderer_for(hub).env.get_template("corehub/charts.html").module
    svg = str(
        charts.rating_bars(
            [
                {"label": "Listening <b>", "self": 4, "manager": 2},
                {"label": "KCS", "self": None, "manager": 3},
            ]
        )
    )
    assert "Listening &lt;b&gt;" in svg and "not rated" in svg and "Δ 2.0" in svg
    trend = str(
        charts.trend_chart(
            [{"label": "Jan", "value": 80}, {"label": "Feb", "value": None}],
            unit="%",
            y_min=0,
            y_max=100,
        )
    )
    assert ">80%<" in trend and trend.count("<circle") == 1
    assert str(charts.heat_color(None)) == "#eef0f2"
    assert str(charts.heat_color(1)) != str(charts.heat_color(5))
    hist = str(
        charts.histogram([{"label": "1", "count": 0}, {"label": "5", "count": 4}], highlight="5")
    )
    assert ">4<" in hist and "#1d4e6b" in hist


@pytest.mark.parametrize(
    ("lang", "label"), [("en", ">87%<"), ("da", ">87\xa0%<"), ("sv", ">87\xa0%<")]
)
def test_chart_percentages_are_written_as_the_language_writes_them(hub, lang, label):
    charts = renderer_for(hub).env.get_template("corehub/charts.html").module
    with activate(translator(hub, lang)):
        trend = str(
            charts.trend_chart([{"label": "Jan", "value": 87}], unit="%", y_min=0, y_max=100)
        )
        kept = str(charts.trend_chart([{"label": "Jan", "value": 87}], unit=" pts"))
    assert label in trend
    assert ">87 pts<" in kept  # any other unit is appended as it is


def test_the_lowest_rating_is_a_visible_bar_not_like_not_rated(hub):
    """A rating of 1 on a 1-5 scale draws a bar a fifth of the way, 5 the whole way; "not
    rated" draws no bar and says so."""
    import re

    charts = renderer_for(hub).env.get_template("corehub/charts.html").module
    bars = str(charts.rating_bars([{"label": "Q", "self": 1, "manager": 5}], legend=False))
    widths = [
        float(w)
        for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="7"', bars)
    ]
    assert len(widths) == 2
    assert widths[0] == pytest.approx(widths[1] / 5)
    assert widths[0] > 20
    none = str(charts.rating_bars([{"label": "Q", "self": None, "manager": 1}], legend=False))
    assert "not rated" in none and len(re.findall(r'height="7"', none)) == 1
    pair = str(charts.rating_pair(1, 5))
    one, five = (float(w) for w in re.findall(r'width="([\d.]+)" height="5"', pair))
    assert one == pytest.approx(five / 5)
