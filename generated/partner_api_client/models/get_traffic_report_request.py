from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_choice as _read_choice
from partner_api._answer_json import read_int as _read_int

from ..models.get_traffic_report_request_group_by import (
    GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES,
    GetTrafficReportRequestGroupBy,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="GetTrafficReportRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class GetTrafficReportRequest:
    """Time window and grouping of a traffic report.

    Attributes:
        start_time (int): Window start (unix seconds, inclusive).
        end_time (int): Window end (unix seconds, exclusive).
        group_by (GetTrafficReportRequestGroupBy | Unset): Group rows by `day` or by `country`. Default "" (absent;
            `day`). Not sent when UNSET.
    """

    start_time: int
    end_time: int
    group_by: GetTrafficReportRequestGroupBy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        start_time = self.start_time

        end_time = self.end_time

        group_by: str | Unset = UNSET
        if not isinstance(self.group_by, Unset):
            group_by = self.group_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start_time": start_time,
                "end_time": end_time,
            }
        )
        if group_by is not UNSET:
            field_dict["group_by"] = group_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        start_time = d.pop("start_time", None)
        if _type(start_time) is not int:
            start_time = _read_int(start_time, "start_time", _REQUIRED)

        end_time = d.pop("end_time", None)
        if _type(end_time) is not int:
            end_time = _read_int(end_time, "end_time", _REQUIRED)

        group_by = d.pop("group_by", None)
        if _type(group_by) is not str or group_by not in GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES:
            group_by = _read_choice(group_by, "group_by", UNSET, GET_TRAFFIC_REPORT_REQUEST_GROUP_BY_VALUES)

        if cls is GetTrafficReportRequest:
            get_traffic_report_request = _new_instance(cls)
            get_traffic_report_request.start_time = start_time
            get_traffic_report_request.end_time = end_time
            get_traffic_report_request.group_by = group_by
        else:
            get_traffic_report_request = cls(
                start_time=start_time,
                end_time=end_time,
                group_by=group_by,
            )

        return get_traffic_report_request
