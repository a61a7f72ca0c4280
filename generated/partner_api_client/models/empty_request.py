from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import as_object as _as_object

T = TypeVar("T", bound="EmptyRequest")
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class EmptyRequest:
    """No parameters; send `{}`."""

    def to_dict(self) -> dict[str, Any]:

        field_dict: dict[str, Any] = {}

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        empty_request = cls()

        return empty_request
