"""The Team training page keeps working with what an organization made of it.

A workspace's own ``templates/corehub_training_tracker/web/team.html`` written against
the page's earlier context (``row.cells``: a list of dicts per row) draws the same matrix
as the shipped page, which draws ``row.html`` and never builds those dicts. The matrix's
dates are worded per translator: two workspaces in one process, whose translators word a
date differently, each show their own wording.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from corehub.hub import Hub
from corehub_training_tracker import web
from corehub_training_tracker.training import Training
from tests.web.conftest import Browser

OLD_TEAM = Path(__file__).parent / "data" / "team_before_row_html.html"
"""The shipped team.html before the rows' HTML (row.cells as dicts), as an organization
may have copied it into its workspace."""


def _body(text: str) -> str:
    """The matrix's rows, spacing between tags set aside."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return re.sub(r">\s+<", "><", body).strip()


@pytest.fixture
def trained(hub: Hub, cycle: Any) -> Training:
    """Some completions, one expiring, one waived: cells of every kind with dates."""
    training = Training(hub)
    training.sync()
    today = training.today
    training.complete("alpha-01", "data-protection", today - dt.timedelta(days=30))
    training.complete("beta-02", "data-protection", today - dt.timedelta(days=400))
    training.waive("beta-03", "data-protection", "on leave", until=today + dt.timedelta(days=9))
    training.assign(
        "stress-handling",
        [hub.people.get("alpha-02"), hub.people.get("beta-01")],
        due=today + dt.timedelta(days=3),
    )
    return training


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows' cells were built as dicts (OldCells read)."""
    seen: list[int] = []
    build = web.OldCells._list

    def counted(self: web.OldCells) -> Any:
        if self._cells is None:
            seen.append(1)
        return build(self)

    monkeypatch.setattr(web.OldCells, "_list", counted)
    return seen


def _app(factory: Callable[[], Hub]) -> Any:
    from corehub.web.app import create_app

    flask_app = create_app(factory)
    flask_app.testing = True
    return flask_app


@pytest.mark.parametrize("who", ["hr-1", "boss", "alpha-lead"])
def test_an_override_of_the_old_context_draws_the_shipped_matrix(
    hub: Hub,
    trained: Training,
    hub_factory: Callable[[], Hub],
    built: list[int],
    who: str,
) -> None:
    shipped = Browser(_app(hub_factory), hub).sign_in(who).get("/training/team")
    assert shipped.status_code == 200
    assert built == []  # the shipped page draws row.html, never the dicts
    target = hub.path("templates") / "corehub_training_tracker" / "web" / "team.html"
    target.parent.mkdir(parents=True)
    shutil.copy(OLD_TEAM, target)
    override = Browser(_app(hub_factory), hub).sign_in(who).get("/training/team")
    assert override.status_code == 200
    assert built, "the workspace's template was not used"
    shipped_rows, old_rows = _body(shipped.text), _body(override.text)
    assert shipped_rows.count('<td class="cell') > 10
    assert re.search(r'<span class="small">[^<]+</span>', shipped_rows)  # dates drawn
    assert old_rows == shipped_rows


def test_old_cells_are_a_sequence_of_the_old_dicts(hub: Hub, trained: Training) -> None:
    """``row.cells`` offers what it did: len, indexing, slicing, iterating, each cell's
    state, mark, label, date, date_text and completed_on (None where not required)."""
    from corehub.i18n import translator

    people = [hub.people.get(pid) for pid in ("alpha-01", "beta-02", "hr-1")]
    matrix = trained.matrix(people)
    rows = web._cells(matrix, translator(hub, "en"))
    first = rows[0]["cells"]
    assert len(first) == len(matrix.courses) == len(list(first))
    assert list(first[:2]) == list(first)[:2]
    for row, person in zip(rows, people, strict=True):
        for cell, course in zip(row["cells"], matrix.courses, strict=True):
            kept = matrix.cells.get((person.id, course.id))
            if kept is None:
                assert cell is None
                continue
            assert cell is not None
            assert set(cell) == {"state", "mark", "label", "date", "date_text", "completed_on"}
            assert cell["state"] == kept.state and cell["completed_on"] == kept.completed_on
            assert f'title="{cell["label"]}"' in row["html"]


def test_two_workspaces_show_their_own_date_wording(
    hub: Hub, trained: Training, hub_factory: Callable[[], Hub]
) -> None:
    """Someone whose language corehub does not speak (fr) sees the organization's: a
    Spanish organization's pages and a Danish one's, served by one process, word the
    same dates each in its own language (the wording was kept by locale alone: the
    second organization showed the first one's)."""
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale="fr")])
    pages = {}
    for language in ("es", "da"):
        organization = attrs.evolve(hub.config.organization, locale=language)
        config = attrs.evolve(hub.config, organization=organization)

        def factory(config: Any = config) -> Hub:
            return Hub(hub.workspace, config=config, clock=hub.clock, plugin_manager=hub.pm)

        text = Browser(_app(factory), hub).sign_in("alpha-lead").get("/training/team").text
        pages[language] = re.findall(r'<span class="small">([^<]+)</span>', _body(text))
    assert pages["es"] and len(pages["es"]) == len(pages["da"])
    assert pages["es"] != pages["da"], pages
    # the phrase is the organization's language (the day as fr writes it in both)
    assert any(text.startswith("vence el ") for text in pages["es"]), pages
    assert any(text.startswith("frist ") for text in pages["da"]), pages
    assert not any(text.startswith("vence el ") for text in pages["da"]), pages
