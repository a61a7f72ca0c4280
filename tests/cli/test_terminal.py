"""What `partner-api` does on a terminal, under a real pseudo-terminal (pexpect): the progress bar, tables on a
narrow terminal, and the confirmation before a destructive operation. Every child is ended (`terminal`)."""

from __future__ import annotations

import re
from pathlib import Path

import pexpect
from partner_api.sandbox import SandboxProcess

from ._support import cli_env, run, summary, terminal

_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _screen(child: pexpect.spawn) -> str:
    """Everything the child wrote until it exited, without the terminal's escape sequences."""
    child.expect(pexpect.EOF)
    return _ESCAPES.sub("", child.before or "")


def _limits(path: Path, ids: list[int], offset: int = 10**9) -> Path:
    path.write_text("user_id,traffic_limit\n" + "".join(f"{i},{offset + i}\n" for i in ids))
    return path


def test_a_resumed_job_counts_only_the_rows_it_sends(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """Defect 9: the rows skipped on a resume advanced the bar, so the rate and the ETA counted them."""
    ids = bulk_sandbox.seed_users(300)
    env = cli_env(home, bulk_sandbox)
    journal = tmp_path / "job.journal"
    first = _limits(tmp_path / "first.csv", ids)
    assert (
        run(["bulk", "set-user-traffic-limit", "--input", str(first), "--journal", str(journal)], env).returncode == 0
    )
    both = tmp_path / "both.csv"
    both.write_text(first.read_text() + "".join(f"{i},{2 * 10**9 + i}\n" for i in ids))  # 300 done, 300 new
    bulk_sandbox.inject_fault("setUserTrafficLimit", latency=0.02, probability=1.0)
    args = ["bulk", "set-user-traffic-limit", "--input", str(both), "--journal", str(journal), "-c", "4"]
    with terminal(args, env) as child:
        screen = _screen(child)
    assert child.exitstatus == 0, screen
    assert "skipped 300" in screen
    assert "/300" in screen  # the bar's total: the rows to send
    assert not re.search(r"\b[1-9][0-9]*/600\b", screen)  # skipped rows never count as progress
    assert summary(screen)["skipped"] == 300


def test_the_bar_labels_its_times_and_tells_failed_from_unknown(
    bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path
) -> None:
    """Defect 19: unlabelled times; "failed 6" on the bar was "3 failed, 3 unknown" in the summary."""
    ids = bulk_sandbox.seed_users(40)
    source = _limits(tmp_path / "limits.csv", ids)
    source.write_text(source.read_text() + "x,1\ny,2\nz,3\n")
    bulk_sandbox.inject_fault("setUserTrafficLimit", drop=True, count=1, after=5)  # one answer lost: unknown
    bulk_sandbox.inject_fault("setUserTrafficLimit", latency=0.02, probability=1.0)
    with terminal(
        ["bulk", "set-user-traffic-limit", "--input", str(source), "-c", "1"], cli_env(home, bulk_sandbox)
    ) as child:
        screen = _screen(child)
    assert child.exitstatus == 1, screen
    counts = summary(screen)
    assert (counts["failed"], counts["unknown"]) == (3, 1)
    assert "failed 3" in screen and "unknown 1" in screen
    assert "elapsed" in screen and "ETA" in screen
    assert "bulk set-user-traffic-limit:" in screen  # the summary names the job as the bar does


def test_the_export_bar_has_no_failures_column(bulk_sandbox: SandboxProcess, home: Path) -> None:
    """Defect 19: export's bar showed a meaningless "failed 0"."""
    bulk_sandbox.seed_users(200)
    bulk_sandbox.inject_fault("listUsers", latency=0.3, probability=1.0)
    with terminal(["export", "users", "--limit", "50"], cli_env(home, bulk_sandbox)) as child:
        screen = _screen(child)
    assert child.exitstatus == 0
    assert "export users" in screen and "200 users" in screen
    assert "failed" not in screen
    assert "exported 200 users" in screen  # the count, on a terminal


def test_a_table_on_a_narrow_terminal_folds_cells_and_cuts_nothing(bulk_sandbox: SandboxProcess, home: Path) -> None:
    """Defect 5: on an 80-column terminal cells were cut (`seed-us…`)."""
    ids = bulk_sandbox.seed_users(5)
    with terminal(["list-users", "--limit", "5", "-o", "table"], cli_env(home, bulk_sandbox), columns=80) as child:
        screen = _screen(child)
    assert child.exitstatus == 0
    assert "…" not in screen
    for user_id in ids:
        assert re.search(rf"│\s*{user_id}\s*│", screen)


def test_a_destructive_operation_asks_first(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    """The spec marks deleteUser `x-destructive: true`: on a terminal the command asks; "n" sends nothing."""
    first, second, third = bulk_sandbox.seed_users(3)
    env = cli_env(home, bulk_sandbox)
    bulk_sandbox.reset_stats()
    with terminal(["delete-user", "--user-id", str(first)], env) as child:
        child.expect(rf"delete-user --user-id {first}: Delete a user with its devices, sessions and purchases\. "
                     r"This cannot be undone\. Go ahead\? \[y/N\]")  # fmt: skip
        child.sendline("n")
        screen = _screen(child)
    assert child.exitstatus == 1
    assert "not confirmed: nothing was sent" in screen
    assert bulk_sandbox.stats().requests.get("deleteUser", 0) == 0
    with terminal(["delete-user", "--user-id", str(first)], env) as child:
        child.expect(r"Go ahead\? \[y/N\]")
        child.sendline("y")
        _screen(child)
    assert child.exitstatus == 0
    assert bulk_sandbox.stats().requests["deleteUser"] == 1
    # a bulk job of a destructive operation asks once, for all its rows
    source = tmp_path / "users.csv"
    source.write_text(f"user_id\n{second}\n{third}\n")
    with terminal(["bulk", "delete-user", "--input", str(source)], env) as child:
        child.expect(r"bulk delete-user: 2 row\(s\) from .*users\.csv: Delete a user.*Go ahead\? \[y/N\]")
        child.sendline("y")
        screen = _screen(child)
    assert child.exitstatus == 0, screen
    assert bulk_sandbox.stats().requests["deleteUser"] == 3
