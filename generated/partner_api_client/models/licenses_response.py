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
    from ..models.license import License


T = TypeVar("T", bound="LicensesResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class LicensesResponse:
    """Success answer of listLicenses.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        licenses (list[License]): The project's licenses. Absent: [].
    """

    result: str
    error: str = ""
    licenses: list[License] = _attrs_field(factory=list)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        licenses: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.licenses, Unset):
            licenses = []
            for licenses_item_data in self.licenses:
                licenses_item = licenses_item_data.to_dict()
                licenses.append(licenses_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if licenses is not UNSET:
            field_dict["licenses"] = licenses

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

        licenses: list[License] = []
        _licenses = d.pop("licenses", None)
        if _type(_licenses) is not list:
            _licenses = _read_list(_licenses, "licenses", False)
        try:
            for licenses_item_data in _licenses:
                licenses_item = License.from_dict(licenses_item_data)

                licenses.append(licenses_item)
        except _MalformedAnswer as _malformed:
            _malformed.path[:0] = ["licenses", len(licenses)]
            raise

        if cls is LicensesResponse:
            licenses_response = _new_instance(cls)
            licenses_response.result = result
            licenses_response.error = error
            licenses_response.licenses = licenses
        else:
            licenses_response = cls(
                result=result,
                error=error,
                licenses=licenses,
            )

        licenses_response.additional_properties = d
        return licenses_response

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


from ..models.license import License  # noqa: E402
