"""The generated straight-line request encoders against the client's full rules.

For every request model and many arguments (valid values, defaults, wrong types, bools for ints, int and str
subclasses, values out of range or length, patterns with a trailing newline, enums, the one-of group missing,
nested models and opaque objects), the encoder answers the body the full rules give, or None; and it answers None
exactly when the full rules would raise, drop a default, or see a value that is not exactly its field's scalar
type (int/float/str/bool). `RequestBodyBuilder.build` (encoder first) gives the same body, exception and warnings
as a builder that only has the full rules, under every policy. The same holds for an encoder module rendered by
the generator from synthetic rules (floats, unbounded fields, `$` inside a character class).
"""

from __future__ import annotations

import importlib.util
import math
import sys
import types
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from partner_api._request_body import RequestBodyBuilder
from partner_api._spec_types import FieldRule, ModelRules
from partner_api_client.models.purchase_receipt import PurchaseReceipt
from partner_api_client.models.user_extra_input import UserExtraInput
from partner_api_client.request_encoders import REQUEST_ENCODERS
from partner_api_client.spec_facts import OPERATIONS, REQUEST_RULES
from partner_api_client.types import UNSET

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ("error", "warn", "strip")
SCALARS = {"int": (int,), "float": (int, float), "str": (str,), "enum": (str,), "bool": (bool,)}
SETTINGS = settings(
    derandomize=True,
    database=None,
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class IntSub(int):
    pass


class StrSub(str):
    __slots__ = ()


def _edge_values(rule: FieldRule) -> list[Any]:
    """Values around every check of one field, valid and not."""
    low, high = rule.minimum, rule.maximum
    values: list[Any] = [UNSET, None, 0, "", True, False, 1, 42, 3.0, -1, "x", "day", [1], {"a": 1}, IntSub(7)]
    values += [StrSub("alice"), math.nan, math.inf, -math.inf, 2.5, 10**400, -(10**400)]
    for bound in (low, high):
        if bound is not None:
            values += [bound, bound - 1, bound + 1, float(bound)]
    for length in (rule.min_length, rule.max_length):
        if length is not None:
            values += ["a" * length, "a" * (length + 1), "a" * max(length - 1, 0)]
    values += list(rule.choices) + [choice + "\n" for choice in rule.choices] + [c.upper() for c in rule.choices]
    if rule.pattern is not None:
        values += ["DE", "DE\n", "de", "D", "en", "pt-BR", "en\n", "pt-BR\n", "e", "$", "\nDE"]
    if rule.kind == "model":
        values += [UserExtraInput(country="DE"), {"country": "DE"}, {"country": ""}, {}, {"nope": 1}]
    if rule.kind == "object":
        values += [PurchaseReceipt.from_dict({"amount": 0}), {"amount": 0, "note": ""}, {}]
    return values


def _arguments(rules: ModelRules) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {}, optional={rule.python_name: st.sampled_from(_edge_values(rule)) for rule in rules.fields}
    )


def _outcome(build: Callable[[], dict[str, Any]]) -> tuple[Any, ...]:
    """(body or exception, message) and the warnings raised, for comparison."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result: tuple[Any, ...] = ("body", build())
        except Exception as exc:  # the same exception type and text are part of the contract
            result = ("raised", type(exc), str(exc))
    return (*result, [(w.category, str(w.message)) for w in caught])


def _only_exact_scalars(rules: ModelRules, arguments: Mapping[str, Any]) -> bool:
    """Every given value has exactly one of its field's scalar types (and a float is a finite JSON number)."""
    for rule in rules.fields:
        value = arguments.get(rule.python_name, UNSET)
        if value is UNSET:
            continue
        if rule.kind not in SCALARS or type(value) not in SCALARS[rule.kind]:
            return False
        if rule.kind == "float" and not -sys.float_info.max <= value <= sys.float_info.max:
            return False
    return True


