"""Translations: message catalogs, the active language of a render, locale-aware formatting.

corehub and each plugin ship their own gettext domain: corehub's catalogs live in
``corehub/locale/<lang>/LC_MESSAGES/corehub.mo``, a plugin's in
``<package>/locale/<lang>/LC_MESSAGES/<package>.mo``. :func:`translator` loads the core
domain and the domain of every loaded plugin for one locale, and falls back to the
organization's default locale, then to English (the msgids themselves).

One catalog never changes another's words. A lookup belongs to the domain of the code or
template that asks (found from the calling module's package, or the template file's
package): a plugin's words come from its own catalog first, then the core's; the core's
words come from the core's catalog first, and only a message the core does not translate
(a task title a plugin handed over) is looked up in the plugins' catalogs. So the core and
a plugin may translate the same English text differently ("%(num)s overdue": an overdue
self-assessment, an overdue course) and each keeps its own.

Templates and Python code meet the same :class:`Translator`:

- Python code that builds text shown to people asks for it explicitly:
  ``t = translator(hub, report.locale)`` then ``t.gettext("Goals")``, ``t.date(day)``,
  ``t.text(question.text)`` for a :class:`corehub.models.Text`.
- Templates call ``_()``, ``gettext``, ``ngettext`` and ``{% trans %}`` (jinja2's i18n
  extension) and the ``date``, ``number`` and ``percent`` filters. Those are installed once in
  the one environment and delegate to the translator made active with :func:`activate` for the
  duration of a render. The active translator is a :mod:`contextvars` variable, so concurrent
  renders in threads (the web app) or worker processes (``--jobs``) never see each other's
  language. With no active translator, templates render in English.

Babel is imported only when a catalog or a formatter is first needed: ``corehub --help`` stays
fast.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext as gettext_module
import os
import re
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corehub.languages import LANGUAGES, normalize
from corehub.messages import N_

if TYPE_CHECKING:
    import babel

    from corehub.context import HubContext

__all__ = ["LANGUAGES", "N_", "Translator", "activate", "active", "normalize", "translator"]

DEFAULT_LOCALE = "en"
CORE_DOMAIN = "corehub"
CORE_LOCALE_DIR = Path(__file__).resolve().parent / "locale"

DATE_FORMATS = {"long": "long", "medium": "medium", "numeric": "short"}
"""``date`` filter styles handed to Babel; ``month``, ``day`` and ``short`` are skeletons."""

HOUSE_LONG_DATE = {"en": "d MMM y"}
"""Languages whose long date keeps corehub's compact house style (English: 4 Dec 2026)."""
HOUSE_MESSAGE_DATE = {"en": "yyyy-MM-dd"}
"""The ``message`` style (reminder digests): English messages keep ISO dates, other languages
use their long date."""
BABEL_LOCALES = {"en": "en_GB"}
"""Plain language codes formatted with a regional convention (day before month in English)."""


def requested(locale: str) -> str:
    """``locale`` asked for explicitly (``render --locale``, ``render_packet(locale=...)``),
    normalised; a code that is not a locale, or a language corehub ships no catalog for, is an
    error naming the supported languages (a person's ``locale`` column falls back instead)."""
    from corehub.errors import ValidationError

    code = normalize(locale)
    if code is None or code.split("_")[0] not in LANGUAGES:
        raise ValidationError(
            f"unknown locale {locale!r}: use one of {', '.join(LANGUAGES)} "
            "(a regional code such as es-MX uses its language)"
        )
    return code


def fallback_chain(locale: str | None, default: str | None = None) -> tuple[str, ...]:
    """The locales tried in order: ``es_MX`` -> ``es``, then the default's, then English."""
    chain: list[str] = []
    for code in (normalize(locale), normalize(default), DEFAULT_LOCALE):
        if code is None:
            continue
        for candidate in (code, code.split("_")[0]):
            if candidate not in chain:
                chain.append(candidate)
    return tuple(chain)


