from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListUserSessionsRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class ListUserSessionsRequest:
    """Names one user and an optional time window.

    Attributes:
        user_id (int | Unset): User id. Default 0 (absent; 0 is not a valid id). Not sent when UNSET.
        username (str | Unset): User name. Default "" (absent). Not sent when UNSET.
        start_time (int | Unset): Sessions that ended at or after this time (unix seconds). Default 0 (absent; no lower
            bound). Not sent when UNSET.
        end_time (int | Unset): Sessions that started before this time (unix seconds). Default 0 (absent; no upper
            bound). Not sent when UNSET.
    """

    user_id: int | Unset = UNSET
    username: str | Unset = UNSET
    start_time: int | Unset = UNSET
    end_time: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        username = self.username

        start_time = self.start_time

        end_time = self.end_time

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if username is not UNSET:
            field_dict["username"] = username
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        user_id = d.pop("user_id", None)
        if _type(user_id) is not int:
            user_id = _read_int(user_id, "user_id", UNSET)

        username = d.pop("username", None)
        if _type(username) is not str:
            username = _read_str(username, "username", UNSET)

        start_time = d.pop("start_time", None)
        if _type(start_time) is not int:
            start_time = _read_int(start_time, "start_time", UNSET)

        end_time = d.pop("end_time", None)
        if _type(end_time) is not int:
            end_time = _read_int(end_time, "end_time", UNSET)

        if cls is ListUserSessionsRequest:
            list_user_sessions_request = _new_instance(cls)
            list_user_sessions_request.user_id = user_id
            list_user_sessions_request.username = username
            list_user_sessions_request.start_time = start_time
            list_user_sessions_request.end_time = end_time
        else:
            list_user_sessions_request = cls(
                user_id=user_id,
                username=username,
                start_time=start_time,
                end_time=end_time,
            )

        return list_user_sessions_request
