from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_bool as _read_bool
from partner_api._answer_json import read_int as _read_int

from ..types import UNSET

T = TypeVar("T", bound="Traffic")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class Traffic:
    """Traffic counters and limit of a user (modelled).

    Attributes:
        traffic_start (int): Start of the counting period (unix seconds). Absent: 0.
        traffic_limit (int): Limit in bytes; 0 means no limit. Absent: 0.
        traffic_used (int): Bytes used since `traffic_start`. Absent: 0.
        traffic_remaining (int): Bytes left before the limit; 0 when unlimited. Absent: 0.
        unlimited (bool): True when the user has no traffic limit. Absent: False.
    """

    traffic_start: int = 0
    traffic_limit: int = 0
    traffic_used: int = 0
    traffic_remaining: int = 0
    unlimited: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        traffic_start = self.traffic_start

        traffic_limit = self.traffic_limit

        traffic_used = self.traffic_used

        traffic_remaining = self.traffic_remaining

        unlimited = self.unlimited

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if traffic_start is not UNSET:
            field_dict["traffic_start"] = traffic_start
        if traffic_limit is not UNSET:
            field_dict["traffic_limit"] = traffic_limit
        if traffic_used is not UNSET:
            field_dict["traffic_used"] = traffic_used
        if traffic_remaining is not UNSET:
            field_dict["traffic_remaining"] = traffic_remaining
        if unlimited is not UNSET:
            field_dict["unlimited"] = unlimited

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        traffic_start = d.pop("traffic_start", 0)
        if _type(traffic_start) is not int:
            traffic_start = _read_int(traffic_start, "traffic_start", 0)

        traffic_limit = d.pop("traffic_limit", 0)
        if _type(traffic_limit) is not int:
            traffic_limit = _read_int(traffic_limit, "traffic_limit", 0)

        traffic_used = d.pop("traffic_used", 0)
        if _type(traffic_used) is not int:
            traffic_used = _read_int(traffic_used, "traffic_used", 0)

        traffic_remaining = d.pop("traffic_remaining", 0)
        if _type(traffic_remaining) is not int:
            traffic_remaining = _read_int(traffic_remaining, "traffic_remaining", 0)

        unlimited = d.pop("unlimited", False)
        if _type(unlimited) is not bool:
            unlimited = _read_bool(unlimited, "unlimited", False)

        if cls is Traffic:
            traffic = _new_instance(cls)
            traffic.traffic_start = traffic_start
            traffic.traffic_limit = traffic_limit
            traffic.traffic_used = traffic_used
            traffic.traffic_remaining = traffic_remaining
            traffic.unlimited = unlimited
        else:
            traffic = cls(
                traffic_start=traffic_start,
                traffic_limit=traffic_limit,
                traffic_used=traffic_used,
                traffic_remaining=traffic_remaining,
                unlimited=unlimited,
            )

        traffic.additional_properties = d
        return traffic

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
