"""What the test suite inherits: never make's recursion variables nor the release settings."""

from __future__ import annotations

from collections.abc import Mapping

# An outer `make publish INDEX_URL=...` hands its command-line variables to every make below it through MAKEFLAGS
# and the environment, and the release settings name an index and credentials. A test that runs make must get only
# the arguments it passes, so the suite never sees these (the Makefile's TEST_ENV, tests/conftest.py and the tests'
# make helper all drop them).
RELEASE_SETTINGS = ("MAKEFLAGS", "MAKEOVERRIDES", "MFLAGS", "MAKELEVEL", "INDEX_URL", "INDEX_SIMPLE_URL", "DIST")
RELEASE_SETTING_PREFIXES = ("TWINE_",)
# Set by `make publish` for its test suite to the checkout being published: preflight refuses a nested publish of it.
GATE_ENV = "PARTNER_API_PUBLISH_GATE"


def is_release_setting(name: str) -> bool:
    """Whether the environment variable `name` is one the test suite must not inherit."""
    return name in RELEASE_SETTINGS or name.startswith(RELEASE_SETTING_PREFIXES)


def without_release_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """`environ` without make's recursion variables and the release settings."""
    return {name: value for name, value in environ.items() if not is_release_setting(name)}
