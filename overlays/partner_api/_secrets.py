"""Keeping the private key and access tokens out of repr, logs and exception text."""

from __future__ import annotations

import threading

__all__ = ["MIN_LENGTH", "Secret", "SecretRegistry"]


class Secret:
    """A string that never shows itself: `repr()` and `str()` print a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The real value, for the wire only."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


MIN_LENGTH = 8
"""Secrets shorter than this are not masked in text: a short key ("wrong") would mask ordinary words of a message,
and is no secret worth the name anyway."""


class SecretRegistry:
    """Every secret one client has seen, so that text from outside (a server's error message) can be scrubbed.
    Only secrets of at least `MIN_LENGTH` characters are masked."""

    _KEEP = 16  # tokens remembered; older ones are long expired

    def __init__(self, *secrets: str) -> None:
        self._lock = threading.Lock()
        self._values: list[str] = [s for s in secrets if len(s) >= MIN_LENGTH]

    def add(self, value: str) -> None:
        if len(value) < MIN_LENGTH:
            return
        with self._lock:  # a new list, never changed in place: `redact` may be reading the old one
            kept = self._values[1:][-(self._KEEP - 1) :] if len(self._values) > 1 else []
            self._values = [*self._values[:1], *kept, value]

    def after_fork(self) -> None:
        """In a forked child: the parent's lock may have been held by a thread the child does not have."""
        self._lock = threading.Lock()

    def redact(self, text: str) -> str:
        """`text` with every known secret replaced by a mask."""
        for value in self._values:
            if value in text:
                text = text.replace(value, "********")
        return text
