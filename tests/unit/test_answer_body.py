"""The sandbox writes its answers by the spec's `ANSWER_RULES` and the shared `is_default_value`."""

from __future__ import annotations

import pytest
from partner_api._spec_types import FieldRule, ModelRules
from partner_api.sandbox._responses import answer_body
from partner_api_client.spec_facts import ANSWER_RULES


def test_scalars_equal_to_their_default_and_empty_arrays_are_left_out() -> None:
    user = {"id": 7, "username": "alice", "auth_method": "", "enabled": False, "license_id": 0, "create_time": 5}
    assert answer_body({"result": "OK", "error": "", "user": user}, "UserResponse") == {
        "result": "OK",
        "user": {"id": 7, "username": "alice", "create_time": 5},
    }
    assert answer_body({"result": "OK", "users": [], "next_cursor": ""}, "ListUsersResponse") == {"result": "OK"}
    assert answer_body({"result": "OK", "error": None}, "OkResponse") == {"result": "OK"}  # None: not set


def test_nested_objects_are_kept_even_empty_and_follow_the_rule_inside() -> None:
    user = {"id": 7, "enabled": True, "extra": {"country": "", "language": ""}}
    assert answer_body({"result": "OK", "user": user}, "UserResponse")["user"] == {
        "id": 7,
        "enabled": True,
        "extra": {},
    }
    users = [{"id": 1, "username": "a", "enabled": False}, {"id": 2, "username": "", "extra": {"country": "DE"}}]
    assert answer_body({"result": "OK", "users": users, "next_cursor": "n"}, "ListUsersResponse") == {
        "result": "OK",
        "users": [{"id": 1, "username": "a"}, {"id": 2, "extra": {"country": "DE"}}],
        "next_cursor": "n",
    }


def test_required_fields_and_opaque_objects_are_sent_as_given() -> None:
    rules = {
        "Answer": ModelRules(
            fields=(
                FieldRule(python_name="count", json_name="count", kind="int", required=True),
                FieldRule(python_name="receipt", json_name="receipt", kind="object", required=False, model="Receipt"),
                FieldRule(python_name="skipped", json_name="skipped", kind="float", required=False),
            )
        ),
    }
    receipt = {"amount": 0, "token": "", "items": [], "ok": False}
    assert answer_body({"count": 0, "receipt": receipt, "skipped": 0.0}, "Answer", rules) == {
        "count": 0,
        "receipt": receipt,
    }
    assert answer_body({"count": 1, "receipt": {}}, "Answer", rules) == {"count": 1, "receipt": {}}


def test_a_field_the_spec_does_not_declare_is_refused() -> None:
    with pytest.raises(KeyError):
        answer_body({"result": "OK", "surprise": 1}, "OkResponse")


def test_every_answer_model_and_its_nested_objects_have_rules() -> None:
    nested = {rule.model for rules in ANSWER_RULES.values() for rule in rules.fields if rule.kind == "model"}
    items = {rule.item_model for rules in ANSWER_RULES.values() for rule in rules.fields if rule.item_model}
    assert nested | items <= set(ANSWER_RULES)
    assert {"LoginResponse", "UserResponse", "User", "UserExtra", "ListUsersResponse"} <= set(ANSWER_RULES)
