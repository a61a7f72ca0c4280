"""`make publish` against a real index (pypiserver on loopback): the version must be a large enough step after the
newest version on the index for what changed since; the document inside that version's wheel is the reference.

The project copy's test suite is one trivial test, so each `make publish` runs every gate in about a minute.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from release import provenance, versions
from release.versions import Bump

from . import _spec_edits as edits
from ._support import Index, make, project_copy, run

TIMEOUT = 1200
PROBE = '''"""The whole test suite of this project copy (the publish gate runs it)."""


def test_nothing() -> None:
    assert True
'''


def _publish(copy: Path, reuse: list[str], index: Index, dist: Path) -> tuple[int, str, str]:
    done = make(
        "publish", f"INDEX_URL={index.url}", f"DIST={dist}", *reuse,
        cwd=copy, extra_env={"TWINE_USERNAME": index.username, "TWINE_PASSWORD": index.password}, timeout=TIMEOUT,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def _set_version(copy: Path, version: str) -> None:
    """What a hand-picked version looks like: the right hashes, a version of one's choosing."""
    version_file = copy / "overlays" / "partner_api" / "_version.py"
    record = provenance.Record(
        version,
        provenance.spec_sha256(copy / "openapi" / "partner-api.yaml"),
        provenance.tree_sha256(copy / "generated"),
    )
    provenance.write_record(record, version_file)


@pytest.mark.slow
@pytest.mark.release_e2e
@pytest.mark.timeout(4 * TIMEOUT)
def test_publish_refuses_a_version_too_small_for_its_diff_against_the_index(index: Index, tmp_path: Path) -> None:
    copy, reuse = project_copy(tmp_path / "project")
    (copy / "tests").mkdir()
    (copy / "tests" / "test_probe.py").write_text(PROBE)
    first = provenance.recorded(copy / "overlays" / "partner_api" / "_version.py").version

    # 1. An empty index: nothing to compare with; the check says it is skipped, and the version goes up.
    status, stdout, stderr = _publish(copy, reuse, index, tmp_path / "dist-1")
    assert status == 0, stdout + stderr
    assert f"the index holds no version of partner-api-client below {first}: the API-diff check is skipped" in stdout
    assert len(index.files()) == 2

    # 2. A response field removed (a breaking change), generated, and stamped by hand as a patch release.
    spec = copy / "openapi" / "partner-api.yaml"
    document = edits.load(spec)
    edits.remove_response_field(document)
    edits.save(document, spec)
    generated = run([sys.executable, copy / "generator" / "generate.py"], cwd=copy, timeout=TIMEOUT)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    patch = versions.bumped(first, Bump.PATCH)
    _set_version(copy, patch)
    status, stdout, stderr = _publish(copy, reuse, index, tmp_path / "dist-2")
    assert status != 0
    assert (
        f"make publish: REFUSED: version {patch} is too small a step after the index's newest for its changes" in stderr
    )
    assert f"version {patch} is a patch release after {first}" in stderr
    assert f"needs a major release ({versions.bumped(first, Bump.MAJOR)} or later)" in stderr
    assert "the answer field `user.create_time` was removed" in stderr  # the breaking change, by name
    assert "test session starts" not in stdout  # refused before the test suite
    assert "twine upload" not in stdout
    assert len(index.files()) == 2  # nothing uploaded

    # 3. The same change as a major release passes that gate and is published.
    major = versions.bumped(first, Bump.MAJOR)
    _set_version(copy, major)
    status, stdout, stderr = _publish(copy, reuse, index, tmp_path / "dist-3")
    assert status == 0, stdout + stderr
    assert f"version {major} is a large enough step after {first} on the index" in stdout
    assert sorted(index.files()) == sorted(
        [f"partner_api_client-{v}{suffix}" for v in (first, major) for suffix in ("-py3-none-any.whl", ".tar.gz")]
    )