def catalog_dirs(hub: HubContext | None) -> list[tuple[str, Path]]:
    """(domain, locale folder) of corehub and of each loaded plugin that ships catalogs."""
    dirs = [(CORE_DOMAIN, CORE_LOCALE_DIR)]
    if hub is None:
        return dirs
    from corehub.plugins import package_root, plugin_packages

    # asked for by every section of every document: the packages are found once per set
    # of plugins (whether each has catalogs is asked every time: they can be added)
    key = tuple((name, info.module) for name, info in hub.pm.infos.items())
    roots = _package_roots.get(key)
    if roots is None:
        roots = tuple(
            (package, root)
            for _name, package in plugin_packages(hub)
            if (root := package_root(package)) is not None
        )
        with _cache_lock:
            if len(_package_roots) >= 32:  # processes that build many plugin managers (tests)
                _package_roots.clear()
            _package_roots[key] = roots
    for package, root in roots:
        if (root / "locale").is_dir():
            dirs.append((package, root / "locale"))
    return dirs


_package_roots: dict[tuple[tuple[str, str], ...], tuple[tuple[str, Path], ...]] = {}


def _load(folder: Path, domain: str, code: str) -> gettext_module.NullTranslations | None:
    """The catalog of ``domain`` for exactly ``code`` (no fallback); None if it has none."""
    from babel.support import Translations

    path = folder / code / "LC_MESSAGES" / f"{domain}.mo"
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return Translations(handle, domain=domain)


# -- whose words: the domain of the code or template that asks ------------------------------

_PLUMBING = (
    "corehub.i18n",
    "corehub.render.i18n",
    "corehub.messages",
    "corehub.errors",
    "corehub.web",
)
"""Modules that translate on behalf of their caller: the caller's domain is the one asked."""
_TEMPLATE_DIR = os.sep + "templates" + os.sep
_domain_of_file: dict[tuple[str, tuple[str, ...]], str | None] = {}


def _file_domain(filename: str, packages: tuple[str, ...]) -> str | None:
    """The plugin package a template file belongs to (``.../corehub_x/templates/...``)."""
    key = (filename, packages)
    if key not in _domain_of_file:
        found = None
        head, sep, _tail = filename.rpartition(_TEMPLATE_DIR)
        if sep:
            owner = os.path.basename(head)
            found = owner if owner in packages else CORE_DOMAIN
        _domain_of_file[key] = found
    return _domain_of_file[key]


def calling_domain(packages: tuple[str, ...], depth: int = 2) -> str:
    """The gettext domain of the code asking for a translation: a plugin package's name when
    a module or template of that package asks, else corehub's."""
    frame = sys._getframe(depth)
    while frame is not None:
        module = frame.f_globals.get("__name__") or ""
        top = module.partition(".")[0]
        if top in packages:
            return top
        if top == CORE_DOMAIN and module not in _PLUMBING:
            return CORE_DOMAIN
        if not module:  # a compiled template: its globals name no module
            owner = _file_domain(frame.f_code.co_filename, packages)
            if owner is not None:
                return owner
        frame = frame.f_back  # type: ignore[assignment]
    return CORE_DOMAIN


@functools.lru_cache(maxsize=64)
def _pattern(text: str) -> Any:
    """Babel's parsed number pattern ``text``, parsed once (a page of figures formats the
    same few patterns hundreds of times)."""
    from babel.numbers import parse_pattern

    return parse_pattern(text)


NUMBERS_KEPT = 4096
"""How many formatted numbers a translator keeps (see :meth:`Translator.number`)."""


