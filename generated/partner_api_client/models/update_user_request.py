from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_bool as _read_bool
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_extra_input import UserExtraInput


T = TypeVar("T", bound="UpdateUserRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class UpdateUserRequest:
    """Names one user and the fields to change; absent fields are left unchanged.

    Attributes:
        user_id (int | Unset): User id. Default 0 (absent; 0 is not a valid id). Not sent when UNSET.
        username (str | Unset): User name. Default "" (absent). Not sent when UNSET.
        enabled (bool | Unset): Enable or disable the user (`false` is a value and is sent). Not sent when UNSET.
        license_id (int | Unset): New license. Default 0 (absent, unchanged). Not sent when UNSET.
        extra (UserExtraInput | Unset): Extra data to set on a user. Absent or "" fields are left unchanged. Not sent
            when UNSET.
    """

    user_id: int | Unset = UNSET
    username: str | Unset = UNSET
    enabled: bool | Unset = UNSET
    license_id: int | Unset = UNSET
    extra: UserExtraInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_id = self.user_id

        username = self.username

        enabled = self.enabled

        license_id = self.license_id

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if username is not UNSET:
            field_dict["username"] = username
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if license_id is not UNSET:
            field_dict["license_id"] = license_id
        if extra is not UNSET:
            field_dict["extra"] = extra

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

        enabled = d.pop("enabled", None)
        if _type(enabled) is not bool:
            enabled = _read_bool(enabled, "enabled", UNSET)

        license_id = d.pop("license_id", None)
        if _type(license_id) is not int:
            license_id = _read_int(license_id, "license_id", UNSET)

        _extra = d.pop("extra", None)
        extra: UserExtraInput | Unset
        if _extra is None:
            extra = UNSET
        else:
            try:
                extra = UserExtraInput.from_dict(_extra)
            except _MalformedAnswer as _malformed:
                _malformed.path.insert(0, "extra")
                raise

        if cls is UpdateUserRequest:
            update_user_request = _new_instance(cls)
            update_user_request.user_id = user_id
            update_user_request.username = username
            update_user_request.enabled = enabled
            update_user_request.license_id = license_id
            update_user_request.extra = extra
        else:
            update_user_request = cls(
                user_id=user_id,
                username=username,
                enabled=enabled,
                license_id=license_id,
                extra=extra,
            )

        return update_user_request


from ..models.user_extra_input import UserExtraInput  # noqa: E402
