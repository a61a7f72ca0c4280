"""`partner-api sandbox ...`: the local sandbox server (needs the `sandbox` extra, not the `cli` one)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

_SANDBOX_EXTRA_HINT = "the sandbox needs its extra: pip install 'partner-api-client[sandbox]'"


def _sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    parser.add_argument("--project-id", default="demo", help="the PROJECT_ID login accepts (default: demo)")
    parser.add_argument(
        "--private-key",
        default=None,
        help="the PRIVATE_KEY login accepts (default: $PARTNER_SANDBOX_PRIVATE_KEY, else 'sandbox-private-key')",
    )
    parser.add_argument("--token-ttl", type=int, default=3600, help="token lifetime in seconds (default: 3600)")
    parser.add_argument(
        "--clock-offset", type=float, default=0.0, help="seconds added to the server's clock (simulated skew)"
    )
    parser.add_argument("--rate-limit", type=float, default=None, help="requests per second before 429 (default: none)")
    parser.add_argument(
        "--max-active-tokens", type=int, default=None, help="live tokens at most; a login beyond revokes the oldest"
    )
    parser.add_argument(
        "--login-rate-limit", type=float, default=None, help="logins per second before 429 (default: none)"
    )
    parser.add_argument("--db", default=None, help="SQLite file to keep the data across restarts (default: memory)")
    parser.add_argument("--seed", type=int, default=0, help="generate N users with devices, sessions, purchases")
    parser.add_argument("--admin", action="store_true", help="serve the admin endpoint under /_sandbox/")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='a fault from the start (repeatable), e.g. \'{"operation": "getUser", "status": 503, "count": 2}\'',
    )
    parser.add_argument(
        "--drift",
        type=int,
        default=None,
        metavar="SEED",
        help="answer with seeded deviations from the spec (nulls, extra and mistyped fields, an unknown result code)",
    )
    parser.add_argument("--access-log", action="store_true", help="log each request line (never headers)")
    parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"], help="log level"
    )


def _run_sandbox(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from ..sandbox._config import DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV, SandboxConfig
        from ..sandbox._faults import FaultSpec
        from ..sandbox._serving import is_loopback, serve
    except ImportError as exc:
        print(f"partner-api sandbox: {_SANDBOX_EXTRA_HINT} ({exc})", file=sys.stderr)
        return 1
    private_key = args.private_key or os.environ.get(PRIVATE_KEY_ENV) or DEFAULT_PRIVATE_KEY
    try:
        faults = [FaultSpec.model_validate_json(text) for text in args.fault]
    except ValueError as exc:
        parser.error(f"--fault: {exc}")
    try:
        config = SandboxConfig(
            project_id=args.project_id,
            private_key=private_key,
            token_ttl=args.token_ttl,
            clock_offset=args.clock_offset,
            rate_limit=args.rate_limit,
            max_active_tokens=args.max_active_tokens,
            login_rate_limit=args.login_rate_limit,
            db=args.db,
            seed=args.seed,
            admin=args.admin,
            faults=tuple(fault.model_dump(exclude_defaults=True) for fault in faults),
            drift=args.drift,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if not is_loopback(args.host):
        print(
            f"partner-api sandbox: warning: {args.host} is not a loopback address; the sandbox"
            f"{' and its admin endpoint' if args.admin else ''} will be reachable from the network",
            file=sys.stderr,
        )
    return serve(config, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log)


def run(argv: Sequence[str], *, prog: str | None = None) -> int:
    """`partner-api sandbox ARGS...` (argparse, without the CLI extra: the sandbox extra is enough)."""
    parser = argparse.ArgumentParser(
        prog=prog or "partner-api sandbox",
        description="Run a local server that behaves like the Partner API (see `partner_api.sandbox`).",
    )
    _sandbox_arguments(parser)
    return _run_sandbox(parser.parse_args(argv), parser)
