"""What the generated spec facts are made of, and the two rules that read a field's value by them.

`make generate` writes the spec's facts as data only (`partner_api_client.spec_facts`: `OPERATIONS`,
`REQUEST_RULES`, ... built from the types here; `partner_api_client.request_encoders`: one straight-line
`RequestEncoder` per request model). The client, the sandbox and the command line read those tables with these
types, and with `is_default_value` (the API's default-value rule) and `ecma_pattern` (a spec `pattern` as
Python's `re` reads it).

Standard library only, and the generated modules import it (not the other way round): `partner_api`'s package
`__init__` imports nothing that reads the generated facts, so importing either side first ends without a cycle
(tests/unit/test_spec_types.py checks every order in a fresh interpreter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple

__all__ = [
    "REQUEST_DEFAULT_KINDS",
    "FieldKind",
    "FieldRule",
    "ModelRules",
    "Operation",
    "Pagination",
    "RequestEncoder",
    "ecma_pattern",
    "is_default_value",
]

FieldKind = Literal["int", "float", "str", "bool", "enum", "model", "object", "list", "any"]
"""How a field is read: a scalar, an `enum` of strings, a nested `model`, an opaque `object` (forwarded as
given), a `list`, or `any` (a type the spec leaves open)."""


class FieldRule(NamedTuple):
    """One field of a request or answer model and the constraints the spec gives it."""

    python_name: str
    """Argument / attribute name: the wire name, with `_` appended only to a Python keyword."""
    json_name: str
    """The field's name on the wire."""
    kind: FieldKind
    required: bool
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()
    """The enum's values, without "" (which the default-value rule reads as absent)."""
    model: str | None = None
    """Class name of a nested object (kinds `model` and `object`)."""
    item_model: str | None = None
    """Class name of a list's items when they are objects with properties (kind `list`)."""
    json_type: str = "any"
    """The JSON Schema type: `integer`, `number`, `string`, `boolean`, `object`, `array`."""
    description: str = ""


class ModelRules(NamedTuple):
    """The fields of one request or answer model, with their constraints."""

    fields: tuple[FieldRule, ...]
    one_of_required: tuple[str, ...] = ()
    """At least one of these (wire names) must carry a non-default value."""
    description: str = ""


class Pagination(NamedTuple):
    """How a paged list is followed (`x-pagination`): wire names, then the generated names."""

    cursor: str
    """Request field that asks for the next page."""
    next_cursor: str
    """Answer field naming the next page; absent or "" on the last page."""
    items: str
    """Answer field holding the page's items."""
    cursor_python: str
    next_cursor_python: str
    items_python: str
    item_model: str
    """Class name of one item."""


class Operation(NamedTuple):
    """What a client, the sandbox or a command line needs to know about one v2 operation."""

    name: str
    """The operationId, e.g. `getUser`."""
    method: str
    path: str
    request_model: str
    """Class name of the JSON body's model (key of `REQUEST_RULES`)."""
    response_module: str
    """Module under `partner_api_client.models` holding the success answer's model."""
    response_model: str
    safe_to_retry: bool
    """`x-safe-to-retry`: true only for reads, which may be repeated after a dropped connection."""
    tag: str = "default"
    summary: str = ""
    description: str = ""
    request_content_type: str = "application/json"
    payload: str | None = None
    """The field an OK answer always carries (`user`, ...), or None."""
    pagination: Pagination | None = None


RequestEncoder = Callable[[Mapping[str, Any]], "dict[str, Any] | None"]
"""A generated body encoder: the JSON body when every given argument passes its field's checks, else None
(the caller then applies the full rules, which raise the errors and apply the default-value policy)."""


def is_default_value(kind: FieldKind, value: object) -> bool:
    """Is `value` the default of a field of `kind` (0, "", false, [])? The API's one default-value test.

    In an answer, a field left out means exactly this value. In a request, the rule covers only the kinds in
    `REQUEST_DEFAULT_KINDS`: there 0 and "" mean "absent", while `false` is a value and is applied.
    `True` and `False` are not numbers here, although Python's `bool` is an `int`.
    """
    if kind == "int":
        return type(value) is int and value == 0
    if kind == "float":
        return type(value) in (int, float) and value == 0
    if kind == "str" or kind == "enum":
        return type(value) is str and value == ""
    if kind == "bool":
        return value is False
    if kind == "list":
        return type(value) is list and not value
    return False


REQUEST_DEFAULT_KINDS: frozenset[FieldKind] = frozenset({"int", "float", "str", "enum"})
"""Request field kinds whose default value means "field absent" (numbers and strings)."""


def ecma_pattern(pattern: str) -> str:
    """A spec `pattern` (JSON Schema, ECMA-262) for Python's `re.search`: an unescaped `$` outside a character
    class means the end of the input there, while Python's `$` also matches before a trailing newline ("en\\n")."""
    # Hand-written rather than a dependency (`regress`, ECMA-262 through Rust; `js-regex`, unmaintained since 2019):
    # the spec's patterns read differently in Python's `re` only at `$`, and the client's plain install keeps to
    # stdlib `re` (the generated encoders compile these once at import).
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
    return "".join(out)
