"""Whether a document of a cycle run is up to date, decided without gathering its data.

Gathering a packet's data costs a tenth of rendering it, so an incremental run that
gathered every packet to compare content hashes would spend most of its time proving
that nothing changed. Instead, each run first takes the *state* of everything a document
can be made from, once:

- the renderer's fingerprint (templates, stylesheets, fonts, catalogs, plugin versions,
  the logo) and the PDF variant;
- the code of corehub and of every loaded plugin (each file's name, size and time), so an
  edited plugin is noticed even before its version changes;
- ``corehub.toml`` and the organization's folders (forms, courses, templates, plugins);
- the database, as bytes, after a checkpoint has moved the write-ahead log into it;
- the day (sections show what is overdue today), and who renders (what they may see).

Beside each PDF, its ``.sha256`` file keeps the content hash of its data (first line)
and the state it was rendered or checked in (``state <hash>``, second line). When the
state of this run is the one recorded, the document is unchanged and nothing is read.
Otherwise its data is gathered and its content hash compared as before: only a document
whose data changed is rendered again, and the new state is recorded either way. Any
change anywhere (a late review, a renamed person, a new feedback item) therefore costs
one gathering pass and renders only the documents it changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.plugins import package_root

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.render.documents import Renderer

STATE_PREFIX = "state "
_CHUNK = 1 << 20


def run_state(renderer: Renderer, *, variant: str | None, skip: Iterable[Path] = ()) -> str:
    """The state of everything the documents of a run are made from (see the module doc).

    ``skip`` names folders whose files never count (where the PDFs are written).
    """
    hub = renderer.hub
    skipped = tuple(Path(p).resolve() for p in skip)
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        digest.update("\0".join(str(part) for part in parts).encode() + b"\n")

    add("fingerprint", renderer.fingerprint(), "variant", variant)
    add("today", hub.clock.today().isoformat(), "actor", hub.actor)
    for root in _code_roots(hub):
        _add_files(add, root, skipped)
    config = hub.config_path
    add("config", config, config.read_bytes() if config.is_file() else b"")
    for kind in ("templates", "forms", "courses", "plugins"):
        folder = hub.path(kind)
        if folder.is_dir():
            _add_files(add, folder, skipped)
    add("database")
    database_state(hub, digest)
    return digest.hexdigest()


def document_state(state: str, kind: str, key: str | None, target: Path) -> str:
    """The state line of one document of a run in ``state``."""
    text = f"{state}\0{kind}\0{key}\0{target.name}"
    return STATE_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def database_state(hub: Hub, digest: hashlib._Hash) -> None:
    """Feed the bytes of ``hub``'s database into ``digest``.

    The write-ahead log is checkpointed first, so the same data gives the same bytes
    whatever the last writer left in the log; when it cannot be (a reader holds it, a
    read-only copy), the log's bytes count as well, which can only make a document be
    checked again, never skipped wrongly.
    """
    db = hub.db
    with contextlib.suppress(sqlite3.Error):
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    path = hub.db_path
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            with open(file, "rb") as handle:
                digest.update(f"\0{file.name}\0".encode())
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            continue


def _code_roots(hub: Hub) -> list[Path]:
    """corehub's package folder and each loaded plugin's (a package's folder, or its file)."""
    roots: list[Path] = []
    seen: set[str] = set()
    for info in hub.pm.infos.values():
        for candidate in (info.module, info.entry_point):
            if not candidate:
                continue
            module = candidate.split(":")[0]
            if Path(module).suffix == ".py":
                roots.append(Path(module))
                continue
            package = module.split(".")[0]
            if package in seen:
                continue
            seen.add(package)
            root = package_root(package) or _module_file(package)
            if root is not None:
                roots.append(root)
    core = package_root("corehub")
    if core is not None:
        roots.append(core)
    return sorted(set(roots))


def _module_file(name: str) -> Path | None:
    """The file of a plain (one-file) module, if it has one."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    origin = spec.origin if spec is not None else None
    return Path(origin) if origin and origin.endswith(".py") else None


def _add_files(add: object, root: Path, skipped: tuple[Path, ...]) -> None:
    """Each file under ``root`` (or ``root`` itself): its name, size and modification time."""
    assert callable(add)
    if root.is_file():
        stat = root.stat()
        add("file", root, stat.st_size, stat.st_mtime_ns)
        return
    resolved = root.resolve()
    if any(resolved == s or s in resolved.parents for s in skipped):
        return
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if d != "__pycache__" and (here / d).resolve() not in skipped and not d.startswith(".")
        )
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            try:
                stat = (here / name).stat()
            except OSError:
                continue
            add("file", here / name, stat.st_size, stat.st_mtime_ns)
