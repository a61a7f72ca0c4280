"""The publish gate's API check against the index: is this version a large enough step after what the index holds?

It takes the newest version on the index below this one (the newest, unless this is a backport), downloads its
wheel, and diffs the document the wheel carries (`partner_api/openapi/partner-api.yaml`) and the wheel's Python
surface against this checkout, by the same rules as `make stamp`. An index without the project has nothing to
compare with: the check is skipped, and says so.
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from .assess import Assessment, assess_trees
from .index import download_wheel, published_versions
from .project import PROJECT, ROOT, SPEC_REL, WHEEL_SPEC, ReleaseError
from .provenance import parse_record, spec_sha256, tree_sha256
from .surface import checkout_folders, wheel_folders
from .versions import Bump, bump_between, bumped


@dataclass(frozen=True)
class Verdict:
    """The newest older version on the index (None: nothing to compare), the step taken, the assessment."""

    previous: Version | None
    taken: Bump | None = None
    assessment: Assessment | None = None


def assess_against_wheel(wheel: Path, root: Path = ROOT) -> Assessment:
    """What this checkout changed since the release in `wheel`."""
    with zipfile.ZipFile(wheel) as archive:
        try:
            spec = archive.read(WHEEL_SPEC)
            old_record = parse_record(archive.read("partner_api/_version.py").decode())
        except KeyError as exc:
            raise ReleaseError(f"{wheel.name} does not carry {exc.args[0]}: cannot tell what changed since") from exc
    with tempfile.TemporaryDirectory(prefix="release-gate-") as tmp, wheel_folders(wheel) as old_folders:
        old_spec = Path(tmp) / "published.yaml"
        old_spec.write_bytes(spec)
        return assess_trees(
            old_spec, old_folders, root / SPEC_REL, checkout_folders(root),
            spec_changed=spec_sha256(old_spec) != spec_sha256(root / SPEC_REL),
            generated_changed=old_record.generated_sha256 != tree_sha256(root / "generated"),
        )  # fmt: skip


def check_bump(simple_url: str, index_url: str, version: str, root: Path = ROOT) -> Verdict:
    """Refuse `version` when its step after the newest older version on the index is smaller than the changes
    since that version require; the refusal lists the changes that need the larger step."""
    older = sorted(v for v in published_versions(simple_url, index_url) if v < Version(version))
    if not older:
        return Verdict(None)
    previous = older[-1]
    with tempfile.TemporaryDirectory(prefix="release-wheel-") as tmp:
        wheel = download_wheel(simple_url, index_url, previous, Path(tmp))
        assessment = assess_against_wheel(wheel, root)
    taken = bump_between(str(previous), version)
    assert taken is not None  # previous < version
    if taken < assessment.bump:
        needed = bumped(str(previous), assessment.bump)
        listed = "\n  - ".join(assessment.requiring(assessment.bump))
        raise ReleaseError(
            f"version {version} is a {taken} release after {previous} (the newest {PROJECT} on the index below it), "
            f"but what changed since {previous} needs a {assessment.bump} release ({needed} or later):\n  - {listed}\n"
            f"Run `make stamp` (it computes the version from the same diff), commit, and publish again."
        )
    print(
        f"release: version {version} is a {taken} release after {previous} on the index; its changes need a "
        f"{assessment.bump if assessment.bump else 'no'} release",
        file=sys.stderr,
    )
    return Verdict(previous, taken, assessment)
