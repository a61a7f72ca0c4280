"""`make stamp`: derive the version from what changed since the last stamped release, record it, write the
changelog entry.

The last stamped release is the record that HEAD's `_version.py` holds, as of the commit that introduced it (the
tree that version stood for). Its document and its source folders are read from git (`git show`, `git archive`),
never changed; so stamping again before committing compares with the same release and rewrites the same entry.
"""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import changelog
from .assess import Assessment, assess_trees
from .project import ROOT, SPEC_REL, ReleaseError
from .provenance import Record, committed_records, git, recorded, spec_sha256, tree_sha256, write_record
from .surface import checkout_folders, commit_folders
from .versions import Bump, bumped, parse


@dataclass(frozen=True)
class Base:
    """The last stamped release: the commit that introduced HEAD's record, and that record."""

    commit: str
    record: Record


@dataclass(frozen=True)
class Stamped:
    """What a stamp decided."""

    base: Base
    record: Record
    assessment: Assessment
    required: Bump
    """The bump the changes require (at least the one asked for)."""
    """The bump the changes require (at least the one asked for); a pre-SemVer base takes at least a patch."""


def base_release(root: Path = ROOT) -> Base:
    """The last stamped release of the clone at `root`."""
    history = committed_records(root)
    if not history:
        raise ReleaseError("make stamp needs the git history of _version.py (run it in a git clone)")
    commit, record = history[0]
    for older_commit, older in history[1:]:
        if older != record:
            break
        commit = older_commit
    return Base(commit, record)


def assess_since(base: Base, root: Path = ROOT) -> Assessment:
    """What the working tree at `root` changed since `base`."""
    shown = git("show", f"{base.commit}:{SPEC_REL}", root=root)
    if shown.returncode != 0:
        raise ReleaseError(f"cannot read {SPEC_REL} of {base.commit[:10]}: {shown.stderr.strip()}")
    with tempfile.TemporaryDirectory(prefix="release-stamp-") as tmp, commit_folders(base.commit, root) as old_folders:
        old_spec = Path(tmp) / "base.yaml"
        old_spec.write_text(shown.stdout, encoding="utf-8")
        return assess_trees(
            old_spec, old_folders, root / SPEC_REL, checkout_folders(root),
            spec_changed=base.record.spec_sha256 != spec_sha256(root / SPEC_REL),
            generated_changed=base.record.generated_sha256 != tree_sha256(root / "generated"),
        )  # fmt: skip


def stamp(at_least: Bump = Bump.NONE, root: Path = ROOT, today: datetime.date | None = None) -> Stamped:
    """Compute the bump since the last stamped release (at least `at_least`), write the version and the hashes into
    _version.py and the entry into CHANGELOG.md."""
    version_file = root / "overlays" / "partner_api" / "_version.py"
    changelog_file = root / "CHANGELOG.md"
    base = base_release(root)
    assessment = assess_since(base, root)
    required = max(assessment.bump, at_least)
    # Numbered after the highest version in the history (a merge may bring a branch's lower record), so a new
    # version never repeats or undercuts one already committed.
    numbered_after = base.record.version
    if required is not Bump.NONE:
        numbered_after = max([record.version for _commit, record in committed_records(root)], key=parse)
    spec_hash, generated_hash = spec_sha256(root / SPEC_REL), tree_sha256(root / "generated")
    record = Record(bumped(numbered_after, required), spec_hash, generated_hash)
    previous = recorded(version_file).version
    write_record(record, version_file)
    provisional = previous if previous != base.record.version else None
    if record.version == base.record.version:
        if provisional:
            changelog.drop_entry(provisional, changelog_file)
    else:
        date = (today or datetime.datetime.now(datetime.timezone.utc).date()).isoformat()
        changelog.write_entry(record.version, date, assessment.entries, replaces=provisional, path=changelog_file)
    return Stamped(base, record, assessment, required)
