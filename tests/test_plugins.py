"""Finding and loading plugins: one by one, by name, never silently wrong."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from corehub import Hub, hookimpl
from corehub.errors import DuplicateRegistrationError, PluginError
from corehub.models import Course, FeedbackKind
from corehub.plugins import BUILTIN_PLUGINS, make_plugin_manager, normalize_name

TEST_PLUGINS = Path(__file__).parent / "plugins"


class FakeDist:
    def __init__(self, name, version="1.2.3"):
        self.name, self.version = name, version


class FakeEntryPoint:
    """Stands in for an installed distribution's entry point in the ``corehub`` group."""

    def __init__(self, name, module, dist=None, fail=None):
        self.name, self.value = name, f"{module.__name__}" if module else "missing.module"
        self.dist = FakeDist(dist) if dist else None
        self._module, self._fail = module, fail

    def load(self):
        if self._fail:
            raise self._fail
        return self._module


def plugin_module(name, **hooks):
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


@pytest.fixture
def installed(monkeypatch):
    """Pretend these distributions are installed."""

    def install(*entry_points):
        monkeypatch.setattr("corehub.plugins._entry_points", lambda: iter(entry_points))

    return install


def courses(*ids):
    return lambda hub: [Course(id=i, title=i.title()) for i in ids]


def test_entry_points_load_by_name_and_are_described(installed):
    installed(
        FakeEntryPoint(
            "alpha", plugin_module("alpha_mod", register_courses=courses("a")), dist="corehub-alpha"
        ),
        FakeEntryPoint(
            "beta", plugin_module("beta_mod", register_courses=courses("b")), dist="corehub-beta"
        ),
    )
    pm = make_plugin_manager(env={})
    assert {"alpha", "beta"} <= set(pm.infos)
    info = pm.infos["alpha"]
    assert (info.source, info.distribution, info.version, info.entry_point) == (
        "entry point",
        "corehub-alpha",
        "1.2.3",
        "alpha_mod",
    )
    assert pm.hooks_of("alpha") == ["register_courses"]
    assert all(pm.infos[name].source == "builtin" for name, _ in BUILTIN_PLUGINS)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"COREHUB_LOAD_PLUGINS": "alpha"}, {"alpha"}),
        ({"COREHUB_LOAD_PLUGINS": "corehub_beta"}, {"beta"}),  # distribution name, any spelling
        ({"COREHUB_LOAD_PLUGINS": ""}, set()),  # set but empty: none
        ({"COREHUB_DISABLE_PLUGINS": "corehub-alpha"}, {"beta"}),
        ({"COREHUB_LOAD_PLUGINS": "alpha,beta", "COREHUB_DISABLE_PLUGINS": "beta"}, {"alpha"}),
    ],
)
def test_load_and_disable_lists_accept_entry_point_or_distribution_names(installed, env, expected):
    installed(
        FakeEntryPoint("alpha", plugin_module("alpha_mod"), dist="corehub-alpha"),
        FakeEntryPoint("beta", plugin_module("beta_mod"), dist="corehub-beta"),
    )
    pm = make_plugin_manager(env=env)
    assert {n for n, i in pm.infos.items() if i.source == "entry point"} == expected


def test_config_disabled_list_blocks_plugins(installed):
    installed(FakeEntryPoint("alpha", plugin_module("alpha_mod"), dist="corehub-alpha"))
    pm = make_plugin_manager(disabled=["Corehub-Alpha"], env={})
    assert "alpha" not in pm.infos


def test_a_plugin_that_fails_to_import_is_named_and_skipped(installed, capsys):
    installed(
        FakeEntryPoint(
            "broken", None, dist="corehub-broken", fail=ImportError("No module named 'lxml'")
        ),
        FakeEntryPoint("fine", plugin_module("fine_mod"), dist="corehub-fine"),
    )
    pm = make_plugin_manager(env={})
    assert "fine" in pm.infos and "broken" not in pm.infos
    assert (
        "plugin 'broken' skipped: failed to load: ImportError: No module named 'lxml'"
        in capsys.readouterr().err
    )
    assert [(f.name, f.distribution) for f in pm.failures] == [("broken", "corehub-broken")]
    with pytest.raises(PluginError, match="plugin 'broken' failed to load"):
        make_plugin_manager(env={"COREHUB_STRICT_PLUGINS": "1"})


def test_a_misspelled_hook_is_an_error_naming_plugin_and_hook(capsys, tmp_path):
    pm = make_plugin_manager(plugins_dirs=[TEST_PLUGINS], load_entry_points=False, env={})
    assert "misspelled_hook" not in pm.infos
    err = capsys.readouterr().err
    assert (
        "plugin 'misspelled_hook' implements unknown hook 'cycle_task' (did you mean 'cycle_tasks'?)"
        in err
    )
    assert "plugin 'broken_import' skipped" in err
    assert "praise_wall" in pm.infos
    shutil.copy(TEST_PLUGINS / "misspelled_hook.py", tmp_path)
    with pytest.raises(PluginError, match="unknown hook 'cycle_task'"):
        make_plugin_manager(
            plugins_dirs=[tmp_path], load_entry_points=False, env={"COREHUB_STRICT_PLUGINS": "1"}
        )


