"""Report sections: collected from plugins, given their data, rendered to HTML.

A section's data (what its ``context`` function returns) is gathered first, on its own:
the content hash of an incremental render is taken over that data, so an unchanged
packet is recognised without rendering a single template.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import jinja2
from markupsafe import Markup

from corehub.errors import CorehubError, PluginError
from corehub.models import Report, ReportSection

if TYPE_CHECKING:
    from corehub.hub import Hub
    from corehub.render.environment import LayeredLoader


@attrs.frozen
class SectionData:
    """A section that will appear in a report, with the plain data it is rendered from."""

    section: ReportSection
    plugin: str
    context: dict[str, Any]

    @property
    def id(self) -> str:
        return self.section.id

    def describe(self) -> dict[str, Any]:
        """Plain data about the section, for the content hash and the PDF/A attachment."""
        return {
            "id": self.section.id,
            "title": self.section.title,
            "plugin": self.plugin,
            "template": self.section.template,
            "order": self.section.order,
            "context": self.context,
        }


def collect_sections(hub: Hub, report: Report) -> list[tuple[str, ReportSection]]:
    """(plugin, section) pairs for ``report``, by ``order`` then id; duplicates are an error."""
    caller = hub.hook.register_report_sections
    pairs = caller.collect(hub=hub, report=report)
    origin: dict[int, str] = {}
    for plugin, result in pairs:
        records = result if isinstance(result, list | tuple) else [result]
        for record in records:
            if not isinstance(record, ReportSection):
                raise PluginError(
                    f"plugin {plugin!r}: register_report_sections must return ReportSection "
                    f"records, not {type(record).__name__}",
                    plugin=plugin,
                    hook="register_report_sections",
                )
            origin[id(record)] = plugin
    # registry() applies the duplicate / replaces=True rules to the results gathered above
    setattr(caller, "collect", lambda **_kwargs: pairs)  # noqa: B010
    chosen = caller.registry(what="report section", hub=hub, report=report)
    ordered = sorted(chosen.values(), key=lambda s: (s.order, s.id))
    return [(origin[id(section)], section) for section in ordered]


def gather_sections(hub: Hub, report: Report) -> list[SectionData]:
    """Call each section's ``context``; sections returning None are left out."""
    gathered = []
    for plugin, section in collect_sections(hub, report):
        try:
            raw = section.context(hub, report)
        except CorehubError:
            raise
        except Exception as exc:
            raise PluginError(
                f"plugin {plugin!r} failed building section {section.id!r}: "
                f"{type(exc).__name__}: {exc}",
                plugin=plugin,
                hook="register_report_sections",
            ) from exc
        if raw is None:
            continue
        if not isinstance(raw, Mapping):
            raise PluginError(
                f"plugin {plugin!r}: the context of section {section.id!r} must return a dict "
                f"or None, not {type(raw).__name__}",
                plugin=plugin,
            )
        context = hub.unstructure(localize(dict(raw), report.locale, hub))
        gathered.append(SectionData(section=section, plugin=plugin, context=context))
    return gathered


def localize(value: Any, locale: str, hub: Hub | None = None) -> Any:
    """``value`` with every :class:`corehub.models.Text` in it (in dicts, lists, tuples) put in
    ``locale``'s language, falling back to the organization's, then English: a section's
    context may hand over form labels as they are."""
    from corehub.i18n import fallback_chain
    from corehub.models.text import Text

    chain = fallback_chain(locale, hub.config.organization.locale if hub is not None else None)

    def walk(item: Any) -> Any:
        if isinstance(item, Text):
            return item.get(chain)
        if isinstance(item, dict):
            return {key: walk(sub) for key, sub in item.items()}
        if isinstance(item, list):
            return [walk(sub) for sub in item]
        if type(item) is tuple:
            return tuple(walk(sub) for sub in item)
        return item

    return walk(value)


def render_template(
    hub: Hub,
    env: jinja2.Environment,
    name: str,
    variables: dict[str, Any],
    *,
    owner: str,
    what: str,
) -> str:
    """Render template ``name`` with ``variables`` (plus ``extra_template_vars``).

    Any error becomes a PluginError naming ``what`` is rendered, the plugin that owns it,
    the template, the file that served it and the line.
    """
    for _plugin, extra in hub.hook.extra_template_vars.collect(
        hub=hub, template=name, context=variables
    ):
        if not isinstance(extra, Mapping):
            raise PluginError(
                f"plugin {_plugin!r}: extra_template_vars must return a dict or None",
                plugin=_plugin,
            )
        variables = {**variables, **extra}
    try:
        template = env.get_template(name)
        return template.render(variables)
    except CorehubError:
        raise
    except jinja2.TemplateNotFound as exc:
        missing = exc.name if exc.name != name else name
        raise PluginError(
            f"{what} of plugin {owner!r}: template {missing!r} not found "
            f"(looked in: {_roots_text(env)})",
            plugin=owner,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
        raise PluginError(
            f"{what} of plugin {owner!r}: template {name!r} has an error ({where}): {exc.message}",
            plugin=owner,
        ) from None
    except Exception as exc:
        where = _template_location(exc, env)
        raise PluginError(
            f"{what} of plugin {owner!r}: template {name!r} failed{where}: "
            f"{type(exc).__name__}: {exc}",
            plugin=owner,
        ) from exc


def render_section(
    hub: Hub, env: jinja2.Environment, data: SectionData, report_plain: dict[str, Any]
) -> Markup:
    """The HTML of one section, from its template and data."""
    variables = {
        **data.context,
        "report": report_plain,
        "section": {"id": data.section.id, "title": data.section.title},
    }
    html = render_template(
        hub,
        env,
        data.section.template,
        variables,
        owner=data.plugin,
        what=f"section {data.section.id!r}",
    )
    return Markup(html)


def _roots_text(env: jinja2.Environment) -> str:
    loader: LayeredLoader | None = env.loader  # type: ignore[assignment]
    roots = getattr(loader, "roots", [])
    return ", ".join(f"{root.label} ({root.path})" for root in roots) or "nowhere"


def _template_location(exc: BaseException, env: jinja2.Environment) -> str:
    """`` (FILE, line N)`` for the innermost template frame of ``exc``'s traceback."""
    loader = env.loader
    roots = [str(root.path) for root in getattr(loader, "roots", [])]
    found = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if any(frame.filename.startswith(root) for root in roots):
            found = f" ({frame.filename}, line {frame.lineno})"
    return found
