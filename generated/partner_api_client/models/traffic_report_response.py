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
    from ..models.traffic_report_row import TrafficReportRow


T = TypeVar("T", bound="TrafficReportResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class TrafficReportResponse:
    """Success answer of getTrafficReport.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        rows (list[TrafficReportRow]): Report rows, ordered by date or country. Absent: [].
    """

    result: str
    error: str = ""
    rows: list[TrafficReportRow] = _attrs_field(factory=list)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        rows: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rows, Unset):
            rows = []
            for rows_item_data in self.rows:
                rows_item = rows_item_data.to_dict()
                rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if rows is not UNSET:
            field_dict["rows"] = rows

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

        rows: list[TrafficReportRow] = []
        _rows = d.pop("rows", None)
        if _type(_rows) is not list:
            _rows = _read_list(_rows, "rows", False)
        try:
            for rows_item_data in _rows:
                rows_item = TrafficReportRow.from_dict(rows_item_data)

                rows.append(rows_item)
        except _MalformedAnswer as _malformed:
            _malformed.path[:0] = ["rows", len(rows)]
            raise

        if cls is TrafficReportResponse:
            traffic_report_response = _new_instance(cls)
            traffic_report_response.result = result
            traffic_report_response.error = error
            traffic_report_response.rows = rows
        else:
            traffic_report_response = cls(
                result=result,
                error=error,
                rows=rows,
            )

        traffic_report_response.additional_properties = d
        return traffic_report_response

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


from ..models.traffic_report_row import TrafficReportRow  # noqa: E402
