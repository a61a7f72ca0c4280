from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="TrafficReportRow")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class TrafficReportRow:
    """One row of a traffic report (modelled).

    Attributes:
        date (str): Day (YYYY-MM-DD, UTC) when grouped by day; "" otherwise. Absent: ''.
        country (str): ISO 3166-1 alpha-2 country when grouped by country; "" otherwise. Absent: ''.
        bytes_in (int): Bytes received by devices. Absent: 0.
        bytes_out (int): Bytes sent by devices. Absent: 0.
        active_users (int): Distinct users with traffic. Absent: 0.
    """

    date: str = ""
    country: str = ""
    bytes_in: int = 0
    bytes_out: int = 0
    active_users: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        date = self.date

        country = self.country

        bytes_in = self.bytes_in

        bytes_out = self.bytes_out

        active_users = self.active_users

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if date is not UNSET:
            field_dict["date"] = date
        if country is not UNSET:
            field_dict["country"] = country
        if bytes_in is not UNSET:
            field_dict["bytes_in"] = bytes_in
        if bytes_out is not UNSET:
            field_dict["bytes_out"] = bytes_out
        if active_users is not UNSET:
            field_dict["active_users"] = active_users

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        date = d.pop("date", "")
        if _type(date) is not str:
            date = _read_str(date, "date", "")

        country = d.pop("country", "")
        if _type(country) is not str:
            country = _read_str(country, "country", "")

        bytes_in = d.pop("bytes_in", 0)
        if _type(bytes_in) is not int:
            bytes_in = _read_int(bytes_in, "bytes_in", 0)

        bytes_out = d.pop("bytes_out", 0)
        if _type(bytes_out) is not int:
            bytes_out = _read_int(bytes_out, "bytes_out", 0)

        active_users = d.pop("active_users", 0)
        if _type(active_users) is not int:
            active_users = _read_int(active_users, "active_users", 0)

        if cls is TrafficReportRow:
            traffic_report_row = _new_instance(cls)
            traffic_report_row.date = date
            traffic_report_row.country = country
            traffic_report_row.bytes_in = bytes_in
            traffic_report_row.bytes_out = bytes_out
            traffic_report_row.active_users = active_users
        else:
            traffic_report_row = cls(
                date=date,
                country=country,
                bytes_in=bytes_in,
                bytes_out=bytes_out,
                active_users=active_users,
            )

        traffic_report_row.additional_properties = d
        return traffic_report_row

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
