from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_extra_input import UserExtraInput


T = TypeVar("T", bound="CreateUserRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class CreateUserRequest:
    """A new user.

    Attributes:
        username (str): Unique user name.
        auth_method (str | Unset): How the user authenticates. Default "" (absent; the server uses `anonymous`). Not
            sent when UNSET.
        license_id (int | Unset): License to put the user on. Default 0 (absent; the project's first license). Not sent
            when UNSET.
        extra (UserExtraInput | Unset): Extra data to set on a user. Absent or "" fields are left unchanged. Not sent
            when UNSET.
    """

    username: str
    auth_method: str | Unset = UNSET
    license_id: int | Unset = UNSET
    extra: UserExtraInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        auth_method = self.auth_method

        license_id = self.license_id

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "username": username,
            }
        )
        if auth_method is not UNSET:
            field_dict["auth_method"] = auth_method
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
        username = d.pop("username", None)
        if _type(username) is not str:
            username = _read_str(username, "username", _REQUIRED)

        auth_method = d.pop("auth_method", None)
        if _type(auth_method) is not str:
            auth_method = _read_str(auth_method, "auth_method", UNSET)

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

        if cls is CreateUserRequest:
            create_user_request = _new_instance(cls)
            create_user_request.username = username
            create_user_request.auth_method = auth_method
            create_user_request.license_id = license_id
            create_user_request.extra = extra
        else:
            create_user_request = cls(
                username=username,
                auth_method=auth_method,
                license_id=license_id,
                extra=extra,
            )

        return create_user_request


from ..models.user_extra_input import UserExtraInput  # noqa: E402
