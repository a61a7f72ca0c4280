from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.session import Session


T = TypeVar("T", bound="SessionsResponse")
_new_instance = object.__new__  # `from_dict` builds instances of the exact class without `__init__`


@_attrs_define
class SessionsResponse:
    """Success answer of listUserSessions.

    Attributes:
        result (str): `OK` on success, otherwise an error code.
        error (str): Human-readable message when `result` is not `OK`. Absent: ''.
        sessions (list[Session]): The user's sessions, newest first. Absent: [].
    """

    result: str
    error: str = ""
    sessions: list[Session] = _attrs_field(factory=list)
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        error = self.error

        sessions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sessions, Unset):
            sessions = []
            for sessions_item_data in self.sessions:
                sessions_item = sessions_item_data.to_dict()
                sessions.append(sessions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if sessions is not UNSET:
            field_dict["sessions"] = sessions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        error = d.pop("error", "")

        sessions: list[Session] = []
        for sessions_item_data in d.pop("sessions", []):
            sessions_item = Session.from_dict(sessions_item_data)

            sessions.append(sessions_item)

        if cls is SessionsResponse:
            sessions_response = _new_instance(cls)
            sessions_response.result = result
            sessions_response.error = error
            sessions_response.sessions = sessions
        else:
            sessions_response = cls(
                result=result,
                error=error,
                sessions=sessions,
            )

        sessions_response.additional_properties = d
        return sessions_response

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


from ..models.session import Session  # noqa: E402
