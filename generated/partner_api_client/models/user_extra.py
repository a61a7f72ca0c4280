from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="UserExtra")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class UserExtra:
    """Extra data of a user (documented).

    Attributes:
        country (str): ISO 3166-1 alpha-2 country code; "" when not set. Absent: ''.
        language (str): Language tag (for example `en` or `pt-BR`); "" when not set. Absent: ''.
    """

    country: str = ""
    language: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        language = self.language

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if country is not UNSET:
            field_dict["country"] = country
        if language is not UNSET:
            field_dict["language"] = language

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        country = d.pop("country", "")
        if _type(country) is not str:
            country = _read_str(country, "country", "")

        language = d.pop("language", "")
        if _type(language) is not str:
            language = _read_str(language, "language", "")

        if cls is UserExtra:
            user_extra = _new_instance(cls)
            user_extra.country = country
            user_extra.language = language
        else:
            user_extra = cls(
                country=country,
                language=language,
            )

        user_extra.additional_properties = d
        return user_extra

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
