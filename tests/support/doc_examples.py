"""The pages a user reads (README.md and the docs site's pages, docs/pages/**/*.md) and their code blocks."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = DOCS / "pages"

# A fenced block, possibly indented (inside a list item): its indentation, its language and its body.
_FENCE = re.compile(r"^( *)```(\w*)[^\n]*\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


def doc_files() -> list[Path]:
    """README.md, then every page of the docs site, in a fixed order."""
    return [ROOT / "README.md", *sorted(PAGES.rglob("*.md"))]


@dataclass(frozen=True)
class CodeBlock:
    """One fenced block of a page: where it starts (1-based line of its opening fence), language, dedented body."""

    path: Path
    line: int
    language: str
    code: str

    @property
    def name(self) -> str:
        """`README.md:19`, `docs/pages/guide/fleet.md:12`: the block's place, for test ids and messages."""
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def code_blocks(language: str, files: list[Path] | None = None) -> list[CodeBlock]:
    """Every fenced block of `language` in `files` (default: `doc_files()`), dedented."""
    blocks = []
    for path in files if files is not None else doc_files():
        text = path.read_text()
        for match in _FENCE.finditer(text):
            if match.group(2) == language:
                line = text.count("\n", 0, match.start()) + 1
                blocks.append(CodeBlock(path, line, language, textwrap.dedent(match.group(3))))
    return blocks
