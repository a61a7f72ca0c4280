"""`PARTNER_API_LOG=debug|info|warning`: the `partner_api` logger on stderr, for programs that configure no logging.

A program that configures logging (any handler on the root logger) gets the records through its own handlers and
never this one's, even if it does so after the client was made. What each level shows:
docs/pages/guide/production.md.
"""

from __future__ import annotations

import logging
import os
import sys

__all__ = ["ENV", "configure_from_env"]

ENV = "PARTNER_API_LOG"
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_configured = False


class _UnlessConfigured(logging.StreamHandler):  # type: ignore[type-arg]  # (generic only in typeshed)
    """stderr, while the program has no logging of its own (checked per record: it may configure it later)."""

    def emit(self, record: logging.LogRecord) -> None:
        if not logging.getLogger().handlers:
            super().emit(record)


def configure_from_env() -> None:
    """Read PARTNER_API_LOG once (the first client does); an unknown value is an error, not ignored."""
    global _configured
    if _configured:
        return
    _configured = True
    value = os.environ.get(ENV, "").strip().lower()
    if not value:
        return
    if value not in _LEVELS:
        _configured = False
        raise ValueError(f"{ENV}={value!r}: use one of {', '.join(_LEVELS)}")
    handler = _UnlessConfigured(sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger = logging.getLogger("partner_api")
    logger.addHandler(handler)
    logger.setLevel(_LEVELS[value])
