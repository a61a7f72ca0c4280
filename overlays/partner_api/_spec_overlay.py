"""The OpenAPI Overlay (1.0.0) that `partner-api check-spec --suggest FILE` writes: the spec's fixes a user reviews.

It adds the fields the spec does not declare (with the JSON type seen), marks the fields seen as `null` (OpenAPI 3.1:
`type: [T, "null"]`; a `$ref` becomes `anyOf: [{$ref}, {type: "null"}]`), and adds result codes the spec does not
list (to `ResultCode`'s `enum`, with the HTTP status seen in `x-http-status`). A field of another type, a missing
field or a status that differs is left to the user: which side is right is a decision, not a fact seen once.

Each action's `target` is a JSONPath built with jsonpath-ng (never pasted together as text), and is checked against
the document: it must select exactly one node. The generator reads `null` as absent, so a nullable field keeps its
generated type (generator/null_types.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._check_spec import Finding

__all__ = ["suggest_overlay"]

_OVERLAY_VERSION = "1.0.0"
_JSON_SCHEMA_TYPES = {"string", "integer", "number", "boolean", "object", "array"}


def _target(document: dict[str, Any], location: Sequence[str]) -> str:
    """A JSONPath (jsonpath-ng's own rendering) selecting exactly the node at `location` in `document`."""
    from jsonpath_ng import Child, Fields, Root

    expression: Any = Root()
    for key in location:
        expression = Child(expression, Fields(key))
    matches = expression.find(document)
    if len(matches) != 1:
        raise ValueError(f"overlay target {expression} selects {len(matches)} nodes, not one")
    return str(expression)


def _node(document: dict[str, Any], location: Sequence[str]) -> Any:
    value: Any = document
    for key in location:
        value = value[key]
    return value


def _inferred(received: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": received} if received in _JSON_SCHEMA_TYPES else {}
    if received == "array":
        schema["items"] = {}
    elif received == "object":  # its own fields are not known: an opaque object, kept as sent
        schema["additionalProperties"] = True
    return schema


def suggest_overlay(
    document: dict[str, Any],
    findings: Sequence[Finding],
    unknown_results: Mapping[str, int] | None = None,
    *,
    title: str = "partner-api check-spec suggestions",
) -> dict[str, Any]:
    """An Overlay document for `document` (the spec `findings` were checked against); `unknown_results` are the
    result codes the spec does not list, with the HTTP status each came with."""
    actions: list[dict[str, Any]] = []
    added: dict[tuple[str, ...], dict[str, Any]] = {}
    nullable: set[tuple[str, ...]] = set()
    code_schema: tuple[str, ...] = ()
    for finding in findings:
        field = finding.path.rsplit(".", 1)[-1]
        if finding.kind == "unknown-field" and finding.location:
            properties = (*finding.location, "properties")
            schema = {**_inferred(finding.received), "description": f"Seen in {finding.operation} answers "
                      "(partner-api check-spec); describe it."}  # fmt: skip
            added.setdefault(properties, {}).setdefault(field, schema)
        elif finding.kind == "null" and finding.location:
            nullable.add(finding.location)
        elif finding.kind == "unknown-result" and finding.location:
            code_schema = finding.location  # the result field's schema: the enum with its `x-http-status`
    for properties, fields in sorted(added.items()):
        if not isinstance(_node(document, properties[:-1]).get("properties"), dict):
            continue
        actions.append({"target": _target(document, properties), "update": fields,
                        "description": "Fields the spec does not declare."})  # fmt: skip
    for location in sorted(nullable):
        schema = _node(document, location)
        if "$ref" in schema:
            ref = schema["$ref"]
            actions.append({"target": _target(document, (*location, "$ref")), "remove": True})
            actions.append({"target": _target(document, location), "update": {"anyOf": [{"$ref": ref},
                            {"type": "null"}]}, "description": "Seen as null (read as absent)."})  # fmt: skip
        elif isinstance(schema.get("type"), (str, list)):
            kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if "null" not in kinds:
                # An array `update` is appended to an array: remove the single type first, then set the list.
                actions.append({"target": _target(document, (*location, "type")), "remove": True})
                actions.append({"target": _target(document, location), "update": {"type": [*kinds, "null"]},
                                "description": "Seen as null (read as absent)."})  # fmt: skip
    codes = _node(document, code_schema) if code_schema else None
    if unknown_results and isinstance(codes, dict) and isinstance(codes.get("enum"), list):
        new = {code: status for code, status in sorted(unknown_results.items()) if code not in codes["enum"]}
        update: dict[str, Any] = {"enum": list(new)}  # an array `update` is appended to the enum
        if isinstance(codes.get("x-http-status"), dict):
            update["x-http-status"] = new
        actions.append({"target": _target(document, code_schema), "update": update,
                        "description": "Result codes the spec does not list, with the HTTP status seen."})  # fmt: skip
    return {"overlay": _OVERLAY_VERSION, "info": {"title": title, "version": "1.0.0"}, "actions": actions}
