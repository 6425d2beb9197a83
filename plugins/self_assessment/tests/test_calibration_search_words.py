# ruff: noqa: F811  (the tests take the calibrated cycle, org, imported below)
"""The calibration search finds people by the beginning of any part of a word of their
name or id (after a space, a hyphen, an apostrophe, a dot, an ``@``...), by any part of
three letters or more, with apostrophes typed either way; it finds everything the
word-prefix index before storage m010 found; and any program may rename people or write
calibration rows (the index's triggers need no function of corehub's)."""

from __future__ import annotations

import sqlite3
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corehub.errors import ConfigError
from corehub.loaders import fold_name
from corehub.models import Person
from corehub_self_assessment import calibration, storage

from .test_calibration_counts import org  # noqa: F401  (the calibrated cycle)

WHO = "beta-02"


def _finds(hub: Any, cycle: Any, text: str) -> bool:
    found = calibration.adjustable(hub, cycle, "all", actor="hr-1", find=text)
    return WHO in {r["person"] for r in found}


def _rename(hub: Any, name: str) -> None:
    hub.people.save([attrs.evolve(hub.people.get(WHO), name=name)])


def _words_apart(text: str) -> list[str]:
    """``text``'s words split at everything that is no letter or digit (as SQLite's
    unicode61 tokenizer of the index before m010 split them)."""
    return "".join(c if c.isalnum() else " " for c in text).split()


def _expected(query: str, name: str, person_id: str) -> bool:
    """Whether the search should find the person, worked out from scratch: every word of
    the query (up to eight) is, folded, a part of three letters or more of the folded name
    and id, or the beginning of one of their words, whole or split apart."""
    folded = fold_name(f"{name} {person_id}")
    words = [w for w in fold_name(query).split() if any(c.isalnum() for c in w)]
    if not words:
        return False
    starts = folded.split() + _words_apart(folded)
    return all(
        (len(w) >= 3 and w in folded) or any(s.startswith(w) for s in starts) for w in words[:8]
    )


@pytest.mark.parametrize(
    ("name", "finds", "misses"),
    [
        ("Anne-Marie Dupont", ["ma", "m", "anne-m", "marie", "Anne-Marie", "anne marie"], ["nm"]),
        (
            "Seán O\u2019Brien",
            ["o'brien", "O\u2019Brien", "O\u2018Brien", "o\u02bcbrien", "br", "b", "sean o'b"],
            ["ob"],
        ),
        ("Seán O'Brien", ["o\u2019brien", "O'Brien", "br", "o\u2032brien"], ["ob"]),
        ("agt-01 Cole", ["01", "0", "agt-01", "agt", "cole"], ["10"]),
        (
            "ana.lopez@example.org",
            ["lo", "ex", "or", "lopez", "ana.lopez@example.org", "example.org"],
            ["xa"],
        ),
        ("ops_team_7", ["te", "7", "t", "team_7", "ops_team"], ["s_"]),
        ("j.r. smith+desk", ["r", "de", "desk", "smith+desk"], ["hd"]),
    ],
)
def test_words_begin_after_hyphens_apostrophes_dots_and_at(
    hub: Any,
    org: Any,
    name: str,
    finds: list[str],
    misses: list[str],
) -> None:
    _rename(hub, name)
    for text in finds:
        assert _finds(hub, org, text), text
    for text in misses:
        assert not _finds(hub, org, text), text
    # the id's parts too: beta-02 is found by "02"
    assert _finds(hub, org, "02")


names = st.text(alphabet="abeoñøÉZ19 -'\u2019._@+", min_size=1, max_size=14).filter(
    lambda t: any(c.isalnum() for c in t)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=names, data=st.data())
@example(name="Anne-Marie", data=None)
def test_the_search_finds_what_a_matcher_from_scratch_finds(
    hub: Any,
    org: Any,
    name: str,
    data: Any,
) -> None:
    """Whatever the name, a query finds the person exactly when the matcher above says so;
    and every query the word-prefix index before m010 found (the beginning of a word split
    at everything that is no letter or digit) still finds them."""
    _rename(hub, name)
    folded = fold_name(f"{name} {WHO}")
    if data is None:
        queries = ["ma", "marie", "an", "02"]
    else:
        old = data.draw(st.sampled_from(_words_apart(folded)))
        queries = [
            old[: data.draw(st.integers(1, len(old)))],
            data.draw(st.text(alphabet="abeoñøÉZ19 -'\u2019._@+", min_size=1, max_size=6)),
        ]
    for query in queries:
        expected = _expected(query, name, WHO)
        assert _finds(hub, org, query) == expected, (query, name)
    assert _finds(hub, org, queries[0])  # found before m010: still found


