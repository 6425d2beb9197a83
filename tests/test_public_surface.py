"""The public surface a plugin imports: what it holds, and that our own plugins need no more."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import corehub
from corehub import Hub, hookimpl
from corehub.errors import NotFoundError, ValidationError
from corehub.messages import M_

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = {
    "corehub",
    "corehub.access",
    "corehub.cli",
    "corehub.demo",
    "corehub.errors",
    "corehub.forms",
    "corehub.i18n",
    "corehub.loaders",
    "corehub.messages",
    "corehub.models",
    "corehub.testing",
    "corehub.web",
}


def _plugin_sources() -> list[Path]:
    files = [p for p in (ROOT / "plugins").rglob("*.py") if not {".venv", "build"} & set(p.parts)]
    files += list((ROOT / "docs" / "examples").rglob("*.py"))
    files += list((ROOT / "corehub" / "scaffold" / "template").rglob("*.py.tmpl"))
    return sorted(files)


def _corehub_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    text = path.read_text(encoding="utf-8").replace("{{module}}", "plugin_module")
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "corehub" or node.module.startswith("corehub."):
                found.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "corehub" or alias.name.startswith("corehub."):
                    found.append((node.lineno, alias.name, []))
    return found


def test_shipped_plugins_examples_and_the_scaffold_import_only_public_names():
    problems = []
    for path in _plugin_sources():
        for line, module, names in _corehub_imports(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if module not in PUBLIC:
                problems.append(f"{where}: imports internal module {module}")
                continue
            exported = getattr(importlib.import_module(module), "__all__", None)
            for name in names:
                if module == "corehub" and f"corehub.{name}" in PUBLIC:
                    continue
                if exported is not None and name not in exported:
                    problems.append(f"{where}: {module}.{name} is not in {module}.__all__")
    assert problems == []
    assert len(_plugin_sources()) > 100  # the scan did read the four plugins


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_every_public_name_exists(module):
    loaded = importlib.import_module(module)
    for name in getattr(loaded, "__all__", []):
        assert hasattr(loaded, name), f"{module}.{name}"


def test_corehub_exports_the_markers_the_hub_and_the_common_errors():
    assert corehub.hookimpl is hookimpl and corehub.Hub is Hub
    assert corehub.ValidationError is ValidationError
    assert issubclass(corehub.PermissionDeniedError, corehub.CorehubError)


def test_the_old_translation_module_still_works_and_warns():
    code = textwrap.dedent(
        """
        import warnings
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from corehub.render.i18n import N_, translator
            import corehub.render.i18n as old
        import corehub.i18n
        assert old is corehub.i18n and translator is corehub.i18n.translator
        [warning] = [w for w in caught if issubclass(w.category, DeprecationWarning)]
        assert "import corehub.i18n instead" in str(warning.message), warning
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_m_refuses_a_reserved_name_as_a_placeholder():
    with pytest.raises(TypeError, match="'where' is M_'s own argument"):
        M_("%(where)s is not a team", where="team")
    with pytest.raises(TypeError, match="'hint' is M_'s own argument"):
        M_("try %(hint)s", hint="--force")
    with pytest.raises(TypeError, match=r"no value for the placeholder %\(limit\)s"):
        M_("at most %(limit)s characters")
    # A literal %% is no placeholder; where and hint keep their jobs.
    made = M_("%%(x)s %(n)s", where="field", hint="use --n", n=3)
    assert str(made) == "field: %(x)s 3 (use --n)"


FORM = """
id: night
title: Night shift
scales:
  five:
    points:
      - {value: 1, label: Low}
      - {value: 5, label: High}
sections:
  - id: work
    title: Work
    questions:
      - {id: calm, text: Stays calm, scale: five, allow_na: false}
      - {id: extra, text: Extra duties, scale: five}
      - {id: notes, text: Notes, type: text, allow_na: false}
"""


def test_load_form_reads_a_yaml_form_and_reports_every_problem(tmp_path):
    from corehub.forms import load_form

    good = tmp_path / "night.yaml"
    good.write_text(FORM.replace("type: text, allow_na: false", "type: text"))
    form = load_form(good)
    assert form.id == "night" and form.question("calm").allow_na is False
    assert form.question("extra").allow_na is True  # n/a is allowed unless the form says not

    bad = tmp_path / "bad.yaml"
    bad.write_text(FORM.replace("scale: five}", "scale: ten}"))
    with pytest.raises(ValidationError) as caught:
        load_form(bad)
    problems = [str(p) for p in caught.value.problems]
    assert f"{bad}: sections[0].questions[1].scale: unknown scale 'ten' (scales: five)" in problems
    assert (
        f"{bad}: sections[0].questions[2].allow_na: only rating questions can be answered n/a"
        in problems
    )


