"""Evidence from any plugin shows beside the competencies of a manager review."""

from __future__ import annotations

from typing import Any

from corehub import hookimpl
from corehub.models import Evidence


class Measured:
    """A plugin the self-assessment plugin knows nothing of."""

    @hookimpl
    def extra_competency_evidence(
        self, hub: Any, person: Any, cycle: Any, locale: str
    ) -> list[Evidence]:
        if person.id != "alpha-01":
            return []
        value = {"es": "97 % a tiempo"}.get(locale, "97% on time")
        return [Evidence(competency="communication", title="Callbacks <kept>", value=value)]


def test_the_manager_fill_in_file_shows_evidence_by_competency(
    hub: Any, cycle: Any, cli: Any, register_plugin: Any
) -> None:
    register_plugin(Measured(), name="measured")
    result = cli(
        "--as", "alpha-lead", "review", "export", "--person", "alpha-01", "--kind", "manager"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  # Evidence: Callbacks <kept>: 97% on time")
    # beside the communication question, before its answer line
    assert any("Communicates clearly" in line for line in lines[at - 6 : at])
    assert lines[at + 1].startswith("  communication:")
    assert result.stdout.count("# Evidence:") == 1
    own = cli("--as", "alpha-01", "review", "export", "--person", "alpha-01", "--kind", "self")
    assert own.exit_code == 0 and "# Evidence:" not in own.stdout
    other = cli(
        "--as", "alpha-lead", "review", "export", "--person", "alpha-02", "--kind", "manager"
    )
    assert "# Evidence:" not in other.stdout
