"""Package version and provenance: the single version source (hatchling reads `__version__` from here).

The version is `<info.version of openapi/partner-api.yaml>.<build>`. `SPEC_SHA256` and `GENERATED_SHA256`
record the spec and the `generated/` tree this version was made from; the release tests fail when either
changed and the version did not. Do not edit these three lines by hand: after `make generate` run
`.venv/bin/python generator/release.py stamp`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["GENERATED_SHA256", "SPEC_SHA256", "__version__", "spec_path"]

__version__ = "2.0.0.15"
SPEC_SHA256 = "88081951183981b33d5f4f343df80f1eb2a321e99e4fdcbc11adb18d879c5df9"
GENERATED_SHA256 = "5fc46bf1e05912732677b76780cdf8d6fcd9959ee986b31e9a68ae5b908d9c4c"

_SPEC_NAME = "partner-api.yaml"


def spec_path() -> Path:
    """Return the path of the OpenAPI document this package was generated from.

    Installed from a wheel, it is package data (`partner_api/openapi/partner-api.yaml`). In an editable install
    or a source checkout (`overlays/partner_api/`), it is `openapi/partner-api.yaml` at the repository root.
    """
    here = Path(__file__).resolve().parent
    candidates = [here / "openapi" / _SPEC_NAME]
    if here.parent.name == "overlays":
        candidates.append(here.parent.parent / "openapi" / _SPEC_NAME)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"OpenAPI document not found; looked at {', '.join(map(str, candidates))}")
