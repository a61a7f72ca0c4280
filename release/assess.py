"""From the changes of a release to its required bump and its changelog lines (each through release/rules.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import api_diff, surface
from .api_diff import Change
from .rules import BREAKING, CHANGED, DOCS, rule_for
from .versions import Bump


@dataclass(frozen=True)
class Entry:
    """One changelog line: its section, its sentence, and the bump its rule requires."""

    section: str
    text: str
    bump: Bump
    rule: str


@dataclass(frozen=True)
class Assessment:
    """What a release changed: the bump it requires and the changelog lines that say why."""

    bump: Bump
    entries: tuple[Entry, ...]

    def requiring(self, bump: Bump) -> list[str]:
        """The lines whose rule requires `bump` (for a refusal: the changes a smaller version would hide)."""
        return [entry.text for entry in self.entries if entry.bump == bump]


def _join(operations: Sequence[str], every: Collection[str]) -> str:
    if len(operations) > 1 and every and set(operations) >= set(every):
        return "every operation"
    names = [f"`{name}`" for name in operations]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def entries(changes: Iterable[Change], every: Collection[str] = ()) -> list[Entry]:
    """One line per rule and sentence; the operations a shared change appears in are named together (`every`: the
    document's operationIds, to say "every operation")."""
    grouped: dict[tuple[str, str], list[str]] = {}
    rules = {}
    for change in changes:
        rule = rule_for(change)
        key = (rule.name, rule.says(change))
        rules[key] = rule
        operations = grouped.setdefault(key, [])
        if change.operation and change.operation not in operations:
            operations.append(change.operation)
    out = []
    for key, operations in grouped.items():
        rule, text = rules[key], key[1]
        text = text.replace("{ops}", _join(sorted(operations), every) if operations else "")
        out.append(Entry(rule.section, text[0].upper() + text[1:], rule.bump, rule.name))
    return out


def assess(
    api_changes: Sequence[Change],
    python_changes: Sequence[Change],
    *,
    spec_changed: bool,
    generated_changed: bool,
    operations: Collection[str] = (),
) -> Assessment:
    """The bump and changelog lines of a release with these changes (`operations`: the new document's
    operationIds). Python breakages in generated code that come with a breaking API change are one line (the API
    lines name them better); alone, each is listed. A changed spec or generated/ with no line of its own still needs
    a patch release (a new version for new bytes)."""
    api = entries(api_changes, operations)
    generated = [change for change in python_changes if change.kind == "broken" and change.keyword == "generated"]
    python = [change for change in python_changes if change not in generated]
    out = api + entries(python)
    if generated and any(entry.bump is Bump.MAJOR for entry in api):
        out.append(
            Entry(
                BREAKING,
                f"Python: {len(generated)} generated method(s) or model attribute(s) changed with the API changes "
                "above (griffe check).",
                Bump.MAJOR,
                "Python name removed or signature broken",
            )
        )
    else:
        out += entries(generated)
    if not out and spec_changed:
        out.append(Entry(DOCS, "The API document's text changed; no operation changed.", Bump.PATCH, "documentation"))
    elif not out and generated_changed:
        out.append(
            Entry(CHANGED, "The generated code changed (a generator update); the API did not.", Bump.PATCH, "generator")
        )
    bump = max((entry.bump for entry in out), default=Bump.NONE)
    return Assessment(bump, tuple(out))


def assess_trees(
    old_spec: Path,
    old_folders: Sequence[Path],
    new_spec: Path,
    new_folders: Sequence[Path],
    *,
    spec_changed: bool,
    generated_changed: bool,
) -> Assessment:
    """The assessment of the release `new_*` after the release `old_*` (documents and source folders)."""
    api_changes = api_diff.changes(old_spec, new_spec) if spec_changed else []
    return assess(
        api_changes,
        surface.changes(old_folders, new_folders),
        spec_changed=spec_changed,
        generated_changed=generated_changed,
        operations=api_diff.operation_ids(api_diff.load_document(new_spec)).values(),
    )
