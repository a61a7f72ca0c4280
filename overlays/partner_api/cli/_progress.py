"""A progress bar on stderr (done, failed, rate, ETA) with `rich`, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

__all__ = ["Progress"]


class Progress:
    """Context manager; `advance(done=, failed=)` updates the bar. Does nothing when stderr is not a terminal."""

    def __init__(self, description: str, total: int | None) -> None:
        self._description = description
        self._total = total
        self._bar: Any = None
        self._task: Any = None
        self.failed = 0

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                ProgressColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress
            from rich.text import Text

            unit = "rows/s" if self._total is not None else "items/s"

            class RateColumn(ProgressColumn):
                def render(self, task: Any) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text(f"{speed:.0f} {unit}" if speed is not None else f"- {unit}")

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TextColumn("failed {task.fields[failed]}"),
                RateColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=sys.stderr),
                refresh_per_second=5,
                speed_estimate_period=10,
            )
            self._bar.start()
            self._task = self._bar.add_task(self._description, total=self._total, failed=0)
        return self

    def advance(self, done: int = 0, failed: int = 0) -> None:
        self.failed += failed
        if self._bar is not None:
            self._bar.update(self._task, advance=done + failed, failed=self.failed)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
