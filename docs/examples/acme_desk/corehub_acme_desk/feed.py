"""Step 5: when a manager review is submitted, queue it for Acme's weekly HR export."""

from sqlite_utils.migrations import Migrations

from corehub.models import Review, ReviewKind

migrations = Migrations("acme_desk")


@migrations()
def m001_hr_feed(db):
    db["acme_hr_feed"].create(
        {"review_id": int, "person_id": str, "cycle_id": int, "submitted_on": str},
        pk="review_id",
    )


def queue_review(hub, review: Review) -> None:
    """Add a submitted manager review to the feed (once, however often it is resubmitted)."""
    if review.kind is not ReviewKind.MANAGER:
        return
    hub.db.table("acme_hr_feed").upsert(
        {
            "review_id": review.id,
            "person_id": review.subject_id,
            "cycle_id": review.cycle_id,
            "submitted_on": hub.clock.today().isoformat(),
        },
        pk="review_id",
    )
