"""Bad input is named at once: every problem of a file in one run, nothing accepted silently."""

from __future__ import annotations

import pytest

from corehub import hookimpl
from corehub.errors import ValidationError
from corehub.models import TaskKind, TaskSpec

HEADER = "id,name,email,role,level,team,manager_id,hire_date,locale\n"
ORG = (
    HEADER
    + "d1,Dana Director,dana@example.org,Director,directive,,,2019-01-07,en\n"
    + "s1,Søren Ærø,soren@example.org,Supervisor,supervisory,Nord,d1,2020-02-03,da\n"
    + "a1,Ana Núñez,ana@example.org,Agent,operational,Nord,s1,2024-06-15,es\n"
)


class SelfTasks:
    @hookimpl
    def register_task_kinds(self, hub):
        return [TaskKind(name="self"), TaskKind(name="manager")]

    @hookimpl
    def cycle_tasks(self, hub, cycle, person):
        return [TaskSpec(kind="self", assignee_id=person.id)]


@pytest.fixture
def org(hub, write, register_plugin):
    register_plugin(SelfTasks(), name="self_tasks")
    hub.people.import_csv(write("org.csv", ORG))
    return hub


def problems_of(info: pytest.ExceptionInfo[ValidationError]) -> str:
    return "\n".join(info.value.problems)


# -- people CSV ----------------------------------------------------------------------


def test_structure_references_and_meaning_of_a_people_file_come_in_one_run(hub, write):
    text = (
        HEADER
        + "a1,Ann,ann@example.org,,,Nord,ghost,,\n"  # unknown manager (a reference)
        + "b1,Bo,,,,,c1,,,surplus\n"  # an extra cell (structure)
        + "c1,Cy,,,,,b1\n"  # missing cells (structure); b1 -> c1 -> b1 is a loop
        + "d1,Di,ANN@example.org,,,,,,klingon\n"  # same email as a1; unknown language
    )
    with pytest.raises(ValidationError) as info:
        hub.people.import_csv(write("people.csv", text))
    found = problems_of(info)
    assert "people.csv, row 3: 10 cells but the header has 9 columns (extra: 'surplus')" in found
    assert (
        "people.csv, row 4: 7 cells but the header has 9 columns (missing: hire_date, locale)"
        in (found)
    )
    assert "row 2, column manager_id: person 'a1': manager 'ghost' is not a known person" in found
    assert "management loop: b1 -> c1 -> b1" in found
    assert (
        "row 5, column email: person 'd1': email 'ANN@example.org' is also the email of 'a1'"
        in (found)
    )
    assert (
        "row 5, column locale: 'klingon' is not a language corehub speaks: use one of en, es, da, sv"
        in (found)
    )
    assert hub.people.list(include_inactive=True) == []


def test_a_row_with_a_broken_cell_does_not_hide_the_references_of_the_others(hub, write):
    text = HEADER + "s1,Sam,not-an-email,,,,,,\n" + "a1,Ann,,,,,s1,,\n" + "b1,Bo,,,,,ghost,,\n"
    with pytest.raises(ValidationError) as info:
        hub.people.import_csv(write("people.csv", text))
    found = problems_of(info)
    assert "row 2, column email: 'not-an-email' is not an email address" in found
    assert "manager 'ghost' is not a known person" in found
    assert "'s1'" not in found.split("email address")[1]  # s1 is known, just broken


def test_an_email_already_used_by_a_stored_person_is_refused(org, write):
    text = HEADER + "x1,Xena,Dana@Example.org,,,,,,\n"
    with pytest.raises(
        ValidationError, match=r"email 'Dana@Example\.org' is already the email of 'd1'"
    ):
        org.people.import_csv(write("more.csv", text))
    assert org.people.find("x1") is None
    # the library refuses it too, not only the importer
    xena = org.people.get("a1")
    import attrs

    with pytest.raises(ValidationError, match="already the email of 'd1'"):
        org.people.save([attrs.evolve(xena, email="DANA@example.org")])


def test_regional_codes_of_the_languages_corehub_speaks_are_accepted(hub, write):
    text = HEADER + "a1,Ann,,,,,,,es-MX\n" + "b1,Bo,,,,,,,sv\n"
    hub.people.import_csv(write("people.csv", text))
    assert hub.people.get("a1").locale == "es-MX"


def test_nul_bytes_are_refused_naming_the_line(hub, write):
    path = write("people.csv", (HEADER + "a1,Ann\x00,,,,,,,\n").encode())
    with pytest.raises(
        ValidationError, match=r"people.csv: the file holds NUL bytes \(on line\(s\) 2\)"
    ):
        hub.people.import_csv(path)


