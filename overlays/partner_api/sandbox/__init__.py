"""A local Partner API server that behaves like the real one, for demos and tests (`pip install ...[sandbox]`).

Run it: ``partner-api sandbox [--port 8080] [--project-id demo] [--private-key KEY] [--token-ttl 3600]
[--clock-offset S] [--rate-limit RPS] [--db PATH] [--seed N] [--admin]
[--drift SEED]`` or ``python -m partner_api.sandbox``
(loopback only unless ``--host`` says otherwise; SIGINT/SIGTERM shut it down cleanly). In Python::

    from partner_api.sandbox import SandboxServer

    with SandboxServer(token_ttl=5, seed=3, admin=True) as sb:   # background thread, free loopback port
        client = sb.client()                                      # a ready partner_api.PartnerClient
        sb.inject_fault("getUser", status=503, count=2)
        ...
        assert sb.stats().logins == 1

`SandboxProcess` takes the same arguments and runs it as a child process (for benchmarks). In pytest, the
`partner_sandbox` fixture (installed with the package) yields a running, freshly reset `SandboxServer`.

What it implements (openapi/partner-api.yaml, every operation):
- ``POST /partner/login`` (form ``login``/``password``) -> ``access_token``, ``create_time``, ``expire_time``
  in unix seconds of the server's clock (machine clock + ``clock_offset``); tokens live ``token_ttl``
  seconds and can be revoked. Every ``POST /partner/v2/<operationId>`` needs ``Authorization: Bearer``.
- Requests are validated with the generated pydantic models (``partner_api_sandbox_models``) after the
  API's default-value rule: a number field equal to 0 and a string field equal to "" are absent, booleans
  are values, unknown fields are errors, the purchase ``receipt`` is opaque and stored verbatim.
- Answers omit proto3 defaults (0, "", false, empty arrays, unset objects). Errors are
  ``{"result": CODE, "error": message}``: INVALID_PARAMETERS 400, NOT_AUTHORIZED 401, NOT_FOUND 404,
  USER_ALREADY_EXISTS 409, TOO_MANY_REQUESTS 429 (with Retry-After), INTERNAL_ERROR 500.
- Data lives in SQLite (in memory, or ``db=`` / ``--db`` to survive restarts; tokens never persist).
  Three licenses always exist; ``seed=N`` adds N users with devices, sessions and purchases.

Admin endpoint (only with ``admin=True`` / ``--admin``; otherwise these paths are 404), JSON:
  GET/POST /_sandbox/config   knobs; POST {"token_ttl", "clock_offset", "rate_limit" (null = off),
                              "max_active_tokens" (a login beyond N revokes the oldest; null = no cap),
                              "login_rate_limit" (logins per second before 429; null = off)}
  POST /_sandbox/revoke       revoke all tokens
  GET/POST/DELETE /_sandbox/faults   list / add one (see below) / clear
  GET/DELETE /_sandbox/stats  counters (logins, failed_logins, not_authorized, rate_limited,
                              requests per operation, faults per operation) / zero them
  GET  /_sandbox/drift        with --drift SEED: the deviations from the spec sent so far (see `_drift`)
  POST /_sandbox/reset        start-up state: knobs, no tokens or faults, zero counters, data re-seeded
  POST /_sandbox/seed         {"users": N} more generated users
  GET  /_sandbox/receipts/ID  the receipt stored for purchase ID

A fault: {"operation": operationId | "login" | "*", "status": 200..599, "body": "json" | "empty" | "html" |
"malformed", "result": CODE, "answer": JSON (the whole body, as given), "retry_after": s, "latency": s,
"drop": bool, "reset": bool, "count": n, "probability": p, "after": n, "seed": n}. ``latency`` waits once the
request is read (an operation whose client gives up meanwhile still runs); ``drop`` reads the request and
closes the connection without answering (the operation does not run); ``reset`` runs the operation, sends the
headers and half the body, then resets the connection. Faults apply before authentication, like a proxy.
"""

from __future__ import annotations

from ._app import SandboxApp, create_app
from ._config import SandboxConfig
from ._control import SandboxAdminError, SandboxStats
from ._faults import FaultSpec
from ._process import SandboxProcess
from ._server import SandboxServer

__all__ = [
    "FaultSpec",
    "SandboxAdminError",
    "SandboxApp",
    "SandboxConfig",
    "SandboxProcess",
    "SandboxServer",
    "SandboxStats",
    "create_app",
]
