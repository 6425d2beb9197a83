"""corehub: a plugin-based framework for help desk evaluation cycles, training and feedback.

What a plugin imports (the public surface, see docs/public_api.md)::

    from corehub import hookimpl, Hub, ValidationError, init_workspace
    from corehub import access          # who may see a person, a team; who is the person
    from corehub.models import Review   # the records hooks receive and return
    from corehub.i18n import N_         # translation helpers
    from corehub.forms import load_form # YAML forms
    from corehub.loaders import read_table, load_yaml, write_text_output
    from corehub.web import signed_in, write, form_text      # plugin web pages
    from corehub.cli import pass_hub, echo_table             # plugin commands
    from corehub.testing import run_cli                      # plugin tests

Every other module (``corehub.hub``, ``corehub.plugins``, ``corehub.render.*``,
``corehub.storage.db``, ``corehub.web.app`` ...) is internal: it may change in any release.
"""

from corehub.errors import (
    ConfigError,
    CorehubError,
    FrozenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from corehub.hub import Hub
from corehub.plugins import hookimpl
from corehub.version import __version__
from corehub.workspace import init_workspace

__all__ = [
    "ConfigError",
    "CorehubError",
    "FrozenError",
    "Hub",
    "NotFoundError",
    "PermissionDeniedError",
    "ValidationError",
    "__version__",
    "hookimpl",
    "init_workspace",
]
