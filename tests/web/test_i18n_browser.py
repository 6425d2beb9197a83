"""The self-assessment page in Spanish, Danish and Swedish in headless Chromium."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from tests.web.test_browser import sign_in

HEADINGS = {"es": "Mi autoevaluación", "da": "Min selvevaluering", "sv": "Min självskattning"}
BUTTONS = {"es": "Guardar borrador", "da": "Gem kladde", "sv": "Spara utkast"}


@pytest.mark.parametrize("lang", sorted(HEADINGS))
def test_the_self_assessment_page_in_each_language(
    lang: str, chromium: Any, hub: Any, server: str, cycle: Any, shots: Any
) -> None:
    from playwright.sync_api import expect

    hub.people.save([attrs.evolve(hub.people.get("alpha-01"), locale=lang)])
    page = sign_in(chromium, hub, server, "alpha-01")
    page.goto(f"{server}/reviews/{cycle.id}/alpha-01/self")
    expect(page.get_by_role("heading", name=HEADINGS[lang], level=1)).to_be_visible()
    expect(page.get_by_role("button", name=BUTTONS[lang])).to_be_visible()
    assert page.locator("html").get_attribute("lang") == lang
    page.screenshot(path=str(shots / f"i18n-self-{lang}.png"), full_page=True)
