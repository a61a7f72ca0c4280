"""The facts the OpenAPI document states explicitly, read once for every generated artefact.

`read_facts(document)` collects, per v2 operation and per request schema, what the client, the sandbox and the
command line need: retry safety (`x-safe-to-retry`), pagination (`x-pagination`), the one-of-required group
(`x-one-of-required`), field names and constraints, and the result codes with their HTTP statuses (`ResultCode`
enum with `x-http-status`). `render_module(facts)` writes them as the data-only module
`partner_api_client/spec_facts.py` (its types and the rules that read them are hand-written, linted and typed in
overlays/partner_api/_spec_types.py); `tool_document(document)` is the copy handed to openapi-python-client and
datamodel-code-generator (they ignore the extensions; the facts module carries the group to the client and the
sandbox).

A fact the generator needs but the document does not state is an error here, never a guess from a name.
"""

from __future__ import annotations

import copy
import keyword
import pprint
import re
from typing import Any

from openapi_python_client import strings
from openapi_python_client_wire_names import use_wire_names

FIELD_PREFIX = "field_"  # openapi-python-client's default `field_prefix`

use_wire_names()


class SpecError(ValueError):
    """The document lacks a fact the generator needs, or states it in a form the generator cannot read."""


def python_name(wire_name: str) -> str:
    """The generated argument/attribute name of a field: the wire name, `_` appended only to Python keywords."""
    name = str(strings.PythonIdentifier(wire_name, FIELD_PREFIX))
    assert wire_name != name or not keyword.iskeyword(name)
    return name


def class_name(schema_name: str) -> str:
    return str(strings.ClassName(schema_name, FIELD_PREFIX))


def module_name(schema_name: str) -> str:
    return str(strings.PythonIdentifier(class_name(schema_name), FIELD_PREFIX))


