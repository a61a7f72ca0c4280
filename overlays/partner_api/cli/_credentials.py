"""Where the command line gets its base URL, project id, private key and timeout, and its token cache.

Without a profile: the environment, as `PartnerClient.from_env()` reads it. With `--profile NAME` (or
`PARTNER_API_PROFILE`): the profile as `partner_api._profiles` reads it, the one reader `PartnerClient.from_profile`
shares. The key is never a command-line value: command lines show in `ps`.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._client import _ENV
from .._profiles import Profile, ProfileError, config_path, load_profile
from ._exit import UsageProblem

__all__ = ["load_credentials", "token_cache_path"]


def token_cache_path() -> Path:
    """The token cache in the user's cache directory (`$XDG_CACHE_HOME/partner-api/tokens` on Linux): a
    `FileTokenStore`, which keeps each API and project apart, encrypts the token with a key derived from the
    private key, and writes the file with mode 0600."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("partner-api", appauthor=False)) / "tokens"


def load_credentials(profile: str | None) -> Profile:
    """Credentials from a profile, or from the environment (a profile without a name); raises `UsageProblem` with
    what is missing."""
    if profile is None:
        missing = [name for name in _ENV if not os.environ.get(name)]
        if missing:
            raise UsageProblem(f"no credentials: set {', '.join(missing)}, or use --profile NAME ({config_path()})")
        base_url, project_id, private_key = (os.environ[name] for name in _ENV)
        return Profile("", base_url, project_id, private_key, f"${_ENV[2]}")
    try:
        return load_profile(profile)
    except ProfileError as exc:
        raise UsageProblem(f"--profile {profile}: {exc}") from None
