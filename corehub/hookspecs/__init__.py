"""corehub's hook specifications: the contract between the core and every plugin.

One module per domain. Plugins implement hooks with ``@corehub.hookimpl``; every hook
may take ``hub`` (and any subset of its other arguments). Vocabulary:

- ``register_<things>`` returns records to register (each with an ``id`` or ``name``);
- ``prepare_<thing>`` changes an object in place;
- ``extra_<things>`` adds values;
- past-tense names (``cycle_opened``, ``review_submitted``) are events.

The ``hub`` every hook receives is the :class:`corehub.Hub`, services and all. The
specifications write its type as ``Hub``, which each module imports as
:class:`corehub.context.HubContext`, the part of the Hub that stands below them: the
specifications import models and typing only, never :mod:`corehub.hub` (which imports them
through the plugin manager). A plugin types its own ``hub`` as ``corehub.Hub``.
"""

from corehub.hookspecs import (
    evaluation,
    feedback,
    notifications,
    platform,
    quality,
    rendering,
    training,
    web,
)
from corehub.hookspecs._markers import hookspec

MODULES = (platform, evaluation, training, feedback, quality, rendering, notifications, web)
"""Every hookspec module, in the order the reference docs present them."""

__all__ = ["MODULES", "hookspec"]
