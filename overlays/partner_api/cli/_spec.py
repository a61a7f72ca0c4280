"""The one place the command line reads the generated tables and the spec's descriptions.

Everything else in the CLI works with the neutral `OperationSpec` / `FieldSpec` below, so a change in how the
generator publishes its facts (names, tables, extensions) is absorbed here. Option names are the API's wire
names; `python_name` is the keyword the client method takes. Tags, summaries, descriptions and pagination are
taken from the generated table where it carries them; otherwise from the spec itself (read only when help is
shown: YAML parsing would be the slowest part of start-up) and from the generated response models.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Mapping
from typing import Any, NamedTuple

__all__ = [
    "FieldSpec",
    "OperationSpec",
    "Pagination",
    "describe_field",
    "describe_operation",
    "item_columns",
    "operation_for_command",
    "operations",
    "tag_descriptions",
]


class FieldSpec(NamedTuple):
    """One request body property."""

    wire_name: str
    python_name: str
    kind: str
    """`int`, `float`, `str`, `bool`, `enum`, `model` (nested object), `object` (opaque JSON), `list`, `any`."""
    required: bool
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...]
    model: str | None


class Pagination(NamedTuple):
    """A list operation that follows a cursor: `items` is the list field of each page."""

    items: str
    cursor: str
    next_cursor: str


class OperationSpec(NamedTuple):
    """One v2 operation as the command line sees it."""

    name: str
    """The operationId, e.g. `getUser`."""
    command: str
    """kebab-case of the operationId: `get-user`."""
    method: str
    """snake_case: the client method."""
    request_model: str
    fields: tuple[FieldSpec, ...]
    one_of_required: tuple[str, ...]
    safe_to_retry: bool
    pagination: Pagination | None


def _words(name: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def _fields(model: str) -> tuple[FieldSpec, ...]:
    from partner_api_client.api import REQUEST_RULES

    return tuple(
        FieldSpec(
            wire_name=rule.json_name,
            python_name=rule.python_name,
            kind=rule.kind,
            required=rule.required,
            minimum=rule.minimum,
            maximum=rule.maximum,
            choices=tuple(rule.choices),
            model=rule.model,
        )
        for rule in REQUEST_RULES[model].fields
    )


def _response_hints(operation: Any) -> dict[str, Any]:
    import importlib

    module = importlib.import_module(f"partner_api_client.models.{operation.response_module}")
    return typing.get_type_hints(getattr(module, operation.response_model))


def _pagination(operation: Any, fields: tuple[FieldSpec, ...]) -> Pagination | None:
    facts = getattr(operation, "pagination", None)  # explicit in newer generated tables (`x-pagination`)
    if facts is not None:
        return Pagination(items=facts.items, cursor=facts.cursor, next_cursor=facts.next_cursor)
    if not any(field.wire_name == "cursor" for field in fields):
        return None
    hints = _response_hints(operation)
    if "next_cursor" not in hints:
        return None
    lists = [name for name, hint in hints.items() if typing.get_origin(hint) is list]
    return Pagination(items=lists[0], cursor="cursor", next_cursor="next_cursor") if len(lists) == 1 else None


@functools.cache
def operations() -> dict[str, OperationSpec]:
    """Every v2 operation, by command name, in the generated table's order."""
    from partner_api_client.api import OPERATIONS, REQUEST_RULES

    table: dict[str, OperationSpec] = {}
    for name, operation in OPERATIONS.items():
        words = _words(name)
        fields = _fields(operation.request_model)
        table["-".join(words)] = OperationSpec(
            name=name,
            command="-".join(words),
            method="_".join(words),
            request_model=operation.request_model,
            fields=fields,
            one_of_required=tuple(REQUEST_RULES[operation.request_model].one_of_required),
            safe_to_retry=operation.safe_to_retry,
            pagination=None,
        )
    return table


def operation_for_command(command: str) -> OperationSpec | None:
    """The operation of a command name (`get-user`), with its pagination facts; None if there is none."""
    spec = operations().get(command)
    if spec is None:
        return None
    from partner_api_client.api import OPERATIONS

    return spec._replace(pagination=_pagination(OPERATIONS[spec.name], spec.fields))


