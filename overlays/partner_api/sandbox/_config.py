"""Start-up settings of a sandbox (the run-time knobs start from these and `reset()` returns to them)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict

__all__ = ["SandboxConfig", "SandboxOptions"]

DEFAULT_PROJECT_ID = "demo"
DEFAULT_PRIVATE_KEY = "sandbox-private-key"
"""The CLI's key when neither `--private-key` nor `PARTNER_SANDBOX_PRIVATE_KEY` is given (not a secret)."""
PRIVATE_KEY_ENV = "PARTNER_SANDBOX_PRIVATE_KEY"
DEFAULT_TOKEN_TTL = 3600


@dataclass(frozen=True)
class SandboxConfig:
    """What a sandbox starts with. `private_key` is kept out of `repr()`."""

    project_id: str = DEFAULT_PROJECT_ID
    private_key: str = field(default=DEFAULT_PRIVATE_KEY, repr=False)
    token_ttl: int = DEFAULT_TOKEN_TTL
    """Lifetime of new access tokens, in seconds."""
    clock_offset: float = 0.0
    """Seconds added to the machine's clock to make the server's clock (simulated skew)."""
    rate_limit: float | None = None
    """Requests per second accepted on the API paths (login and v2); None means unlimited."""
    max_active_tokens: int | None = None
    """Live tokens per project at most: a login beyond it revokes the oldest token (None: no cap)."""
    login_rate_limit: float | None = None
    """Logins per second before `/partner/login` answers 429 TOO_MANY_REQUESTS (None: unlimited)."""
    db: str | os.PathLike[str] | None = None
    """SQLite file that keeps the data across restarts; None keeps it in memory."""
    seed: int = 0
    """Number of generated users (with devices, sessions, purchases) put in an empty store."""
    admin: bool = False
    """Serve the admin endpoint under `/_sandbox/`."""
    faults: tuple[Mapping[str, Any], ...] = ()
    """Faults registered at start (and again by `reset()`), as `POST /_sandbox/faults` bodies."""
    drift: int | None = None
    """Seed of the answers' deliberate deviations from the spec (`_drift`); None: answers follow the spec."""

    def __post_init__(self) -> None:
        if not self.project_id:
            raise ValueError("project_id must not be empty")
        if not self.private_key:
            raise ValueError("private_key must not be empty")
        if self.token_ttl < 1:
            raise ValueError("token_ttl must be at least 1 second")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be > 0 requests per second, or None")
        if self.max_active_tokens is not None and self.max_active_tokens < 1:
            raise ValueError("max_active_tokens must be at least 1, or None")
        if self.login_rate_limit is not None and self.login_rate_limit <= 0:
            raise ValueError("login_rate_limit must be > 0 logins per second, or None")
        if self.seed < 0:
            raise ValueError("seed must be >= 0")

    @classmethod
    def of_options(cls, options: SandboxOptions) -> SandboxConfig:
        """The settings of a `SandboxServer` / `SandboxProcess` from its keyword arguments: a random private key
        unless one is given, the faults as a tuple, every other field as given or its default here."""
        private_key = options.get("private_key") or secrets.token_urlsafe(24)
        settings: dict[str, Any] = {**options, "private_key": private_key, "faults": tuple(options.get("faults", ()))}
        return cls(**settings)  # the caller's keywords were checked against SandboxOptions


class SandboxOptions(TypedDict, total=False):
    """The keyword arguments `SandboxServer(...)` and `SandboxProcess(...)` take for their `SandboxConfig` (the
    fields' meaning and defaults are there), except that `private_key` defaults to a random key and `faults` may
    be any iterable."""

    project_id: str
    private_key: str | None
    token_ttl: int
    clock_offset: float
    rate_limit: float | None
    max_active_tokens: int | None
    login_rate_limit: float | None
    db: str | os.PathLike[str] | None
    seed: int
    admin: bool
    faults: Iterable[Mapping[str, Any]]
    drift: int | None
