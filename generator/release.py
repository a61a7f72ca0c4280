"""Release tooling behind `make build` and `make publish`: version provenance, artefact checks, index checks.

Run it with the project's interpreter (`.venv/bin/python generator/release.py COMMAND`):
  version         print the package version (from overlays/partner_api/_version.py)
  stamp [--bump]  record the spec's and generated/'s sha256 next to the version, bumping the build number when
                  this version was already committed with other hashes or the spec's info.version changed
  version-check   fail, saying what to bump, when the recorded hashes or the version do not match the tree
  check-dist DIR  fail when the wheel or sdist in DIR lacks a required file or holds tests, caches or secrets
  preflight       fail when INDEX_URL is missing or carries credentials, or inside the test suite of a publish
                  of this same checkout
  check-index     fail (exit 3) when this version is already on the index (PEP 503 / PEP 691 simple page)

The version scheme is `<info.version>.<build>`: `2.0.0.3` is the third build of the client for API 2.0.0.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NoReturn

import yaml
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "partner-api.yaml"
GENERATED = ROOT / "generated"
VERSION_FILE = ROOT / "overlays" / "partner_api" / "_version.py"
VERSION_FILE_REL = "overlays/partner_api/_version.py"
PROJECT = "partner-api-client"
DIST_PREFIX = "partner_api_client"
STAMP_CMD = ".venv/bin/python generator/release.py stamp"

# Caches and tool state never belong in generated/'s hash nor in an artefact.
CACHE_PARTS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".hypothesis", ".tox", ".nox"})
CACHE_SUFFIXES = (".pyc", ".pyo")

WHEEL_TOP_LEVEL = frozenset({"partner_api", "partner_api_client", "partner_api_sandbox_models"})
WHEEL_REQUIRED = (
    "partner_api/__init__.py",
    "partner_api/_version.py",
    "partner_api/py.typed",
    "partner_api/openapi/partner-api.yaml",
    "partner_api/cli/__init__.py",
    "partner_api/token_stores/__init__.py",
    "partner_api_client/__init__.py",
    "partner_api_client/py.typed",
    "partner_api_client/spec_facts.py",
    "partner_api_sandbox_models/__init__.py",
    "partner_api_sandbox_models/py.typed",
)
SDIST_TOP_LEVEL = frozenset(
    {"openapi", "generator", "generated", "overlays", "README.md", "pyproject.toml", "PKG-INFO", ".gitignore"}
)
FORBIDDEN_PARTS = CACHE_PARTS | frozenset({"tests", ".git", ".venv", "node_modules"})
SECRET_NAME = re.compile(
    r"^(\.env(\..*)?|\.pypirc|\.netrc|\.htpasswd|htpasswd|id_(rsa|dsa|ecdsa|ed25519)(\.pub)?|.*\.(pem|key|p12|pfx|jks))$"
)
PRIVATE_KEY_MARKER = re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")


# The hashes of a version nobody recorded yet (a new project); a committed placeholder freezes nothing.
UNRECORDED = "0" * 64


class ReleaseError(Exception):
    """A refusal: the message says what is wrong and what to do."""


class AlreadyPublished(ReleaseError):
    """The version is on the index already (exit status 3, so `make publish` can say exactly that)."""


# --------------------------------------------------------------------------------------------- version provenance


@dataclass(frozen=True)
class Record:
    """What one revision of _version.py says: the version and the hashes it was made from."""

    version: str
    spec_sha256: str | None
    generated_sha256: str | None


def _field(text: str, name: str) -> str | None:
    match = re.search(rf'^{name} = "([^"]*)"$', text, re.MULTILINE)
    return match.group(1) if match else None


def parse_record(text: str) -> Record:
    """Read `__version__`, `SPEC_SHA256` and `GENERATED_SHA256` from the text of a _version.py."""
    version = _field(text, "__version__")
    if version is None:
        raise ReleaseError(f'{VERSION_FILE_REL}: no line `__version__ = "..."`')
    return Record(version, _field(text, "SPEC_SHA256"), _field(text, "GENERATED_SHA256"))


def recorded(version_file: Path = VERSION_FILE) -> Record:
    """The record in the working tree."""
    return parse_record(version_file.read_text(encoding="utf-8"))


def spec_sha256(spec: Path = SPEC) -> str:
    """sha256 of the OpenAPI document's bytes."""
    return hashlib.sha256(spec.read_bytes()).hexdigest()


def _tree_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not CACHE_PARTS.intersection(rel.parts) and path.suffix not in CACHE_SUFFIXES:
            yield path


