"""Errors corehub shows to its users.

Every error a user can cause (bad input, a refused action, a broken plugin) is a
:class:`CorehubError`: the CLI prints its message as one line on stderr and exits
non-zero, without a traceback unless ``--debug`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corehub.messages import Translates


class CorehubError(Exception):
    """An error with a message meant for the person running corehub.

    The message is English (what the CLI prints). Made with :func:`corehub.messages.M_`, it
    can also be shown in another language: :meth:`localized`.
    """

    exit_code = 1

    def localized(self, translator: Translates | None) -> str:
        """The message in ``translator``'s language (as it is when not made with ``M_``)."""
        from corehub.messages import localize

        return localize(self.args[0], translator) if self.args else ""


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

    def localized(self, translator: Translates | None) -> str:
        """The summary and every problem in ``translator``'s language, one per line."""
        from corehub.messages import localize

        summary = localize(self.summary, translator)
        if not self.problems:
            return summary
        problems = (f"  - {localize(p, translator)}" for p in self.problems)
        return "\n".join([summary, *problems])
