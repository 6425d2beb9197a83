"""Compile gettext catalogs (.po -> .mo), rewriting a .mo only when its translations changed.

``python tools/compile_messages.py DOMAIN LOCALE_DIR`` compiles every
``LOCALE_DIR/<lang>/LC_MESSAGES/DOMAIN.po``. A compiled catalog's header names the Babel
version that wrote it, so compiling the same translations with another Babel would rewrite
every tracked .mo file; comparing what the catalogs say instead leaves the work tree clean
whatever Babel is installed.
"""

from __future__ import annotations

import gettext
import io
import os
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

IGNORED_HEADERS = ("generated-by:", "pot-creation-date:", "po-revision-date:")


def _meaning(data: bytes) -> dict[object, object]:
    """What a compiled catalog says: its messages, and its header without tool stamps."""
    catalog = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]
    header = str(catalog.pop("", ""))
    kept = [line for line in header.splitlines() if not line.lower().startswith(IGNORED_HEADERS)]
    catalog[""] = "\n".join(kept)
    return catalog


def compile_one(po_path: Path) -> bool:
    """Compile ``po_path`` next to it; True when the .mo was (re)written."""
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    mo_path = po_path.with_suffix(".mo")
    if mo_path.is_file() and _meaning(mo_path.read_bytes()) == _meaning(data):
        return False
    temporary = mo_path.with_name(mo_path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, mo_path)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: compile_messages.py DOMAIN LOCALE_DIR", file=sys.stderr)
        return 2
    domain, folder = argv[0], Path(argv[1])
    for po_path in sorted(folder.glob(f"*/LC_MESSAGES/{domain}.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        total = sum(1 for m in catalog if m.id)
        state = "compiled" if compile_one(po_path) else "unchanged"
        print(f"{po_path}: {done} of {total} messages translated, {state}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
