"""A client of either flavour on the recording transport, with an injected sleep, against a sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from partner_api import AsyncPartnerClient, PartnerClient

from .clock import Sleeps
from .transport import AsyncRecordingTransport, RecordingTransport, Wire, tls_context


class Harness:
    """One client (`mode` "sync" or "async") on a recording transport, with an injected sleep, and its sandbox.

    `await h.call("get_user", user_id=1)` runs either flavour, so a case is written once and run twice.
    `base_url`, `project_id` and `private_key` default to the sandbox's; `wire` to a new `Wire`; any other
    keyword goes to the client (`clock=`, `max_retries=`, ...).
    """

    def __init__(
        self, mode: str, sandbox: Any, *, base_url: str | None = None, project_id: str | None = None,
        private_key: str | None = None, wire: Wire | None = None, **options: Any,
    ) -> None:  # fmt: skip
        self.mode = mode
        self.sandbox = sandbox
        self.wire = wire if wire is not None else Wire()
        self.sleeps = Sleeps()
        base_url = base_url if base_url is not None else sandbox.base_url
        project_id = project_id if project_id is not None else sandbox.project_id
        private_key = private_key if private_key is not None else sandbox.private_key
        timeout = options.setdefault("timeout", 5.0)
        self.client: Any
        if mode == "sync":
            self.transport: Any = RecordingTransport(self.wire)
            self.http: Any = httpx.Client(
                transport=self.transport, timeout=timeout, trust_env=False, verify=tls_context()
            )
            self.client = PartnerClient(
                base_url, project_id, private_key, http_client=self.http, sleep=self.sleeps, **options
            )
        elif mode == "async":
            self.transport = AsyncRecordingTransport(self.wire)
            self.http = httpx.AsyncClient(
                transport=self.transport, timeout=timeout, trust_env=False, verify=tls_context()
            )
            self.client = AsyncPartnerClient(
                base_url, project_id, private_key, http_client=self.http, sleep=self.sleeps.asleep, **options
            )
        else:
            raise ValueError(f"mode must be 'sync' or 'async', not {mode!r}")

    async def call(self, method: str, **arguments: Any) -> Any:
        result = getattr(self.client, method)(**arguments)
        return await result if self.mode == "async" else result

    def close(self) -> None:
        """Close a sync harness's connections."""
        self.http.close()

    async def aclose(self) -> None:
        """Close the connections, either flavour."""
        if self.mode == "sync":
            self.http.close()
        else:
            await self.http.aclose()

    @property
    def waits(self) -> list[float]:
        return self.sleeps.waits

    def served(self, operation: str) -> int:
        """Requests the sandbox received for `operation` (`login`, `getUser`, ...), faulted or not."""
        return int(self.sandbox.stats().requests.get(operation, 0))


MakeHarness = Callable[..., Harness]
"""The `harness` fixtures' type: `harness(**options)` -> a `Harness` (closed by the fixture)."""

MakeClient = Callable[..., PartnerClient]
"""The `make_client` fixture's type: `make_client(**options)` -> a recorded `PartnerClient` (closed by the fixture)."""
