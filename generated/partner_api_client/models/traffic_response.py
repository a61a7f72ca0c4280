from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.traffic import Traffic


T = TypeVar("T", bound="TrafficResponse")


@_attrs_define
class TrafficResponse:
    """
    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str | Unset): Human-readable message when `result` is not `OK`. Default: ''.
        traffic (Traffic | Unset): Traffic counters and limit of a user (modelled).
    """

    result: str
    error: str = ""
    traffic: Traffic | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        traffic: dict[str, Any] | Unset = UNSET
        if not isinstance(self.traffic, Unset):
            traffic = self.traffic.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if traffic is not UNSET:
            field_dict["traffic"] = traffic

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        error = d.pop("error", "")

        _traffic = d.pop("traffic", UNSET)
        traffic: Traffic | Unset
        if isinstance(_traffic, Unset):
            traffic = UNSET
        else:
            traffic = Traffic.from_dict(_traffic)

        traffic_response = cls(
            result=result,
            error=error,
            traffic=traffic,
        )

        traffic_response.additional_properties = d
        return traffic_response

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


from ..models.traffic import Traffic  # noqa: E402
