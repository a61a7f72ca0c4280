from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_list as _read_list
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device import Device


T = TypeVar("T", bound="DevicesResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class DevicesResponse:
    """Success answer of listUserDevices.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        devices (list[Device]): The user's devices. Absent: [].
    """

    result: str
    error: str = ""
    devices: list[Device] = _attrs_field(factory=list)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        devices: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.devices, Unset):
            devices = []
            for devices_item_data in self.devices:
                devices_item = devices_item_data.to_dict()
                devices.append(devices_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if devices is not UNSET:
            field_dict["devices"] = devices

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        result = d.pop("result", None)
        if _type(result) is not str:
            result = _read_str(result, "result", _REQUIRED)

        error = d.pop("error", "")
        if _type(error) is not str:
            error = _read_str(error, "error", "")

        devices: list[Device] = []
        _devices = d.pop("devices", None)
        if _type(_devices) is not list:
            _devices = _read_list(_devices, "devices", False)
        try:
            for devices_item_data in _devices:
                devices_item = Device.from_dict(devices_item_data)

                devices.append(devices_item)
        except _MalformedAnswer as _malformed:
            _malformed.path[:0] = ["devices", len(devices)]
            raise

        if cls is DevicesResponse:
            devices_response = _new_instance(cls)
            devices_response.result = result
            devices_response.error = error
            devices_response.devices = devices
        else:
            devices_response = cls(
                result=result,
                error=error,
                devices=devices,
            )

        devices_response.additional_properties = d
        return devices_response

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


from ..models.device import Device  # noqa: E402
