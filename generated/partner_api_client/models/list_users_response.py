from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_list as _read_list
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="ListUsersResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class ListUsersResponse:
    """Success answer of listUsers (one page of users and the cursor of the next).

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        users (list[User]): One page of users, ordered by id. Absent: [].
        next_cursor (str): Cursor of the next page; "" on the last page. Absent: ''.
    """

    result: str
    error: str = ""
    users: list[User] = _attrs_field(factory=list)
    next_cursor: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        users: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.users, Unset):
            users = []
            for users_item_data in self.users:
                users_item = users_item_data.to_dict()
                users.append(users_item)

        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if users is not UNSET:
            field_dict["users"] = users
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        result = d.pop("result", None)
        if _type(result) is not str:
            result = _read_str(result, "result", _REQUIRED)

        error = d.pop("error", "")
        if _type(error) is not str:
            error = _read_str(error, "error", "")

        users: list[User] = []
        _users = d.pop("users", None)
        if _type(_users) is not list:
            _users = _read_list(_users, "users", False)
        try:
            for users_item_data in _users:
                users_item = User.from_dict(users_item_data)

                users.append(users_item)
        except _MalformedAnswer as _malformed:
            _malformed.path[:0] = ["users", len(users)]
            raise

        next_cursor = d.pop("next_cursor", "")
        if _type(next_cursor) is not str:
            next_cursor = _read_str(next_cursor, "next_cursor", "")

        if cls is ListUsersResponse:
            list_users_response = _new_instance(cls)
            list_users_response.result = result
            list_users_response.error = error
            list_users_response.users = users
            list_users_response.next_cursor = next_cursor
        else:
            list_users_response = cls(
                result=result,
                error=error,
                users=users,
                next_cursor=next_cursor,
            )

        list_users_response.additional_properties = d
        return list_users_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


from ..models.user import User  # noqa: E402
