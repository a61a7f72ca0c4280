"""The documented loop in a fresh clone: edit the spec, `make generate`, `make stamp`: the version takes the bump the
change needs and CHANGELOG.md gets an entry naming it.

Each clone is `git clone` of this repository's HEAD (commit before running these), reusing this venv and the installed
Node tools as the other project copies do, so nothing is installed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from release import changelog, provenance, versions
from release.versions import Bump

from . import _spec_edits as edits
from ._support import MAKE, ROOT, make, reuse_node_tools, run

TIMEOUT = 900


def fresh_clone(tmp_path: Path) -> tuple[Path, list[str]]:
    """A clone of HEAD and the make arguments that reuse this venv (an up-to-date stamp of its own)."""
    clone = tmp_path / "clone"
    done = run(["git", "clone", "--quiet", "--no-hardlinks", ROOT, clone])
    assert done.returncode == 0, done.stderr
    reuse_node_tools(clone)
    stamp = tmp_path / "venv.stamp"
    stamp.touch()
    return clone, [f"VENV={Path(sys.executable).parent.parent}", f"STAMP={stamp}"]


def edit_generate_stamp(clone: Path, reuse: list[str], edit: Callable[[edits.Document], None]) -> str:
    """The docs' loop: edit the spec, `make generate`, `make stamp`; returns make stamp's output."""
    spec = clone / "openapi" / "partner-api.yaml"
    document = edits.load(spec)
    edit(document)
    edits.save(document, spec)
    generated = make("generate", *reuse, cwd=clone, timeout=TIMEOUT)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    stamped = make("stamp", *reuse, cwd=clone, timeout=TIMEOUT)
    assert stamped.returncode == 0, stamped.stdout + stamped.stderr
    return stamped.stdout


WORKFLOW = [
    (edits.edit_description, Bump.PATCH, "Docs", "`listLicenses`: the summary of the operation was updated"),
    (edits.add_operation, Bump.MINOR, "Added", "New operation `listServers` (`POST /partner/v2/listServers`"),
    (edits.add_request_field, Bump.MINOR, "Added", "`listUsers`: new optional request field `country`"),
    (edits.remove_response_field, Bump.MAJOR, "Breaking", "the answer field `user.create_time` was removed"),
    (edits.make_required, Bump.MAJOR, "Breaking", "`listUsers`: the request field `limit` is now required"),
]


@pytest.mark.slow
@pytest.mark.timeout(3 * TIMEOUT)
@pytest.mark.parametrize(("edit", "bump", "section", "line"), WORKFLOW, ids=[edit.__name__ for edit, *_ in WORKFLOW])
def test_the_stamp_command_sets_the_version_and_writes_the_changelog(
    edit: Callable[[edits.Document], None], bump: Bump, section: str, line: str, tmp_path: Path
) -> None:
    clone, reuse = fresh_clone(tmp_path)
    before = provenance.recorded(clone / "overlays" / "partner_api" / "_version.py").version
    output = edit_generate_stamp(clone, reuse, edit)

    after = provenance.recorded(clone / "overlays" / "partner_api" / "_version.py")
    assert after.version == versions.bumped(before, bump), output
    assert versions.bump_between(before, after.version) is bump
    entry = changelog.read(clone / "CHANGELOG.md").find(after.version)
    assert entry is not None, (clone / "CHANGELOG.md").read_text()
    assert [name for name, lines in entry.sections.items() if any(line in text for text in lines)] == [section]
    # The clone now passes the version check that `make test` and `make publish` run.
    checked = run([sys.executable, "-m", "release", "version-check"], cwd=clone)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.slow
@pytest.mark.timeout(4 * TIMEOUT)
def test_stamping_again_rewrites_the_entry_and_keeps_hand_written_notes(tmp_path: Path) -> None:
    clone, reuse = fresh_clone(tmp_path)
    version_file = clone / "overlays" / "partner_api" / "_version.py"
    log = clone / "CHANGELOG.md"
    before = provenance.recorded(version_file).version
    note = "## [Unreleased]\n\n### Fixed\n- A note from Unreleased.\n"
    log.write_text(log.read_text().replace("## [Unreleased]\n", note, 1))

    edit_generate_stamp(clone, reuse, edits.add_operation)
    minor = versions.bumped(before, Bump.MINOR)
    assert provenance.recorded(version_file).version == minor
    text = log.read_text()
    assert text.count(f"## [{minor}]") == 1
    log.write_text(text.replace("### Added\n", "### Added\n- listServers answers in under a second.\n", 1))

    # Not committed yet: the second stamp still compares with the same release and rewrites the same entry.
    edit_generate_stamp(clone, reuse, edits.remove_response_field)
    major = versions.bumped(before, Bump.MAJOR)
    assert provenance.recorded(version_file).version == major
    entries = changelog.read(log)
    assert entries.find(minor) is None
    entry = entries.find(major)
    assert entry is not None
    added, breaking, fixed = (
        [line for line in entry.sections[name] if line] for name in ("Added", "Breaking", "Fixed")
    )
    assert any("New operation `listServers`" in text for text in added)
    assert "- listServers answers in under a second." in added
    assert any("`user.create_time` was removed" in text for text in breaking)
    assert fixed == ["- A note from Unreleased."]
    unreleased = entries.find(changelog.UNRELEASED)
    assert unreleased is not None
    assert unreleased.sections == {}

    # Stamping once more without a change rewrites nothing.
    snapshot = log.read_text()
    again = run([MAKE, "--no-print-directory", "stamp", *reuse], cwd=clone, timeout=TIMEOUT)
    assert again.returncode == 0, again.stderr
    assert provenance.recorded(version_file).version == major
    assert log.read_text() == snapshot
