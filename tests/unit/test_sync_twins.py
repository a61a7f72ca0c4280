"""The sync twins (`overlays/**/_sync/`) are what `make unasync` writes from their asyncio source, and `make lint`
(`generator/sync_twins.py --check`) fails as soon as either side is edited alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "generator" / "sync_twins.py"), "--check"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The generator, the overlay and the ruff settings, copied: edits there leave the checkout alone."""
    shutil.copytree(ROOT / "overlays", tmp_path / "overlays", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("node_modules"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_committed_twins_are_up_to_date() -> None:
    done = _check(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    sources = sorted(ROOT.glob("overlays/**/_async/*.py"))
    assert len(sources) >= 6
    assert all((path.parent.with_name("_sync") / path.name).is_file() for path in sources)


@pytest.mark.parametrize("side", ["_async", "_sync"])
def test_an_edit_of_one_side_alone_fails_the_check(copy: Path, side: str) -> None:
    path = copy / "overlays" / "partner_api" / side / "_tokens.py"
    path.write_text(path.read_text().replace("give_up = time.monotonic() + 2 *", "give_up = time.monotonic() + 3 *"))
    done = _check(copy)
    assert done.returncode == 1
    assert "the sync twins are stale" in done.stderr
    assert "overlays/partner_api/_sync/_tokens.py" in done.stdout  # the diff names the twin
    assert "2 * store.lock_ttl" in done.stdout and "3 * store.lock_ttl" in done.stdout


def test_a_twin_without_a_source_fails_the_check(copy: Path) -> None:
    (copy / "overlays" / "partner_api" / "_sync" / "_extra.py").write_text('"""Hand-written where it must not be."""\n')
    done = _check(copy)
    assert done.returncode == 1
    assert "_sync/_extra.py" in done.stdout
