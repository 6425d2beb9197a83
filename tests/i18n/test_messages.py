"""Messages made with M_: English for the CLI, the reader's language on a page.

The library functions a web page calls raise errors people read in their own language, so
the modules below may not raise a corehub error (or add a problem) with a literal or an
f-string: the text must be a Message (``M_``) or come from one. Errors meant for plugin
developers (PluginError) stay English.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pickle
import types
from pathlib import Path

import pytest

from corehub.errors import CorehubError, NotFoundError, PluginError, ValidationError
from corehub.i18n import translator
from corehub.messages import M_, Message, localize, text_of

ROOT = Path(__file__).resolve().parents[2]

# The modules whose errors reach a web page (the library functions the views call, and the
# views themselves), by distribution.
SHOWN_ON_PAGES = {
    "corehub": ["corehub.cycles", "corehub.web.tokens", "corehub.web.auth", "corehub.web.app"],
    "corehub_self_assessment": [
        "corehub_self_assessment.reviews",
        "corehub_self_assessment.answers",
        "corehub_self_assessment.views",
        "corehub_self_assessment.web",
    ],
    "corehub_training_tracker": [
        "corehub_training_tracker.training",
        "corehub_training_tracker.evidence",
        "corehub_training_tracker.recommendations",
        "corehub_training_tracker.web",
    ],
    "corehub_feedback": [
        "corehub_feedback.access",
        "corehub_feedback.kinds",
        "corehub_feedback.peers",
        "corehub_feedback.results",
        "corehub_feedback.store",
        "corehub_feedback.suggestions",
        "corehub_feedback.web",
    ],
}
MODULES = [name for names in SHOWN_ON_PAGES.values() for name in names]

UNTRANSLATABLE = (ast.JoinedStr, ast.BinOp)  # f"...", "..." % x, "a" + b


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, UNTRANSLATABLE):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
    )


def _error_class(module, node: ast.expr):
    """The CorehubError subclass ``node`` names in ``module`` (None for other exceptions)."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    if name is None:
        return None
    value = vars(module).get(name)
    if value is None and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = vars(module).get(node.value.id)
        value = vars(owner).get(name) if isinstance(owner, type | types.ModuleType) else None
    if isinstance(value, type) and issubclass(value, CorehubError):
        return value
    return None


def _untranslated(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    path = Path(module.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{path.name}:{node.lineno}"
        error = _error_class(module, node.func)
        if error is not None and not issubclass(error, PluginError):
            texts = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "summary")]
            if len(node.args) > 1 and isinstance(node.args[1], ast.List | ast.ListComp):
                items = node.args[1]
                texts.extend(items.elts if isinstance(items, ast.List) else [items.elt])
            found.extend(
                f"{where}: {error.__name__}({ast.unparse(t)[:60]})" for t in texts if _literal(t)
            )
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("append", "extend")
            and isinstance(func.value, ast.Name)
            and func.value.id in ("problems", "errors")
            and node.args
        ):
            arg = node.args[0]
            items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
            found.extend(
                f"{where}: problems.{func.attr}({ast.unparse(i)[:60]})"
                for i in items
                if _literal(i)
            )
        if (
            isinstance(func, ast.Name)
            and func.id == "str"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in ("exc", "error", "err")
            and module_name.endswith(("web", "app"))
        ):
            found.append(f"{where}: str({node.args[0].id}) shows the English text (use error_text)")
    return found


@pytest.mark.parametrize("module_name", MODULES)
def test_errors_shown_on_pages_are_translatable(module_name):
    pytest.importorskip(module_name.split(".")[0])
    found = _untranslated(module_name)
    assert not found, "English-only messages:\n" + "\n".join(found)


