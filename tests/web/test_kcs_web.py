"""The KCS licence page: the person, their coaches, managers and HR see it; others do not;
a coach logs a coaching session there, and its text is escaped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corehub.hub import Hub


def test_kcs_page_access_and_coaching_log(
    hub: Hub, org: dict[str, Any], browser: Callable[..., Any], cli: Any
) -> None:
    assert cli("training", "coach", "assign", "alpha-02", "--person", "alpha-01").exit_code == 0
    mine = browser("alpha-01").get("/training/kcs")
    assert mine.status_code == 200
    assert "My KCS licence" in mine.text
    assert "For KCS Candidate" in mine.text
    assert "Alpha Agent 2" in mine.text  # the coach
    for viewer in ("alpha-02", "alpha-lead", "boss", "hr-1"):
        assert browser(viewer).get("/training/kcs/alpha-01").status_code == 200, viewer
    for outsider in ("alpha-03", "beta-01", "beta-lead"):
        assert browser(outsider).get("/training/kcs/alpha-01").status_code == 403, outsider
    coach = browser("alpha-02")
    logged = coach.post(
        "/training/kcs/alpha-01/coaching",
        {"day": "2026-03-02", "notes": "<script>alert(1)</script> titles", "next_steps": "Link"},
    )
    assert logged.status_code == 302, logged.text
    page = browser("alpha-01").get("/training/kcs").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; titles" in page
    assert "<script>alert(1)</script>" not in page
    refused = browser("alpha-lead").post(
        "/training/kcs/alpha-01/coaching", {"day": "2026-03-02", "notes": "x"}
    )
    assert refused.status_code == 403
    empty = coach.post("/training/kcs/alpha-01/coaching", {"day": "2026-03-02", "notes": " "})
    assert empty.status_code == 400 and "a coaching session needs notes" in empty.text
