"""The pages a user reads (README.md and the docs site's pages, docs/pages/**/*.md) and their code blocks."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_shell_blocks(
    blocks: list[CodeBlock], cwd: Path, env: dict[str, str], timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """Shell blocks run one after the other by one bash, as a reader pastes them: `set -euo pipefail -x` (stderr
    shows each command), 8080 replaced by a free port, a wait after a line that starts a server in the background
    (`... &`) until the port listens, and every background job and the whole process group ended at the end."""
    port = str(_free_port())
    script = ["set -euo pipefail -x", "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT"]
    for line in "".join(block.code for block in blocks).replace("8080", port).splitlines():
        script.append(line)
        if line.split("#")[0].rstrip().endswith("&"):  # a server in the background: wait until it listens
            script.append(
                f"for i in $(seq 1 150); do (: > /dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; sleep 0.2; done"
            )
    process = subprocess.Popen(
        ["bash", "-c", "\n".join(script)], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
