"""Deprecated: the translation helpers moved to :mod:`corehub.i18n`.

Importing ``corehub.render.i18n`` still works for one release and gives the very same module
object as ``corehub.i18n`` (one active translator, one catalog cache), with a
:class:`DeprecationWarning` naming the new home.
"""

import sys
import warnings

import corehub.i18n

warnings.warn(
    "corehub.render.i18n is deprecated and will be removed in the next release; "
    "import corehub.i18n instead",
    DeprecationWarning,
    stacklevel=2,
)

sys.modules[__name__] = corehub.i18n
