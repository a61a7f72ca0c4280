from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="Device")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class Device:
    """A device a user signed in from (modelled).

    Attributes:
        id (str): Device id. Absent: ''.
        name (str): Device name given by the app. Absent: ''.
        platform (str): Platform (for example `android`, `ios`, `windows`, `macos`, `linux`). Absent: ''.
        create_time (int): First sign-in (unix seconds). Absent: 0.
        access_time (int): Last activity (unix seconds). Absent: 0.
    """

    id: str = ""
    name: str = ""
    platform: str = ""
    create_time: int = 0
    access_time: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        platform = self.platform

        create_time = self.create_time

        access_time = self.access_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if platform is not UNSET:
            field_dict["platform"] = platform
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if access_time is not UNSET:
            field_dict["access_time"] = access_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        id = d.pop("id", "")
        if _type(id) is not str:
            id = _read_str(id, "id", "")

        name = d.pop("name", "")
        if _type(name) is not str:
            name = _read_str(name, "name", "")

        platform = d.pop("platform", "")
        if _type(platform) is not str:
            platform = _read_str(platform, "platform", "")

        create_time = d.pop("create_time", 0)
        if _type(create_time) is not int:
            create_time = _read_int(create_time, "create_time", 0)

        access_time = d.pop("access_time", 0)
        if _type(access_time) is not int:
            access_time = _read_int(access_time, "access_time", 0)

        if cls is Device:
            device = _new_instance(cls)
            device.id = id
            device.name = name
            device.platform = platform
            device.create_time = create_time
            device.access_time = access_time
        else:
            device = cls(
                id=id,
                name=name,
                platform=platform,
                create_time=create_time,
                access_time=access_time,
            )

        device.additional_properties = d
        return device

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
