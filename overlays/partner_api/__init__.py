"""Partner API client: typed methods, token lifecycle, the default-value rule, and a local sandbox.

from partner_api import PartnerClient

with PartnerClient.from_env() as client:
    user = client.get_user(username="alice").user

Models: `partner_api.models` (`from partner_api.models import User`); `UNSET`/`Unset`: `partner_api.types`;
the generated low-level endpoint functions: `partner_api.low_level`. These are imported on first use, so
`import partner_api` stays cheap.
"""

from typing import TYPE_CHECKING, Any

from partner_api_client import API_VERSION

from ._client import AsyncPartnerClient, PartnerClient
from ._exceptions import (
    AlreadyExistsError,
    APIConnectionError,
    AuthenticationError,
    DefaultValueError,
    DefaultValueWarning,
    InvalidParametersError,
    NotFoundError,
    PartnerAPIError,
    RateLimitedError,
    ServerError,
)
from ._retry import RetryPolicy
from ._version import __version__, spec_path

if TYPE_CHECKING:
    from . import low_level, models, types

_LAZY_SUBMODULES = frozenset({"low_level", "models", "types"})


def __getattr__(name: str) -> Any:
    """`partner_api.models`, `.types` and `.low_level` without an explicit import, loaded on first use."""
    if name in _LAZY_SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "API_VERSION",
    "APIConnectionError",
    "AlreadyExistsError",
    "AsyncPartnerClient",
    "AuthenticationError",
    "DefaultValueError",
    "DefaultValueWarning",
    "InvalidParametersError",
    "NotFoundError",
    "PartnerAPIError",
    "PartnerClient",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "__version__",
    "low_level",
    "models",
    "spec_path",
    "types",
]
