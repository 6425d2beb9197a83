"""Errors corehub shows to its users.

Every error a user can cause (bad input, a refused action, a broken plugin) is a
:class:`CorehubError`: the CLI prints its message as one line on stderr and exits
non-zero, without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable


class CorehubError(Exception):
    """An error with a message meant for the person running corehub."""

    exit_code = 1


class ConfigError(CorehubError):
    """The workspace configuration (``corehub.toml``) is missing or invalid."""


class NotFoundError(CorehubError):
    """A person, cycle, task or other record named by the user does not exist."""


class PermissionDeniedError(CorehubError):
    """The acting person may not see or change what they asked for."""


class FrozenError(CorehubError):
    """A write was attempted on something that is frozen (a closed cycle, a submitted review)."""


class PluginError(CorehubError):
    """A plugin failed: it could not be loaded, or one of its hooks raised."""

    def __init__(self, message: str, *, plugin: str | None = None, hook: str | None = None):
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook


class DuplicateRegistrationError(PluginError):
    """Two plugins registered a record (form, course, feedback kind...) under the same name."""


class ValidationError(CorehubError):
    """Input was rejected; ``problems`` lists every problem found, not just the first.

    Each problem is a line such as ``people.csv, row 4, column manager_id: unknown
    person 'x17'``. Nothing is written when a ValidationError is raised.
    """

    def __init__(self, summary: str, problems: Iterable[str] = ()):
        self.summary = summary
        self.problems = list(problems)
        super().__init__(self._format())

    def _format(self) -> str:
        if not self.problems:
            return self.summary
        lines = [self.summary, *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)