class Translator:
    """Gettext, plural forms, localized texts and Babel formatting for one locale."""

    def __init__(
        self,
        locale: str,
        translations: gettext_module.NullTranslations,
        fallbacks: tuple[str, ...] = (DEFAULT_LOCALE,),
        domains: Mapping[str, gettext_module.NullTranslations] | None = None,
        roles: Mapping[str, Mapping[str, str]] | None = None,
    ):
        self.locale = locale
        """The locale asked for (``es``, ``da``, ``sv_SE``...)."""
        self.fallbacks = fallbacks
        """Locales tried in order for translated texts (the asked one first, English last)."""
        self.translations = translations
        """The core's catalog (with its language fallbacks)."""
        self.domains: dict[str, gettext_module.NullTranslations] = dict(domains or {})
        """Each plugin domain's own catalog (with its language fallbacks)."""
        self.roles: Mapping[str, Mapping[str, str]] = roles or {}
        """The organization's job titles per language (``roles.yaml``, see :mod:`corehub.roles`)."""
        self._packages = tuple(self.domains)
        self._chains: dict[str, list[gettext_module.NullTranslations]] = {}
        self._numbers: dict[tuple[Any, ...], str] = {}
        """Numbers formatted so far (:meth:`number`): pages show the same ratings and
        shares again and again, and Babel's formatting is slow."""

    def _chain(self, domain: str | None) -> list[gettext_module.NullTranslations]:
        """The catalogs a lookup of ``domain`` consults, in order: its own, then the core's;
        the core's own lookups end with the plugins' catalogs, for messages a plugin handed
        to the core (a task title) that the core does not translate."""
        if domain is None:
            domain = calling_domain(self._packages, 3) if self._packages else CORE_DOMAIN
        found = self._chains.get(domain)
        if found is None:
            if domain in self.domains:
                found = [self.domains[domain], self.translations]
            else:
                found = [self.translations, *self.domains.values()]
            self._chains[domain] = found
        return found

    @property
    def language(self) -> str:
        """The language part of the locale (``es`` for ``es_MX``): what ``<html lang>`` says."""
        return self.locale.split("_")[0]

    @functools.cached_property
    def babel_locale(self) -> babel.Locale:
        from babel import Locale, UnknownLocaleError

        for code in self.fallbacks:
            try:
                return Locale.parse(BABEL_LOCALES.get(code, code))
            except (ValueError, UnknownLocaleError):
                continue
        return Locale.parse(DEFAULT_LOCALE)

    # -- messages ------------------------------------------------------------------------

    def gettext(self, message: str, *, domain: str | None = None) -> str:
        """``message`` in this language, from the catalog of ``domain`` (by default the
        domain of the calling code or template), else the core's."""
        if not self._packages:
            return self.translations.gettext(message)
        for catalog in self._chain(domain):
            if _knows(catalog, message):
                return catalog.gettext(message)
        return message

    def ngettext(self, singular: str, plural: str, n: int, *, domain: str | None = None) -> str:
        if not self._packages:
            return self.translations.ngettext(singular, plural, n)
        for catalog in self._chain(domain):
            if _knows(catalog, (singular, 0)):
                return catalog.ngettext(singular, plural, n)
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str, *, domain: str | None = None) -> str:
        if not self._packages:
            return self.translations.pgettext(context, message)
        for catalog in self._chain(domain):
            if _knows(catalog, f"{context}\x04{message}"):
                return catalog.pgettext(context, message)
        return message

    def text(self, value: Any) -> str:
        """A :class:`corehub.models.Text` (or plain str / {locale: str} mapping) in this locale."""
        from corehub.models.text import Text

        if value is None:
            return ""
        if isinstance(value, Text):
            return value.get(self.fallbacks)
        if isinstance(value, Mapping):
            return Text.of(value).get(self.fallbacks)
        return str(value)

    def role(self, value: Any) -> str:
        """A person's role (their job title, as the people import has it) in this language:
        the organization's ``roles.yaml`` gives it, else it is shown as typed."""
        from corehub.roles import title

        return title(self.roles, value, self.locale) if value else ""

    def label(self, value: Any, *, domain: str | None = None) -> str:
        """A translated :class:`corehub.models.Text`, else ``value`` looked up in the catalogs
        (task and reminder titles that are msgids, like "Self-assessment"); ``domain`` is the
        catalog of the plugin that made the title, when known."""
        from corehub.models.text import Text

        if isinstance(value, Text) and value.translations:
            return value.get(self.fallbacks)
        if isinstance(value, Mapping):
            return self.text(value)
        return self.gettext(str(value), domain=domain) if value else ""

    # -- formatting ----------------------------------------------------------------------

    def date(self, value: Any, style: str = "long") -> str:
        """A date in this locale: ``long`` (4 December 2026 / 4 de diciembre de 2026),
        ``medium``, ``numeric`` (04.12.2026), ``month`` (December 2026), ``month_abbr`` (Dec,
        for chart axes) or ``short`` (4 Dec)."""
        from babel.dates import format_date, format_skeleton

        day = _as_date(value)
        if day is None:
            return "" if value in (None, "") else str(value)
        locale = self.babel_locale
        if style == "month":
            return format_skeleton("yMMMM", day, locale=locale)
        if style == "month_abbr":
            return format_skeleton("MMM", day, locale=locale)
        if style in ("day", "short"):
            return format_skeleton("MMMd", day, locale=locale)
        if style == "message":
            if locale.language in HOUSE_MESSAGE_DATE:
                return format_date(day, format=HOUSE_MESSAGE_DATE[locale.language], locale=locale)
            style = "long"
        if style == "long" and locale.language in HOUSE_LONG_DATE:
            return format_date(day, format=HOUSE_LONG_DATE[locale.language], locale=locale)
        return format_date(day, format=DATE_FORMATS.get(style, "long"), locale=locale)

    def number(self, value: Any, decimals: int = 1) -> str:
        """A rating or figure with ``decimals`` digits; None (not rated) is an en dash."""
        if value is None or value == "":
            return "\u2013"
        # a float by its text: -0.0 equals 0.0 but may be written differently
        key = (value.__class__, repr(value) if isinstance(value, float) else value, decimals)
        try:
            return self._numbers[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key: formatted each time
            return self._format_number(value, decimals)
        text = self._format_number(value, decimals)
        if len(self._numbers) >= NUMBERS_KEPT:
            self._numbers.clear()  # bounded: a long-running server keeps the recent ones
        self._numbers[key] = text
        return text

    def _format_number(self, value: Any, decimals: int) -> str:
        from babel.numbers import format_decimal

        if decimals <= 0:
            return format_decimal(round(value), format=_pattern("#,##0"), locale=self.babel_locale)
        pattern = _pattern("#,##0." + "0" * decimals)
        return format_decimal(value, format=pattern, locale=self.babel_locale)

    def decimal(self, value: Any) -> str:
        """A number as this language writes it, with the digits it has (0.001, 91,5)."""
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.babel_locale)

    def percent(self, value: Any, decimals: int = 0) -> str:
        """``value`` percent (0-100) in this locale's style: 87 %, 87%, 87 %; None is a dash."""
        from babel.numbers import format_percent

        if value is None or value == "":
            return "\u2013"
        pattern = None if decimals <= 0 else _pattern("#,##0." + "0" * decimals + "%")
        return format_percent(value / 100, format=pattern, locale=self.babel_locale)

    def page_counter_css(self) -> str:
        """The CSS ``content`` of "Page x of y" in this language, with WeasyPrint's counters."""
        text = self.gettext("Page %(page)s of %(pages)s")
        parts = re.split(r"(%\((?:page|pages)\)s)", text)
        tokens = []
        for part in parts:
            if part == "%(page)s":
                tokens.append("counter(page)")
            elif part == "%(pages)s":
                tokens.append("counter(pages)")
            elif part:
                tokens.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
        return " ".join(tokens)


