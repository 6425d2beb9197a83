"""Reading the CSV files people export from spreadsheets and other systems.

Spreadsheets set to Spanish, Danish or Swedish save CSV with semicolons, with or
without a UTF-8 byte-order mark, and sometimes in the Windows code page; dates come as
``2026-03-01``, ``01/03/2026``, ``01-03-2026`` or ``01.03.2026`` (day first). Every
importer in corehub and its plugins reads files through here, so they all accept the
same inputs and report problems the same way: file, row (as the spreadsheet numbers
it, header = row 1) and column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from corehub.errors import ValidationError

_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


@attrs.frozen
class Row:
    """One data row: its spreadsheet row number and its cells by (normalised) column name."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@attrs.frozen
class Table:
    path: Path
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[str, ...] = ()
    """Rows with missing or extra cells, each naming its row. An importer reports them
    together with every other problem it finds (the rows are still read: their cells are
    checked too), and imports nothing while there are any."""

    def where(self, row: Row, column: str | None = None) -> str:
        """``people.csv, row 4, column level`` for problem messages."""
        place = f"{self.path.name}, row {row.number}"
        return f"{place}, column {column}" if column else place

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM), else the Windows Western code page spreadsheets use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name}: cannot read the file's text encoding; save it as 'CSV UTF-8'"
        ) from None


