"""The API's data models, generated from the spec: `from partner_api.models import User, UserExtraInput`.

Attributes are the API's field names (`purchase.type`, `user.id`); only a Python keyword gets a trailing `_`.
Scalars an answer leaves out read as their default (0, "", false), lists as []; an optional object that is
absent is `UNSET` (see `partner_api.types`).
"""

from partner_api_client.models import *  # noqa: F403 - the generated package's public names, listed in its __all__
from partner_api_client.models import __all__ as __all__
