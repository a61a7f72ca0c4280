"""Timing helpers shared by the benchmark sections: interleaved rounds, medians, result rows.

Every comparison runs its variants in the same process, one round of each in turn (the order reversed every
other round), so that drift on a shared, noisy machine (CPU frequency, neighbours) lands on all variants
alike. A figure is the median over rounds, after a warm-up that is not measured.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

SyncVariant = Callable[[int], object]
"""Runs `n` calls."""
AsyncVariant = Callable[[int], Awaitable[object]]


@dataclass
class Timing:
    """µs per call of one variant, one sample per round."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)


@dataclass
class Comparison:
    """Variants measured against one baseline in the same rounds."""

    baseline: str
    timings: dict[str, Timing]
    ratios: dict[str, list[float]]
    """Per round: variant / baseline (the ratio of the same round, so drift between rounds cancels)."""
    calls_per_round: int
    rounds: int
    cpu: dict[str, Timing] = field(default_factory=dict)
    """CPU time of this process (all its threads) per call, µs: the client's own cost when a server is remote."""

    def us(self, name: str) -> float:
        return self.timings[name].median

    def cpu_us(self, name: str) -> float:
        return self.cpu[name].median

    def ratio(self, name: str) -> float:
        return statistics.median(self.ratios[name])

    def as_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "calls_per_round": self.calls_per_round,
            "rounds": self.rounds,
            "us_per_call_median": {name: round(t.median, 2) for name, t in self.timings.items()},
            "us_per_call_best": {name: round(t.best, 2) for name, t in self.timings.items()},
            "ratio_median": {name: round(self.ratio(name), 4) for name in self.ratios},
            **(
                {"process_cpu_us_per_call_median": {name: round(t.median, 2) for name, t in self.cpu.items()}}
                if self.cpu
                else {}
            ),
        }


def _order(names: list[str], round_number: int) -> list[str]:
    return names if round_number % 2 == 0 else names[::-1]


def _comparison(
    baseline: str, raw: dict[str, list[float]], cpu: dict[str, list[float]], calls: int, rounds: int
) -> Comparison:
    timings = {name: Timing(samples) for name, samples in raw.items()}
    ratios = {
        name: [value / base for value, base in zip(samples, raw[baseline], strict=True)]
        for name, samples in raw.items()
        if name != baseline
    }
    return Comparison(baseline, timings, ratios, calls, rounds, {name: Timing(s) for name, s in cpu.items()})


def compare(variants: Mapping[str, SyncVariant], *, baseline: str, calls: int, rounds: int, warmup: int) -> Comparison:
    """Time `calls` calls of each variant per round, `rounds` times, interleaved."""
    names = list(variants)
    for name in names:
        variants[name](warmup)
    raw: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in _order(names, round_number):
            gc.collect()
            cpu_started, started = time.process_time(), time.perf_counter()
            variants[name](calls)
            raw[name].append((time.perf_counter() - started) / calls * 1e6)
            cpu[name].append((time.process_time() - cpu_started) / calls * 1e6)
    return _comparison(baseline, raw, cpu, calls, rounds)


async def acompare(
    variants: Mapping[str, AsyncVariant], *, baseline: str, calls: int, rounds: int, warmup: int
) -> Comparison:
    """`compare` for coroutines, inside the running event loop."""
    names = list(variants)
    for name in names:
        await variants[name](warmup)
    raw: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in _order(names, round_number):
            gc.collect()
            cpu_started, started = time.process_time(), time.perf_counter()
            await variants[name](calls)
            raw[name].append((time.perf_counter() - started) / calls * 1e6)
            cpu[name].append((time.process_time() - cpu_started) / calls * 1e6)
    return _comparison(baseline, raw, cpu, calls, rounds)


@dataclass
class Row:
    """One line of the results table."""

    section: str
    measure: str
    value: str
    goal: str = ""
    met: bool | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "measure": self.measure,
            "value": self.value,
            "goal": self.goal,
            "met": self.met,
            **({"data": self.data} if self.data else {}),
        }


def verdict(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: ""}[met]


def format_table(rows: list[Row]) -> str:
    header = ("section", "measure", "value", "goal", "met")
    lines = [(r.section, r.measure, r.value, r.goal, verdict(r.met)) for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(header)]

    def fmt(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])
