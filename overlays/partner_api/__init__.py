"""Partner API client: typed methods, token lifecycle, the default-value rule, and a local sandbox.

from partner_api import PartnerClient

with PartnerClient.from_env() as client:
    user = client.get_user(username="alice").user

Models: `partner_api.models` (`from partner_api.models import User`); `UNSET`/`Unset`: `partner_api.types`;
the generated low-level endpoint functions: `partner_api.low_level`; `check_spec(client)`: where the live API
differs from the spec (the `cli` extra). These, and the clients themselves, are imported on first use, so
`import partner_api` stays cheap.
"""

from typing import TYPE_CHECKING, Any

from partner_api_client import API_VERSION

from . import _exceptions
from ._exceptions import *  # noqa: F403 (the error classes: their list is `_exceptions.__all__`, one copy)
from ._version import __version__, spec_path

if TYPE_CHECKING:
    from . import low_level, models, types
    from ._check_spec import check_spec
    from ._client import AsyncPartnerClient, PartnerClient
    from ._retry import RetryPolicy

# Loaded on first use, so that `import partner_api` costs little more than `import httpx`: the clients (the
# operation tables, the token lifecycle), the retry policy, the models and the low-level functions.
_LAZY = {
    "PartnerClient": "._client",
    "AsyncPartnerClient": "._client",
    "RetryPolicy": "._retry",
    "check_spec": "._check_spec",
    "low_level": ".low_level",
    "models": ".models",
    "types": ".types",
}


def __getattr__(name: str) -> Any:
    """The names of `_LAZY`, imported on first use (then cached in the module, so this runs once per name)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module, __name__)
    value = loaded if module == f".{name}" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "API_VERSION",
    "AsyncPartnerClient",
    "PartnerClient",
    "RetryPolicy",
    "__version__",
    "check_spec",
    "low_level",
    "models",
    "spec_path",
    "types",
]
__all__ += _exceptions.__all__
