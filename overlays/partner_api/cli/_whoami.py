"""`partner-api whoami`: check the credentials and say which project, API, token and token store a command uses.

At most one login: a token still valid in the token store (the cache the commands share) proves the credentials,
as the store keeps each API and project apart and encrypts the token with a key derived from the private key.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import click

from ._exit import error_line, exit_code
from ._options import SectionedCommand, global_options, output_option, settings

__all__ = ["whoami_command"]


def whoami_command() -> click.Command:
    """The `whoami` command."""

    def callback(output: str) -> int:
        return _whoami(output)

    return SectionedCommand(
        "whoami",
        params=[output_option(choices=("json", "table")), *global_options()],
        callback=callback,
        help="Check the credentials (a login, unless the token cache holds a valid token) and print the project, "
        "the base URL, where the key came from, the token's renewal time and the token store.",
    )


def _whoami(output: str) -> int:
    from ._clients import describe_token_store, sync_client_with_credentials
    from ._output import emit

    client, credentials = sync_client_with_credentials(settings())
    try:
        with client:
            client.login()
            token = client._tokens.valid()  # the token of that login (or of the cache)
    except Exception as error:
        click.echo(error_line(error), err=True)
        return exit_code(error)
    answer: dict[str, Any] = {
        "project_id": credentials.project_id,
        "base_url": credentials.base_url,
        "private_key_from": credentials.source,
        "credentials": "valid",
        "logins": client.login_count,
        "token_from": "a login" if client.login_count else "the token store",
        "token_store": describe_token_store(),
    }
    if token is not None:
        renew = time.time() + max(0.0, token.renew_at - time.monotonic())
        answer["token_renewed_at"] = datetime.fromtimestamp(renew, tz=timezone.utc).isoformat(timespec="seconds")
    emit(answer, output)
    return 0