def test_allow_na_false_makes_the_person_rate_the_question(tmp_path):
    from corehub.forms import load_form
    from corehub.models import ReviewKind
    from corehub_self_assessment.answers import normalise_answers

    path = tmp_path / "night.yaml"
    path.write_text(FORM.replace("type: text, allow_na: false", "type: text"))
    form = load_form(path)
    answers, problems = normalise_answers(form, ReviewKind.SELF, {"calm": "n/a", "extra": "n/a"})
    assert [str(p) for p in problems] == [
        "answers.calm: this question needs a rating: n/a is not allowed (1-5)"
    ]
    answers, problems = normalise_answers(form, ReviewKind.SELF, {"calm": "5", "extra": "n/a"})
    assert problems == [] and answers["calm"] == 5 and answers["extra"] == "n/a"


def test_register_forms_accepts_paths_of_yaml_files(hub, register_plugin, tmp_path):
    import corehub_self_assessment.plugin
    from corehub_self_assessment.forms import get_form

    path = tmp_path / "night.yaml"
    path.write_text(FORM.replace("type: text, allow_na: false", "type: text"))

    class NightShift:
        @hookimpl
        def register_forms(self, hub):
            return [str(path)]

    register_plugin(corehub_self_assessment.plugin, name="self_assessment")
    register_plugin(NightShift(), name="night-shift")
    form = get_form(hub, "night")
    assert form.question("calm").allow_na is False


def test_reports_direct_or_at_every_level(hub, make_people):
    make_people(team="top", agents=0)
    make_people(team="alpha", agents=2, manager_id="top-lead")
    make_people(team="beta", agents=1, manager_id="alpha-01")
    direct = [p.id for p in hub.people.reports("top-lead")]
    everyone = [p.id for p in hub.people.reports("top-lead", all_levels=True)]
    assert direct == ["alpha-lead"]
    assert everyone == ["alpha-lead", "alpha-01", "alpha-02", "beta-lead", "beta-01"]
    assert hub.people.reports("beta-01", all_levels=True) == []


def test_web_client_signs_in_any_person(hub, make_people, web_client):
    make_people(team="alpha", agents=1)
    page = web_client("alpha-01").get("/", follow_redirects=True)
    assert page.status_code == 200 and "Alpha Agent 1" in page.text
    signed_out = web_client().get("/")
    assert signed_out.status_code == 302 and signed_out.location.endswith("/sign-in")


def test_installed_plugin_loads_by_entry_point_name(hub, installed_plugin):
    plugin = installed_plugin("feedback")
    assert hub.pm.get_plugin("feedback") is plugin
    assert "feedback" in hub.db.table_names()  # its migrations ran
    with pytest.raises(NotFoundError, match=r"no installed corehub plugin 'nope'.*feedback"):
        installed_plugin("nope")


def test_derived_keys_are_stable_per_workspace_and_differ_per_purpose(hub):
    from corehub.access import derived_key

    assert derived_key(hub, b"one") == derived_key(hub, b"one")
    assert derived_key(hub, b"one") != derived_key(hub, b"two")
    assert len(derived_key(hub, b"one")) == 32


def _documented_public_modules() -> set[str]:
    """The modules named in the first column of docs/public_api.md's table."""
    text = (ROOT / "docs" / "public_api.md").read_text(encoding="utf-8")
    table = text.split("| import from |", 1)[1].split("\n\n", 1)[0]
    modules = set()
    for line in table.splitlines():
        if line.startswith("| `corehub"):
            modules.update(re.findall(r"`(corehub[\w.]*)`", line.split("|")[1]))
    return modules


def test_the_documented_list_of_public_modules_is_the_one_enforced():
    assert _documented_public_modules() == PUBLIC
    linted = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [
        c
        for c in linted["tool"]["importlinter"]["contracts"]
        if c["name"] == "Plugins import only corehub's public surface"
    ]
    forbidden = set(contract["forbidden_modules"])
    assert not forbidden & PUBLIC
    # every internal module of corehub is forbidden to plugins, by itself or by its package
    internal = {
        f"corehub.{p.stem}" if p.name != "__init__.py" else f"corehub.{p.parent.name}"
        for p in (ROOT / "corehub").glob("*/__init__.py")
    } | {f"corehub.{p.stem}" for p in (ROOT / "corehub").glob("*.py") if p.stem != "__init__"}
    internal -= PUBLIC | {"corehub.__main__"}
    assert sorted(internal - forbidden) == []


_DOC_IMPORT = re.compile(
    r"^\s*(?:from\s+(corehub(?:\.[\w.]+)?)\s+import\s+\(?([\w, ]+)|import\s+(corehub(?:\.[\w.]+)?)\b)"
)
_DOC_NAME = re.compile(r"`(corehub(?:\.\w+)+)")
# Internal names the docs mention on purpose, to explain something a plugin author sees
# (never to have it imported):
NAMED_TO_EXPLAIN = {
    # the type hook specifications give `hub`, next to "type it as corehub.Hub"
    "corehub.context.HubContext",
}


