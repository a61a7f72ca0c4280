"""Secrets: the private key and every issued token stay out of logs, reprs, exception text and tracebacks.

One scenario per client flavour, with DEBUG logging of everything (root logger: `partner_api`, `httpx`,
`httpcore`, the sandbox) captured: login, renewal (injected clock), replay after revocation, a careless
server that quotes the Authorization header and the login form back in its error messages, a reset
connection, a NOT_FOUND, and a failed login with a wrong key. The issued tokens are taken from the login
answers on the wire (the sandbox keeps only digests).
"""

from __future__ import annotations

import logging
import pickle
import secrets
import traceback
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from partner_api import (
    APIConnectionError,
    AuthenticationError,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    PartnerClient,
)

from tests.support.clock import FakeClock
from tests.support.harness import MakeHarness

MASK = "********"


def _texts_of_error(error: BaseException) -> list[tuple[str, str]]:
    # Stricter than asked: every frame's local variables too (what a crash reporter or `pytest -l` shows),
    # from the frame below this test's own (which holds the secrets on purpose) down, causes included.
    below_test = error.__traceback__.tb_next if error.__traceback__ is not None else None
    with_locals = traceback.TracebackException(type(error), error, below_test, capture_locals=True)
    texts = [
        ("format_exception with locals", "".join(with_locals.format())),
        ("repr", repr(error)),
        ("str", str(error)),
        ("args", repr(error.args)),
        ("vars", repr(vars(error))),
        ("format_exception", "".join(traceback.format_exception(error))),
        ("pickle", pickle.dumps(error).decode("latin-1")),
    ]
    cause = error.__cause__ or error.__context__
    if cause is not None:
        texts += [("cause repr", repr(cause)), ("cause str", str(cause))]
    return [(f"{type(error).__name__} {where}", text) for where, text in texts]


def _texts_of_client(client: Any) -> list[tuple[str, str]]:
    tokens = client._tokens  # adversarial: what a debugger or a careless `print(vars(...))` would show
    return [
        ("client repr", repr(client)),
        ("client str", str(client)),
        ("client vars", repr(vars(client))),
        ("token manager vars", repr(vars(tokens))),
        ("current token", repr(tokens.current)),
    ]


async def test_no_secret_in_logs_reprs_or_tracebacks(
    harness: MakeHarness, sandbox: Any, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("partner_api", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    app_log = logging.getLogger("reliability.app")  # the user's own logger, logging our exceptions
    texts: list[tuple[str, str]] = []
    errors: list[BaseException] = []

    clock = FakeClock()
    h = harness(clock=clock)
    answers = [await h.call("get_user", user_id=1)]  # login
    clock.advance(3600)  # past renew time: a second login
    answers.append(await h.call("list_users", limit=2))
    assert sandbox.revoke_tokens() == 2
    answers.append(await h.call("get_user_traffic", user_id=1))  # NOT_AUTHORIZED, third login, replay
    answers.append(await h.call("list_user_purchases", user_id=3))
    stats = sandbox.stats()
    assert stats.logins == 3
    assert stats.not_authorized == 1

    with pytest.raises(NotFoundError) as not_found:
        await h.call("get_user", user_id=999_999)
    errors.append(not_found.value)

    sandbox.inject_fault("getUser", reset=True, count=3)
    with pytest.raises(APIConnectionError) as dropped:
        await h.call("get_user", user_id=1)
    errors.append(dropped.value)
    sandbox.clear_faults()

    h.transport.echoes.refuse("/partner/v2/getUser", times=1)  # the server quotes our bearer token back
    with pytest.raises(InvalidParametersError) as echoed:
        await h.call("get_user", user_id=1)
    errors.append(echoed.value)
    assert f"Authorization=Bearer {MASK}" in echoed.value.message  # the quote arrived, redacted

    fresh = harness()  # a careless login endpoint quotes the form, password included
    fresh.transport.echoes.refuse("/partner/login", times=1)
    with pytest.raises(InvalidParametersError) as echoed_login:
        await fresh.call("get_user", user_id=1)
    errors.append(echoed_login.value)
    assert f"password={MASK}" in echoed_login.value.message

    wrong_key = "wrong-" + secrets.token_urlsafe(18)
    intruder = harness(private_key=wrong_key)
    with pytest.raises(AuthenticationError) as refused:
        await intruder.call("get_user", user_id=1)
    errors.append(refused.value)
    assert sandbox.stats().failed_logins == 1

    for error in errors:
        app_log.error("partner call failed", exc_info=error)  # tracebacks into the captured log too
        texts += _texts_of_error(error)
    for client in (h.client, fresh.client, intruder.client):
        texts += _texts_of_client(client)
    texts += [(f"answer {i} repr", repr(answer)) for i, answer in enumerate(answers)]
    texts.append(("log text", caplog.text))
    for record in caplog.records:
        texts.append((f"log record {record.name}", f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"))

    tokens = h.wire.tokens
    assert len(tokens) == 3
    assert len(set(tokens)) == 3
    assert all(len(token) >= 20 for token in tokens)
    forbidden = {
        "private key": sandbox.private_key,
        "wrong key": wrong_key,
        **{f"token {i}": t for i, t in enumerate(tokens)},
    }

    # the capture is real: every logger we promise to keep clean did log something
    loggers = {record.name.split(".")[0] for record in caplog.records}
    assert {"partner_api", "httpx", "httpcore", "reliability"} <= loggers, loggers
    assert any("partner_api login #3" in record.getMessage() for record in caplog.records)

    leaks = [(what, where) for what, secret in forbidden.items() for where, text in texts if secret in text]
    assert leaks == [], f"secrets leaked: {leaks}"


async def test_secret_cut_by_the_message_limit_is_still_masked(harness: MakeHarness) -> None:
    """Error messages are cut at 500 characters; a quoted token straddling the cut must not leave its head."""
    h = harness()
    await h.call("get_user", user_id=1)
    (token,) = h.wire.tokens
    h.transport.echo_padding = 500 - len("rejected Authorization=Bearer ") - 10  # the token starts at 490
    h.transport.echoes.refuse("/partner/v2/getUser", times=1)
    with pytest.raises(InvalidParametersError) as caught:
        await h.call("get_user", user_id=1)
    message = caught.value.message
    assert message.startswith("~" * 400)  # the quote arrived
    assert len(message) <= 500
    assert token[:10] not in message
    assert token[:10] not in str(caught.value)


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda key: httpx.Response(502, content=("~" * 190 + key).encode()), id="non-JSON body"),
        pytest.param(lambda key: httpx.Response(400, json={"quote": "~" * 170 + key}), id="no result field"),
    ],
)
def test_secret_cut_by_a_quote_limit_is_still_masked(answer: Callable[[str], httpx.Response]) -> None:
    """A non-JSON body or an answer without `result` is quoted up to 200 characters: a key straddling that cut
    must not leave its head in the message."""
    key = "pk-" + secrets.token_hex(24)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login"):
            return httpx.Response(200, json={"result": "OK", "access_token": "t" * 32, "create_time": 1,
                                             "expire_time": 3601})  # fmt: skip
        return answer(key)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with PartnerClient("https://partner.example.com", "project", key, http_client=http, max_retries=0) as client:
        with pytest.raises(PartnerAPIError) as caught:
            client.get_user(user_id=1)
    assert "~" * 150 in caught.value.message  # the quote arrived
    assert key[:8] not in str(caught.value)
