"""The sync twins of the overlay's asyncio code: every `overlays/**/_async/*.py` gives `overlays/**/_sync/*.py`.

`unasync` (python-trio/unasync) rewrites the tokens: `async` and `await` dropped, `__aenter__` -> `__enter__`,
`AsyncIterator` -> `Iterator`, a name `AsyncX` -> `SyncX`, and the names of `REPLACEMENTS`. Then ruff (the pinned
version, with the settings of the file's real place) sorts the imports and formats the result, so a twin is
exactly what its source gives. Hand-written code never lives in `_sync/`.

    python generator/sync_twins.py          write the twins (`make unasync`)
    python generator/sync_twins.py --check  fail with a diff when a twin differs from its source (`make lint`)
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import unasync

ROOT = Path(__file__).resolve().parents[1]
OVERLAYS = ROOT / "overlays"
RUFF = Path(sys.executable).with_name("ruff")

# Names the sync side spells differently (beyond unasync's own table and its `AsyncX` -> `SyncX` rule).
REPLACEMENTS = {
    "AsyncTokenManager": "TokenManager",
    "AsyncTokenAuth": "TokenAuth",
    "AsyncClient": "Client",  # httpx
    "async_auth_flow": "sync_auth_flow",
    "aread": "read",
    "aclose": "close",
    "async_sleep": "sync_sleep",
    "set_async_httpx_client": "set_httpx_client",  # the generated low-level client
    # TokenStore and FleetBackoff: the async method of each sync one
    "aget": "get",
    "aput": "put",
    "adelete_if": "delete_if",
    "aacquire": "acquire",
    "arelease": "release",
    "apause": "pause",
    "athrottle": "throttle",
}


def sources() -> list[Path]:
    return sorted(path for path in OVERLAYS.rglob("_async/*.py") if "__pycache__" not in path.parts)


def twin_of(source: Path) -> Path:
    return source.parent.with_name("_sync") / source.name


def _ruff(*args: str, text: str, place: Path) -> str:
    """`text` through ruff as if it were the file at `place` (its settings, its import sections)."""
    done = subprocess.run(  # noqa: S603 - our own pinned ruff
        [str(RUFF), *args, "--stdin-filename", str(place), "-"],
        input=text, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"ruff {args[0]} failed on the twin of {place.relative_to(ROOT)}:\n{done.stderr}")
    return done.stdout


def expected_twins() -> dict[Path, str]:
    """The text each twin must have: unasync's rewrite of its source, import-sorted and formatted by ruff."""
    rule = unasync.Rule("/_async/", "/_sync/", additional_replacements=REPLACEMENTS)
    twins = {}
    with tempfile.TemporaryDirectory() as tmp:
        for number, source in enumerate(sources()):
            copy = Path(tmp) / str(number) / "_async" / source.name
            copy.parent.mkdir(parents=True)
            shutil.copyfile(source, copy)
            unasync.unasync_files([str(copy)], rules=[rule])  # writes <tmp>/<number>/_sync/<name>
            written = copy.parent.with_name("_sync") / source.name
            place = twin_of(source)
            text = _ruff("check", "--fix", "--select", "I", "--quiet", "--exit-zero", text=written.read_text(),
                         place=place)  # fmt: skip
            twins[place] = _ruff("format", "--quiet", text=text, place=place)
    return twins


def stale(twins: dict[Path, str]) -> list[Path]:
    """Paths whose content differs from `twins`, and `_sync/` modules without a source."""
    extra = {p for p in OVERLAYS.rglob("_sync/*.py") if "__pycache__" not in p.parts} - set(twins)
    return sorted(extra) + [p for p, text in twins.items() if not p.exists() or p.read_text() != text]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when a committed twin differs from its source")
    check = parser.parse_args().check
    twins = expected_twins()
    wrong = stale(twins)
    if check:
        for path in wrong:
            old = path.read_text().splitlines(keepends=True) if path.exists() else []
            new = twins.get(path, "").splitlines(keepends=True)
            name = str(path.relative_to(ROOT))
            sys.stdout.writelines(difflib.unified_diff(old, new, f"{name} (committed)", f"{name} (from _async/)"))
        if wrong:
            print("the sync twins are stale: edit only the _async/ source, then run 'make unasync'", file=sys.stderr)
            return 1
        print(f"{len(twins)} sync twins match their _async/ sources")
        return 0
    for path in wrong:
        if path in twins:
            path.parent.mkdir(exist_ok=True)
            path.write_text(twins[path])
        else:
            path.unlink()
        print(f"wrote {path.relative_to(ROOT)}" if path in twins else f"removed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
