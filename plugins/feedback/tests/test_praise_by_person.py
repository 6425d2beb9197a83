"""One's praise (given with one's name, or received) is read by person, not by kind."""

from __future__ import annotations

from typing import Any

from corehub.testing import count_statements
from corehub_feedback import kinds, store


def test_praise_involving_a_person_is_theirs_only_and_read_by_their_indexes(org: Any) -> None:
    store.give(org, kind="praise", to="alpha-01", text="Given to 01", actor="alpha-02")
    store.give(org, kind="praise", to="alpha-03", text="Given by 01", actor="alpha-01")
    store.give(org, kind="praise", to="alpha-04", text="Not about 01", actor="alpha-05")
    with count_statements(org) as ran:
        mine = store.list_feedback(
            org, actor="alpha-01", kind=kinds.PRAISE, involving="alpha-01", limit=20
        )
    assert sorted(i.text for i in mine) == ["Given by 01", "Given to 01"]
    [sql] = [s for s in ran.statements if s.startswith("SELECT * FROM feedback")]
    plan = " ".join(str(row[-1]) for row in org.db.execute(f"EXPLAIN QUERY PLAN {sql}"))
    assert "feedback_author" in plan and "feedback_recipient" in plan
    assert "feedback_kind_day" not in plan