def _text(value: str | None) -> str:
    """A description as one line per paragraph (YAML block text wraps lines at an arbitrary width)."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", (value or "").strip())


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def one_of_required(name: str, schema: dict[str, Any]) -> tuple[str, ...]:
    """The fields of the schema's `x-one-of-required` list (empty when none): at least one of them must be present
    with a non-default value.

    An extension, not JSON Schema's `anyOf` of `required` branches: openapi-generator turns such an `anyOf` into a
    wrapper model without the fields (tests/support/schemathesis_hooks.py writes the `anyOf` back for schemathesis).
    """
    if any(isinstance(branch, dict) and "required" in branch for branch in schema.get("anyOf", [])):
        raise SpecError(f"{name}: state an at-least-one-of group as `x-one-of-required: [field, ...]`, not `anyOf`")
    names = schema.get("x-one-of-required")
    if names is None:
        return ()
    if not isinstance(names, list) or not names or len(set(map(str, names))) != len(names):
        raise SpecError(f"{name}: x-one-of-required must be a non-empty list of distinct field names")
    unknown = set(names) - set(schema.get("properties", {}))
    if unknown:
        raise SpecError(f"{name}: x-one-of-required names unknown properties {sorted(unknown)}")
    return tuple(names)


def tool_document(document: dict[str, Any]) -> dict[str, Any]:
    """The document for the code generators: a copy, every schema checked for a group written as `anyOf` (see
    `one_of_required`). They ignore `x-one-of-required`; `spec_facts.REQUEST_RULES` carries it as `one_of_required`."""
    tool = copy.deepcopy(document)
    for name, schema in tool["components"]["schemas"].items():
        one_of_required(name, schema)
        # The sandbox serves deprecated fields like any other: its pydantic models must not warn when it reads them
        # (the client's methods warn, from `deprecations`).
        for node in schema.get("properties", {}).values():
            node.pop("deprecated", None)
    return tool


def _field(
    document: dict[str, Any], owner: str, wire_name: str, node: dict[str, Any], required: bool
) -> dict[str, Any]:
    schemas = document["components"]["schemas"]
    target_name = _ref_name(node)
    target = schemas[target_name] if target_name else node
    json_type = target.get("type", "any")
    model = None
    item_model = None
    if "enum" in target:
        kind = "enum"
    elif json_type == "object":
        model = class_name(target_name) if target_name else None
        kind = "model" if target.get("properties") else "object"  # no properties: a free-form map
        if kind == "model" and model is None:  # its class name would be openapi-python-client's guess
            raise SpecError(f"{owner}.{wire_name}: an object with properties is a named schema ($ref), not inline")
    else:
        kind = {"integer": "int", "number": "float", "string": "str", "boolean": "bool", "array": "list"}.get(
            json_type, "any"
        )
    fact: dict[str, Any] = {
        "python_name": python_name(wire_name),
        "json_name": wire_name,
        "kind": kind,
        "required": required,
    }
    for key, out in (("minimum", "minimum"), ("maximum", "maximum"), ("minLength", "min_length"),
                     ("maxLength", "max_length"), ("pattern", "pattern")):  # fmt: skip
        if key in target:
            fact[out] = target[key]
    if kind == "enum":  # "" is the default value (absent), not a choice
        fact["choices"] = tuple(sorted(value for value in target["enum"] if value != ""))
    if model is not None:
        fact["model"] = model
    if kind == "list":
        item_name = _ref_name(target.get("items", {}))
        if item_name and schemas[item_name].get("properties"):
            item_model = class_name(item_name)
    if item_model is not None:
        fact["item_model"] = item_model
    fact["json_type"] = json_type
    fact["description"] = _deprecated_note(node, _text(node.get("description") or target.get("description")))
    return fact


def _deprecated_note(node: dict[str, Any], text: str) -> str:
    """`text` led by "Deprecated." when the spec marks `node` `deprecated: true` (so the command line's help says
    so; the generated methods warn: see `deprecations`)."""
    return f"Deprecated. {text}".strip() if node.get("deprecated") else text


def deprecations(document: dict[str, Any]) -> dict[str, Any]:
    """What the spec marks `deprecated: true`: `operations` (operationIds) and `fields` (request model class name
    -> python names of its deprecated fields). The operation facade template decorates and warns by them."""
    operations = sorted(
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if operation.get("deprecated")
    )
    fields = {
        class_name(name): sorted(python_name(wire) for wire, node in schema.get("properties", {}).items()
                                 if node.get("deprecated"))
        for name, schema in document["components"]["schemas"].items()
        if any(node.get("deprecated") for node in schema.get("properties", {}).values())
    }  # fmt: skip
    return {"operations": operations, "fields": fields}


def _models(document: dict[str, Any], roots: list[str]) -> dict[str, dict[str, Any]]:
    """The field rules of the schemas `roots` and of the objects they nest (fields, list items)."""
    schemas = document["components"]["schemas"]
    by_class = {class_name(name): name for name in schemas}
    models: dict[str, dict[str, Any]] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if class_name(name) in models:
            continue
        schema = schemas[name]
        required = set(schema.get("required", []))
        fields = []
        for wire_name, node in schema.get("properties", {}).items():
            fact = _field(document, name, wire_name, node, wire_name in required)
            fields.append(fact)
            if fact["kind"] == "model":
                pending.append(_ref_name(node) or "")
            if "item_model" in fact:
                pending.append(by_class[fact["item_model"]])
        # Required fields first, as the generated signatures list them.
        fields.sort(key=lambda f: not f["required"])
        models[class_name(name)] = {
            "fields": tuple(fields),
            "one_of_required": one_of_required(name, schema),
            "description": _text(schema.get("description")),
        }
    return dict(sorted(models.items()))


def _pagination(op_id: str, operation: dict[str, Any], request: dict[str, Any], response: dict[str, Any]) -> Any:
    spec = operation.get("x-pagination")
    if spec is None:
        return None
    if set(spec) != {"cursor", "next_cursor", "items"}:
        raise SpecError(f"{op_id}: x-pagination needs exactly cursor, next_cursor and items")
    if spec["cursor"] not in request.get("properties", {}):
        raise SpecError(f"{op_id}: x-pagination cursor {spec['cursor']!r} is not a request field")
    for key in ("next_cursor", "items"):
        if spec[key] not in response.get("properties", {}):
            raise SpecError(f"{op_id}: x-pagination {key} {spec[key]!r} is not a field of the answer")
    items = response["properties"][spec["items"]]
    if items.get("type") != "array":
        raise SpecError(f"{op_id}: x-pagination items {spec['items']!r} is not an array")
    return {
        "cursor": spec["cursor"],
        "next_cursor": spec["next_cursor"],
        "items": spec["items"],
        "cursor_python": python_name(spec["cursor"]),
        "next_cursor_python": python_name(spec["next_cursor"]),
        "items_python": python_name(spec["items"]),
        "item_model": class_name(_ref_name(items["items"]) or ""),
    }


def read_facts(document: dict[str, Any]) -> dict[str, Any]:
    """Every explicit fact of `document` as plain data (see the module docstring)."""
    schemas = document["components"]["schemas"]
    result_code = schemas.get("ResultCode", {})
    statuses = result_code.get("x-http-status", {})
    if not result_code.get("enum") or set(result_code["enum"]) != set(statuses):
        raise SpecError("components.schemas.ResultCode needs an enum and an x-http-status entry for each code")
    operations: dict[str, dict[str, Any]] = {}
    safe_to_retry: dict[str, bool] = {}
    destructive: list[str] = []
    token_requests: list[dict[str, str]] = []
    request_roots: list[str] = []
    answer_roots: list[str] = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            op_id = operation["operationId"]
            if "x-safe-to-retry" not in operation or not isinstance(operation["x-safe-to-retry"], bool):
                raise SpecError(f"{op_id}: x-safe-to-retry (true or false) is required on every operation")
            security = operation.get("security", document.get("security", []))
            content = operation["requestBody"]["content"]
            content_type, media = next(iter(content.items()))
            request_name = _ref_name(media["schema"])
            success = operation["responses"]["200"]["content"]["application/json"]["schema"]
            response_name = _ref_name(success)
            if request_name is None or response_name is None:
                raise SpecError(f"{op_id}: the request body and the 200 answer must be $refs to named schemas")
            response = schemas[response_name]
            payload = [name for name in response.get("required", []) if name != "result"]
            safe_to_retry[op_id] = operation["x-safe-to-retry"]
            if not isinstance(operation.get("x-destructive", False), bool):
                raise SpecError(f"{op_id}: x-destructive must be true or false")
            if operation.get("x-destructive"):
                destructive.append(op_id)
            answer_roots.append(response_name)
            if not security:  # login: the token lifecycle's own request, not a method
                token_requests.append({"name": op_id, "tag": (operation.get("tags") or ["default"])[0]})
                continue
            request_roots.append(request_name)
            operations[op_id] = {
                "name": op_id,
                "method": method.upper(),
                "path": path,
                "request_model": class_name(request_name),
                "response_module": module_name(response_name),
                "response_model": class_name(response_name),
                "safe_to_retry": operation["x-safe-to-retry"],
                "tag": (operation.get("tags") or ["default"])[0],
                "summary": _deprecated_note(operation, _text(operation.get("summary"))),
                "description": _text(operation.get("description")),
                "request_content_type": content_type,
                "payload": payload[0] if payload else None,
                "pagination": _pagination(op_id, operation, schemas[request_name], response),
            }
    tags = {tag["name"]: _text(tag.get("description")) for tag in document.get("tags", [])}
    unknown_tags = {operation["tag"] for operation in operations.values()} - set(tags) - {"default"}
    if unknown_tags:
        raise SpecError(f"operations use tags not declared under `tags`: {sorted(unknown_tags)}")
    return {
        "tags": tags,
        "result_codes": {code: statuses[code] for code in result_code["enum"]},
        "operations": dict(sorted(operations.items())),
        "request_rules": _models(document, request_roots),
        "answer_rules": _models(document, answer_roots),
        "safe_to_retry": dict(sorted(safe_to_retry.items())),
        "token_requests": sorted(token_requests, key=lambda request: request["name"]),
        "destructive": tuple(sorted(destructive)),
        "units": _units(schemas),
        "deprecated": deprecations(document),
    }


UNITS = ("unix-seconds", "bytes")


def _units(schemas: dict[str, Any]) -> dict[str, dict[str, str]]:
    """`x-unit` of integer properties: model class name -> {wire name: unit}."""
    units: dict[str, dict[str, str]] = {}
    for name, schema in sorted(schemas.items()):
        for wire_name, node in schema.get("properties", {}).items():
            unit = node.get("x-unit")
            if unit is None:
                continue
            if unit not in UNITS or node.get("type") != "integer":
                raise SpecError(f"{name}.{wire_name}: x-unit must be one of {', '.join(UNITS)}, on an integer")
            units.setdefault(class_name(name), {})[wire_name] = unit
    return units


_HEADER = '''"""Facts of the Partner API's OpenAPI document, as plain data: the one table the client, the sandbox
and the command line read.

