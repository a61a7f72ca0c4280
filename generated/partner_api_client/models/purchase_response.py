from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_object as _read_object
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

if TYPE_CHECKING:
    from ..models.purchase import Purchase


T = TypeVar("T", bound="PurchaseResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class PurchaseResponse:
    """Success answer of the operations that return one purchase; `purchase` is always present.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        purchase (Purchase): A purchase attached to a user (modelled). The receipt itself is not echoed back.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
    """

    result: str
    purchase: Purchase
    error: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        purchase = self.purchase.to_dict()

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "purchase": purchase,
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
        if _type(result) is not str:
            result = _read_str(result, "result", _REQUIRED)

        _purchase = d.pop("purchase", None)
        purchase: Purchase
        if _purchase is None:
            purchase = _read_object(None, "purchase", _REQUIRED)
        else:
            try:
                purchase = Purchase.from_dict(_purchase)
            except _MalformedAnswer as _malformed:
                _malformed.path.insert(0, "purchase")
                raise

        error = d.pop("error", "")
        if _type(error) is not str:
            error = _read_str(error, "error", "")

        if cls is PurchaseResponse:
            purchase_response = _new_instance(cls)
            purchase_response.result = result
            purchase_response.purchase = purchase
            purchase_response.error = error
        else:
            purchase_response = cls(
                result=result,
                purchase=purchase,
                error=error,
            )

        purchase_response.additional_properties = d
        return purchase_response

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


from ..models.purchase import Purchase  # noqa: E402
