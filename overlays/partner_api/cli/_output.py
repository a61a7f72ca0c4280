"""What a command prints: the payload as JSON (pretty on a terminal, compact when piped), the envelope with
`--raw`, or a `rich` table with `--output table`."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

__all__ = ["emit", "flatten", "payload"]

_ENVELOPE = ("result", "error")


def payload(envelope: Mapping[str, Any]) -> Any:
    """The answer without its envelope: the one payload field's value (`user`), or the remaining fields."""
    rest = {key: value for key, value in envelope.items() if key not in _ENVELOPE}
    if len(rest) == 1:
        return next(iter(rest.values()))
    return rest


def flatten(item: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"extra": {"country": "DE"}}` -> `{"extra.country": "DE"}` (for tables and CSV)."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def emit(value: Any, output: str, stream: TextIO | None = None) -> None:
    """Print `value` as `json` or `table` on `stream` (stdout)."""
    stream = stream if stream is not None else sys.stdout
    if output == "table":
        _table(value, stream)
        return
    if stream.isatty():
        text = json.dumps(value, indent=2, ensure_ascii=False)
    else:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    stream.write(text + "\n")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False) if value else ""
    return str(value)


def _table(value: Any, stream: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    caption = None
    if isinstance(value, Mapping):
        lists = [key for key, item in value.items() if isinstance(item, list)]
        if len(lists) == 1:  # a page: the list as rows, the rest (next_cursor) as the caption
            caption = ", ".join(f"{key}: {_cell(item)}" for key, item in value.items() if key != lists[0]) or None
            value = value[lists[0]]
    table = Table(caption=caption)
    if isinstance(value, list):
        rows = [flatten(item) if isinstance(item, Mapping) else {"value": item} for item in value]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*(_cell(row.get(column, "")) for column in columns))
    elif isinstance(value, Mapping):
        table.add_column("field")
        table.add_column("value")
        for key, item in flatten(value).items():
            table.add_row(key, _cell(item))
    else:
        table.add_column("value")
        table.add_row(_cell(value))
    Console(file=stream, soft_wrap=False).print(table)
