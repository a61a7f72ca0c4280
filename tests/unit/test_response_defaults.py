"""Generated response models read an absent scalar as its default and leave an absent nested object unset."""

from __future__ import annotations

import pytest
from partner_api._answer_json import MalformedAnswer
from partner_api.models import ListUsersResponse, UserResponse
from partner_api.types import UNSET


def test_absent_nested_object_stays_unset_and_absent_arrays_are_empty() -> None:
    answer = UserResponse.from_dict({"result": "OK", "user": {"id": 3}})
    assert answer.user.extra is UNSET
    assert (answer.user.username, answer.user.enabled, answer.error) == ("", False, "")
    with pytest.raises(MalformedAnswer) as missing:  # `user` is required in an OK answer: the client's ServerError
        UserResponse.from_dict({"result": "OK"})
    assert (missing.value.path, missing.value.expected, missing.value.received) == (["user"], "object", "nothing")
    page = ListUsersResponse.from_dict({"result": "OK"})
    assert (page.users, page.next_cursor) == ([], "")
