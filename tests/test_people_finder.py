"""``hub.people.finder``: the one way every import finds the person a row names.

A text names a person by their exact id; else by their id or e-mail address in any case;
else by their full name in any case, accents and spacing when one person has it. A name
two people share, or a text that is one person's id and another's e-mail address, is an
error naming the candidates, never a guess. People who are no longer active are found
or left out as the import asks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corehub.i18n import translator
from corehub.loaders import PeopleFinder, PersonMatch
from corehub.models import Level, Person
from corehub.testing import count_statements


def _org(hub: Any) -> None:
    hub.people.save(
        [
            Person(id="d1", name="Dana Director", email="dana@example.org", level=Level.DIRECTIVE),
            Person(id="A-07", name="Álvaro Núñez", email="Alvaro.Nunez@Example.org"),
            Person(id="s1", name="Søren  Ærø", email="soren@example.org", manager_id="d1"),
            Person(id="k1", name="Kim Berg", email="kim.a@example.org", manager_id="d1"),
            Person(id="k2", name="kim  BERG", email="kim.b@example.org", manager_id="d1"),
            # an organization whose HR system uses addresses as ids
            Person(id="eva@example.org", name="Eva Lund", manager_id="d1"),
            Person(id="e2", name="Eve Lund", email="EVA@example.org", manager_id="d1"),
            Person(id="mo", name="Mona Ruiz", email="mona@example.org", manager_id="d1"),
            Person(id="MO", name="Moe Roy", email="moe@example.org", manager_id="d1"),
            Person(id="bo", name="Bo Ek", email="bo.ek@example.org", manager_id="d1"),
            Person(id="b2", name="Bo", email="bo2@example.org", manager_id="d1"),
            Person(id="old", name="Olga Left", email="olga@example.org", active=False),
            Person(id="ana-1", name="Ana Ruiz", email="ana1@example.org", manager_id="d1"),
            Person(id="ana-0", name="Ana Ruiz", email="ana0@example.org", active=False),
            Person(
                id="leo",
                name="Leo Gone",
                email="leo@example.org",
                manager_id="d1",
                leaving_date=dt.date(2026, 3, 1),  # the clock stands at 2026-03-02
            ),
        ]
    )


def _who(finder: PeopleFinder, *texts: str | None) -> str | None:
    person = finder.find(*texts)
    return person.id if person else None


def test_an_exact_id_then_an_id_or_address_in_any_case_then_a_unique_name(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder([], include_inactive=True)
    assert _who(finder, "A-07") == _who(finder, " a-07 ") == "A-07"
    assert _who(finder, "ALVARO.NUNEZ@example.ORG") == "A-07"
    assert _who(finder, "Álvaro Núñez") == _who(finder, "ALVARO  NUNEZ") == "A-07"
    assert _who(finder, "soren aero") == _who(finder, "SØREN ÆRØ") == "s1"
    # an exact id wins over an address equal to it in another case
    assert finder.match("eva@example.org").by == "id"
    assert _who(finder, "eva@example.org") == "eva@example.org"
    # ids that differ only in case: the exact one is found, another case is ambiguous
    assert _who(finder, "mo") == "mo" and _who(finder, " MO ") == "MO"
    # an id (any case) wins over someone's name
    assert _who(finder, "BO") == "bo"
    assert finder.match("Bo Ek").by == "name" and _who(finder, "bo ek") == "bo"


def test_what_is_ambiguous_is_an_error_naming_every_candidate(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder([], include_inactive=True)
    shared = finder.match("KIM berg")
    assert (shared.status, shared.by, shared.person) == ("ambiguous", "name", None)
    assert [p.id for p in shared.candidates] == ["k1", "k2"]
    assert str(shared.problem("f.csv, row 4, column agent")) == (
        "f.csv, row 4, column agent: 'KIM berg' names more than one person (k1, k2) "
        "(name them by id or e-mail address in the file, or give each person a distinct name)"
    )
    # an id in one case is another person's id in another case
    case = finder.match("Mo")
    assert (case.status, case.by, [p.id for p in case.candidates]) == (
        "ambiguous",
        "id",
        ["MO", "mo"],
    )
    both = finder.match("Eva@Example.org")  # one's id, the other's address
    assert both.status == "ambiguous"
    assert [p.id for p in both.candidates] == ["e2", "eva@example.org"]
    # a leaver and an active person who share a name: both are candidates here
    assert [p.id for p in finder.match("ana ruiz").candidates] == ["ana-0", "ana-1"]
    unknown = finder.match("Nobody Known")
    assert (unknown.status, unknown.person) == ("unknown", None)
    assert str(unknown.problem("f.csv, row 5, column agent")).startswith(
        "f.csv, row 5, column agent: 'Nobody Known' is not a known person "
        "(matched by id, e-mail address or full name)"
    )
    assert str(finder.match("", "  ", None).problem("f.csv, row 6, column agent")) == (
        "f.csv, row 6, column agent: empty"
    )
    with pytest.raises(ValueError, match="no problem"):
        finder.match("d1").problem()


def test_people_no_longer_active_are_found_or_left_out_as_asked(hub: Any) -> None:
    _org(hub)
    everyone = hub.people.finder(["old", "Leo Gone", "Ana Ruiz"], include_inactive=True)
    assert _who(everyone, "old") == "old" and _who(everyone, "olga@example.org") == "old"
    assert _who(everyone, "Leo Gone") == "leo"
    current = hub.people.finder(["old", "Leo Gone", "Ana Ruiz"], include_inactive=False)
    gone = current.match("OLGA@example.org")
    assert (gone.status, [p.id for p in gone.candidates]) == ("inactive", ["old"])
    assert str(gone.problem("f.csv, row 2, column person")) == (
        "f.csv, row 2, column person: 'OLGA@example.org' names old, who is no longer active"
    )
    # whose leaving date has come counts as gone, even before `corehub remind` deactivates
    assert current.match("leo").status == "inactive"
    # a name shared with someone who left: only the active person is a candidate
    assert _who(current, "Ana Ruiz") == "ana-1"
    assert _who(current, "ana0@example.org") is None
    hub.people.save([attrs.evolve(hub.people.get("ana-1"), active=False)])
    both_gone = hub.people.finder([], include_inactive=False).match("ana ruiz")
    assert both_gone.status == "inactive"
    assert str(both_gone.problem()) == (
        "'ana ruiz' names only people who are no longer active (ana-0, ana-1)"
    )


def test_the_first_text_of_a_row_that_names_anyone_decides(hub: Any) -> None:
    """A ticket names its assignee by address and by name: the address decides, and the
    name is read only when the address names nobody."""
    _org(hub)
    finder = hub.people.finder([], include_inactive=True)
    assert _who(finder, "dana@example.org", "Kim Berg") == "d1"
    assert _who(finder, "gone@example.org", "Dana Director") == "d1"
    assert _who(finder, None, "Dana Director") == "d1"
    ambiguous = finder.match("nobody@example.org", "Kim Berg")
    assert (ambiguous.status, ambiguous.text) == ("ambiguous", "Kim Berg")
    unknown = finder.match("nobody@example.org", "Nobody")
    assert (unknown.status, unknown.text) == ("unknown", "nobody@example.org")


def test_problems_are_translated(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder([], include_inactive=False)
    problems = [
        finder.match("kim berg").problem("f.csv, row 2, column agent"),
        finder.match("Nobody").problem("f.csv, row 3, column agent"),
        finder.match("old").problem("f.csv, row 4, column agent"),
        finder.match("").problem("f.csv, row 5, column agent"),
    ]
    hub.people.save([attrs.evolve(hub.people.get("ana-1"), active=False)])
    problems.append(hub.people.finder([], include_inactive=False).match("ana ruiz").problem())
    for language, words in {
        "es": ["más de una persona (k1, k2)", "no es una persona conocida", "ya no está en activo",
               "vacío", "ya no están en activo (ana-0, ana-1)"],
        "da": ["mere end én person (k1, k2)", "er ikke en kendt person", "ikke længere er aktiv",
               "tom", "ikke længere er aktive (ana-0, ana-1)"],
        "sv": ["mer än en person (k1, k2)", "är inte en känd person", "inte längre är aktiv",
               "tom", "inte längre är aktiva (ana-0, ana-1)"],
    }.items():  # fmt: skip
        said = [p.translated(translator(hub, language)) for p in problems]
        for text, word in zip(said, words, strict=True):
            assert word in text, (language, text)
            assert "name them by id" not in text  # the command-line hint stays English


def test_a_text_not_given_beforehand_is_looked_up_when_asked(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder(["d1"], include_inactive=True)
    assert _who(finder, "Søren Ærø") == "s1"
    hub.people.save([Person(id="n1", name="New Person")])
    assert _who(finder, "new person") == "n1"


def test_the_finder_reads_only_the_people_named(hub: Any) -> None:
    """SQLite's work (virtual-machine steps, counted without a clock) and the number of
    statements stay the same when the organization has 5,000 more people."""
    _org(hub)
    texts = ["Kim Berg", "a-07", "nobody@example.org", "soren aero", "old", "Mo"]

    def work() -> tuple[int, int]:
        with count_statements(hub, unit=100) as ran:
            finder = hub.people.finder(texts, include_inactive=False)
            found = [finder.match(t).status for t in texts * 50]
        assert found[:6] == ["ambiguous", "found", "unknown", "found", "inactive", "ambiguous"]
        return ran.steps, len(ran)

    small = work()
    hub.people.save(
        Person(id=f"p{n:05}", name=f"Person {n}", email=f"p{n}@example.org", manager_id="d1")
        for n in range(5_000)
    )
    large = work()
    assert large[1] == small[1], (small, large)
    assert large[0] <= small[0] + 5, (small, large)


def test_a_workspace_from_before_gets_keys_without_accents(hub: Any) -> None:
    """Upgrading a workspace whose keys kept accents (m010) makes them again (m012)."""
    _org(hub)
    hub.db.execute("DELETE FROM people_match")
    hub.db.execute(
        "INSERT INTO people_match (key, person_id) VALUES ('álvaro núñez', 'A-07'), ('a-07', 'A-07')"
    )
    hub.db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'corehub' "
        "AND name = 'm012_people_match_folded'"
    )
    hub.db.conn.commit()
    assert _who(hub.people.finder([], include_inactive=True), "Alvaro Nunez") is None
    hub.migrate()
    finder = hub.people.finder([], include_inactive=True)
    assert _who(finder, "Alvaro Nunez") == _who(finder, "alvaro.nunez@example.org") == "A-07"
    assert [p.id for p in finder.match("kim berg").candidates] == ["k1", "k2"]


# -- properties: any case, accents, spacing and Unicode form ---------------------------------

LETTERS = "abcdeilnorsuyzáéíñóöüåäøæçšžł"
words = st.text(alphabet=LETTERS, min_size=2, max_size=8)
_serial = itertools.count()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for letter, plain in {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L"}.items():
        bare = bare.replace(letter, plain)
    return bare


@st.composite
def typed(draw: st.DrawFn, text: str, *, accents: bool) -> str:
    """``text`` as another system may write it: each letter in either case, composed or
    decomposed, without its accents (a name only), with spaces around it and doubled."""
    if accents and draw(st.booleans()):
        text = _strip_accents(text)
    text = "".join(c.upper() if draw(st.booleans()) else c for c in text)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    if accents:
        text = text.replace(" ", " " * draw(st.integers(1, 3)))
    return " " * draw(st.integers(0, 2)) + text + " " * draw(st.integers(0, 2))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.tuples(words, words), min_size=1, max_size=4), data=st.data())
def test_any_way_of_writing_an_id_address_or_name_finds_the_person(
    hub: Any, names: list[tuple[str, str]], data: st.DataObject
) -> None:
    serial = next(_serial)
    people = [
        Person(
            id=f"P{serial}-{first}{n}",
            name=f"{first.title()} {last.title()} {serial}",
            email=f"{first}.{last}{n}.{serial}@example.org",
        )
        for n, (first, last) in enumerate(names)
    ]
    hub.people.save(people)
    by_name: dict[str, list[str]] = {}
    for person in people:
        key = " ".join(_strip_accents(person.name).casefold().split())
        by_name.setdefault(key, []).append(person.id)
    texts = {
        person.id: [
            data.draw(typed(person.id, accents=False)),
            data.draw(typed(person.email, accents=False)),
            data.draw(typed(person.name, accents=True)),
        ]
        for person in people
    }
    finder = hub.people.finder((t for ts in texts.values() for t in ts), include_inactive=True)
    for person in people:
        by_id, by_email, by_its_name = (finder.match(t) for t in texts[person.id])
        assert by_id.person == person, texts[person.id][0]
        assert by_email.person == person, texts[person.id][1]
        same = sorted(by_name[" ".join(_strip_accents(person.name).casefold().split())])
        if len(same) == 1:
            assert by_its_name.person == person, texts[person.id][2]
        else:  # two people whose names differ only in case or accents
            assert by_its_name.status == "ambiguous"
            assert [p.id for p in by_its_name.candidates] == same


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=words, last=words, data=st.data())
def test_two_people_whose_names_fold_alike_are_never_guessed(
    hub: Any, first: str, last: str, data: st.DataObject
) -> None:
    serial = next(_serial)
    name = f"{first.title()} {last.title()} {serial}"
    twin = data.draw(typed(name, accents=True))
    people = [
        Person(id=f"T{serial}-a", name=name, email=f"a{serial}@example.org"),
        Person(id=f"T{serial}-b", name=" ".join(twin.split()), email=f"b{serial}@example.org"),
    ]
    hub.people.save(people)
    asked = data.draw(typed(name, accents=True))
    finder = hub.people.finder([asked], include_inactive=True)
    match = finder.match(asked)
    assert match.status == "ambiguous" and match.person is None
    assert [p.id for p in match.candidates] == [f"T{serial}-a", f"T{serial}-b"]
    assert f"T{serial}-a, T{serial}-b" in str(match.problem())
    # their addresses still tell them apart
    assert _who(finder, f"B{serial}@EXAMPLE.org") == f"T{serial}-b"


def test_the_finder_and_its_match_are_public() -> None:
    import corehub.loaders

    assert {"PeopleFinder", "PersonMatch"} <= set(corehub.loaders.__all__)
    assert attrs.has(PersonMatch)
