"""`partner-api sandbox ...`: the local sandbox server. A click command like the others, but it needs only the
`sandbox` extra (uvicorn brings click), not the `cli` one: `main` dispatches here before checking for rich."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import click

__all__ = ["run", "sandbox_command"]

_PROG = "partner-api sandbox"
_SANDBOX_EXTRA_HINT = "the sandbox needs its extra: pip install 'partner-api-client[sandbox]'"
_LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]


def sandbox_command() -> click.Command:
    """The `sandbox` command."""
    return click.Command(
        "sandbox",
        callback=_serve,
        help="Run a local server that behaves like the Partner API (see `partner_api.sandbox`): the same operations, "
        "result codes and rules, with users seeded on demand, and faults and rate limits to try a client against. "
        "Ctrl-C stops it.",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
        params=[
            click.Option(["--host"], default="127.0.0.1", show_default=True,
                         help="Address to bind (loopback only by default)."),
            click.Option(["--port"], type=int, default=8080, show_default=True,
                         help="Port (0 picks a free one)."),
            click.Option(["--project-id"], default="demo", show_default=True, help="The project id login accepts."),
            click.Option(["--private-key"], default=None, metavar="TEXT",
                         help="The private key login accepts (default: $PARTNER_SANDBOX_PRIVATE_KEY, else "
                         "sandbox-private-key)."),
            click.Option(["--token-ttl"], type=int, default=3600, show_default=True, metavar="SECONDS",
                         help="Token lifetime."),
            click.Option(["--clock-offset"], type=float, default=0.0, metavar="SECONDS",
                         help="Seconds added to the server's clock (a simulated skew)."),
            click.Option(["--rate-limit"], type=float, default=None, metavar="PER_SECOND",
                         help="Requests per second before answering 429 (default: no limit)."),
            click.Option(["--max-active-tokens"], type=int, default=None, metavar="N",
                         help="Live tokens at most; a login beyond them revokes the oldest."),
            click.Option(["--login-rate-limit"], type=float, default=None, metavar="PER_SECOND",
                         help="Logins per second before answering 429 (default: no limit)."),
            click.Option(["--db"], default=None, metavar="FILE",
                         help="SQLite file that keeps the data across restarts (default: in memory)."),
            click.Option(["--seed"], type=int, default=0, metavar="N",
                         help="Generate N users (seed-user-0001, ...) with devices, sessions and purchases."),
            click.Option(["--admin"], is_flag=True, help="Serve the admin endpoint under /_sandbox/."),
            click.Option(["--fault"], multiple=True, metavar="JSON",
                         help='A fault from the start (repeatable), e.g. \'{"operation": "getUser", "status": 503, '
                         '"count": 2}\'.'),
            click.Option(["--drift"], type=int, default=None, metavar="SEED",
                         help="Answer with seeded deviations from the spec (nulls, extra and mistyped fields, an "
                         "unknown result code)."),
            click.Option(["--access-log"], is_flag=True, help="Log each request line (never headers)."),
            click.Option(["--log-level"], type=click.Choice(_LOG_LEVELS), default="info", show_default=True,
                         help="Log level."),
        ],
    )  # fmt: skip


def _serve(**args: Any) -> int:
    try:
        from ..sandbox._config import DEFAULT_PRIVATE_KEY, PRIVATE_KEY_ENV, SandboxConfig
        from ..sandbox._faults import FaultSpec
        from ..sandbox._serving import is_loopback, serve
    except ImportError as exc:
        raise click.ClickException(f"{_SANDBOX_EXTRA_HINT} ({exc})") from None
    private_key = args["private_key"] or os.environ.get(PRIVATE_KEY_ENV) or DEFAULT_PRIVATE_KEY
    faults = []
    for text in args["fault"]:
        try:
            faults.append(FaultSpec.model_validate_json(text))
        except ValueError as exc:
            raise click.BadParameter(" ".join(str(exc).split()), param_hint="--fault") from None
    try:
        config = SandboxConfig(
            project_id=args["project_id"], private_key=private_key, token_ttl=args["token_ttl"],
            clock_offset=args["clock_offset"], rate_limit=args["rate_limit"],
            max_active_tokens=args["max_active_tokens"], login_rate_limit=args["login_rate_limit"], db=args["db"],
            seed=args["seed"], admin=args["admin"],
            faults=tuple(fault.model_dump(exclude_defaults=True) for fault in faults), drift=args["drift"],
        )  # fmt: skip
    except ValueError as exc:  # the settings' own checks ("token_ttl must be at least 1 second"): in option names
        raise click.UsageError(_as_options(" ".join(str(exc).split()))) from None
    host = args["host"]
    if not is_loopback(host):
        click.echo(
            f"{_PROG}: warning: {host} is not a loopback address; the sandbox"
            f"{' and its admin endpoint' if args['admin'] else ''} will be reachable from the network",
            err=True,
        )
    return serve(config, host=host, port=args["port"], log_level=args["log_level"], access_log=args["access_log"])


def _as_options(text: str) -> str:
    """`token_ttl must be ...` -> `--token-ttl must be ...`: the settings' names as this command's options."""
    import re

    names = r"\b(project_id|private_key|token_ttl|clock_offset|rate_limit|max_active_tokens|login_rate_limit|db|seed|drift)\b"  # noqa: E501
    text = re.sub(names, lambda found: "--" + found.group(1).replace("_", "-"), text)
    return text.replace(", or None", " (or left out)")


def run(argv: Sequence[str], *, prog: str | None = None) -> int:
    """`partner-api sandbox ARGS...`; returns the exit status (errors: one line on stderr)."""
    command = sandbox_command()
    name = prog or _PROG
    try:
        result = command.main(list(argv), prog_name=name, standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        print(f"{name}: error: {' '.join(error.format_message().split())} (see: {name} --help)", file=sys.stderr)
        return 2
    except click.ClickException as error:
        print(f"{name}: error: {' '.join(error.format_message().split())}", file=sys.stderr)
        return error.exit_code
    except (KeyboardInterrupt, click.Abort):
        return 130
    return result if isinstance(result, int) else 0