def test_register_plugin_refuses_unknown_hooks(hub, register_plugin):
    class Typo:
        @hookimpl
        def review_submited(self, hub, review):
            pass

    with pytest.raises(PluginError, match="did you mean 'review_submitted'"):
        register_plugin(Typo(), name="typo")
    assert "typo" not in hub.pm.infos


def test_a_builtin_default_can_be_replaced_by_any_plugin(hub, register_plugin, tmp_path):
    class Fake:
        @hookimpl
        def render_pdf(self, hub, html, target, document):
            target.write_text("not really a pdf")
            return target

    register_plugin(Fake(), name="fake-pdf")
    target = tmp_path / "x.pdf"
    assert hub.hook.render_pdf(hub=hub, html="<p>hi</p>", target=target, document=None) == target
    assert target.read_text() == "not really a pdf"


def test_duplicate_registrations_name_both_plugins_unless_one_replaces(hub, register_plugin):
    register_plugin(plugin_module("org_forms", register_courses=courses("listening")), name="org-a")
    register_plugin(
        plugin_module("other_forms", register_courses=courses("listening")), name="org-b"
    )
    with pytest.raises(
        DuplicateRegistrationError,
        match="course 'listening' is registered by both plugin 'org-b' and plugin 'org-a'",
    ):
        hub.hook.register_courses.registry(what="course", hub=hub)

    def replacing(hub):
        return [FeedbackKind(id="praise", label="Kudos", replaces=True)]

    register_plugin(plugin_module("kudos", register_feedback_kinds=replacing), name="kudos")
    register_plugin(
        plugin_module(
            "std", register_feedback_kinds=lambda hub: [FeedbackKind(id="praise", label="Praise")]
        ),
        name="std",
    )
    kinds = hub.hook.register_feedback_kinds.registry(what="feedback kind", hub=hub)
    assert kinds["praise"].label == "Kudos"


def test_a_hook_that_raises_names_the_plugin(hub, register_plugin):
    def explode(hub):
        raise KeyError("missing-column")

    register_plugin(plugin_module("fine_one", register_courses=courses("x")), name="fine-one")
    register_plugin(plugin_module("exploding", register_courses=explode), name="exploding")
    with pytest.raises(PluginError, match="plugin 'exploding' failed in hook register_courses"):
        hub.hook.register_courses(hub=hub)
    with pytest.raises(PluginError, match="plugin 'exploding' failed in hook register_courses"):
        hub.hook.register_courses.registry(what="course", hub=hub)


def test_tracing_logs_each_call_with_its_plugins(installed, capsys):
    installed(
        FakeEntryPoint(
            "alpha", plugin_module("alpha_mod", register_courses=courses("a")), dist="corehub-alpha"
        )
    )
    pm = make_plugin_manager(env={"COREHUB_TRACE_PLUGINS": "1"})
    pm.hook.register_courses(hub=None)
    assert "corehub trace: register_courses(hub=NoneType) -> alpha" in capsys.readouterr().err


def test_normalize_name():
    assert normalize_name("corehub_self_assessment") == normalize_name("Corehub-Self-Assessment")


def test_plugins_dir_one_file_plugins_add_commands(workspace, tmp_path):
    plugins = Path(workspace) / "plugins"
    shutil.copy(TEST_PLUGINS / "praise_wall.py", plugins)
    from corehub.testing import run_cli

    hub = Hub(
        workspace,
        plugin_manager=make_plugin_manager(plugins_dirs=[plugins], load_entry_points=False, env={}),
    )
    result = run_cli(hub, "praise-wall")
    assert result.stdout.strip() == "Praise wall of Test help desk"
    listed = run_cli(hub, "plugins", "--json").json()
    assert [p["name"] for p in listed["plugins"]] == ["praise_wall"]
    assert listed["plugins"][0]["hooks"] == ["register_commands"]
    table = run_cli(hub, "plugins").stdout.splitlines()
    assert table[2].split() == [
        "praise_wall",
        "(plugins",
        "dir)",
        str(plugins / "praise_wall.py"),
        "1",
    ]
    assert table[-1].split() == ["praise_wall", "register_commands"]
    hub.close()


def test_the_console_script_loads_a_plugins_dir_and_reports_broken_plugins(workspace):
    env = {"COREHUB_LOAD_PLUGINS": "", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "corehub",
            "--workspace",
            str(workspace),
            "--plugins-dir",
            str(TEST_PLUGINS),
            "plugins",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "plugin 'broken_import' skipped" in result.stderr
    assert "plugin 'misspelled_hook' implements unknown hook 'cycle_task'" in result.stderr
    import json

    data = json.loads(result.stdout)
    assert [p["name"] for p in data["plugins"]] == ["praise_wall"]
    assert {f["name"] for f in data["failed"]} == {"broken_import", "misspelled_hook"}


def test_hook_specifications_import_only_models_and_typing():
    """The contract names records, never an implementation (``Hub`` only for annotations,
    as ``corehub.context.HubContext``, never ``corehub.hub``; ``corehub.messages`` holds the
    Message record problems are made of, and imports nothing of corehub)."""
    import ast

    import corehub.hookspecs

    allowed = {"corehub.models", "corehub.hookspecs", "corehub.context", "corehub.messages"}
    folder = Path(corehub.hookspecs.__file__).parent
    found = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                home = ".".join(name.split(".")[:2])
                if name.startswith("corehub") and home not in allowed:
                    found.setdefault(path.name, []).append(name)
    assert found == {}
