"""Schemathesis hook: the two rules openapi/partner-api.yaml keeps in extensions, written back as standard OpenAPI.

The spec states them where mainstream generators do not look, since openapi-generator cannot consume their standard
form (an `anyOf` of `required` branches becomes a wrapper model without the fields; swagger-parser wants a `links`
`requestBody` to be one string). Schemathesis still needs them:

- `x-one-of-required: [user_id, username]` on a request schema becomes `anyOf` branches, each requiring one field
  with a non-default value (0 and "" mean "absent"), so generated data and `negative_data_rejection` follow the rule
  the sandbox applies;
- `x-links` on a response becomes `links` (objects whose `requestBody` carries runtime expressions, e.g.
  `user_id: $response.body#/user/id`), which the stateful phase follows.

Imported by the schemathesis tests (registering the hook for every schema loaded afterwards); on the command line:
`SCHEMATHESIS_HOOKS=tests/support/schemathesis_hooks.py .venv/bin/st run openapi/partner-api.yaml --url ...`.
"""

from __future__ import annotations

from typing import Any

import schemathesis

_NON_DEFAULT: dict[str, dict[str, Any]] = {
    "integer": {"not": {"const": 0}},
    "number": {"not": {"const": 0}},
    "string": {"minLength": 1},
}
"""A field's value that is not its default, by JSON type (the default-value rule); other types: any value."""


def _responses(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(document.get("components", {}).get("responses", {}).values())
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                found += operation.get("responses", {}).values()
    return [response for response in found if isinstance(response, dict)]


def restore_standard_rules(document: dict[str, Any]) -> dict[str, Any]:
    """`document` (changed in place and returned) with `x-one-of-required` as `anyOf` and `x-links` as `links`."""
    for schema in document.get("components", {}).get("schemas", {}).values():
        group = schema.get("x-one-of-required")
        if group:
            properties = schema["properties"]
            schema["anyOf"] = [
                {"required": [name], "properties": {name: _NON_DEFAULT.get(properties[name].get("type", ""), {})}}
                for name in group
            ]
    for response in _responses(document):
        if "x-links" in response:
            response["links"] = {**response.get("links", {}), **response["x-links"]}
    return document


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    restore_standard_rules(raw_schema)
