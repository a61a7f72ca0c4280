from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="Session")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class Session:
    """A VPN session (modelled).

    Attributes:
        id (str): Session id. Absent: ''.
        device_id (str): Device the session ran on. Absent: ''.
        server_country (str): ISO 3166-1 alpha-2 country of the VPN server. Absent: ''.
        protocol (str): VPN protocol (for example `wireguard`, `openvpn`, `hydra`). Absent: ''.
        start_time (int): Session start (unix seconds). Absent: 0.
        end_time (int): Session end (unix seconds); 0 while the session is active. Absent: 0.
        bytes_in (int): Bytes received by the device. Absent: 0.
        bytes_out (int): Bytes sent by the device. Absent: 0.
    """

    id: str = ""
    device_id: str = ""
    server_country: str = ""
    protocol: str = ""
    start_time: int = 0
    end_time: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        device_id = self.device_id

        server_country = self.server_country

        protocol = self.protocol

        start_time = self.start_time

        end_time = self.end_time

        bytes_in = self.bytes_in

        bytes_out = self.bytes_out

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if server_country is not UNSET:
            field_dict["server_country"] = server_country
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if start_time is not UNSET:
            field_dict["start_time"] = start_time
        if end_time is not UNSET:
            field_dict["end_time"] = end_time
        if bytes_in is not UNSET:
            field_dict["bytes_in"] = bytes_in
        if bytes_out is not UNSET:
            field_dict["bytes_out"] = bytes_out

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        id = d.pop("id", "")
        if _type(id) is not str:
            id = _read_str(id, "id", "")

        device_id = d.pop("device_id", "")
        if _type(device_id) is not str:
            device_id = _read_str(device_id, "device_id", "")

        server_country = d.pop("server_country", "")
        if _type(server_country) is not str:
            server_country = _read_str(server_country, "server_country", "")

        protocol = d.pop("protocol", "")
        if _type(protocol) is not str:
            protocol = _read_str(protocol, "protocol", "")

        start_time = d.pop("start_time", 0)
        if _type(start_time) is not int:
            start_time = _read_int(start_time, "start_time", 0)

        end_time = d.pop("end_time", 0)
        if _type(end_time) is not int:
            end_time = _read_int(end_time, "end_time", 0)

        bytes_in = d.pop("bytes_in", 0)
        if _type(bytes_in) is not int:
            bytes_in = _read_int(bytes_in, "bytes_in", 0)

        bytes_out = d.pop("bytes_out", 0)
        if _type(bytes_out) is not int:
            bytes_out = _read_int(bytes_out, "bytes_out", 0)

        if cls is Session:
            session = _new_instance(cls)
            session.id = id
            session.device_id = device_id
            session.server_country = server_country
            session.protocol = protocol
            session.start_time = start_time
            session.end_time = end_time
            session.bytes_in = bytes_in
            session.bytes_out = bytes_out
        else:
            session = cls(
                id=id,
                device_id=device_id,
                server_country=server_country,
                protocol=protocol,
                start_time=start_time,
                end_time=end_time,
                bytes_in=bytes_in,
                bytes_out=bytes_out,
            )

        session.additional_properties = d
        return session

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
