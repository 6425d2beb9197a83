"""The marker every hook specification is declared with (``corehub.hookspecs.hookspec``).

A module of its own so that the spec modules and the package that lists them do not
import each other.
"""

import pluggy

hookspec = pluggy.HookspecMarker("corehub")
