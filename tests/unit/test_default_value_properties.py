"""Property tests of the default-value policy: `RequestBodyBuilder` over the generated `REQUEST_RULES`.

Arguments are drawn per operation straight from the spec's rules (every field absent, equal to its default,
or a valid non-default value; nested `UserExtraInput` as attrs instance or mapping; opaque receipts full of
zeros, "" and false). An independent oracle says what the body must be; the properties:
- the built body never carries a default (0 or "") outside opaque objects;
- building again from the built body gives the same body, under every policy (stripping is idempotent and
  its output is accepted by the strict policy);
- no non-default value is ever dropped or changed; booleans (false included) are always sent;
- opaque receipts are forwarded exactly as given, zeros included;
- a nested model gives the same body as attrs instance and as mapping;
- "error" raises `DefaultValueError` naming exactly the defaulted fields, "warn" warns and strips, and a
  required field or a missing identifier is refused under every policy; the caller's arguments are not mutated.
Deterministic: derandomized, no example database, bounded examples.
"""

from __future__ import annotations

import copy
import json
import math
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_api import DefaultValueError, DefaultValueWarning
from partner_api._request_body import RequestBodyBuilder
from partner_api_client.api import OPERATIONS, REQUEST_RULES, FieldRule, ModelRules, Operation
from partner_api_client.models.purchase_receipt import PurchaseReceipt
from partner_api_client.models.user_extra_input import UserExtraInput
from partner_api_client.types import UNSET

PROPERTY_SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NESTED_CLASSES: dict[str, type[Any]] = {"UserExtraInput": UserExtraInput}
ABSENT = object()

# --- strategies -------------------------------------------------------------------------------------------

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 0.0, "", -0.0, False]),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
_json_values = st.recursive(
    _json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)
_receipt_dicts = st.one_of(
    st.dictionaries(st.text(max_size=6), _json_values, max_size=5),
    st.just({"amount": 0, "note": "", "paid": False, "items": [0, "", {"qty": 0}], "meta": {}}),
    st.just({}),
)


def _non_default(rule: FieldRule) -> st.SearchStrategy[Any]:
    if rule.kind == "int":
        low = max(1, int(rule.minimum if rule.minimum is not None else 1))
        high = int(rule.maximum if rule.maximum is not None else 2**53 - 1)
        return st.one_of(st.integers(min_value=low, max_value=high), st.sampled_from([low, high]))
    if rule.kind == "enum":
        return st.sampled_from(rule.choices)
    if rule.kind == "str":
        low = max(1, rule.min_length or 1)
        high = rule.max_length if rule.max_length is not None else 64
        if rule.pattern is not None:
            return st.from_regex(rule.pattern, fullmatch=True).filter(lambda s: low <= len(s) <= high)
        return st.one_of(st.text(min_size=low, max_size=min(high, 40)), st.just("x" * high), st.just(" "))
    raise AssertionError(f"no strategy for kind {rule.kind}")


def _field_value(rule: FieldRule) -> st.SearchStrategy[Any]:
    """Any acceptable argument for one field: its default, a valid value, a nested model, a receipt."""
    if rule.kind == "int":
        return st.one_of(st.just(0), _non_default(rule))
    if rule.kind in ("str", "enum"):
        return st.one_of(st.just(""), _non_default(rule))
    if rule.kind == "bool":
        return st.booleans()
    if rule.kind == "model":
        assert rule.model is not None
        return _model_value(rule.model)
    if rule.kind == "object":
        return st.one_of(_receipt_dicts, _receipt_dicts.map(PurchaseReceipt.from_dict))
    raise AssertionError(f"REQUEST_RULES has a kind this test does not know: {rule.kind}")


