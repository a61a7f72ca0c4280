"""A bulk job's outputs besides its journal: `--output` (JSON lines) and the failed file (re-runnable as input)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from ._rows import Row

__all__ = ["Outputs"]


class Outputs:
    """`--output` (JSONL, appended: one line per row and run) and the failed file (the input's format, re-runnable:
    `--failed`, else a default next to the journal, written only when a row fails)."""

    def __init__(
        self, output: Path | None, failed: Path, input_format: str, columns: list[str], *, failed_is_default: bool
    ) -> None:
        # Line-buffered: a row's line reaches the kernel before its journal outcome, so it survives `kill -9`.
        self._output: IO[str] | None = open(output, "a", encoding="utf-8", buffering=1) if output else None  # noqa: SIM115
        self.failed_path = failed
        self._failed_is_default = failed_is_default
        self._failed: IO[str] | None = None
        self._format = input_format
        self._csv: Any = None
        self._columns = columns
        self.failures = 0
        if not failed_is_default:
            self._open_failed()

    def _open_failed(self) -> IO[str]:
        if self._failed is None:
            self._failed = open(self.failed_path, "w", encoding="utf-8", newline="", buffering=1)  # noqa: SIM115
            if self._format == "csv":
                self._csv = csv.writer(self._failed, lineterminator="\n")
                self._csv.writerow([*self._columns, "_error"])
        return self._failed

    @property
    def keeps_answers(self) -> bool:
        return self._output is not None

    def record(self, row: Row, status: str, *, answer: Any = None, error: str | None = None) -> None:
        if self._output is not None:
            line: dict[str, Any] = {"line": row.number, "status": status, "input": row.data}
            if answer is not None:
                line["answer"] = answer
            if error is not None:
                line["error"] = error
            self._output.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str) + "\n")
        if status not in ("failed", "unknown"):
            return
        self.failures += 1
        stream = self._open_failed()
        reason = f"{status}: {error}" if error else status
        if self._csv is not None:
            cells = list(row.cells) if row.cells is not None else [str(row.data.get(c, "")) for c in self._columns]
            if len(cells) < len(self._columns):  # a short row stays incomplete: its cells, then empty ones
                cells += [""] * (len(self._columns) - len(cells))
            self._csv.writerow([*cells, reason])
        elif "_line" in row.data:  # not a JSON object: written back as it was, so it fails again
            stream.write(f"{row.data['_line']}\n")
        else:
            line = {**row.data, "_error": reason}
            stream.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        for stream in (self._output, self._failed):
            if stream is not None:
                stream.close()
        if self._failed is None and self._failed_is_default and self.failed_path.exists():
            self.failed_path.unlink()  # the default file of an earlier run: no row failed this time
