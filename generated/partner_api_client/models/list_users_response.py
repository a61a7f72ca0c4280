from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="ListUsersResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


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
        d = dict(src_dict)
        result = d.pop("result")

        error = d.pop("error", "")

        users: list[User] = []
        for users_item_data in d.pop("users", []):
            users_item = User.from_dict(users_item_data)

            users.append(users_item)

        next_cursor = d.pop("next_cursor", "")

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