def _knows(catalog: gettext_module.NullTranslations | None, key: Any) -> bool:
    """Whether ``catalog`` (or a language fallback of it) translates the message ``key``."""
    while catalog is not None:
        if key in getattr(catalog, "_catalog", {}):
            return True
        catalog = getattr(catalog, "_fallback", None)
    return False


def _as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


# -- building translators -------------------------------------------------------------------

_cache: dict[tuple[Any, ...], Translator] = {}
_cache_lock = threading.Lock()


def translator(hub: HubContext | None, locale: str | None) -> Translator:
    """The translator for ``locale``: corehub's and every loaded plugin's catalogs merged,
    falling back to the organization's default locale, then English. Cached per set of
    catalogs; safe to call from several threads."""
    from corehub.roles import role_titles

    default = hub.config.organization.locale if hub is not None else None
    chain = fallback_chain(locale, default)
    domains = catalog_dirs(hub)
    roles_key, roles = role_titles(hub) if hub is not None else (None, {})
    key = (chain, tuple((d, str(p)) for d, p in domains), roles_key)
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    catalogs: dict[str, gettext_module.NullTranslations] = {}
    for domain, folder in domains:
        translations: gettext_module.NullTranslations | None = None
        for code in chain:
            if code == DEFAULT_LOCALE:
                break  # English is the msgids themselves
            loaded = _load(folder, domain, code)
            if loaded is None:
                continue
            if translations is None:
                translations = loaded
            else:
                translations.add_fallback(loaded)
        catalogs[domain] = translations or gettext_module.NullTranslations()
    core = catalogs.pop(CORE_DOMAIN, gettext_module.NullTranslations())
    made = Translator(normalize(locale) or chain[0], core, chain, catalogs, roles)
    with _cache_lock:
        _cache.setdefault(key, made)
    return made


