"""``corehub demo``: a realistic help desk organization and a full review cycle.

About 40 people (a director, three supervisors, agents in Madrid, København and
Stockholm) are imported into a fresh workspace; a cycle is created and opened; each
installed plugin fills in its sample data through the ``prepare_demo`` hook; the cycle
is closed. Dates are fixed, so every demo run gives the same result.

What demo people "write" (review answers, praise, comments) is in their own language:
plugins keep their phrases as ``{language: [phrases]}`` and pick them with
:class:`DemoWriting`.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import importlib.util
import random
import shutil
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from corehub.clock import FixedClock
from corehub.cycles import CycleReport
from corehub.errors import CorehubError, ValidationError
from corehub.hub import Hub
from corehub.models import Cycle
from corehub.workspace import init_workspace

if TYPE_CHECKING:
    from corehub.render.batch import CycleRun

DEMO_ORGANIZATION = "Nordlys & Sol Service Desk"
DEMO_CYCLE = "2026 H2"
DEMO_START = dt.date(2026, 7, 1)
DEMO_END = dt.date(2026, 12, 31)
DEMO_DUE = {
    "self": dt.date(2026, 11, 13),
    "peer": dt.date(2026, 11, 20),
    "manager": dt.date(2026, 12, 4),
}
DEMO_TODAY = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
"""The demo happens on this day: reviews are in, a few things are overdue."""

T = TypeVar("T")
P = TypeVar("P", bound=Hashable)


class DemoWriting:
    """Free text for the demo, in the language of whoever writes it.

    Phrases are kept by language, ``{"en": [...], "es": [...], "da": [...], "sv": [...]}``;
    the author's language is their ``locale``, else the organization's, else English.
    Picks come from their own random generator (``seed``), so the demo stays the same on
    every run and a change of wording never moves a rating or a status. Picks made ``about``
    the same person (or any key: a team, a course) do not repeat until the list runs out,
    so one packet does not say the same thing twice.
    """

    def __init__(self, hub: Hub, seed: str) -> None:
        self.hub = hub
        self.rng = random.Random(seed)
        self._used: defaultdict[str, set[Hashable]] = defaultdict(set)

    def phrases(self, by_language: Mapping[str, T], author: str | None) -> T:
        """The entry of ``by_language`` for the language ``author`` (a person id) writes in."""
        from corehub.i18n import fallback_chain

        person = self.hub.people.find(author) if author else None
        locale = person.locale if person else None
        chain = fallback_chain(locale, self.hub.config.organization.locale)
        for code in chain:
            if code in by_language:
                return by_language[code]
        return by_language["en"]

    def pick(
        self, by_language: Mapping[str, Sequence[P]], author: str | None, about: str | None = None
    ) -> P:
        """One phrase in ``author``'s language, not yet used in ``about``'s packet if possible."""
        return self.sample(by_language, author, 1, about)[0]

    def sample(
        self,
        by_language: Mapping[str, Sequence[P]],
        author: str | None,
        count: int,
        about: str | None = None,
    ) -> list[P]:
        """``count`` different phrases in ``author``'s language (see :meth:`pick`)."""
        pool = list(self.phrases(by_language, author))
        used = self._used[about] if about else set()
        fresh = [p for p in pool if p not in used]
        if len(fresh) < count:  # the list ran out in this packet: start it again
            used.difference_update(pool)
            fresh = pool
        picked = self.rng.sample(fresh, count)
        used.update(picked)
        return picked


DEMO_SETTINGS = """
# The demo's staffing coverage (training tracker): per team and system, how many people
# must hold a current certification. Stockholm's only certified person on products,
# sto-03, leaves on 2026-12-23 (people.csv): a gap that opens within the horizon.
[settings.training_tracker]
coverage = { Madrid = { products = 3, knowledge = 3 }, Stockholm = { products = 1, knowledge = 2 } }
"""


@attrs.frozen
class DemoResult:
    hub: Hub
    cycle: Cycle
    report: CycleReport
    """The cycle's status just before it was closed."""
    refused: tuple[tuple[str, str], ...] = ()
    """``(plugin, why)`` for each plugin whose demo data was refused (by its own checks or by
    another plugin's validation) and left out; the rest of the demo is built regardless."""


def demo_file(name: str) -> Path:
    """A file shipped with the demo (its people, its job titles)."""
    return Path(str(importlib.resources.files("corehub.demo") / name))


