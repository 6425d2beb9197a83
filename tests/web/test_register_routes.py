"""The register_routes hook: a plugin adds a page, a navigation item and a task link."""

from __future__ import annotations

import pytest

from corehub import hookimpl
from corehub.errors import DuplicateRegistrationError
from corehub.models import NavItem, Route


class CheckinPlugin:
    @hookimpl
    def register_routes(self, hub):
        import flask
        from markupsafe import escape

        from corehub.web import current_person
        from corehub.web.auth import require_role

        bp = flask.Blueprint("checkin", __name__)

        @bp.get("/")
        @require_role("manager")
        def board():
            return f"<p>Check-ins for {escape(current_person().name)}</p>"

        @bp.get("/<int:cycle_id>/<person_id>")
        def do(cycle_id, person_id):
            return "check in"

        return Route(
            name="checkin",
            blueprint=bp,
            url_prefix="/checkin",
            nav=(NavItem(label="Check-ins", endpoint="checkin.board", roles=("manager",)),),
            task_endpoints={"checkin": "checkin.do"},
        )


def test_a_plugin_adds_a_page_visible_to_its_roles(register_plugin, browser, hub, cycle):
    register_plugin(CheckinPlugin(), name="checkin")
    from corehub.web.app import create_app

    app = create_app(
        lambda: type(hub)(hub.workspace, config=hub.config, clock=hub.clock, plugin_manager=hub.pm)
    )
    from tests.web.conftest import Browser

    lead = Browser(app, hub).sign_in("alpha-lead")
    agent = Browser(app, hub).sign_in("alpha-01")
    assert "Check-ins" in lead.get("/tasks").text
    assert "Check-ins" not in agent.get("/tasks").text
    assert "Check-ins for Ana Lead" in lead.get("/checkin/").text
    assert agent.get("/checkin/").status_code == 403
    assert Browser(app, hub).get("/checkin/").status_code == 302


def test_two_plugins_with_the_same_route_name_is_an_error(register_plugin, hub, cycle):
    class Again(CheckinPlugin):
        pass

    register_plugin(CheckinPlugin(), name="checkin")
    register_plugin(Again(), name="checkin-again")
    from corehub.web.app import create_app

    with pytest.raises(DuplicateRegistrationError, match="checkin"):
        create_app(lambda: type(hub)(hub.workspace, config=hub.config, plugin_manager=hub.pm))


def test_nav_items_name_known_roles_only():
    with pytest.raises(ValueError, match="unknown roles"):
        NavItem(label="x", endpoint="x.y", roles=("boss",))


class FramedPlugin:
    """A plugin page in the site's frame, filling each named block of the base template."""

    @hookimpl
    def register_routes(self, hub):
        import flask

        from corehub.web import signed_in

        bp = flask.Blueprint("framed", __name__)

        @bp.get("/")
        @signed_in
        def page():
            return flask.render_template_string(
                """{% extends "corehub/web/base.html" %}
                {% block title %}Framed <page>{% endblock %}
                {% block head %}<meta name="framed" content="head">{% endblock %}
                {% block content %}<p id="framed">{{ text }}</p>{% endblock %}
                {% block footer %}<footer id="framed-footer">foot</footer>{% endblock %}""",
                text="<b>not bold</b>",
            )

        @bp.get("/bare")
        @signed_in
        def bare():
            return flask.render_template_string(
                """{% extends "corehub/web/base.html" %}
                {% block header %}{% endblock %}{% block flashes %}{% endblock %}
                {% block content %}bare{% endblock %}"""
            )

        return Route(name="framed", blueprint=bp, url_prefix="/framed")


def test_the_base_template_has_named_blocks_a_plugin_page_fills(
    register_plugin, hub, cycle, web_client
):
    register_plugin(FramedPlugin(), name="framed")
    page = web_client("alpha-lead").get("/framed/").text
    assert "<title>Framed <page> ·" in page
    assert '<meta name="framed" content="head">' in page.split("</head>")[0]
    assert '<p id="framed">&lt;b&gt;not bold&lt;/b&gt;</p>' in page
    assert '<footer id="framed-footer">foot</footer>' in page.split("</main>")[1]
    assert 'class="top"' in page  # the header block keeps the site's header by default
    bare = web_client("alpha-lead").get("/framed/bare").text
    assert 'class="top"' not in bare and "bare" in bare
