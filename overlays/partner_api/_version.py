"""Package version and provenance: the single version source (hatchling reads `__version__` from here).

The version is SemVer MAJOR.MINOR.PATCH, independent of the OpenAPI document's `info.version` (that one is
`partner_api.API_VERSION`). `SPEC_SHA256` and `GENERATED_SHA256` record the spec and the `generated/` tree this
version was made from; the release tests fail when either changed and the version did not. Do not edit these three
lines by hand: after `make generate` run `make stamp`, which derives the bump from the API diff and writes the
CHANGELOG.md entry.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["GENERATED_SHA256", "SPEC_SHA256", "__version__", "spec_path"]

__version__ = "3.3.0"
SPEC_SHA256 = "b41a364df8bf8152148582d024e4fad5fa5e3999193b318898b50df132930a64"
GENERATED_SHA256 = "00cb91c45ee827a201c7020533b5238fec119ec613a073bb8852d088f83ffc0f"

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
