from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_choice as _read_choice
from partner_api._answer_json import read_str as _read_str

from ..models.result_code import RESULT_CODE_VALUES, ResultCode
from ..types import UNSET

T = TypeVar("T", bound="ErrorResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


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
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        result = d.pop("result", None)
        if _type(result) is not str or result not in RESULT_CODE_VALUES:
            result = _read_choice(result, "result", _REQUIRED, RESULT_CODE_VALUES)

        error = d.pop("error", "")
        if _type(error) is not str:
            error = _read_str(error, "error", "")

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
