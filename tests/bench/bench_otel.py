"""Section 1, observability: what OpenTelemetry costs a call, with the mocked getUser loop of `bench_cpu`.

Variants, interleaved in the same rounds against raw httpx (the section's baseline), sync and async:
- `no OpenTelemetry`: the client with the OpenTelemetry API modules out of `sys.modules` while the variant runs
  (what a process without the `[otel]` extra, or one that never imported it, runs);
- `API, no SDK`: the API imported, no provider set (what a process with the extra and no SDK runs): the goal is
  that this adds at most 0.01 to the client / raw ratio (the no-op tracer's cost);
- `in-memory SDK`: the SDK's TracerProvider (SimpleSpanProcessor + InMemorySpanExporter, cleared every run) and
  MeterProvider (InMemoryMetricReader) given to the client: 2 spans, a counter and a histogram point per call.
The logger stays at WARNING throughout (an INFO `partner_api` logger observes calls too, by design).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import sys
import time
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import bench_cpu
import httpx
import opentelemetry.metrics
import opentelemetry.trace
from bench_common import Comparison, Row, _comparison, acompare, compare
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from partner_api import AsyncPartnerClient, PartnerClient

NOOP_GOAL = 0.01
VARIANTS = ("raw", "no OpenTelemetry", "API, no SDK", "in-memory SDK", "no OpenTelemetry, again")
"""The last one runs the first client variant again: what it "adds" is the comparison's own noise (an A/A test)."""
_API_MODULES = ("opentelemetry.trace", "opentelemetry.metrics._internal")


@contextmanager
def api_unloaded() -> Iterator[None]:
    """The OpenTelemetry API as if never imported, for the client's check (the module objects live on)."""
    saved = {name: sys.modules.pop(name) for name in _API_MODULES}
    try:
        yield
    finally:
        sys.modules.update(saved)


class InMemorySDK:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider(shutdown_on_exit=False)
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)

    def shutdown(self) -> None:
        self.tracer_provider.shutdown()
        self.meter_provider.shutdown()


BATCH = 50
"""Calls in one batch of `fine_compare`."""


def _orders(names: list[str]) -> list[list[str]]:
    """Every rotation of `names`, each also reversed: each variant takes each place, beside each other one."""
    rotations = [names[i:] + names[:i] for i in range(len(names))]
    return rotations + [order[::-1] for order in rotations]


class _Turns:
    """The schedule and the clocks of `fine_compare`: a round runs its calls in batches of `BATCH`, the variants
    taking turns batch by batch in every order (`_orders`); each turn is timed (wall and CPU) and each round's time
    per call recorded."""

    def __init__(self, names: list[str], calls: int) -> None:
        self.names, self.batches = names, calls // BATCH
        self.wall: dict[str, list[float]] = {name: [] for name in names}
        self.cpu: dict[str, list[float]] = {name: [] for name in names}
        self._spent = dict.fromkeys(names, 0.0)
        self._used = dict.fromkeys(names, 0.0)

    def __call__(self, rounds: int) -> Iterator[str]:
        """The variant of each turn, in order; the round's times are recorded as it ends."""
        orders = _orders(self.names)
        for _ in range(rounds):
            self._spent, self._used = dict.fromkeys(self.names, 0.0), dict.fromkeys(self.names, 0.0)
            gc.collect()
            for batch in range(self.batches):
                yield from orders[batch % len(orders)]
            done = self.batches * BATCH
            for name in self.names:
                self.wall[name].append(self._spent[name] / done * 1e6)
                self.cpu[name].append(self._used[name] / done * 1e6)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        cpu_started, started = time.process_time(), time.perf_counter()
        yield
        self._spent[name] += time.perf_counter() - started
        self._used[name] += time.process_time() - cpu_started


def fine_compare(variants: dict[str, Any], *, baseline: str, calls: int, rounds: int, warmup: int) -> Comparison:
    """`bench_common.compare`, interleaved finer (`_Turns`), so drift within a round falls on all variants alike.
    Needed for a difference of a few tenths of a per cent on a shared machine, where whole-round turns leave a bias
    of that size (the A/A row shows what is left)."""
    for name in variants:
        variants[name](warmup)
    turns = _Turns(list(variants), calls)
    for name in turns(rounds):
        with turns.timed(name):
            variants[name](BATCH)
    return _comparison(baseline, turns.wall, turns.cpu, calls, rounds)


