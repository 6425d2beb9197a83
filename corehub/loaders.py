"""Reading what people hand corehub, and writing files safely: the helpers a plugin's importers
and exports share with the core.

- :func:`load_yaml`: YAML with limits (size, depth, aliases), safe types only.
- :func:`read_table`, :func:`parse_date`, :func:`normalise_header`, :func:`decode`: CSV files from spreadsheets
  (comma or semicolon, BOM or not, Windows code page, day-first dates); problems name the file,
  the row as the spreadsheet numbers it, and the column. :func:`stream_table` reads the rows
  of a file of any size one at a time.
- :func:`read_tickets`, :func:`stream_tickets`, :func:`detect_csv`, :func:`parse_map`,
  :data:`TICKET_FIELDS`, :func:`parse_moment`: help desk ticket exports (CSV or JSON);
  ``stream_tickets`` reads an export of any size ticket by ticket, in bounded memory.
- :class:`PeopleFinder`, :class:`PersonMatch`: the person each row of an import names
  (``hub.people.finder(texts, include_inactive=...)`` makes the finder), and why not when it
  names nobody, several people or someone no longer active. ``AgentIndex`` is its
  deprecated predecessor.
- :func:`fold_id`, :func:`fold_name`, :func:`search_words`, :data:`FOLD_NAME_SQL`: how corehub compares the ids,
  e-mail addresses and names people are found by, for a plugin that matches people by text
  as the finder does (the SQL function is on every connection corehub opens).
- :func:`write_output`, :func:`write_text_output`, :func:`check_output_folder`: every file a
  command writes goes to a temporary name and is renamed when complete, and never over the
  workspace database, its configuration or the folders the organization fills.
- :func:`dumps`, :func:`loads`, :func:`freeze_with_cycle`, :func:`from_row`: JSON columns of a
  plugin's own tables, the trigger that freezes a plugin's rows with their cycle, and a row
  read back into its record through the cattrs converter.
"""

from typing import TYPE_CHECKING, Any

from corehub.folding import FOLD_NAME_SQL, fold_id, fold_name, search_words
from corehub.outputs import (
    OutputRefusedError,
    check_output,
    check_output_folder,
    write_output,
    write_text_output,
)
from corehub.storage import FROZEN_PREFIX, dumps, freeze_with_cycle, from_row, loads
from corehub.tabular import (
    Row,
    Table,
    TableStream,
    decode,
    normalise_header,
    parse_date,
    read_table,
    stream_table,
)

if TYPE_CHECKING:
    from corehub.people import PeopleFinder, PersonMatch
    from corehub.safe_yaml import UnsafeYamlError, load_yaml
    from corehub.tickets import FIELDS as TICKET_FIELDS
    from corehub.tickets import (
        AgentIndex,
        Ticket,
        TicketExport,
        TicketStream,
        detect_csv,
        parse_map,
        parse_moment,
        read_tickets,
        stream_tickets,
    )

_LAZY = {
    "UnsafeYamlError": ("corehub.safe_yaml", "UnsafeYamlError"),
    "load_yaml": ("corehub.safe_yaml", "load_yaml"),
    "TICKET_FIELDS": ("corehub.tickets", "FIELDS"),
    "AgentIndex": ("corehub.tickets", "AgentIndex"),
    "PeopleFinder": ("corehub.people", "PeopleFinder"),
    "PersonMatch": ("corehub.people", "PersonMatch"),
    "Ticket": ("corehub.tickets", "Ticket"),
    "TicketExport": ("corehub.tickets", "TicketExport"),
    "TicketStream": ("corehub.tickets", "TicketStream"),
    "detect_csv": ("corehub.tickets", "detect_csv"),
    "parse_map": ("corehub.tickets", "parse_map"),
    "parse_moment": ("corehub.tickets", "parse_moment"),
    "read_tickets": ("corehub.tickets", "read_tickets"),
    "stream_tickets": ("corehub.tickets", "stream_tickets"),
}
"""Names imported when first used: PyYAML and the ticket readers are not loaded by a
command that needs neither (``corehub --help`` among them)."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "FOLD_NAME_SQL",
    "FROZEN_PREFIX",
    "TICKET_FIELDS",
    "AgentIndex",
    "OutputRefusedError",
    "PeopleFinder",
    "PersonMatch",
    "Row",
    "Table",
    "TableStream",
    "Ticket",
    "TicketExport",
    "TicketStream",
    "UnsafeYamlError",
    "check_output",
    "check_output_folder",
    "decode",
    "detect_csv",
    "dumps",
    "fold_id",
    "fold_name",
    "freeze_with_cycle",
    "from_row",
    "load_yaml",
    "loads",
    "normalise_header",
    "parse_date",
    "parse_map",
    "parse_moment",
    "read_table",
    "read_tickets",
    "search_words",
    "stream_table",
    "stream_tickets",
    "write_output",
    "write_text_output",
]