def tree_sha256(root: Path = GENERATED) -> str:
    """sha256 over the relative paths and bytes of every file under `root` (caches excluded), in sorted order."""
    digest = hashlib.sha256()
    for path in _tree_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def spec_info_version(spec: Path = SPEC) -> str:
    """The spec's `info.version`."""
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return str(document["info"]["version"])


def committed_records(root: Path = ROOT, limit: int = 500) -> list[tuple[str, Record]]:
    """(commit, record) for each committed revision of _version.py, newest first; empty outside a git clone."""
    try:
        log = subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["git", "log", f"-n{limit}", "--format=%H", "--", VERSION_FILE_REL],  # noqa: S607 - git from PATH
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.split()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return []
    records = []
    for commit in log:
        shown = subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["git", "show", f"{commit}:{VERSION_FILE_REL}"],  # noqa: S607 - git from PATH
            cwd=root, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if shown.returncode == 0:
            try:
                records.append((commit, parse_record(shown.stdout)))
            except ReleaseError:
                continue
    return records


def history_conflicts(record: Record, history: Iterable[tuple[str, Record]]) -> list[tuple[str, Record]]:
    """Committed revisions that gave the same version other hashes (so the version was not bumped)."""
    return [
        (commit, old)
        for commit, old in history
        if old.version == record.version
        and old.spec_sha256 not in (None, UNRECORDED)
        and (old.spec_sha256, old.generated_sha256) != (record.spec_sha256, record.generated_sha256)
    ]


def version_problems(
    record: Record, info_version: str, spec_hash: str, generated_hash: str, history: Iterable[tuple[str, Record]]
) -> list[str]:
    """Everything wrong with the recorded version and hashes; empty when the version is right."""
    problems = []
    try:
        Version(record.version)
    except InvalidVersion:
        problems.append(f"__version__ {record.version!r} is not a PEP 440 version")
    prefix = f"{info_version}."
    if not (record.version.startswith(prefix) and record.version[len(prefix) :].isdigit()):
        problems.append(
            f"__version__ {record.version!r} must be '<info.version>.<build>' and the spec's info.version is "
            f"{info_version!r} (expected e.g. '{info_version}.1')"
        )
    if record.spec_sha256 != spec_hash:
        problems.append(
            f"openapi/partner-api.yaml changed (sha256 {spec_hash[:12]}…, recorded {str(record.spec_sha256)[:12]}… "
            f"for version {record.version})"
        )
    if record.generated_sha256 != generated_hash:
        problems.append(
            f"generated/ changed (sha256 {generated_hash[:12]}…, recorded {str(record.generated_sha256)[:12]}… "
            f"for version {record.version})"
        )
    for commit, _old in history_conflicts(record, history):
        problems.append(
            f"version {record.version} was committed in {commit[:10]} with other hashes: a changed spec or "
            "generated/ needs a new version"
        )
    if problems:
        problems.append(f"bump the version: run `{STAMP_CMD}` (it rewrites {VERSION_FILE_REL}) and commit it")
    return problems


def next_version(current: str, info_version: str) -> str:
    """The next build of `info_version` after `current` (`<info.version>.1` when the API version changed)."""
    prefix = f"{info_version}."
    if current.startswith(prefix) and current[len(prefix) :].isdigit():
        return f"{prefix}{int(current[len(prefix) :]) + 1}"
    return f"{prefix}1"


def choose_record(
    current: str,
    info_version: str,
    spec_hash: str,
    generated_hash: str,
    history: Iterable[tuple[str, Record]],
    *,
    bump: bool = False,
) -> Record:
    """The record to write: `current` if it fits the spec and no committed revision used it for other hashes,
    else the next free build number (`<info.version>.1` when info.version changed)."""
    history = list(history)
    prefix = f"{info_version}."
    version = current
    if bump or not (version.startswith(prefix) and version[len(prefix) :].isdigit()):
        version = next_version(version, info_version)
    new = Record(version, spec_hash, generated_hash)
    while history_conflicts(new, history):
        new = Record(next_version(new.version, info_version), spec_hash, generated_hash)
    try:
        Version(new.version)
    except InvalidVersion as exc:
        raise ReleaseError(f"info.version {info_version!r} does not give a PEP 440 version ({new.version!r})") from exc
    return new


