"""Turning text (an option value, a CSV cell) or a JSON value (a JSONL key, `--extra '{...}'`) into the value a
field takes, with messages in the operator's words ("not a whole number", "a list, not a JSON object").

The types and ranges of the spec are checked here, so that a bad option or cell is named as such; lengths,
patterns and the default-value rule are checked by the client itself before anything is sent, from the same spec.
A field with `x-unit: unix-seconds` also takes a date or time (see `parse_time`). Errors are `ValueError`s without
the field's name: the caller adds the option (click) or the column.
"""

from __future__ import annotations

import json
import math
import re
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .._profiles import did_you_mean
from ._spec import FieldSpec, nested_fields

__all__ = ["TIME_FORMATS", "check_json", "from_json", "from_text", "parse_time", "range_text", "read_json_argument"]

_TRUE = frozenset({"true", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "no", "n", "off"})
_JSON_KINDS = frozenset({"model", "object", "list", "any"})
_SAFE_INTEGER = 2**53 - 1  # the spec's maximum for ids and counters: not worth showing in help
_RELATIVE = re.compile(r"^-(\d+)\s*([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
TIME_FORMATS = "a date (2026-11-01), a date and time (2026-11-01T08:30, UTC unless it says +02:00), " \
    "a time ago (-7d, -12h, -30m), now, or unix seconds"  # fmt: skip


def read_json_argument(text: str) -> Any:
    """JSON text, or `@path` for a file holding it (`@-`: standard input)."""
    if text.startswith("@"):
        import sys

        name = text[1:]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read {name}: {(exc.strerror or 'not readable').lower()}") from None
        except UnicodeDecodeError:
            raise ValueError(f"cannot read {name}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None


def parse_time(text: str, now: float | None = None) -> int:
    """Unix seconds from `TIME_FORMATS`; raises `ValueError` listing them."""
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    current = time.time() if now is None else now
    if text.lower() == "now":
        return int(current)
    relative = _RELATIVE.match(text.lower())
    if relative:
        return int(current) - int(relative.group(1)) * _UNIT_SECONDS[relative.group(2)]
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise ValueError(f"{text!r} is not a time: give {TIME_FORMATS}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def range_text(field: FieldSpec) -> str:
    """The field's range in words for help text ("1 or more", "at most 1000"), or "". An optional field's 0 is
    the API's "absent", not a value: not shown as a bound."""
    low = None if field.minimum == 0 and not field.required else field.minimum
    high = field.maximum if field.maximum is not None and field.maximum < _SAFE_INTEGER else None
    if low is not None and high is not None:
        return f"{low:g} to {high:g}"
    if low is not None:
        return f"{low:g} or more"
    if high is not None:
        return f"at most {high:g}"
    return ""


def _check_range(field: FieldSpec, value: float) -> None:
    if field.minimum is not None and value < field.minimum:
        raise ValueError(f"{value:g} is below the minimum {field.minimum:g}")
    if field.maximum is not None and value > field.maximum:
        raise ValueError(f"{value:g} is above the maximum {field.maximum:g}")


def from_text(field: FieldSpec, text: str) -> Any:
    """The value of `field` written as text; raises `ValueError` saying what was expected."""
    kind = field.kind
    if kind == "int":
        if field.unit == "unix-seconds":
            value = parse_time(text)
        else:
            try:
                value = int(text.strip())
            except ValueError:
                raise ValueError(f"{text!r} is not a whole number") from None
        _check_range(field, value)
        return value
    if kind == "float":
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{text!r} is not a finite number")
        _check_range(field, number)
        return number
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{text!r} is not true or false")
    if kind == "enum":
        if text not in field.choices:
            raise ValueError(f"{text!r} is not one of {', '.join(field.choices)}{did_you_mean(text, field.choices)}")
        return text
    if kind in _JSON_KINDS:
        return check_json(field, read_json_argument(text))
    return text


def from_json(field: FieldSpec, value: Any) -> Any:
    """The value of `field` from a JSON document (JSONL input): typed JSON as is, numbers, booleans and times
    also as text."""
    if isinstance(value, str) and field.kind in ("int", "float", "bool"):
        return from_text(field, value)
    return check_json(field, value)


_JSON_NAMES = {
    bool: "true or false",
    int: "a number",
    float: "a number",
    str: "text",
    list: "a list",
    dict: "an object",
}


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return f"{_JSON_NAMES[type(value)]}"
    return json.dumps(value, ensure_ascii=False)


def check_json(field: FieldSpec, value: Any, path: str = "") -> Any:
    """`value` if it has the JSON type `field` takes (nested objects field by field); else `ValueError` naming
    the nested path (`country: true is not text`)."""
    where = f"{path}: " if path else ""
    kind = field.kind
    wrong = None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
            wrong = "a whole number"
        else:
            _check_range(field, value)
            value = int(value)
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            wrong = "a number"
        else:
            _check_range(field, value)
    elif kind in ("str", "enum"):
        if not isinstance(value, str):
            wrong = "text"
        elif kind == "enum" and value not in field.choices and value != "":
            raise ValueError(f"{where}{_shown(value)} is not one of {', '.join(field.choices)}")
    elif kind == "bool":
        if not isinstance(value, bool):
            wrong = "true or false"
    elif kind == "list":
        if not isinstance(value, list):
            wrong = "a JSON list ([...])"
    elif kind == "object":
        if not isinstance(value, dict):
            wrong = "a JSON object ({...})"
    elif kind == "model" and field.model is not None:
        if not isinstance(value, dict):
            wrong = "a JSON object ({...})"
        else:
            fields = {nested.wire_name: nested for nested in nested_fields(field.model)}
            for key, item in value.items():
                if key not in fields:
                    hint = did_you_mean(key, fields)
                    raise ValueError(f"{where}unknown field {key}{hint} (fields: {', '.join(fields)})")
                if item is not None:
                    check_json(fields[key], item, f"{path}.{key}" if path else key)
    if wrong is not None:
        raise ValueError(f"{where}{_shown(value)} is not {wrong}")
    return value
