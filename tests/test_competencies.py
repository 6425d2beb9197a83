"""The shared competency vocabulary of forms and courses, named in each language."""

from corehub.competencies import COMPETENCIES, competency_label
from corehub.i18n import translator


def test_known_competencies_are_named_in_the_readers_language(hub):
    assert competency_label("active_listening") == "Active listening"
    assert competency_label("active_listening", translator(hub, "es")) == "Escucha activa"
    assert competency_label("complaint_handling", translator(hub, "sv")) == "Klagomålshantering"
    assert set(COMPETENCIES) >= {"active_listening", "stress_handling", "knowledge_sharing"}


def test_other_keys_are_spelled_from_the_key(hub):
    assert competency_label("night-shift_handover") == "Night shift handover"
    assert competency_label("night_shift", translator(hub, "da")) == "Night shift"
