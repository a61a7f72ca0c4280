from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

T = TypeVar("T", bound="SetUserTrafficLimitRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class SetUserTrafficLimitRequest:
    """Names one user and the new limit.

    Attributes:
        traffic_limit (int): Limit in bytes, > 0 (use deleteUserTrafficLimit to remove the limit).
        user_id (int | Unset): User id. Default 0 (absent; 0 is not a valid id). Not sent when UNSET.
        username (str | Unset): User name. Default "" (absent). Not sent when UNSET.
    """

    traffic_limit: int
    user_id: int | Unset = UNSET
    username: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        traffic_limit = self.traffic_limit

        user_id = self.user_id

        username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "traffic_limit": traffic_limit,
            }
        )
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        traffic_limit = d.pop("traffic_limit", None)
        if _type(traffic_limit) is not int:
            traffic_limit = _read_int(traffic_limit, "traffic_limit", _REQUIRED)

        user_id = d.pop("user_id", None)
        if _type(user_id) is not int:
            user_id = _read_int(user_id, "user_id", UNSET)

        username = d.pop("username", None)
        if _type(username) is not str:
            username = _read_str(username, "username", UNSET)

        if cls is SetUserTrafficLimitRequest:
            set_user_traffic_limit_request = _new_instance(cls)
            set_user_traffic_limit_request.traffic_limit = traffic_limit
            set_user_traffic_limit_request.user_id = user_id
            set_user_traffic_limit_request.username = username
        else:
            set_user_traffic_limit_request = cls(
                traffic_limit=traffic_limit,
                user_id=user_id,
                username=username,
            )

        return set_user_traffic_limit_request