def people_csv() -> Path:
    """The demo organization as a people CSV (semicolon separated, as a Spanish spreadsheet saves it)."""
    return demo_file("people.csv")


def is_demo_workspace(folder: Path) -> bool:
    """True when ``folder`` is a workspace ``corehub demo`` made (its organization is the demo's)."""
    from corehub.config import CONFIG_FILE, load_config
    from corehub.errors import CorehubError

    config = Path(folder) / CONFIG_FILE
    if not config.is_file():
        return False
    try:
        return load_config(config).organization.name == DEMO_ORGANIZATION
    except (CorehubError, OSError, UnicodeDecodeError):
        return False


def build_demo(
    folder: Path, *, echo: Callable[[str], object] = print, force: bool = False
) -> DemoResult:
    """Build the demo workspace in ``folder`` and run its cycle up to closing."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        from corehub.errors import CorehubError

        if not force:
            raise CorehubError(
                f"{folder} is not empty; choose another folder or pass --force to replace it"
            )
        if not is_demo_workspace(folder):
            raise CorehubError(
                f"{folder} is not a demo workspace: --force only replaces a folder made by "
                "'corehub demo'; choose another folder"
            )
        shutil.rmtree(folder)
    init_workspace(
        folder, organization=DEMO_ORGANIZATION, locale="en", timezone="Europe/Madrid"
    ).close()
    config = folder / "corehub.toml"
    part = config.with_suffix(".toml.part")
    part.write_text(config.read_text(encoding="utf-8") + DEMO_SETTINGS, encoding="utf-8")
    part.replace(config)
    # job titles in each language: the Swedish packets say "Servicedeskmedarbetare"
    shutil.copyfile(demo_file("roles.yaml"), folder / "roles.yaml")
    clock = FixedClock(DEMO_START)
    hub = Hub(folder, clock=clock, actor="demo")
    imported = hub.people.import_csv(people_csv())
    echo(f"Imported {len(imported.created)} people into {folder}")
    kinds = hub.cycles.task_kinds()  # due dates for the kinds the loaded plugins create
    due = {kind: date for kind, date in DEMO_DUE.items() if kind in kinds}
    # with a calibration step: the reviews plugin calibrates the managers' ratings before
    # it releases them
    cycle = hub.cycles.create(DEMO_CYCLE, start=DEMO_START, end=DEMO_END, due=due, calibrate=True)
    opened = hub.cycles.open(cycle.name)
    echo(
        f"Opened cycle {cycle.name!r}: {len(opened.enrolled)} people, {opened.tasks_created} tasks"
    )
    clock.set(DEMO_TODAY)
    refused: list[tuple[str, str]] = []

    def refuse(plugin: str, exc: CorehubError) -> None:
        why = str(exc)
        if isinstance(exc, ValidationError) and exc.problems:
            why = f"{exc.summary} {'; '.join(str(p) for p in exc.problems)}"
        refused.append((plugin, why))
        echo(f"  {plugin}: demo data refused and left out: {why}")

    for plugin, _ in hub.hook.prepare_demo.collect(
        hub=hub, cycle=opened.cycle, transaction=hub.atomic, on_refusal=refuse
    ):
        echo(f"  {plugin}: demo data added")
    report = hub.cycles.report(cycle.name)
    return DemoResult(
        hub=hub, cycle=hub.cycles.get(cycle.id), report=report, refused=tuple(refused)
    )


def close_demo(result: DemoResult) -> Cycle:
    """Close the demo cycle; tasks still open at the end of the demo are cancelled with a reason."""
    return result.hub.cycles.close(
        result.cycle.name, force=True, reason="end of the demo cycle: open tasks cancelled"
    )


def render_demo(
    result: DemoResult,
    *,
    jobs: int = 1,
    progress: Callable[[Any], object] | None = None,
    on_plan: Callable[[int], object] | None = None,
) -> CycleRun:
    """Render every packet of the closed demo cycle, the team summaries and a binder.

    The PDFs go to ``output/<cycle>/`` in the demo workspace.
    """
    from corehub.render.batch import render_cycle
    from corehub.render.documents import slug

    folder = result.hub.path("output") / slug(result.cycle.name)
    return render_cycle(
        result.hub,
        result.cycle.id,
        folder,
        jobs=jobs,
        binder=importlib.util.find_spec("pypdf") is not None,
        progress=progress,
        on_plan=on_plan,
    )
