"""Everything one running sandbox holds: settings, clock, tokens, data, faults, rate limit and counters."""

from __future__ import annotations

from typing import Any

from ._config import SandboxConfig
from ._drift import Drift
from ._faults import FaultBook, FaultSpec, RateLimiter
from ._seed import seed_licenses, seed_users
from ._stats import Stats
from ._store import SandboxStore
from ._token_registry import ServerClock, TokenRegistry


class SandboxState:
    """The live state behind the app; `reset()` brings it back to how `config` started it."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.clock = ServerClock(config.clock_offset)
        self.tokens = TokenRegistry(self.clock, config.token_ttl, config.max_active_tokens)
        self.store = SandboxStore(config.db)
        self.faults = FaultBook(seed=config.seed)
        self._initial_faults = [FaultSpec.model_validate(dict(fault)) for fault in config.faults]
        self._add_initial_faults()
        self.limiter = RateLimiter(config.rate_limit)
        self.login_limiter = RateLimiter(config.login_rate_limit)
        self.stats = Stats()
        self.drift = Drift(config.drift) if config.drift is not None else None
        if self.store.is_empty():
            self._seed()

    def _add_initial_faults(self) -> None:
        for fault in self._initial_faults:
            self.faults.add(fault)

    def _seed(self) -> None:
        seed_licenses(self.store)
        seed_users(self.store, self.config.seed, now=self.clock.now())

    def reset(self) -> None:
        """Start-up knobs and faults, no tokens, zero counters, and the data re-seeded (a `--db` file too)."""
        self.clock.offset = self.config.clock_offset
        self.tokens.ttl = self.config.token_ttl
        self.tokens.revoke_all()
        self.limiter.set_rate(self.config.rate_limit)
        self.login_limiter.set_rate(self.config.login_rate_limit)
        self.tokens.max_active = self.config.max_active_tokens
        self.faults.clear()
        self._add_initial_faults()
        self.stats.clear()
        if self.drift is not None:
            self.drift.clear()
        self.store.wipe()
        self._seed()

    def add_seed_users(self, count: int) -> list[int]:
        """Add `count` more generated users (with devices, sessions, purchases)."""
        first = self.store.last_seed_index() + 1
        return seed_users(self.store, count, now=self.clock.now(), first_index=first)

    def knobs(self) -> dict[str, Any]:
        """The JSON document of `GET /_sandbox/config` (never the private key)."""
        return {
            "project_id": self.config.project_id,
            "token_ttl": self.tokens.ttl,
            "clock_offset": self.clock.offset,
            "server_time": self.clock.now(),
            "rate_limit": self.limiter.rate,
            "max_active_tokens": self.tokens.max_active,
            "login_rate_limit": self.login_limiter.rate,
            "seed": self.config.seed,
            "db": self.store.path,
            "drift": self.config.drift,
        }

    def close(self) -> None:
        self.store.close()
