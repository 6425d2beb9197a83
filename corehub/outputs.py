"""Writing the files corehub makes: PDFs, backups, exports, generated projects.

Every command of corehub and of its plugins that writes a file goes through
:func:`write_output` (or checks a folder with :func:`check_output_folder`), so every
one of them refuses the same things and writes the same safe way:

- the target must not be the workspace database or its ``-wal``, ``-shm`` and
  ``-journal`` files, ``corehub.toml``, a hidden file of the workspace (the web
  secret), anything in the folders the organization fills (templates, forms, courses,
  plugins) or in a folder a plugin keeps its data in (``extra_protected_paths``), any
  other SQLite database or ``corehub.toml``, or a folder;
- the file is written to a temporary ``.<name>.<host>-<pid>-<random>.part`` next to
  the target and renamed over it only when complete, so a killed run, a full disk or
  Ctrl-C never leaves half a file under the real name;
- a ``.part`` file (or folder, for ``plugin new``) left by a run that was killed is
  removed by the next run on the same machine that writes into the same folder. One
  made on another machine (shards rendering into a shared folder) is left alone while
  that machine may still be writing it: for a day.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.config import CONFIG_FILE
from corehub.errors import CorehubError

if TYPE_CHECKING:
    from corehub.context import HubContext

DATABASE_SUFFIXES = ("", "-wal", "-shm", "-journal")
"""The live database is these files: the database and SQLite's companions."""

_SQLITE_HEADER = b"SQLite format 3\x00"
_PART = re.compile(r"^\..+\.(?:(?P<host>[A-Za-z0-9_-]+)-)?(?P<pid>\d+)-[0-9a-f]{8}\.part$")
OTHER_HOST_PART_SECONDS = 24 * 3600
"""How long a ``.part`` file made on another machine is left alone (it may be in use)."""


class OutputRefusedError(CorehubError):
    """An output path that would destroy data (the database, the config, a folder...)."""


def protected_paths(hub: HubContext | None) -> list[tuple[Path, str]]:
    """(path, what it is) pairs no output may replace; folders protect what is inside them."""
    if hub is None or hub.workspace is None or not hub.initialized:
        return []
    workspace = hub.workspace
    found: list[tuple[Path, str]] = []
    database = _resolve(workspace / hub.config.database.path)
    found += [
        (database.with_name(database.name + suffix), "the live workspace database")
        for suffix in DATABASE_SUFFIXES
    ]
    found.append((_resolve(workspace / CONFIG_FILE), "the workspace configuration"))
    for kind in ("templates", "forms", "courses", "plugins"):
        found.append((_resolve(hub.path(kind)), f"the workspace's {kind} folder"))
    for _plugin, paths in hub.hook.extra_protected_paths.collect(hub=hub):
        for path in paths or ():
            found.append((_resolve(workspace / path), "a plugin's data"))
    return found


def check_output(
    hub: HubContext | None, target: Path | str, *, overwrite: bool = True, database_ok: bool = False
) -> Path:
    """``target`` if a command may write a file there; else an error saying why not.

    ``overwrite=False`` also refuses an existing file (``db backup`` without ``--force``);
    ``database_ok`` lets an existing SQLite file other than the live one be replaced (an
    old backup, with ``--force``).
    """
    target = Path(target)
    resolved = _resolve(target)
    if resolved.is_dir() or str(target).endswith(os.sep):
        raise OutputRefusedError(f"{target} is a folder; give the name of a file to write")
    for path, what in protected_paths(hub):
        if resolved == path:
            raise OutputRefusedError(
                f"refusing to write {target}: it is {what}; choose another file"
            )
        if resolved.is_relative_to(path):  # a folder (or one still to be made)
            raise OutputRefusedError(
                f"refusing to write {target}: it is inside {what} ({path}); choose another file"
            )
    workspace = hub.workspace if hub is not None else None
    if workspace is not None and resolved.parent == workspace and resolved.name.startswith("."):
        raise OutputRefusedError(
            f"refusing to write {target}: hidden files in the workspace hold its state; "
            "choose another file"
        )
    if resolved.name == CONFIG_FILE:
        raise OutputRefusedError(
            f"refusing to write {target}: that name is a corehub workspace's configuration"
        )
    if resolved.is_file():
        if _is_sqlite(resolved) and (not database_ok or _in_use(resolved)):
            raise OutputRefusedError(
                f"refusing to write {target}: it is "
                + ("a database in use" if database_ok else "a database")
                + "; choose another file"
            )
        if not overwrite:
            raise OutputRefusedError(f"{target} exists; pass --force to replace it")
    return target