def check(
    encode: Callable[[Mapping[str, Any]], dict[str, Any] | None],
    model: str,
    rules: Mapping[str, ModelRules],
    arguments: dict[str, Any],
) -> dict[str, Any] | None:
    """The encoder's answer, after checking it against the full rules (see the module docstring)."""
    full_rules = dict(rules)  # not the spec's table: this builder never uses an encoder
    snapshot = dict(arguments)
    strict = _outcome(lambda: RequestBodyBuilder("error", rules=full_rules).build("op", model, arguments))
    fast = encode(arguments)
    assert arguments == snapshot
    if fast is None:
        assert strict[0] == "raised" or not _only_exact_scalars(rules[model], arguments), (arguments, strict)
    else:
        assert strict == ("body", fast, []), (arguments, fast, strict)
        assert list(fast) == list(strict[1])  # the same key order as the full rules
    return fast


@pytest.mark.parametrize("model", sorted(REQUEST_RULES))
def test_every_request_model_has_an_encoder_that_matches_the_full_rules(model: str) -> None:
    assert model in REQUEST_ENCODERS
    answers: list[bool] = []

    @SETTINGS
    @given(_arguments(REQUEST_RULES[model]))
    def run(arguments: dict[str, Any]) -> None:
        answers.append(check(REQUEST_ENCODERS[model], model, REQUEST_RULES, arguments) is not None)

    run()
    assert True in answers  # every model has calls the encoder builds
    if REQUEST_RULES[model].fields:
        assert False in answers  # and calls it leaves to the full rules


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("policy", POLICIES)
def test_build_gives_what_the_full_rules_give(operation: str, policy: str) -> None:
    model = OPERATIONS[operation].request_model
    builder = RequestBodyBuilder(policy)  # type: ignore[arg-type]
    full_rules = RequestBodyBuilder(policy, rules=dict(REQUEST_RULES))  # type: ignore[arg-type]

    @settings(SETTINGS, max_examples=150)
    @given(_arguments(REQUEST_RULES[model]))
    def run(arguments: dict[str, Any]) -> None:
        mine = _outcome(lambda: builder.build(operation, model, arguments))
        theirs = _outcome(lambda: full_rules.build(operation, model, arguments))
        assert mine == theirs, arguments

    run()


@pytest.mark.parametrize(
    ("model", "arguments", "body"),
    [
        ("GetUserRequest", {"user_id": 42, "username": UNSET}, {"user_id": 42}),
        ("GetUserRequest", {"user_id": True}, None),  # a bool is not an int here
        ("GetUserRequest", {"user_id": 0}, None),  # the default: the policy decides
        ("GetUserRequest", {"user_id": 9007199254740992}, None),  # over the maximum
        ("GetUserRequest", {}, None),  # one-of group missing
        ("GetUserRequest", {"username": "alice"}, {"username": "alice"}),
        ("GetUserRequest", {"username": StrSub("alice")}, None),
        ("UpdateUserRequest", {"user_id": 1, "enabled": False}, {"user_id": 1, "enabled": False}),
        ("UpdateUserRequest", {"user_id": 1, "extra": {"country": "DE"}}, None),  # nested model: full rules
        ("CreateUserRequest", {"username": "a" * 256}, None),
        ("GetTrafficReportRequest", {"start_time": 1, "end_time": 2, "group_by": "day"}, None),
        ("UserExtraInput", {"country": "DE", "language": "pt-BR"}, {"country": "DE", "language": "pt-BR"}),
        ("UserExtraInput", {"country": "DE\n"}, None),  # `$` is the end of the input, as in the spec
        ("UserExtraInput", {"language": "en\n"}, None),
        ("AddUserPurchaseRequest", {"type": "x", "receipt": {}, "user_id": 1}, None),  # opaque object: full rules
        ("EmptyRequest", {}, {}),
    ],
)
def test_chosen_arguments(model: str, arguments: dict[str, Any], body: dict[str, Any] | None) -> None:
    if model == "GetTrafficReportRequest":  # group_by is an enum: a choice is encoded, anything else is not
        body = {"start_time": 1, "end_time": 2, "group_by": "day"}
        assert REQUEST_ENCODERS[model]({**arguments, "group_by": "week"}) is None
        assert REQUEST_ENCODERS[model]({**arguments, "group_by": "day\n"}) is None
    assert check(REQUEST_ENCODERS[model], model, REQUEST_RULES, arguments) == body


