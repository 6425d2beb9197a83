"""A person found by a text in one place is found by it everywhere.

E-mail addresses are unique as the people finder compares them (any case and Unicode form),
on every write path; a workspace that holds two people with one address in two forms is
reported by ``corehub db check``. A name written "Last, First" (exactly one comma) finds the
person as their name does, with the same ambiguity rules.
"""

from __future__ import annotations

import itertools
import unicodedata
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corehub.errors import ValidationError
from corehub.i18n import translator
from corehub.loaders import fold_id, fold_name
from corehub.models import Person

HEADER = "id,name,email\n"
_serial = itertools.count()


def _fullwidth(text: str) -> str:
    """ASCII letters and digits as full-width forms (as some East Asian keyboards type)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


@st.composite
def another_form(draw: st.DrawFn, address: str) -> str:
    """``address`` as another system may write it: letters in either case, composed or
    decomposed, full-width, with spaces around it; never the same string."""
    text = "".join(c.upper() if draw(st.booleans()) else c for c in address)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    if draw(st.booleans()):
        local, domain = text.split("@")
        text = _fullwidth(local) + "@" + domain
    text = " " * draw(st.integers(0, 1)) + text
    if text == address:
        text = address.upper()
    return text


addresses = st.builds(
    lambda local, domain: f"{local}@{domain}.org",
    st.text(alphabet="abcdeijklnorsxyzéñüøå", min_size=1, max_size=8),
    st.sampled_from(["example", "corp", "desk"]),
)


def _problems(info: pytest.ExceptionInfo[ValidationError]) -> str:
    return "\n".join(info.value.problems)


# -- e-mail addresses: one person each, compared as the finder compares them --------------


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=addresses, data=st.data())
@example(address="ana@example.org", data=None)  # full-width: lower() left them apart
@example(address="josé@example.org", data=None)  # composed and decomposed é
def test_a_second_person_with_an_address_in_another_form_is_refused(
    hub: Any, address: str, data: st.DataObject | None
) -> None:
    if data is None:
        local, domain = address.split("@")
        other = (
            _fullwidth(local.upper()) + "@" + domain
            if address.startswith("ana")
            else unicodedata.normalize("NFD", address)
        )
    else:
        other = data.draw(another_form(address))
    serial = next(_serial)  # each example its own address
    address, other = (a.replace("@", f".{serial}@") for a in (address, other))
    assert other != address and fold_id(other) == fold_id(address)
    first = Person(id=f"p{serial}", name=f"First {serial}", email=address)
    hub.people.save([first])
    second = Person(id=f"q{serial}", name=f"Second {serial}", email=other)
    with pytest.raises(ValidationError) as info:
        hub.people.save([second])
    text = _problems(info)
    assert f"person 'q{serial}': email {other.strip()!r} is already the email of 'p{serial}'" in (
        text
    )
    assert f"written {address!r}" in text
    assert hub.people.find(second.id) is None
    # and as a change of someone's address
    third = Person(id=f"r{serial}", name=f"Third {serial}", email=f"r{serial}@else.org")
    hub.people.save([third])
    with pytest.raises(ValidationError, match=f"already the email of 'p{serial}'"):
        hub.people.save([attrs.evolve(third, email=other)])
    assert hub.people.get(third.id).email == f"r{serial}@else.org"
    # the finder finds the one person by any form of it
    finder = hub.people.finder([other], include_inactive=True)
    assert finder.find(other) == first


def test_two_people_saved_together_with_one_address_are_refused(hub: Any) -> None:
    people = [
        Person(id="a", name="Ann", email="ann@example.org"),
        Person(id="b", name="Bo", email=_fullwidth("Ann") + "@Example.org"),
    ]
    with pytest.raises(ValidationError) as info:
        hub.people.save(people)
    assert (
        "person 'b': email '\uff21\uff4e\uff4e@Example.org' is also the email of 'a', written "
        "'ann@example.org': e-mail addresses are compared in any case and Unicode form"
    ) in _problems(info)
    assert hub.people.list(include_inactive=True) == []


def test_the_import_names_both_rows_and_writes_nothing(hub: Any, cli: Any, write: Any) -> None:
    decomposed = unicodedata.normalize("NFD", "josé@example.org")
    text = (
        HEADER
        + "a1,Ann,ann@example.org\n"
        + "b1,Bo,josé@example.org\n"
        + f"c1,Cy,{decomposed}\n"
        + f"d1,Di,{_fullwidth('ANN')}@example.org\n"
    )
    refused = cli("people", "import", str(write("people.csv", text)))
    assert refused.exit_code == 1
    said = " ".join(refused.stderr.split())
    assert (
        f"people.csv, row 4, column email: person 'c1': email {decomposed!r} is also the "
        "email of 'b1' (row 3), written 'josé@example.org'"
    ) in said
    assert (
        "people.csv, row 5, column email: person 'd1': email '\uff21\uff2e\uff2e@example.org' is also the "
        "email of 'a1' (row 2), written 'ann@example.org'"
    ) in said
    assert hub.people.list(include_inactive=True) == []
    # an address stored before: the import names its owner
    hub.people.save([Person(id="a1", name="Ann", email="ann@example.org")])
    again = cli(
        "people",
        "import",
        str(write("more.csv", HEADER + "x1,Xi,\uff21\uff2e\uff2e@EXAMPLE.org\n")),
    )
    assert again.exit_code == 1
    assert "is already the email of 'a1', written 'ann@example.org'" in " ".join(
        again.stderr.split()
    )
    assert hub.people.find("x1") is None


def test_the_same_address_for_one_person_and_other_addresses_are_accepted(hub: Any) -> None:
    hub.people.save([Person(id="a", name="Ann", email="ann@example.org")])
    hub.people.save([Person(id="a", name="Ann", email="\uff21\uff2e\uff2e@example.org")])  # her own
    # accents stay: josé and jose are two mailboxes
    hub.people.save(
        [
            Person(id="j1", name="José", email="josé@example.org"),
            Person(id="j2", name="Jose", email="jose@example.org"),
        ]
    )
    assert hub.people.get("a").email == "\uff21\uff2e\uff2e@example.org"


def test_the_refusal_is_translated(hub: Any) -> None:
    hub.people.save([Person(id="a", name="Ann", email="ann@example.org")])
    with pytest.raises(ValidationError) as info:
        hub.people.save([Person(id="b", name="Bo", email="ANN@example.org")])
    [problem] = info.value.problems
    assert problem.translated(translator(hub, "es")) == (
        "persona 'b': el correo 'ANN@example.org' ya es el correo de 'a', escrito "
        "'ann@example.org': las direcciones de correo se comparan sin distinguir mayúsculas "
        "ni formas Unicode"
    )
    assert "e-postadressen" in problem.translated(translator(hub, "sv"))
    assert "e-mailadressen" in problem.translated(translator(hub, "da"))


def test_db_check_reports_people_who_share_an_address_from_before(hub: Any, cli: Any) -> None:
    """A workspace that took two forms of one address in before they were compared alike
    (the finder then finds neither by it) is reported, naming both people; nothing is
    changed by the check."""
    hub.people.save(
        [
            Person(id="a", name="Ann", email="ann@example.org"),
            Person(id="b", name="Bo", email="bo@example.org"),
            Person(id="k1", name="Kim Berg", email="kim1@example.org"),
            Person(id="k2", name="Kim Berg", email="kim2@example.org"),  # a shared name is fine
        ]
    )
    assert cli("db", "check").exit_code == 0
    with hub.atomic() as db:  # as an older corehub let it be saved
        db.execute("UPDATE people SET email = '\uff21\uff2e\uff2e@example.org' WHERE id = 'b'")
        db.execute("DELETE FROM people_match WHERE person_id = 'b'")
        db.execute(
            "INSERT INTO people_match (key, person_id) VALUES (?, 'b'), ('b', 'b'), ('bo', 'b')",
            [fold_id("\uff21\uff2e\uff2e@example.org")],
        )
    assert hub.people.finder([], include_inactive=True).match("ann@example.org").status == (
        "ambiguous"
    )
    checked = cli("db", "check")
    assert checked.exit_code == 1
    assert (
        "problem: people 'a' and 'b' share one e-mail address ('ann@example.org', "
        "'\uff21\uff2e\uff2e@example.org'): imports and sign-in links cannot tell them apart; give each "
        "their own address in the people file and import it"
    ) in checked.stdout
    assert "k1" not in checked.stdout
    assert hub.people.get("b").email == "\uff21\uff2e\uff2e@example.org"


def _sharing_pair(hub: Any) -> None:
    """People 'a' and 'b' who share one address, as an older corehub let it be saved."""
    hub.people.save(
        [
            Person(id="a", name="Ann", email="ann@example.org", team="T1"),
            Person(id="b", name="Bo", email="bo@example.org", team="T1"),
            Person(id="c", name="Cy", email="cy@example.org", team="T1"),
        ]
    )
    with hub.atomic() as db:
        db.execute("UPDATE people SET email = 'ANN@example.org' WHERE id = 'b'")


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Bo Lind"},  # renamed
        {"team": "T2"},  # moved team
        {"active": False},  # left
        {"email": "ann@EXAMPLE.org"},  # the same address in another case: not a change
    ],
)
def test_a_person_who_shares_an_address_from_before_can_change_what_is_not_it(
    hub: Any, change: dict[str, Any]
) -> None:
    """Two people who already share an address (``corehub db check`` names them) can
    still leave, be renamed or move team: the change does not make the clash."""
    _sharing_pair(hub)
    hub.people.save([attrs.evolve(hub.people.get("b"), **change)])
    assert all(getattr(hub.people.get("b"), k) == v for k, v in change.items())
    hub.people.save([attrs.evolve(hub.people.get("a"), name="Ann Lind")])  # and the other one
    hub.people.save([attrs.evolve(hub.people.get(i), team="T3") for i in ("a", "b")])
    assert hub.people.get("a").team == hub.people.get("b").team == "T3"


def test_people_leave_saves_one_of_two_people_who_share_an_address(hub: Any, cli: Any) -> None:
    _sharing_pair(hub)
    result = cli("people", "leave", "b", "--on", "2020-01-01")
    assert result.exit_code == 0, result.output
    assert not hub.people.get("b").active


def test_a_change_of_address_or_a_new_person_that_makes_a_clash_is_still_refused(
    hub: Any,
) -> None:
    _sharing_pair(hub)
    with pytest.raises(ValidationError, match="already the email of 'a'"):
        hub.people.save([attrs.evolve(hub.people.get("c"), email="Ann@example.org")])
    with pytest.raises(ValidationError, match="already the email of 'a'"):
        hub.people.save([Person(id="d", name="Di", email="ann@example.org")])
    # ...and a person of the pair who changes to someone else's address is refused
    with pytest.raises(ValidationError, match="already the email of 'c'"):
        hub.people.save([attrs.evolve(hub.people.get("b"), email="cy@example.org")])
    # saved with one that kept theirs, a newcomer is refused too
    with pytest.raises(ValidationError, match=r"email 'ann@example\.org' is"):
        hub.people.save(
            [
                attrs.evolve(hub.people.get("a"), team="T9"),
                Person(id="d", name="Di", email="ann@example.org"),
            ]
        )
    assert hub.people.get("c").email == "cy@example.org"
    assert hub.people.get("a").team == "T1"
    # the pair's own address is theirs to fix: changing it to a free one is saved
    hub.people.save([attrs.evolve(hub.people.get("b"), email="bo@example.org")])


# -- "Last, First" ----------------------------------------------------------------------


def _org(hub: Any) -> None:
    hub.people.save(
        [
            Person(id="mn", name="María Núñez", email="maria@example.org"),
            Person(id="jg", name="Juan Carlos García López", email="jc@example.org"),
            Person(id="k1", name="Kim Berg", email="kim1@example.org"),
            Person(id="k2", name="KIM  BERG", email="kim2@example.org"),
            # a name that holds a comma itself, and the person it may also stand for
            Person(id="e1", name="Lund, Eva", email="e1@example.org"),
            Person(id="e2", name="Eva Lund", email="e2@example.org"),
            Person(id="s1", name="Smith, Jr., John", email="s1@example.org"),
            Person(id="old", name="Olga Ruiz", email="olga@example.org", active=False),
            Person(id="new", name="Olga Ruiz", email="olga2@example.org"),
        ]
    )


def test_last_first_finds_the_person_when_unique(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder(["Núñez, María"], include_inactive=True)
    for text in ("Núñez, María", "NUNEZ,MARIA", " nunez ,  maría ", "María Núñez"):
        match = finder.match(text)
        assert (match.status, match.by, match.person and match.person.id) == (
            "found",
            "name",
            "mn",
        ), text
    assert finder.find("García López, Juan Carlos").id == "jg"
    # an id or address with a comma is still looked up as one first
    assert finder.find("maria@example.org", "Núñez, María").id == "mn"


def test_last_first_is_never_a_guess(hub: Any) -> None:
    _org(hub)
    finder = hub.people.finder([], include_inactive=True)
    shared = finder.match("Berg, Kim")
    assert (shared.status, [p.id for p in shared.candidates]) == ("ambiguous", ["k1", "k2"])
    assert "'Berg, Kim' names more than one person (k1, k2)" in str(shared.problem())
    # "Lund, Eva" is one person's name as written and the other's as "Last, First"
    both = finder.match("Lund, Eva")
    assert (both.status, [p.id for p in both.candidates]) == ("ambiguous", ["e1", "e2"])
    assert "(e1, e2)" in str(both.problem("f.csv, row 2, column agent"))
    # without the comma it is Eva Lund's name only
    assert finder.find("Eva Lund").id == "e2"
    # two commas: only the name as written
    assert finder.find("Smith, Jr., John").id == "s1"
    assert finder.match("Jr., John, Smith").status == "unknown"
    assert finder.match("Núñez, María, José").status == "unknown"
    # one part missing: no name is made up
    assert finder.match("Núñez,").status == "unknown"
    assert finder.match(", María").status == "unknown"


def test_last_first_follows_the_rules_for_people_no_longer_active(hub: Any) -> None:
    _org(hub)
    everyone = hub.people.finder(["Ruiz, Olga"], include_inactive=True)
    assert [p.id for p in everyone.match("Ruiz, Olga").candidates] == ["new", "old"]
    current = hub.people.finder(["Ruiz, Olga"], include_inactive=False)
    assert current.find("Ruiz, Olga").id == "new"


def test_named_by_reads_the_people_a_last_first_text_may_name(hub: Any) -> None:
    _org(hub)
    assert {p.id for p in hub.people.named_by(["Lund, Eva"])} == {"e1", "e2"}
    assert {p.id for p in hub.people.named_by(["Núñez, María"])} == {"mn"}


words = st.text(alphabet="abcdeilnorsuyzáéíñóöüåäøæçšžłß", min_size=2, max_size=8)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=words, last=words, twin=st.booleans(), spaces=st.integers(0, 2))
def test_any_last_first_text_finds_the_one_person_or_names_every_candidate(
    hub: Any, first: str, last: str, twin: bool, spaces: int
) -> None:
    serial = next(_serial)
    name = f"{first.title()} {last.title()}{serial}"
    people = [Person(id=f"L{serial}-a", name=name, email=f"l{serial}a@example.org")]
    if twin:  # someone whose name, as written, is the "Last, First" text
        people.append(
            Person(id=f"L{serial}-b", name=f"{last}{serial}, {first}", email=f"b{serial}@x.org")
        )
    hub.people.save(people)
    text = (
        f"{last.upper()}{serial}{' ' * spaces},{' ' * spaces}{unicodedata.normalize('NFD', first)}"
    )
    match = hub.people.finder([text], include_inactive=True).match(text)
    if twin:
        assert match.status == "ambiguous"
        assert [p.id for p in match.candidates] == [f"L{serial}-a", f"L{serial}-b"]
    else:
        assert match.person == people[0], (text, fold_name(text))


def test_a_person_s_id_changed_by_another_program_is_found_by_the_new_id(hub: Any) -> None:
    """A repair script (a plain SQLite connection) that changes a person's id leaves no
    words under the old id: the person is folded again under the new one."""
    import sqlite3

    hub.people.save([Person(id="p-old", name="Søren Ås", email="soren@example.org")])
    hub.db.conn.commit()
    plain = sqlite3.connect(hub.db_path)
    with plain:
        plain.execute("UPDATE people SET id = 'p-new' WHERE id = 'p-old'")
    plain.close()
    hub.refold_people()
    words = dict(hub.db.execute("SELECT person_id, words FROM people_words").fetchall())
    assert "p-old" not in words
    assert "soren" in words["p-new"]
