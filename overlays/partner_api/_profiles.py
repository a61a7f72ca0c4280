"""Named profiles of `~/.config/partner-api/config.toml`: what `partner-api --profile NAME` and
`PartnerClient.from_profile(NAME)` read.

A profile is the table `[profiles.NAME]` (`$XDG_CONFIG_HOME` honoured) with `base_url`, `project_id`, one key
source (`private_key_env`: a variable name, `private_key_file`: a path, `private_key_command`: run without a
shell, its standard output is the key) and optionally `timeout` (seconds) and `strict_answers = false` (the client's
lenient reading of answers that differ from the spec). The key itself is never a config value:
config files get shared. Problems raise `ProfileError` (a `ValueError`) naming the file, the profile and the key.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["KEY_SOURCES", "PROFILE_KEYS", "Profile", "ProfileError", "config_path", "load_profile", "profile_names"]

KEY_SOURCES = ("private_key_env", "private_key_file", "private_key_command")
PROFILE_KEYS: dict[str, str] = {
    "base_url": "the API's root URL",
    "project_id": "the project id",
    "private_key_env": "a variable holding the private key",
    "private_key_file": "a file holding the private key",
    "private_key_command": "a command printing the private key",
    "timeout": "seconds for connecting, sending and each answer",
    "strict_answers": "false: read answers that differ from the spec leniently (the client option of that name)",
}
"""The keys a profile may hold; another is refused with a "did you mean". A new setting is one line here."""

_COMMAND_TIMEOUT = 30.0


class ProfileError(ValueError):
    """A profile that cannot be used: no config file, no such profile, a missing, unknown or malformed key."""


class Profile(NamedTuple):
    """A profile read and checked; `private_key` is handed to the client and never printed."""

    name: str
    base_url: str
    project_id: str
    private_key: str
    source: str
    """Where the key came from, for messages (never the key)."""
    timeout: float | None = None
    strict_answers: bool = True
    """The profile's `strict_answers` (the client option of that name)."""

    def __repr__(self) -> str:
        return f"Profile(name={self.name!r}, base_url={self.base_url!r}, project_id={self.project_id!r})"


def config_path() -> Path:
    """`$XDG_CONFIG_HOME/partner-api/config.toml`, else `~/.config/partner-api/config.toml`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "partner-api" / "config.toml"


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
        raise ProfileError(f"no config file {path}") from None
    except OSError as exc:
        raise ProfileError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ProfileError(f"cannot read {path}: not valid TOML ({exc})") from None


def _profiles(path: Path) -> dict[str, Any]:
    profiles = _read_config(path).get("profiles", {})
    return profiles if isinstance(profiles, dict) else {}


def profile_names() -> list[str]:
    """The profiles of the config file (none when it is missing or unreadable): for shell completion."""
    try:
        return sorted(name for name, table in _profiles(config_path()).items() if isinstance(table, dict))
    except ProfileError:
        return []


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean X?)` for the closest of `choices`, or ""."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def load_profile(name: str) -> Profile:
    """The profile `name`, its key read from its source; raises `ProfileError` saying what to fix."""
    path = config_path()
    profiles = _profiles(path)
    table = profiles.get(name)
    if not isinstance(table, dict):
        known = sorted(key for key, value in profiles.items() if isinstance(value, dict))
        hint = did_you_mean(name, known) or (f" (known: {', '.join(known)})" if known else "")
        raise ProfileError(f"no [profiles.{name}] in {path}{hint}")
    where = f"[profiles.{name}] of {path}"
    if "private_key" in table:
        raise ProfileError(f"{where}: private_key is not read from a config file; use one of {', '.join(KEY_SOURCES)}")
    unknown = [key for key in table if key not in PROFILE_KEYS]
    if unknown:
        key = unknown[0]
        raise ProfileError(f"{where}: unknown key {key}{did_you_mean(key, PROFILE_KEYS)}")
    for setting in ("base_url", "project_id"):
        if not isinstance(table.get(setting), str) or not table[setting]:
            raise ProfileError(f"{where}: set {setting} ({PROFILE_KEYS[setting]})")
    sources = [source for source in KEY_SOURCES if source in table]
    if len(sources) != 1:
        raise ProfileError(f"{where}: set exactly one of {', '.join(KEY_SOURCES)}")
    (source,) = sources
    value = table[source]
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: {source} must be a non-empty text")
    timeout = table.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise ProfileError(f"{where}: timeout must be a number of seconds above 0, like 10 or 2.5")
    strict = table.get("strict_answers", True)
    if not isinstance(strict, bool):
        raise ProfileError(f"{where}: strict_answers must be true or false")
    key = _read_key(source, value, where)
    return Profile(name, table["base_url"], table["project_id"], key, f"{source} of profile {name}",
                   None if timeout is None else float(timeout), strict)  # fmt: skip


def _read_key(source: str, value: str, where: str) -> str:
    import shlex
    import subprocess

    if source == "private_key_env":
        key = os.environ.get(value, "")
        if not key:
            raise ProfileError(f"{where}: the variable {value} (private_key_env) is not set")
        return key
    if source == "private_key_file":
        path = Path(value).expanduser()
        try:
            key = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ProfileError(f"{where}: cannot read private_key_file {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ProfileError(f"{where}: private_key_file {path} is not UTF-8 text") from None
        if not key:
            raise ProfileError(f"{where}: private_key_file {path} is empty")
        return key
    try:
        argv = shlex.split(value)
    except ValueError as exc:
        raise ProfileError(f"{where}: cannot read private_key_command ({exc})") from None
    if not argv:
        raise ProfileError(f"{where}: private_key_command is empty")
    try:
        done = subprocess.run(  # noqa: S603 (the user's own configured command, run without a shell)
            argv, capture_output=True, text=True, timeout=_COMMAND_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise ProfileError(f"{where}: private_key_command: no program {argv[0]} found") from None
    except PermissionError:
        raise ProfileError(f"{where}: private_key_command: {argv[0]} may not be run (permission denied)") from None
    except subprocess.TimeoutExpired:
        raise ProfileError(f"{where}: private_key_command did not finish within {_COMMAND_TIMEOUT:.0f} s") from None
    except OSError as exc:
        raise ProfileError(f"{where}: private_key_command: cannot run {argv[0]} ({exc.strerror})") from None
    key = done.stdout.strip()
    if done.returncode != 0 or not key:
        # Its output is not quoted: it may be (part of) the key.
        raise ProfileError(f"{where}: private_key_command exited {done.returncode} without a key")
    return key
