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
    # every message in the summary links to its field, which says it is invalid; its
    # question (the fieldset) names the message
    first = page.locator("#error-summary a").first
    target = first.get_attribute("href")
    assert target and page.locator(target).get_attribute("aria-invalid") == "true"
    described = page.locator(f"fieldset:has({target})").get_attribute("aria-describedby")
    expect(page.locator(f"#{described}")).to_be_visible()

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


ZENDESK = (
    "Id,Subject,Requester,Assignee,Group,Status,Via,Created at,Solved at,"
    "Satisfaction Score,Satisfaction Comment\n"
    + "".join(
        f"{100 + n},Case {n},Customer {n},Alpha Agent 1,Support,Solved,Mail,"
        f"2026-02-{n:02d} 09:00,2026-02-{n:02d} 10:00,Good,\n"
        for n in range(1, 5)
    )
)


@pytest.fixture
def graded(hub: Any, org: Any, register_plugin: Any, cli: Any, tmp_path: Path) -> Any:
    """The quality plugin on the web app too: Alpha Agent 1's February tickets sampled for
    grading. Returns the first task (its id and grader)."""
    import corehub_quality.plugin

    register_plugin(corehub_quality.plugin, name="quality")
    export = tmp_path / "zendesk.csv"
    export.write_text(ZENDESK, encoding="utf-8")
    assert cli("quality", "import-tickets", str(export)).exit_code == 0
    sampled = cli("quality", "sample", "--period", "2026-02", "--per-agent", "2", "--seed", "4")
    assert sampled.exit_code == 0, sampled.output
    return next(iter(hub.db.query("SELECT id, grader_id FROM quality_tasks ORDER BY id")))


def _released(hub: Any, cycle: Any) -> None:
    from corehub_self_assessment import reviews
    from corehub_self_assessment.web import parse_answers
    from tests.web.conftest import GOOD_MANAGER, GOOD_SELF, as_form

    form = reviews.find(hub, cycle, "alpha-01", "self").review.form
    mine = parse_answers(form, reviews.ReviewKind.SELF, as_form(GOOD_SELF))
    reviews.save_draft(hub, cycle, "alpha-01", "self", mine, actor="alpha-01")
    reviews.submit(hub, cycle, "alpha-01", "self", actor="alpha-01")
    theirs = parse_answers(form, reviews.ReviewKind.MANAGER, as_form(GOOD_MANAGER))
    reviews.save_draft(hub, cycle, "alpha-01", "manager", theirs, actor="alpha-lead")
    reviews.submit(hub, cycle, "alpha-01", "manager", actor="alpha-lead")
    reviews.release(hub, cycle, "alpha-01", actor="alpha-lead")


# one form of each plugin: (who, page, its submit button in Spanish and Danish), sent as
# the page comes, without filling anything
FORMS = {
    "feedback": ("alpha-01", "/feedback/", {"es": "Enviar reconocimiento", "da": "Send ros"}),
    "self_assessment": (
        "alpha-01",
        "/reviews/{cycle}/alpha-01",
        {"es": "Añadir comentario", "da": "Tilføj kommentar"},
    ),
    "training_tracker": ("alpha-lead", "/training/team", {"es": "Asignar", "da": "Tildel"}),
    "quality": ("{grader}", "/quality/task/{task}", {"es": "Enviar", "da": "Indsend"}),
}
ERROR_WORD = {"es": "Error:", "da": "Fejl:"}


@pytest.mark.parametrize("lang", ["es", "da"])
@pytest.mark.parametrize("plugin", sorted(FORMS))
def test_a_form_sent_with_mistakes_focuses_its_summary_and_each_link_its_field(
    plugin: str,
    lang: str,
    graded: Any,
    chromium: Any,
    hub: Any,
    server: str,
    cycle: Any,
    shots: Any,
    axe_source: str,
) -> None:
    """In the browser, in Spanish and Danish: after a failed submit the focus is on the
    summary and the title says "Error:"; its first link moves the focus to the field, which
    says it is invalid; axe finds nothing wrong; at 320 px nothing sticks out."""
    from playwright.sync_api import expect

    if plugin == "self_assessment":
        _released(hub, cycle)
    who, path, button = FORMS[plugin]
    who = who.format(grader=graded["grader_id"])
    page = signed_in(chromium, hub, server, who, lang, axe_source)
    page.goto(server + path.format(cycle=cycle.id, task=graded["id"]))
    page.get_by_role("button", name=button[lang], exact=True).first.click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(ERROR_WORD[lang]), page.title()
    assert not violations(page), violations(page)
    link = page.locator("#error-summary a").first
    target = str(link.get_attribute("href"))
    link.click()
    expect(page.locator(target)).to_be_focused()
    assert page.locator(target).get_attribute("aria-invalid") == "true"
    page.set_viewport_size({"width": 320, "height": 640})
    assert not overflows(page), overflows(page)
    page.locator("#error-summary").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"errors-{plugin}-{lang}-320.png"), full_page=False)


@pytest.mark.parametrize("lang", ["es", "da"])
def test_a_used_sign_in_link_says_so_in_a_focused_summary(
    lang: str, chromium: Any, hub: Any, server: str, cycle: Any, axe_source: str
) -> None:
    from playwright.sync_api import expect

    context = chromium.new_context(locale=lang)  # a signed-out page: the browser's language
    context.add_init_script(script=axe_source)
    page = context.new_page()
    page.goto(f"{server}/sign-in/no-such-link")
    page.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith(ERROR_WORD[lang]), page.title()
    assert not violations(page), violations(page)
