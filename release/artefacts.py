"""Artefact checks behind `make build`: the wheel and the sdist hold what users need and nothing else (no tests,
caches or secrets), and the wheel carries the OpenAPI document it was generated from."""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from .project import DIST_PREFIX, SPEC, WHEEL_SPEC, ReleaseError
from .provenance import CACHE_PARTS, CACHE_SUFFIXES

WHEEL_TOP_LEVEL = frozenset({"partner_api", "partner_api_client", "partner_api_sandbox_models"})
WHEEL_REQUIRED = (
    "partner_api/__init__.py",
    "partner_api/_version.py",
    "partner_api/py.typed",
    WHEEL_SPEC,
    "partner_api/CHANGELOG.md",
    "partner_api/cli/__init__.py",
    "partner_api/token_stores/__init__.py",
    "partner_api_client/__init__.py",
    "partner_api_client/py.typed",
    "partner_api_client/spec_facts.py",
    "partner_api_sandbox_models/__init__.py",
    "partner_api_sandbox_models/py.typed",
)
SDIST_TOP_LEVEL = frozenset(
    {
        "openapi", "generator", "generated", "overlays", "release",
        "README.md", "CHANGELOG.md", "pyproject.toml", "PKG-INFO", ".gitignore",
    }
)  # fmt: skip
FORBIDDEN_PARTS = CACHE_PARTS | frozenset({"tests", ".git", ".venv", "node_modules"})
SECRET_NAME = re.compile(
    r"^(\.env(\..*)?|\.pypirc|\.netrc|\.htpasswd|htpasswd|id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|.*\.(pem|key|p12|pfx|jks))$"
)
PRIVATE_KEY_MARKER = re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


def _forbidden(member: str) -> str | None:
    parts = member.split("/")
    if bad := FORBIDDEN_PARTS.intersection(parts):
        return f"{member}: {sorted(bad)[0]} does not belong in a release artefact"
    if member.endswith(CACHE_SUFFIXES):
        return f"{member}: compiled bytecode"
    if SECRET_NAME.match(parts[-1]):
        return f"{member}: looks like a secret or credentials file"
    return None


def _scan(members: Iterable[tuple[str, bytes]]) -> list[str]:
    problems = []
    for name, data in members:
        if problem := _forbidden(name):
            problems.append(problem)
        elif PRIVATE_KEY_MARKER.search(data):
            problems.append(f"{name}: contains a PEM private key")
    return problems


def check_wheel(path: Path, version: str) -> list[str]:
    """Problems of one wheel: required files, top-level packages, version, the packaged spec, no junk."""
    problems = []
    with zipfile.ZipFile(path) as wheel:
        members = [(info.filename, wheel.read(info)) for info in wheel.infolist() if not info.is_dir()]
    names = {name for name, _ in members}
    dist_info = f"{DIST_PREFIX}-{version}.dist-info"
    problems += [f"{path.name}: missing {required}" for required in WHEEL_REQUIRED if required not in names]
    for name in sorted(names):
        top = name.split("/")[0]
        if top not in WHEEL_TOP_LEVEL and top != dist_info:
            problems.append(f"{path.name}: unexpected top-level entry {name}")
    metadata = dict(members).get(f"{dist_info}/METADATA", b"").decode()
    if f"\nVersion: {version}\n" not in metadata:
        problems.append(f"{path.name}: METADATA does not say Version: {version}")
    packaged_spec = dict(members).get(WHEEL_SPEC)
    if packaged_spec is not None and packaged_spec != SPEC.read_bytes():
        problems.append(f"{path.name}: {WHEEL_SPEC} differs from openapi/partner-api.yaml")
    problems += [f"{path.name}: {problem}" for problem in _scan(members)]
    return problems


def check_sdist(path: Path, version: str) -> list[str]:
    """Problems of one sdist: one top folder, only the source tree's release inputs, no junk."""
    problems = []
    top_folder = f"{DIST_PREFIX}-{version}"
    members = []
    with tarfile.open(path) as sdist:
        for info in sdist.getmembers():
            if not info.isfile():
                continue
            extracted = sdist.extractfile(info)
            members.append((info.name, extracted.read() if extracted else b""))
    for name, _ in members:
        parts = name.split("/")
        if parts[0] != top_folder or len(parts) < 2 or parts[1] not in SDIST_TOP_LEVEL:
            problems.append(f"{path.name}: unexpected entry {name}")
    names = {name for name, _ in members}
    for required in (
        "pyproject.toml", "PKG-INFO", "CHANGELOG.md", "openapi/partner-api.yaml", "overlays/partner_api/_version.py"
    ):  # fmt: skip
        if f"{top_folder}/{required}" not in names:
            problems.append(f"{path.name}: missing {required}")
    problems += [f"{path.name}: {problem}" for problem in _scan(members)]
    return problems


def dist_files(dist: Path, version: str) -> tuple[Path, Path]:
    """The wheel and sdist of `version` in `dist`, or a ReleaseError naming what is missing."""
    wheels = sorted(dist.glob(f"{DIST_PREFIX}-{version}-*.whl"))
    sdists = sorted(dist.glob(f"{DIST_PREFIX}-{version}.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise ReleaseError(f"expected one wheel and one sdist of {version} in {dist}, found {wheels + sdists}")
    return wheels[0], sdists[0]


def check_dist(dist: Path, version: str) -> list[str]:
    """Problems of the wheel and the sdist of `version` in `dist`."""
    wheel, sdist = dist_files(dist, version)
    return check_wheel(wheel, version) + check_sdist(sdist, version)