def test_the_docs_for_plugin_authors_name_only_public_modules():
    """What the docs show a plugin author (code blocks and names in the text) is public:
    following them never leads to an internal module."""
    problems = []
    for path in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        if path.name == "public_api.md":  # names the internal modules, to say they are
            continue
        lang = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.relative_to(ROOT)}:{number}"
            if line.startswith("```"):
                lang = None if lang is not None else line[3:].strip()
                continue
            if lang is not None and lang.startswith("py"):
                found = _DOC_IMPORT.match(line)
                if found:
                    module = found.group(1) or found.group(3)
                    if module not in PUBLIC:
                        problems.append(f"{where}: imports internal module {module}")
                        continue
                    exported = getattr(importlib.import_module(module), "__all__", None)
                    for name in filter(
                        None, (n.strip() for n in (found.group(2) or "").split(","))
                    ):
                        if module == "corehub" and f"corehub.{name}" in PUBLIC:
                            continue
                        if exported is not None and name not in exported:
                            problems.append(f"{where}: {module}.{name} is not public")
            elif lang is None:
                for dotted in _DOC_NAME.findall(line):
                    if dotted in {"corehub.toml", *PUBLIC, *NAMED_TO_EXPLAIN}:
                        continue
                    module, _, name = dotted.rpartition(".")
                    if module in PUBLIC and hasattr(importlib.import_module(module), name):
                        continue
                    problems.append(f"{where}: names {dotted}, which is not public")
    assert problems == []


def test_apply_settings_validates_before_it_changes_anything(hub, register_plugin):
    import corehub_feedback.plugin
    from corehub.errors import ConfigError

    register_plugin(corehub_feedback.plugin, name="feedback")
    assert hub.settings("feedback").anonymity_threshold == 5
    applied = hub.apply_settings("feedback", {"anonymity_threshold": 3})
    assert applied.anonymity_threshold == 3 and hub.settings("feedback") is applied
    assert hub.config.settings["feedback"] == {"anonymity_threshold": 3}
    with pytest.raises(ConfigError, match="anonymity_threshold"):
        hub.apply_settings("feedback", {"anonymity_threshold": 1})
    assert hub.settings("feedback").anonymity_threshold == 3  # the refused table changed nothing
    with pytest.raises(ConfigError, match="no installed plugin declares settings named 'nope'"):
        hub.apply_settings("nope", {})
    # the workspace's corehub.toml is not touched
    assert "[settings.feedback]" not in hub.config_path.read_text(encoding="utf-8")


def test_reload_settings_reads_corehub_toml_again(hub, register_plugin):
    import corehub_feedback.plugin
    from corehub.errors import ConfigError

    register_plugin(corehub_feedback.plugin, name="feedback")
    assert hub.settings("feedback").anonymity_threshold == 5
    text = hub.config_path.read_text(encoding="utf-8")
    hub.config_path.write_text(text + "\n[settings.feedback]\nanonymity_threshold = 4\n")
    assert hub.settings("feedback").anonymity_threshold == 5  # validated once, kept
    hub.reload_settings(from_file=True)
    assert hub.settings("feedback").anonymity_threshold == 4
    hub.config_path.write_text(text + "\n[settings.feedback\n")
    with pytest.raises(ConfigError, match=r"corehub\.toml: not valid TOML"):
        hub.reload_settings(from_file=True)
    assert hub.settings("feedback").anonymity_threshold == 4


