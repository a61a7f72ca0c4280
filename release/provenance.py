"""Version provenance: what `_version.py` records (the version and the sha256 of the spec and of generated/), what
the git history recorded, and whether the working tree still matches its record."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .project import GENERATED, ROOT, SPEC, STAMP_CMD, VERSION_FILE, VERSION_FILE_REL, ReleaseError
from .versions import is_semver

# Caches and tool state never belong in generated/'s hash nor in an artefact.
CACHE_PARTS = frozenset({"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", ".hypothesis", ".tox", ".nox"})
CACHE_SUFFIXES = (".pyc", ".pyo")

# The hashes of a version nobody recorded yet (a new project); a committed placeholder freezes nothing.
UNRECORDED = "0" * 64


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


def git(*args: str, root: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`git ARGS` in `root` (read-only commands only), output captured; a missing git is a failed command."""
    try:
        return subprocess.run(  # noqa: S603 - fixed argv, no shell
            ["git", *args],  # noqa: S607 - git from PATH
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


def committed_records(root: Path = ROOT, limit: int = 500) -> list[tuple[str, Record]]:
    """(commit, record) for each committed revision of _version.py, newest first; empty outside a git clone."""
    log = git("log", f"-n{limit}", "--format=%H", "--", VERSION_FILE_REL, root=root)
    if log.returncode != 0:
        return []
    records = []
    for commit in log.stdout.split():
        shown = git("show", f"{commit}:{VERSION_FILE_REL}", root=root)
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
    record: Record, spec_hash: str, generated_hash: str, history: Iterable[tuple[str, Record]]
) -> list[str]:
    """Everything wrong with the recorded version and hashes; empty when the version is right. (Whether the bump
    is large enough for the API diff is `make stamp`'s job, and `make publish` checks it against the index.)"""
    problems = []
    if not is_semver(record.version):
        problems.append(f"__version__ {record.version!r} is not a semantic version MAJOR.MINOR.PATCH")
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
