from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.purchase import Purchase


T = TypeVar("T", bound="PurchaseResponse")


@_attrs_define
class PurchaseResponse:
    """
    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str | Unset): Human-readable message when `result` is not `OK`. Default: ''.
        purchase (Purchase | Unset): A purchase attached to a user (modelled). The receipt itself is not echoed back.
    """

    result: str
    error: str = ""
    purchase: Purchase | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        purchase: dict[str, Any] | Unset = UNSET
        if not isinstance(self.purchase, Unset):
            purchase = self.purchase.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if purchase is not UNSET:
            field_dict["purchase"] = purchase

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        error = d.pop("error", "")

        _purchase = d.pop("purchase", UNSET)
        purchase: Purchase | Unset
        if isinstance(_purchase, Unset):
            purchase = UNSET
        else:
            purchase = Purchase.from_dict(_purchase)

        purchase_response = cls(
            result=result,
            error=error,
            purchase=purchase,
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
