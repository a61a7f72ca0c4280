"""Partner API client: typed methods, token lifecycle, the default-value rule, and a local sandbox.

from partner_api import PartnerClient

with PartnerClient.from_env() as client:
    user = client.get_user(username="alice").user
"""

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
    "spec_path",
]
