"""CHANGELOG.md in the Keep a Changelog format: one entry per version, sections Breaking / Added / Changed /
Deprecated / Fixed / Docs.

`make stamp` writes the lines it derives from the diff with a trailing `<!-- stamp -->` marker (invisible once
rendered). Every other line of an entry is hand-written and kept when the entry is rewritten, under the section it
was written in; notes under `## [Unreleased]` move into the next stamped entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .assess import Entry
from .project import CHANGELOG, PROJECT
from .rules import SECTIONS

MARK = "<!-- stamp -->"
UNRELEASED = "Unreleased"
HEADER = f"""# Changelog

All notable changes to {PROJECT}, newest first. The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/)
and the versions follow [Semantic Versioning](https://semver.org/spec/v2.0.0.html): `make stamp` derives each bump
from the API diff (Optic) and the Python surface (griffe), and writes the lines marked `{MARK}`. Lines without
that mark are hand-written and survive a new stamp; notes under [Unreleased] move into the next entry.

"""
_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?P<rest>.*)$")
_SECTION = re.compile(r"^### (?P<name>.+?)\s*$")


@dataclass
class Release:
    """One `## [version] - date` entry: text before its first section, then its sections' lines."""

    version: str
    rest: str = ""
    intro: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)

    def hand_written(self) -> dict[str, list[str]]:
        """The lines of each section that `make stamp` did not write."""
        return {
            name: [line for line in lines if MARK not in line and line.strip()] for name, lines in self.sections.items()
        }

    def render(self) -> list[str]:
        lines = [f"## [{self.version}]{self.rest}", *self.intro]
        names = [name for name in SECTIONS if name in self.sections] + [n for n in self.sections if n not in SECTIONS]
        for name in names:
            body = [line for line in self.sections[name] if line.strip()]
            if body:
                lines += [f"### {name}", *body, ""]
        if lines[-1] != "":
            lines.append("")
        return lines


@dataclass
class Changelog:
    """The file: its header, then its entries in file order (newest first)."""

    header: list[str]
    releases: list[Release]

    @classmethod
    def parse(cls, text: str) -> Changelog:
        header: list[str] = []
        releases: list[Release] = []
        section: str | None = None
        for line in text.splitlines():
            if match := _HEADING.match(line):
                releases.append(Release(match["version"], match["rest"]))
                section = None
            elif not releases:
                header.append(line)
            elif match := _SECTION.match(line):
                section = match["name"]
                releases[-1].sections.setdefault(section, [])
            elif section is None:
                releases[-1].intro.append(line)
            else:
                releases[-1].sections[section].append(line)
        return cls(header, releases)

    def render(self) -> str:
        lines = list(self.header)
        while lines and not lines[-1].strip():
            lines.pop()
        lines.append("")
        for release in self.releases:
            lines += release.render()
        return "\n".join(lines).rstrip("\n") + "\n"

    def find(self, version: str) -> Release | None:
        return next((release for release in self.releases if release.version == version), None)


def read(path: Path = CHANGELOG) -> Changelog:
    """The changelog at `path` (a new one with the standard header if there is none)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER + f"## [{UNRELEASED}]\n"
    return Changelog.parse(text)


def write_entry(
    version: str,
    date: str,
    lines: Sequence[Entry],
    *,
    replaces: str | None = None,
    path: Path = CHANGELOG,
) -> None:
    """Write the entry of `version` from `lines`: it replaces the entry of `version` or of `replaces` (a version
    stamped earlier and not committed), keeping their hand-written lines and taking those of [Unreleased]."""
    changelog = read(path)
    kept: dict[str, list[str]] = {}
    intro: list[str] = []
    position = None
    for old_version in dict.fromkeys(v for v in (version, replaces, UNRELEASED) if v):
        old = changelog.find(old_version)
        if old is None:
            continue
        for name, hand in old.hand_written().items():
            kept.setdefault(name, []).extend(hand)
        intro += [line for line in old.intro if line.strip()]
        if old_version != UNRELEASED:
            position = changelog.releases.index(old)
            changelog.releases.remove(old)
        else:
            old.sections, old.intro = {}, [""]
    entry = Release(version, f" - {date}", [*intro, ""] if intro else [""], {})
    for line in lines:
        entry.sections.setdefault(line.section, []).append(f"- {line.text} {MARK}")
    for name, hand in kept.items():
        entry.sections.setdefault(name, []).extend(hand)
    if position is None:
        unreleased = changelog.find(UNRELEASED)
        position = changelog.releases.index(unreleased) + 1 if unreleased else 0
    changelog.releases.insert(position, entry)
    path.write_text(changelog.render(), encoding="utf-8")


def drop_entry(version: str, path: Path = CHANGELOG) -> None:
    """Remove the entry of `version` (a stamp that no longer stands), moving its hand-written lines to
    [Unreleased]."""
    changelog = read(path)
    old = changelog.find(version)
    if old is None:
        return
    unreleased = changelog.find(UNRELEASED)
    if unreleased is None:
        unreleased = Release(UNRELEASED, "", [""])
        changelog.releases.insert(0, unreleased)
    for name, hand in old.hand_written().items():
        unreleased.sections.setdefault(name, []).extend(hand)
    changelog.releases.remove(old)
    path.write_text(changelog.render(), encoding="utf-8")
