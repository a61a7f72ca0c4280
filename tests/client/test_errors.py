"""Every exception class, produced by a server (the sandbox, or a closed port) answering that way."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from partner_api import (
    AlreadyExistsError,
    APIConnectionError,
    AuthenticationError,
    DefaultValueError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    PartnerClient,
    RateLimitedError,
    ServerError,
)

from .conftest import Recorder, RecordingTransport


def _client(sandbox: Any, recorder: Recorder, **options: Any) -> PartnerClient:
    http = httpx.Client(transport=RecordingTransport(recorder))
    return PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, http_client=http,
                         sleep=lambda seconds: None, **options)  # fmt: skip


def test_not_found(client: PartnerClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_user(username="nobody-here")
    assert (caught.value.result, caught.value.status_code, caught.value.operation) == ("NOT_FOUND", 404, "getUser")
    assert isinstance(caught.value, PartnerAPIError)


def test_already_exists(client: PartnerClient) -> None:
    client.create_user(username="twice")
    with pytest.raises(AlreadyExistsError) as caught:
        client.create_user(username="twice")
    assert (caught.value.result, caught.value.status_code) == ("USER_ALREADY_EXISTS", 409)


def test_authentication(sandbox: Any, recorder: Recorder) -> None:
    http = httpx.Client(transport=RecordingTransport(recorder))
    with PartnerClient(sandbox.base_url, sandbox.project_id, "not-the-key", http_client=http) as client:
        with pytest.raises(AuthenticationError) as caught:
            client.list_licenses()
    assert (caught.value.result, caught.value.status_code) == ("NOT_AUTHORIZED", 401)
    assert "not-the-key" not in str(caught.value)


def test_invalid_parameters_from_the_server(client: PartnerClient) -> None:
    # The client cannot know the window is upside down; the server says so.
    with pytest.raises(InvalidParametersError) as caught:
        client.get_traffic_report(start_time=2_000_000_000, end_time=1_000_000_000)
    assert (caught.value.result, caught.value.status_code) == ("INVALID_PARAMETERS", 400)


def test_rate_limited_carries_retry_after(sandbox: Any, recorder: Recorder) -> None:
    sandbox.inject_fault("getUser", status=429, retry_after=7, count=1)
    with _client(sandbox, recorder, max_retries=0) as client, pytest.raises(RateLimitedError) as caught:
        client.get_user(username="anyone")
    assert (caught.value.result, caught.value.status_code, caught.value.retry_after) == ("TOO_MANY_REQUESTS", 429, 7)


@pytest.mark.parametrize("body", ["json", "html", "empty"])
@pytest.mark.parametrize("status", [500, 502, 520])
def test_server_errors(sandbox: Any, recorder: Recorder, status: int, body: str) -> None:
    sandbox.inject_fault("listLicenses", status=status, body=body, count=1)
    with _client(sandbox, recorder, max_retries=0) as client, pytest.raises(ServerError) as caught:
        client.list_licenses()
    assert caught.value.status_code == status
    assert recorder.count("listLicenses") == 1


def test_error_result_in_a_200_answer_is_mapped_by_result(sandbox: Any, recorder: Recorder) -> None:
    sandbox.inject_fault("getUser", status=200, result="NOT_FOUND", count=1)
    with _client(sandbox, recorder) as client, pytest.raises(NotFoundError) as caught:
        client.get_user(username="anyone")
    assert (caught.value.result, caught.value.status_code) == ("NOT_FOUND", 200)


def test_connection_error_keeps_the_httpx_cause() -> None:
    waits: list[float] = []
    with PartnerClient("http://127.0.0.1:9", "p", "k", max_retries=1, sleep=waits.append) as client:
        with pytest.raises(APIConnectionError) as caught:
            client.list_licenses()
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.request_sent is False
    assert caught.value.operation == "login"  # it failed logging in, before listLicenses was sent
    assert len(waits) == 1  # so it is retried, max_retries times


def test_default_value_error_names_the_field_and_sends_nothing(client: PartnerClient, recorder: Recorder) -> None:
    with pytest.raises(DefaultValueError) as caught:
        client.get_user(user_id=0)
    assert caught.value.fields == ["user_id"]
    assert "user_id" in str(caught.value) and "missing" in str(caught.value)
    with pytest.raises(DefaultValueError) as caught:
        client.set_user_traffic_limit(user_id=5, traffic_limit=0)
    assert caught.value.fields == ["traffic_limit"]
    assert isinstance(caught.value, ValueError)
    assert recorder.requests == []
