"""Turning text (an option value, a CSV cell) or a JSON value (a JSONL key) into the type a field takes.

Only the conversion happens here; ranges, lengths, patterns and the default-value rule are checked by the
client itself before anything is sent, from the same spec.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._spec import FieldSpec

__all__ = ["from_json", "from_text", "read_json_argument"]

_TRUE = frozenset({"true", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "no", "n", "off"})
_JSON_KINDS = frozenset({"model", "object", "list", "any"})


def read_json_argument(text: str) -> Any:
    """JSON text, or `@path` for a file holding it (`@-`: standard input)."""
    if text.startswith("@"):
        import sys

        name = text[1:]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read {name}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def from_text(field: FieldSpec, text: str) -> Any:
    """The value of `field` written as text; raises `ValueError` naming what was expected."""
    kind = field.kind
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{field.wire_name}: {text!r} is not an integer") from None
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{field.wire_name}: {text!r} is not a number") from None
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{field.wire_name}: {text!r} is not a boolean (true/false)")
    if kind in _JSON_KINDS:
        try:
            return read_json_argument(text)
        except ValueError as exc:
            raise ValueError(f"{field.wire_name}: {exc}") from None
    return text


def from_json(field: FieldSpec, value: Any) -> Any:
    """The value of `field` from a JSON document (JSONL input): typed JSON as is, numbers and booleans also as text."""
    if isinstance(value, str) and field.kind in ("int", "float", "bool"):
        return from_text(field, value)
    return value
