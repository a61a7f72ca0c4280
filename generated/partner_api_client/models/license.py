from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="License")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class License:
    """A license plan (modelled).

    Attributes:
        id (int): License id. Absent: 0.
        name (str): License name. Absent: ''.
        devices_limit (int): Devices a user on this license may have; 0 means no limit. Absent: 0.
        sessions_limit (int): Concurrent sessions a user on this license may have; 0 means no limit. Absent: 0.
    """

    id: int = 0
    name: str = ""
    devices_limit: int = 0
    sessions_limit: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        devices_limit = self.devices_limit

        sessions_limit = self.sessions_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if name is not UNSET:
            field_dict["name"] = name
        if devices_limit is not UNSET:
            field_dict["devices_limit"] = devices_limit
        if sessions_limit is not UNSET:
            field_dict["sessions_limit"] = sessions_limit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        id = d.pop("id", 0)
        if _type(id) is not int:
            id = _read_int(id, "id", 0)

        name = d.pop("name", "")
        if _type(name) is not str:
            name = _read_str(name, "name", "")

        devices_limit = d.pop("devices_limit", 0)
        if _type(devices_limit) is not int:
            devices_limit = _read_int(devices_limit, "devices_limit", 0)

        sessions_limit = d.pop("sessions_limit", 0)
        if _type(sessions_limit) is not int:
            sessions_limit = _read_int(sessions_limit, "sessions_limit", 0)

        if cls is License:
            license = _new_instance(cls)
            license.id = id
            license.name = name
            license.devices_limit = devices_limit
            license.sessions_limit = sessions_limit
        else:
            license = cls(
                id=id,
                name=name,
                devices_limit=devices_limit,
                sessions_limit=sessions_limit,
            )

        license.additional_properties = d
        return license

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
