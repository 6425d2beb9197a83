"""WCAG 2.1 A/AA in headless Chromium: axe-core on every page each role reaches, in two
languages, with and without form errors; keyboard-only use; 320 px and 200% zoom.

axe-core comes from the npm registry at the version the Makefile pins (``make install``
puts it in ``.venv/axe-core``; ``COREHUB_AXE`` names another copy).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest

from tests.web.test_browser import sign_in

AXE = Path(os.environ.get("COREHUB_AXE", Path(__file__).parents[2] / ".venv/axe-core/axe.min.js"))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# what a crawl does not open as a page: files, and the assets of pages
NOT_PAGES = (".pdf", ".csv", ".css", ".png", ".otf")
ROLES = {"agent": "alpha-01", "supervisor": "alpha-lead", "hr": "hr-1"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: make install fetches axe-core")
        pytest.skip("needs axe-core (make install fetches it)")
    return AXE.read_text(encoding="utf-8")


def violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per node."""
    result = page.evaluate(
        "opts => axe.run(document, opts)",
        {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{page.url} [{v['id']}] {v['help']}: {node['target']} {node['failureSummary']!r}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


def signed_in(chromium: Any, hub: Any, server: str, who: str, lang: str, axe: str) -> Any:
    hub.people.save([attrs.evolve(hub.people.get(who), locale=lang)])
    page = sign_in(chromium, hub, server, who)
    page.context.add_init_script(script=axe)
    page.reload()
    return page


def crawl(page: Any, server: str, limit: int = 60) -> tuple[list[str], list[str]]:
    """Every page reachable by links from the start page: (problems found, pages seen).

    A link that leads to an error page is a problem too: a page must not offer what the
    reader may not open.
    """
    seen: list[str] = []
    queue = [page.url]
    problems: list[str] = []
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(
                f"{url}: a link leads to an error page ({response and response.status})"
            )
            continue
        problems += violations(page)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            target = f"{server}{parts.path}" + (f"?{parts.query}" if parts.query else "")
            if (
                href.startswith(server)
                and not parts.path.endswith(NOT_PAGES)
                and target not in seen
                and target not in queue
            ):
                queue.append(target)
    return problems, seen


@pytest.mark.parametrize("lang", ["es", "da"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_of_each_role_meets_wcag_21_aa(
    role: str,
    lang: str,
    chromium: Any,
    hub: Any,
    server: str,
    cycle: Any,
    browser: Any,
    axe_source: str,
) -> None:
    from tests.web.conftest import GOOD_SELF, as_form

    # alpha-01 has submitted, so the lead's review of them is open beside it
    agent = browser("alpha-01")
    answer = agent.post(
        f"/reviews/{cycle.id}/alpha-01/self",
        {**as_form(GOOD_SELF), "action": "submit", "version": "0"},
    )
    assert answer.status_code == 302, answer.text
    page = signed_in(chromium, hub, server, ROLES[role], lang, axe_source)
    problems, seen = crawl(page, server)
    assert len(seen) >= 4, seen
    assert not problems, "\n".join(problems)


def test_the_sign_in_and_error_pages_meet_wcag_21_aa(
    chromium: Any, server: str, cycle: Any, axe_source: str
) -> None:
    context = chromium.new_context()
    context.add_init_script(script=axe_source)
    page = context.new_page()
    page.goto(f"{server}/sign-in")
    problems = violations(page)
    page.goto(f"{server}/no-such-page")
    problems += violations(page)
    assert not problems, "\n".join(problems)


def overflows(page: Any) -> list[str]:
    """What sticks out of the viewport sideways: the page itself, or a link of the navigation."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth, out = [];
          if (document.documentElement.scrollWidth > width)
            out.push(`page is ${document.documentElement.scrollWidth}px wide in ${width}px`);
          for (const a of document.querySelectorAll('header a, header button')) {
            const r = a.getBoundingClientRect();
            if (r.right > width + 1 || r.left < -1) out.push(`${a.textContent.trim()} is cut off`);
          }
          return out.map(p => location.pathname + ': ' + p);
        }"""
    )


# 320 CSS px is WCAG 1.4.10's reflow width; 200% zoom of a 1280 x 900 window is 640 x 450
@pytest.mark.parametrize(("width", "height"), [(320, 640), (640, 450)], ids=["320px", "zoom200"])
@pytest.mark.parametrize("role", ["supervisor", "hr"])
def test_pages_reflow_at_320_px_and_200_percent_zoom(
    role: str, width: int, height: int, chromium: Any, hub: Any, server: str, cycle: Any, shots: Any
) -> None:
    hub.people.save([attrs.evolve(hub.people.get(ROLES[role]), locale="da")])
    page = sign_in(chromium, hub, server, ROLES[role])
    page.set_viewport_size({"width": width, "height": height})
    problems: list[str] = []
    seen: list[str] = []
    queue = [page.url]
    while queue and len(seen) < 40:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        page.goto(url)
        problems += overflows(page)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith(server) and not urlsplit(href).path.endswith(NOT_PAGES):
                target = href.split("#")[0]
                if target not in seen and target not in queue:
                    queue.append(target)
    page.goto(f"{server}/tasks")
    page.screenshot(path=str(shots / f"reflow-{role}-{width}.png"), full_page=True)
    assert len(seen) >= 4, seen
    assert not problems, "\n".join(problems)


def test_a_review_filled_in_and_submitted_by_keyboard_alone(
    chromium: Any, hub: Any, server: str, cycle: Any, shots: Any, axe_source: str
) -> None:
    from playwright.sync_api import expect

    page = signed_in(chromium, hub, server, "alpha-01", "en", axe_source)
    keys = page.keyboard

    def focused() -> dict[str, str]:
        return dict(
            page.evaluate(
                """() => { const e = document.activeElement; return {tag: e.tagName,
                type: e.type || '', name: e.name || '', value: e.value || '', id: e.id || '',
                href: e.getAttribute('href') || '', text: (e.textContent || '').trim()}; }"""
            )
        )

    def tab_to(test: Any, limit: int = 200) -> dict[str, str]:
        for _ in range(limit):
            keys.press("Tab")
            now = focused()
            if test(now):
                return now
        raise AssertionError("Tab never reached the element")

    # the first Tab reaches the skip link, which leads past the navigation
    keys.press("Tab")
    assert focused()["href"] == "#main"
    keys.press("Enter")
    assert focused()["id"] == "main"
    tab_to(lambda e: e["href"].endswith(f"/reviews/{cycle.id}/alpha-01/self"))
    keys.press("Enter")
    page.wait_for_url(f"{server}/reviews/{cycle.id}/alpha-01/self")

    # submitting an empty form: focus lands on the summary of problems, the title says so
    tab_to(lambda e: e["tag"] == "BUTTON" and e["value"] == "submit")
    keys.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith("Error:")
    assert page.locator("[role=alert]").count() <= 1
    page.screenshot(path=str(shots / "keyboard-errors.png"), full_page=False)
    assert not violations(page), violations(page)
    # every message in the summary links to its field, which names the message
    first = page.locator("#error-summary a").first
    target = first.get_attribute("href")
    assert target and page.locator(f"{target} [aria-describedby]").count() >= 1
    described = page.locator(f"{target} fieldset").get_attribute("aria-describedby")
    expect(page.locator(f"#{described}")).to_be_visible()
    assert page.locator(f"{target} [aria-invalid=true]").count() >= 1

    # now every field by keyboard: Space picks a rating, text is typed, Enter submits
    answered: set[str] = set()
    keys.press("Tab")  # into the summary's first link
    for _ in range(300):
        keys.press("Tab")
        e = focused()
        if e["tag"] == "BUTTON" and e["value"] == "submit":
            break
        if e["type"] == "radio" and e["name"] not in answered:
            keys.press("Space")
            answered.add(e["name"])
        elif e["tag"] == "TEXTAREA" and not e["value"]:
            keys.type("Typed with the keyboard.")
        elif e["type"] == "text" and "-0-" in e["name"] and not e["value"]:
            keys.type("Keyboard goal")
        elif e["type"] == "date" and "-0-" in e["name"] and not e["value"]:
            keys.type("12312026")
    else:
        raise AssertionError("Tab never reached Submit")
    keys.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Submitted.")).to_be_visible()