async def afine_compare(variants: dict[str, Any], *, baseline: str, calls: int, rounds: int, warmup: int) -> Comparison:
    """`fine_compare` for coroutines, inside the running event loop."""
    for name in variants:
        await variants[name](warmup)
    turns = _Turns(list(variants), calls)
    for name in turns(rounds):
        with turns.timed(name):
            await variants[name](BATCH)
    return _comparison(baseline, turns.wall, turns.cpu, calls, rounds)


def _check_no_global_sdk() -> None:
    assert opentelemetry.trace._TRACER_PROVIDER is None, "the bench needs a process without a global SDK"
    assert opentelemetry.metrics._internal._METER_PROVIDER is None


def run_sync(calls: int, rounds: int, warmup: int, variants: tuple[str, ...]) -> tuple[Comparison, int]:
    _check_no_global_sdk()
    sdk = InMemorySDK()
    transport = httpx.MockTransport(bench_cpu.handler)
    raw = httpx.Client(base_url=bench_cpu.BASE_URL, transport=transport, headers=bench_cpu._bearer())
    plain = bench_cpu.mock_client()
    traced = PartnerClient(
        bench_cpu.BASE_URL, "bench", "bench-key", http_client=httpx.Client(transport=transport),
        tracer_provider=sdk.tracer_provider, meter_provider=sdk.meter_provider,
    )  # fmt: skip

    def loop(call: Callable[[], Any]) -> Callable[[int], None]:
        def run(n: int) -> None:
            for _ in range(n):
                call()

        return run

    def without_api(n: int) -> None:
        with api_unloaded():
            for _ in range(n):
                plain.get_user(user_id=42)

    def no_sdk(n: int) -> None:
        for _ in range(n):
            plain.get_user(user_id=42)

    def in_memory(n: int) -> None:
        sdk.exporter.clear()
        for _ in range(n):
            traced.get_user(user_id=42)

    every = {
        VARIANTS[0]: loop(lambda: raw.post(bench_cpu.PATH, json={"user_id": 42}).raise_for_status().json()),
        VARIANTS[1]: without_api,
        VARIANTS[2]: no_sdk,
        VARIANTS[3]: in_memory,
        VARIANTS[4]: without_api,
    }
    with raw, plain, traced:
        chosen = {name: every[name] for name in variants}
        measure = fine_compare if VARIANTS[3] not in chosen else compare
        result = measure(chosen, baseline=VARIANTS[0], calls=calls, rounds=rounds, warmup=warmup)
        spans = len(sdk.exporter.get_finished_spans())
    sdk.shutdown()
    return result, spans


async def _run_async(calls: int, rounds: int, warmup: int, variants: tuple[str, ...]) -> tuple[Comparison, int]:
    _check_no_global_sdk()
    sdk = InMemorySDK()
    transport = httpx.MockTransport(bench_cpu.handler)
    raw = httpx.AsyncClient(base_url=bench_cpu.BASE_URL, transport=transport, headers=bench_cpu._bearer())
    plain = bench_cpu.mock_async_client()
    traced = AsyncPartnerClient(
        bench_cpu.BASE_URL, "bench", "bench-key", http_client=httpx.AsyncClient(transport=transport),
        tracer_provider=sdk.tracer_provider, meter_provider=sdk.meter_provider,
    )  # fmt: skip

    async def raw_calls(n: int) -> None:
        for _ in range(n):
            (await raw.post(bench_cpu.PATH, json={"user_id": 42})).raise_for_status().json()

    async def without_api(n: int) -> None:
        with api_unloaded():
            for _ in range(n):
                await plain.get_user(user_id=42)

    async def no_sdk(n: int) -> None:
        for _ in range(n):
            await plain.get_user(user_id=42)

    async def in_memory(n: int) -> None:
        sdk.exporter.clear()
        for _ in range(n):
            await traced.get_user(user_id=42)

    every = {
        VARIANTS[0]: raw_calls, VARIANTS[1]: without_api, VARIANTS[2]: no_sdk, VARIANTS[3]: in_memory,
        VARIANTS[4]: without_api,
    }  # fmt: skip
    async with raw, plain, traced:
        chosen = {name: every[name] for name in variants}
        ameasure = afine_compare if VARIANTS[3] not in chosen else acompare
        result = await ameasure(chosen, baseline=VARIANTS[0], calls=calls, rounds=rounds, warmup=warmup)
        spans = len(sdk.exporter.get_finished_spans())
    sdk.shutdown()
    return result, spans


