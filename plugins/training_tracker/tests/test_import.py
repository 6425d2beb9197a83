"""``corehub training import``: LMS completions CSV, all-or-nothing with row-numbered errors."""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def write(path, text, encoding="utf-8-sig"):
    path.write_bytes(text.encode(encoding))
    return path


def test_import_semicolons_bom_emails_and_day_first_dates(tracker, team, cli, tmp_path, spy):
    cli(
        "training",
        "assign",
        "--course",
        "active-listening",
        "--team",
        "alpha",
        "--due",
        "2026-04-01",
    )
    csv = write(
        tmp_path / "lms.csv",
        "Email;Course ID;Completion date;Score\n"
        "alpha-01@example.org;active-listening;15/02/2026;88,5\n"
        "alpha-02;active-listening;2026-02-16;\n"
        "alpha-02;complaint-handling;17.02.2026;70%\n",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 0, result.output
    assert "3 completion(s), 0 already recorded, 2 assignment(s) completed" in result.stdout
    rows = {(r["person_id"], r["course_id"]): r for r in tracker.db["training_completions"].rows}
    assert rows[("alpha-01", "active-listening")]["score"] == 88.5
    assert rows[("alpha-02", "complaint-handling")]["completed_on"] == "2026-02-17"
    assert rows[("alpha-02", "complaint-handling")]["source"] == "import:lms.csv"
    assert sorted(a.person_id for a in spy.completed) == ["alpha-01", "alpha-02"]
    again = cli("training", "import", str(csv))
    assert "0 completion(s), 3 already recorded" in again.stdout
    assert tracker.db["training_completions"].count == 3


def test_import_cp1252_comma_file(tracker, team, cli, tmp_path):
    tracker.people.save(
        [
            tracker.people.get("alpha-03").__class__(
                id="jose", name="José Núñez", email="jose@example.org"
            )
        ]
    )
    csv = write(
        tmp_path / "export.csv",
        "person,course,completed_on\njose@example.org,clear-writing,01/03/2026\n",
        "cp1252",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 0, result.output


def test_mixed_problems_are_all_listed_and_nothing_is_written(tracker, team, cli, tmp_path):
    csv = write(
        tmp_path / "mixed.csv",
        "person;course;completed_on;score\n"
        "alpha-01;active-listening;2026-02-01;90\n"
        "ghost;active-listening;2026-02-01;90\n"
        "alpha-02;underwater-basket-weaving;2026-02-01;90\n"
        "alpha-03;clear-writing;30/02/2026;90\n"
        "alpha-03;clear-writing;2019-05-05;90\n"
        "alpha-lead;clear-writing;2026-02-01;150\n"
        "alpha-lead;stress-handling;2026-02-01;good\n"
        "alpha-01;active-listening;01/02/2026;91\n"
        "alpha-02;complaint-handling;2026-02-01;\n"
        "alpha-02;clear-writing;2026-12-01;\n",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 1
    err = result.stderr
    assert "nothing was imported" in err
    expected = [
        "mixed.csv, row 3, column person: 'ghost' is not a known person",
        "mixed.csv, row 4, column course: unknown course 'underwater-basket-weaving'",
        "mixed.csv, row 5, column completed_on: '30/02/2026' is not a date",
        "mixed.csv, row 6, column completed_on: 2019-05-05 is before alpha-03's hire date 2020-01-06",
        "mixed.csv, row 7, column score: 150 must be between 0 and 100",
        "mixed.csv, row 8, column score: 'good' is not a number",
        "mixed.csv, row 9: the same completion is on row 2",
        "mixed.csv, row 10, column course: prerequisite 'active-listening'",
        "mixed.csv, row 11, column completed_on: 2026-12-01 is in the future",
    ]
    for line in expected:
        assert line in err, line
    assert "row 2," not in err.replace("on row 2", "")
    assert tracker.db["training_completions"].count == 0


def test_prerequisite_earlier_in_the_same_file_counts(tracker, team, cli, tmp_path):
    csv = write(
        tmp_path / "order.csv",
        "person,course,completed_on\nalpha-01,complaint-handling,2026-02-10\nalpha-01,active-listening,2026-02-01\n",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 0, result.output
    assert tracker.db["training_completions"].count == 2


def test_wrong_header_is_named(tracker, team, cli, tmp_path):
    csv = write(
        tmp_path / "header.csv",
        "person,course,completed_on,scroe\nalpha-01,clear-writing,2026-02-01,5\n",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 1 and "unknown column(s): scroe" in result.stderr
    result = cli("training", "import", "--ignore-unknown-columns", str(csv))
    assert result.exit_code == 0, result.output
    csv = write(tmp_path / "missing.csv", "person,completed_on\nalpha-01,2026-02-01\n")
    result = cli("training", "import", str(csv))
    assert result.exit_code == 1 and "missing column(s): course" in result.stderr


def test_import_override_needs_reason(tracker, team, cli, tmp_path):
    csv = write(
        tmp_path / "o.csv", "person,course,completed_on\nalpha-01,complaint-handling,2026-02-10\n"
    )
    assert cli("training", "import", "--override", str(csv)).exit_code != 0
    result = cli("training", "import", "--override", "--reason", "legacy LMS data", str(csv))
    assert result.exit_code == 0, result.output


PEOPLE = ["alpha-01", "alpha-02", "alpha-03", "alpha-lead", "ghost"]
COURSES = ["clear-writing", "stress-handling", "product-update", "no-such-course"]
row_strategy = st.tuples(
    st.sampled_from(PEOPLE),
    st.sampled_from(COURSES),
    st.one_of(
        st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2026, 4, 1)),
        st.text(alphabet=string.ascii_letters + "/-.", max_size=10),
    ),
    st.one_of(st.none(), st.integers(min_value=-10, max_value=120)),
    st.booleans(),
    st.sampled_from([";", ","]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row_strategy, min_size=1, max_size=8))
def test_import_is_all_or_nothing(tracker, team, cli, tmp_path_factory, rows):
    from corehub.errors import ValidationError
    from corehub_training_tracker.importer import import_completions

    before = tracker.db["training_completions"].count
    sep = rows[0][5]
    lines = [sep.join(["person", "course", "completed_on", "score"])]
    bad_rows = set()
    seen = set()
    existing = {
        (r["person_id"], r["course_id"], r["completed_on"])
        for r in tracker.db["training_completions"].rows
    }
    today = tracker.clock.today()
    for number, (person, course, date, score, day_first, _) in enumerate(rows, start=2):
        if isinstance(date, dt.date):
            text = date.strftime("%d/%m/%Y") if day_first else date.isoformat()
        else:
            text = date
        lines.append(sep.join([person, course, text, "" if score is None else str(score)]))
        ok = (
            person != "ghost"
            and course != "no-such-course"
            and isinstance(date, dt.date)
            and dt.date(2020, 1, 6) <= date <= today
            and (score is None or 0 <= score <= 100)
        )
        key = (person, course, date)
        if ok and key in seen:
            ok = False
        if ok:
            seen.add(key)
        else:
            bad_rows.add(number)
        if ok and (person, course, date.isoformat()) in existing:
            seen.add(key)
    path = tmp_path_factory.mktemp("csv") / "lms.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        result = import_completions(tracker, path)
    except ValidationError as exc:
        assert bad_rows, exc
        assert tracker.db["training_completions"].count == before
        for number in bad_rows:
            assert f"row {number}" in str(exc)
    else:
        assert not bad_rows
        assert tracker.db["training_completions"].count == before + result.imported


def test_rows_with_missing_or_extra_cells_or_nul_bytes_are_refused(tracker, team, cli, tmp_path):
    csv = write(
        tmp_path / "cells.csv",
        "person,course,completed_on\nalpha-01,active-listening\n"
        "alpha-02,active-listening,2026-02-01,extra\nghost,active-listening,2026-02-01\n",
    )
    result = cli("training", "import", str(csv))
    assert result.exit_code == 1
    assert "cells.csv, row 2: 2 cells but the header has 3 columns (missing: completed_on)" in (
        result.stderr
    )
    assert (
        "cells.csv, row 3: 4 cells but the header has 3 columns (extra: 'extra')" in result.stderr
    )
    assert "cells.csv, row 4, column person: 'ghost' is not a known person" in result.stderr
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"person,course,completed_on\nalpha-01,active-listening,2026-02-01\x00\n")
    refused = cli("training", "import", str(nul))
    assert refused.exit_code == 1
    assert "nul.csv: the file holds NUL bytes (on line(s) 2)" in refused.stderr
    assert tracker.db["training_completions"].count == 0


def test_people_are_found_as_every_import_finds_them_and_a_shared_name_is_an_error(
    tracker, team, cli, tmp_path
):
    """A person is found by id or address in any case, or by a unique full name in any
    case, accents and spacing; a name two people share is a problem of its row naming
    both, and nothing is written."""
    tracker.people.save(
        [
            team[0].__class__(id="jn", name="José Núñez", email="jose@example.org"),
            team[0].__class__(id="twin", name="Alpha Agent 2", team="beta"),
        ]
    )
    text = (
        "person,course,completed_on\n"
        "JOSE NUNEZ,active-listening,2026-02-01\n"
        "alpha agent 2,active-listening,2026-02-01\n"
        "ALPHA-03,active-listening,2026-02-01\n"
        "alpha  agent 1,active-listening,2026-02-01\n"
    )
    csv = write(tmp_path / "lms.csv", text)
    refused = cli("training", "import", str(csv))
    assert refused.exit_code == 1
    assert (
        "lms.csv, row 3, column person: 'alpha agent 2' names more than one person "
        "(alpha-02, twin)" in refused.stderr
    )
    assert refused.stderr.count("column person") == 1
    assert tracker.db["training_completions"].count == 0
    write(csv, text.replace("alpha agent 2", "Alpha-02@example.org"))
    done = cli("training", "import", str(csv))
    assert done.exit_code == 0, done.output
    found = {r["person_id"] for r in tracker.db["training_completions"].rows}
    assert found == {"jn", "alpha-02", "alpha-03", "alpha-01"}


def test_a_name_written_last_first_is_found_as_the_name_is(tracker, team, cli, tmp_path):
    """An LMS that lists people as "Last, First" names them as their name does: found
    when one person has it, a problem naming every candidate otherwise, nothing written."""
    tracker.people.save(
        [
            team[0].__class__(id="jn", name="José Núñez", email="jose@example.org"),
            team[0].__class__(id="twin", name="Agent 2, Alpha", team="beta"),
        ]
    )
    text = (
        "person,course,completed_on\n"
        '"Núñez, José",active-listening,2026-02-01\n'
        '"AGENT 2,ALPHA",active-listening,2026-02-01\n'
        '"Agent 1, Alpha",active-listening,2026-02-01\n'
    )
    csv = write(tmp_path / "lms.csv", text)
    refused = cli("training", "import", str(csv))
    assert refused.exit_code == 1
    assert (
        "lms.csv, row 3, column person: 'AGENT 2,ALPHA' names more than one person "
        "(alpha-02, twin)" in refused.stderr
    )
    assert refused.stderr.count("column person") == 1
    assert tracker.db["training_completions"].count == 0
    write(csv, text.replace('"AGENT 2,ALPHA"', "alpha-02"))
    done = cli("training", "import", str(csv))
    assert done.exit_code == 0, done.output
    found = {r["person_id"] for r in tracker.db["training_completions"].rows}
    assert found == {"jn", "alpha-02", "alpha-01"}
