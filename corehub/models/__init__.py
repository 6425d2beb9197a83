"""Record types corehub and its plugins exchange (attrs classes, one cattrs converter).

Each name is imported from its module on first use (PEP 562), so a command that needs
only the people records does not pay for building every record class: ``corehub --help``
stays fast. ``from corehub.models import Review`` works as before.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corehub.models.converter import (
        converter,
        describe_structure_error,
        outside,
        structure,
        structure_salvaged,
    )
    from corehub.models.cycles import Cycle, CycleStatus, Task, TaskKind, TaskSpec, TaskStatus
    from corehub.models.evaluation import (
        Audience,
        Form,
        Goal,
        Question,
        QuestionType,
        Review,
        ReviewKind,
        ReviewScore,
        ReviewStatus,
        Scale,
        ScalePoint,
        Section,
        SectionScore,
    )
    from corehub.models.events import Event
    from corehub.models.evidence import Evidence
    from corehub.models.feedback import Anonymity, Feedback, FeedbackKind, Importer
    from corehub.models.notifications import ExtraTask, Notification, Reminder
    from corehub.models.people import Level, Person
    from corehub.models.plans import PlanItem, PlanItemStatus
    from corehub.models.platform import PluginSettings
    from corehub.models.quality import TicketScore
    from corehub.models.rendering import RenderedDocument, Report, ReportKind, ReportSection
    from corehub.models.text import Text
    from corehub.models.training import (
        Assignment,
        AssignmentStatus,
        Course,
        CredentialEvidence,
        Delivery,
        Recommendation,
        TrainingRule,
    )
    from corehub.models.web import NavItem, Route

_MODULE_OF = {
    "Cycle": "cycles",
    "CycleStatus": "cycles",
    "Task": "cycles",
    "TaskKind": "cycles",
    "TaskSpec": "cycles",
    "TaskStatus": "cycles",
    "Audience": "evaluation",
    "Form": "evaluation",
    "Goal": "evaluation",
    "Question": "evaluation",
    "QuestionType": "evaluation",
    "Review": "evaluation",
    "ReviewKind": "evaluation",
    "ReviewScore": "evaluation",
    "ReviewStatus": "evaluation",
    "Scale": "evaluation",
    "ScalePoint": "evaluation",
    "Section": "evaluation",
    "SectionScore": "evaluation",
    "Event": "events",
    "Evidence": "evidence",
    "Anonymity": "feedback",
    "Feedback": "feedback",
    "FeedbackKind": "feedback",
    "Importer": "feedback",
    "ExtraTask": "notifications",
    "Notification": "notifications",
    "Reminder": "notifications",
    "Level": "people",
    "Person": "people",
    "PlanItem": "plans",
    "PlanItemStatus": "plans",
    "PluginSettings": "platform",
    "TicketScore": "quality",
    "RenderedDocument": "rendering",
    "Report": "rendering",
    "ReportKind": "rendering",
    "ReportSection": "rendering",
    "Text": "text",
    "Assignment": "training",
    "AssignmentStatus": "training",
    "Course": "training",
    "CredentialEvidence": "training",
    "Delivery": "training",
    "Recommendation": "training",
    "TrainingRule": "training",
    "NavItem": "web",
    "Route": "web",
    "describe_structure_error": "converter",
    "outside": "converter",
    "structure": "converter",
    "structure_salvaged": "converter",
}
"""The module each public name lives in."""


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF) | {"converter"})


class _Models(types.ModuleType):
    """This package, whose ``converter`` is always the converter (imported on first use,
    with cattrs), never the module of the same name that the import system binds here."""

    @property
    def converter(self) -> Any:
        return importlib.import_module(f"{__name__}.converter").converter

    @converter.setter
    def converter(self, _module: Any) -> None:
        pass  # importing corehub.models.converter binds the module here: keep the object


sys.modules[__name__].__class__ = _Models


__all__ = [
    "Anonymity",
    "Assignment",
    "AssignmentStatus",
    "Audience",
    "Course",
    "CredentialEvidence",
    "Cycle",
    "CycleStatus",
    "Delivery",
    "Event",
    "Evidence",
    "ExtraTask",
    "Feedback",
    "FeedbackKind",
    "Form",
    "Goal",
    "Importer",
    "Level",
    "NavItem",
    "Notification",
    "Person",
    "PlanItem",
    "PlanItemStatus",
    "PluginSettings",
    "Question",
    "QuestionType",
    "Recommendation",
    "Reminder",
    "RenderedDocument",
    "Report",
    "ReportKind",
    "ReportSection",
    "Review",
    "ReviewKind",
    "ReviewScore",
    "ReviewStatus",
    "Route",
    "Scale",
    "ScalePoint",
    "Section",
    "SectionScore",
    "Task",
    "TaskKind",
    "TaskSpec",
    "TaskStatus",
    "Text",
    "TicketScore",
    "TrainingRule",
    "converter",
    "describe_structure_error",
    "outside",
    "structure",
    "structure_salvaged",
]