# --- an encoder module rendered from synthetic rules ------------------------------------------------------

SYNTHETIC: dict[str, ModelRules] = {
    "Numbers": ModelRules(
        fields=(
            FieldRule("ratio", "ratio", "float", False),
            FieldRule("bounded", "bounded", "float", False, minimum=1, maximum=5),
            FieldRule("count", "count", "int", False),
            FieldRule("signed", "signed", "int", False, minimum=-3, maximum=3),
        ),
        one_of_required=("count", "ratio"),
    ),
    "Texts": ModelRules(
        fields=(
            FieldRule("code", "code", "str", True, pattern="^[$A-Z]{2}$", min_length=2, max_length=2),
            FieldRule("free", "free", "str", False),
            FieldRule("mode", "mode", "enum", False, choices=("a", "b")),
            FieldRule("flag", "flag", "bool", False),
            FieldRule("tags", "tags", "list", False),
            FieldRule("anything", "anything", "any", False),
            FieldRule("class_", "class", "str", False, max_length=3),
        ),
    ),
}


def _synthetic_encoders() -> dict[str, Any]:
    path = ROOT / "generator" / "request_encoders.py"
    spec = importlib.util.spec_from_file_location("_partner_api_request_encoders_generator", path)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    facts = {
        "request_rules": {
            name: {
                "fields": tuple(rule._asdict() for rule in rules.fields),
                "one_of_required": rules.one_of_required,
            }
            for name, rules in SYNTHETIC.items()
        }
    }
    source = generator.render_module(facts)
    assert source == generator.render_module(facts)  # deterministic
    module = types.ModuleType("partner_api_client._synthetic_request_encoders")
    module.__package__ = "partner_api_client"
    exec(compile(source, "<synthetic request_encoders>", "exec"), module.__dict__)  # the generator's own output
    encoders: dict[str, Any] = module.REQUEST_ENCODERS
    return encoders


@pytest.mark.parametrize("model", sorted(SYNTHETIC))
def test_a_rendered_encoder_matches_the_full_rules(model: str) -> None:
    encode = _synthetic_encoders()[model]
    answers: list[bool] = []

    @SETTINGS
    @given(_arguments(SYNTHETIC[model]))
    def run(arguments: dict[str, Any]) -> None:
        answers.append(check(encode, model, SYNTHETIC, arguments) is not None)

    run()
    assert True in answers and False in answers


def test_a_rendered_encoder_refuses_what_json_cannot_carry_and_keeps_bounds() -> None:
    encode = _synthetic_encoders()["Numbers"]
    for value in (math.nan, math.inf, -math.inf):
        assert check(encode, "Numbers", SYNTHETIC, {"ratio": value}) is None
    assert check(encode, "Numbers", SYNTHETIC, {"ratio": 0.5, "bounded": 5}) == {"ratio": 0.5, "bounded": 5}
    assert check(encode, "Numbers", SYNTHETIC, {"ratio": 0.5, "bounded": 5.5}) is None
    assert check(encode, "Numbers", SYNTHETIC, {"count": -2, "signed": -3}) == {"count": -2, "signed": -3}
    assert check(encode, "Numbers", SYNTHETIC, {"count": 1, "signed": -4}) is None
    texts = _synthetic_encoders()["Texts"]
    assert check(texts, "Texts", SYNTHETIC, {"code": "$A", "class_": "abc"}) == {"code": "$A", "class": "abc"}
    assert check(texts, "Texts", SYNTHETIC, {"code": "AB\n"}) is None
    assert check(texts, "Texts", SYNTHETIC, {"code": "AB", "tags": []}) is None  # a list: full rules
