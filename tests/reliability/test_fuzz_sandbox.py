"""Fault-free fuzzing of the sandbox with schemathesis, then a health check of the fuzzed server.

Every operation of openapi/partner-api.yaml gets schema-valid and schema-violating requests (bounded,
derandomized), authenticated with a real bearer token, all against one sandbox whose state accumulates
(users deleted, traffic reset, purchases added...). Each answer must be: no 5xx (no fault is injected
here), a status the spec lists, the spec's content type, a body valid against the spec's response schema,
the spec's headers; and a request without the token must be refused. Afterwards the server must still
answer a normal client normally.

Schema-violating requests must be rejected too (`negative_data_rejection`): the request schemas state the
default-value rule themselves (an optional 0 or "" is valid and means absent), and the at-least-one-of groups
(`x-one-of-required`) reach schemathesis as `anyOf` branches needing a non-default identifier through
tests/support/schemathesis_hooks.py, so the sandbox and the schema agree. Not asserted: that every schema-valid request
is accepted, since JSON Schema cannot say that `end_time` must follow `start_time` or that a cursor must be
one the server handed out.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from partner_api import PartnerClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support import schemathesis_hooks

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "partner-api.yaml"
EXAMPLES_PER_MODE = 10
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    ignored_auth,
    negative_data_rejection,
]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_MODE,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


# Loaded at collection: schemathesis imports its OpenAPI machinery lazily, and compiling those modules deep
# inside a running test has hit CPython 3.11.7's "AST constructor recursion depth mismatch" SystemError.
assert schemathesis_hooks.before_load_schema  # registered on import: the schema below gets the rules back
SCHEMA = schemathesis.openapi.from_path(str(SPEC))


@pytest.fixture(scope="module")
def schema() -> Any:
    return SCHEMA


def _operations(schema: Any) -> list[Any]:
    operations = [result.ok() for result in schema.get_all_operations()]
    return sorted(operations, key=lambda operation: operation.path)


def _token(sandbox: Any) -> str:
    form = {"login": sandbox.project_id, "password": sandbox.private_key}
    answer = httpx.post(sandbox.base_url + "/partner/login", data=form, trust_env=False)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def test_fuzz_every_operation_then_server_is_healthy(sandbox: Any, schema: Any) -> None:
    auth = {"Authorization": f"Bearer {_token(sandbox)}"}
    statuses: Counter[int] = Counter()
    per_operation: Counter[str] = Counter()
    operations = _operations(schema)
    assert len(operations) == 18  # login + 17 v2 operations: none silently skipped

    with requests.Session() as session:
        session.trust_env = False
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @FUZZ_SETTINGS
                @given(case=operation.as_strategy(generation_mode=mode))
                def fuzz(case: Any) -> None:
                    response = case.call(base_url=sandbox.base_url, session=session, headers=auth, timeout=10)
                    statuses[response.status_code] += 1
                    per_operation[case.operation.path.rsplit("/", 1)[-1]] += 1
                    case.validate_response(response, checks=CHECKS, headers=auth)

                fuzz()

    stats = sandbox.stats()
    assert not [status for status in statuses if status >= 500], statuses
    assert stats.faults == {}  # nothing injected: every answer came from the sandbox's own logic
    assert len(per_operation) == 18
    assert min(per_operation.values()) >= 2, per_operation
    assert sum(statuses.values()) <= 18 * 2 * EXAMPLES_PER_MODE * 3  # bounded (ignored_auth adds calls)
    assert statuses[200] > 0  # not everything was rejected: the positive cases reached the logic
    assert any(400 <= status < 500 for status in statuses)

    # the fuzzed server still answers normally
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        created = client.create_user(username="after-the-fuzz", extra={"country": "FR", "language": "fr"})
        assert client.get_user(user_id=created.user.id).user.username == "after-the-fuzz"
        assert client.get_user(username="after-the-fuzz").user.extra.country == "FR"
        listed = list(client.iter_users(limit=50))
        assert "after-the-fuzz" in {user.username for user in listed}
        assert client.list_licenses().licenses
        assert client.login_count == 1


def test_fuzz_checks_catch_an_injected_server_error(sandbox: Any, schema: Any) -> None:
    """Control: the same checks do flag a 5xx (an injected one), so the fuzz above can fail."""
    auth = {"Authorization": f"Bearer {_token(sandbox)}"}
    operation = schema["/partner/v2/getUser"]["POST"]
    sandbox.inject_fault("getUser", status=503, count=1)
    case = operation.Case(body={"user_id": 1}, media_type="application/json")
    response = case.call(base_url=sandbox.base_url, headers=auth)
    assert response.status_code == 503
    with pytest.raises(FailureGroup, match="Server error"):
        case.validate_response(response, checks=CHECKS, headers=auth)
    ok = case.call(base_url=sandbox.base_url, headers=auth)
    assert ok.status_code == 200
    case.validate_response(ok, checks=CHECKS, headers=auth)
