"""The built-in kinds of feedback, and how each behaves.

Each kind's label and description is given in English, Spanish, Danish and Swedish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from corehub.errors import ValidationError
from corehub.messages import M_
from corehub.models import Anonymity, FeedbackKind

if TYPE_CHECKING:
    from corehub import Hub

PRAISE = "praise"
SUGGESTION = "suggestion"
CONCERN = "concern"
PEER = "peer"
UPWARD = "upward"
CUSTOMER = "customer"
PULSE = "pulse"

BUILTIN_KINDS = (
    FeedbackKind(
        id=PRAISE,
        label={"en": "Praise", "es": "Reconocimiento", "da": "Ros", "sv": "Beröm"},
        description={
            "en": "Recognition from one person to another, with optional competency tags.",
            "es": "Reconocimiento de una persona a otra, con etiquetas de competencias opcionales.",
            "da": "Anerkendelse fra én person til en anden, eventuelt med kompetencemærker.",
            "sv": "Erkännande från en person till en annan, med valfria kompetenstaggar.",
        },
    ),
    FeedbackKind(
        id=SUGGESTION,
        label={"en": "Suggestion", "es": "Sugerencia", "da": "Forslag", "sv": "Förslag"},
        description={
            "en": "An idea to improve the help desk; answered with the reasoning.",
            "es": "Una idea para mejorar el servicio de soporte; se responde con los motivos.",
            "da": "En idé til at forbedre supporten; den besvares med en begrundelse.",
            "sv": "En idé för att förbättra supporten; den besvaras med en motivering.",
        },
        anonymity=Anonymity.OPTIONAL,
        needs_recipient=False,
    ),
    FeedbackKind(
        id=CONCERN,
        label={"en": "Concern", "es": "Inquietud", "da": "Bekymring", "sv": "Farhåga"},
        description={
            "en": "A concern about a person, seen only by their managers and HR.",
            "es": "Una inquietud sobre una persona; solo la ven sus responsables y RR. HH.",
            "da": "En bekymring om en person, som kun personens ledere og HR kan se.",
            "sv": "En farhåga om en person, som bara personens chefer och HR kan se.",
        },
    ),
    FeedbackKind(
        id=PEER,
        label={
            "en": "Peer feedback",
            "es": "Retroalimentación de compañeros",
            "da": "Feedback fra kolleger",
            "sv": "Återkoppling från kollegor",
        },
        description={
            "en": "Requested in a cycle: keep doing, improve, a rating 1-5 "
            "(confidential; shown to the person only as themes at the anonymity threshold).",
            "es": "Se pide en un ciclo: qué seguir haciendo, qué mejorar y una valoración de 1 a 5 "
            "(confidencial; la persona solo ve temas, a partir del umbral de anonimato).",
            "da": "Indhentes i en runde: hvad personen skal blive ved med, hvad der kan forbedres, "
            "og en vurdering fra 1 til 5 (fortroligt; personen ser kun temaer, når "
            "anonymitetsgrænsen er nået).",
            "sv": "Begärs i en omgång: vad personen ska fortsätta med, vad som kan bli bättre och "
            "ett betyg 1-5 (konfidentiellt; personen ser bara teman när anonymitetsgränsen "
            "är nådd).",
        },
    ),
    FeedbackKind(
        id=UPWARD,
        label={
            "en": "Upward feedback",
            "es": "Retroalimentación ascendente",
            "da": "Opadgående feedback",
            "sv": "Uppåtriktad återkoppling",
        },
        description={
            "en": "About one's own manager, in a cycle; always anonymous; rating 1-5.",
            "es": "Sobre el propio responsable, en un ciclo; siempre anónimo; valoración de 1 a 5.",
            "da": "Om ens egen leder, i en runde; altid anonymt; vurdering fra 1 til 5.",
            "sv": "Om den egna chefen, i en omgång; alltid anonymt; betyg 1-5.",
        },
        anonymity=Anonymity.ALWAYS,
    ),
    FeedbackKind(
        id=CUSTOMER,
        label={
            "en": "Customer satisfaction (CSAT)",
            "es": "Satisfacción del cliente (CSAT)",
            "da": "Kundetilfredshed (CSAT)",
            "sv": "Kundnöjdhet (CSAT)",
        },
        description={
            "en": "One rated ticket from the ticket system (score 1-5); imported.",
            "es": "Una incidencia valorada en el sistema de incidencias (de 1 a 5); importada.",
            "da": "En bedømt sag fra sagssystemet (score fra 1 til 5); importeret.",
            "sv": "Ett betygsatt ärende från ärendesystemet (betyg 1-5); importerat.",
        },
    ),
    FeedbackKind(
        id=PULSE,
        label={
            "en": "Pulse (eNPS)",
            "es": "Encuesta de pulso (eNPS)",
            "da": "Pulsmåling (eNPS)",
            "sv": "Pulsmätning (eNPS)",
        },
        description={
            "en": "How likely are you to recommend working here, 0-10; always anonymous.",
            "es": "¿Con qué probabilidad recomendarías trabajar aquí?, de 0 a 10; siempre anónimo.",
            "da": "Hvor sandsynligt er det, at du vil anbefale andre at arbejde her, 0-10; "
            "altid anonymt.",
            "sv": "Hur troligt är det att du skulle rekommendera andra att arbeta här, 0-10; "
            "alltid anonymt.",
        },
        anonymity=Anonymity.ALWAYS,
        needs_recipient=False,
    ),
)

AGGREGATE_ONLY = frozenset({PEER, UPWARD, PULSE})
"""Kinds never listed one by one: they are only shown as aggregates at the threshold."""

GIVEN_ELSEWHERE = {
    PEER: M_(
        "peer feedback is given on a cycle task",
        hint="corehub feedback peer --cycle C --about P ...",
    ),
    CUSTOMER: M_("CSAT comes from the ticket system", hint="corehub feedback import-csat FILE.csv"),
}
"""Why a kind cannot be given with ``give``; the command that gives it is a command-line hint."""

KIND_WORDS = {
    PRAISE: M_("praise"),
    SUGGESTION: M_("suggestion"),
    CONCERN: M_("concern"),
    PEER: M_("peer"),
    UPWARD: M_("upward"),
    CUSTOMER: M_("customer"),
    PULSE: M_("pulse"),
}
"""A built-in kind as errors name it: its id in English (``praise feedback needs a
recipient``), a noun phrase in the reader's language elsewhere."""


