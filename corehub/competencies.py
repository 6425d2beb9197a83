"""The help desk competencies reviews rate and courses build, named in every language.

Forms tag rating questions with a competency key (``active_listening``) and courses list
the competencies they build; this is the one vocabulary both speak, so a low rating of
a competency in a review leads to the courses that build it. Keys outside this list
still work: they are spelled from the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from corehub.i18n import N_

if TYPE_CHECKING:
    from corehub.i18n import Translator

COMPETENCIES = {
    "active_listening": N_("Active listening"),
    "coaching": N_("Coaching"),
    "communication": N_("Communication"),
    "complaint_handling": N_("Complaint handling"),
    "knowledge_sharing": N_("Knowledge sharing"),
    "planning": N_("Planning"),
    "problem_solving": N_("Problem solving"),
    "product_knowledge": N_("Product knowledge"),
    "resourcing": N_("Resourcing"),
    "stress_handling": N_("Stress handling"),
    "teamwork": N_("Teamwork"),
    "vision": N_("Vision"),
}
"""The competencies of the shipped forms and courses (seeds 000-004), by key."""


def competency_label(key: str, t: Translator | None = None) -> str:
    """``active_listening`` -> ``Active listening`` (in ``t``'s language when given)."""
    if key in COMPETENCIES:
        return t.gettext(COMPETENCIES[key]) if t is not None else COMPETENCIES[key]
    return key.replace("_", " ").replace("-", " ").capitalize()
