"""Assignments, completions, waivers, sync, compliance and course feedback.

``Training(hub)`` is the library API behind every ``corehub training`` command, the
training pages and the packet section. Each responsibility lives in a module of its own
and :class:`Training` brings them together:

- :mod:`.reading`: the tables, and reading assignments, completions and requirements;
- :mod:`.permissions`: who may manage or record whose training;
- :mod:`.assigning`: assigning courses and starting them;
- :mod:`.completing`: completions with evidence, and the assignments they close;
- :mod:`.waiving`: waivers with a reason and an end;
- :mod:`.syncing`: what the rules require, overdue and expired assignments;
- :mod:`.compliance`: the compliance matrix;
- :mod:`.ratings`: course feedback.

Each write runs in one ``hub.atomic()`` transaction with its audit events and the hooks it
fires, so a failure leaves nothing half-written.
"""

from __future__ import annotations

from corehub_training_tracker.records import OPEN
from corehub_training_tracker.training.assigning import AssignResult
from corehub_training_tracker.training.completing import Completing
from corehub_training_tracker.training.compliance import Cell, Compliance, Matrix
from corehub_training_tracker.training.ratings import CourseRatings
from corehub_training_tracker.training.reading import (
    ASSIGNMENTS,
    COMPLETIONS,
    FEEDBACK,
    RECOMMENDATIONS,
    CourseName,
)
from corehub_training_tracker.training.syncing import Syncing, SyncResult
from corehub_training_tracker.training.waiving import Waiving


class Training(Syncing, Completing, Waiving, Compliance, CourseRatings):
    """The training tracker for one Hub."""


__all__ = [
    "ASSIGNMENTS",
    "COMPLETIONS",
    "FEEDBACK",
    "OPEN",
    "RECOMMENDATIONS",
    "AssignResult",
    "Cell",
    "CourseName",
    "Matrix",
    "SyncResult",
    "Training",
]
