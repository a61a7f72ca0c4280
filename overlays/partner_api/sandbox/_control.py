"""What both handles (thread and subprocess) share: their settings, a client for them, the admin knob helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

from .._transport_security import verifying_ssl_context
from ._config import SandboxConfig
from ._faults import BodyKind

if TYPE_CHECKING:
    from types import TracebackType

    from typing_extensions import Self  # typing.Self from Python 3.11

    from partner_api import PartnerClient


class SandboxAdminError(RuntimeError):
    """The admin endpoint refused a request (or is off)."""


@dataclass(frozen=True)
class SandboxStats:
    """Counters since start, `reset()` or `reset_stats()`; readable as attributes or as `stats["name"]`."""

    logins: int
    """Successful logins."""
    failed_logins: int
    not_authorized: int
    """NOT_AUTHORIZED answers (failed logins and rejected tokens)."""
    rate_limited: int
    requests: dict[str, int]
    """Requests received per operation (`login`, `getUser`, ...), faulted or not."""
    faults: dict[str, int]
    """Injected faults served per operation."""

    def __getitem__(self, name: str) -> Any:
        """`stats["logins"]` works as well as `stats.logins`."""
        if name.startswith("_") or not hasattr(self, name):
            raise KeyError(name)
        return getattr(self, name)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def faults_served(self) -> int:
        return sum(self.faults.values())


class SandboxControl:
    """Admin helpers over HTTP and the `with` block; a subclass sets `settings`, implements `start`/`stop`, and sets
    `base_url` once the sandbox runs."""

    settings: SandboxConfig
    base_url: str = ""
    _http: httpx.Client | None = None

    @property
    def project_id(self) -> str:
        return self.settings.project_id

    @property
    def private_key(self) -> str:
        return self.settings.private_key

    @property
    def admin(self) -> bool:
        return self.settings.admin

    def start(self) -> Self:
        """Start the sandbox; return once it accepts connections (`base_url` is set)."""
        raise NotImplementedError

    def stop(self) -> object:
        """Stop the sandbox; safe to call twice."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url or "not started"
        return f"{type(self).__name__}({where}, project_id={self.project_id!r}, admin={self.admin})"

    def client(self, **options: Any) -> PartnerClient:
        """A `partner_api.PartnerClient` for this sandbox; `options` go to its constructor."""
        from partner_api import PartnerClient

        return PartnerClient(self.base_url, self.project_id, self.private_key, **options)

    def _admin_call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        if not self.admin:
            raise SandboxAdminError("the admin endpoint is off: start the sandbox with admin=True (CLI: --admin)")
        if not self.base_url:
            raise SandboxAdminError("the sandbox is not running")
        if self._http is None:
            self._http = httpx.Client(
                base_url=self.base_url, timeout=30.0, trust_env=False, verify=verifying_ssl_context()
            )
        response = self._http.request(method, "/_sandbox" + path, json=payload)
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or data.get("result") != "OK":
            message = data.get("error") if isinstance(data, dict) else response.text[:200]
            raise SandboxAdminError(f"{method} /_sandbox{path}: HTTP {response.status_code}: {message}")
        data.pop("result")
        return data

    def _close_admin_client(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    # ---- knobs ----
    def config(self) -> dict[str, Any]:
        """Current knobs: project_id, token_ttl, clock_offset, server_time, rate_limit, max_active_tokens,
        login_rate_limit, seed, db."""
        return self._admin_call("GET", "/config")

    def set_token_ttl(self, seconds: int) -> None:
        """Lifetime of tokens issued from now on."""
        self._admin_call("POST", "/config", {"token_ttl": seconds})

    def set_clock_offset(self, seconds: float) -> None:
        """Shift the server's clock (token times, expiry checks, create times) by `seconds` from real time."""
        self._admin_call("POST", "/config", {"clock_offset": seconds})

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 TOO_MANY_REQUESTS (with Retry-After) above `per_second` API requests; None removes it."""
        self._admin_call("POST", "/config", {"rate_limit": per_second})

    def set_max_active_tokens(self, count: int | None) -> None:
        """At most `count` live tokens: a login beyond it revokes the oldest; None removes the cap."""
        self._admin_call("POST", "/config", {"max_active_tokens": count})

    def set_login_rate_limit(self, per_second: float | None) -> None:
        """Answer `/partner/login` with 429 TOO_MANY_REQUESTS above `per_second` logins; None removes it."""
        self._admin_call("POST", "/config", {"login_rate_limit": per_second})

    def revoke_tokens(self) -> int:
        """Revoke every issued token; returns how many were live."""
        return int(self._admin_call("POST", "/revoke")["revoked"])

    def inject_fault(
        self,
        operation: str = "*",
        *,
        status: int | None = None,
        body: BodyKind | None = None,
        result: str | None = None,
        answer: Any = None,
        retry_after: int | None = None,
        latency: float | None = None,
        drop: bool = False,
        reset: bool = False,
        count: int | None = None,
        probability: float | None = None,
        after: int = 0,
        seed: int | None = None,
    ) -> dict[str, Any]:
        """Register a fault for `operation` (an operationId, "login" or "*"); returns its description.

        `status` with `body` "json" (default; `result` or the status's code), "empty", "html" or
        "malformed"; `result` alone is a 200 carrying that error code; `answer` is a JSON body served as given
        (with `status`, 200 by default); `retry_after` adds the header;
        `latency` delays; `drop` closes without answering; `reset` answers half and resets. Fires for the
        next `count` requests (default 1) or with `probability`, after letting `after` requests through.
        """
        spec: dict[str, Any] = {"operation": operation, "drop": drop, "reset": reset, "after": after}
        optional = {
            "status": status,
            "body": body,
            "result": result,
            "answer": answer,
            "retry_after": retry_after,
            "latency": latency,
            "count": count,
            "probability": probability,
            "seed": seed,
        }
        spec.update({key: value for key, value in optional.items() if value is not None})
        return dict(self._admin_call("POST", "/faults", spec)["fault"])

    def faults(self) -> list[dict[str, Any]]:
        """Active faults with `remaining` and `served`."""
        return list(self._admin_call("GET", "/faults")["faults"])

    def clear_faults(self) -> int:
        return int(self._admin_call("DELETE", "/faults")["cleared"])

    def drift(self) -> dict[str, Any]:
        """With `drift=SEED`: the seed, the unknown result code it sends for NOT_FOUND, and `applied`: the deviations
        sent since start or `reset()`, as `{"operation", "kind", "path"}` (JSONPath) dicts."""
        return self._admin_call("GET", "/drift")

    def stats(self) -> SandboxStats:
        return SandboxStats(**self._admin_call("GET", "/stats"))

    def reset_stats(self) -> None:
        self._admin_call("DELETE", "/stats")

    def reset(self) -> None:
        """Back to the start-up state: knobs, no tokens, no faults, zero counters, data re-seeded."""
        self._admin_call("POST", "/reset")

    def seed_users(self, count: int) -> list[int]:
        """Add `count` generated users with devices, sessions and purchases; returns their ids."""
        return [int(user_id) for user_id in self._admin_call("POST", "/seed", {"users": count})["user_ids"]]

    def receipt(self, purchase_id: int) -> Any:
        """The receipt stored for a purchase, exactly as it was sent."""
        return self._admin_call("GET", f"/receipts/{int(purchase_id)}")["receipt"]