def _night_log_package(root: Path) -> None:
    """A plugin package with a packet section and its own Spanish catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    package = root / "corehub_night_log"
    (package / "templates" / "corehub_night_log").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(
        textwrap.dedent(
            """
            from corehub import hookimpl
            from corehub.i18n import translator
            from corehub.models import ReportKind, ReportSection


            @hookimpl
            def register_report_sections(hub, report):
                if report.kind is not ReportKind.PACKET:
                    return []
                _ = translator(hub, report.locale).gettext
                return [
                    ReportSection(
                        id="night_log.nights",
                        title=_("Night shifts"),
                        template="corehub_night_log/nights.html",
                        context=lambda hub, report: {"nights": 3},
                        order=390,
                    )
                ]
            """
        )
    )
    (package / "templates" / "corehub_night_log" / "nights.html").write_text(
        '<p>{{ ngettext("%(num)s night worked", "%(num)s nights worked", nights) }}</p>'
    )
    catalog = Catalog(locale="es", domain="corehub_night_log", fuzzy=False)
    catalog.add("Night shifts", "Turnos de noche")
    catalog.add(
        ("%(num)s night worked", "%(num)s nights worked"),
        # Babel's Spanish has three plural forms (the third for a million and more)
        ("%(num)s noche trabajada", "%(num)s noches trabajadas", "%(num)s noches trabajadas"),
    )
    folder = package / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "corehub_night_log.mo").open("wb") as handle:
        write_mo(handle, catalog)


def test_render_sections_draws_a_plugin_section_in_the_reports_language(
    hub, register_plugin, make_people, tmp_path, monkeypatch
):
    from corehub.models import Report, ReportKind
    from corehub.testing import render_sections

    _night_log_package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    plugin = importlib.import_module("corehub_night_log.plugin")
    register_plugin(plugin, name="night_log")
    person = make_people(team="alpha", agents=1)[1]
    hub.cycles.create("2026 H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    cycle = hub.cycles.open("2026 H1").cycle

    def section(locale: str) -> str:
        report = Report(kind=ReportKind.PACKET, cycle=cycle, locale=locale, person=person)
        return render_sections(hub, report, plugin="night_log")["night_log.nights"]

    assert "3 nights worked" in section("en")
    assert "3 noches trabajadas" in section("es")
    assert "3 nights worked" in section("da")  # no Danish catalog: the English words


def test_a_form_registered_by_its_path_is_known_by_its_id(
    hub, installed_plugin, register_plugin, tmp_path
):
    from corehub.errors import DuplicateRegistrationError
    from corehub.forms import registered_forms

    installed_plugin("self_assessment")
    path = tmp_path / "agent.yaml"
    path.write_text(
        FORM.replace("type: text, allow_na: false", "type: text").replace(
            "id: night\n", "id: agent\nreplaces: true\n"
        )
    )

    class NightAgent:
        @hookimpl
        def register_forms(self, hub):
            return [path]

    register_plugin(NightAgent(), name="night-agent")
    for forms in (registered_forms(hub), hub.hook.register_forms.registry(what="form", hub=hub)):
        assert "agent.yaml" not in forms
        assert str(forms["agent"].title) == "Night shift"  # the plugin's form took the place
        assert {"agent", "supervisor", "director"} <= set(forms)
    path.write_text(path.read_text().replace("replaces: true\n", ""))
    with pytest.raises(DuplicateRegistrationError, match="form 'agent' is registered by both"):
        registered_forms(hub)


def _documented_json(heading: str) -> list[object]:
    """The JSON examples under ``heading`` of docs/public_api.md."""
    import json

    text = (ROOT / "docs" / "public_api.md").read_text(encoding="utf-8")
    part = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", part, re.S)]


def test_plugins_json_has_the_documented_shape(workspace, tmp_path):
    from corehub.plugins import make_plugin_manager
    from corehub.testing import run_cli

    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "greeter.py").write_text(
        "from corehub import hookimpl\n\n@hookimpl\ndef startup(hub):\n    pass\n"
    )
    (folder / "broken.py").write_text("import no_such_module_at_all\n")
    pm = make_plugin_manager(plugins_dirs=[folder], load_entry_points=False, env={})
    hub = Hub(workspace, plugin_manager=pm)
    try:
        documented, by_hook = _documented_json("`corehub plugins --json`")
        listed = run_cli(hub, "plugins", "--json").json()
        assert set(listed) == set(documented)
        [greeter] = listed["plugins"]
        assert set(greeter) == set(documented["plugins"][0])
        assert greeter["source"] == "plugins dir" and greeter["hooks"] == ["startup"]
        [broken] = listed["failed"]
        assert set(broken) == set(documented["failed"][0])
        assert broken["name"] == "broken" and "ModuleNotFoundError: No module" in broken["error"]
        everything = run_cli(hub, "plugins", "--json", "--all").json()["plugins"]
        assert {p["source"] for p in everything} == {"builtin", "plugins dir"}

        hooks = run_cli(hub, "plugins", "--hooks", "--json").json()
        assert list(hooks) == sorted(hooks) and set(by_hook) <= set(hooks)
        assert hooks["startup"] == ["greeter"] and hooks["score_ticket"] == []
    finally:
        hub.close()


def test_the_base_templates_blocks_are_the_documented_ones():
    base = ROOT / "corehub" / "web" / "templates" / "corehub" / "web" / "base.html"
    blocks = set(re.findall(r"{%-?\s*block\s+(\w+)", base.read_text(encoding="utf-8")))
    web = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    section = web.split("### The page's frame: base template blocks", 1)[1].split("\n#", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, re.M))
    assert documented == blocks
    # the short list for plugin authors names the same blocks, less corehub's own prefix
    listed = (ROOT / "docs" / "public_api.md").read_text(encoding="utf-8")
    summary = listed.split("## The web base template's blocks", 1)[1]
    assert set(re.findall(r"`(\w+)`", summary.split("\n\n")[1])) >= blocks - {"title_prefix"}
