"""`-v` and `--debug`: the library's log (requests, retries, logins, pauses) on stderr, secrets hidden.

Without them the command line keeps stderr to errors and summaries: the library's retry warnings would break the
one-line error rule, and the final error says what happened. `-v` shows the `partner_api` log at DEBUG (each
attempt with its status and time, retries, logins, token store notices, bulk pauses) and httpx's one line per HTTP
request; `--debug` adds httpx's and httpcore's connection log. Every line goes through a filter that masks the
private key and tokens (`Bearer ...`, `access_token`), whatever logged it.
"""

from __future__ import annotations

import logging
import re

from .._secrets import MIN_LENGTH

__all__ = ["configure_logging", "job_logger", "quiet_library_log"]

_PROG = "partner-api"
_HIDDEN = "********"
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[^\s'\",]+"),
    re.compile(r"(?i)(access_token[\"']?\s*[:=]\s*[\"']?)[^\s'\",&}]+"),
    re.compile(r"(?i)(password[\"']?\s*[:=]\s*[\"']?)[^\s'\",&}]+"),
)


class _Redact(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if len(secret) >= MIN_LENGTH]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, _HIDDEN)
        for pattern in _PATTERNS:
            message = pattern.sub(lambda found: found.group(1) + _HIDDEN, message)
        record.msg, record.args = message.removeprefix("partner_api "), None
        return True


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """The command line's log handler (on sys.stderr), so that it is installed once."""


class _StoreWarnings(logging.StreamHandler):  # type: ignore[type-arg]
    """A token store that cannot be reached (one line per outage): the command still works, logging in on its own,
    but the user who set PARTNER_API_TOKEN_STORE must learn that the token is not shared."""


def quiet_library_log() -> None:
    """No library log on stderr (not even Python's last-resort handler for warnings)."""
    library = logging.getLogger("partner_api")
    library.propagate = False
    if not library.handlers:
        library.addHandler(logging.NullHandler())


def configure_logging(verbose: int, debug: bool, secrets: list[str]) -> None:
    """Send the library's log to stderr at the level `-v`/`--debug` ask for; without them, only the token
    store's warning (the one line besides errors)."""
    quiet_library_log()
    if not (verbose or debug):
        # and, with `strict_answers = false` in the profile, the answer fields read as absent (one line each)
        for name in ("partner_api.token_stores", "partner_api.answers"):
            stores = logging.getLogger(name)
            if not any(isinstance(handler, _StoreWarnings) for handler in stores.handlers):
                warnings = _StoreWarnings()  # on sys.stderr
                warnings.setLevel(logging.WARNING)
                warnings.setFormatter(logging.Formatter(f"{_PROG}: warning: %(message)s"))
                stores.addHandler(warnings)
        return
    handler = _Handler()
    handler.setFormatter(logging.Formatter(f"{_PROG}: %(message)s"))
    handler.addFilter(_Redact(secrets))
    loggers = {"partner_api": logging.DEBUG, "httpx": logging.DEBUG if debug else logging.INFO}
    if debug:
        loggers["httpcore"] = logging.DEBUG
    for name, level in loggers.items():
        logger = logging.getLogger(name)
        if any(isinstance(existing, _Handler) for existing in logger.handlers):
            continue
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False


def job_logger() -> logging.Logger:
    """The bulk job's own log (pauses after a 429, a lost connection): shown with `-v`."""
    return logging.getLogger("partner_api.cli")
