"""Where the command line gets its base URL, project id, private key and timeout, and its token cache.

Without a profile: the environment, as `PartnerClient.from_env()` reads it. With `--profile NAME` (or
`PARTNER_API_PROFILE`): the profile as `partner_api._profiles` reads it, the one reader `PartnerClient.from_profile`
shares. The key is never a command-line value: command lines show in `ps`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .._client import _ENV
from .._profiles import ProfileError, config_path, load_profile
from ._exit import UsageProblem

__all__ = ["Credentials", "load_credentials", "token_cache_path"]


class Credentials(NamedTuple):
    """What a client needs; `private_key` is handed to the client and never printed."""

    base_url: str
    project_id: str
    private_key: str
    source: str
    """Where the key came from, for messages (never the key)."""
    timeout: float | None = None

    def __repr__(self) -> str:
        return f"Credentials(base_url={self.base_url!r}, project_id={self.project_id!r}, source={self.source!r})"


def token_cache_path() -> Path:
    """The token cache in the user's cache directory (`$XDG_CACHE_HOME/partner-api/tokens` on Linux): a
    `FileTokenStore`, which keeps each API and project apart, encrypts the token with a key derived from the
    private key, and writes the file with mode 0600."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("partner-api", appauthor=False)) / "tokens"


def load_credentials(profile: str | None) -> Credentials:
    """Credentials from a profile, or from the environment; raises `UsageProblem` with what is missing."""
    if profile is None:
        missing = [name for name in _ENV if not os.environ.get(name)]
        if missing:
            raise UsageProblem(f"no credentials: set {', '.join(missing)}, or use --profile NAME ({config_path()})")
        base_url, project_id, private_key = (os.environ[name] for name in _ENV)
        return Credentials(base_url, project_id, private_key, f"${_ENV[2]}")
    try:
        found = load_profile(profile)
    except ProfileError as exc:
        raise UsageProblem(f"--profile {profile}: {exc}") from None
    return Credentials(found.base_url, found.project_id, found.private_key, found.source, found.timeout)
