"""Hostile and wrong input: each case is rejected with a clear error before a single byte is sent.

The clients here talk to `NoNetwork`, a transport that fails the test if it is ever used (and records the
attempt); `test_sandbox_saw_nothing` replays the whole table against the real sandbox and checks its own
counters, so "nothing was sent" is asserted from both ends.
"""

from __future__ import annotations

import math
import re
from typing import Any

import httpx
import pytest
from partner_api import AsyncPartnerClient, DefaultValueError, PartnerClient
from partner_api_client.models.user_extra_input import UserExtraInput

from tests.support.transport import NoNetwork

SANDBOX_URL = "http://127.0.0.1:9"  # never dialled: the transport refuses to be used


class Unserialisable:
    def __repr__(self) -> str:
        return "<Unserialisable>"


# (id, method, arguments, expected exception type, regex the message must match)
BAD_CALLS: list[tuple[str, str, dict[str, Any], type[Exception], str]] = [
    ("user_id=0", "get_user", {"user_id": 0}, DefaultValueError, r"getUser: user_id equals the default value"),
    ("username=''", "get_user", {"username": ""}, DefaultValueError, r"getUser: username equals the default"),
    ("both default", "get_user", {"user_id": 0, "username": ""}, DefaultValueError, r"user_id, username equal"),
    ("neither identifier", "get_user", {}, ValueError, r"getUser: give user_id or username"),
    ("neither (mutation)", "delete_user", {}, ValueError, r"deleteUser: give user_id or username"),
    ('user_id="5"', "get_user", {"user_id": "5"}, TypeError, r"user_id must be an int, got str '5'"),
    ("user_id=True", "get_user", {"user_id": True}, TypeError, r"user_id must be an int, got bool True"),
    ("user_id=False", "get_user", {"user_id": False}, TypeError, r"user_id must be an int, got bool False"),
    ("user_id=5.0", "get_user", {"user_id": 5.0}, TypeError, r"user_id must be an int, got float"),
    ("user_id=None", "get_user", {"user_id": None}, TypeError, r"user_id must be an int, got NoneType"),
    ("user_id negative", "get_user", {"user_id": -1}, ValueError, r"user_id=-1 is below the minimum 0"),
    ("user_id over int53", "get_user", {"user_id": 2**53}, ValueError, r"user_id=\d+ is above the maximum"),
    ("username=b'alice'", "get_user", {"username": b"alice"}, TypeError, r"username must be a str, got bytes"),
    ("limit=0", "list_users", {"limit": 0}, DefaultValueError, r"listUsers: limit equals the default value"),
    ("limit=-1", "list_users", {"limit": -1}, ValueError, r"listUsers: limit=-1 is below the minimum 0"),
    ("limit=1001", "list_users", {"limit": 1001}, ValueError, r"listUsers: limit=1001 is above the maximum 1000"),
    ("limit='10'", "list_users", {"limit": "10"}, TypeError, r"limit must be an int, got str"),
    ("enabled=1", "list_users", {"enabled": 1}, TypeError, r"enabled must be a bool, got int 1"),
    ("iter limit=1001", "iter_users", {"limit": 1001}, ValueError, r"limit=1001 is above the maximum 1000"),
    ("unknown keyword", "get_user", {"userid": 5}, TypeError, r"unexpected keyword argument 'userid'"),
    ("positional-only misuse", "get_user", {"user": "alice"}, TypeError, r"unexpected keyword argument 'user'"),
    ("traffic_limit=0", "set_user_traffic_limit", {"user_id": 5, "traffic_limit": 0}, DefaultValueError,
     r"setUserTrafficLimit: traffic_limit equals the default"),
    ("traffic_limit<0", "set_user_traffic_limit", {"user_id": 5, "traffic_limit": -5}, ValueError,
     r"traffic_limit=-5 is below the minimum 1"),
    ("required missing", "set_user_traffic_limit", {"user_id": 5}, TypeError,
     r"missing 1 required keyword-only argument: 'traffic_limit'"),
    ("receipt object()", "add_user_purchase",
     {"user_id": 5, "type": "apple", "receipt": {"token": Unserialisable()}}, TypeError,
     r"addUserPurchase: receipt is not JSON-serialisable"),
    ("receipt NaN", "add_user_purchase", {"user_id": 5, "type": "apple", "receipt": {"amount": math.nan}},
     TypeError, r"receipt is not JSON-serialisable"),
    ("receipt set", "add_user_purchase", {"user_id": 5, "type": "apple", "receipt": {"ids": {1, 2}}}, TypeError,
     r"receipt is not JSON-serialisable"),
    ("receipt tuple key", "add_user_purchase", {"user_id": 5, "type": "apple", "receipt": {(1, 2): "x"}},
     TypeError, r"receipt is not JSON-serialisable"),
    ("receipt a list", "add_user_purchase", {"user_id": 5, "type": "apple", "receipt": [1, 2]}, TypeError,
     r"receipt must be a mapping, got list"),
    ("receipt a str", "add_user_purchase", {"user_id": 5, "type": "apple", "receipt": '{"a": 1}'}, TypeError,
     r"receipt must be a mapping, got str"),
    ("username 256 chars", "get_user", {"username": "u" * 256}, ValueError,
     r"getUser: username is 256 characters long, over 255"),
    ("create username 256", "create_user", {"username": "u" * 256}, ValueError, r"username is 256 characters"),
    ("create username ''", "create_user", {"username": ""}, DefaultValueError, r"createUser: username equals"),
    ("auth_method 65", "create_user", {"username": "a", "auth_method": "m" * 65}, ValueError,
     r"auth_method is 65 characters long, over 64"),
    ("device_id 129", "delete_user_device", {"user_id": 5, "device_id": "d" * 129}, ValueError,
     r"device_id is 129 characters long, over 128"),
    ("purchase type 65", "add_user_purchase", {"user_id": 5, "type": "t" * 65, "receipt": {}}, ValueError,
     r"addUserPurchase: type is 65 characters long, over 64"),
    ("cursor 1025", "list_users", {"cursor": "c" * 1025}, ValueError, r"cursor is 1025 characters long, over 1024"),
    ("extra.country 3", "update_user", {"user_id": 5, "extra": {"country": "USA"}}, ValueError,
     r"updateUser: extra\.country is 3 characters long, over 2"),
    ("extra.country lower", "create_user", {"username": "a", "extra": UserExtraInput(country="us")}, ValueError,
     r"createUser: extra\.country='us' does not match"),
    ("extra.language 36", "update_user", {"user_id": 5, "extra": {"language": "en-" + "a" * 33}}, ValueError,
     r"extra\.language is 36 characters long, over 35"),
    ("extra.language newline", "update_user", {"user_id": 5, "extra": {"language": "en\n"}}, ValueError,
     r"extra\.language='en\\n' does not match"),
    ("extra.country newline", "update_user", {"user_id": 5, "extra": {"country": "U\n"}}, ValueError,
     r"extra\.country='U\\n' does not match"),
    ("extra unknown field", "update_user", {"user_id": 5, "extra": {"city": "Paris"}}, TypeError,
     r"extra has unknown field\(s\) city"),
    ("extra.country=''", "update_user", {"user_id": 5, "extra": {"country": ""}}, DefaultValueError,
     r"updateUser: extra\.country equals the default"),
    ("extra a str", "update_user", {"user_id": 5, "extra": "FR"}, TypeError,
     r"extra must be UserExtraInput or a mapping, got str"),
    ("group_by enum", "get_traffic_report", {"start_time": 1, "end_time": 2, "group_by": "week"}, ValueError,
     r"group_by must be one of country, day, not 'week'"),
    ("report start 0", "get_traffic_report", {"start_time": 0, "end_time": 2}, DefaultValueError,
     r"getTrafficReport: start_time equals the default"),
]  # fmt: skip

