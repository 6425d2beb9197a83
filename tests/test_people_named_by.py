"""``hub.people.named_by``: the people an export's texts name, read by key.

Exports name people by id or e-mail address in any case, or by a full name typed with any
case and spacing; an importer matches its rows among the people ``named_by`` returns, so
it never reads the whole organization.
"""

from __future__ import annotations

from typing import Any

import attrs

from corehub.models import Level, Person
from corehub.testing import count_statements


def _org(hub: Any) -> None:
    hub.people.save(
        [
            Person(id="d1", name="Dana Director", email="dana@example.org", level=Level.DIRECTIVE),
            Person(id="A-07", name="Álvaro Núñez", email="Alvaro.Nunez@Example.org"),
            Person(id="s1", name="Søren  Ærø", email="soren@example.org", manager_id="d1"),
            Person(id="k1", name="Kim Berg", email="kim.a@example.org", manager_id="d1"),
            Person(id="k2", name="kim berg", email="kim.b@example.org", manager_id="d1"),
            Person(id="old", name="Olga Left", email="olga@example.org", active=False),
        ]
    )


def _ids(hub: Any, *texts: str) -> list[str]:
    return sorted(p.id for p in hub.people.named_by(texts))


def test_ids_emails_and_names_in_any_case_and_spacing(hub: Any) -> None:
    _org(hub)
    assert _ids(hub, "a-07") == ["A-07"]
    assert _ids(hub, "ALVARO.NUNEZ@example.ORG") == ["A-07"]
    assert _ids(hub, "ÁLVARO NÚÑEZ") == ["A-07"]  # upper case beyond ASCII too
    assert _ids(hub, "  søren ærø ") == ["s1"]  # stored with two spaces
    assert _ids(hub, "Kim Berg") == ["k1", "k2"]  # a shared name: both, the caller decides
    assert _ids(hub, "olga@example.org") == ["old"]  # people who left too
    assert _ids(hub, "nobody", "", "Dana") == []
    assert _ids(hub, "d1", "soren@example.org", "nobody") == ["d1", "s1"]


def test_keys_follow_every_change_of_a_person(hub: Any) -> None:
    _org(hub)
    dana = hub.people.get("d1")
    hub.people.save([attrs.evolve(dana, name="Dana Lind", email="dana.lind@example.org")])
    assert _ids(hub, "Dana Director", "dana@example.org") == []
    assert _ids(hub, "dana lind") == _ids(hub, "DANA.LIND@example.org") == ["d1"]
    # an import that changes nothing of a person leaves their keys as they are
    hub.people.save([hub.people.get("d1")])
    assert _ids(hub, "Dana Lind", "d1") == ["d1"]


def test_a_workspace_from_before_the_keys_gets_them(hub: Any) -> None:
    """Upgrading a workspace fills in the keys of the people it already has."""
    _org(hub)
    hub.db.execute("DELETE FROM people_match")
    hub.db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'corehub' "
        "AND name = 'm010_people_match_keys'"
    )
    hub.db.conn.commit()
    hub.migrate()
    assert _ids(hub, "ÁLVARO NÚÑEZ", "kim berg", "D1") == ["A-07", "d1", "k1", "k2"]


def test_looking_up_reads_only_the_people_named(hub: Any) -> None:
    """SQLite's work (virtual-machine steps, counted without a clock) stays the same when
    the organization has 5,000 more people."""
    _org(hub)

    def work() -> int:
        with count_statements(hub, unit=100) as ran:
            assert _ids(hub, "Kim Berg", "a-07", "nobody@example.org") == ["A-07", "k1", "k2"]
        return ran.steps

    small = work()
    hub.people.save(
        Person(id=f"p{n:05}", name=f"Person {n}", email=f"p{n}@example.org", manager_id="d1")
        for n in range(5_000)
    )
    large = work()
    assert large <= small + 5, (small, large)


def test_saving_a_few_people_checks_the_chart_and_emails_they_touch(hub: Any) -> None:
    """Without a sync, a save reads the people saved, those above them and whoever has
    their e-mail addresses: a loop through the stored chart, a manager who left and a
    taken address are still refused, and nothing is written."""
    import pytest

    from corehub.errors import ValidationError

    _org(hub)
    hub.people.save([Person(id="a1", name="Ana", manager_id="s1")])
    dana = hub.people.get("d1")
    with pytest.raises(ValidationError) as caught:
        hub.people.save(
            [
                attrs.evolve(dana, manager_id="a1"),  # d1 -> a1 -> s1 -> d1
                Person(id="n1", name="New", email="SOREN@example.org"),
                Person(id="n2", name="Newer", manager_id="old"),
            ]
        )
    text = " ".join(map(str, caught.value.problems or []))
    assert "management loop: d1 -> a1 -> s1 -> d1" in text
    assert "already the email of 's1'" in text
    assert "manager 'old' is inactive" in text
    assert hub.people.find("n1") is None and hub.people.get("d1").manager_id is None


def test_saving_one_person_reads_the_same_in_a_larger_organization(hub: Any) -> None:
    _org(hub)

    def work(n: int) -> int:
        with count_statements(hub, unit=100) as ran:
            hub.people.save([Person(id=f"new-{n}", name=f"New {n}", manager_id="s1")])
        return ran.steps

    small = work(1)
    hub.people.save(
        Person(id=f"p{n:05}", name=f"Person {n}", email=f"p{n}@example.org", manager_id="d1")
        for n in range(5_000)
    )
    large = work(2)
    assert large <= small + 10, (small, large)


def test_managed_among_walks_each_chain_of_managers_once(hub: Any) -> None:
    _org(hub)
    hub.people.save([Person(id="a1", name="Ana", manager_id="s1")])
    assert hub.people.managed_among("d1", ["a1", "s1", "A-07", "d1", "nobody"]) == {"a1", "s1"}
    assert hub.people.managed_among("s1", ["a1", "k1"]) == {"a1"}
    assert hub.people.managed_among("a1", ["s1", "d1"]) == set()
    assert hub.people.manages("d1", "a1") and not hub.people.manages("a1", "d1")
