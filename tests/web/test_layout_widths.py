"""Every page works at phone, tablet and laptop widths: nothing runs off the right edge.

Each page is loaded for an agent, a manager and HR in headless Chromium at 320 and 390 px
(phones) and must not scroll sideways; wide tables scroll inside their own box, never the
page. Screenshots at 390, 768 and 1280 px are kept (``COREHUB_SCREENSHOTS``) to be looked at.
"""

from __future__ import annotations

from typing import Any

import pytest

from corehub.web import tokens
from tests.web.pages import VIEWERS, every_page, prepare

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let boxed = false;  // inside a box that scrolls sideways itself (a wide table)
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { boxed = true; break; }
    }
    if (boxed) continue;
    if (box.right > width + 1) {
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
                ' right=' + Math.round(box.right));
    }
  }
  return {page: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""


def signed_in(chromium: Any, hub: Any, server: str, person_id: str, width: int) -> Any:
    [invitation] = tokens.invite(hub, [hub.people.get(person_id)], base_url=server)
    page = chromium.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(invitation.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_on_a_phone(chromium, hub, server, cycle, width):
    prepare(hub, cycle)
    problems = []
    for viewer, pages in every_page(cycle).items():
        page = signed_in(chromium, hub, server, VIEWERS[viewer], width)
        for path in pages.values():
            page.goto(server + path)
            found = page.evaluate(OVERFLOW)
            if found["page"] > found["width"] or found["wide"]:
                problems.append((viewer, path, found))
        page.context.close()
    assert not problems, problems


def test_screenshots_at_phone_tablet_and_laptop_widths(chromium, hub, server, cycle, shots):
    prepare(hub, cycle)
    for width in (390, 768, 1280):
        for viewer, pages in every_page(cycle).items():
            page = signed_in(chromium, hub, server, VIEWERS[viewer], width)
            for endpoint, path in pages.items():
                page.goto(server + path)
                name = f"{width}-{viewer}-{endpoint.replace('.', '-')}.png"
                page.screenshot(path=str(shots / name), full_page=True)
            nav = page.locator("header nav").bounding_box()
            if width >= 1280 and nav is not None:
                links = page.locator("header nav li")
                tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
                assert len(tops) == 1, f"{viewer}: the navigation wraps at {width} px"
            page.context.close()
