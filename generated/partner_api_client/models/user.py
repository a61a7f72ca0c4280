from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_bool as _read_bool
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_extra import UserExtra


T = TypeVar("T", bound="User")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class User:
    """A subscriber. `id`, `username`, `auth_method`, `enabled`, `extra` are documented; `license_id` and `create_time` are
    modelled.

    Attributes:
        id (int): User id (never 0 for an existing user). Absent: 0.
        username (str): Unique user name. Absent: ''.
        auth_method (str): How the user authenticates (for example `anonymous`, `email`, `oauth`). Absent: ''.
        enabled (bool): Whether the user may connect. Absent: False.
        extra (UserExtra | Unset): Extra data of a user (documented). Absent: UNSET.
        license_id (int): License the user is on; 0 when none. Absent: 0.
        create_time (int): When the user was created (unix seconds). Absent: 0.
    """

    id: int = 0
    username: str = ""
    auth_method: str = ""
    enabled: bool = False
    extra: UserExtra | Unset = UNSET
    license_id: int = 0
    create_time: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        username = self.username

        auth_method = self.auth_method

        enabled = self.enabled

        extra: dict[str, Any] | Unset = UNSET
        if not isinstance(self.extra, Unset):
            extra = self.extra.to_dict()

        license_id = self.license_id

        create_time = self.create_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if username is not UNSET:
            field_dict["username"] = username
        if auth_method is not UNSET:
            field_dict["auth_method"] = auth_method
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if extra is not UNSET:
            field_dict["extra"] = extra
        if license_id is not UNSET:
            field_dict["license_id"] = license_id
        if create_time is not UNSET:
            field_dict["create_time"] = create_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        id = d.pop("id", 0)
        if _type(id) is not int:
            id = _read_int(id, "id", 0)

        username = d.pop("username", "")
        if _type(username) is not str:
            username = _read_str(username, "username", "")

        auth_method = d.pop("auth_method", "")
        if _type(auth_method) is not str:
            auth_method = _read_str(auth_method, "auth_method", "")

        enabled = d.pop("enabled", False)
        if _type(enabled) is not bool:
            enabled = _read_bool(enabled, "enabled", False)

        _extra = d.pop("extra", None)
        extra: UserExtra | Unset
        if _extra is None:
            extra = UNSET
        else:
            try:
                extra = UserExtra.from_dict(_extra)
            except _MalformedAnswer as _malformed:
                _malformed.path.insert(0, "extra")
                raise

        license_id = d.pop("license_id", 0)
        if _type(license_id) is not int:
            license_id = _read_int(license_id, "license_id", 0)

        create_time = d.pop("create_time", 0)
        if _type(create_time) is not int:
            create_time = _read_int(create_time, "create_time", 0)

        if cls is User:
            user = _new_instance(cls)
            user.id = id
            user.username = username
            user.auth_method = auth_method
            user.enabled = enabled
            user.extra = extra
            user.license_id = license_id
            user.create_time = create_time
        else:
            user = cls(
                id=id,
                username=username,
                auth_method=auth_method,
                enabled=enabled,
                extra=extra,
                license_id=license_id,
                create_time=create_time,
            )

        user.additional_properties = d
        return user

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


from ..models.user_extra import UserExtra  # noqa: E402
