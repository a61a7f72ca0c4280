"""The API's default-value rule on the client side: requests (policies) and responses (defaults filled in)."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest
from partner_api import DefaultValueError, DefaultValueWarning, PartnerClient
from partner_api_client.models import UserExtraInput
from partner_api_client.types import UNSET

from .conftest import Recorder, RecordingTransport


def _client(sandbox: Any, recorder: Recorder, policy: str) -> PartnerClient:
    http = httpx.Client(transport=RecordingTransport(recorder))
    return PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key, http_client=http,
                         default_values=policy)  # type: ignore[arg-type]  # fmt: skip


def test_error_policy_rejects_nested_defaults_with_their_path(client: PartnerClient, recorder: Recorder) -> None:
    with pytest.raises(DefaultValueError) as caught:
        client.create_user(username="nested", extra=UserExtraInput(country="", language="en"))
    assert caught.value.fields == ["extra.country"]
    assert recorder.requests == []


def test_warn_policy_drops_with_a_warning(sandbox: Any, recorder: Recorder) -> None:
    with _client(sandbox, recorder, "warn") as client:
        client.create_user(username="warned")
        with pytest.warns(DefaultValueWarning, match="license_id"):
            user = client.update_user(username="warned", license_id=0, enabled=True).user
    assert user is not None and user.enabled is True
    assert recorder.bodies("updateUser") == [{"username": "warned", "enabled": True}]


def test_strip_policy_is_silent(sandbox: Any, recorder: Recorder) -> None:
    with _client(sandbox, recorder, "strip") as client:
        client.create_user(username="stripped")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            user = client.get_user(user_id=0, username="stripped").user
    assert user is not None and user.username == "stripped"
    assert recorder.bodies("getUser") == [{"username": "stripped"}]


def test_required_field_with_default_value_always_raises(sandbox: Any, recorder: Recorder) -> None:
    with _client(sandbox, recorder, "strip") as client, pytest.raises(DefaultValueError) as caught:
        client.create_user(username="")
    assert caught.value.fields == ["username"]
    assert recorder.requests == []


def test_absent_response_scalars_read_as_defaults(client: PartnerClient) -> None:
    created = client.create_user(username="fresh").user
    assert created is not None
    client.update_user(user_id=created.id, enabled=False)
    user = client.get_user(user_id=created.id).user
    assert user is not None
    assert user.enabled is False and isinstance(user.enabled, bool)
    assert isinstance(user.license_id, int) and isinstance(user.auth_method, str)
    devices = client.list_user_devices(user_id=created.id).devices
    assert devices == []
    traffic = client.get_user_traffic(user_id=created.id).traffic
    assert traffic is not None and traffic.traffic_used == 0 and traffic.traffic_limit == 0


def test_absent_nested_object_stays_unset_and_absent_arrays_are_empty() -> None:
    from partner_api_client.models import ListUsersResponse, UserResponse

    answer = UserResponse.from_dict({"result": "OK", "user": {"id": 3}})
    assert answer.user.extra is UNSET
    assert (answer.user.username, answer.user.enabled, answer.error) == ("", False, "")
    with pytest.raises(KeyError):  # `user` is required in an OK answer; the client reports a ServerError
        UserResponse.from_dict({"result": "OK"})
    page = ListUsersResponse.from_dict({"result": "OK"})
    assert (page.users, page.next_cursor) == ([], "")
