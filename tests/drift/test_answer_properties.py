"""Property: whatever JSON an operation is answered with, the client raises a `PartnerAPIError` or returns a model
whose every attribute has its declared type.

Hypothesis feeds arbitrary JSON, nested to depth 4 (and bodies that are not JSON), to every operation's answer
parsing, through the generated code: `PartnerClient` (sync), `AsyncPartnerClient` and the low-level endpoint
functions over `client.low_level`, strict and lenient. Half of the answers are shaped like the operation's own
answer (its field names, at every level, with arbitrary values), so the parse goes deep. A successful parse is
checked against the type hints of every field of every model it holds (`attrs.fields`, `typing.get_type_hints`),
not against hand-picked fields: `True` is no `int`, an `int` no `float`.

Settings: 300 examples per test (sync, async, low level: 900 answers in all), no deadline; about 15 s of CPU in all.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import keyword
import subprocess
import sys
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_api import AsyncPartnerClient, PartnerAPIError, PartnerClient
from partner_api import low_level as low_level_functions
from partner_api_client import models
from partner_api_client.spec_facts import OPERATIONS, REQUEST_RULES, FieldRule
from partner_api_client.types import Unset

EXAMPLES = 300
BASE_URL = "https://partner.example.com"
LOGIN = {"result": "OK", "access_token": "token-properties", "create_time": 1_000_000, "expire_time": 1_086_400}
STATUSES = (200, 200, 200, 200, 200, 400, 404, 500)

JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)


def json_values(depth: int = 4) -> st.SearchStrategy[Any]:
    """Any JSON value, nested `depth` levels at most."""
    if depth == 0:
        return JSON_LEAVES
    inner = json_values(depth - 1)
    return JSON_LEAVES | st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(inspect.getmodule(cls)))


def _parts(hint: Any) -> list[Any]:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return [part for part in typing.get_args(hint) if part is not Unset]
    return [hint]


def _wire(name: str) -> str:
    return name[:-1] if name.endswith("_") and keyword.iskeyword(name[:-1]) else name


def valid(hint: Any, depth: int) -> st.SearchStrategy[Any]:
    """A value of the declared type `hint` (nested models shaped in turn), as an answer would carry it."""
    (kind,) = _parts(hint)
    if inspect.isclass(kind) and attrs.has(kind):
        return shaped(kind, depth - 1) if depth > 1 else st.just({})
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        return st.lists(field_value(item, depth - 1), max_size=3) if depth > 1 else st.just([])
    if typing.get_origin(kind) is typing.Literal:
        return st.sampled_from(typing.get_args(kind))
    if kind is int:
        return st.integers() | st.integers(-(2**53), 2**53).map(float)  # JSON's whole-number floats too
    if kind is float:
        return st.floats(allow_nan=False) | st.integers()
    if kind is bool:
        return st.booleans()
    if kind is str:
        return st.text(max_size=8)
    return json_values(max(depth - 1, 0))


def field_value(hint: Any, depth: int) -> st.SearchStrategy[Any]:
    """Mostly a value of the declared type; else any JSON (a null, another type): seven to one."""
    right = valid(hint, depth)
    return st.one_of(*[right] * 7, json_values(max(depth - 1, 0)))


def shaped(cls: type, depth: int = 4) -> st.SearchStrategy[Any]:
    """An object with `cls`'s field names (the optional ones sometimes left out), each mostly of its declared type;
    depth 4 at most."""
    hints = _hints(cls)
    fields = [field for field in attrs.fields(cls) if field.init]
    required = {_wire(f.name): field_value(hints[f.name], depth) for f in fields if f.default is attrs.NOTHING}
    optional = {_wire(f.name): field_value(hints[f.name], depth) for f in fields if f.default is not attrs.NOTHING}
    return st.fixed_dictionaries(required, optional=optional)


def answers(model: type) -> st.SearchStrategy[tuple[int, bytes]]:
    """(status, body): mostly an OK answer shaped like `model`; else shaped without `result: OK`, any JSON, or bytes
    that are not JSON (a `sampled_from` of kinds: hypothesis flattens a `one_of`, so it would not weigh them)."""
    kinds: dict[str, st.SearchStrategy[bytes]] = {
        "ok": shaped(model).map(lambda body: json.dumps({**body, "result": "OK"}).encode()),
        "shaped": shaped(model).map(lambda body: json.dumps(body).encode()),
        "any": json_values().map(lambda value: json.dumps(value).encode()),
        "bytes": st.binary(max_size=20),
    }
    body = st.sampled_from(["ok", "ok", "ok", "ok", "shaped", "any", "bytes"]).flatmap(kinds.__getitem__)
    return st.tuples(st.sampled_from(STATUSES), body)


def argument(rule: FieldRule) -> Any:
    """A valid value for a required request field, from its rule (type, bounds, choices)."""
    if rule.kind == "int":
        return int(rule.minimum) if rule.minimum else 1
    if rule.kind == "enum":
        return rule.choices[0]
    if rule.kind == "bool":
        return True
    if rule.kind in ("model", "object"):
        return {}
    return "x" * max(rule.min_length or 1, 1)


def arguments(operation: str) -> dict[str, Any]:
    rules = REQUEST_RULES[OPERATIONS[operation].request_model]
    needed = [rule for rule in rules.fields if rule.required or rule.json_name in rules.one_of_required[:1]]
    return {rule.python_name: argument(rule) for rule in needed}


def check_types(value: Any, hint: Any, where: str) -> None:
    """`value` has type `hint` exactly (a union: one of its members; `bool` is not an `int` here)."""
    if hint is Any:
        return
    members = _parts(hint) + ([Unset] if Unset in typing.get_args(hint) else [])
    for member in members:
        if member is Unset and isinstance(value, Unset):
            return
        if typing.get_origin(member) is typing.Literal and isinstance(value, str) and value in typing.get_args(member):
            return
        if typing.get_origin(member) is list and type(value) is list:
            (item,) = typing.get_args(member)
            for index, entry in enumerate(value):
                check_types(entry, item, f"{where}[{index}]")
            return
        if typing.get_origin(member) is dict and type(value) is dict:
            return  # additional_properties: any JSON
        if inspect.isclass(member) and attrs.has(member) and type(value) is member:
            check_model(value, where)
            return
        if member in (int, float, str, bool) and type(value) is member:
            return
    pytest.fail(f"{where} holds {type(value).__name__}, declared {hint}")


def check_model(instance: Any, where: str) -> None:
    hints = _hints(type(instance))
    for field in attrs.fields(type(instance)):
        check_types(getattr(instance, field.name), hints[field.name], f"{where}.{field.name}")


class Served:
    """A MockTransport that logs in and answers every operation with the body of the current example."""

    def __init__(self) -> None:
        self.status, self.body = 200, b"{}"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/partner/login"):
            return httpx.Response(200, json=LOGIN)
        return httpx.Response(self.status, content=self.body, headers={"content-type": "application/json"})


def cases() -> st.SearchStrategy[tuple[str, bool, tuple[int, bytes]]]:
    return st.sampled_from(sorted(OPERATIONS)).flatmap(
        lambda name: st.tuples(
            st.just(name),
            st.booleans(),
            answers(getattr(models, OPERATIONS[name].response_model)),
        )
    )


PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    database=None)  # fmt: skip


@pytest.fixture
def served() -> Served:
    return Served()


@pytest.fixture
def sync_clients(served: Served) -> Iterator[dict[bool, PartnerClient]]:
    clients = {
        strict: PartnerClient(BASE_URL, "p", "k", max_retries=0, strict_answers=strict,
                              http_client=httpx.Client(transport=httpx.MockTransport(served)))
        for strict in (True, False)
    }  # fmt: skip
    yield clients
    for client in clients.values():
        client.close()


def holds_for_every_answer(served: Served, call: Callable[[str, bool], Any], *, low_level: bool = False) -> None:
    """The property, for `call(operation, strict)`: a `PartnerAPIError`, or a model whose fields have their types."""

    @PROPERTY
    @given(case=cases())
    def run(case: tuple[str, bool, tuple[int, bytes]]) -> None:
        name, strict, (served.status, served.body) = case
        try:
            result = call(name, strict)
        except PartnerAPIError:
            return
        if low_level and result is None:  # a status the operation does not document
            return
        expected = (OPERATIONS[name].response_model, *(("ErrorResponse",) if low_level else ()))
        assert type(result).__name__ in expected
        check_model(result, type(result).__name__)

    run()


def test_sync_client_raises_only_partner_api_errors_and_returns_declared_types(
    served: Served, sync_clients: dict[bool, PartnerClient]
) -> None:
    holds_for_every_answer(served, lambda name, strict: getattr(sync_clients[strict], _method(name))(**arguments(name)))


def test_async_client_raises_only_partner_api_errors_and_returns_declared_types(served: Served) -> None:
    loop = asyncio.new_event_loop()
    clients = {
        strict: AsyncPartnerClient(BASE_URL, "p", "k", max_retries=0, strict_answers=strict,
                                   http_client=httpx.AsyncClient(transport=httpx.MockTransport(served)))
        for strict in (True, False)
    }  # fmt: skip

    def call(name: str, strict: bool) -> Any:
        return loop.run_until_complete(getattr(clients[strict], _method(name))(**arguments(name)))

    try:
        holds_for_every_answer(served, call)
    finally:
        for client in clients.values():
            loop.run_until_complete(client.aclose())
        loop.close()


def test_low_level_functions_raise_only_partner_api_errors_and_return_declared_types(
    served: Served, sync_clients: dict[bool, PartnerClient]
) -> None:
    def call(name: str, strict: bool) -> Any:
        body = getattr(models, OPERATIONS[name].request_model).from_dict(
            {_wire(key): value for key, value in arguments(name).items()}
        )
        module = getattr(low_level_functions, _method(name))
        return module.sync_detailed(client=sync_clients[strict].low_level, body=body).parsed

    holds_for_every_answer(served, call, low_level=True)


def _method(name: str) -> str:
    return "".join(f"_{char.lower()}" if char.isupper() else char for char in name)


def test_the_hand_written_generator_module_passes_mypy_strict() -> None:
    """generator/null_types.py (`make lint`'s mypy covers the package; the readers of answers are in it)."""
    root = Path(__file__).resolve().parents[2]
    files = [root / "generator" / "null_types.py"]
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
                          capture_output=True, text=True, check=False, cwd=root)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
