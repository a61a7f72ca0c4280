"""What a command prints on stdout: the answer's payload as JSON (pretty on a terminal, compact when piped), JSON
Lines, CSV, or a `rich` table; the whole answer with `--raw`.

One rule for every command: the payload is the answer without its envelope: the object (`get-user`: the user), or
the list (`list-users`: the page's users; `list-licenses`: the licenses). An answer without a payload
(`delete-user`) prints nothing. Lists are written item by item, so `--all` streams JSON Lines and CSV.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from . import _cells
from ._spec import AnswerField, OperationSpec, answer_fields

__all__ = ["FORMATS", "ItemWriter", "emit", "payload"]

FORMATS = ("json", "jsonl", "csv", "table")
_ENVELOPE = ("result", "error")
_NUMBERS = ("int", "float")


def payload(envelope: Mapping[str, Any], spec: OperationSpec) -> Any:
    """The answer's payload (see the module docstring); None for an answer that has none."""
    if spec.payload is not None:
        return envelope.get(spec.payload)
    rest = {key: value for key, value in envelope.items() if key not in _ENVELOPE}
    return rest or None


def _dumps(value: Any, pretty: bool) -> str:
    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class ItemWriter:
    """Writes the items of a list in one of `FORMATS`; JSON and tables are written on `close()`."""

    def __init__(self, output: str, model: str | None, stream: TextIO | None = None) -> None:
        self.output = output
        self.stream = stream if stream is not None else sys.stdout
        self.fields: tuple[AnswerField, ...] = answer_fields(model) if model is not None else ()
        self.items: list[Any] = []
        self.count = 0
        self._csv: Any = None

    def write(self, item: Any) -> None:
        self.count += 1
        if self.output == "jsonl":
            self.stream.write(_dumps(item, pretty=False) + "\n")
        elif self.output == "csv":
            if self._csv is None:
                columns = [field.path for field in self.fields] or list(_flat(item))
                self._csv = csv.DictWriter(self.stream, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
                self._csv.writeheader()
            self._csv.writerow({column: _cells.text(_cells.value_at(item, column)) for column in self._csv.fieldnames})
        else:
            self.items.append(item)

    def close(self) -> None:
        if self.output == "json":
            self.stream.write(_dumps(self.items, pretty=self.stream.isatty()) + "\n")
        elif self.output == "table":
            _print_table(_list_table(self.items, self.fields), self.stream)
        elif self.output == "csv" and self._csv is None and self.fields:  # no items: the header alone
            csv.writer(self.stream, lineterminator="\n").writerow([field.path for field in self.fields])
        self.stream.flush()


def _flat(item: Any) -> dict[str, Any]:
    return _cells.flatten(item) if isinstance(item, Mapping) else {"value": item}


def emit(value: Any, output: str, spec: OperationSpec | None = None, stream: TextIO | None = None) -> None:
    """Print a payload as `output` (nothing for None); `spec` tells the payload's model (columns, units)."""
    stream = stream if stream is not None else sys.stdout
    if value is None:
        return
    if isinstance(value, list):
        writer = ItemWriter(output, spec.payload_model if spec is not None and spec.payload_is_list else None, stream)
        for item in value:
            writer.write(item)
        writer.close()
        return
    model = None if spec is None or spec.payload_is_list else spec.payload_model
    if output == "table":
        _print_table(_object_table(value, answer_fields(model) if model else ()), stream)
    elif output == "csv":
        writer = ItemWriter("csv", model, stream)
        writer.write(value)
        writer.close()
    else:
        stream.write(_dumps(value, pretty=output == "json" and stream.isatty()) + "\n")


def _header(field: AnswerField | None, name: str) -> str:
    return f"{name} (UTC)" if field is not None and field.unit == "unix-seconds" else name


def _list_table(items: list[Any], fields: tuple[AnswerField, ...]) -> Any:
    from rich.table import Table

    rows = [_flat(item) for item in items]
    known = {field.path: field for field in fields}
    columns = list(dict.fromkeys([*known, *(key for row in rows for key in row)]))
    # A column no row has a value in (the `country` of a report grouped by day) says nothing: left out.
    columns = [column for column in columns if any(row.get(column) not in (None, "", {}, []) for row in rows)]
    table = Table()
    for column in columns:
        field = known.get(column)
        numeric = field is not None and field.kind in _NUMBERS
        table.add_column(_header(field, column), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cells.human(row.get(column, ""), _unit(known.get(column))) for column in columns))
    return table


def _object_table(value: Any, fields: tuple[AnswerField, ...]) -> Any:
    from rich.table import Table

    known = {field.path: field for field in fields}
    table = Table()
    table.add_column("field", overflow="fold")
    table.add_column("value", overflow="fold")
    for key, item in _flat(value).items():
        field = known.get(key)
        table.add_row(_header(field, key), _cells.human(item, _unit(field)))
    return table


def _unit(field: AnswerField | None) -> str | None:
    return field.unit if field is not None else None


def _print_table(table: Any, stream: TextIO) -> None:
    """On a terminal: as wide as the terminal, long cells folded onto more lines (nothing cut). Piped or
    redirected: as wide as the table needs, never cut to a width nobody looks at."""
    from rich.console import Console

    if stream.isatty():
        Console(file=stream).print(table)
        return
    wide = Console(file=stream, width=1_000_000, color_system=None)
    width = wide.measure(table).maximum
    Console(file=stream, width=max(width, 20), color_system=None, soft_wrap=False).print(table)
