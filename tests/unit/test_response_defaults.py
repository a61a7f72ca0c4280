"""Generated response models read an absent scalar as its default and leave an absent nested object unset."""

from __future__ import annotations

from partner_api_client.models import ListUsersResponse, UserResponse
from partner_api_client.types import UNSET


def test_absent_nested_object_stays_unset_and_absent_arrays_are_empty() -> None:
    answer = UserResponse.from_dict({"result": "OK", "user": {"id": 3}})
    assert answer.user is not UNSET and answer.user.extra is UNSET  # type: ignore[union-attr]
    assert (answer.user.username, answer.user.enabled, answer.error) == ("", False, "")  # type: ignore[union-attr]
    assert UserResponse.from_dict({"result": "OK"}).user is UNSET
    page = ListUsersResponse.from_dict({"result": "OK"})
    assert (page.users, page.next_cursor) == ([], "")