BAD_BASE_URLS: list[tuple[str, str, str]] = [
    ("no scheme", "partner.example.com", r"has no scheme"),
    ("no scheme, with port", "127.0.0.1:8080", r"has no scheme"),
    ("http non-loopback", "http://partner.example.com", r"plain http to a non-loopback host"),
    ("http private address", "http://10.0.0.5:8080", r"plain http to a non-loopback host"),
    ("http lookalike host", "http://127.0.0.1.example.com", r"plain http to a non-loopback host"),
    ("ftp", "ftp://partner.example.com", r"not an http\(s\) URL"),
    ("no host", "https://", r"not an http\(s\) URL with a host"),
    ("credentials in URL", "https://user:pw@partner.example.com", r"must not carry credentials"),
]


def _ids(table: list[tuple[Any, ...]]) -> list[str]:
    return [row[0] for row in table]


def _invoke(client: PartnerClient, method: str, arguments: dict[str, Any]) -> None:
    result = getattr(client, method)(**arguments)
    if method == "iter_users":  # a generator: nothing happens until the first item is asked for
        next(iter(result))


async def _ainvoke(client: AsyncPartnerClient, method: str, arguments: dict[str, Any]) -> None:
    if method == "iter_users":
        async for _ in client.iter_users(**arguments):
            return
    else:
        await getattr(client, method)(**arguments)


