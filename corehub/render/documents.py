"""Documents: a person's review packet and a manager's team summary, as HTML and PDF.

:class:`Renderer` holds what stays the same across the documents of one run (the jinja2
environment, the template fingerprint) so rendering 1,000 packets builds them once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import weakref
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from corehub import access, i18n
from corehub.errors import CorehubError, NotFoundError, PluginError
from corehub.models import Cycle, Person, Report, ReportKind
from corehub.models import RenderedDocument as RenderedDocument  # its old home, for a release
from corehub.plugins import plugin_packages
from corehub.render.environment import LayeredLoader, build_environment
from corehub.render.pdf import logo_path
from corehub.render.sections import SectionData, gather_sections, render_section, render_template
from corehub.version import __version__

if TYPE_CHECKING:
    import jinja2

    from corehub.hub import Hub

DOCUMENT_TEMPLATES = {ReportKind.PACKET: "packet.html", ReportKind.SUMMARY: "summary.html"}
CORE_STYLESHEET = "corehub/corehub.css"
HASH_SUFFIX = ".sha256"


@attrs.frozen
class Gathered:
    """A report and the data of its sections: everything its PDF is made from."""

    report: Report
    report_plain: dict[str, Any]
    sections: list[SectionData]

    def data(self) -> dict[str, Any]:
        return {
            "corehub": __version__,
            "report": self.report_plain,
            "sections": [s.describe() for s in self.sections],
        }


def slug(text: str) -> str:
    """A file-name-safe ASCII form of ``text`` (``Åsa Lindqvist`` -> ``asa-lindqvist``)."""
    import unicodedata

    table: dict[str, str | int | None] = {"æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss"}
    text = text.translate(str.maketrans(table))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-zA-Z0-9]+", "-", ascii_text).strip("-").lower() or "x"


class Renderer:
    """Renders reports for one Hub; build it with :func:`renderer_for`."""

    def __init__(self, hub: Hub):
        self.hub = hub
        self.env: jinja2.Environment = build_environment(hub)
        self.packages: tuple[str, ...] = ("corehub", *(p for _n, p in plugin_packages(hub)))
        self._fingerprint: str | None = None

    @property
    def loader(self) -> LayeredLoader:
        return self.env.loader  # type: ignore[return-value]

    # -- reports -------------------------------------------------------------------

    def packet_report(
        self, cycle: Cycle | str | int, person: Person | str, *, locale: str | None = None
    ) -> Report:
        """The Report of ``person``'s packet in ``cycle``; they must be enrolled in it.

        Its language is ``locale`` when given (one of :data:`corehub.i18n.LANGUAGES`,
        else a :class:`corehub.errors.ValidationError`), else the person's, else the organization's."""
        hub = self.hub
        cycle = cycle if isinstance(cycle, Cycle) else hub.cycles.get(cycle)
        person = person if isinstance(person, Person) else hub.people.get(person)
        access.require_see_person(hub, access.viewer(hub), person.id)
        if not hub.cycles.is_member(cycle, person.id):
            raise NotFoundError(f"{person.id} ({person.name}) is not in cycle {cycle.name!r}")
        manager = hub.people.find(person.manager_id) if person.manager_id else None
        return Report(
            kind=ReportKind.PACKET,
            cycle=cycle,
            locale=report_locale(
                i18n.requested(locale) if locale is not None else None,
                person.locale,
                hub.config.organization.locale,
            ),
            person=person,
            team=person.team or None,
            manager=manager,
        )

    def summary_report(
        self, cycle: Cycle | str | int, team: str | None = None, *, locale: str | None = None
    ) -> Report:
        """The Report of the summary of ``team`` (or of everyone, when None) in ``cycle``.

        Its language is ``locale`` when given (one of :data:`corehub.i18n.LANGUAGES`,
        else a :class:`corehub.errors.ValidationError`), else the team manager's, else the organization's.

        The acting person (``hub.actor``) must be one of the team's own managers or HR
        (PermissionDeniedError otherwise); rows about one person show only the people they
        may see (``Report.viewer``)."""
        hub = self.hub
        who = access.viewer(hub)
        access.require_see_team(hub, who, team)
        cycle = cycle if isinstance(cycle, Cycle) else hub.cycles.get(cycle)
        members = hub.cycles.members(cycle, team=team)
        manager = team_manager(hub, members) if team is not None else None
        return Report(
            kind=ReportKind.SUMMARY,
            cycle=cycle,
            locale=report_locale(
                i18n.requested(locale) if locale is not None else None,
                manager.locale if manager else None,
                hub.config.organization.locale,
            ),
            team=team,
            manager=manager,
            viewer=None if who.sees_everything else who.id,
        )

    # -- data, hash, HTML --------------------------------------------------------------

    def translator(self, report: Report) -> i18n.Translator:
        """The translator of ``report``'s language (catalogs of corehub and every plugin)."""
        return i18n.translator(self.hub, report.locale)

    def gather(self, report: Report) -> Gathered:
        """The data of every section of ``report`` (nothing is rendered yet)."""
        with i18n.activate(self.translator(report)):
            return Gathered(
                report=report,
                report_plain=self.hub.unstructure(report),
                sections=gather_sections(self.hub, report),
            )

    def fingerprint(self) -> str:
        """Templates, stylesheets, fonts, plugin versions and the logo, as one hash."""
        if self._fingerprint is None:
            digest = hashlib.sha256(self.loader.fingerprint().encode())
            digest.update(f"corehub {__version__}".encode())
            for name, info in sorted(self.hub.pm.infos.items()):
                digest.update(f"\0{name} {info.module} {info.distribution} {info.version}".encode())
                if info.version is None and info.entry_point and Path(info.entry_point).is_file():
                    digest.update(Path(info.entry_point).read_bytes())  # a one-file plugin
            static = Path(__file__).parent / "static"
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    digest.update(f"{path.relative_to(static)} {path.stat().st_size}".encode())
            for catalog in i18n.catalog_files(self.hub):
                digest.update(f"{catalog}".encode())
                digest.update(catalog.read_bytes())
            logo = logo_path(self.hub)
            if logo is not None:
                digest.update(logo.read_bytes())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def content_hash(self, gathered: Gathered, variant: str | None = None) -> str:
        """What decides whether a PDF is up to date: its data, templates, CSS, plugins, variant."""
        text = json.dumps(gathered.data(), sort_keys=True, ensure_ascii=False, default=str)
        digest = hashlib.sha256(text.encode())
        digest.update(f"\0{self.fingerprint()}\0{variant}".encode())
        return digest.hexdigest()

    def stylesheets(self, report: Report, report_plain: dict[str, Any]) -> list[str]:
        """corehub's CSS, then each plugin's ``extra_stylesheets``, rendered through jinja2."""
        names: list[tuple[str, str]] = [("corehub", CORE_STYLESHEET)]
        for plugin, result in self.hub.hook.extra_stylesheets.collect(hub=self.hub, report=report):
            items = result if isinstance(result, list | tuple) else [result]
            for item in items:
                if not isinstance(item, str):
                    raise PluginError(
                        f"plugin {plugin!r}: extra_stylesheets must return template names",
                        plugin=plugin,
                    )
                names.append((plugin, item))
        texts = []
        for owner, name in names:
            css = render_template(
                self.hub, self.env, name, {"report": report_plain}, owner=owner, what="stylesheet"
            )
            if "</style" in css.lower():
                raise PluginError(f"stylesheet {name!r} of plugin {owner!r} contains '</style'")
            texts.append(css)
        return texts

    def render_html(
        self, gathered: Gathered, *, variant: str | None = None, content_hash: str | None = None
    ) -> RenderedDocument:
        """The finished HTML of a report, in the report's language."""
        with i18n.activate(self.translator(gathered.report)):
            return self._render_html(gathered, variant=variant, content_hash=content_hash)

    def _render_html(
        self, gathered: Gathered, *, variant: str | None, content_hash: str | None
    ) -> RenderedDocument:
        report, plain = gathered.report, gathered.report_plain
        sections = [
            {
                "id": data.section.id,
                "title": data.section.title,
                "plugin": data.plugin,
                "order": data.section.order,
                "html": render_section(self.hub, self.env, data, plain),
            }
            for data in gathered.sections
        ]
        title = document_title(report, self.translator(report))
        organization = self.hub.config.organization
        variables = {
            "report": plain,
            "title": title,
            "sections": sections,
            "organization": {"name": organization.name, "locale": organization.locale},
            "logo_url": self.env.globals.get("logo_url"),
        }
        template = DOCUMENT_TEMPLATES[report.kind]
        body = render_template(
            self.hub, self.env, template, variables, owner="corehub", what=f"{report.kind.value}"
        )
        stylesheets = self.stylesheets(report, plain)
        style = "<style>\n" + "\n".join(stylesheets) + "\n</style>\n"
        index = body.lower().find("</head>")
        html = body[:index] + style + body[index:] if index >= 0 else style + body
        if content_hash is None:
            content_hash = self.content_hash(gathered, variant)
        return RenderedDocument(
            report=report,
            title=title,
            html=html,
            body_html=body,
            stylesheets=stylesheets,
            packages=self.packages,
            data=gathered.data(),
            data_name=f"{report.kind.value}.json",
            content_hash=content_hash,
            variant=variant,
        )

    def write(self, document: RenderedDocument, target: Path) -> Path:
        """Turn ``document`` into a PDF at ``target`` through the ``render_pdf`` hook."""
        from corehub.outputs import check_output

        check_output(self.hub, target)
        written = self.hub.hook.render_pdf(
            hub=self.hub, html=document.html, target=Path(target), document=document
        )
        if written is None:
            raise CorehubError("no plugin rendered the PDF (is the built-in renderer disabled?)")
        return Path(written)

    def warm_up(self, report: Report | None = None) -> None:
        """Do before the first document what it would otherwise pay for: compile every
        template, import WeasyPrint, load the fonts and parse the stylesheets of ``report``
        (a worker process calls this before it takes its first packet)."""
        import contextlib

        import jinja2

        for name in self.loader.list_templates():
            if name.endswith((".html", ".css")):
                # a broken template is reported, with its place, by the document using it
                with contextlib.suppress(jinja2.TemplateError):
                    self.env.get_template(name)
        stylesheets: list[str] = []
        if report is not None:
            with i18n.activate(self.translator(report)):
                stylesheets = self.stylesheets(report, self.hub.unstructure(report))
        from corehub.render.pdf import warm_up

        warm_up(self.hub, stylesheets, self.packages)

    def render(self, report: Report, target: Path, *, variant: str | None = None) -> Path:
        """Gather, render and write ``report`` to ``target`` (always, not incremental)."""
        document = self.render_html(self.gather(report), variant=variant)
        return self.write(document, target)


