from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_bool as _read_bool
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="Purchase")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class Purchase:
    """A purchase attached to a user (modelled). The receipt itself is not echoed back.

    Attributes:
        id (int): Purchase id. Absent: 0.
        type (str): Purchase type (the store or provider, for example `google`, `apple`, `stripe`). Absent: ''.
        create_time (int): When the purchase was added (unix seconds). Absent: 0.
        check_time (int): When the receipt was last verified (unix seconds). Absent: 0.
        active (bool): Whether the purchase currently grants access. Absent: False.
    """

    id: int = 0
    type: str = ""
    create_time: int = 0
    check_time: int = 0
    active: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        type = self.type

        create_time = self.create_time

        check_time = self.check_time

        active = self.active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if id is not UNSET:
            field_dict["id"] = id
        if type is not UNSET:
            field_dict["type"] = type
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if check_time is not UNSET:
            field_dict["check_time"] = check_time
        if active is not UNSET:
            field_dict["active"] = active

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        id = d.pop("id", 0)
        if _type(id) is not int:
            id = _read_int(id, "id", 0)

        type = d.pop("type", "")
        if _type(type) is not str:
            type = _read_str(type, "type", "")

        create_time = d.pop("create_time", 0)
        if _type(create_time) is not int:
            create_time = _read_int(create_time, "create_time", 0)

        check_time = d.pop("check_time", 0)
        if _type(check_time) is not int:
            check_time = _read_int(check_time, "check_time", 0)

        active = d.pop("active", False)
        if _type(active) is not bool:
            active = _read_bool(active, "active", False)

        if cls is Purchase:
            purchase = _new_instance(cls)
            purchase.id = id
            purchase.type = type
            purchase.create_time = create_time
            purchase.check_time = check_time
            purchase.active = active
        else:
            purchase = cls(
                id=id,
                type=type,
                create_time=create_time,
                check_time=check_time,
                active=active,
            )

        purchase.additional_properties = d
        return purchase

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