@pytest.fixture
def sync_client(no_network: NoNetwork) -> Any:
    client = PartnerClient(SANDBOX_URL, "project", "private-key", http_client=httpx.Client(transport=no_network))
    yield client
    client.close()


@pytest.mark.parametrize(("case", "method", "arguments", "error", "message"), BAD_CALLS, ids=_ids(BAD_CALLS))
def test_bad_arguments_rejected_before_sending(
    sync_client: PartnerClient, no_network: NoNetwork, case: str, method: str, arguments: dict[str, Any],
    error: type[Exception], message: str,
) -> None:  # fmt: skip
    with pytest.raises(error, match=message) as caught:
        _invoke(sync_client, method, arguments)
    assert type(caught.value) is error  # a DefaultValueError is not enough where a range error is due, and back
    assert no_network.calls == []
    assert sync_client.login_count == 0


@pytest.mark.parametrize(("case", "method", "arguments", "error", "message"), BAD_CALLS, ids=_ids(BAD_CALLS))
async def test_bad_arguments_rejected_before_sending_async(
    no_network: NoNetwork, case: str, method: str, arguments: dict[str, Any], error: type[Exception], message: str,
) -> None:  # fmt: skip
    async with AsyncPartnerClient(
        SANDBOX_URL, "project", "private-key", http_client=httpx.AsyncClient(transport=no_network)
    ) as client:
        with pytest.raises(error, match=message):
            await _ainvoke(client, method, arguments)
        assert no_network.calls == []
        assert client.login_count == 0


@pytest.mark.parametrize("policy", ["strip", "warn"])
@pytest.mark.parametrize(
    ("method", "arguments", "error", "fields", "message"),
    [
        ("get_user", {"user_id": 0}, ValueError, None, r"give user_id or username"),
        ("get_user", {"username": ""}, ValueError, None, r"give user_id or username"),
        ("set_user_traffic_limit", {"user_id": 5, "traffic_limit": 0}, DefaultValueError, ["traffic_limit"],
         r"traffic_limit equals the default"),
        ("create_user", {"username": ""}, DefaultValueError, ["username"], r"username equals the default"),
    ],
)  # fmt: skip
def test_lenient_policies_still_refuse_what_cannot_be_sent(
    no_network: NoNetwork, policy: str, method: str, arguments: dict[str, Any], error: type[ValueError],
    fields: list[str] | None, message: str,
) -> None:  # fmt: skip
    """Policies "strip"/"warn" drop a default only where the request still means something; a missing identifier or a
    required field equal to its default is an error under every policy."""
    client = PartnerClient(
        SANDBOX_URL, "project", "private-key", default_values=policy,  # type: ignore[arg-type]
        http_client=httpx.Client(transport=no_network),
    )  # fmt: skip
    with pytest.raises(ValueError, match=message) as caught:
        getattr(client, method)(**arguments)
    assert type(caught.value) is error
    if fields is not None:
        assert caught.value.fields == fields  # type: ignore[attr-defined]
    assert no_network.calls == []


