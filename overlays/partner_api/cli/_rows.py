"""Bulk input: CSV (a header of field wire names) or JSONL (one object per line), and the rows' identities.

A row's key is a hash of its field values plus its occurrence number among identical rows, so the journal
recognises a row in a re-run of the same input and in the `--failed` file re-run as input. Columns or keys
starting with `_` (such as `_error` in a failed file) are ignored. An empty CSV cell means "not given".
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ._exit import UsageProblem
from ._spec import FieldSpec, OperationSpec
from ._values import from_json, from_text

__all__ = ["Row", "RowReader", "input_format"]


class Row(NamedTuple):
    """One input row: its 1-based number, its key, the values as read, and the call's arguments (or why not)."""

    number: int
    key: str
    data: dict[str, Any]
    arguments: dict[str, Any] | None
    problem: str | None
    cells: list[str] | None = None
    """CSV: the row's cells as read (a malformed row is written back as it was)."""


def input_format(path: Path, given: str | None) -> str:
    """`csv` or `jsonl`, from `--format` or the file name."""
    if given:
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise UsageProblem(f"--input {path}: cannot tell the format from the name; add --format csv or jsonl")


class RowReader:
    """Reads and checks the rows of one input file for one operation."""

    def __init__(self, spec: OperationSpec, path: Path, format: str) -> None:
        self.spec = spec
        self.path = path
        self.format = format
        self.columns: list[str] = []
        self._fields: dict[str, FieldSpec] = {field.wire_name: field for field in spec.fields}
        if format == "csv":
            self._check_columns(self._csv_header())

    def _csv_header(self) -> list[str]:
        try:
            with open(self.path, newline="", encoding="utf-8") as stream:
                header = next(csv.reader(stream), None)
        except OSError as exc:
            raise UsageProblem(f"--input {self.path}: {exc.strerror}") from None
        if not header:
            raise UsageProblem(f"--input {self.path}: no header line (the columns are the fields' names)")
        self.columns = header
        return header

    def _check_columns(self, names: list[str]) -> None:
        unknown = [name for name in names if not name.startswith("_") and name not in self._fields]
        if unknown:
            known = ", ".join(self._fields) or "none"
            raise UsageProblem(
                f"--input {self.path}: unknown column(s) {', '.join(unknown)} for {self.spec.command} (fields: {known})"
            )

    def count(self) -> int:
        """How many rows the file holds (for the progress bar)."""
        with open(self.path, newline="", encoding="utf-8") as stream:
            if self.format == "csv":
                return max(sum(1 for cells in csv.reader(stream) if cells) - 1, 0)
            return sum(1 for line in stream if line.strip())

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
        with open(self.path, newline="", encoding="utf-8") as stream:
            if self.format == "csv":
                reader = csv.reader(stream)
                header = next(reader, [])
                for number, cells in enumerate(reader, 1):
                    if not cells:
                        continue
                    problem = None
                    if len(cells) != len(header):
                        problem = f"{len(cells)} cells for {len(header)} columns"
                    data = {key: value for key, value in zip(header, cells, strict=False) if not key.startswith("_")}
                    yield number, data, problem, cells
                return
            number = 0
            for line in stream:
                if not line.strip():
                    continue
                number += 1
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, {"_line": line.rstrip("\n")}, f"not valid JSON: {exc.msg}", None
                    continue
                if not isinstance(record, dict):
                    yield number, {"_line": line.rstrip("\n")}, "not a JSON object", None
                    continue
                data = {key: value for key, value in record.items() if not str(key).startswith("_")}
                unknown = [key for key in data if key not in self._fields]
                yield number, data, (f"unknown field(s) {', '.join(unknown)}" if unknown else None), None

    def _arguments(self, data: dict[str, Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        for name, value in data.items():
            field = self._fields[name]
            if self.format == "csv":
                if value == "":
                    continue
                arguments[field.python_name] = from_text(field, value)
            elif value is not None:
                arguments[field.python_name] = from_json(field, value)
        required = (field for field in self.spec.fields if field.required)
        missing = [field.wire_name for field in required if field.python_name not in arguments]
        if missing:
            raise ValueError(f"{', '.join(missing)}: required, not given (a missing column/key or an empty cell)")
        return arguments
