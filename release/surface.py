"""The Python public surface of the package, compared with griffe (the engine of `griffe check`).

The surface is what users import: `partner_api` and everything reachable from it, the generated methods and models
included (through their aliases). griffe's `find_breaking_changes` reports what breaks a caller (a public name
removed, a parameter removed or made required, ...). Additions are not griffe's concern: `added_names` lists the
public names and parameters the hand-written overlay gained (what the generated code gains follows from the API
diff, which names it better).

Both sides are read from source folders with no import and no git worktree: a checkout (overlays/, generated/), a
commit's tree unpacked by `git archive`, or an unpacked wheel.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import griffe

from .api_diff import Change
from .project import PUBLIC_PACKAGE, ROOT, SOURCE_FOLDERS, ReleaseError

GENERATED_PACKAGES = ("partner_api_client", "partner_api_sandbox_models")
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # griffe's explanations carry terminal colours


def load(folders: Sequence[Path]) -> griffe.Object:
    """The public package, read statically from `folders` (search paths), aliases into them resolved."""
    loader = griffe.GriffeLoader(search_paths=[str(folder) for folder in folders])
    try:
        package = loader.load(PUBLIC_PACKAGE)
        for name in GENERATED_PACKAGES:
            loader.load(name)
    except (ImportError, griffe.GriffeError) as exc:
        raise ReleaseError(f"cannot read the Python surface from {', '.join(map(str, folders))}: {exc}") from exc
    loader.resolve_aliases(external=False, implicit=False)
    return package  # type: ignore[return-value]


def checkout_folders(root: Path = ROOT) -> list[Path]:
    """The source folders of a checkout."""
    return [root / name for name in SOURCE_FOLDERS]


@contextmanager
def commit_folders(commit: str, root: Path = ROOT) -> Iterator[list[Path]]:
    """The source folders of `commit`, unpacked from `git archive` into a temporary folder (the repository is only
    read: no worktree, no branch)."""
    archived = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["git", "archive", "--format=tar", commit, *SOURCE_FOLDERS],  # noqa: S607 - git from PATH
        cwd=root, capture_output=True, check=False,
    )  # fmt: skip
    if archived.returncode != 0:
        raise ReleaseError(f"git archive {commit} failed: {archived.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="release-base-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archived.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        yield [Path(tmp) / name for name in SOURCE_FOLDERS]


@contextmanager
def wheel_folders(wheel: Path) -> Iterator[list[Path]]:
    """A wheel unpacked into a temporary folder: its root is the one search path."""
    with tempfile.TemporaryDirectory(prefix="release-wheel-") as tmp:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(tmp)  # noqa: S202 - zipfile keeps every member inside `tmp`
        yield [Path(tmp)]


def _in_generated(obj: griffe.Object | griffe.Alias) -> bool:
    try:
        path = obj.canonical_path
    except griffe.AliasResolutionError:
        path = obj.path
    return path.startswith(GENERATED_PACKAGES)


def _public_paths(package: griffe.Object) -> dict[str, str]:
    """Canonical path -> the shortest public path users reach it by (`partner_api._retry.RetryPolicy` ->
    `partner_api.RetryPolicy`), for the hand-written modules and classes."""
    paths = {package.canonical_path: package.path}
    queue = [(package, package.path)]
    while queue:
        obj, path = queue.pop(0)
        for name, member in obj.members.items():
            target = _hand_written(member) if member.is_public else None
            if isinstance(target, griffe.Class | griffe.Module) and target.canonical_path not in paths:
                paths[target.canonical_path] = f"{path}.{name}"
                queue.append((target, f"{path}.{name}"))
    return paths


def _public(path: str, paths: dict[str, str]) -> str:
    parts = path.split(".")
    for end in range(len(parts), 0, -1):
        if (prefix := ".".join(parts[:end])) in paths:
            return ".".join([paths[prefix], *parts[end:]])
    return path


def breakages(old: griffe.Object, new: griffe.Object) -> list[Change]:
    """What breaks a caller of `old` in `new`, one Change (part "python", kind "broken") per griffe breakage,
    named by its public path; `keyword` is "generated" when the broken object is generated code (it follows from
    the API diff)."""
    paths = {**_public_paths(new), **_public_paths(old)}
    out = []
    for breakage in griffe.find_breaking_changes(old, new):
        explained = _COLOURS.sub("", breakage.explain(style=griffe.ExplanationStyle.ONE_LINE).split(": ", 1)[-1])
        name, _, what = explained.rpartition(": ")
        details = what[:1].lower() + what[1:] if breakage.obj.path.endswith(name) else explained
        out.append(
            Change(
                "", "", "python", _public(breakage.obj.path, paths), "broken",
                "generated" if _in_generated(breakage.obj) else "", details,
            )
        )  # fmt: skip
    return out


def _hand_written(obj: griffe.Object | griffe.Alias) -> griffe.Object | None:
    """`obj` (an alias resolved) when it is hand-written code of the public package, else None."""
    try:
        target = obj.final_target if obj.is_alias else obj
    except griffe.AliasResolutionError:
        return None
    path = target.canonical_path
    return target if path == PUBLIC_PACKAGE or path.startswith(f"{PUBLIC_PACKAGE}.") else None  # type: ignore[return-value]


def _public_names(obj: griffe.Object, prefix: str, seen: set[str]) -> Iterator[str]:
    """Dotted public names reachable from `obj` that are hand-written (re-exports of generated code are left to the
    API diff), and `function(parameter)` for each parameter of their functions."""
    members = obj.all_members if isinstance(obj, griffe.Class) else obj.members  # a class's inherited ones too
    for name, member in members.items():
        target = _hand_written(member) if member.is_public else None
        if target is None:
            continue
        path = f"{prefix}{name}"
        yield path
        if isinstance(target, griffe.Function):
            # Optional parameters only: a new required one is a breakage, which griffe reports.
            yield from (f"{path}({p.name})" for p in target.parameters if p.default is not None)
        elif isinstance(target, griffe.Class | griffe.Module) and target.canonical_path not in seen:
            seen.add(target.canonical_path)
            yield from _public_names(target, f"{path}.", seen)


def added_names(old: griffe.Object, new: griffe.Object) -> list[Change]:
    """Public names and parameters of the hand-written package that `new` has and `old` lacks."""
    before = set(_public_names(old, f"{PUBLIC_PACKAGE}.", set()))
    added = set(_public_names(new, f"{PUBLIC_PACKAGE}.", set())) - before
    # A new function's parameters, and a new class's members (its own and inherited), come with it.
    return [Change("", "", "python", name, "added") for name in sorted(added) if not _ancestors(name) & added]


def _ancestors(name: str) -> set[str]:
    """`a.B.f(x)` -> {`a.B.f`, `a.B`, `a`}: the names that `name` belongs to."""
    base = name.split("(")[0]
    parts = base.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))} | ({base} if base != name else set())


def changes(old_folders: Sequence[Path], new_folders: Sequence[Path]) -> list[Change]:
    """Breakages and additions of the Python surface from `old_folders` to `new_folders`."""
    old, new = load(old_folders), load(new_folders)
    return breakages(old, new) + added_names(old, new)
