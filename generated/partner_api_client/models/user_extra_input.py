from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserExtraInput")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class UserExtraInput:
    """Extra data to set on a user. Absent or "" fields are left unchanged.

    Attributes:
        country (str | Unset): ISO 3166-1 alpha-2 country code (two upper-case letters). Default "" (absent). Not sent
            when UNSET.
        language (str | Unset): Language tag (for example `en`, `pt-BR`). Default "" (absent). Not sent when UNSET.
    """

    country: str | Unset = UNSET
    language: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        country = self.country

        language = self.language

        field_dict: dict[str, Any] = {}

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
        country = d.pop("country", None)
        if _type(country) is not str:
            country = _read_str(country, "country", UNSET)

        language = d.pop("language", None)
        if _type(language) is not str:
            language = _read_str(language, "language", UNSET)

        if cls is UserExtraInput:
            user_extra_input = _new_instance(cls)
            user_extra_input.country = country
            user_extra_input.language = language
        else:
            user_extra_input = cls(
                country=country,
                language=language,
            )

        return user_extra_input