_renderers: weakref.WeakKeyDictionary[Any, tuple[tuple[str, ...], Renderer]] = (
    weakref.WeakKeyDictionary()
)


def renderer_for(hub: Hub) -> Renderer:
    """The Renderer of ``hub``, rebuilt when its set of plugins changes."""
    key = tuple(f"{name}={info.module}" for name, info in hub.pm.infos.items())
    cached = _renderers.get(hub)
    if cached is None or cached[0] != key:
        cached = (key, Renderer(hub))
        _renderers[hub] = cached
    return cached[1]


def report_locale(*candidates: str | None) -> str:
    """The first locale given (an override, the person's, the organization's), normalised."""
    for candidate in candidates:
        code = i18n.normalize(candidate)
        if code is not None:
            return code.replace("_", "-")
    return i18n.DEFAULT_LOCALE


def document_title(report: Report, translator: i18n.Translator | None = None) -> str:
    t = translator or i18n.active()
    cycle = report.cycle.name
    if report.kind is ReportKind.PACKET and report.person is not None:
        return t.gettext("Review packet: %(name)s, %(cycle)s") % {
            "name": report.person.name,
            "cycle": cycle,
        }
    if report.team:
        return t.gettext("Team summary: team %(team)s, %(cycle)s") % {
            "team": report.team,
            "cycle": cycle,
        }
    return t.gettext("Team summary: all teams, %(cycle)s") % {"cycle": cycle}


def team_manager(hub: Hub, members: list[Person]) -> Person | None:
    """Whom a team's people report to most often (their supervisor)."""
    counts = Counter(p.manager_id for p in members if p.manager_id)
    ids = {p.id for p in members}
    # the supervisor sits in the team and is managed from outside it
    for manager_id, _count in counts.most_common():
        if manager_id in ids or len(counts) == 1:
            return hub.people.find(manager_id)
    leads = [p for p in members if p.manager_id not in ids]
    if len(leads) == 1:
        return leads[0]
    return hub.people.find(counts.most_common(1)[0][0]) if counts else None


def as_of(hub: Hub, cycle: Cycle) -> dt.date:
    """The day a report describes: the closing day of a closed cycle, else today."""
    return hub.cycles.as_of(cycle)
