"""`SandboxServer`: the sandbox on a free loopback port in a background thread of this process."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from ._app import create_app
from ._config import SandboxConfig, SandboxOptions
from ._control import SandboxControl
from ._serving import base_url_of, bind_socket, make_server
from ._state import SandboxState

if TYPE_CHECKING:
    import uvicorn
    from typing_extensions import Unpack  # typing.Unpack from Python 3.11


class SandboxServer(SandboxControl):
    """A running sandbox for tests and examples::

        with SandboxServer(token_ttl=5, admin=True) as sb:
            client = sb.client()            # PartnerClient(sb.base_url, sb.project_id, sb.private_key)
            sb.inject_fault("getUser", status=503)

    The settings are `SandboxConfig`'s fields as keywords (`SandboxOptions`): `private_key` defaults to a random
    one; `faults` are `inject_fault` keyword dicts (with "operation") registered at start and again by `reset()`;
    `drift=SEED` makes the answers deviate from the spec, the same way for the same seed (`drift()` lists them).
    The knob helpers (`set_token_ttl`, `inject_fault`, `stats`, `reset`, ...) go through the admin endpoint, so
    they need `admin=True`.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        access_log: bool = False,
        startup_timeout: float = 10.0,
        **options: Unpack[SandboxOptions],
    ) -> None:
        self.settings = SandboxConfig.of_options(options)
        self.host = host
        self.port = port
        self.access_log = access_log
        self.startup_timeout = startup_timeout
        self.state: SandboxState | None = None
        """The live state (for inspection in tests; change knobs through the helpers)."""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> SandboxServer:
        """Bind, start uvicorn in a daemon thread, and return once it accepts connections."""
        if self.running:
            raise RuntimeError("the sandbox is already running")
        sock = bind_socket(self.host, self.port)
        self.state = SandboxState(self.settings)
        server = make_server(create_app(state=self.state), access_log=self.access_log)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="partner-api-sandbox", daemon=True
        )
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + self.startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                sock.close()
                raise RuntimeError("the sandbox did not start (see the uvicorn log)")
            time.sleep(0.005)
        self.base_url = base_url_of(sock)
        return self

    def stop(self) -> None:
        """Stop uvicorn without waiting for requests in flight, close the store. Safe to call twice."""
        server, thread = self._server, self._thread
        if server is not None and thread is not None:
            server.should_exit = server.force_exit = True  # requests still in flight (latency faults) are cancelled
            thread.join(timeout=15)
        self._server = self._thread = None
        self._close_admin_client()
        if self.state is not None:
            self.state.close()
            self.state = None
        self.base_url = ""
