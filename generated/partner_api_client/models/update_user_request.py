from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_extra_input import UserExtraInput


T = TypeVar("T", bound="UpdateUserRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


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
        d = dict(src_dict)
        user_id = d.pop("user_id", UNSET)

        username = d.pop("username", UNSET)

        enabled = d.pop("enabled", UNSET)

        license_id = d.pop("license_id", UNSET)

        _extra = d.pop("extra", UNSET)
        extra: UserExtraInput | Unset
        if isinstance(_extra, Unset):
            extra = UNSET
        else:
            extra = UserExtraInput.from_dict(_extra)

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
