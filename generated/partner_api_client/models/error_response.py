from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.result_code import ResultCode, check_result_code
from ..types import UNSET

T = TypeVar("T", bound="ErrorResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


@_attrs_define
class ErrorResponse:
    """Error envelope (modelled); `result` is a `ResultCode` other than `OK`.

    Attributes:
        result (ResultCode): The `result` of an answer (modelled): `OK`, or an error code. `x-http-status` gives the
            HTTP status
            that goes with each code; clients map by `result` first, HTTP status second.
        error (str): Human-readable message. Absent: ''.
    """

    result: ResultCode
    error: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result: str = self.result

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = check_result_code(d.pop("result"))

        error = d.pop("error", "")

        if cls is ErrorResponse:
            error_response = _new_instance(cls)
            error_response.result = result
            error_response.error = error
        else:
            error_response = cls(
                result=result,
                error=error,
            )

        error_response.additional_properties = d
        return error_response

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
