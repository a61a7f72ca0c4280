"""Semantic versions (MAJOR.MINOR.PATCH) and the size of a bump between two of them.

The package's versions before SemVer were `<info.version>.<build>` (2.0.0.1 ... 2.0.0.14). Such a version counts as
its first three parts (2.0.0.14 -> 2.0.0), so the next patch, minor and major releases are 2.0.1, 2.1.0 and 3.0.0,
and each sorts above every build of 2.0.0 under PEP 440.
"""

from __future__ import annotations

import enum
import re

from packaging.version import InvalidVersion, Version

from .project import ReleaseError

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class Bump(enum.IntEnum):
    """How much a release changes the API, smallest first."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


def is_semver(version: str) -> bool:
    """Whether `version` is MAJOR.MINOR.PATCH (no pre-release, build or fourth part)."""
    return SEMVER.match(version) is not None


def parse(version: str) -> Version:
    """`version` under PEP 440, or a ReleaseError."""
    try:
        return Version(version)
    except InvalidVersion as exc:
        raise ReleaseError(f"{version!r} is not a PEP 440 version") from exc


def triple(version: str) -> tuple[int, int, int]:
    """MAJOR, MINOR, PATCH of `version` (a pre-SemVer 2.0.0.14 counts as 2.0.0)."""
    release = (*parse(version).release, 0, 0)
    return release[0], release[1], release[2]


def bumped(base: str, bump: Bump) -> str:
    """The version after `base` for a change of size `bump`. A pre-SemVer base always takes at least a patch:
    its successor must be SemVer and sort above it."""
    major, minor, patch = triple(base)
    if bump is Bump.NONE and not is_semver(base):
        bump = Bump.PATCH
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    if bump is Bump.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return base


def bump_between(old: str, new: str) -> Bump | None:
    """The size of the step from `old` to `new`; None when `new` does not sort above `old` (PEP 440)."""
    if parse(new) <= parse(old):
        return None
    (old_major, old_minor, _), (new_major, new_minor, _) = triple(old), triple(new)
    if new_major != old_major:
        return Bump.MAJOR
    if new_minor != old_minor:
        return Bump.MINOR
    return Bump.PATCH
