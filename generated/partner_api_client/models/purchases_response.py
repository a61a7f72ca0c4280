from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.purchase import Purchase


T = TypeVar("T", bound="PurchasesResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


@_attrs_define
class PurchasesResponse:
    """Success answer of listUserPurchases.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        purchases (list[Purchase]): The user's purchases. Absent: [].
    """

    result: str
    error: str = ""
    purchases: list[Purchase] = _attrs_field(factory=list)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        purchases: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.purchases, Unset):
            purchases = []
            for purchases_item_data in self.purchases:
                purchases_item = purchases_item_data.to_dict()
                purchases.append(purchases_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if purchases is not UNSET:
            field_dict["purchases"] = purchases

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        error = d.pop("error", "")

        purchases: list[Purchase] = []
        for purchases_item_data in d.pop("purchases", []):
            purchases_item = Purchase.from_dict(purchases_item_data)

            purchases.append(purchases_item)

        if cls is PurchasesResponse:
            purchases_response = _new_instance(cls)
            purchases_response.result = result
            purchases_response.error = error
            purchases_response.purchases = purchases
        else:
            purchases_response = cls(
                result=result,
                error=error,
                purchases=purchases,
            )

        purchases_response.additional_properties = d
        return purchases_response

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
