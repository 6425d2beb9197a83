"""The workspace's secret key: it signs web session cookies and derives keys for plugins.

``COREHUB_SECRET_KEY`` when set, else a random key kept in the workspace (created once,
readable by its owner only). Plugins ask for a key of their own with :func:`derived_key`
(exported by :mod:`corehub.access`), never for the secret itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from corehub.errors import PermissionDeniedError, ValidationError
from corehub.messages import M_

if TYPE_CHECKING:
    from corehub.context import HubContext

__all__ = ["SECRET_KEY_ENV", "SECRET_KEY_FILE", "derived_key", "secret_key"]

SECRET_KEY_FILE = ".corehub-web-secret"
SECRET_KEY_ENV = "COREHUB_SECRET_KEY"


def derived_key(hub: HubContext, purpose: bytes) -> bytes:
    """A 32-byte key for one ``purpose`` (e.g. ``b"acme answered"``), derived from the
    workspace's secret key with HMAC-SHA256: stable for a workspace, different per purpose,
    and telling nothing about the secret or the keys of other purposes."""
    import hashlib
    import hmac

    return hmac.new(secret_key(hub), purpose, hashlib.sha256).digest()


def secret_key(hub: HubContext) -> bytes:
    """The key that signs session cookies: ``COREHUB_SECRET_KEY``, else a random key kept
    in the workspace (created once, readable by its owner only)."""
    from_env = os.environ.get(SECRET_KEY_ENV, "")
    if from_env:
        if len(from_env) < 32:
            raise ValidationError(
                M_("%(name)s must be at least 32 characters long", name=SECRET_KEY_ENV)
            )
        return from_env.encode("utf-8")
    path: Path = hub.require_workspace() / SECRET_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    import secrets

    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key.encode("ascii")


def _read_key(path: Path) -> bytes:
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise PermissionDeniedError(
            M_(
                "%(path)s is readable by others (mode %(mode)s); run: chmod 600 %(path)s",
                path=str(path),
                mode=f"{mode:o}",
            )
        )
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ValidationError(
            M_("%(path)s holds no usable key; delete it to make a new one", path=str(path))
        )
    return key.encode("ascii")
