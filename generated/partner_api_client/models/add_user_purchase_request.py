from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import MalformedAnswer as _MalformedAnswer
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_object as _read_object
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.purchase_receipt import PurchaseReceipt


T = TypeVar("T", bound="AddUserPurchaseRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class AddUserPurchaseRequest:
    """Names one user and the purchase to attach.

    Attributes:
        type (str): Purchase type (for example `google`, `apple`, `stripe`).
        receipt (PurchaseReceipt): Store receipt, free-form and opaque. Forwarded and stored exactly as given, zeros
            included.
        user_id (int | Unset): User id. Default 0 (absent; 0 is not a valid id). Not sent when UNSET.
        username (str | Unset): User name. Default "" (absent). Not sent when UNSET.
    """

    type: str
    receipt: PurchaseReceipt
    user_id: int | Unset = UNSET
    username: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type = self.type

        receipt = self.receipt.to_dict()

        user_id = self.user_id

        username = self.username

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type,
                "receipt": receipt,
            }
        )
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        type = d.pop("type", None)
        if _type(type) is not str:
            type = _read_str(type, "type", _REQUIRED)

        _receipt = d.pop("receipt", None)
        receipt: PurchaseReceipt
        if _receipt is None:
            receipt = _read_object(None, "receipt", _REQUIRED)
        else:
            try:
                receipt = PurchaseReceipt.from_dict(_receipt)
            except _MalformedAnswer as _malformed:
                _malformed.path.insert(0, "receipt")
                raise

        user_id = d.pop("user_id", None)
        if _type(user_id) is not int:
            user_id = _read_int(user_id, "user_id", UNSET)

        username = d.pop("username", None)
        if _type(username) is not str:
            username = _read_str(username, "username", UNSET)

        if cls is AddUserPurchaseRequest:
            add_user_purchase_request = _new_instance(cls)
            add_user_purchase_request.type = type
            add_user_purchase_request.receipt = receipt
            add_user_purchase_request.user_id = user_id
            add_user_purchase_request.username = username
        else:
            add_user_purchase_request = cls(
                type=type,
                receipt=receipt,
                user_id=user_id,
                username=username,
            )

        return add_user_purchase_request


from ..models.purchase_receipt import PurchaseReceipt  # noqa: E402
