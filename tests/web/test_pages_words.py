"""Every page shows words for people, never a Python repr of corehub's own types."""

from __future__ import annotations

import html
from typing import Any

from corehub.hub import Hub
from corehub.models import Cycle
from tests.test_cli_output import REPR
from tests.web.pages import VIEWERS, every_page, prepare


def test_no_page_shows_a_python_repr(hub: Hub, browser: Any, cycle: Cycle) -> None:
    prepare(hub, cycle)
    for viewer, pages in every_page(cycle).items():
        client = browser(VIEWERS[viewer])
        for path in pages.values():
            page = client.get(path, follow_redirects=True)
            assert page.status_code == 200, (viewer, path)
            text = html.unescape(page.text)
            found = REPR.search(text)
            assert found is None, (viewer, path, text[max(0, found.start() - 100) :][:300])
