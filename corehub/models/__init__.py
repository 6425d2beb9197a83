"""Record types corehub and its plugins exchange (attrs classes, one cattrs converter)."""

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
