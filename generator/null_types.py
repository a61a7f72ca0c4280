"""The document the generator reads has no `null` types: the client reads `null` in an answer as the field's absence.

OpenAPI 3.1 marks a field that may be `null` with `type: [T, "null"]`, or `anyOf`/`oneOf` of a schema and
`{type: "null"}` (what `partner-api check-spec --suggest` proposes). The generated `from_dict` reads `null` as absent
anyway (its default, `UNSET`, `[]`), so the code generators and the facts get the schema without its `null`
branch, and the attribute keeps its plain type (`int`, not `int | None`). The spec itself keeps the `null`:
check-spec validates answers against it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["without_null_types"]


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def without_null_types(node: Any) -> Any:
    """A copy of `node` (a document or a schema) with `null` taken out of every `type` list and `anyOf`/`oneOf`."""
    if isinstance(node, list):
        return [without_null_types(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: without_null_types(value) for key, value in node.items()}
    kinds = copy.get("type")
    if isinstance(kinds, list) and "null" in kinds:
        rest = [kind for kind in kinds if kind != "null"]
        if len(rest) == 1:
            copy["type"] = rest[0]
        elif rest:
            copy["type"] = rest
        else:
            del copy["type"]
    for key in ("anyOf", "oneOf"):
        branches = copy.get(key)
        if isinstance(branches, list) and any(map(_is_null, branches)):
            rest = [branch for branch in branches if not _is_null(branch)]
            del copy[key]
            if len(rest) == 1 and isinstance(rest[0], dict):
                copy = {**rest[0], **copy}  # the one remaining branch, with the field's own description
            elif rest:
                copy[key] = rest
    return copy
