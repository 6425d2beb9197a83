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
            nav=(NavItem(label="Check-in board", endpoint="checkin.board", roles=("manager",)),),
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
    assert "Check-in board" in lead.get("/tasks").text
    assert "Check-in board" not in agent.get("/tasks").text
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
