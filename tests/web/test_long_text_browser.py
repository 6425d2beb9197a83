"""Text that does not fit wraps on the web pages too: no page grows sideways (Chromium)."""

from __future__ import annotations

import attrs

from corehub_feedback import store
from corehub_self_assessment import reviews
from tests.web.test_browser import sign_in

WORD = "".join(f"x{i:04d}" for i in range(400))  # 2,000 characters, no place to break
NAME = ("Maximiliana " + "Wolfeschlegelsteinhausenbergerdorff" * 6)[:200]
URL = "https://help.example.org/knowledge-base/" + "articles/" * 12 + "reset?ref=" + "y" * 80


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when nothing sticks out)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_long_words_names_and_urls_do_not_widen_any_page(chromium, hub, server, cycle, shots):
    agent = hub.people.get("alpha-01")
    hub.people.save([attrs.evolve(agent, name=NAME)])
    answers = {"strengths": WORD, "improvements": f"See {URL} 🎉"}
    reviews.save_draft(hub, cycle, "alpha-01", "self", answers, actor="alpha-01")
    store.give(hub, kind="praise", to="alpha-01", text=f"{WORD[:900]} {URL}", actor="alpha-lead")

    me = sign_in(chromium, hub, server, "alpha-01")
    lead = sign_in(chromium, hub, server, "alpha-lead")
    pages = [
        (me, "/tasks"),
        (me, f"/reviews/{cycle.id}/alpha-01/self"),
        (me, "/feedback/"),
        (me, "/training/"),
        (lead, "/training/people/alpha-01"),
        (lead, "/team"),
        (lead, f"/reviews/{cycle.id}/alpha-01"),
        (lead, "/training/team"),
        (lead, "/feedback/"),
    ]
    for number, (page, path) in enumerate(pages, start=1):
        page.goto(server + path)
        page.wait_for_load_state()
        assert page.url.startswith(server + path.split("?")[0].rstrip("/")), page.url
        page.screenshot(path=str(shots / f"long-{number:02d}.png"), full_page=True)
        assert overflow(page) == 0, f"{path} is {overflow(page)} px wider than the window"
