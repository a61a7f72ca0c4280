"""Bulk input: CSV (a header of field names) or JSONL (one object per line), from a file or standard input, and
the rows' identities.

- The whole input is read once before anything is sent: text that is not UTF-8 (a UTF-8 BOM, as Excel writes
  "CSV UTF-8", is fine), an unknown column, or a missing required column stops the job there, naming the line
  or the column (exit 2).
- CSV columns are the request's field names; a nested object is one JSON column (`extra`) or one column per
  field (`extra.country`, as `export` writes them). Columns starting with `_` (such as `_error` in a failed file)
  are ignored. An empty cell means "not given".
- Rows are numbered by the line they start on, as an editor numbers lines (the CSV header is line 1).
- A row's key is a hash of its values plus its occurrence number among identical rows, so the journal recognises
  a row in a re-run of the same input and in the `--failed` file re-run as input.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from .._profiles import did_you_mean
from ._exit import UsageProblem
from ._spec import FieldSpec, OperationSpec, nested_fields
from ._values import from_json, from_text

if TYPE_CHECKING:
    import _csv

__all__ = ["STDIN", "Row", "RowReader", "input_format"]

STDIN = Path("-")
"""`--input -`: the rows come from standard input."""


class Row(NamedTuple):
    """One input row: its line number, its key, the values as read, and the call's arguments (or why not)."""

    number: int
    key: str
    data: dict[str, Any]
    arguments: dict[str, Any] | None
    problem: str | None
    cells: list[str] | None = None
    """CSV: the row's cells as read (a malformed row is written back as it was)."""


def input_format(path: Path, given: str | None, data: bytes | None = None) -> str:
    """`csv` or `jsonl`: from `--format`, the file name, or (standard input) the first character."""
    if given:
        return given
    if path == STDIN:
        return "jsonl" if (data or b"").lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UsageProblem(f"--input {path}: cannot tell the format from the name; add --format csv or jsonl")


def _csv_reader(stream: IO[str]) -> _csv.Reader:
    """Rows of CSV text; strict: a quote that is not closed where CSV says raises `csv.Error` instead of taking the
    lines after it into one cell (the rows there were never sent, and nothing said so)."""
    return csv.reader(stream, strict=True)


class _Column(NamedTuple):
    """A CSV column: the top field it belongs to, and the path below it (`extra.country`: `extra`, ("country",))."""

    field: FieldSpec
    path: tuple[FieldSpec, ...]