def paginated() -> dict[str, OperationSpec]:
    """List operations that follow a cursor, by the name of their items field (`users`)."""
    found: dict[str, OperationSpec] = {}
    for command in operations():
        spec = operation_for_command(command)
        if spec is not None and spec.pagination is not None:
            found[spec.pagination.items] = spec
    return found


def item_columns(spec: OperationSpec) -> list[str]:
    """CSV columns of one item of a paginated operation: its fields, nested objects flattened as `extra.country`."""
    from partner_api_client.api import OPERATIONS

    assert spec.pagination is not None
    hint = _response_hints(OPERATIONS[spec.name])[spec.pagination.items]
    (item,) = typing.get_args(hint)
    return _columns(item, "")


def _columns(model: type, prefix: str) -> list[str]:
    import attrs

    columns: list[str] = []
    hints = typing.get_type_hints(model)
    for field in attrs.fields(model):
        if field.name == "additional_properties":
            continue
        wire = field.alias if field.alias and not field.alias.startswith("_") else field.name
        wire = wire.rstrip("_") if wire.endswith("_") and not wire.startswith("_") else wire
        nested = [arg for arg in typing.get_args(hints[field.name]) or (hints[field.name],) if attrs.has(arg)]
        if nested:
            columns.extend(_columns(nested[0], f"{prefix}{wire}."))
        else:
            columns.append(prefix + wire)
    return columns


# ---- descriptions, from the spec (help only) ----


@functools.cache
def _document() -> Mapping[str, Any]:
    import yaml  # type: ignore[import-untyped]

    from .._version import spec_path

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(spec_path(), encoding="utf-8") as stream:
        return yaml.load(stream, Loader=loader)  # type: ignore[no-any-return]  # noqa: S506 (a safe loader)


@functools.cache
def _operation_entries() -> dict[str, Mapping[str, Any]]:
    entries: dict[str, Mapping[str, Any]] = {}
    for item in _document().get("paths", {}).values():
        for entry in item.values():
            if isinstance(entry, Mapping) and "operationId" in entry:
                entries[entry["operationId"]] = entry
    return entries


def _schema(ref_or_schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = ref_or_schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        node: Any = _document()
        for part in ref[2:].split("/"):
            node = node[part]
        return _schema(node)
    return ref_or_schema


def _properties(schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    schema = _schema(schema)
    properties = {name: _schema(value) for name, value in schema.get("properties", {}).items()}
    for part in schema.get("allOf", []):
        properties.update(_properties(part))
    return properties


def tag_descriptions() -> dict[str, str]:
    """The spec's tags in their declared order, with descriptions."""
    return {tag["name"]: tag.get("description", "") for tag in _document().get("tags", [])}


def describe_operation(spec: OperationSpec) -> tuple[str, str, str]:
    """(tag, summary, description) of an operation: from the generated table when it has them, else the spec."""
    from partner_api_client.api import OPERATIONS

    operation: Any = OPERATIONS[spec.name]
    if getattr(operation, "summary", ""):
        return str(operation.tag), str(operation.summary).strip(), str(operation.description).strip()
    entry = _operation_entries().get(spec.name, {})
    tags = entry.get("tags") or ["other"]
    return str(tags[0]), str(entry.get("summary", "")).strip(), str(entry.get("description", "")).strip()


def describe_field(spec: OperationSpec, wire_name: str) -> str:
    """The description of a request field: from the generated table when it has it, else the spec."""
    from partner_api_client.api import REQUEST_RULES

    rules: tuple[Any, ...] = REQUEST_RULES[spec.request_model].fields
    for rule in rules:
        if rule.json_name == wire_name and getattr(rule, "description", ""):
            return " ".join(str(rule.description).split())
    entry = _operation_entries().get(spec.name, {})
    try:
        schema = entry["requestBody"]["content"]["application/json"]["schema"]
    except KeyError:
        return ""
    return " ".join(str(_properties(schema).get(wire_name, {}).get("description", "")).split())
