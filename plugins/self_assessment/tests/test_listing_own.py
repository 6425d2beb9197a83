""" "Reviews" reads only the reader's own reviews, by index, with the same rows as before."""

from __future__ import annotations

from typing import Any

import pytest

from corehub.testing import count_statements
from corehub_self_assessment import reviews


@pytest.mark.parametrize("actor", ["boss", "alpha-lead", "alpha-01", "alpha-03"])
def test_own_only_is_the_full_listing_filtered_to_the_reader(hub: Any, cycle: Any, actor: str):
    full = reviews.listing(hub, cycle, actor=actor)
    own = reviews.listing(hub, cycle, actor=actor, own_only=True)
    assert own == [r for r in full if actor in (r["person"], r["author"])]
    assert own  # everyone writes or receives a review here


def test_stored_reviews_involving_a_person_uses_the_indexes(hub: Any, cycle: Any):
    with count_statements(hub) as ran:
        found = reviews.stored_reviews(hub, cycle, involving="alpha-lead")
    assert {(s.review.subject_id, s.review.kind.value) for s in found} == {
        ("alpha-lead", "self"),
        ("alpha-lead", "manager"),
        ("alpha-01", "manager"),
        ("alpha-02", "manager"),
        ("alpha-03", "manager"),
    }
    [sql] = [s for s in ran.statements if "self_assessment_reviews" in s and "SELECT" in s]
    plan = " ".join(str(row[-1]) for row in hub.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
    # by the person's rows only, never by going through every review of the cycle
    assert "self_assessment_reviews_subject" in plan and "self_assessment_reviews_author" in plan
    assert "(cycle_id=?)" not in plan
