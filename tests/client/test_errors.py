"""The API's own error answers (no injected fault), each mapped to its exception class.

Injected faults (5xx, non-JSON bodies, errors in a 200, 429, refused and dropped connections, failed logins)
are in tests/reliability/test_faults.py; the mapping table itself in tests/unit/test_error_mapping.py.
"""

from __future__ import annotations

import pytest
from partner_api import AlreadyExistsError, InvalidParametersError, NotFoundError, PartnerAPIError, PartnerClient


def test_not_found(client: PartnerClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_user(username="nobody-here")
    assert (caught.value.result, caught.value.status_code, caught.value.operation) == ("NOT_FOUND", 404, "getUser")
    assert isinstance(caught.value, PartnerAPIError)


def test_already_exists(client: PartnerClient) -> None:
    client.create_user(username="twice")
    with pytest.raises(AlreadyExistsError) as caught:
        client.create_user(username="twice")
    assert (caught.value.result, caught.value.status_code) == ("USER_ALREADY_EXISTS", 409)


def test_invalid_parameters_from_the_server(client: PartnerClient) -> None:
    # The client cannot know the window is upside down; the server says so.
    with pytest.raises(InvalidParametersError) as caught:
        client.get_traffic_report(start_time=2_000_000_000, end_time=1_000_000_000)
    assert (caught.value.result, caught.value.status_code) == ("INVALID_PARAMETERS", 400)
