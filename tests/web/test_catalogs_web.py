"""Every page in es, da and sv takes each word from the catalog of the code that shows it."""

from __future__ import annotations

import re
from typing import Any

import attrs
import pytest

from corehub.hub import Hub
from corehub.models import Cycle
from tests.i18n.poison import MARK, poison_foreign_msgids
from tests.web.pages import VIEWERS, every_page, prepare, uncovered


def test_every_page_is_listed(app: Any, cycle: Cycle) -> None:
    assert not uncovered(app, cycle)


@pytest.mark.parametrize("lang", ["es", "da", "sv"])
def test_no_page_takes_a_word_from_another_catalog(
    lang: str, hub: Hub, browser: Any, cycle: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    poison_foreign_msgids(monkeypatch)
    prepare(hub, cycle)
    hub.people.save([attrs.evolve(hub.people.get(p), locale=lang) for p in VIEWERS.values()])
    for viewer, pages in every_page(cycle).items():
        client = browser(VIEWERS[viewer])
        for path in pages.values():
            page = client.get(path, follow_redirects=True)
            assert page.status_code == 200, (viewer, path)
            assert MARK not in page.text, (viewer, path, page.text[page.text.find(MARK) - 200 :])
    signed_out = browser(None).get("/sign-in", headers={"Accept-Language": lang}).text
    assert MARK not in signed_out


def test_the_swedish_team_page_says_an_overdue_task_not_an_overdue_course(
    hub: Hub, browser: Any, cycle: Cycle
) -> None:
    hub.clock.set("2026-03-25")  # the self-assessments are overdue
    hub.people.save([attrs.evolve(hub.people.get("alpha-lead"), locale="sv")])
    page = browser("alpha-lead").get("/team").text
    assert "1 försenad" in page
    assert "försenad kurs" not in page


def test_the_hr_page_counts_cancelled_tasks(hub: Hub, browser: Any, cycle: Cycle) -> None:
    for task in hub.cycles.tasks(cycle, assignee_id="alpha-02"):
        hub.cycles.cancel_task(task, reason="left the company")
    cancelled = hub.cycles.report(cycle.id).total.cancelled
    assert cancelled
    page = browser("hr-1").get("/hr").text
    assert "<th>Cancelled</th>" in page
    alpha = page[page.index("<td>alpha</td>") :]
    cells = re.findall(r"<td>(.*?)</td>", alpha[: alpha.index("</tr>")], flags=re.S)
    assert cells[5] == str(cancelled), cells  # team, done, open, waiting, overdue, cancelled
