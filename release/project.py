"""Where the release inputs live, the project's names, and the one error type of the release tooling."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "partner-api.yaml"
SPEC_REL = "openapi/partner-api.yaml"
GENERATED = ROOT / "generated"
VERSION_FILE = ROOT / "overlays" / "partner_api" / "_version.py"
VERSION_FILE_REL = "overlays/partner_api/_version.py"
CHANGELOG = ROOT / "CHANGELOG.md"
PROJECT = "partner-api-client"
DIST_PREFIX = "partner_api_client"
# The folders the Python public surface is loaded from, in a checkout and in an unpacked wheel.
SOURCE_FOLDERS = ("overlays", "generated")
PUBLIC_PACKAGE = "partner_api"
# Where the wheel carries the OpenAPI document it was generated from.
WHEEL_SPEC = "partner_api/openapi/partner-api.yaml"
STAMP_CMD = "make stamp"


class ReleaseError(Exception):
    """A refusal: the message says what is wrong and what to do."""
