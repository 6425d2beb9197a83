"""Course feedback: ratings and comments of people who took a course."""

from __future__ import annotations

from typing import Any

from corehub import access
from corehub.errors import PermissionDeniedError, ValidationError
from corehub.messages import M_
from corehub_training_tracker.training.reading import (
    FEEDBACK,
    CourseName,
    TrainingBase,
)


class CourseRatings(TrainingBase):
    """Course feedback: ratings and comments of people who took a course."""

    def rate(self, person_id: str, course_id: str, rating: int, comment: str = "") -> None:
        """The participant rates a course they completed (1-5, with an optional comment)."""
        person = self.person(person_id)
        course = self.catalogue.course(course_id)
        # Only the participant: HR, their managers and the operator are refused alike.
        who = access.viewer(self.hub)
        if who.person is not None and not access.is_self(self.hub, who, person.id):
            raise PermissionDeniedError(
                M_("%(actor)s may only rate courses for themselves", actor=who.actor)
            )
        access.require_self(self.hub, who, person.id, M_("rating a course"))
        problems: list[str] = []
        if isinstance(rating, bool) or not 1 <= rating <= 5:
            problems.append(
                M_("%(rating)s must be a whole number from 1 to 5", where="rating", rating=rating)
            )
        if not self.completions(person_ids=[person.id], course_id=course.id):
            problems.append(
                M_(
                    "%(person)s has not completed %(course)r yet",
                    where="course",
                    person=person.id,
                    course=CourseName.of(course),
                )
            )
        if len(comment) > 2000:
            problems.append(M_("longer than %(limit)s characters", where="comment", limit=2000))
        if problems:
            raise ValidationError(M_("the rating was not saved:"), problems)
        with self.hub.atomic():
            table = self.hub.db.table(FEEDBACK)
            before = next(
                iter(table.rows_where("person_id = ? AND course_id = ?", [person.id, course.id])),
                None,
            )
            row = {
                "person_id": person.id,
                "course_id": course.id,
                "rating": rating,
                "comment": comment.strip(),
                "rated_on": self.today.isoformat(),
            }
            table.upsert(row, pk=("person_id", "course_id"))
            self.hub.audit.record(
                "training.rated",
                "training_feedback",
                f"{person.id}/{course.id}",
                before=before,
                after=row,
            )

    def rating_by(self, person_id: str, course_id: str) -> dict[str, Any] | None:
        """The person's own rating of a course (rating, comment, rated_on), or None."""
        rows = self.hub.db.table(FEEDBACK).rows_where(
            "person_id = ? AND course_id = ?", [person_id, course_id]
        )
        row = next(iter(rows), None)
        if row is None:
            return None
        return {"rating": row["rating"], "comment": row["comment"], "rated_on": row["rated_on"]}

    def ratings(self) -> dict[str, tuple[float, int]]:
        """Course id -> (average rating, number of ratings)."""
        rows = self.hub.db.query(
            f"SELECT course_id, AVG(rating) AS average, COUNT(*) AS n FROM {FEEDBACK} GROUP BY course_id"
        )
        return {row["course_id"]: (float(row["average"]), int(row["n"])) for row in rows}

    def comments(self, course_id: str) -> list[dict[str, Any]]:
        rows = self.hub.db.table(FEEDBACK).rows_where(
            "course_id = ? AND comment != ''", [course_id], order_by="rated_on DESC"
        )
        return [
            {"rating": r["rating"], "comment": r["comment"], "rated_on": r["rated_on"]}
            for r in rows
        ]
