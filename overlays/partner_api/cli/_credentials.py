"""Where the command line gets its base URL, project id and private key, and its token cache.

Without `--profile`: the environment, as `PartnerClient.from_env()` reads it. With `--profile NAME`: the table
`[profiles.NAME]` of `~/.config/partner-api/config.toml` (`$XDG_CONFIG_HOME` honoured) with `base_url`,
`project_id` and one key source: `private_key_env` (a variable name), `private_key_file` (a path) or
`private_key_command` (run without a shell; its standard output is the key); optionally `strict_answers = false`
(the client's lenient reading of answers that differ from the spec). The key itself is never a
command-line value or a config value: command lines show in `ps`, and config files get shared.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

from .._client import _ENV
from ._exit import UsageProblem

__all__ = ["Credentials", "config_path", "load_credentials", "token_cache_path"]

_KEY_SOURCES = ("private_key_env", "private_key_file", "private_key_command")
_COMMAND_TIMEOUT = 30.0


class Credentials(NamedTuple):
    """What a client needs; `private_key` is handed to the client and never printed."""

    base_url: str
    project_id: str
    private_key: str
    source: str
    """Where the key came from, for messages (never the key)."""
    strict_answers: bool = True
    """The profile's `strict_answers` (the client option of that name)."""

    def __repr__(self) -> str:
        return f"Credentials(base_url={self.base_url!r}, project_id={self.project_id!r}, source={self.source!r})"


def config_path() -> Path:
    """`$XDG_CONFIG_HOME/partner-api/config.toml`, else `~/.config/partner-api/config.toml`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "partner-api" / "config.toml"


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
    return _from_profile(profile)


def _read_config(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        with open(path, "rb") as stream:
            config: dict[str, Any] = tomllib.load(stream)
            return config
    except FileNotFoundError:
        raise UsageProblem(f"--profile: no config file {path}") from None
    except (OSError, ValueError) as exc:
        raise UsageProblem(f"--profile: cannot read {path}: {exc}") from None


def _from_profile(name: str) -> Credentials:
    path = config_path()
    profiles = _read_config(path).get("profiles", {})
    table = profiles.get(name) if isinstance(profiles, dict) else None
    if not isinstance(table, dict):
        known = ", ".join(sorted(profiles)) if isinstance(profiles, dict) else ""
        raise UsageProblem(f"--profile: no [profiles.{name}] in {path}" + (f" (known: {known})" if known else ""))
    where = f"[profiles.{name}] of {path}"
    if "private_key" in table:
        raise UsageProblem(f"{where}: private_key is not read from a config file; use one of {', '.join(_KEY_SOURCES)}")
    for setting in ("base_url", "project_id"):
        if not isinstance(table.get(setting), str) or not table[setting]:
            raise UsageProblem(f"{where}: set {setting}")
    sources = [source for source in _KEY_SOURCES if source in table]
    if len(sources) != 1:
        raise UsageProblem(f"{where}: set exactly one of {', '.join(_KEY_SOURCES)}")
    (source,) = sources
    value = table[source]
    if not isinstance(value, str) or not value:
        raise UsageProblem(f"{where}: {source} must be a non-empty string")
    key = _read_key(source, value, where)
    strict = table.get("strict_answers", True)
    if not isinstance(strict, bool):
        raise UsageProblem(f"{where}: strict_answers must be true or false")
    return Credentials(table["base_url"], table["project_id"], key, f"{source} of profile {name}", strict)


def _read_key(source: str, value: str, where: str) -> str:
    if source == "private_key_env":
        key = os.environ.get(value, "")
        if not key:
            raise UsageProblem(f"{where}: the variable {value} (private_key_env) is not set")
        return key
    if source == "private_key_file":
        path = Path(value).expanduser()
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise UsageProblem(f"{where}: cannot read private_key_file {path}: {exc.strerror}") from None
        if not key:
            raise UsageProblem(f"{where}: private_key_file {path} is empty")
        return key
    try:
        done = subprocess.run(  # noqa: S603 (the user's own configured command, run without a shell)
            shlex.split(value), capture_output=True, text=True, timeout=_COMMAND_TIMEOUT, check=False
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise UsageProblem(f"{where}: private_key_command failed: {type(exc).__name__}") from None
    key = done.stdout.strip()
    if done.returncode != 0 or not key:
        # Its output is not quoted: it may be (part of) the key.
        raise UsageProblem(f"{where}: private_key_command exited {done.returncode} without a key")
    return key