def test_a_name_typed_with_either_apostrophe_finds_the_person_in_imports(hub: Any) -> None:
    hub.people.save(
        [
            Person(id="p1", name="Seán O\u2019Brien", email="sean@example.org"),
            Person(id="p2", name="D'Arcy Lund", email="darcy@example.org"),
        ]
    )
    finder = hub.people.finder(["Sean O'Brien", "d\u2019arcy lund"], include_inactive=False)
    assert finder.match("Sean O'Brien").person.id == "p1"
    assert finder.match("SEÁN O\u2018BRIEN").person.id == "p1"
    assert finder.match("d\u2019arcy lund").person.id == "p2"
    assert finder.match("D\u02bcarcy Lund").person.id == "p2"


def test_another_program_may_rename_people_and_write_calibration_rows(hub: Any, org: Any) -> None:
    """A plain SQLite connection (the sqlite3 shell, a repair script) renames a person and
    writes a calibration row: nothing fails for lack of a function of corehub's; the new
    name is found at once by its ASCII letters in any case (SQLite's ``lower``), and as
    corehub folds names (accents, ø, ß...) when corehub next opens the workspace."""
    hub.db.conn.commit()
    plain = sqlite3.connect(hub.db_path)
    with plain:
        plain.execute("UPDATE people SET name = 'Zoë Ånberg' WHERE id = ?", [WHO])
        row = plain.execute(
            f"SELECT * FROM [{storage.CALIBRATION_ROWS}] WHERE subject_id = ?", [WHO]
        ).fetchone()
        assert row is not None
        cols = [
            d[0] for d in plain.execute(f"SELECT * FROM [{storage.CALIBRATION_ROWS}]").description
        ]
        plain.execute(f"DELETE FROM [{storage.CALIBRATION_ROWS}] WHERE subject_id = ?", [WHO])
        plain.execute(
            f"INSERT INTO [{storage.CALIBRATION_ROWS}] ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})",
            row,
        )
    plain.close()
    assert _finds(hub, org, "NBERG")  # its ASCII letters in any case, at once
    assert not _finds(hub, org, "zoe anb")  # the folding waits for corehub
    assert hub.refold_people() == 1  # as when corehub next opens the workspace
    assert _finds(hub, org, "zoe anb")
    assert (
        hub.people.finder(["zoe anberg"], include_inactive=False).match("zoe anberg").person.id
        == WHO
    )
    assert hub.refold_people() == 0


def test_reopening_the_workspace_folds_what_another_program_wrote(
    hub: Any,
    org: Any,
    workspace: Any,
    clock: Any,
) -> None:
    """Folded the next time corehub opens the workspace (any command, the web app)."""
    from corehub import Hub

    hub.db.conn.commit()
    plain = sqlite3.connect(hub.db_path)
    with plain:
        plain.execute("UPDATE people SET name = 'Åsa Öberg' WHERE id = ?", [WHO])
    plain.close()
    again = Hub(workspace, clock=clock, plugin_manager=hub.pm)  # opened as a command does
    try:
        finder = again.people.finder(["asa oberg"], include_inactive=False)
        assert finder.match("asa oberg").person.id == WHO
    finally:
        again.close()
    assert _finds(hub, org, "asa ober")


def test_an_older_sqlite_gets_one_sentence_naming_the_version_needed(
    hub: Any, plugin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace whose self-assessment migrations are not applied yet, on a Python with
    an SQLite older than 3.34: the migration that needs the trigram tokenizer stops with one
    sentence naming the version needed (in the reader's language), and changes nothing."""
    from corehub.i18n import translator

    db = hub.db
    db.execute(
        "DELETE FROM _sqlite_migrations WHERE migration_set = 'self_assessment' "
        "AND name IN ('m010_calibration_names_anywhere', 'm011_calibration_names_stored')"
    )
    before = db.execute(
        "SELECT sql FROM sqlite_master WHERE name = ?", [storage.CALIBRATION_NAMES]
    ).fetchone()
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(ConfigError) as info:
        hub.migrate()
    assert str(info.value) == (
        "corehub needs SQLite 3.34 or later for the calibration search; this Python has "
        "SQLite 3.31.1: install a Python with a newer SQLite (see the install guide) and "
        "run the command again"
    )
    assert "SQLite 3.34 o posterior" in info.value.args[0].translated(translator(hub, "es"))
    after = db.execute(
        "SELECT sql FROM sqlite_master WHERE name = ?", [storage.CALIBRATION_NAMES]
    ).fetchone()
    assert after == before
    monkeypatch.undo()
    assert [m for _, m in hub.migrate()] == [
        "m010_calibration_names_anywhere",
        "m011_calibration_names_stored",
    ]
