"""The web app's shape: module-level views on blueprints, the base template's named blocks,
and a plugin whose blueprint lives at module level serving every app built."""

from __future__ import annotations

import importlib
import inspect
import re
from typing import Any

import flask

import corehub_quality.plugin
from corehub import hookimpl
from corehub.models import NavItem, Route
from corehub.web import current_hub, current_person
from corehub.web.app import create_app
from corehub.web.auth import signed_in

from .conftest import Browser

# -- an outside plugin written the usual Flask way: blueprint and views at module level --

desk = flask.Blueprint("desk", __name__)

PAGE = """{% extends "corehub/web/base.html" %}
{% block title %}Desk board{% endblock %}
{% block head %}<link rel="stylesheet" href="/desk/desk.css">{% endblock %}
{% block messages %}<p class="desk-note">Board notes</p>{{ super() }}{% endblock %}
{% block content %}<h1>Board of {{ me.name }}</h1><p>{{ count }} people</p>{% endblock %}
{% block footer %}<footer class="desk">Desk footer</footer>{% endblock %}
"""


@desk.get("/")
@signed_in
def board() -> Any:
    me = current_person()
    flask.flash("Saved.", "success")
    count = len(current_hub().people.list())
    return flask.render_template_string(PAGE, me=me, count=count)


class DeskPlugin:
    @hookimpl
    def register_routes(self, hub: Any) -> Route:
        return Route(
            name="desk",
            blueprint=desk,
            url_prefix="/desk",
            nav=(NavItem(label="Desk", endpoint="desk.board"),),
        )


def _unwrapped(view: Any) -> Any:
    return inspect.unwrap(view)


def test_every_page_of_corehub_and_its_plugins_is_a_module_level_view(
    app: Any, hub: Any, hub_factory: Any, register_plugin: Any
) -> None:
    """Each endpoint's function can be found by its module and name, as Flask code is read:
    no page hides in a closure of a factory function."""
    register_plugin(corehub_quality.plugin, name="quality")
    web_app = create_app(hub_factory)
    blueprints: dict[str, int] = {}
    for endpoint, view in web_app.view_functions.items():
        if endpoint == "static":
            continue
        function = _unwrapped(view)
        assert "<locals>" not in function.__qualname__, endpoint
        module = importlib.import_module(function.__module__)
        assert _unwrapped(getattr(module, function.__name__)) is function, endpoint
        blueprint = endpoint.split(".")[0]
        blueprints[blueprint] = blueprints.get(blueprint, 0) + 1
        assert module.bp is web_app.blueprints[blueprint], endpoint
    assert set(blueprints) == {
        "corehub",
        "self_assessment",
        "self_assessment_checkins",
        "feedback",
        "training_tracker",
        "quality",
    }
    assert all(count >= 3 for count in blueprints.values()), blueprints


def test_a_module_level_blueprint_serves_every_app_built(
    hub: Any, hub_factory: Any, cycle: Any, register_plugin: Any
) -> None:
    """Tests, ``corehub serve`` and the benchmark build several apps in one process: the
    same blueprint (the shipped plugins' and an outside plugin's) is registered with each,
    and each reads its own request's Hub."""
    register_plugin(DeskPlugin(), name="desk")
    first, second = create_app(hub_factory), create_app(hub_factory)
    for web_app in (first, second):
        agent = Browser(web_app, hub).sign_in("alpha-01")
        page = agent.get("/desk/")
        assert page.status_code == 200, page.text
        assert "Board of Alpha Agent 1" in page.text
        assert f"<p>{len(hub.people.list())} people</p>" in page.text
        for path in ("/tasks", "/reviews/", "/feedback/", "/training/"):
            assert agent.get(path).status_code == 200, path
        assert Browser(web_app, hub).get("/desk/").status_code == 302


def test_a_page_fills_the_base_templates_named_blocks(
    hub: Any, hub_factory: Any, cycle: Any, register_plugin: Any
) -> None:
    register_plugin(DeskPlugin(), name="desk")
    agent = Browser(create_app(hub_factory), hub).sign_in("alpha-01")
    html = agent.get("/desk/").text
    head, body = html.split("</head>", 1)
    header, rest = body.split("</header>", 1)
    main, after = rest.split("</main>", 1)
    assert "<title>Desk board · " in head
    # head: after corehub's own stylesheet, so a page's rules win
    assert head.index("/static/web.css") < head.index('href="/desk/desk.css"')
    # header: untouched, with the plugin's navigation item and Sign out
    assert 'aria-current="page">Desk</a>' in header
    assert "Sign out" in header
    # messages: the page's note, then the flashed message kept by super()
    assert main.index('class="desk-note"') < main.index('class="flash success"')
    assert main.index('class="flash success"') < main.index("<h1>Board of Alpha Agent 1</h1>")
    assert '<footer class="desk">Desk footer</footer>' in after


def test_the_training_stylesheet_is_linked_in_the_head(browser: Any) -> None:
    """The shipped plugin fills the ``head`` block rather than linking a stylesheet in the
    page body."""
    agent = browser("alpha-01")
    head = agent.get("/training/").text.split("</head>", 1)[0]
    assert re.search(r'<link rel="stylesheet" href="/training/training.css">', head)
    lead = browser("alpha-lead")
    head, body = lead.get("/training/team").text.split("</head>", 1)
    assert "/training/training.css" in head
    assert "/training/training.css" not in body
