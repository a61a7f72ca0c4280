"""The bulk job: one call per input row on one `AsyncPartnerClient`, bounded and adaptive concurrency, a durable
journal, outcomes in `--output` / `--failed`, and a clean stop on SIGINT/SIGTERM.

What is safe to send again follows the client's rules: a read always; a mutation only when it provably never
took effect: bad input (refused before sending), an error answer from the API (NOT_FOUND, ...), a 429
(TOO_MANY_REQUESTS: refused, resent after Retry-After), or a connection that was never made. A mutation
whose answer was lost (timeout, dropped connection, 5xx) is `unknown` and is resent only with `--retry-unknown`.
"""

from __future__ import annotations

import asyncio
import csv
import json
import signal
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import attrs

from .._client import AsyncPartnerClient
from .._exceptions import APIConnectionError, AuthenticationError, PartnerAPIError, RateLimitedError, ServerError
from .._retry import RetryPolicy
from ._exit import AUTHENTICATION, INTERRUPTED, OK, OTHER, error_text
from ._journal import Journal
from ._limiter import AimdLimiter
from ._output import payload
from ._progress import Progress
from ._rows import Row
from ._spec import OperationSpec

__all__ = ["BulkJob", "Counts", "PassRateLimits"]

_DEFAULT_RETRY_AFTER = 1.0
_MAX_RATE_LIMITED = 50  # 429s for one row before it is reported failed (not sent: a re-run sends it)
_STOP_GRACE = 30.0  # seconds in-flight rows get to finish after SIGINT/SIGTERM


@attrs.frozen
class PassRateLimits(RetryPolicy):
    """The client's retry rules, except that a 429 comes back to the job, which pauses and slows every row."""

    def should_retry(self, safe_to_retry: bool, error: BaseException) -> bool:
        return not isinstance(error, RateLimitedError) and super().should_retry(safe_to_retry, error)


@attrs.define
class Counts:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    unknown: int = 0
    rate_limited: int = 0
    logins: int = 0
    elapsed: float = 0.0

    def summary(self, operation: str) -> str:
        sent = self.done + self.failed
        rate = sent / self.elapsed if self.elapsed > 0 else 0.0
        return (
            f"bulk {operation}: {self.done} done, {self.failed} failed, {self.skipped} skipped, {self.unknown} unknown;"
            f" {self.logins} login(s), {self.rate_limited} rate-limited (429); {self.elapsed:.1f} s, {rate:.1f} rows/s"
        )


