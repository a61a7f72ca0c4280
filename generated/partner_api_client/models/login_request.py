from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_str as _read_str

T = TypeVar("T", bound="LoginRequest")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class LoginRequest:
    """Form body of `/partner/login` (documented). Flat on purpose.

    Attributes:
        login (str): The project id (PROJECT_ID).
        password (str): The project's private key (PRIVATE_KEY). Secret.
    """

    login: str
    password: str = _attrs_field(repr=False)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        login = self.login

        password = self.password

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "login": login,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        if _type(src_dict) is not dict:
            src_dict = _as_object(src_dict)
        d = dict(src_dict)
        login = d.pop("login", None)
        if _type(login) is not str:
            login = _read_str(login, "login", _REQUIRED)

        password = d.pop("password", None)
        if _type(password) is not str:
            password = _read_str(password, "password", _REQUIRED)

        if cls is LoginRequest:
            login_request = _new_instance(cls)
            login_request.login = login
            login_request.password = password
        else:
            login_request = cls(
                login=login,
                password=password,
            )

        login_request.additional_properties = d
        return login_request

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
