"""One process of a fleet: `PartnerClient.from_env()` (the store from PARTNER_API_TOKEN_STORE), threads or tasks
calling `list_licenses`, a report at the end.

Protocol: says `ready`, waits for `go`, runs `calls` calls per thread (or, with `until_stop`, until `stop` comes),
reports and ends. Two ways to run it, one protocol:
- `serve(options, environ, connection)`: a process that the fleet tests fork from a server that has imported this
  module, the client and the stores once (tests/fleet/conftest.py); messages over a multiprocessing connection.
- `python _worker.py OPTIONS_JSON` (the benchmarks): a fresh interpreter; lines on stdin and stdout, the report one
  JSON line.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

# What every fleet process needs, imported here so that the server the tests fork from imports it once.
import partner_api.token_stores._redis  # noqa: F401 - RedisTokenStore.from_url imports it on first use
from partner_api import AsyncPartnerClient, PartnerClient
from partner_api.token_stores import FileTokenStore, RedisTokenStore


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _store(options: dict[str, Any]) -> dict[str, Any]:
    """Store options a test sets beyond the URL (the lock's TTL); otherwise from_env reads the URL itself."""
    extra = {key: options[key] for key in ("lock_ttl", "fleet_rate_limit") if key in options}
    if not extra:
        return {}
    url = os.environ["PARTNER_API_TOKEN_STORE"]
    if url.startswith("file://"):
        return {"token_store": FileTokenStore(url[len("file://") :], **extra)}
    return {"token_store": RedisTokenStore.from_url(url, **extra)}


def run(options: dict[str, Any], receive: Callable[[], str], send: Callable[[Any], None]) -> None:
    """The worker's life: `send("ready")`, `receive()` "go", the calls (until `receive()` gives "stop", with
    `until_stop`), then `send(report)`."""
    if options.get("clock_shift"):  # this host's wall clock is off by that many seconds
        import time_machine

        time_machine.travel(time.time() + float(options["clock_shift"]), tick=True).start()
    threads, calls = int(options.get("threads", 8)), int(options.get("calls", 10))
    interval = float(options.get("interval", 0.0))
    warnings = _Count()
    logging.getLogger("partner_api").addHandler(warnings)
    logging.getLogger("partner_api").setLevel(logging.INFO)
    client_options = {"max_retries": int(options.get("max_retries", 2)), **_store(options)}
    stop = threading.Event()
    ok: list[int] = []
    failures: list[str] = []
    first: list[float] = []
    send("ready")
    if receive() != "go":
        return
    started = time.monotonic()

    def record(error: BaseException | None) -> None:
        if error is None:
            ok.append(1)
            if not first:
                first.append(time.monotonic() - started)
        else:
            failures.append(f"{type(error).__name__}: {error}")

    def keep_going(done: int) -> bool:
        return not stop.is_set() if options.get("until_stop") else done < calls

    if options.get("mode") == "async":

        async def run() -> int:
            async with AsyncPartnerClient.from_env(**client_options) as client:

                async def task() -> None:
                    done = 0
                    while keep_going(done):
                        try:
                            await client.list_licenses()
                            record(None)
                        except Exception as error:
                            record(error)
                        done += 1
                        await asyncio.sleep(interval)

                await asyncio.gather(*(task() for _ in range(threads)))
                return client.login_count

        def run_in_thread(result: list[int]) -> None:
            result.append(asyncio.run(run()))

        result: list[int] = []
        runner = threading.Thread(target=run_in_thread, args=(result,))
        runner.start()
        if options.get("until_stop"):
            receive()
            stop.set()
        runner.join()
        logins = result[0] if result else -1
    else:
        client = PartnerClient.from_env(**client_options)

        def worker() -> None:
            done = 0
            while keep_going(done):
                try:
                    client.list_licenses()
                    record(None)
                except Exception as error:
                    record(error)
                done += 1
                if interval:
                    time.sleep(interval)

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        for thread in pool:
            thread.start()
        if options.get("until_stop"):
            receive()
            stop.set()
        for thread in pool:
            thread.join()
        logins = client.login_count
        client.close()
    report = {
        "ok": len(ok),
        "failures": failures[:20],
        "failed": len(failures),
        "logins": logins,
        "first_call": first[0] if first else None,
        "warnings": warnings.messages,
        "pid": os.getpid(),
    }
    send(report)


def serve(options: dict[str, Any], environ: dict[str, str], connection: Connection) -> None:
    """A forked fleet process: a session of its own (the tests end it with its group), exactly `environ` as its
    environment, and `run` over `connection`."""
    os.setsid()
    os.environ.clear()
    os.environ.update(environ)

    def receive() -> str:
        try:
            return str(connection.recv())
        except EOFError:  # the test went away: stop, as on "stop"
            return "stop"

    try:
        run(options, receive, connection.send)
    except OSError:  # the test went away before the report
        pass
    finally:
        connection.close()


def main() -> None:
    """A fresh interpreter: options in argv[1], messages as lines on stdin and stdout."""

    def send(message: Any) -> None:
        print(message if isinstance(message, str) else json.dumps(message), flush=True)

    options: dict[str, Any] = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    run(options, lambda: sys.stdin.readline().strip(), send)


if __name__ == "__main__":
    main()