@pytest.mark.parametrize(("case", "base_url", "message"), BAD_BASE_URLS, ids=_ids(BAD_BASE_URLS))
@pytest.mark.parametrize("client_class", [PartnerClient, AsyncPartnerClient])
def test_bad_base_url_rejected_before_sending(
    no_network: NoNetwork, client_class: type[Any], case: str, base_url: str, message: str
) -> None:
    http = httpx.Client(transport=no_network) if client_class is PartnerClient else httpx.AsyncClient(
        transport=no_network
    )  # fmt: skip
    with pytest.raises(ValueError, match=message) as caught:
        client_class(base_url, "project", "private-key", http_client=http)
    assert "private-key" not in str(caught.value)
    assert no_network.calls == []


@pytest.mark.parametrize(
    ("case", "arguments", "message"),
    [
        ("empty project id", {"project_id": ""}, r"project_id must be a non-empty string"),
        ("empty private key", {"private_key": ""}, r"private_key must be a non-empty string"),
        ("private key not a str", {"private_key": b"key"}, r"private_key must be a non-empty string"),
        ("zero timeout", {"timeout": 0}, r"timeout must be > 0"),
        ("negative refresh margin", {"refresh_margin": -1}, r"refresh_margin must be >= 0"),
        ("unknown default policy", {"default_values": "ignore"}, r"default_values must be one of"),
        ("negative max_retries", {"max_retries": -1}, r"max_retries"),
    ],
)
def test_bad_client_options_rejected(no_network: NoNetwork, case: str, arguments: dict[str, Any], message: str) -> None:
    options: dict[str, Any] = {"project_id": "project", "private_key": "private-key", **arguments}
    with pytest.raises(ValueError, match=message):
        PartnerClient(SANDBOX_URL, http_client=httpx.Client(transport=no_network), **options)
    assert no_network.calls == []


def test_plain_http_redirect_target_is_refused(no_network: NoNetwork) -> None:
    """The low-level client can be pointed at any URL: the bearer token still never goes over plain http
    to a non-loopback host (the auth flow checks every request, not only the base URL)."""
    client = PartnerClient(SANDBOX_URL, "project", "private-key", http_client=httpx.Client(transport=no_network))
    with pytest.raises(ValueError, match=r"refusing to send a bearer token over plain http to partner\.example\.com"):
        client.low_level.get_httpx_client().post("http://partner.example.com/partner/v2/getUser", json={"user_id": 5})
    assert no_network.calls == []
    assert client.login_count == 0


def test_error_messages_quote_bad_values_briefly(sync_client: PartnerClient) -> None:
    """A huge bad value is quoted, not dumped: the message stays readable."""
    with pytest.raises(TypeError) as caught:
        sync_client.get_user(user_id="9" * 10_000)  # type: ignore[arg-type]
    assert len(str(caught.value)) < 200
    assert re.search(r"got str '9+\.\.\.", str(caught.value))


def test_sandbox_saw_nothing(sandbox: Any) -> None:
    """The whole table again, against the real sandbox through a normal client: it received no request."""
    with PartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        for case, method, arguments, error, message in BAD_CALLS:
            with pytest.raises(error, match=message):
                _invoke(client, method, arguments)
            assert sandbox.stats().total_requests == 0, case
        assert client.get_user(user_id=1).user.id == 1  # and the client is fine afterwards
    assert sandbox.stats().requests == {"login": 1, "getUser": 1}


async def test_sandbox_saw_nothing_async(sandbox: Any) -> None:
    async with AsyncPartnerClient(sandbox.base_url, sandbox.project_id, sandbox.private_key) as client:
        for _case, method, arguments, error, message in BAD_CALLS:
            with pytest.raises(error, match=message):
                await _ainvoke(client, method, arguments)
        assert sandbox.stats().total_requests == 0
        assert (await client.get_user(user_id=1)).user.id == 1
    assert sandbox.stats().requests == {"login": 1, "getUser": 1}