class RowReader:
    """Reads and checks the rows of one input (a file, or `STDIN` with its bytes) for one operation."""

    def __init__(self, spec: OperationSpec, path: Path, format: str, data: bytes | None = None) -> None:
        self.spec = spec
        self.path = path
        self.name = "standard input" if path == STDIN else str(path)
        self.format = format
        self._data = data
        self.columns: list[str] = []
        self._fields: dict[str, FieldSpec] = {field.wire_name: field for field in spec.fields}
        self._csv_columns: dict[str, _Column] = {}
        self.total = self._scan()

    def _open(self) -> IO[str]:
        if self._data is not None:
            return io.TextIOWrapper(io.BytesIO(self._data), encoding="utf-8-sig", newline="")
        try:
            return open(self.path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise UsageProblem(f"--input {self.name}: cannot read it ({exc.strerror})") from None

    def _scan(self) -> int:
        """Read the whole input once: UTF-8, the CSV header; returns the number of rows (for the progress bar)."""
        try:
            with self._open() as stream:
                if self.format != "csv":
                    return sum(1 for line in stream if line.strip())
                reader = _csv_reader(stream)
                header = next(reader, None)
                if not header:
                    raise UsageProblem(f"--input {self.name}: no header line (the columns are the fields' names)")
                self._check_columns(header)
                try:
                    return sum(1 for cells in reader if cells)
                except csv.Error as exc:
                    raise UsageProblem(f"--input {self.name}: line {reader.line_num}: not valid CSV ({exc})") from None
        except UnicodeDecodeError:
            raise UsageProblem(self._not_utf8()) from None

    def _not_utf8(self) -> str:
        data = self._data if self._data is not None else self.path.read_bytes()
        for number, line in enumerate(data.split(b"\n"), 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return (
                    f"--input {self.name}: line {number} is not UTF-8 text (byte 0x{line[exc.start]:02x} at column "
                    f"{exc.start + 1}); save the file as UTF-8 (Excel: CSV UTF-8); nothing was sent"
                )
        return f"--input {self.name}: not UTF-8 text; save the file as UTF-8; nothing was sent"

    def _column(self, name: str) -> _Column | None:
        top, *rest = name.split(".")
        field = self._fields.get(top)
        if field is None:
            return None
        path: list[FieldSpec] = []
        current = field
        for part in rest:
            if current.kind != "model" or current.model is None:
                return None
            nested = {item.wire_name: item for item in nested_fields(current.model)}.get(part)
            if nested is None:
                return None
            path.append(nested)
            current = nested
        return _Column(field, tuple(path))

    def _known_columns(self) -> list[str]:
        names: list[str] = []
        for field in self.spec.fields:
            names.append(field.wire_name)
            if field.kind == "model" and field.model is not None:
                names += [f"{field.wire_name}.{nested.wire_name}" for nested in nested_fields(field.model)]
        return names

    def _check_columns(self, header: list[str]) -> None:
        self.columns = header
        problem = f"--input {self.name}"
        for name, times in Counter(header).items():
            if times > 1 and not name.startswith("_"):
                raise UsageProblem(f"{problem}: the column {name} appears {times} times")
        unknown = [name for name in header if not name.startswith("_") and self._column(name) is None]
        if unknown:
            known = self._known_columns()
            hints = "".join(did_you_mean(name, known) for name in unknown[:1])
            raise UsageProblem(
                f"{problem}: unknown column(s) {', '.join(unknown)} for {self.spec.command}{hints}; the columns are "
                f"{', '.join(known) or 'none'} (start a column's name with _ to have it ignored)"
            )
        self._csv_columns = {name: column for name in header if not name.startswith("_")
                             for column in (self._column(name),) if column is not None}  # fmt: skip
        given = {column.field.wire_name for column in self._csv_columns.values()}
        for name, column in self._csv_columns.items():
            if not column.path and any(other.startswith(f"{name}.") for other in self._csv_columns):
                raise UsageProblem(f"{problem}: give {name} either as one JSON column or as {name}.* columns")
        missing = [field.wire_name for field in self.spec.fields if field.required and field.wire_name not in given]
        if missing:
            raise UsageProblem(f"{problem}: no column {', '.join(missing)}, which {self.spec.command} requires")
        group = self.spec.one_of_required
        if group and not given.intersection(group):
            raise UsageProblem(f"{problem}: {self.spec.command} needs a column {' or '.join(group)}")

    def __iter__(self) -> Iterator[Row]:
        seen: Counter[str] = Counter()
        for number, data, problem, cells in self._raw():
            arguments: dict[str, Any] | None = None
            if problem is None:
                try:
                    arguments = self._arguments(data)
                except ValueError as exc:
                    problem = str(exc)
            identity = json.dumps(arguments if arguments is not None else {"raw": data}, sort_keys=True, default=str)
            digest = hashlib.sha256(f"{self.spec.name}\n{identity}".encode()).hexdigest()[:32]
            seen[digest] += 1
            yield Row(number, f"{digest}-{seen[digest]}", data, arguments, problem, cells)

    def _raw(self) -> Iterator[tuple[int, dict[str, Any], str | None, list[str] | None]]:
        with self._open() as stream:
            if self.format == "csv":
                reader = _csv_reader(stream)
                header = next(reader, [])
                start = reader.line_num + 1
                for cells in reader:
                    number, start = start, reader.line_num + 1
                    if not cells:
                        continue
                    problem = None
                    if len(cells) != len(header):
                        problem = f"{len(cells)} cells for {len(header)} columns"
                    data = {key: value for key, value in zip(header, cells, strict=False) if not key.startswith("_")}
                    yield number, data, problem, cells
                return
            for number, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, {"_line": line.rstrip("\r\n")}, f"not valid JSON: {exc.msg}", None
                    continue
                if not isinstance(record, dict):
                    yield number, {"_line": line.rstrip("\r\n")}, "not a JSON object", None
                    continue
                data = {key: value for key, value in record.items() if not str(key).startswith("_")}
                unknown = [key for key in data if key not in self._fields]
                problem = None
                if unknown:
                    hint = did_you_mean(unknown[0], list(self._fields))
                    problem = f"unknown field(s) {', '.join(unknown)}{hint} (fields: {', '.join(self._fields)})"
                yield number, data, problem, None

    def _arguments(self, data: dict[str, Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        for name, value in data.items():
            if self.format == "csv":
                if value == "":
                    continue
                column = self._csv_columns[name]
                target = column.path[-1] if column.path else column.field
                try:
                    converted = from_text(target, value)
                except ValueError as exc:
                    raise ValueError(f"{name}: {exc}") from None
                if not column.path:
                    arguments[column.field.python_name] = converted
                    continue
                node = arguments.setdefault(column.field.python_name, {})
                for step in column.path[:-1]:
                    node = node.setdefault(step.wire_name, {})
                node[column.path[-1].wire_name] = converted
            elif value is not None:
                try:
                    arguments[self._fields[name].python_name] = from_json(self._fields[name], value)
                except ValueError as exc:
                    raise ValueError(f"{name}: {exc}") from None
        required = (field for field in self.spec.fields if field.required)
        missing = [field.wire_name for field in required if field.python_name not in arguments]
        if missing:
            raise ValueError(f"{', '.join(missing)}: required, not given (a missing column/key or an empty cell)")
        return arguments
