"""Tokens at rest: AES-GCM with a key derived (HKDF-SHA256) from the private key and the store namespace.

A Redis dump or a copied token file is useless without the private key, and an entry written for another
namespace, another key, or tampered with, fails authentication and is ignored. `cryptography` is imported
when a shared store first seals or opens a token, never by `import partner_api`.
"""

from __future__ import annotations

import os
from typing import Protocol

__all__ = ["PlainCodec", "TokenCipher", "TokenCodec"]

_VERSION = b"\x01"
_NONCE_SIZE = 12
_SALT = b"partner-api-client token store"


class TokenCodec(Protocol):
    """Turns an access token into the bytes a store keeps, and back (None: not a readable entry)."""

    def seal(self, token: str) -> bytes: ...

    def open(self, blob: bytes) -> str | None: ...


class PlainCodec:
    """For a store that lives in this process's memory: the bytes are the token itself."""

    def seal(self, token: str) -> bytes:
        return token.encode("utf-8", "surrogatepass")

    def open(self, blob: bytes) -> str | None:
        try:
            return blob.decode("utf-8", "surrogatepass") or None
        except UnicodeDecodeError:
            return None

    def __repr__(self) -> str:
        return "PlainCodec()"


class TokenCipher:
    """Authenticated encryption of tokens for one namespace; the derived key never leaves the object."""

    __slots__ = ("_aad", "_aead")

    def __init__(self, private_key: str, namespace: str) -> None:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        info = b"token v1 " + namespace.encode("ascii")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(
            private_key.encode("utf-8", "surrogatepass")
        )
        self._aead = AESGCM(key)
        self._aad = info

    def seal(self, token: str) -> bytes:
        nonce = os.urandom(_NONCE_SIZE)
        return _VERSION + nonce + self._aead.encrypt(nonce, token.encode("utf-8", "surrogatepass"), self._aad)

    def open(self, blob: bytes) -> str | None:
        """The token, or None for anything that is not an intact entry sealed with this key and namespace."""
        from cryptography.exceptions import InvalidTag

        if len(blob) <= 1 + _NONCE_SIZE + 16 or blob[:1] != _VERSION:
            return None
        nonce, sealed = blob[1 : 1 + _NONCE_SIZE], blob[1 + _NONCE_SIZE :]
        try:
            return self._aead.decrypt(nonce, sealed, self._aad).decode("utf-8", "surrogatepass") or None
        except (InvalidTag, UnicodeDecodeError):
            return None

    def __repr__(self) -> str:
        return "TokenCipher()"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a TokenCipher cannot be pickled")
