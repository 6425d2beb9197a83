"""The manager review page shows any plugin's evidence beside the competency it informs."""

from __future__ import annotations

from typing import Any

from corehub import hookimpl
from corehub.models import Evidence
from tests.web.test_reviews_web import submit_self


class Measured:
    @hookimpl
    def extra_competency_evidence(
        self, hub: Any, person: Any, cycle: Any, locale: str
    ) -> list[Evidence]:
        value = {"es": "97 % a tiempo"}.get(locale, "97% on time")
        return [Evidence(competency="communication", title="Callbacks <kept>", value=value)]


def test_the_manager_sees_evidence_escaped_beside_the_question(
    browser: Any, cycle: Any, register_plugin: Any
) -> None:
    register_plugin(Measured(), name="measured")
    submit_self(browser("alpha-01"), cycle)
    page = browser("alpha-lead").get(f"/reviews/{cycle.id}/alpha-01/manager").text
    assert "Callbacks &lt;kept&gt;:" in page and "97% on time" in page
    question = page.index('id="q-communication"')
    assert question < page.index("97% on time") < page.index('id="q-active_listening"')
