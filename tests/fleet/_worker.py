"""One process of a test fleet: `PartnerClient.from_env()` (the store from PARTNER_API_TOKEN_STORE), threads
or tasks calling `list_licenses`, a JSON report on stdout.

Protocol: prints `ready`, waits for `go` on stdin, runs `calls` calls per thread (or, with `until_stop`,
until `stop` arrives on stdin), prints one JSON line and exits. Options: a JSON object in argv[1].
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import threading
import time
from typing import Any


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
    from partner_api.token_stores import FileTokenStore, RedisTokenStore

    url = os.environ["PARTNER_API_TOKEN_STORE"]
    if url.startswith("file://"):
        return {"token_store": FileTokenStore(url[len("file://") :], **extra)}
    return {"token_store": RedisTokenStore.from_url(url, **extra)}


def main() -> None:
    options: dict[str, Any] = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
    if options.get("clock_shift"):  # this host's wall clock is off by that many seconds
        import time_machine

        time_machine.travel(time.time() + float(options["clock_shift"]), tick=True).start()
    threads, calls = int(options.get("threads", 8)), int(options.get("calls", 10))
    interval = float(options.get("interval", 0.0))
    warnings = _Count()
    logging.getLogger("partner_api").addHandler(warnings)
    logging.getLogger("partner_api").setLevel(logging.INFO)
    from partner_api import AsyncPartnerClient, PartnerClient

    client_options = {"max_retries": int(options.get("max_retries", 2)), **_store(options)}
    stop = threading.Event()
    ok: list[int] = []
    failures: list[str] = []
    first: list[float] = []
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
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
            sys.stdin.readline()
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
            sys.stdin.readline()
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
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
