"""Partner API client: typed methods, token lifecycle, the default-value rule, and a local sandbox."""

from partner_api_client import API_VERSION

from ._version import __version__

__all__ = ["API_VERSION", "__version__"]
