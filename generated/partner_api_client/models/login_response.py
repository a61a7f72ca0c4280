from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field
from partner_api._answer_json import REQUIRED as _REQUIRED
from partner_api._answer_json import as_object as _as_object
from partner_api._answer_json import read_int as _read_int
from partner_api._answer_json import read_str as _read_str

from ..types import UNSET

T = TypeVar("T", bound="LoginResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class LoginResponse:
    """Login answer (documented). Times are unix seconds of the server's clock.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        access_token (str): Bearer token for the v2 operations. Secret. Absent: ''.
        create_time (int): When the token was issued (unix seconds, server clock). Absent: 0.
        expire_time (int): When the token expires (unix seconds, server clock). Renew before `expire_time - 60 s`.
            Absent: 0.
    """

    result: str
    error: str = ""
    access_token: str = _attrs_field(default="", repr=False)
    create_time: int = 0
    expire_time: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        access_token = self.access_token

        create_time = self.create_time

        expire_time = self.expire_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if create_time is not UNSET:
            field_dict["create_time"] = create_time
        if expire_time is not UNSET:
            field_dict["expire_time"] = expire_time

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

        access_token = d.pop("access_token", "")
        if _type(access_token) is not str:
            access_token = _read_str(access_token, "access_token", "")

        create_time = d.pop("create_time", 0)
        if _type(create_time) is not int:
            create_time = _read_int(create_time, "create_time", 0)

        expire_time = d.pop("expire_time", 0)
        if _type(expire_time) is not int:
            expire_time = _read_int(expire_time, "expire_time", 0)

        if cls is LoginResponse:
            login_response = _new_instance(cls)
            login_response.result = result
            login_response.error = error
            login_response.access_token = access_token
            login_response.create_time = create_time
            login_response.expire_time = expire_time
        else:
            login_response = cls(
                result=result,
                error=error,
                access_token=access_token,
                create_time=create_time,
                expire_time=expire_time,
            )

        login_response.additional_properties = d
        return login_response

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
