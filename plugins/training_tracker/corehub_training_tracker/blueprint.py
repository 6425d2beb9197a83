"""The plugin's blueprint: every page module puts its views on it, and the plugin's
``register_routes`` hook imports the page modules before it hands the blueprint over."""

from __future__ import annotations

import flask

bp = flask.Blueprint("training_tracker", __name__)
"""The plugin's pages, module-level views (one blueprint serves every app built, each view
reads the request's Hub with ``current_hub()``)."""