def catalog_files(hub: HubContext | None) -> list[Path]:
    """Every compiled catalog the translators of ``hub`` read (for the render fingerprint)."""
    files = []
    for _domain, folder in catalog_dirs(hub):
        files.extend(sorted(folder.rglob("*.mo")))
    return files


# -- the active translator of a render -----------------------------------------------------

_ENGLISH = Translator(DEFAULT_LOCALE, gettext_module.NullTranslations())
_active: contextvars.ContextVar[Translator] = contextvars.ContextVar(
    "corehub_translator", default=_ENGLISH
)


def active() -> Translator:
    """The translator of the render in progress in this thread or task (English if none)."""
    return _active.get()


@contextlib.contextmanager
def activate(value: Translator) -> Iterator[Translator]:
    """Make ``value`` the active translator until the block ends (renders nest safely)."""
    token = _active.set(value)
    try:
        yield value
    finally:
        _active.reset(token)


def enter(value: Translator) -> contextvars.Token[Translator]:
    """Make ``value`` active until :func:`leave` (for a request: before_request / teardown)."""
    return _active.set(value)


def leave(token: contextvars.Token[Translator]) -> None:
    """Undo :func:`enter`; a token from another context leaves this one as it is."""
    with contextlib.suppress(ValueError):
        _active.reset(token)


# -- what the one environment gets ----------------------------------------------------------


def _gettext(message: str) -> str:
    return _active.get().gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _active.get().ngettext(singular, plural, n)


def _pgettext(context: str, message: str) -> str:
    return _active.get().pgettext(context, message)


def date_filter(value: Any, style: str = "long") -> str:
    return _active.get().date(value, style)


def number_filter(value: Any, decimals: int = 1) -> str:
    return _active.get().number(value, decimals)


def percent_filter(value: Any, decimals: int = 0) -> str:
    return _active.get().percent(value, decimals)


def text_filter(value: Any) -> str:
    return _active.get().text(value)


def role_filter(value: Any) -> str:
    return _active.get().role(value)


def install(env: Any) -> None:
    """Give ``env`` the i18n extension, gettext callables and the locale-aware filters."""
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext)
    env.filters["date"] = date_filter
    env.filters["number"] = number_filter
    env.filters["percent"] = percent_filter
    env.filters["localized"] = text_filter
    env.filters["role"] = role_filter
    env.globals["page_counter_css"] = lambda: _active.get().page_counter_css()
    env.globals["current_language"] = lambda: _active.get().language
