"""One cell of CSV or table output: the value at a column path, written as text; tables also show dates and sizes.

CSV (`export`, `-o csv`) keeps the raw values (epoch seconds, bytes), so that a file reads back exactly; a table
is for eyes: `x-unit: unix-seconds` as a UTC date, `x-unit: bytes` as KiB/MiB/GiB, numbers right-aligned.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

__all__ = ["flatten", "human", "text", "value_at"]

_SIZES = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def value_at(item: Any, column: str) -> Any:
    """The value at a column path (`extra.country`); "" where the item leaves it out."""
    for key in column.split("."):
        if not isinstance(item, Mapping) or key not in item:
            return ""
        item = item[key]
    return item


def flatten(item: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"extra": {"country": "DE"}}` -> `{"extra.country": "DE"}`."""
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def text(value: Any) -> str:
    """A value as a CSV cell or table cell: booleans `true`/`false`, objects and lists as compact JSON, no value
    as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False) if value else ""
    return str(value)


def human(value: Any, unit: str | None) -> str:
    """A table cell: a date for `unix-seconds` (0, the API's "not set", is empty), a size for `bytes`."""
    if unit == "unix-seconds" and isinstance(value, int) and not isinstance(value, bool):
        if value == 0:
            return ""
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        except (OverflowError, OSError, ValueError):
            return str(value)
    if unit == "bytes" and isinstance(value, int) and not isinstance(value, bool):
        size, index = float(value), 0
        while abs(size) >= 1024 and index < len(_SIZES) - 1:
            size, index = size / 1024, index + 1
        return f"{value} B" if index == 0 else f"{size:.1f} {_SIZES[index]}"
    return text(value)
