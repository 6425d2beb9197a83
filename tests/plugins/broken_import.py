"""A one-file plugin that fails to import."""

import corehub_module_that_does_not_exist  # noqa: F401
