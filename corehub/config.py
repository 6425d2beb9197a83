"""The workspace and its ``corehub.toml``.

A workspace is a folder holding ``corehub.toml``, the database and the organization's
own forms, templates and one-file plugins. Commands find it from ``--workspace DIR``,
else ``COREHUB_WORKSPACE``, else the current folder or its nearest parent holding
``corehub.toml``. Secrets (an SMTP password, a signing key) never live in this file:
they come from environment variables named in the docs of the feature that uses them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs

from corehub.config_file import CONFIG_FILE as CONFIG_FILE
from corehub.config_file import PLUGINS_FOLDER
from corehub.config_file import find_workspace as find_workspace
from corehub.errors import ConfigError, ValidationError
from corehub.models.converter import structure_salvaged


@attrs.frozen
class OrganizationConfig:
    """Who the workspace belongs to."""

    name: str = "My help desk"
    locale: str = "en"
    timezone: str = "UTC"
    hr: list[str] = attrs.field(factory=list)
    """Ids of people with HR/admin rights (they see every review and report)."""
    logo: str = ""
    """An image file (PNG, JPEG or SVG) in the workspace, shown on the cover of every packet."""

    def __attrs_post_init__(self) -> None:
        from corehub.languages import LANGUAGES, normalize

        problems = []
        code = normalize(self.locale)
        if code is None or code.split("_")[0] not in LANGUAGES:
            problems.append(
                f"locale {self.locale!r} is not a language corehub speaks: use one of "
                f"{', '.join(LANGUAGES)}"
            )
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(self.timezone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            problems.append(f"timezone {self.timezone!r} is not a time zone such as Europe/Madrid")
        if problems:
            raise ValueError("; ".join(problems))


@attrs.frozen
class DatabaseConfig:
    """Where the embedded SQLite database lives (relative to the workspace)."""

    path: str = "corehub.db"
    auto_migrate: bool = True
    busy_timeout_ms: int = 5000


@attrs.frozen
class PathsConfig:
    """Folders the organization fills with its own files (relative to the workspace)."""

    templates: str = "templates"
    forms: str = "forms"
    courses: str = "courses"
    plugins: str = PLUGINS_FOLDER
    output: str = "output"
    outbox: str = "outbox"
    roles: str = "roles.yaml"
    """Job titles in each language, by the role as the people import has it."""


@attrs.frozen
class RemindersConfig:
    """When corehub reminds people, and when it tells their manager and HR."""

    due_soon_days: int = 7
    """Remind of what is due within this many days."""
    copy_manager_after_days: int = 3
    """Tell the person's manager once an item is this many days overdue."""
    copy_hr_after_days: int = 10
    """Tell HR (``organization.hr``) once an item is this many days overdue."""


@attrs.frozen
class SmtpConfig:
    """Outgoing mail. Without a host, messages are written as .eml files to the outbox folder.

    The password comes from the ``COREHUB_SMTP_PASSWORD`` environment variable, never this file.
    """

    host: str = ""
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    username: str = ""
    sender: str = "corehub@localhost"
    timeout_s: float = 30.0


@attrs.frozen
class WebConfig:
    """``corehub serve``: where people reach it, and what the sign-in page offers."""

    base_url: str = ""
    """The address people open (``https://desk.example.org``): sign-in links point there.
    Set, the sign-in page also lets a person ask for a new link by email; empty, links come
    from ``corehub people invite`` only (corehub never builds a link from a request's Host
    header, which anyone can forge)."""
    link_days: int = 3
    """Days a link asked for on the sign-in page lasts (``people invite --days`` for others)."""
    session_hours: int = 12
    """Hours a web session lasts after signing in."""
    trusted_proxies: list[str] = attrs.field(factory=list)
    """Addresses of the reverse proxies in front of ``corehub serve`` (``["127.0.0.1"]``).
    For a request coming from one of them, the client's address (what sign-in attempts are
    counted against) and the scheme are read from the X-Forwarded-For and X-Forwarded-Proto
    headers it sets; from anywhere else those headers are ignored."""

    def __attrs_post_init__(self) -> None:
        # every problem of the table at once, not the first one only
        problems = []
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            problems.append(f"base_url {self.base_url!r} must start with http:// or https://")
        if not 1 <= self.link_days <= 90:
            problems.append(f"link_days must be 1 to 90, not {self.link_days}")
        if not 1 <= self.session_hours <= 24 * 30:
            problems.append(f"session_hours must be 1 to 720, not {self.session_hours}")
        if problems:
            raise ValueError("; ".join(problems))


