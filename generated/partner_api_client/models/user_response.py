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
    from ..models.user import User


T = TypeVar("T", bound="UserResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`
_type = type  # `from_dict` tests each field's type; a field may be named `type` (a local there)


@_attrs_define
class UserResponse:
    """Success answer of the operations that return one user; `user` is always present.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        user (User): A subscriber. `id`, `username`, `auth_method`, `enabled`, `extra` are documented; `license_id` and
            `create_time` are modelled.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
    """

    result: str
    user: User
    error: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        user = self.user.to_dict()

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
                "user": user,
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

        _user = d.pop("user", None)
        user: User
        if _user is None:
            user = _read_object(None, "user", _REQUIRED)
        else:
            try:
                user = User.from_dict(_user)
            except _MalformedAnswer as _malformed:
                _malformed.path.insert(0, "user")
                raise

        error = d.pop("error", "")
        if _type(error) is not str:
            error = _read_str(error, "error", "")

        if cls is UserResponse:
            user_response = _new_instance(cls)
            user_response.result = result
            user_response.user = user
            user_response.error = error
        else:
            user_response = cls(
                result=result,
                user=user,
                error=error,
            )

        user_response.additional_properties = d
        return user_response

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


from ..models.user import User  # noqa: E402