def run_async(calls: int, rounds: int, warmup: int, variants: tuple[str, ...]) -> tuple[Comparison, int]:
    return asyncio.run(_run_async(calls, rounds, warmup, variants))


def added(result: Comparison, variant: str) -> tuple[float, float]:
    """What `variant` adds to the client / raw ratio of `no OpenTelemetry`, by CPU time and by wall time: the
    median of the per-round differences (the variants ran in the same round, so drift between rounds cancels)."""
    found = []
    for timings in (result.cpu, result.timings):
        base, off, on = (timings[name].samples for name in (VARIANTS[0], VARIANTS[1], variant))
        found.append(statistics.median((b - a) / r for r, a, b in zip(base, off, on, strict=True)))
    return found[0], found[1]


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    """The no-op cost from its own comparison (raw, no OpenTelemetry, API without SDK: more rounds, nothing else
    in between), the in-memory SDK's from another (its garbage stays out of the no-op figures)."""
    calls, rounds, warmup = (400, 5, 200) if quick else (2000, 21, 500)
    out: list[Row] = []
    details: dict[str, Any] = {}
    for kind, run in (("sync", run_sync), ("async", run_async)):
        noop, _ = run(calls, rounds, warmup, (*VARIANTS[:3], VARIANTS[4]))
        sdk, spans = run(calls // 2, max(rounds // 2, 5), warmup, (VARIANTS[0], VARIANTS[1], VARIANTS[3]))
        details[f"{kind}_otel_noop"] = noop.as_dict()
        details[f"{kind}_otel_sdk"] = {**sdk.as_dict(), "spans_last_run": spans}
        cpu, wall = added(noop, VARIANTS[2])
        same_cpu, same_wall = added(noop, VARIANTS[4])
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: client / raw without OpenTelemetry / with the API, no SDK (wall)",
                f"{noop.ratio(VARIANTS[1]):.3f} / {noop.ratio(VARIANTS[2]):.3f}",
            )
        )
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: OpenTelemetry API without SDK (no-op tracer): added to client / raw, CPU (wall); A/A",
                f"{cpu:+.4f} ({wall:+.4f}); the same client twice: {same_cpu:+.4f} ({same_wall:+.4f})",
                f"<= +{NOOP_GOAL}",
                cpu <= NOOP_GOAL,
            )
        )
        cpu, wall = added(sdk, VARIANTS[3])
        extra_us = sdk.cpu_us(VARIANTS[3]) - sdk.cpu_us(VARIANTS[1])
        out.append(
            Row(
                "1 mock CPU",
                f"{kind}: in-memory SDK (2 spans, 2 metric points a call): added to client / raw, CPU (wall); CPU µs",
                f"{cpu:+.3f} ({wall:+.3f}); {extra_us:+.1f} µs a call ({spans} spans in the last run)",
            )
        )
    none, api = check_cost()
    out.append(
        Row("1 mock CPU", "the client's check for an SDK, ns a call: without OpenTelemetry / API, no SDK",
            f"{none:.0f} / {api:.0f}")
    )  # fmt: skip
    return out, details


def check_cost(number: int = 200_000, repeat: int = 7) -> tuple[float, float]:
    """What the one step that differs between the two no-SDK variants costs by itself (`Observer.call` with the
    logger at WARNING), best of `repeat`, in ns."""
    from partner_api._observe import Observer

    observer = Observer()

    def best() -> float:
        return min(timeit.repeat(lambda: observer.call("getUser", bench_cpu.PATH), number=number, repeat=repeat))

    with api_unloaded():
        without = best()
    return without / number * 1e9, best() / number * 1e9
