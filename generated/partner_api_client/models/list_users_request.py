from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_bool as _read_bool
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

T = TypeVar("T", bound="ListUsersRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class ListUsersRequest:
    """Filters and paging of listUsers.

    Attributes:
        limit (int | Unset): Page size, 1..1000. Default 0 (absent; the server uses 100). Not sent when UNSET.
        cursor (str | Unset): `next_cursor` of the previous page. Default "" (absent; the first page). Not sent when
            UNSET.
        license_id (int | Unset): Only users on this license. Default 0 (absent; all licenses). Not sent when UNSET.
        enabled (bool | Unset): Only enabled (`true`) or disabled (`false`) users. Absent means both. Not sent when
            UNSET.
    """

    limit: int | Unset = UNSET
    cursor: str | Unset = UNSET
    license_id: int | Unset = UNSET
    enabled: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        limit = self.limit

        cursor = self.cursor

        license_id = self.license_id

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if limit is not UNSET:
            field_dict["limit"] = limit
        if cursor is not UNSET:
            field_dict["cursor"] = cursor
        if license_id is not UNSET:
            field_dict["license_id"] = license_id
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        limit = d.pop("limit", None)
        if _type(limit) is not int:
            limit = _read_int(limit, "limit", UNSET)

        cursor = d.pop("cursor", None)
        if _type(cursor) is not str:
            cursor = _read_str(cursor, "cursor", UNSET)

        license_id = d.pop("license_id", None)
        if _type(license_id) is not int:
            license_id = _read_int(license_id, "license_id", UNSET)

        enabled = d.pop("enabled", None)
        if _type(enabled) is not bool:
            enabled = _read_bool(enabled, "enabled", UNSET)

        if cls is ListUsersRequest:
            list_users_request = _new_instance(cls)
            list_users_request.limit = limit
            list_users_request.cursor = cursor
            list_users_request.license_id = license_id
            list_users_request.enabled = enabled
        else:
            list_users_request = cls(
                limit=limit,
                cursor=cursor,
                license_id=license_id,
                enabled=enabled,
            )

        return list_users_request
