from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserRefRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


@_attrs_define
class UserRefRequest:
    """Names one user. At least one of `user_id`, `username`; if both are given `user_id` wins.

    Attributes:
        user_id (int | Unset): User id. Default 0 (absent; 0 is not a valid id). Not sent when UNSET.
        username (str | Unset): User name. Default "" (absent). Not sent when UNSET.
    """

    user_id: int | Unset = UNSET
    username: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_id = d.pop("user_id", UNSET)

        username = d.pop("username", UNSET)

        if cls is UserRefRequest:
            user_ref_request = _new_instance(cls)
            user_ref_request.user_id = user_id
            user_ref_request.username = username
        else:
            user_ref_request = cls(
                user_id=user_id,
                username=username,
            )

        return user_ref_request
