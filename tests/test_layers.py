"""The Hub is the composition root: nothing it imports imports it back.

Read from the code's imports as import-linter reads them (``TYPE_CHECKING`` imports and
imports inside functions count: each is an arrow back up). ``make lint`` holds the same rule
as a contract; these tests say what breaks in words, and check that the names that moved
keep their old homes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

import corehub

HUB = "corehub.hub"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("corehub", cache_dir=None)


def test_nothing_the_hub_imports_imports_the_hub_back(graph):
    below = graph.find_upstream_modules(HUB)  # what the Hub imports, directly or not
    above = graph.find_downstream_modules(HUB)  # what imports the Hub, directly or not
    circle = sorted(below & above)
    chains = [
        " -> ".join(graph.find_shortest_chain(importer=HUB, imported=module) or ())
        + " -> ... -> corehub.hub"
        for module in circle
    ]
    assert circle == [], "an import circle runs through the Hub:\n" + "\n".join(chains)


def test_the_services_and_the_hook_specs_are_below_the_hub(graph):
    """What the Hub composes (and the contract every hook follows) stands below it."""
    below = graph.find_upstream_modules(HUB)
    for module in (
        "corehub.people",
        "corehub.cycles",
        "corehub.audit",
        "corehub.plugins",
        "corehub.context",
        "corehub.hookspecs.evaluation",
        "corehub.models",
    ):
        assert module in below
        assert not graph.chain_exists(importer=module, imported=HUB), module
    # The access rules stand beside the services, on the people service, never on the Hub.
    assert graph.chain_exists(importer="corehub.access", imported="corehub.people")
    assert not graph.chain_exists(importer="corehub.access", imported=HUB)
    assert not graph.chain_exists(importer="corehub.people", imported="corehub.access")


def test_no_hook_spec_and_no_service_names_the_hub_module_even_for_type_hints():
    """Read from the source: an ``if TYPE_CHECKING:`` import of the Hub is still an arrow."""
    root = Path(corehub.__file__).parent
    services = ["people", "cycles", "audit", "access", "keys", "roles", "outputs", "tickets"]
    files = sorted((root / "hookspecs").glob("*.py")) + [root / f"{s}.py" for s in services]
    offenders = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (
                node.module == HUB
                or (node.module == "corehub" and any(a.name == "Hub" for a in node.names))
            ):
                offenders.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert offenders == []


def test_the_hub_is_what_the_services_and_hook_specs_are_typed_with(hub):
    """Every member of HubContext is a member of the Hub (mypy checks the types)."""
    from corehub.context import HubContext

    members = [
        name
        for name in vars(HubContext)
        if not name.startswith("_") and name not in {"__doc__", "__module__"}
    ]
    assert "db" in members and "atomic" in members and "hook" in members
    missing = [name for name in members if not hasattr(type(hub), name) and not hasattr(hub, name)]
    assert missing == []


def test_names_that_moved_keep_their_old_homes():
    from corehub import Hub, hookcalls, hookimpl, hookspecs, i18n, languages, plugins
    from corehub.hub import Hub as HubFromItsModule

    assert HubFromItsModule is Hub
    assert plugins.hookimpl is hookimpl
    for name in (
        "HookRelay",
        "NamedHookCaller",
        "Implementation",
        "PluginInfo",
        "PluginFailure",
        "PluginManager",
        "batched_implementations",
    ):
        assert getattr(plugins, name) is getattr(hookcalls, name), name
    assert i18n.LANGUAGES is languages.LANGUAGES
    assert i18n.normalize is languages.normalize
    assert hookspecs.hookspec is not None and len(hookspecs.MODULES) == 8


def test_a_plugin_manager_knows_corehubs_hooks_and_suggests_a_near_name():
    from corehub.plugins import make_plugin_manager

    pm = make_plugin_manager(load_entry_points=False, env={})
    names = pm.hook_names()
    assert {"cycle_tasks", "review_submitted", "register_forms", "startup"} <= set(names)
    assert "hookspec" not in names and "TYPE_CHECKING" not in names
