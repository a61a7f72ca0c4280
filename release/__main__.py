"""Command line of the release tooling: `.venv/bin/python -m release COMMAND` (the Makefile's `$(RELEASE)`).

version          print the package version (from overlays/partner_api/_version.py)
stamp [--bump B] derive the version from the changes since the last stamped release (the API diff and the Python
                 surface; at least B: patch, minor or major), record it with the spec's and generated/'s sha256,
                 and write its CHANGELOG.md entry (`make stamp`, `make stamp BUMP=patch`)
version-check    fail, saying what to do, when the version is not SemVer or its hashes do not match the tree
check-dist DIR   fail when the wheel or sdist in DIR lacks a required file or holds tests, caches or secrets
preflight        fail when INDEX_URL is missing or carries credentials, or inside the test suite of a publish
                 of this same checkout
check-index      fail (exit 3) when this version is already on the index (PEP 503 / PEP 691 simple page)
check-bump       fail when this version is too small a step after the newest older version on the index for
                 what changed since (the document in that version's wheel against this one; its Python surface)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .artefacts import check_dist, dist_files
from .environment import GATE_ENV
from .gate import check_bump
from .index import AlreadyPublished, check_index, preflight
from .project import PROJECT, VERSION_FILE_REL, ReleaseError
from .provenance import committed_records, recorded, spec_sha256, tree_sha256, version_problems
from .stamp import stamp
from .versions import Bump, bump_between


def _fail(message: str, status: int = 1) -> NoReturn:
    print(f"release: {message}", file=sys.stderr)
    raise SystemExit(status)


def _stamp(bump: str | None) -> None:
    done = stamp(Bump[bump.upper()] if bump else Bump.NONE)
    base, record = done.base.record.version, done.record.version
    if record == base:
        print(f"{VERSION_FILE_REL}: {record}: nothing changed since it was stamped")
        return
    print(
        f"{VERSION_FILE_REL}: {record} (a {bump_between(base, record)} release after {base}, stamped in "
        f"{done.base.commit[:10]}; the changes need a {done.required or 'no'} release)"
    )
    for entry in done.assessment.entries:
        print(f"  {entry.section}: {entry.text}")
    print("CHANGELOG.md: entry written; add notes by hand under its sections (they are kept), then commit both")


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m release", description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("version")
    stamp_parser = commands.add_parser("stamp")
    stamp_parser.add_argument("--bump", choices=["patch", "minor", "major"], help="take at least this bump")
    commands.add_parser("version-check")
    dist_parser = commands.add_parser("check-dist")
    dist_parser.add_argument("dist", type=Path)
    preflight_parser = commands.add_parser("preflight")
    preflight_parser.add_argument("--index-url", default="")
    for name in ("check-index", "check-bump"):
        index_parser = commands.add_parser(name)
        index_parser.add_argument("--index-url", required=True)
        index_parser.add_argument("--simple-url", required=True)
    args = parser.parse_args(argv)

    try:
        record = recorded()
        if args.command == "version":
            print(record.version)
        elif args.command == "stamp":
            _stamp(args.bump)
        elif args.command == "version-check":
            problems = version_problems(record, spec_sha256(), tree_sha256(), committed_records())
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
        elif args.command == "check-bump":
            verdict = check_bump(args.simple_url, args.index_url, record.version)
            if verdict.previous is None:
                print(f"the index holds no version of {PROJECT} below {record.version}: the API-diff check is skipped")
            else:
                print(f"version {record.version} is a large enough step after {verdict.previous} on the index")
    except AlreadyPublished as exc:
        _fail(str(exc), status=3)
    except ReleaseError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()