def _arguments(model: str) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments (python names) for a model: each field absent, default or valid."""
    return st.fixed_dictionaries({}, optional={r.python_name: _field_value(r) for r in REQUEST_RULES[model].fields})


def _model_value(model: str) -> st.SearchStrategy[Any]:
    rules = REQUEST_RULES[model].fields
    json_name = {r.python_name: r.json_name for r in rules}
    as_mapping = _arguments(model).map(lambda kw: {json_name[k]: v for k, v in kw.items()})
    return st.one_of(as_mapping, _arguments(model).map(lambda kw: NESTED_CLASSES[model](**kw)))


# --- the oracle -------------------------------------------------------------------------------------------


class Expected:
    """What the builder must produce for some arguments, computed without the builder."""

    def __init__(self, model: str, arguments: dict[str, Any]) -> None:
        self.defaults: list[str] = []
        self.required_defaults: list[str] = []
        self.body = self._model(model, arguments, "")
        rules = REQUEST_RULES[model]
        self.identifier_missing = bool(rules.one_of_required) and not any(
            name in self.body for name in rules.one_of_required
        )

    def _model(self, model: str, arguments: dict[str, Any], prefix: str) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for rule in REQUEST_RULES[model].fields:
            value = arguments.get(rule.python_name, ABSENT)
            if value is ABSENT or value is UNSET:
                continue
            path = prefix + rule.python_name
            if rule.kind == "model":
                assert rule.model is not None
                body[rule.json_name] = self._model(rule.model, _nested_arguments(rule.model, value), path + ".")
            elif rule.kind == "object":
                body[rule.json_name] = value.to_dict() if isinstance(value, PurchaseReceipt) else value
            elif rule.kind != "bool" and value in (0, ""):
                self.defaults.append(path)
                if rule.required:
                    self.required_defaults.append(path)
            else:
                body[rule.json_name] = value
        return body


def _nested_arguments(model: str, value: Any) -> dict[str, Any]:
    rules = REQUEST_RULES[model].fields
    if isinstance(value, NESTED_CLASSES[model]):
        return {r.python_name: getattr(value, r.python_name) for r in rules}
    by_json = {r.json_name: r.python_name for r in rules}
    return {by_json[k]: v for k, v in value.items()}


def _as_arguments(model: str, body: dict[str, Any]) -> dict[str, Any]:
    """A built body turned back into keyword arguments (json names → python names at the top level)."""
    by_json = {r.json_name: r.python_name for r in REQUEST_RULES[model].fields}
    return {by_json[k]: v for k, v in body.items()}


def _assert_no_default(model: str, body: dict[str, Any], path: str = "") -> None:
    rules = {r.json_name: r for r in REQUEST_RULES[model].fields}
    for key, value in body.items():
        rule = rules[key]
        if rule.kind == "object":
            continue  # opaque: zeros are the caller's business
        if rule.kind == "model":
            assert rule.model is not None
            _assert_no_default(rule.model, value, f"{path}{key}.")
        elif rule.kind == "bool":
            assert isinstance(value, bool), f"{path}{key}={value!r}"
        else:
            assert value != 0, f"{path}{key} is 0 in the body"
            assert value != "", f'{path}{key} is "" in the body'


def _build(policy: str, operation: Operation, arguments: dict[str, Any]) -> dict[str, Any]:
    builder = RequestBodyBuilder(policy)  # type: ignore[arg-type]
    return builder.build(operation.name, operation.request_model, arguments)


def _operation_and_arguments() -> st.SearchStrategy[tuple[Operation, dict[str, Any]]]:
    operations = sorted(OPERATIONS.values(), key=lambda o: o.name)
    return st.sampled_from(operations).flatmap(lambda op: st.tuples(st.just(op), _arguments(op.request_model)))


# --- the properties ---------------------------------------------------------------------------------------


def test_every_request_model_is_covered() -> None:
    """The strategies know every kind the generated rules use; a new kind must get a strategy (and a thought)."""
    kinds = {rule.kind for rules in REQUEST_RULES.values() for rule in rules.fields}
    assert kinds <= {"int", "str", "enum", "bool", "model", "object"}, kinds
    nested = {rule.model for rules in REQUEST_RULES.values() for rule in rules.fields if rule.kind == "model"}
    assert nested <= set(NESTED_CLASSES), nested
    assert {op.request_model for op in OPERATIONS.values()} <= set(REQUEST_RULES)


@PROPERTY_SETTINGS
@given(_operation_and_arguments())
def test_strip_policy(case: tuple[Operation, dict[str, Any]]) -> None:
    operation, arguments = case
    snapshot = repr(arguments)  # (UNSET compares by identity, so a deep copy would never be equal)
    expected = Expected(operation.request_model, arguments)
    if expected.identifier_missing:  # lenient policies check the identifier first
        with pytest.raises(ValueError, match=r"give user_id or username") as missing:
            _build("strip", operation, arguments)
        assert not isinstance(missing.value, DefaultValueError)
        return
    if expected.required_defaults:
        with pytest.raises(DefaultValueError) as caught:
            _build("strip", operation, arguments)
        assert caught.value.fields == expected.required_defaults
        return

    body = _build("strip", operation, arguments)

    assert repr(arguments) == snapshot, "the caller's arguments were mutated"
    assert body == expected.body  # nothing non-default dropped or changed, every default left out
    _assert_no_default(operation.request_model, body)
    json.dumps(body, allow_nan=False)  # the body is JSON as given
    for rule in REQUEST_RULES[operation.request_model].fields:
        given_value = arguments.get(rule.python_name, ABSENT)
        if rule.kind == "bool" and given_value is not ABSENT:
            assert body[rule.json_name] is given_value, f"boolean {rule.python_name} not sent as given"
        if rule.kind == "object" and given_value is not ABSENT:
            receipt = given_value.to_dict() if isinstance(given_value, PurchaseReceipt) else given_value
            assert body[rule.json_name] == receipt
            assert json.dumps(body[rule.json_name], sort_keys=True) == json.dumps(receipt, sort_keys=True)

    # idempotent: the stripped body, given back as arguments, builds to itself under every policy
    again = _as_arguments(operation.request_model, body)
    assert _build("strip", operation, again) == body
    assert _build("error", operation, again) == body
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing left to warn about
        assert _build("warn", operation, again) == body


@PROPERTY_SETTINGS
@given(_operation_and_arguments())
def test_error_and_warn_policies(case: tuple[Operation, dict[str, Any]]) -> None:
    operation, arguments = case
    expected = Expected(operation.request_model, arguments)
    if expected.required_defaults:  # a required field equal to its default: refused under every policy
        with pytest.raises(DefaultValueError) as caught:
            _build("error", operation, arguments)
        assert caught.value.fields == expected.required_defaults
        assert caught.value.operation == operation.name
        for policy in ("warn", "strip"):
            with pytest.raises(ValueError, match=r"equals? the default|give user_id or username") as lenient:
                _build(policy, operation, arguments)
            if not expected.identifier_missing:
                assert isinstance(lenient.value, DefaultValueError)
                assert lenient.value.fields == expected.required_defaults
        return

    if expected.defaults:
        with pytest.raises(DefaultValueError) as caught:
            _build("error", operation, arguments)
        assert caught.value.fields == expected.defaults  # every defaulted field named, dotted when nested
        for field in expected.defaults:
            assert field in str(caught.value)
    elif expected.identifier_missing:
        with pytest.raises(ValueError, match="give user_id or username"):
            _build("error", operation, arguments)
    else:
        assert _build("error", operation, arguments) == expected.body

    if expected.identifier_missing:
        with pytest.raises(ValueError, match="give user_id or username"):
            _build("warn", operation, arguments)
        return
    with warnings.catch_warnings(record=True) as caught_warnings:
        warnings.simplefilter("always")
        assert _build("warn", operation, arguments) == expected.body
    kinds = [w.category for w in caught_warnings]
    if expected.defaults:
        assert kinds == [DefaultValueWarning]
        for field in expected.defaults:
            assert field in str(caught_warnings[0].message)
    else:
        assert kinds == []


NESTED_OPERATIONS = [OPERATIONS["createUser"], OPERATIONS["updateUser"]]


@PROPERTY_SETTINGS
@given(
    operation=st.sampled_from(NESTED_OPERATIONS),
    extra=_arguments("UserExtraInput"),
    policy=st.sampled_from(["strip", "warn", "error"]),
)
def test_nested_model_same_as_instance_or_mapping(operation: Operation, extra: dict[str, Any], policy: str) -> None:
    identifier = {"username": "alice"} if operation.name == "createUser" else {"user_id": 7}
    as_instance = {**identifier, "extra": UserExtraInput(**extra)}
    as_mapping = {**identifier, "extra": dict(extra)}  # UserExtraInput's json names equal its python names
    outcomes = []
    for arguments in (as_instance, as_mapping):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DefaultValueWarning)
                outcomes.append(("body", _build(policy, operation, arguments)))
        except DefaultValueError as error:
            outcomes.append(("error", error.fields))
    assert outcomes[0] == outcomes[1]
    kind, value = outcomes[0]
    defaults = [
        f"extra.{r.python_name}" for r in REQUEST_RULES["UserExtraInput"].fields if extra.get(r.python_name) == ""
    ]
    if kind == "error":
        assert policy == "error"
        assert value == defaults
    else:
        assert value["extra"] == {k: v for k, v in extra.items() if v != ""}
        assert not (policy == "error" and defaults)


def test_unset_is_not_a_default() -> None:
    """`UNSET` means "not given": never reported, never sent (a truthiness test would confuse it with 0)."""
    operation = OPERATIONS["updateUser"]
    arguments = {"user_id": 7, "username": UNSET, "license_id": UNSET, "enabled": UNSET, "extra": UNSET}
    assert _build("error", operation, arguments) == {"user_id": 7}
    nested = {"user_id": 7, "extra": UserExtraInput()}
    assert _build("error", operation, nested) == {"user_id": 7, "extra": {}}


def test_false_and_zero_receipt_survive_every_policy() -> None:
    """The two halves of the rule side by side: `enabled=False` and a receipt of zeros go out exactly as given."""
    receipt = {"amount": 0, "currency": "", "sandbox": False, "lines": [0, ""], "nested": {"n": 0}}
    for policy in ("strip", "warn", "error"):
        purchase = _build(
            policy, OPERATIONS["addUserPurchase"], {"user_id": 3, "type": "apple", "receipt": copy.deepcopy(receipt)}
        )
        assert purchase == {"user_id": 3, "type": "apple", "receipt": receipt}
        listing = _build(policy, OPERATIONS["listUsers"], {"enabled": False})
        assert listing == {"enabled": False}
        assert listing["enabled"] is False


LIST_RULES: dict[str, ModelRules] = {
    "Tagged": ModelRules(
        fields=(
            FieldRule("user_id", "user_id", "int", False, minimum=1),
            FieldRule("tags", "tags", "list", False),
            FieldRule("anything", "anything", "any", False),
        ),
        one_of_required=("user_id",),
    ),
}


@PROPERTY_SETTINGS
@given(
    tags=st.lists(_json_values, max_size=5),
    anything=_json_values,
    user_id=st.integers(min_value=1, max_value=2**53 - 1),
)
def test_lists_and_untyped_fields_forwarded_as_given(tags: list[Any], anything: Any, user_id: int) -> None:
    """The spec has no list request fields yet; when one appears, it is forwarded untouched (zeros inside
    a list are elements, not missing fields) and never dropped, even when empty."""
    builder = RequestBodyBuilder("strip", rules=LIST_RULES)
    body = builder.build("tag", "Tagged", {"user_id": user_id, "tags": tags, "anything": anything})
    assert body == {"user_id": user_id, "tags": tags, "anything": anything}
    assert builder.build("tag", "Tagged", body) == body


FLOAT_RULES: dict[str, ModelRules] = {
    "Measured": ModelRules(
        fields=(
            FieldRule("ratio", "ratio", "float", False),
            FieldRule("bounded", "bounded", "float", False, minimum=1, maximum=5),
        ),
    ),
}


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("field", ["ratio", "bounded"])
def test_non_finite_floats_are_refused_naming_the_field(field: str, value: float) -> None:
    """The spec has no float request fields yet; when one appears, NaN and infinities (which JSON cannot carry,
    and NaN within no bound) are refused before sending by the full rules (a generated encoder refuses them too:
    tests/unit/test_request_encoders.py)."""
    builder = RequestBodyBuilder("error", rules=FLOAT_RULES)
    for arguments in ({field: value}, {field: value, "ratio" if field == "bounded" else "bounded": 0}):
        with pytest.raises(ValueError, match=field):
            builder.build("measure", "Measured", arguments)
    assert builder.build("measure", "Measured", {field: 2.5}) == {field: 2.5}
    assert builder.build("measure", "Measured", {field: 3}) == {field: 3}
