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


class ChoresPlugin:
    """Adds tasks outside the cycles through ``extra_tasks``: one linked, one overdue with a
    page nobody serves, one done, and a record of the wrong type when asked to."""

    wrong = False

    @hookimpl
    def extra_tasks(self, hub, person, today):
        import datetime as dt

        from corehub.models import ExtraTask

        if self.wrong:
            return [{"title": "not a record"}]
        if person.id != "alpha-01":
            return []
        return [
            ExtraTask(
                key="chore:1",
                group={"en": "Chores", "es": "Tareas sueltas"},
                title={"en": "Water the plants", "es": "Regar las plantas"},
                due=today + dt.timedelta(days=3),
                about="Ana Lead",
                endpoint="corehub.team",
            ),
            ExtraTask(
                key="chore:2",
                group={"en": "Chores", "es": "Tareas sueltas"},
                title="Empty the bins",
                due=today - dt.timedelta(days=1),
                endpoint="nobody.serves",
            ),
            ExtraTask(
                key="chore:3",
                group={"en": "Chores", "es": "Tareas sueltas"},
                title="Order coffee",
                due=today - dt.timedelta(days=9),
                done=True,
            ),
        ]


def test_a_plugin_adds_tasks_outside_the_cycles_to_my_tasks(register_plugin, browser, hub):
    import attrs

    chores = ChoresPlugin()
    register_plugin(chores, name="chores")
    page = browser("alpha-01").get("/tasks").text
    section = page.split("<h2>Chores</h2>", 1)[1].split("</section>", 1)[0]
    rows = section.split("<tr class=")[1:]
    # open first, soonest due first; then what is done
    assert len(rows) == 3
    assert "Empty the bins" in rows[0] and "Water the plants" in rows[1]
    assert "Order coffee" in rows[2]
    assert rows[0].startswith('"overdue"') and "Overdue" in rows[0] and "<a href" not in rows[0]
    assert '<a href="/team">Water the plants</a>' in rows[1] and "Ana Lead" in rows[1]
    assert rows[2].startswith('"done"') and "Done" in rows[2]
    assert "Chores" not in browser("alpha-02").get("/tasks").text
    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale="es")])
    assert "Regar las plantas" in browser("alpha-01").get("/tasks").text
    chores.wrong = True
    with pytest.raises(TypeError, match="extra_tasks must return ExtraTask records"):
        browser("alpha-01").get("/tasks")
