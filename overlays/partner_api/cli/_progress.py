"""A progress bar on stderr with `rich`, shown only when stderr is a terminal.

Bulk: `set-user-traffic-limit ━━━━━━━━╺━━━ 120/500 failed 3 unknown 1 45/s elapsed 0:00:03 ETA 0:00:09` (the
counts of failed, unknown, skipped and rate-limited rows shown once not zero).
Rows a resumed job skips (done before) leave the total instead of advancing the bar, so the rate and the ETA
count only the rows sent. An export has no total and no failures: `export users 1200 users 3400/s elapsed 0:00:01`.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

__all__ = ["Progress"]


class Progress:
    """Context manager; `advance(done=, failed=, unknown=)` and `skip()` update the bar. Does nothing when stderr
    is not a terminal. `counts`: show the failed / unknown / skipped counts (a bulk job)."""

    def __init__(self, description: str, total: int | None, *, counts: bool = True) -> None:
        self._description = description
        self._total = total
        self._counts = counts
        self._bar: Any = None
        self._task: Any = None
        self.failed = 0
        self.unknown = 0
        self.skipped = 0

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                ProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress
            from rich.text import Text

            console = Console(file=sys.stderr)
            unit = "/s"

            class RateColumn(ProgressColumn):
                def render(self, task: Any) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text(f"{speed:.0f}{unit}" if speed is not None else f"-{unit}")

            class CountsColumn(ProgressColumn):
                """`failed 3 unknown 1 skipped 300`: the counts that are not zero (an 80-column terminal)."""

                def render(self, task: Any) -> Text:
                    names = ("failed", "unknown", "skipped", "rate-limited")
                    counts = [f"{name} {task.fields[name.replace('-', '_')]}" for name in names]
                    shown = [count for count in counts if not count.endswith(" 0")]
                    return Text(" ".join([*shown, task.fields["status"]]).strip())

            columns: list[Any] = [TextColumn("{task.description}")]
            if self._total is not None:
                # the bar only where it fits beside the counts and times (an 80-column terminal has no room)
                columns += [BarColumn(bar_width=20)] if console.width >= 110 else []
                columns += [MofNCompleteColumn()]
            else:
                columns += [TextColumn("{task.completed} " + self._description.split()[-1])]
            if self._counts:
                columns += [CountsColumn()]
            columns += [RateColumn(), TextColumn("elapsed"), TimeElapsedColumn()]
            if self._total is not None:
                columns += [TextColumn("ETA"), TimeRemainingColumn()]
            self._bar = RichProgress(*columns, console=console, refresh_per_second=5, speed_estimate_period=10)
            self._bar.start()
            self._task = self._bar.add_task(
                self._description, total=self._total, failed=0, unknown=0, skipped=0, rate_limited=0, status=""
            )
        return self

    def advance(self, done: int = 0, failed: int = 0, unknown: int = 0) -> None:
        self.failed += failed
        self.unknown += unknown
        if self._bar is not None:
            self._bar.update(self._task, advance=done + failed + unknown, failed=self.failed, unknown=self.unknown)

    def status(self, text: str) -> None:
        """A word on what the job waits for (`waiting for the API`), or "" when it goes on."""
        if self._bar is not None:
            self._bar.update(self._task, status=text)

    def rate_limited(self, count: int) -> None:
        """The 429s so far (the rows wait out their Retry-After: the bar says why it stands still)."""
        if self._bar is not None:
            self._bar.update(self._task, rate_limited=count)

    def skip(self, rows: int = 1) -> None:
        """Rows that need nothing in this run (done before): out of the total, so the ETA counts only rows sent."""
        self.skipped += rows
        if self._bar is not None and self._total is not None:
            self._total -= rows
            self._bar.update(self._task, total=self._total, skipped=self.skipped)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