def kind_word(kind: str) -> str:
    """``kind`` for an error message: a Message for the built-in kinds, else the id itself."""
    return KIND_WORDS.get(kind, kind)


@attrs.frozen
class RatingScale:
    low: int
    high: int
    required: bool


RATING_SCALES = {
    PULSE: RatingScale(0, 10, required=True),
    UPWARD: RatingScale(1, 5, required=False),
    PEER: RatingScale(1, 5, required=True),
    CUSTOMER: RatingScale(1, 5, required=True),
    PRAISE: None,
    SUGGESTION: None,
    CONCERN: None,
}
"""The rating each kind takes; kinds added by organizations take an optional 1-5."""


def rating_scale(kind: str) -> RatingScale | None:
    return RATING_SCALES.get(kind, RatingScale(1, 5, required=False))


def all_kinds(hub: Hub) -> dict[str, FeedbackKind]:
    """Every registered kind, by id (built-in ones and organizations' own)."""
    kinds: dict[str, FeedbackKind] = hub.hook.register_feedback_kinds.registry(
        what="feedback kind", hub=hub
    )
    return kinds


def get_kind(hub: Hub, kind_id: str) -> FeedbackKind:
    kinds = all_kinds(hub)
    if kind_id not in kinds:
        raise ValidationError(
            M_(
                "unknown kind of feedback %(kind)r; kinds: %(kinds)s",
                kind=kind_id,
                kinds=", ".join(sorted(kinds)),
            )
        )
    return kinds[kind_id]