def check_output_folder(hub: HubContext | None, folder: Path | str) -> Path:
    """``folder``, created if needed, if files may be written in it; else a clear error."""
    folder = Path(folder)
    resolved = _resolve(folder)
    if resolved.exists() and not resolved.is_dir():
        raise OutputRefusedError(f"cannot create output folder {folder}: it is a file")
    for path, what in protected_paths(hub):
        if resolved.is_relative_to(path):
            raise OutputRefusedError(
                f"refusing to write into {folder}: it holds {what}; choose another folder"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorehubError(f"cannot create output folder {folder}: {_reason(exc)}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CorehubError(f"cannot write to output folder {folder}: permission denied")
    clean_stale_parts(folder)
    return folder


@contextlib.contextmanager
def write_output(
    hub: HubContext | None,
    target: Path | str,
    *,
    overwrite: bool = True,
    database_ok: bool = False,
    mode: int = 0o644,
) -> Iterator[Path]:
    """``with write_output(hub, target) as tmp:`` write ``tmp``; it becomes ``target`` on success.

    The target is checked first (:func:`check_output`). On any error, Ctrl-C included, the
    temporary file is removed and ``target`` is left as it was. An OSError while writing
    (a full disk, a read-only folder) becomes one sentence naming ``target``.
    """
    target = check_output(hub, target, overwrite=overwrite, database_ok=database_ok)
    check_output_folder(hub, target.parent)
    tmp = part_name(target)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise CorehubError(f"cannot write {target}: {_reason(exc)}") from None
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, mode)
        if not overwrite and target.exists():
            raise OutputRefusedError(f"{target} appeared while it was written; nothing replaced")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, CorehubError):
            raise
        raise CorehubError(f"cannot write {target}: {_reason(exc)}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_output(
    hub: HubContext | None, target: Path | str, text: str, **options: object
) -> Path:
    """Write ``text`` (UTF-8) to ``target`` through :func:`write_output`."""
    with write_output(hub, target, **options) as tmp:  # type: ignore[arg-type]
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def part_name(target: Path) -> Path:
    """The temporary name ``target`` is written under: hidden, with this machine's name and
    this process's id (process ids are only meaningful on the machine that made them)."""
    import secrets  # on use: its hashing library is not needed to list commands

    return target.with_name(f".{target.name}.{_host()}-{os.getpid()}-{secrets.token_hex(4)}.part")


def _host() -> str:
    """This machine's name as it may appear in a file name (no dots: they separate parts)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "localhost"


def same_file(a: Path | str, b: Path | str) -> bool:
    """True when ``a`` and ``b`` name the same file (after links and ``..`` are resolved)."""
    return _resolve(Path(a)) == _resolve(Path(b))


def clean_stale_parts(folder: Path) -> list[Path]:
    """Remove ``.part`` files in ``folder`` left by corehub runs that are no longer running."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _PART.match(entry.name)
        if not match or entry.is_symlink():
            continue
        host = match.group("host")
        if host is not None and host != _host():
            # Made on another machine sharing this folder: its process ids mean nothing here.
            with contextlib.suppress(OSError):
                if time.time() - entry.stat(follow_symlinks=False).st_mtime < (
                    OTHER_HOST_PART_SECONDS
                ):
                    continue
        else:
            pid = int(match.group("pid"))
            if pid == os.getpid() or _alive(pid):
                continue  # being written right now, by this process or another
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _resolve(path: Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(path)))


def _in_use(database: Path) -> bool:
    """True for a database with a live WAL beside it, or that a workspace config names."""
    if any(database.with_name(database.name + s).exists() for s in ("-wal", "-shm", "-journal")):
        return True
    for folder in database.parents:
        config = folder / CONFIG_FILE
        if config.is_file():
            from corehub.config import load_config

            try:
                named = load_config(config).database.path
            except CorehubError:
                return True  # a workspace we cannot read: do not risk its database
            return _resolve(folder / named) == database
    return False


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == _SQLITE_HEADER
    except OSError:
        return False


def describe_os_error(exc: OSError) -> str:
    """One sentence for an OSError: the file it concerns, what went wrong, what to do."""
    where = exc.filename
    if exc.filename2:
        where = f"{exc.filename} -> {exc.filename2}"
    if where:
        return f"cannot use {where}: {_reason(exc)}"
    return _reason(exc)


def _reason(exc: OSError) -> str:
    """What went wrong, and what to do about it, for the common cases."""
    hints = {
        errno.ENOSPC: "the disk is full; free some space and run again",
        errno.EDQUOT: "the disk quota is used up; free some space and run again",
        errno.EROFS: "the file system is read-only; choose a writable folder",
        errno.EACCES: "permission denied; check the permissions of the file and its folder",
        errno.EPERM: "permission denied; check the permissions of the file and its folder",
        errno.ENOENT: "no such file or folder",
        errno.EISDIR: "it is a folder, not a file",
    }
    return hints.get(exc.errno or 0, exc.strerror or str(exc))
