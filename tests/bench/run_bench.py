"""`make bench`: the client's cost against raw httpx, logins under load, import cost, generation time.

Usage: python tests/bench/run_bench.py [--quick] [--sections 1,2,3,4,5,6,7] [--output bench-results.json]
                                       [--profile sync|async]

Prints one table and writes it, with every sample, to `--output` (JSON). Each figure is the median of several
repetitions after a warm-up; each comparison runs its variants alternately in the same process, so machine
noise falls on both. Sections (see each module's docstring):
  1 bench_cpu       client CPU per call with httpx.MockTransport: PartnerClient / AsyncPartnerClient vs raw httpx;
    bench_otel      and what OpenTelemetry adds: the API without SDK (no-op), an in-memory SDK
  2 bench_loopback  the same over loopback against the sandbox (uvicorn) in a child process, 1 and 16 callers
  3 bench_logins    logins: cold start 64 threads x 50 calls and 1000 tasks; 3 short token lifetimes
  4 bench_startup   `import partner_api` vs `import httpx` in fresh processes
  5 bench_startup   generator/generate.py wall time and the size of generated/
  6 bench_fleet     8 processes sharing a token through Redis vs none: logins, time to first call; per-call CPU
  7 bench_cli       `partner-api` start-up vs HTTPie; `partner-api bulk` vs a hand-written asyncio+httpx loop
`--profile` prints a pyinstrument profile of 20 000 mocked getUser calls instead (where the client's time goes).
Benchmarks report; they assert nothing, and pytest does not collect this folder.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import bench_cpu
import bench_startup
from bench_common import Row, format_table


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
    }


def _progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(sections: set[int], quick: bool) -> tuple[list[Row], dict[str, Any]]:
    rows: list[Row] = []
    details: dict[str, Any] = {}
    if 1 in sections:
        _progress("1: client CPU per call, MockTransport")
        section_rows, details["1_mock_cpu"] = bench_cpu.rows(quick)
        rows += section_rows
        _progress("1: what OpenTelemetry costs a call: none, the API without SDK (no-op), an in-memory SDK")
        import bench_otel

        section_rows, details["1_otel"] = bench_otel.rows(quick)
        rows += section_rows
    if sections & {2, 3}:
        try:
            import bench_logins
            import bench_loopback
            from partner_api.sandbox import SandboxProcess
        except ImportError as exc:  # the sandbox extra is part of the dev environment; say so if it is missing
            rows.append(Row("2-3", "sandbox unavailable", f"skipped: {exc}"))
        else:
            _progress("2-3: starting the sandbox in a child process")
            with SandboxProcess(admin=True, token_ttl=3600) as sandbox:
                user_id = bench_loopback.create_bench_user(sandbox)
                if 2 in sections:
                    _progress("2: loopback, 1 and 16 callers, sync and async")
                    section_rows, details["2_loopback"] = bench_loopback.rows(sandbox, user_id, quick)
                    rows += section_rows
                if 3 in sections:
                    _progress("3: logins (cold starts, then 3 short token lifetimes)")
                    section_rows, details["3_logins"] = bench_logins.rows(sandbox, user_id, quick)
                    rows += section_rows
    if sections & {4, 5}:
        _progress("4-5: import cost in fresh processes, generator wall time")
        section_rows, details["4_5_startup"] = bench_startup.rows(quick)
        rows += [row for row in section_rows if int(row.section[0]) in sections]
    if 6 in sections:
        _progress("6: a fleet of 8 processes with and without a Redis store; per-call CPU with the store")
        import bench_fleet

        section_rows, details["6_fleet"] = bench_fleet.rows(quick)
        rows += section_rows
    if 7 in sections:
        _progress("7: the command line: start-up vs HTTPie, bulk vs a hand-written loop (sandbox in a child process)")
        import bench_cli

        section_rows, details["7_cli"] = bench_cli.rows(quick)
        rows += section_rows
    return rows, details


def profile(kind: str) -> None:
    from pyinstrument import Profiler

    calls = 20_000
    profiler = Profiler(interval=0.0002)
    if kind == "sync":
        with bench_cpu.mock_client() as client:
            client.get_user(user_id=42)
            profiler.start()
            for _ in range(calls):
                client.get_user(user_id=42)
            profiler.stop()
    else:

        async def main() -> None:
            async with bench_cpu.mock_async_client() as client:
                await client.get_user(user_id=42)
                profiler.start()
                for _ in range(calls):
                    await client.get_user(user_id=42)
                profiler.stop()

        asyncio.run(main())
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run, figures are rough)")
    parser.add_argument("--sections", default="1,2,3,4,5,6,7", help="comma-separated section numbers")
    parser.add_argument("--output", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--profile", choices=["sync", "async"], help="print a profile of the mocked hot path")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    sections = {int(part) for part in args.sections.split(",") if part.strip()}
    info = machine()
    started = time.perf_counter()
    rows, details = run(sections, args.quick)
    elapsed = time.perf_counter() - started
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    info["load_average_at_end"] = [round(x, 2) for x in load] if load else None
    table = format_table(rows)
    goals = [row.met for row in rows if row.met is not None]
    summary = f"{sum(goals)} of {len(goals)} goals met; {elapsed:.0f} s"
    print(
        f"Python {info['python']} on {info['platform']}, {info['cpus']} CPUs ({info['cpu_model'] or 'unknown model'}), "
        f"load average {info['load_average_at_start']} -> {info['load_average_at_end']}"
    )
    print(table)
    print(summary + (" (--quick: rough figures)" if args.quick else ""))
    document = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "seconds": round(elapsed, 1),
        "machine": info,
        "summary": summary,
        "table": table,
        "rows": [row.as_dict() for row in rows],
        "details": details,
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
