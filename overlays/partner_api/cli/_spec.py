"""The one place the command line reads the generated facts (`partner_api_client.spec_facts`).

Everything else in the CLI works with the neutral `OperationSpec` / `FieldSpec` below, so a change in how the
generator publishes its facts is absorbed here. Option names are the API's wire names; `python_name` is the
keyword the client method takes. Tags, summaries, descriptions, pagination and the answer's fields all come from
the generated table (a standard-library module, cheap to import), never from the YAML document at run time.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

__all__ = [
    "AnswerField",
    "FieldSpec",
    "OperationSpec",
    "Pagination",
    "answer_fields",
    "describe_operation",
    "item_columns",
    "nested_fields",
    "operation_for_command",
    "operations",
    "paginated",
    "per_item_lists",
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
    description: str = ""
    unit: str | None = None
    """`x-unit`: `unix-seconds` (the option also takes a date) or `bytes`; None for a plain value."""


class AnswerField(NamedTuple):
    """One column of an answer item, nested fields flattened (`extra.country`)."""

    path: str
    kind: str
    unit: str | None


class Pagination(NamedTuple):
    """A list operation that follows a cursor: `items` is the list field of each page."""

    items: str
    cursor: str
    next_cursor: str
    item_model: str
    """Class name of one item (a key of the generated `ANSWER_RULES`)."""


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
    tag: str = "default"
    summary: str = ""
    description: str = ""
    destructive: bool = False
    """`x-destructive: true`: it deletes or resets data, so the command asks for a confirmation."""
    payload: str | None = None
    """The answer's payload field (`user`, `users`), or None for an answer without one."""
    payload_model: str | None = None
    """Class name of the payload (an object) or of one of its items (a list of objects)."""
    payload_is_list: bool = False


def _words(name: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def _field_specs(model: str) -> tuple[FieldSpec, ...]:
    from partner_api_client.spec_facts import REQUEST_RULES, UNITS

    units = UNITS.get(model, {})
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
            description=" ".join(rule.description.split()),
            unit=units.get(rule.json_name),
        )
        for rule in REQUEST_RULES[model].fields
    )


@functools.cache
def nested_fields(model: str) -> tuple[FieldSpec, ...]:
    """The fields of a nested request object (`extra` of updateUser: `UserExtraInput`)."""
    return _field_specs(model)


_ENVELOPE = ("result", "error")


def _payload(response_model: str, payload: str | None) -> tuple[str | None, str | None, bool]:
    """(payload field, its model or its items' model, whether it is a list): the field the spec names, else the
    answer's one field besides the envelope (`licenses`)."""
    from partner_api_client.spec_facts import ANSWER_RULES

    fields = [rule for rule in ANSWER_RULES[response_model].fields if rule.json_name not in _ENVELOPE]
    if payload is None and len(fields) == 1:
        payload = fields[0].json_name
    for rule in fields:
        if rule.json_name == payload:
            return payload, *((rule.item_model, True) if rule.kind == "list" else (rule.model, False))
    return None, None, False


@functools.cache
def operations() -> dict[str, OperationSpec]:
    """Every v2 operation, by command name, in the generated table's order."""
    from partner_api_client.spec_facts import DESTRUCTIVE, OPERATIONS, REQUEST_RULES

    table: dict[str, OperationSpec] = {}
    for name, operation in OPERATIONS.items():
        words = _words(name)
        rules = REQUEST_RULES[operation.request_model]
        pages = operation.pagination
        payload, payload_model, payload_is_list = _payload(
            operation.response_model, pages.items if pages is not None else operation.payload
        )
        table["-".join(words)] = OperationSpec(
            name=name,
            command="-".join(words),
            method="_".join(words),
            request_model=operation.request_model,
            fields=_field_specs(operation.request_model),
            one_of_required=tuple(rules.one_of_required),
            safe_to_retry=operation.safe_to_retry,
            pagination=None
            if pages is None
            else Pagination(
                items=pages.items, cursor=pages.cursor, next_cursor=pages.next_cursor, item_model=pages.item_model
            ),
            tag=operation.tag,
            summary=operation.summary.strip(),
            description=operation.description.strip(),
            destructive=name in DESTRUCTIVE,
            payload=payload,
            payload_model=payload_model,
            payload_is_list=payload_is_list,
        )
    return table


def operation_for_command(command: str) -> OperationSpec | None:
    """The operation of a command name (`get-user`); None if there is none."""
    return operations().get(command)


def paginated() -> dict[str, OperationSpec]:
    """List operations that follow a cursor, by the name of their items field (`users`)."""
    return {spec.pagination.items: spec for spec in operations().values() if spec.pagination is not None}


def per_item_lists() -> dict[str, tuple[OperationSpec, OperationSpec, str]]:
    """Reads that list the items of one thing of a paged list (`listUserSessions`: the sessions of one user),
    by their payload name (`sessions`): (operation, the paged list, the field naming that thing).

    The link is by field name: a field of the operation's one-of-required group (`username`) that the paged
    list's items also have (`User.username`), so an export can go through every user."""
    found: dict[str, tuple[OperationSpec, OperationSpec, str]] = {}
    pages = [spec for spec in operations().values() if spec.pagination is not None]
    for spec in operations().values():
        if spec.pagination is not None or not spec.safe_to_retry or not spec.payload_is_list or spec.payload is None:
            continue
        for parent in pages:
            assert parent.pagination is not None
            shared = [name for name in spec.one_of_required if name in _field_names(parent.pagination.item_model)]
            if shared:
                found[spec.payload] = (spec, parent, shared[0])
                break
    return found


def _field_names(model: str) -> set[str]:
    from partner_api_client.spec_facts import ANSWER_RULES

    return {rule.json_name for rule in ANSWER_RULES[model].fields}


def item_columns(spec: OperationSpec) -> list[str]:
    """CSV columns of one item of a list operation: its answer fields in the generated order, nested
    objects flattened as `extra.country`; an opaque object (`additionalProperties` only) is one JSON column."""
    assert spec.payload_model is not None
    return [field.path for field in answer_fields(spec.payload_model)]


@functools.cache
def answer_fields(model: str, prefix: str = "") -> tuple[AnswerField, ...]:
    """The columns of an answer object, nested objects flattened, with their kind and `x-unit`."""
    from partner_api_client.spec_facts import ANSWER_RULES, UNITS

    units = UNITS.get(model, {})
    columns: list[AnswerField] = []
    for rule in ANSWER_RULES[model].fields:
        if rule.kind == "model" and rule.model is not None:
            columns.extend(answer_fields(rule.model, f"{prefix}{rule.json_name}."))
        else:
            columns.append(AnswerField(prefix + rule.json_name, rule.kind, units.get(rule.json_name)))
    return tuple(columns)


def tag_descriptions() -> dict[str, str]:
    """The spec's tags in their declared order, with descriptions."""
    from partner_api_client.spec_facts import TAGS

    return dict(TAGS)


def describe_operation(spec: OperationSpec) -> tuple[str, str, str]:
    """(tag, summary, description) of an operation."""
    return spec.tag, spec.summary, spec.description