GENERATED by `make generate` from openapi/partner-api.yaml (generator/spec_facts.py). Do not edit: change the
spec and regenerate. Data only: the types (`Operation`, `ModelRules`, `FieldRule`, `Pagination`) and the rules
that read them (`is_default_value`, `ecma_pattern`) are hand-written in `partner_api._spec_types`.

- `OPERATIONS`: operationId -> `Operation` (path, tag, summary, description, request/response models,
  `safe_to_retry` from `x-safe-to-retry`, `payload` (the field an OK answer always carries), `pagination` from
  `x-pagination`).
- `REQUEST_RULES`: request model class name -> `ModelRules` (its `FieldRule`s with wire name, python name, JSON
  type, required, enum choices, bounds, lengths, pattern, description; `one_of_required` from `x-one-of-required`).
- `ANSWER_RULES`: the same for the success answers (login included) and the objects they nest; the sandbox
  writes its answers by them.
- `SAFE_TO_RETRY`: operationId -> `x-safe-to-retry`, for every operation of the spec, login included.
- `RESULT_CODES`: `result` code -> HTTP status (the `ResultCode` enum with `x-http-status`).
- `TAGS`: tag name -> description, in the order the document declares them (the command line's help groups).
- `DESTRUCTIVE`: the operationIds marked `x-destructive: true` (the command line asks for a confirmation).
- `UNITS`: model class name -> {field wire name: `x-unit`} (`unix-seconds`, `bytes`): how the command line reads
  and shows such a field (dates, sizes).
"""

from __future__ import annotations

from partner_api._spec_types import FieldRule, ModelRules, Operation, Pagination

'''


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=110, sort_dicts=False)


def _construct(cls: str, values: dict[str, Any]) -> str:
    return f"{cls}(" + ", ".join(f"{key}={value!r}" for key, value in values.items()) + ")"


def render_module(facts: dict[str, Any]) -> str:
    """The source of `spec_facts.py` (formatted by ruff afterwards)."""
    out = [_HEADER]
    out.append(f"TAGS: dict[str, str] = {_literal(facts['tags'])}\n")
    out.append('"""Tag name -> description, in the order the document declares the tags."""\n\n')
    out.append(f"RESULT_CODES: dict[str, int] = {_literal(facts['result_codes'])}\n")
    out.append('"""`result` code -> HTTP status, in the order of the `ResultCode` enum."""\n\n')
    for table, key in (("REQUEST_RULES", "request_rules"), ("ANSWER_RULES", "answer_rules")):
        out.append(f"{table}: dict[str, ModelRules] = {{\n")
        for model, rules in facts[key].items():
            fields = "".join(_construct("FieldRule", field) + ", " for field in rules["fields"])
            out.append(
                f"    {model!r}: ModelRules(fields=({fields}), one_of_required={rules['one_of_required']!r}, "
                f"description={rules['description']!r}),\n"
            )
        out.append("}\n\n")
    out.append(f"SAFE_TO_RETRY: dict[str, bool] = {_literal(facts['safe_to_retry'])}\n")
    out.append(
        '"""operationId -> `x-safe-to-retry`, login included: may this request be repeated after a failure?"""\n\n'
    )
    out.append(f"DESTRUCTIVE: tuple[str, ...] = {_literal(facts['destructive'])}\n")
    out.append('"""operationIds marked `x-destructive: true`: they delete or reset data."""\n\n')
    out.append(f"UNITS: dict[str, dict[str, str]] = {_literal(facts['units'])}\n")
    out.append('"""Model class name -> {field wire name: `x-unit`} (`unix-seconds`, `bytes`)."""\n\n')
    out.append("OPERATIONS: dict[str, Operation] = {\n")
    for name, operation in facts["operations"].items():
        fields = _construct("Operation", {key: value for key, value in operation.items() if key != "pagination"})
        pagination = operation["pagination"]
        if pagination:
            fields = fields[:-1] + f", pagination={_construct('Pagination', pagination)})"
        out.append(f"    {name!r}: {fields},\n")
    out.append("}\n\n")
    out.append(
        '__all__ = ["ANSWER_RULES", "DESTRUCTIVE", "OPERATIONS", "REQUEST_RULES", "RESULT_CODES", "SAFE_TO_RETRY", '
        '"TAGS", "UNITS"]\n'
    )
    return "".join(out)