def test_trailing_empty_cells_a_spreadsheet_adds_are_not_extra_cells(hub, write):
    hub.people.import_csv(write("people.csv", HEADER + "a1,Ann,,,,,,,,,\n"))
    assert hub.people.get("a1").name == "Ann"


def test_the_cli_shows_every_problem_in_one_run_without_a_traceback(hub, cli, write):
    result = cli("people", "import", str(write("p.csv", HEADER + "a1,Ann,,,,,ghost\n")))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "row 2: 7 cells" in result.stderr
    assert "manager 'ghost'" in result.stderr


# -- --as --------------------------------------------------------------------------


def test_as_naming_an_unknown_person_is_refused_for_every_command(org, cli):
    for args in (
        ("people", "list"),
        ("cycle", "list"),
        ("audit", "list"),
    ):
        result = cli("--as", "aa1", *args)
        assert result.exit_code == 1, args
        assert "--as 'aa1': no person with that id (did you mean 'a1'?)" in result.stderr
    assert cli("--as", "a1", "people", "list").exit_code == 0


def test_as_refusal_comes_before_anything_is_written(org, cli):
    result = cli(
        "--as", "ghost", "cycle", "create", "H1", "--start", "2026-01-01", "--end", "2026-06-30"
    )
    assert result.exit_code == 1
    assert org.cycles.find("H1") is None


# -- --due and scopes --------------------------------------------------------------


def test_due_names_only_task_kinds_that_exist(org, cli):
    result = cli(
        "cycle",
        "create",
        "H1",
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
        "--due",
        "slef=2026-02-01",
        "--scope",
        "team:Nrod",
    )
    assert result.exit_code == 1
    assert "no task kind 'slef'; the kinds are: manager, self (did you mean 'self'?)" in (
        result.stderr
    )
    # reported in the same run as the scope that matches nobody
    assert "scope 'team:Nrod' matches no active person (did you mean team:Nord?)" in result.stderr
    assert org.cycles.find("H1") is None


def test_a_scope_that_matches_nobody_needs_an_explicit_flag(org, cli):
    args = ("cycle", "create", "H1", "--start", "2026-01-01", "--end", "2026-06-30")
    refused = cli(*args, "--scope", "person:zz9", "--scope", "team:Nord")
    assert refused.exit_code == 1
    assert "scope 'person:zz9' matches no active person" in refused.stderr
    assert "team:Nord" not in refused.stderr.split("was not created:")[1]
    accepted = cli(*args, "--scope", "person:zz9", "--allow-empty-scope")
    assert accepted.exit_code == 0, accepted.output
    assert org.cycles.get("H1").scope == ("person:zz9",)


def test_filters_naming_nobody_are_errors_not_empty_lists(org, cli):
    unknown_team = cli("people", "list", "--team", "Nrod")
    assert unknown_team.exit_code == 1
    assert "no team named 'Nrod' (teams: Nord)" in unknown_team.stderr
    assert cli("people", "list", "--manager", "ghost").exit_code == 1
    org.cycles.create(
        "H1",
        start=__import__("datetime").date(2026, 1, 1),
        end=__import__("datetime").date(2026, 6, 30),
    )
    assert cli("cycle", "tasks", "H1", "--person", "ghost").exit_code == 1
    bad_kind = cli("cycle", "tasks", "H1", "--kind", "slef")
    assert bad_kind.exit_code == 2
    assert "no task kind 'slef'" in bad_kind.stderr


def test_text_where_a_list_belongs_is_refused_and_collections_keep_their_kind():
    """Text iterates as its letters and a table as its keys: both are refused where a
    list belongs, with the field named; a list keeps the collection type its field names."""
    from collections.abc import Sequence
    from collections.abc import Set as AbstractSet

    import attrs

    from corehub.models.converter import converter, structure_salvaged

    @attrs.frozen
    class Settings:
        names: list[str] = attrs.field(factory=list)
        days: Sequence[int] = ()
        tags: AbstractSet[str] = frozenset()

    attrs.resolve_types(Settings, localns=locals())
    made = converter.structure({"names": ["a"], "days": [1, 2], "tags": ["x"]}, Settings)
    assert made == Settings(names=["a"], days=(1, 2), tags=frozenset({"x"}))
    assert hash(made.tags) and isinstance(made.days, tuple)
    _, problems = structure_salvaged({"names": "hr-01", "days": {"a": 1}, "tags": 5}, Settings)
    assert problems == [
        "names: expected a list, got text 'hr-01' (write [\"hr-01\"])",
        "days: expected a list, got {'a': 1}",
        "tags: expected a list, got 5",
    ]
