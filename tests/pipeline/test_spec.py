"""The OpenAPI document: valid, complete, and written the way the generators need it."""

from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "partner-api.yaml"
V2_OPERATIONS = {
    "getUser", "createUser", "updateUser", "deleteUser", "listUsers", "getUserTraffic", "setUserTrafficLimit",
    "resetUserTraffic", "deleteUserTrafficLimit", "listUserDevices", "deleteUserDevice", "listUserSessions",
    "addUserPurchase", "listUserPurchases", "deleteUserPurchase", "listLicenses", "getTrafficReport",
}  # fmt: skip


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text())


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {op["operationId"]: (path, op) for path, item in spec["paths"].items() for op in item.values()}


def _resolve(spec: dict[str, Any], ref: str) -> dict[str, Any]:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node  # type: ignore[no-any-return]


def test_document_validates(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_login_and_all_seventeen_v2_operations(spec: dict[str, Any]) -> None:
    operations = _operations(spec)
    assert set(operations) == V2_OPERATIONS | {"login"}
    for operation_id, (path, op) in operations.items():
        assert path.rsplit("/", 1)[-1] == operation_id
        assert list(spec["paths"][path]) == ["post"]
        if operation_id != "login":
            assert path == f"/partner/v2/{operation_id}"
            assert op["security"] == [{"bearerAuth": []}]
            assert "application/json" in op["requestBody"]["content"]
    assert operations["login"][0] == "/partner/login"
    assert operations["login"][1]["security"] == []
    assert "application/x-www-form-urlencoded" in operations["login"][1]["requestBody"]["content"]


def test_provenance_is_marked(spec: dict[str, Any]) -> None:
    status = {op_id: op["x-doc-status"] for op_id, (_, op) in _operations(spec).items()}
    assert set(status.values()) == {"documented", "modelled"}
    assert {op_id for op_id, s in status.items() if s == "documented"} == {"login", "getUser"}


def test_error_codes_and_statuses(spec: dict[str, Any]) -> None:
    responses = spec["components"]["responses"]
    for op_id, (_, op) in _operations(spec).items():
        codes = set(op["responses"])
        assert {"200", "400", "401", "429", "500"} <= codes, op_id
        for code in codes - {"200"}:
            target = _resolve(spec, op["responses"][code]["$ref"])
            assert target["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "Retry-After" in responses["TooManyRequests"]["headers"]
    assert "USER_ALREADY_EXISTS" in responses["AlreadyExists"]["description"]


def _request_schemas(spec: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    pending = [
        content["schema"]["$ref"]
        for _, op in _operations(spec).values()
        for content in op["requestBody"]["content"].values()
    ]
    while pending:
        name = pending.pop().rsplit("/", 1)[-1]
        if name in names:
            continue
        names.add(name)
        for prop in spec["components"]["schemas"][name].get("properties", {}).values():
            if "$ref" in prop:
                pending.append(prop["$ref"])
    return names


def test_no_default_on_request_properties(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    request_schemas = _request_schemas(spec)
    assert {"GetUserRequest", "UserExtraInput", "PurchaseReceipt", "LoginRequest"} <= request_schemas
    for name in request_schemas:
        for prop_name, prop in schemas[name].get("properties", {}).items():
            assert "default" not in prop, f"{name}.{prop_name}: no `default:` on request properties"


def test_response_scalars_carry_their_default(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    expected = {"integer": 0, "string": "", "boolean": False, "array": []}
    for name in set(schemas) - _request_schemas(spec):
        for prop_name, prop in schemas[name].get("properties", {}).items():
            if prop_name == "result" or "$ref" in prop:
                continue
            assert prop.get("default") == expected[prop["type"]], f"{name}.{prop_name}"


def test_every_property_is_described(spec: dict[str, Any]) -> None:
    for name, schema in spec["components"]["schemas"].items():
        assert schema.get("description") or name.endswith("Response"), name
        for prop_name, prop in schema.get("properties", {}).items():
            assert "$ref" in prop or prop.get("description"), f"{name}.{prop_name}"


def test_every_operation_states_its_description_and_retry_safety(spec: dict[str, Any]) -> None:
    assert spec["info"]["contact"]["name"] and spec["info"]["contact"]["url"]
    for op_id, (_, op) in _operations(spec).items():
        assert op.get("description", "").strip(), op_id
        assert isinstance(op.get("x-safe-to-retry"), bool), op_id
    reads = {op_id for op_id, (_, op) in _operations(spec).items() if op["x-safe-to-retry"]}
    assert reads == {"login", "getUser", "listUsers", "getUserTraffic", "listUserDevices", "listUserSessions",
                     "listUserPurchases", "listLicenses", "getTrafficReport"}  # fmt: skip


def test_result_codes_are_an_enum_with_their_statuses(spec: dict[str, Any]) -> None:
    from partner_api_client.spec_facts import RESULT_CODES

    schema = spec["components"]["schemas"]["ResultCode"]
    assert schema["enum"] == list(RESULT_CODES) and schema["x-http-status"] == RESULT_CODES
    assert RESULT_CODES["OK"] == 200 and RESULT_CODES["USER_ALREADY_EXISTS"] == 409


def _validator(spec: dict[str, Any], name: str) -> Any:
    """A JSON Schema validator of one schema, with the rules the schemathesis hook writes back (`anyOf`, `links`)."""
    from jsonschema import Draft202012Validator

    from tests.support.schemathesis_hooks import restore_standard_rules

    components = restore_standard_rules(copy.deepcopy(spec))["components"]
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": components})


def _grouped(spec: dict[str, Any]) -> list[str]:
    return [name for name, schema in spec["components"]["schemas"].items() if "x-one-of-required" in schema]


def test_one_of_required_is_an_extension_generators_ignore(spec: dict[str, Any]) -> None:
    """At least one identifier, with a non-default value: `x-one-of-required`, read into `REQUEST_RULES`, and as the
    schemathesis hook writes it back in JSON Schema (`anyOf`), which accepts and refuses what the sandbox does."""
    from partner_api_client.spec_facts import REQUEST_RULES

    schemas = spec["components"]["schemas"]
    grouped = _grouped(spec)
    assert len(grouped) == 9 and not [name for name, schema in schemas.items() if "anyOf" in schema]
    assert {name for name, rules in REQUEST_RULES.items() if rules.one_of_required} == set(grouped)
    for name in grouped:
        assert REQUEST_RULES[name].one_of_required == ("user_id", "username")
        required = {field: {"user_id": 1, "username": "a"}.get(field, 1) for field in schemas[name].get("required", [])}
        required = {field: "x" if schemas[name]["properties"][field].get("type") == "string" else value
                    for field, value in required.items()}  # fmt: skip
        if "receipt" in required:
            required["receipt"] = {}
        valid = _validator(spec, name).is_valid
        assert valid({**required, "user_id": 7}) and valid({**required, "username": "bob"}), name
        assert valid({**required, "user_id": 0, "username": "bob"}), name  # 0 is absent: username names the user
        assert valid({**required, "user_id": 7, "username": ""}), name
        for body in ({}, {"user_id": 0}, {"username": ""}, {"user_id": 0, "username": ""}):
            assert not valid({**required, **body}), (name, body)


def test_links_are_an_extension_generators_ignore(spec: dict[str, Any]) -> None:
    """swagger-parser wants a link's `requestBody` to be one string; the links live under `x-links` and the
    schemathesis hook turns them back into `links`, each naming a real operation and request field."""
    from tests.support.schemathesis_hooks import restore_standard_rules

    operations = _operations(spec)
    standard = _operations(restore_standard_rules(copy.deepcopy(spec)))
    linked = {}
    for op_id, (_, op) in operations.items():
        for status, response in op["responses"].items():
            assert "links" not in response, (op_id, status)
            if "x-links" in response:
                linked[op_id] = response["x-links"]
                assert standard[op_id][1]["responses"][status]["links"] == response["x-links"]
    assert set(linked) == {"createUser", "listUserDevices", "addUserPurchase"}
    assert sum(len(links) for links in linked.values()) == 14
    for links in linked.values():
        for link in links.values():
            target = operations[link["operationId"]][1]
            body_schema = _resolve(spec, target["requestBody"]["content"]["application/json"]["schema"]["$ref"])
            assert set(link["requestBody"]) <= set(body_schema["properties"]), link
            expressions = link["requestBody"].values()
            assert all(value.startswith(("$response.body#/", "$request.body#/")) for value in expressions), link


def test_every_optional_request_field_accepts_its_default_value(spec: dict[str, Any]) -> None:
    """The default-value rule, stated by the schemas: 0 or "" in an optional field is valid and means absent."""
    schemas = spec["components"]["schemas"]
    for name in _request_schemas(spec) - {"LoginRequest"}:
        schema = schemas[name]
        grouped = "x-one-of-required" in schema
        for field, prop in schema.get("properties", {}).items():
            if field in schema.get("required", []) or prop.get("type") not in ("integer", "string"):
                continue
            default = 0 if prop["type"] == "integer" else ""
            identifier = {"username": "bob"} if grouped and field != "username" else {"user_id": 7}
            body = {**{f: "x" if schema["properties"][f].get("type") == "string" else 1
                       for f in schema.get("required", [])}, **identifier, field: default}  # fmt: skip
            if "receipt" in body:
                body["receipt"] = {}
            if not grouped:
                body.pop("user_id" if field != "user_id" else "username", None)
            body = {k: v for k, v in body.items() if k in schema.get("properties", {})}
            body[field] = default
            assert _validator(spec, name).is_valid(body), (name, field, body)


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ({"anyOf": [{"required": ["user_id"]}, {"required": ["username"]}]}, "not `anyOf`"),
        ({"x-one-of-required": ["user_id", "nickname"]}, "names unknown properties ['nickname']"),
        ({"x-one-of-required": "user_id"}, "must be a non-empty list of distinct field names"),
    ],
)
def test_make_generate_refuses_a_group_it_cannot_read(
    spec: dict[str, Any], tmp_path: Path, group: dict[str, Any], message: str
) -> None:
    """The group in a form openapi-generator cannot consume, or naming no field, stops generation with the reason."""
    edited = copy.deepcopy(spec)
    schema = edited["components"]["schemas"]["GetUserRequest"]
    del schema["x-one-of-required"]
    schema.update(group)
    edited_path = tmp_path / "spec.yaml"
    edited_path.write_text(yaml.safe_dump(edited, sort_keys=False))
    generate = SPEC_PATH.parents[1] / "generator" / "generate.py"
    result = subprocess.run(  # the generator of this checkout
        [sys.executable, generate, "--spec", edited_path, "--output", tmp_path / "out"], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SpecError: GetUserRequest: " in result.stderr and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


@pytest.fixture
def spec_facts(monkeypatch: pytest.MonkeyPatch) -> Any:
    """generator/spec_facts.py of this checkout, loaded by path (the generator is a folder of scripts)."""
    monkeypatch.syspath_prepend(str(SPEC_PATH.parents[1] / "generator"))
    path = SPEC_PATH.parents[1] / "generator" / "spec_facts.py"
    module_spec = importlib.util.spec_from_file_location("_partner_api_spec_facts_generator", path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("node", [{"type": "object"}, {"type": "object", "additionalProperties": False}])
def test_an_inline_object_without_properties_is_a_free_form_field(
    spec: dict[str, Any], spec_facts: Any, node: dict[str, Any]
) -> None:
    """A response field typed only `object` is read as a map (it once crashed the generator with a KeyError)."""
    edited = copy.deepcopy(spec)
    edited["components"]["schemas"]["User"]["properties"]["meta"] = {**node, "description": "Anything."}
    facts = spec_facts.read_facts(edited)
    (meta,) = [f for f in facts["answer_rules"]["User"]["fields"] if f["json_name"] == "meta"]
    assert (meta["kind"], meta["json_type"], "model" in meta) == ("object", "object", False)


def test_an_inline_object_with_properties_is_refused_with_the_place(spec: dict[str, Any], spec_facts: Any) -> None:
    """Its class name would be the code generator's guess: generation stops and names the field."""
    edited = copy.deepcopy(spec)
    inline = {"type": "object", "description": "Nested.", "properties": {"a": {"type": "string", "description": "A."}}}
    edited["components"]["schemas"]["User"]["properties"]["meta"] = inline
    with pytest.raises(spec_facts.SpecError, match=r"^User\.meta: an object with properties is a named schema"):
        spec_facts.read_facts(edited)