class _Outputs:
    """`--output` (JSONL, appended: one line per row and run) and `--failed` (the input's format, re-runnable)."""

    def __init__(self, output: Path | None, failed: Path | None, input_format: str, columns: list[str]) -> None:
        # Line-buffered: a row's line reaches the kernel before its journal outcome, so it survives `kill -9`.
        self._output: IO[str] | None = open(output, "a", encoding="utf-8", buffering=1) if output else None  # noqa: SIM115
        self._failed: IO[str] | None = (
            open(failed, "w", encoding="utf-8", newline="", buffering=1) if failed else None  # noqa: SIM115
        )
        self._format = input_format
        self._csv: Any = None
        self._columns = columns
        if self._failed is not None and input_format == "csv":
            self._csv = csv.writer(self._failed, lineterminator="\n")
            self._csv.writerow([*columns, "_error"])

    @property
    def keeps_answers(self) -> bool:
        return self._output is not None

    def record(self, row: Row, status: str, *, answer: Any = None, error: str | None = None) -> None:
        if self._output is not None:
            line: dict[str, Any] = {"row": row.number, "status": status, "input": row.data}
            if answer is not None:
                line["answer"] = answer
            if error is not None:
                line["error"] = error
            self._output.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str) + "\n")
        if self._failed is not None and status in ("failed", "unknown"):
            reason = f"{status}: {error}" if error else status
            if self._csv is not None:
                cells = list(row.cells) if row.cells is not None else [str(row.data.get(c, "")) for c in self._columns]
                if len(cells) < len(self._columns):  # a short row stays incomplete: its cells, then empty ones
                    cells += [""] * (len(self._columns) - len(cells))
                self._csv.writerow([*cells, reason])
            elif "_line" in row.data:  # not a JSON object: written back as it was, so it fails again
                self._failed.write(f"{row.data['_line']}\n")
            else:
                line = {**row.data, "_error": reason}
                self._failed.write(json.dumps(line, separators=(",", ":"), ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        for stream in (self._output, self._failed):
            if stream is not None:
                stream.close()


class BulkJob:
    """Runs `spec` once per row; `run()` returns the exit status after printing the summary."""

    def __init__(
        self, spec: OperationSpec, client: AsyncPartnerClient, journal: Journal, outputs: _Outputs,
        *, concurrency: int, retry_unknown: bool, total: int | None,
    ) -> None:  # fmt: skip
        self.spec = spec
        self.client = client
        self.journal = journal
        self.outputs = outputs
        self.concurrency = concurrency
        self.retry_unknown = retry_unknown
        self.total = total
        self.counts = Counts()
        self.stopping = asyncio.Event()
        self._hurry = asyncio.Event()
        self._stop_at = 0.0
        self.interrupted = False
        self.fatal: BaseException | None = None
        self._progress: Progress | None = None
        self._limiter = AimdLimiter(concurrency)

    def _stop(self) -> None:
        """SIGINT/SIGTERM: stop taking rows and give the rows in flight `_STOP_GRACE` seconds; a second one: now."""
        if self.interrupted:
            self._stop_at = 0.0
        else:
            self._stop_at = asyncio.get_running_loop().time() + _STOP_GRACE
        self.interrupted = True
        self.stopping.set()
        self._hurry.set()

    async def _drain(self, tasks: set[asyncio.Task[None]]) -> None:
        """Wait for the rows in flight; after a stop, only until its deadline. Rows cut off stay `sent`: unknown."""
        loop = asyncio.get_running_loop()
        while tasks:
            timeout = max(0.0, self._stop_at - loop.time()) if self.interrupted else None
            self._hurry.clear()
            hurry = asyncio.ensure_future(self._hurry.wait())
            await asyncio.wait({*tasks, hurry}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            hurry.cancel()
            if self.interrupted and loop.time() >= self._stop_at:
                cut = set(tasks)
                for task in cut:
                    task.cancel()
                await asyncio.wait(cut)
                return

    async def run(self, rows: Iterable[Row]) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._stop)
        started = time.monotonic()
        tasks: set[asyncio.Task[None]] = set()
        try:
            with Progress(f"{self.spec.command}", total=self.total) as progress:
                self._progress = progress
                for row in rows:
                    if self.stopping.is_set():
                        break
                    if not self._admit(row):
                        continue
                    granted = await self._slot()
                    if granted is None:
                        break
                    task = asyncio.ensure_future(self._process(row, granted))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                await self._drain(tasks)
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            self.counts.elapsed = time.monotonic() - started
            self.counts.logins = self.client.login_count
            await self.journal.close()
            self.outputs.close()
        return self._finish()

    def _admit(self, row: Row) -> bool:
        """Settle rows that are not sent in this run; True when `row` is to be sent."""
        state = self.journal.state(row.key)
        if state == "done":
            self.counts.skipped += 1
            self.outputs.record(row, "skipped")
            self._advance(done=1)
            return False
        if state == "sent" and not self.retry_unknown:
            self.counts.unknown += 1
            self.outputs.record(
                row, "unknown", error="in flight when an earlier run stopped; --retry-unknown resends it"
            )
            self._advance(failed=1)
            return False
        if row.problem is not None or row.arguments is None:
            self._failed(row, f"bad input: {row.problem}")
            return False
        return True

    async def _slot(self) -> float | None:
        """A concurrency slot, or None when the job is stopping."""
        acquire = asyncio.ensure_future(self._limiter.acquire())
        stop = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait({acquire, stop}, return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if acquire.done() and not self.stopping.is_set():
            return acquire.result()
        if acquire.done():
            await self._limiter.release(succeeded=False)
        else:
            acquire.cancel()
        return None

    async def _process(self, row: Row, granted: float) -> None:
        assert row.arguments is not None
        try:
            await self.journal.sent(row.key)  # written before the fsync it waits for: unknown if cut off here
        except asyncio.CancelledError:
            self._cut_off(row)
            raise
        method = getattr(self.client, self.spec.method)
        rate_limited = 0
        while True:
            try:
                response = await method(**row.arguments)
            except RateLimitedError as error:
                rate_limited += 1
                self.counts.rate_limited += 1
                retry_after = error.retry_after if error.retry_after is not None else _DEFAULT_RETRY_AFTER
                await self._limiter.rate_limited(granted, retry_after)
                await self._limiter.release(succeeded=False)
                if rate_limited >= _MAX_RATE_LIMITED:
                    self._failed(row, f"rate limited {rate_limited} times (not applied): {error}")
                    return
                granted_again = await self._slot()
                if granted_again is None:  # stopping: the row was refused, so a re-run sends it
                    self._failed(row, "not sent: the job stopped while the row waited after a 429")
                    return
                granted = granted_again
                continue
            except asyncio.CancelledError:  # cut off by a stop: it may have reached the server
                self._cut_off(row)
                raise
            except Exception as error:
                await self._limiter.release(succeeded=False)
                self._settle_error(row, error)
                return
            await self._limiter.release(succeeded=True)
            self.outputs.record(row, "done", answer=payload(response.to_dict()) if self.outputs.keeps_answers else None)
            self.journal.outcome(row.key, "done")
            self.counts.done += 1
            self._advance(done=1)
            return

    def _cut_off(self, row: Row) -> None:
        self.counts.unknown += 1
        self.outputs.record(row, "unknown", error="in flight when the job was stopped")
        self._advance(failed=1)

    def _settle_error(self, row: Row, error: Exception) -> None:
        if isinstance(error, AuthenticationError) and error.operation == "login":
            self.fatal = error  # every row would fail the same way: stop
            self.stopping.set()
        may_have_applied = not self.spec.safe_to_retry and (
            (isinstance(error, APIConnectionError) and error.request_sent) or isinstance(error, ServerError)
        )
        text = error_text(error)
        if may_have_applied:  # the `sent` record stays the row's last state: unknown, for this run and the next
            self.counts.unknown += 1
            self.outputs.record(row, "unknown", error=text)
            self._advance(failed=1)
        elif isinstance(error, (PartnerAPIError, TypeError, ValueError)):
            self._failed(row, text)
        else:
            raise error

    def _failed(self, row: Row, reason: str) -> None:
        self.outputs.record(row, "failed", error=reason)
        self.journal.outcome(row.key, "failed", reason)
        self.counts.failed += 1
        self._advance(failed=1)

    def _advance(self, done: int = 0, failed: int = 0) -> None:
        if self._progress is not None:
            self._progress.advance(done=done, failed=failed)

    def _finish(self) -> int:
        import click

        from ._exit import error_line, exit_code

        click.echo(self.counts.summary(self.spec.name), err=True)
        if self.fatal is not None:
            click.echo(error_line(self.fatal), err=True)
            return exit_code(self.fatal) if exit_code(self.fatal) != OK else AUTHENTICATION
        if self.interrupted:
            click.echo(
                f"partner-api: interrupted: run the same command again to resume (journal {self.journal.path}:"
                " done rows are skipped)",
                err=True,
            )
            return INTERRUPTED
        if self.counts.unknown:
            click.echo(
                f"partner-api: {self.counts.unknown} row(s) unknown (in flight when a job stopped, or the answer was"
                " lost): check them, then re-run with --retry-unknown to send them again",
                err=True,
            )
        return OTHER if self.counts.failed or self.counts.unknown else OK


def open_outputs(output: Path | None, failed: Path | None, input_format: str, columns: list[str]) -> _Outputs:
    return _Outputs(output, failed, input_format, columns)
