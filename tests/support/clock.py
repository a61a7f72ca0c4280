"""Injected time: a monotonic `clock=` the test moves by hand, and a `sleep=` that records and returns at once."""

from __future__ import annotations


class FakeClock:
    """Injected monotonic `clock=` that only moves when told to."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Sleeps:
    """Injected `sleep=`: records each requested wait and returns at once (sync and async flavours)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)
