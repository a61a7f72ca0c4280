"""The generated low-level endpoint functions, one module per operation, and the low-level clients.

from partner_api.low_level import get_user
from partner_api.models import GetUserRequest

answer = get_user.sync_detailed(client=client.low_level, body=GetUserRequest(user_id=7))

Each module has `sync`, `sync_detailed`, `asyncio` and `asyncio_detailed`. `client.low_level` is a
`partner_api.low_level.Client` over a `PartnerClient`'s connection and token lifecycle; the default-value
rule, retries and the error mapping of `PartnerClient` do not apply here.
"""

from partner_api_client.endpoints import *  # noqa: F403 - every endpoint module, listed in its __all__
from partner_api_client.endpoints import __all__ as __all__
