"""The bulk job's AIMD limiter: halved once per congestion event, paused for Retry-After, raised back by successes.

In-process, because what matters here is the arithmetic and the ordering of waiters (the end-to-end tests show
the job under a real rate limit); no wall-clock assertions.
"""

from __future__ import annotations

import asyncio

from partner_api.cli._limiter import AimdLimiter


async def _spin() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def test_at_most_limit_in_flight_then_a_release_lets_one_more_in() -> None:
    limiter = AimdLimiter(4)
    granted = [await limiter.acquire() for _ in range(4)]
    assert len(granted) == limiter.in_flight == 4
    fifth = asyncio.ensure_future(limiter.acquire())
    await _spin()
    assert not fifth.done()
    await limiter.release(succeeded=True)
    await _spin()
    assert fifth.done()
    assert limiter.in_flight == 4


async def test_a_429_halves_once_per_congestion_event_and_successes_recover() -> None:
    limiter = AimdLimiter(16)
    granted = [await limiter.acquire() for _ in range(16)]
    await limiter.rate_limited(granted[0], 0.0)
    assert limiter.limit == 8
    for early in granted[1:]:  # answers to requests sent before the decrease: the same event
        await limiter.rate_limited(early, 0.0)
    assert limiter.limit == 8
    for _ in range(16):
        await limiter.release(succeeded=False)
    later = await limiter.acquire()
    await limiter.rate_limited(later, 0.0)  # a request granted after the decrease: a new event
    assert limiter.limit == 4
    await limiter.release(succeeded=False)
    for _ in range(200):  # additive increase: +1/limit per success, up to the maximum
        await limiter.acquire()
        await limiter.release(succeeded=True)
    assert limiter.limit == 16


async def test_retry_after_pauses_every_new_request() -> None:
    limiter = AimdLimiter(4)
    first = await limiter.acquire()
    await limiter.rate_limited(first, 0.3)
    await limiter.release(succeeded=False)
    waiting = asyncio.ensure_future(limiter.acquire())
    await _spin()
    assert not waiting.done()  # paused although a slot is free
    await asyncio.wait_for(waiting, timeout=30)  # and let through once the pause is over
    assert limiter.in_flight == 1