@attrs.frozen
class PluginsConfig:
    """Which installed plugins not to load (entry-point or distribution names)."""

    disabled: list[str] = attrs.field(factory=list)


@attrs.frozen
class Config:
    """The whole of ``corehub.toml``. Plugin settings are validated by each plugin's class."""

    organization: OrganizationConfig = attrs.field(factory=OrganizationConfig)
    database: DatabaseConfig = attrs.field(factory=DatabaseConfig)
    paths: PathsConfig = attrs.field(factory=PathsConfig)
    plugins: PluginsConfig = attrs.field(factory=PluginsConfig)
    reminders: RemindersConfig = attrs.field(factory=RemindersConfig)
    smtp: SmtpConfig = attrs.field(factory=SmtpConfig)
    web: WebConfig = attrs.field(factory=WebConfig)
    settings: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    """Raw ``[settings.<plugin>]`` tables; read them through ``hub.settings(name)``."""


def load_config(path: Path) -> Config:
    """Read and validate ``corehub.toml``; errors name the file and the key."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file (run 'corehub init' to create a workspace)"
        ) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}, line {line}: not UTF-8 text; save the file as UTF-8") from None
    except OSError as exc:
        raise ConfigError(
            f"cannot read {path}: {exc.strerror or exc}; check that it is a file you can read"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    # Every problem of the file in one run: unknown keys and wrong types together with
    # the values each table's own checks refuse.
    config, problems = structure_salvaged(data, Config)
    if problems or config is None:
        raise ConfigError(str(ValidationError(f"{path} is not valid:", problems)))
    return config


def default_config_text(organization: str, locale: str = "en", timezone: str = "UTC") -> str:
    """The ``corehub.toml`` written by ``corehub init``, with every key explained."""
    return f"""# corehub workspace configuration. Paths are relative to this folder.
# Secrets never go here: they are read from environment variables.

[organization]
name = {_toml_str(organization)}
locale = {_toml_str(locale)}          # default language of packets and forms: en, es, da, sv
timezone = {_toml_str(timezone)}      # decides what "today" is for due dates
hr = []                # ids of people with HR rights
logo = ""              # an image in this folder for packet covers, e.g. "logo.png"

[database]
path = "corehub.db"
auto_migrate = true    # apply pending migrations (e.g. of a newly installed plugin) on start

[paths]
templates = "templates"  # your templates override corehub's and plugins' ones
forms = "forms"          # your review forms (YAML)
courses = "courses"      # your training courses (YAML)
plugins = "plugins"      # one-file plugins (*.py) loaded for this workspace
output = "output"        # where rendered PDFs go by default
outbox = "outbox"        # reminders are written here as .eml files when [smtp] has no host
roles = "roles.yaml"     # job titles in each language (optional; see docs/configuration.md)

[plugins]
disabled = []          # entry-point or distribution names of plugins not to load

[reminders]
due_soon_days = 7            # remind of what is due within this many days
copy_manager_after_days = 3  # tell the manager when something is this late
copy_hr_after_days = 10      # and HR when it is this late

[smtp]
host = ""              # empty: write reminders as .eml files to the outbox folder
port = 587
starttls = true
ssl = false
username = ""          # the password comes from $COREHUB_SMTP_PASSWORD
sender = "corehub@localhost"

[web]
base_url = ""          # where people open corehub serve, e.g. "https://desk.example.org";
                       # set, the sign-in page also emails a new link to whoever asks
link_days = 3          # days such a link lasts
session_hours = 12     # a web session lasts this long after signing in
trusted_proxies = []   # your reverse proxy's address, e.g. ["127.0.0.1"]: it says who the client is

# Plugin settings live in [settings.<plugin>] tables; see `corehub plugins --settings`.
"""


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