def test_the_check_finds_an_english_only_error(tmp_path, monkeypatch):
    """The lint above fails on the patterns it is meant to catch."""
    package = tmp_path / "lint_example.py"
    package.write_text(
        "from corehub.errors import ValidationError, PluginError\n"
        "from corehub.messages import M_\n"
        "def f(x, problems):\n"
        "    problems.append(f'{x}: bad')\n"
        "    problems.append(M_('bad', where=x))\n"
        "    raise PluginError(f'plugin {x}')\n"
        "def g(x):\n"
        "    raise ValidationError(f'{x} was not saved:', [f'{x}: bad'])\n"
        "def h(x):\n"
        "    raise ValidationError(M_('%(x)s was not saved:', x=x))\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = _untranslated("lint_example")
    assert [line.split(": ", 1)[1] for line in found] == [
        "problems.append(f'{x}: bad')",
        "ValidationError(f'{x} was not saved:')",
        "ValidationError(f'{x}: bad')",
    ]


# -- Message ---------------------------------------------------------------------------


def test_a_message_is_its_english_text_with_where_and_hint():
    message = M_("must be 1 to %(top)s", where="rating", top=5, hint="use --rating")
    assert isinstance(message, str)
    assert message == "rating: must be 1 to 5 (use --rating)"
    assert message.where == "rating"
    assert message.translated(None) == "must be 1 to 5"
    assert message.localized(None) == "rating: must be 1 to 5"
    assert text_of("plain", None) == "plain"
    assert localize(None, None) == ""


def test_a_message_survives_pickling_between_processes():
    message = M_("%(what)s is 100%% done", where="x", what=M_("the %(n)s task", n=2))
    copy = pickle.loads(pickle.dumps(message))
    assert isinstance(copy, Message)
    assert (copy, copy.msgid, copy.where) == (message, message.msgid, "x")
    assert copy == "x: the 2 task is 100% done"


def test_an_error_is_english_for_the_cli_and_translated_for_a_page():
    spanish = translator(None, "es")
    error = NotFoundError(M_("no person with id %(id)r", id="x17"))
    assert str(error) == "no person with id 'x17'"
    assert error.localized(spanish) == "no hay ninguna persona con el id 'x17'"
    assert error.localized(None) == str(error)


def test_a_validation_error_translates_its_summary_and_problems():
    danish = translator(None, "da")
    error = ValidationError(
        M_("cycle %(name)r is not open yet", name="2026 H2"),
        [M_("no task with id %(id)s", id=7, where="task"), "kept as written"],
    )
    assert str(error).splitlines() == [
        "cycle '2026 H2' is not open yet",
        "  - task: no task with id 7",
        "  - kept as written",
    ]
    lines = error.localized(danish).splitlines()
    assert lines[0] == "runden '2026 H2' er ikke åbnet endnu"
    assert lines[1] == "  - task: ingen opgave med id 7"
    assert lines[2] == "  - kept as written"


def test_dates_are_iso_in_english_and_long_elsewhere():
    day = dt.date(2026, 12, 4)
    message = M_("due %(day)s", day=day)
    assert message == "due 2026-12-04"
    assert message.translated(translator(None, "es")) == "due 4 de diciembre de 2026"


def test_a_broken_translation_falls_back_to_the_english_text():
    class Broken:
        def gettext(self, message):
            return "%(missing)s"

        def date(self, value, style="long"):
            return str(value)

    assert M_("no task with id %(id)s", id=3).translated(Broken()) == "no task with id 3"


def test_a_name_is_its_id_for_the_cli_and_its_label_on_a_page():
    from corehub.messages import Named
    from corehub.models import Text

    course = Named("data-protection", Text({"en": "Data protection", "da": "Databeskyttelse"}))
    message = M_("%(course)r was not completed", course=course)
    assert message == "'data-protection' was not completed"
    assert message.translated(translator(None, "da")) == "'Databeskyttelse' was not completed"
    copy = pickle.loads(pickle.dumps(message))
    assert copy.translated(translator(None, "da")) == "'Databeskyttelse' was not completed"


def test_labels_and_decimals_follow_the_readers_language():
    from corehub.models import Text

    message = M_(
        "%(label)s: at most %(size)s MB", label=Text({"en": "File", "es": "Archivo"}), size=0.5
    )
    assert message == "File: at most 0.5 MB"
    assert message.translated(translator(None, "es")) == "Archivo: at most 0,5 MB"


def test_a_message_is_still_a_str_for_the_standard_library():
    import re

    message = M_("a (b) %(x)s", x=1)
    assert re.escape(message) == re.escape("a (b) 1")  # str.translate is not overridden


def test_percent_signs_and_number_formats_survive_translation():
    spanish = translator(None, "es")
    assert M_("100%% done") == "100% done"  # %-formatted even without parameters
    assert M_("at least 90%") == "at least 90%"  # a broken msgid is shown as written
    assert M_("mean %(x).1f", x=2.25).translated(spanish) == "mean 2.2"  # formats keep floats
    assert M_("mean %(x)s", x=2.25).translated(spanish) == "mean 2,25"


def test_a_translation_that_breaks_falls_back_to_english_values_too():
    class Broken:
        def gettext(self, message):
            return "%(x)d %(missing)s"

        def date(self, value, style="long"):
            return "4 de diciembre"

        def decimal(self, value):
            return "2,5"

    day = dt.date(2026, 12, 4)
    assert M_("%(x)s on %(day)s", x=2.5, day=day).translated(Broken()) == "2.5 on 2026-12-04"
