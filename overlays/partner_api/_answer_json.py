"""Reading an answer's JSON into the generated models: `null` is absent, a wrong JSON type is refused by path.

Hand-written and linted here; the generated models and clients import it (generated/ holds only what the spec gives).
The generated `from_dict` methods test each field's type inline (`type(value) is int`, the fast path) and call
the `read_*` functions below only for anything else: `null` (the field's absence: its default, `UNSET`, `[]`),
a whole-number float for an integer (JSON has one number type), or a wrong type, which raises `MalformedAnswer`
naming the field's path and the expected and received JSON types, never the value (it may be personal data).
Each enclosing `from_dict` puts its own key (or list index) in front of the path on the way out.

`read_answer` is the generated clients' default `answer_reader` (the low-level endpoint functions call it); the
`partner_api` clients put their own in its place, which turns a `MalformedAnswer` into a `ServerError`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any, Protocol, TypeVar

import httpx

__all__ = ["REQUIRED", "MalformedAnswer", "json_type", "read_answer"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""The `default` of a required field: its absence (or `null`) is a `MalformedAnswer`."""


class MalformedAnswer(ValueError):
    """An answer that does not have the shape the spec gives it.

    Attributes:
        path: keys and list indices from the answer's root to the field (`["user", "create_time"]`; `[]`: the
            answer itself).
        expected: the JSON type the spec declares (`integer`, `string`, `object`, ...).
        received: the JSON type the answer has there (`string`, `null`, ...), `nothing` (absent or null), or `not JSON`.
        operation: the operationId, once known (set by the reader that parsed the answer).
    """

    def __init__(self, path: list[str | int], expected: str, received: str, operation: str = "") -> None:
        super().__init__(path, expected, received)
        self.path = path
        self.expected = expected
        self.received = received
        self.operation = operation

    @property
    def where(self) -> str:
        """The path as the user reads it: `user.create_time`, `devices[3].id`, or `the answer`."""
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
        return text or "the answer"

    def __str__(self) -> str:
        prefix = f"{self.operation}: " if self.operation else ""
        return f"{prefix}malformed answer: {self.where}: expected {self.expected}, received {self.received}"


_JSON_TYPES = {
    type(None): "null",
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def json_type(value: Any) -> str:
    """The JSON type name of a decoded JSON value (`object` for any mapping)."""
    name = _JSON_TYPES.get(type(value))
    if name is not None:
        return name
    return "object" if isinstance(value, Mapping) else type(value).__name__


def _refuse(value: Any, name: str | None, expected: str) -> MalformedAnswer:
    """The error for field `name` (None: a list item, whose index the enclosing `from_dict` adds)."""
    if name is None:
        return MalformedAnswer([], expected, json_type(value))
    return MalformedAnswer([name], expected, "nothing" if value is None else json_type(value))


def read_int(value: Any, name: str | None, default: Any) -> Any:
    """A value that is not an `int` for integer field `name`: `null` is absent, `1.0` is 1; else refused."""
    if value is None and default is not REQUIRED:
        return default
    if type(value) is float and value.is_integer():
        return int(value)
    raise _refuse(value, name, "integer")


def read_float(value: Any, name: str | None, default: Any) -> Any:
    """A value that is not a `float` for number field `name`: an integer becomes a float; `null` is absent."""
    if value is None and default is not REQUIRED:
        return default
    if type(value) is int:
        return float(value)
    raise _refuse(value, name, "number")


def read_str(value: Any, name: str | None, default: Any) -> Any:
    """A value that is not a `str` for string field `name`: `null` is absent; anything else is refused."""
    if value is None and default is not REQUIRED:
        return default
    raise _refuse(value, name, "string")


def read_bool(value: Any, name: str | None, default: Any) -> Any:
    """A value that is not `True`/`False` for boolean field `name`: `null` is absent; 0 and 1 are refused."""
    if value is None and default is not REQUIRED:
        return default
    raise _refuse(value, name, "boolean")


def read_choice(value: Any, name: str, default: Any, choices: Collection[str]) -> Any:
    """A value for enum field `name`: one of `choices`; `null` is absent; another string or type is refused."""
    if type(value) is str:
        if value in choices:
            return value
        raise MalformedAnswer([name], "one of the spec's values", "another string")
    if value is None and default is not REQUIRED:
        return default
    raise _refuse(value, name, "string")


def read_list(value: Any, name: str, required: bool) -> list[Any]:
    """A value that is not a `list` for array field `name`: `null` is absent (`[]`); anything else is refused."""
    if value is None and not required:
        return []
    raise _refuse(value, name, "array")


def read_object(value: Any, name: str, default: Any) -> Any:
    """`null` for object field `name` is absent (`UNSET`, or refused when the field is required)."""
    if default is REQUIRED:
        raise _refuse(value, name, "object")
    return default


def as_object(src: Any) -> Mapping[str, Any]:
    """The source of a `from_dict` that is not a `dict`: any mapping is read as one; anything else is refused."""
    if isinstance(src, Mapping):
        return src
    raise MalformedAnswer([], "object", json_type(src))


class _Model(Protocol[T_co]):
    def from_dict(self, src_dict: Mapping[str, Any], /) -> T_co: ...


def decode(response: httpx.Response) -> Any:
    """The answer's JSON; a body that is not JSON is a `MalformedAnswer` at the answer's root."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        raise MalformedAnswer([], "object", "not JSON") from None


def read_answer(operation: str, model: _Model[T], response: httpx.Response) -> T:
    """Decode and parse an answer of `operation` (the generated clients' default `answer_reader`)."""
    try:
        return model.from_dict(decode(response))
    except MalformedAnswer as error:
        error.operation = operation
        raise
