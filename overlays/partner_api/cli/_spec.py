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
    "FieldSpec",
    "OperationSpec",
    "Pagination",
    "describe_operation",
    "item_columns",
    "operation_for_command",
    "operations",
    "paginated",
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


def _words(name: str) -> list[str]:
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


@functools.cache
def operations() -> dict[str, OperationSpec]:
    """Every v2 operation, by command name, in the generated table's order."""
    from partner_api_client.spec_facts import OPERATIONS, REQUEST_RULES

    table: dict[str, OperationSpec] = {}
    for name, operation in OPERATIONS.items():
        words = _words(name)
        rules = REQUEST_RULES[operation.request_model]
        pages = operation.pagination
        table["-".join(words)] = OperationSpec(
            name=name,
            command="-".join(words),
            method="_".join(words),
            request_model=operation.request_model,
            fields=tuple(
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
                )
                for rule in rules.fields
            ),
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
        )
    return table


def operation_for_command(command: str) -> OperationSpec | None:
    """The operation of a command name (`get-user`); None if there is none."""
    return operations().get(command)


def paginated() -> dict[str, OperationSpec]:
    """List operations that follow a cursor, by the name of their items field (`users`)."""
    return {spec.pagination.items: spec for spec in operations().values() if spec.pagination is not None}


def item_columns(spec: OperationSpec) -> list[str]:
    """CSV columns of one item of a paginated operation: its answer fields in the generated order, nested
    objects flattened as `extra.country`; an opaque object (`additionalProperties` only) is one JSON column."""
    assert spec.pagination is not None
    return _columns(spec.pagination.item_model, "")


def _columns(model: str, prefix: str) -> list[str]:
    from partner_api_client.spec_facts import ANSWER_RULES

    columns: list[str] = []
    for rule in ANSWER_RULES[model].fields:
        if rule.kind == "model" and rule.model is not None:
            columns.extend(_columns(rule.model, f"{prefix}{rule.json_name}."))
        else:
            columns.append(prefix + rule.json_name)
    return columns


def tag_descriptions() -> dict[str, str]:
    """The spec's tags in their declared order, with descriptions."""
    from partner_api_client.spec_facts import TAGS

    return dict(TAGS)


def describe_operation(spec: OperationSpec) -> tuple[str, str, str]:
    """(tag, summary, description) of an operation."""
    return spec.tag, spec.summary, spec.description
