"""Rendering: jinja2 templates to HTML, HTML to PDF."""