def write_record(record: Record, version_file: Path = VERSION_FILE) -> None:
    """Rewrite the `__version__`, `SPEC_SHA256` and `GENERATED_SHA256` lines of _version.py."""
    text = version_file.read_text(encoding="utf-8")
    for name, value in (
        ("__version__", record.version),
        ("SPEC_SHA256", record.spec_sha256),
        ("GENERATED_SHA256", record.generated_sha256),
    ):
        text, count = re.subn(rf'^{name} = "[^"]*"$', f'{name} = "{value}"', text, count=1, flags=re.MULTILINE)
        if count != 1:
            raise ReleaseError(f'{version_file}: no line `{name} = "..."` to rewrite')
    version_file.write_text(text, encoding="utf-8")


def stamp(*, bump: bool = False) -> Record:
    """Record the current spec and generated/ hashes in _version.py, bumping the version where it must change."""
    new = choose_record(
        recorded().version, spec_info_version(), spec_sha256(), tree_sha256(), committed_records(), bump=bump
    )
    write_record(new)
    return new


# ------------------------------------------------------------------------------------------------ artefact checks


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
    packaged_spec = dict(members).get("partner_api/openapi/partner-api.yaml")
    if packaged_spec is not None and packaged_spec != SPEC.read_bytes():
        problems.append(f"{path.name}: partner_api/openapi/partner-api.yaml differs from openapi/partner-api.yaml")
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
    for required in ("pyproject.toml", "PKG-INFO", "openapi/partner-api.yaml", "overlays/partner_api/_version.py"):
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


# ------------------------------------------------------------------------------------- what the test suite inherits

# An outer `make publish INDEX_URL=...` hands its command-line variables to every make below it through MAKEFLAGS
# and the environment, and the release settings name an index and credentials. A test that runs make must get only
# the arguments it passes, so the suite never sees these (the Makefile's TEST_ENV, tests/conftest.py and the tests'
# make helper all drop them).
RELEASE_SETTINGS = ("MAKEFLAGS", "MAKEOVERRIDES", "MFLAGS", "MAKELEVEL", "INDEX_URL", "INDEX_SIMPLE_URL", "DIST")
RELEASE_SETTING_PREFIXES = ("TWINE_",)
# Set by `make publish` for its test suite to the checkout being published: preflight refuses a nested publish of it.
GATE_ENV = "PARTNER_API_PUBLISH_GATE"


def is_release_setting(name: str) -> bool:
    """Whether the environment variable `name` is one the test suite must not inherit."""
    return name in RELEASE_SETTINGS or name.startswith(RELEASE_SETTING_PREFIXES)


