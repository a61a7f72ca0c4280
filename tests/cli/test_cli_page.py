"""Every shell example of the command-line page (docs/pages/guide/cli.md), run as the page spells it: its blocks in
order by one bash, the real `partner-api` on PATH, the sandbox the first block starts on a free port instead of
8080 (tests/support/doc_examples.py runs them)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.doc_examples import PAGES, code_blocks, run_shell_blocks

from ._support import EXECUTABLE, cli_env

PAGE = PAGES / "guide" / "cli.md"


def test_the_command_line_examples_run(home: Path, tmp_path: Path) -> None:
    blocks = code_blocks("sh", [PAGE])
    assert len(blocks) >= 2  # the sandbox and the credentials, then the examples
    env = cli_env(home, PATH=f"{EXECUTABLE.parent}{os.pathsep}{os.environ['PATH']}")
    result = run_shell_blocks(blocks, tmp_path, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '"username":"seed-user-0001"' in result.stdout  # the first example finds its user (defect 15)
    assert len((tmp_path / "users.csv").read_text().splitlines()) == 52  # the header, 50 seeded users and alice
    assert (tmp_path / "results.jsonl").read_text().count('"status":"done"') == 2
    assert "complete --no-files --command partner-api" in (tmp_path / "partner-api.fish").read_text()
    assert "bulk set-user-traffic-limit: 2 done" in result.stderr
