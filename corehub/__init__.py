"""corehub: a plugin-based framework for help desk evaluation cycles, training and feedback.

What a plugin imports::

    from corehub import hookimpl, Hub
    from corehub import access   # who may see a person, a team; who is the person
"""

from corehub.hub import Hub
from corehub.plugins import hookimpl
from corehub.version import __version__

__all__ = ["Hub", "__version__", "hookimpl"]
