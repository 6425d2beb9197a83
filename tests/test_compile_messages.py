"""`make compile-messages` (tools/compile_messages.py) rewrites a .mo only when its
translations change: another Babel version leaves the tracked catalogs as they are."""

from __future__ import annotations

import gettext
import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_tool():
    spec = importlib.util.spec_from_file_location(
        "compile_messages", ROOT / "tools/compile_messages.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_catalog_is_rewritten_only_when_its_translations_change(tmp_path, monkeypatch):
    tool = load_tool()
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "corehub.po"
    shutil.copy(ROOT / "corehub/locale/sv/LC_MESSAGES/corehub.po", po)
    assert tool.compile_one(po)  # no .mo yet
    mo = po.with_suffix(".mo")
    first = mo.read_bytes()
    assert not tool.compile_one(po)
    # another Babel stamps another version in the header: nothing to rewrite
    monkeypatch.setattr("babel.messages.catalog.VERSION", "99.0")
    po.write_text(po.read_text(encoding="utf-8").replace("Babel 2.", "Babel 98."), "utf-8")
    assert not tool.compile_one(po)
    assert mo.read_bytes() == first
    # a changed translation is compiled
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgstr "Sida %(page)s av %(pages)s"', 'msgstr "Blad %(page)s"'))
    assert tool.compile_one(po)
    with mo.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Page %(page)s of %(pages)s") == (
            "Blad %(page)s"
        )
