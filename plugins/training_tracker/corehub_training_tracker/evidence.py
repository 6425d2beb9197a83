"""Evidence of a completion: a short text, or a file copied safely into the workspace.

The file's own name is never used as a path: the copy is named after the content's
SHA-256 and the completion, inside the workspace's evidence folder, and written under a
temporary name first so a failure never leaves half a file behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from corehub.errors import ConfigError, ValidationError
from corehub.messages import M_
from corehub_training_tracker.settings import settings

if TYPE_CHECKING:
    from corehub import Hub

_SAFE_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


@attrs.frozen
class StoredEvidence:
    relative_path: str
    """Path inside the workspace, with forward slashes."""
    original_name: str
    """The name the file had, kept for display only."""
    created: bool
    """False when the same content was already stored (then it must not be removed on failure)."""

    def discard(self, hub: Hub) -> None:
        """Remove a file this call created (used when the completion is rolled back)."""
        if self.created:
            (hub.require_workspace().resolve() / self.relative_path).unlink(missing_ok=True)


def evidence_root(hub: Hub) -> Path:
    workspace = hub.require_workspace().resolve()
    root = (workspace / settings(hub).evidence_folder).resolve()
    if not root.is_relative_to(workspace) or root == workspace:
        raise ConfigError(
            M_(
                "[settings.training_tracker] evidence_folder %(folder)r must be a folder inside "
                "the workspace",
                folder=settings(hub).evidence_folder,
            )
        )
    return root


def store_file(hub: Hub, source: Path, *, person_id: str, course_id: str) -> StoredEvidence:
    """Copy ``source`` into the evidence folder; return where it went (relative to the workspace)."""
    limit = max_bytes(hub)
    if not source.is_file():
        raise ValidationError(M_("not a file", where=f"evidence {source}"))
    size = source.stat().st_size
    if size > limit:
        raise ValidationError(
            M_(
                "%(size)s MB is more than the %(limit)s MB allowed",
                where=f"evidence {source.name}",
                hint="max_evidence_mb",
                size=f"{size / 1024 / 1024:.1f}",
                limit=f"{settings(hub).max_evidence_mb:g}",
            )
        )
    return _store(hub, source.read_bytes(), source.name, person_id=person_id, course_id=course_id)


@attrs.frozen
class Upload:
    """A file sent through the web app: the name the browser gave it and its content."""

    name: str
    """For display only (its suffix picks the stored file's suffix when it is safe)."""
    data: bytes


def max_bytes(hub: Hub) -> int:
    """The largest evidence file accepted (``max_evidence_mb``), in bytes."""
    return int(settings(hub).max_evidence_mb * 1024 * 1024)


def store_upload(hub: Hub, upload: Upload, *, person_id: str, course_id: str) -> StoredEvidence:
    """Store uploaded evidence like :func:`store_file` (same folder, names and size limit)."""
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "evidence"
    if not upload.data:
        raise ValidationError(M_("the file is empty", where=f"evidence {name}"))
    if len(upload.data) > max_bytes(hub):
        raise ValidationError(
            M_(
                "larger than the %(limit)s MB allowed",
                where=f"evidence {name}",
                hint="max_evidence_mb",
                limit=f"{settings(hub).max_evidence_mb:g}",
            )
        )
    return _store(hub, upload.data, name, person_id=person_id, course_id=course_id)


def _store(hub: Hub, data: bytes, name: str, *, person_id: str, course_id: str) -> StoredEvidence:
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix
    suffix = suffix.lower() if _SAFE_SUFFIX.match(suffix) else ".bin"
    root = evidence_root(hub)
    folder = root / _slug(person_id)
    target = (folder / f"{_slug(course_id)}-{digest[:16]}{suffix}").resolve()
    if not target.is_relative_to(root):
        raise ValidationError(
            M_(
                "evidence for %(person)r: refusing to write outside %(folder)s",
                person=person_id,
                folder=str(root),
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    created = not target.exists()
    if created:
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".evidence-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    workspace = hub.require_workspace().resolve()
    return StoredEvidence(
        relative_path=target.relative_to(workspace).as_posix(),
        original_name=name[:200],
        created=created,
    )


def _slug(text: str) -> str:
    """A file-name-safe version of an id (never ``.`` or ``..``)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")[:64]
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{slug or 'x'}-{digest}" if slug != text else slug
