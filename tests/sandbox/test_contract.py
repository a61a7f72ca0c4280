"""schemathesis against the running sandbox with the project's spec: no 5xx, every answer valid against it.

Bounded (25 examples per operation) and deterministic (derandomized, no example database). The spec's
at-least-one-of groups (`x-one-of-required`) reach schemathesis as `anyOf` through tests/support/schemathesis_hooks.py.
JSON Schema cannot express the remaining semantic rules, so schemathesis's "positive data is accepted" check is
replaced by a stricter one: a 400 answer to schema-valid data is allowed only for an empty report window or a cursor
the server never issued (never for a missing identifier: the hook states that rule).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from partner_api.sandbox import SandboxServer
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support import schemathesis_hooks

from .conftest import Api

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "partner-api.yaml"
EXAMPLES_PER_OPERATION = 25
SEMANTIC_REJECTIONS = ("end_time must be after start_time", "invalid cursor:")

assert schemathesis_hooks.before_load_schema  # registered on import: every schema loaded below gets the rules back
schema = schemathesis.openapi.from_path(SPEC)
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE], max_examples=EXAMPLES_PER_OPERATION, deterministic=True, database="none"
)
# The last test reads what the others recorded in ANSWERS: under xdist one worker runs the module, in order.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("sandbox-contract")]

ANSWERS: Counter[tuple[str, int]] = Counter()


@pytest.fixture(scope="module")
def contract_sandbox() -> Iterator[SandboxServer]:
    """A sandbox of its own, with data for the generated requests to hit."""
    with SandboxServer(seed=20, admin=True) as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def bearer(contract_sandbox: SandboxServer) -> dict[str, str]:
    form = {"login": contract_sandbox.project_id, "password": contract_sandbox.private_key}
    token = httpx.post(contract_sandbox.base_url + "/partner/login", data=form, trust_env=False).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def semantic_rejections_only(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schema-valid request may only be refused with 400 for a rule the spec cannot express."""
    if response.status_code == 400:
        message = response.json().get("error", "")
        assert message.startswith(SEMANTIC_REJECTIONS), f"schema-valid request rejected: {message}"
    return None


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_sandbox_conforms_to_the_spec(case: Any, contract_sandbox: SandboxServer, bearer: dict[str, str]) -> None:
    response = case.call_and_validate(
        base_url=contract_sandbox.base_url,
        headers=bearer,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[semantic_rejections_only],
    )
    ANSWERS[(case.operation.label, response.status_code)] += 1


def test_the_sandbox_still_answers_normally_afterwards(contract_sandbox: SandboxServer, bearer: dict[str, str]) -> None:
    assert ANSWERS, "the schemathesis run above did not happen"
    assert all(status < 500 for _, status in ANSWERS)
    operations = {label for label, _ in ANSWERS}
    assert len(operations) == 18
    with httpx.Client(base_url=contract_sandbox.base_url, headers=bearer, trust_env=False) as http:
        created = http.post("/partner/v2/createUser", json={"username": "after-the-fuzzing"}).json()["user"]
        assert http.post("/partner/v2/getUser", json={"user_id": created["id"]}).json()["user"] == created
    stats = contract_sandbox.stats()
    assert stats.faults == {}
    assert stats.total_requests >= sum(ANSWERS.values())


IDENTIFIERS = ({}, {"user_id": 0}, {"username": ""}, {"user_id": 0, "username": ""}, {"user_id": 0.0},
               {"user_id": "ID"}, {"user_id": 1.0}, {"username": "NAME"}, {"user_id": 0, "username": "NAME"},
               {"user_id": "ID", "username": ""})  # fmt: skip


def _a_valid_value(node: dict[str, Any]) -> Any:
    if node.get("type") == "integer":
        return max(node.get("minimum", 1), 1)
    if node.get("type") == "string":
        return "x" * max(node.get("minLength", 1), 1)
    return {}


@pytest.mark.usefixtures("partner_sandbox")
def test_the_sandbox_refuses_exactly_what_the_identifier_rule_refuses(api: Api) -> None:
    """Each operation with an `x-one-of-required` group, each identifier body: the sandbox answers 400 exactly when
    the rule as the schemathesis hook states it (`anyOf`, a non-default value) refuses the body."""
    from jsonschema import Draft202012Validator

    document = schemathesis_hooks.restore_standard_rules(yaml.safe_load(SPEC.read_text()))
    schemas = document["components"]["schemas"]
    checked = refused = 0
    for path, item in document["paths"].items():
        name = item["post"]["requestBody"]["content"].get("application/json", {}).get("schema", {}).get("$ref", "")
        schema = schemas.get(name.rsplit("/", 1)[-1], {})
        if "x-one-of-required" not in schema:
            continue
        validator = Draft202012Validator({"$ref": name, "components": document["components"]})
        others = {field: _a_valid_value(schemas.get(node.get("$ref", "/").rsplit("/", 1)[-1], node))
                  for field, node in schema["properties"].items()
                  if field in schema.get("required", [])}  # fmt: skip
        for identifier in IDENTIFIERS:
            user = api.create_user(f"user-{checked}")
            values = {"ID": user["id"], "NAME": user["username"]}
            body = {**others, **{key: values.get(value, value) for key, value in identifier.items()}}
            response = api.call(path.rsplit("/", 1)[-1], body)
            valid = validator.is_valid(body)
            assert (response.status_code == 400) is not valid, (path, body, response.text)
            if not valid:
                assert response.json()["error"].startswith("missing identifier:"), (path, body, response.text)
            checked += 1
            refused += not valid
    assert checked == 13 * len(IDENTIFIERS) and refused == 13 * 5  # the 13 operations that name one user