def without_release_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` without make's recursion variables and the release settings."""
    return {name: value for name, value in environ.items() if not is_release_setting(name)}


# --------------------------------------------------------------------------------------------------- index checks


def preflight(index_url: str, gate: str | None = None) -> None:
    """Refuse a missing INDEX_URL, one that carries credentials (they belong in TWINE_USERNAME/PASSWORD), and a
    publish of this checkout started from the test suite of its own publish (`gate`: that publish's checkout)."""
    if not index_url:
        raise ReleaseError(
            "INDEX_URL is not set: make publish INDEX_URL=https://pypi.example.internal/ "
            "(credentials in TWINE_USERNAME / TWINE_PASSWORD or a keyring, never on the command line)"
        )
    parts = urllib.parse.urlsplit(index_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReleaseError(f"INDEX_URL {index_url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ReleaseError(
            "INDEX_URL carries credentials: remove them from the URL and set TWINE_USERNAME / TWINE_PASSWORD "
            "in the environment (or use a keyring)"
        )
    if gate and Path(gate).resolve() == ROOT:
        raise ReleaseError(
            f"this runs inside the test suite of a `make publish` of {ROOT} ({GATE_ENV} is set): "
            "a publish never starts another publish of the same checkout"
        )


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def filenames_from_simple_page(body: bytes, content_type: str) -> list[str]:
    """File names listed on a project's simple page, PEP 691 JSON or PEP 503 HTML."""
    if "json" in content_type:
        document: dict[str, Any] = json.loads(body)
        return [str(entry["filename"]) for entry in document.get("files", [])]
    parser = _LinkParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    return [urllib.parse.unquote(urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1]) for href in parser.hrefs]


def versions_of(filenames: Iterable[str], project: str = PROJECT) -> set[Version]:
    """Versions of `project` among distribution file names (others and unparsable names are ignored)."""
    found = set()
    for filename in filenames:
        try:
            if filename.endswith(".whl"):
                name, version, *_ = parse_wheel_filename(filename)
            else:
                name, version = parse_sdist_filename(filename)
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
            continue
        if name == canonicalize_name(project):
            found.add(version)
    return found


class _CrossOriginRedirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects on the index's own host only: pypiserver redirects unknown projects to its fallback
    (PyPI), which says nothing about what this index holds and must not receive the index's credentials."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).hostname != urllib.parse.urlsplit(req.full_url).hostname:
            raise _CrossOriginRedirect(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _credentials(index_url: str) -> tuple[str, str] | None:
    user = os.environ.get("TWINE_USERNAME")
    password = os.environ.get("TWINE_PASSWORD")
    if user and not password:
        try:
            import keyring  # optional, as for twine

            password = keyring.get_password(index_url, user)
        except Exception:  # no usable keyring backend: read anonymously
            password = None
    return (user, password) if user and password else None


def published_versions(simple_url: str, index_url: str, project: str = PROJECT, timeout: float = 30.0) -> set[Version]:
    """Versions of `project` on the index whose PEP 503 root is `simple_url`; empty when the project is absent."""
    url = f"{simple_url.rstrip('/')}/{canonicalize_name(project)}/"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ReleaseError(f"the index's simple page {url!r} is not an http(s) URL")
    accept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - scheme checked above
    if credentials := _credentials(index_url):
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_SameOriginRedirects())
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
            content_type = response.headers.get("Content-Type", "")
    except _CrossOriginRedirect as redirect:
        print(f"release: {url} is not on this index (it redirects to {redirect.location})", file=sys.stderr)
        return set()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return set()
        raise ReleaseError(
            f"cannot tell whether the version is already on the index: HTTP {exc.code} from {url} "
            "(check TWINE_USERNAME / TWINE_PASSWORD, or set INDEX_SIMPLE_URL to the index's simple page)"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ReleaseError(f"cannot reach the index at {url}: {exc}") from exc
    return versions_of(filenames_from_simple_page(body, content_type), project)


def check_index(simple_url: str, index_url: str, version: str) -> None:
    """Refuse when `version` is already on the index."""
    present = published_versions(simple_url, index_url)
    if Version(version) in present:
        raise AlreadyPublished(
            f"version {version} of {PROJECT} is already on the index ({simple_url}); an index never takes the same "
            f"version twice: bump the version (`{STAMP_CMD} --bump`), commit, and publish again"
        )
    newer = sorted(v for v in present if v > Version(version))
    if newer:
        print(f"release: note: the index already has newer versions {', '.join(map(str, newer))}", file=sys.stderr)


# ------------------------------------------------------------------------------------------------------------ CLI


def _fail(message: str, status: int = 1) -> NoReturn:
    print(f"release: {message}", file=sys.stderr)
    raise SystemExit(status)


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version")
    stamp_parser = commands.add_parser("stamp")
    stamp_parser.add_argument("--bump", action="store_true", help="always take a new build number")
    commands.add_parser("version-check")
    dist_parser = commands.add_parser("check-dist")
    dist_parser.add_argument("dist", type=Path)
    preflight_parser = commands.add_parser("preflight")
    preflight_parser.add_argument("--index-url", default="")
    index_parser = commands.add_parser("check-index")
    index_parser.add_argument("--index-url", required=True)
    index_parser.add_argument("--simple-url", required=True)
    args = parser.parse_args(argv)

    try:
        record = recorded()
        if args.command == "version":
            print(record.version)
        elif args.command == "stamp":
            new = stamp(bump=args.bump)
            print(f"{VERSION_FILE_REL}: {new.version} (spec {new.spec_sha256}, generated {new.generated_sha256})")
        elif args.command == "version-check":
            problems = version_problems(record, spec_info_version(), spec_sha256(), tree_sha256(), committed_records())
            if problems:
                _fail("the version does not match the API document:\n  " + "\n  ".join(problems))
            print(f"version {record.version} matches openapi/partner-api.yaml and generated/")
        elif args.command == "check-dist":
            problems = check_dist(args.dist, record.version)
            if problems:
                _fail("release artefacts are not fit to publish:\n  " + "\n  ".join(problems))
            for path in dist_files(args.dist, record.version):
                print(f"{path.name}  sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
        elif args.command == "preflight":
            preflight(args.index_url, os.environ.get(GATE_ENV))
        elif args.command == "check-index":
            check_index(args.simple_url, args.index_url, record.version)
            print(f"version {record.version} is not on the index yet")
    except AlreadyPublished as exc:
        _fail(str(exc), status=3)
    except ReleaseError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()
