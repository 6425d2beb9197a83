"""Acme's corehub plugin: the worked example of docs/writing_plugins.md."""