def read_table(
    path: Path | str,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    aliases: dict[str, str] | None = None,
    allow_unknown: bool = False,
    map_option: str | None = None,
) -> Table:
    """Read a CSV file; check its columns. Header names are matched case-insensitively.

    ``aliases`` maps other header names (after normalising) to ours, e.g.
    ``{"agent_email": "agent"}``. Unknown columns are an error unless ``allow_unknown``:
    a misspelt ``manger_id`` must not silently drop every manager. ``map_option`` names the
    command's option that maps a column of the user's to one of ours (``--map``): a missing
    column's message suggests it.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValidationError(f"{path}: is a folder, not a CSV file") from None
    text = decode(raw, path)
    if "\x00" in text:
        lines = sorted({n for n, line in enumerate(text.splitlines(), start=1) if "\x00" in line})
        shown = ", ".join(str(n) for n in lines[:10]) + (", ..." if len(lines) > 10 else "")
        raise ValidationError(
            f"{path.name}: the file holds NUL bytes (on line(s) {shown}); it is not a text CSV "
            "file: save it again as 'CSV UTF-8'"
        )
    if not text.strip():
        raise ValidationError(f"{path.name}: the file is empty")
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        records = list(reader)
    except csv.Error as exc:
        raise ValidationError(f"{path.name}: not a readable CSV file: {exc}") from None
    columns = _columns(path, header, required, optional, aliases, allow_unknown, map_option)
    rows = []
    row_problems: list[str] = []
    for offset, record in enumerate(records, start=2):
        row = _row(path, offset, record, columns, row_problems)
        if row is not None:
            rows.append(row)
    return Table(path=path, columns=tuple(columns), rows=tuple(rows), problems=tuple(row_problems))


_CHUNK = 1 << 20


def text_encoding(path: Path) -> str:
    """The encoding :func:`decode` would read the file with (``utf-8-sig`` or ``cp1252``),
    found by reading it in chunks, so a file of any size is never held whole. Raises
    ValidationError for a text neither reads, and for a file with NUL bytes (naming their
    lines) or nothing but blanks."""
    candidates = ["utf-8-sig", "cp1252"]
    decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
    nul = False
    blank = True
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = nul or b"\x00" in chunk
            blank = blank and not chunk.strip()
            for name in list(candidates):
                try:
                    decoders[name].decode(chunk)
                except UnicodeDecodeError:
                    candidates.remove(name)
    for name in list(candidates):
        try:
            decoders[name].decode(b"", final=True)
        except UnicodeDecodeError:
            candidates.remove(name)
    if not candidates:
        raise ValidationError(
            f"{path.name}: cannot read the file's text encoding; save it as 'CSV UTF-8'"
        )
    encoding = candidates[0]
    if nul:
        with path.open(encoding=encoding, newline="") as handle:
            lines = [n for n, line in enumerate(handle, start=1) if "\x00" in line]
        shown = ", ".join(str(n) for n in lines[:10]) + (", ..." if len(lines) > 10 else "")
        raise ValidationError(
            f"{path.name}: the file holds NUL bytes (on line(s) {shown}); it is not a text CSV "
            "file: save it again as 'CSV UTF-8'"
        )
    if blank:
        raise ValidationError(f"{path.name}: the file is empty")
    return encoding


@attrs.define
class TableStream:
    """A CSV file read row by row (:func:`stream_table`): the header is checked when it is
    opened; iterating reads the rows from the file each time, never holding them.

    ``problems`` lists the rows with missing or extra cells met by the last iteration (an
    importer reports them with its own, once it has read every row)."""

    path: Path
    columns: tuple[str, ...]
    encoding: str
    delimiter: str
    problems: list[str] = attrs.field(factory=list)

    def where(self, row: Row, column: str | None = None) -> str:
        """``people.csv, row 4, column level`` for problem messages."""
        place = f"{self.path.name}, row {row.number}"
        return f"{place}, column {column}" if column else place

    def __iter__(self) -> Iterator[Row]:
        self.problems = []
        columns = list(self.columns)
        with self.path.open(encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                next(reader, None)
                for offset, record in enumerate(reader, start=2):
                    row = _row(self.path, offset, record, columns, self.problems)
                    if row is not None:
                        yield row
            except csv.Error as exc:
                raise ValidationError(f"{self.path.name}: not a readable CSV file: {exc}") from None


def stream_table(
    path: Path | str,
    *,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    aliases: dict[str, str] | None = None,
    allow_unknown: bool = False,
    map_option: str | None = None,
) -> TableStream:
    """:func:`read_table` for files of any size: the same checks of the encoding and the
    header (and the same messages), then the rows as they are read."""
    path = Path(path)
    if not path.exists():
        raise ValidationError(f"{path}: no such file")
    if path.is_dir():
        raise ValidationError(f"{path}: is a folder, not a CSV file")
    encoding = text_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first_line = handle.readline().rstrip("\r\n")
        handle.seek(0)
        delimiter = max((";", ",", "\t"), key=first_line.count)
        try:
            header = next(csv.reader(handle, delimiter=delimiter))
        except csv.Error as exc:
            raise ValidationError(f"{path.name}: not a readable CSV file: {exc}") from None
    columns = _columns(path, header, required, optional, aliases, allow_unknown, map_option)
    return TableStream(path=path, columns=tuple(columns), encoding=encoding, delimiter=delimiter)


def _columns(
    path: Path,
    header: list[str],
    required: Iterable[str],
    optional: Iterable[str],
    aliases: dict[str, str] | None,
    allow_unknown: bool,
    map_option: str | None,
) -> list[str]:
    """Our name of each column of ``header``; a ValidationError names what is wrong."""
    aliases = {normalise_header(k): v for k, v in (aliases or {}).items()}
    columns = [aliases.get(normalise_header(h), normalise_header(h)) for h in header]
    required, optional = list(required), list(optional)
    problems = []
    missing = [c for c in required if c not in columns]
    if missing:
        written = [h.strip() for h in header]
        ours = set(required) | set(optional)
        found = ", ".join(
            f"{h!r} (read as {c})" if c in ours and h != c else repr(h)
            for h, c in zip(written, columns, strict=True)
            if h
        )
        problem = f"missing column(s): {', '.join(missing)} (the file has: {found or 'none'})"
        if map_option:
            spare = [h for h, c in zip(written, columns, strict=True) if h and c not in ours]
            theirs = spare[0] if len(spare) == 1 and len(missing) == 1 else "YOUR COLUMN"
            problem += (
                f"; if one of your columns holds it, name it with "
                f'{map_option} "{theirs}={missing[0]}"'
            )
        problems.append(problem)
    known = set(required) | set(optional)
    if not allow_unknown:
        unknown = [c for c in columns if c and c not in known]
        if unknown:
            problems.append(
                f"unknown column(s): {', '.join(unknown)} (expected: {', '.join([*required, *optional])})"
            )
    duplicated = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicated:
        problems.append(f"column(s) given twice: {', '.join(duplicated)}")
    if problems:
        raise ValidationError(f"{path.name}: wrong header (row 1):", problems)
    return columns


def _row(
    path: Path, offset: int, record: list[str], columns: list[str], problems: list[str]
) -> Row | None:
    """The row ``offset`` (None for a blank line); a wrong number of cells goes to ``problems``."""
    if not any(cell.strip() for cell in record):
        return None  # blank lines spreadsheets leave at the end
    width = len(columns)
    cells = {column: cell for column, cell in zip(columns, record, strict=False) if column}
    if len(record) > width:
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            problems.append(
                f"{path.name}, row {offset}: {len(record)} cells but the header has {width} "
                f"columns (extra: {', '.join(repr(c) for c in extra[:3])})"
            )
    elif len(record) < width:
        problems.append(
            f"{path.name}, row {offset}: {len(record)} cells but the header has {width} "
            f"columns (missing: {', '.join(columns[len(record) :])})"
        )
    return Row(number=offset, cells=cells)


def parse_date(text: str) -> dt.date:
    """``2026-03-01`` or day-first ``01/03/2026``, ``1-3-2026``, ``01.03.2026``."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
