"""The bulk job: one call per input row on one `AsyncPartnerClient`, bounded and adaptive concurrency, a durable
journal, outcomes in `--output` / `--failed`, a clean stop on SIGINT/SIGTERM, and a wait when the API is away.

What is safe to send again follows the client's rules: a read always; a mutation only when it provably never
took effect: bad input (refused before sending), an error answer from the API (NOT_FOUND, ...), a 429
(TOO_MANY_REQUESTS: refused, resent after Retry-After), or a request that never left (the connection or the
login before it failed). A mutation whose answer was lost (timeout, dropped connection, 5xx) is `unknown` and is
resent only with `--retry-unknown`.

When the API cannot be reached (connection refused, a login answered 5xx):
- before it has answered anything in this run (the first requests, or the job's first login), the job stops at
  once: exit 7, the rows stay pending for the next run;
- later (a connection lost mid-job), the rows wait and one row at a time tries again after a growing back-off,
  for at most `--max-outage` seconds; then the job stops the same way. Logins go one at a time for the whole job,
  and after a failed one none is sent until the next try (`LoginGate`).
A row whose request never left is never `unknown`: its journal line says `not_sent`, and it is pending again.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import signal
import time
from collections.abc import Iterable
from typing import Any, TypeGuard

from .._client import AsyncPartnerClient
from .._exceptions import APIConnectionError, AuthenticationError, PartnerAPIError, RateLimitedError, ServerError
from ._bulk_client import LoginGate, LoginHeld
from ._bulk_outputs import Outputs
from ._exit import INTERRUPTED, OK, OTHER, error_line, error_text, exit_code
from ._journal import Journal
from ._limiter import AimdLimiter
from ._logging import job_logger
from ._output import payload
from ._progress import Progress
from ._rows import Row
from ._spec import OperationSpec

__all__ = ["BulkJob", "Counts"]

_DEFAULT_RETRY_AFTER = 1.0
_MAX_RATE_LIMITED = 50  # 429s for one row before it is reported failed (not sent: a re-run sends it)
_STOP_GRACE = 30.0  # seconds in-flight rows get to finish after SIGINT/SIGTERM
_FIRST_BACKOFF = 0.5  # seconds before the first try after the API went away; doubled each time, up to:
_MAX_BACKOFF = 8.0
_SHOWN_FAILURES = 5  # failures listed on stderr at the end; all of them are in the failed file


@dataclasses.dataclass
class Counts:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    unknown: int = 0
    pending: int = 0
    rate_limited: int = 0
    logins: int = 0
    elapsed: float = 0.0

    def summary(self, command: str) -> str:
        sent = self.done + self.failed
        rate = sent / self.elapsed if self.elapsed > 0 else 0.0
        return (
            f"bulk {command}: {self.done} done, {self.failed} failed, {self.skipped} skipped, {self.unknown} unknown, "
            f"{self.pending} pending; {self.logins} login(s), {self.rate_limited} rate-limited (429); "
            f"{self.elapsed:.1f} s, {rate:.1f} rows/s"
        )


@dataclasses.dataclass
class _Outage:
    """The API stopped answering (after it had answered in this run): rows wait, one probes after `next_at`."""

    started: float
    next_at: float
    error: PartnerAPIError
    """The last failure the API caused (not a login the gate held back): the error the job stops with."""
    tries: int = 0
    probing: bool = False
    changed: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)

    def wake(self) -> None:
        self.changed.set()
        self.changed = asyncio.Event()


class BulkJob:
    """Runs `spec` once per row; `run()` returns the exit status after printing the summary."""

    def __init__(
        self, spec: OperationSpec, client: AsyncPartnerClient, journal: Journal, outputs: Outputs,
        *, concurrency: int, retry_unknown: bool, total: int | None, gate: LoginGate | None = None,
        max_outage: float = 60.0,
    ) -> None:  # fmt: skip
        self.spec = spec
        self.client = client
        self.journal = journal
        self.outputs = outputs
        self.concurrency = concurrency
        self.retry_unknown = retry_unknown
        self.total = total
        self.gate = gate
        self.max_outage = max_outage
        self.counts = Counts()
        self.stopping = asyncio.Event()
        self._hurry = asyncio.Event()
        self._stop_at = 0.0
        self.interrupted = False
        self.fatal: BaseException | None = None
        self._progress: Progress | None = None
        self._limiter = AimdLimiter(concurrency)
        self._answered = False
        """The API has answered something in this run: a later failure to connect is an outage, not a wrong URL."""
        self._outage: _Outage | None = None
        self._shown: list[tuple[int, str]] = []
        """The failed and unknown rows of the lowest line numbers (`_SHOWN_FAILURES` at most), for stderr."""
        self._log = job_logger()

    # ---- stopping ----
    def _stop(self) -> None:
        """SIGINT/SIGTERM: stop taking rows and give the rows in flight `_STOP_GRACE` seconds; a second one: now."""
        if self.interrupted:
            self._stop_at = 0.0
        else:
            self._stop_at = asyncio.get_running_loop().time() + _STOP_GRACE
        self.interrupted = True
        self._halt()

    def _halt(self) -> None:
        self.stopping.set()
        self._hurry.set()
        if self._outage is not None:
            self._outage.wake()

    def _give_up(self, error: BaseException) -> None:
        """Every row would fail the same way (a refused login, an API that cannot be reached): stop."""
        if self.fatal is None:
            self.fatal = error
        self._halt()

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
            with Progress(self.spec.command, total=self.total) as progress:
                self._progress = progress
                if await self._first_login():
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

    async def _first_login(self) -> bool:
        """Log in before the first row (or take the token store's token): a job whose login fails stops here."""
        try:
            await self.client.login()
        except PartnerAPIError as error:
            self._log.info("the first login failed: %s", error_text(error))
            self._give_up(error)
            return False
        self._answered = self.client.login_count > 0
        return True

    def _admit(self, row: Row) -> bool:
        """Settle rows that are not sent in this run; True when `row` is to be sent."""
        state = self.journal.state(row.key)
        if state == "done":
            self.counts.skipped += 1
            self.outputs.record(row, "skipped")
            if self._progress is not None:
                self._progress.skip()
            return False
        if state == "sent" and not self.retry_unknown:
            self._unknown(row, "in flight when an earlier run stopped; --retry-unknown resends it")
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

    async def _until(self, waiting: Any) -> None:
        """Wait for `waiting` (an awaitable), or until the job stops."""
        task = asyncio.ensure_future(waiting)
        stop = asyncio.ensure_future(self.stopping.wait())
        try:
            await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            task.cancel()
            stop.cancel()

    async def _turn(self) -> bool | None:
        """Before sending: None while the API is reachable; during an outage, wait for this row's turn to try it
        (True); False when the job stops meanwhile."""
        loop = asyncio.get_running_loop()
        while self._outage is not None and not self.stopping.is_set():
            outage = self._outage
            if outage.probing:
                await self._until(outage.changed.wait())
                continue
            outage.probing = True
            await self._until(asyncio.sleep(max(0.0, outage.next_at - loop.time())))
            if self.stopping.is_set():
                outage.probing = False
                return False
            if self.gate is not None:
                self.gate.allow_login()
            return True
        return False if self.stopping.is_set() else None

    async def _process(self, row: Row, granted: float) -> None:
        assert row.arguments is not None
        method = getattr(self.client, self.spec.method)
        rate_limited = 0
        while True:
            probe = await self._turn()
            if probe is False:
                await self._limiter.release(succeeded=False)
                self._pending(row)
                return
            try:
                await self.journal.sent(row.key)  # written before the fsync it waits for
            except asyncio.CancelledError:
                self._pending(row)
                raise
            try:
                response = await method(**row.arguments)
            except RateLimitedError as error:
                self._reachable()
                rate_limited += 1
                self.counts.rate_limited += 1
                if self._progress is not None:
                    self._progress.rate_limited(self.counts.rate_limited)
                retry_after = error.retry_after if error.retry_after is not None else _DEFAULT_RETRY_AFTER
                self._log.info("429 for line %d: every row pauses %.1f s", row.number, retry_after)
                await self._limiter.rate_limited(granted, retry_after)
                await self._limiter.release(succeeded=False)
                if rate_limited >= _MAX_RATE_LIMITED:
                    self._failed(row, f"rate limited {rate_limited} times (not applied): {error_text(error)}")
                    return
                granted_again = await self._slot()
                if granted_again is None:  # stopping: the row was refused, so it is pending
                    self._pending(row)
                    return
                granted = granted_again
                continue
            except asyncio.CancelledError:  # cut off by a stop: it may have reached the server
                self._unknown(row, "in flight when the job was stopped")
                raise
            except Exception as error:
                if self._never_sent(error):
                    if await self._unreachable(row, error, bool(probe)):
                        continue
                    await self._limiter.release(succeeded=False)
                    return
                self._reachable()
                await self._limiter.release(succeeded=False)
                self._settle_error(row, error)
                return
            self._reachable()
            await self._limiter.release(succeeded=True)
            self.outputs.record(
                row, "done", answer=payload(response.to_dict(), self.spec) if self.outputs.keeps_answers else None
            )
            self.journal.outcome(row.key, "done")
            self.counts.done += 1
            self._advance(done=1)
            return

    def _never_sent(self, error: Exception) -> TypeGuard[PartnerAPIError]:
        """The operation's request provably never left: its connection, or the login before it, failed."""
        if not isinstance(error, PartnerAPIError) or isinstance(error, RateLimitedError):
            return False
        if error.operation != self.spec.name:
            return True  # the login failed: the operation was not sent
        return isinstance(error, APIConnectionError) and not error.request_sent

    async def _unreachable(self, row: Row, error: PartnerAPIError, probe: bool) -> bool:
        """A row whose request never left: pending again; True to try it again (after the back-off)."""
        self.journal.outcome(row.key, "not_sent")
        if isinstance(error, AuthenticationError) or not self._answered:
            self._give_up(error)  # wrong credentials, or an API that never answered in this run
            self._pending(row)
            return False
        loop = asyncio.get_running_loop()
        now = loop.time()
        outage = self._outage
        if outage is None:
            outage = self._outage = _Outage(started=now, next_at=now + _FIRST_BACKOFF, error=error)
            if self._progress is not None:
                self._progress.status("waiting for the API")
            self._log.info("the API stopped answering (%s): rows wait, one tries again with back-off for up to "
                           "%.0f s", error_text(error), self.max_outage)  # fmt: skip
        if not isinstance(error.__cause__, LoginHeld):
            outage.error = error
        if probe:
            outage.tries += 1
            outage.probing = False
            backoff = min(_MAX_BACKOFF, _FIRST_BACKOFF * 2**outage.tries) * random.uniform(0.75, 1.0)  # noqa: S311
            outage.next_at = now + backoff
            self._log.info("try %d failed (%s): next in %.1f s", outage.tries, error_text(error), backoff)
            outage.wake()
        if now - outage.started >= self.max_outage:
            self._log.info("no answer for %.0f s: the job stops", now - outage.started)
            self._give_up(outage.error)
        if self.stopping.is_set():
            self._pending(row)
            return False
        return True

    def _reachable(self) -> None:
        """An answer came back: the API is there (again)."""
        self._answered = True
        if self.gate is not None:
            self.gate.allow_login()
        if self._outage is not None:
            outage, self._outage = self._outage, None
            if self._progress is not None:
                self._progress.status("")
            self._log.info("the API answers again after %d tries", outage.tries)
            outage.wake()

    def _settle_error(self, row: Row, error: Exception) -> None:
        if isinstance(error, AuthenticationError) and error.operation != self.spec.name:
            self._give_up(error)
        may_have_applied = not self.spec.safe_to_retry and (
            (isinstance(error, APIConnectionError) and error.request_sent) or isinstance(error, ServerError)
        )
        text = error_text(error, columns=True)
        if may_have_applied:  # the `sent` record stays the row's last state: unknown, for this run and the next
            self._unknown(row, text)
        elif isinstance(error, (PartnerAPIError, TypeError, ValueError)):
            self._failed(row, text)
        else:
            raise error

    def _pending(self, row: Row) -> None:
        """Not sent in this run: its journal line, if any, says `not_sent`; the next run sends it."""
        if self.journal.state(row.key) == "sent":
            self.journal.outcome(row.key, "not_sent")
        self.counts.pending += 1

    def _unknown(self, row: Row, reason: str) -> None:
        self.counts.unknown += 1
        self.outputs.record(row, "unknown", error=reason)
        self._remember(row, "unknown", reason)
        self._advance(unknown=1)

    def _failed(self, row: Row, reason: str) -> None:
        self.outputs.record(row, "failed", error=reason)
        self.journal.outcome(row.key, "failed", reason)
        self.counts.failed += 1
        self._remember(row, "failed", reason)
        self._advance(failed=1)

    def _remember(self, row: Row, status: str, reason: str) -> None:
        if len(self._shown) < _SHOWN_FAILURES or row.number < self._shown[-1][0]:
            self._shown = sorted([*self._shown, (row.number, f"  line {row.number}: {status}: {reason}")])
            del self._shown[_SHOWN_FAILURES:]

    def _advance(self, done: int = 0, failed: int = 0, unknown: int = 0) -> None:
        if self._progress is not None:
            self._progress.advance(done=done, failed=failed, unknown=unknown)

    def _finish(self) -> int:
        import click

        counts = self.counts
        if self.total is not None:  # rows the job never reached are pending too
            counts.pending = self.total - counts.done - counts.failed - counts.skipped - counts.unknown
        click.echo(counts.summary(self.spec.command), err=True)
        bad = counts.failed + counts.unknown
        if bad:
            first = f", the first {len(self._shown)}" if bad > len(self._shown) else ""
            click.echo(f"partner-api: {bad} row(s) failed or unknown{first}:", err=True)
            for _number, line in self._shown:
                click.echo(line, err=True)
            click.echo(f"partner-api: every one, with its reason: {self.outputs.failed_path} (an input again: "
                       "--input it once fixed)", err=True)  # fmt: skip
        if self.fatal is not None:
            click.echo(error_line(self.fatal), err=True)
            if counts.pending:
                click.echo(f"partner-api: {counts.pending} row(s) not sent: run the same command again once the API "
                           f"answers (journal {self.journal.path})", err=True)  # fmt: skip
            code = exit_code(self.fatal)
            return code if code != OK else OTHER
        if self.interrupted:
            click.echo(
                f"partner-api: interrupted: run the same command again to resume (journal {self.journal.path}:"
                " done rows are skipped)",
                err=True,
            )
            return INTERRUPTED
        if counts.unknown:
            click.echo(
                f"partner-api: {counts.unknown} row(s) unknown (in flight when a job stopped, or the answer was"
                " lost): check them, then re-run with --retry-unknown to send them again",
                err=True,
            )
        return OTHER if bad else OK
