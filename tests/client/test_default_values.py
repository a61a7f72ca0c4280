"""The API's default-value rule on the client side: requests (policies) and responses (defaults filled in)."""

from __future__ import annotations

import warnings

import pytest
from partner_api import DefaultValueError, DefaultValueWarning, PartnerClient
from partner_api_client.models import UserExtraInput

from tests.support.harness import MakeClient
from tests.support.transport import Wire


def test_default_value_error_names_the_field_and_sends_nothing(client: PartnerClient, wire: Wire) -> None:
    with pytest.raises(DefaultValueError) as caught:
        client.get_user(user_id=0)
    assert caught.value.fields == ["user_id"]
    assert "user_id" in str(caught.value) and "missing" in str(caught.value)
    with pytest.raises(DefaultValueError) as caught:
        client.set_user_traffic_limit(user_id=5, traffic_limit=0)
    assert caught.value.fields == ["traffic_limit"]
    assert isinstance(caught.value, ValueError)
    assert wire.requests == []


def test_error_policy_rejects_nested_defaults_with_their_path(client: PartnerClient, wire: Wire) -> None:
    with pytest.raises(DefaultValueError) as caught:
        client.create_user(username="nested", extra=UserExtraInput(country="", language="en"))
    assert caught.value.fields == ["extra.country"]
    assert wire.requests == []


def test_warn_policy_drops_with_a_warning(make_client: MakeClient, wire: Wire) -> None:
    client = make_client(default_values="warn")
    client.create_user(username="warned")
    with pytest.warns(DefaultValueWarning, match="license_id"):
        user = client.update_user(username="warned", license_id=0, enabled=True).user
    assert user is not None and user.enabled is True
    assert wire.bodies("updateUser") == [{"username": "warned", "enabled": True}]


def test_strip_policy_is_silent(make_client: MakeClient, wire: Wire) -> None:
    client = make_client(default_values="strip")
    client.create_user(username="stripped")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        user = client.get_user(user_id=0, username="stripped").user
    assert user is not None and user.username == "stripped"
    assert wire.bodies("getUser") == [{"username": "stripped"}]


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
