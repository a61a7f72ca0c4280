"""What a user sees: one import (`partner_api`), wire names, typed payloads (the examples: test_doc_examples.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
import partner_api
import pytest
from partner_api import PartnerClient, ServerError

from tests.support.doc_examples import ROOT, doc_files


def test_user_facing_code_imports_only_partner_api() -> None:
    texts = {str(p.relative_to(ROOT)): p.read_text() for p in doc_files()}
    texts.update({str(p.relative_to(ROOT)): p.read_text() for p in (ROOT / "overlays" / "examples").rglob("*.py")})
    for name, text in texts.items():
        assert not re.search(r"^\s*(from|import) partner_api_client\b", text, re.MULTILINE), name


def test_models_types_and_low_level_come_from_partner_api() -> None:
    import partner_api_client.endpoints
    import partner_api_client.models
    import partner_api_client.types
    from partner_api.low_level import AuthenticatedClient, get_user
    from partner_api.models import User
    from partner_api.types import UNSET, Unset

    assert User is partner_api_client.models.User
    assert (UNSET, Unset) == (partner_api_client.types.UNSET, partner_api_client.types.Unset)
    assert get_user is partner_api_client.endpoints.get_user and callable(get_user.sync_detailed)
    assert set(partner_api.models.__all__) == set(partner_api_client.models.__all__)
    assert AuthenticatedClient is partner_api_client.endpoints.AuthenticatedClient
    assert partner_api.types.UNSET is UNSET


def test_import_partner_api_loads_no_models_until_asked() -> None:
    program = (
        "import sys, partner_api\n"
        "print(sorted(m for m in sys.modules if m.startswith(('partner_api_client.models', 'partner_api.models',"
        " 'partner_api_client.endpoints'))))\n"
        "partner_api.models.User\n"
        "print('partner_api.models' in sys.modules)\n"
    )
    lines = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert lines.splitlines() == ["[]", "True"]


def test_the_clients_and_attrs_are_loaded_on_first_use() -> None:
    """`import partner_api` loads the exceptions, not the clients; importing a client does not load attrs (the
    models do, on the first call); the lazy names are the same objects as the modules' own."""
    program = (
        "import sys, partner_api\n"
        "lazy = ('partner_api._client', 'partner_api._retry', 'attr', 'tenacity')\n"
        "print(sorted(m for m in lazy if m in sys.modules))\n"
        "from partner_api import PartnerClient, AsyncPartnerClient, RetryPolicy\n"
        "import partner_api._client as c, partner_api._retry as r\n"
        "print(PartnerClient is c.PartnerClient, AsyncPartnerClient is c.AsyncPartnerClient,"
        " RetryPolicy is r.RetryPolicy)\n"
        "print('attr' in sys.modules, 'PartnerClient' in dir(partner_api))\n"
        "try:\n"
        "    partner_api.NoSuchName\n"
        "except AttributeError as error:\n"
        "    print(error)\n"
    )
    lines = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert lines.splitlines() == [
        "[]",
        "True True True",
        "False True",
        "module 'partner_api' has no attribute 'NoSuchName'",
    ]


def _client(answer: dict[str, object]) -> PartnerClient:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/partner/login":
            return httpx.Response(200, json={"result": "OK", "access_token": "t", "create_time": 1, "expire_time": 9})
        return httpx.Response(200, json=answer)

    return PartnerClient(
        "http://127.0.0.1:9", "p", "k", http_client=httpx.Client(transport=httpx.MockTransport(respond))
    )


@pytest.mark.parametrize(
    ("method", "arguments", "answer"),
    [
        ("get_user", {"user_id": 3}, {"result": "OK"}),
        ("get_user_traffic", {"username": "a"}, {"result": "OK", "traffic": None}),
        ("add_user_purchase", {"user_id": 3, "type": "google", "receipt": {}}, {"result": "OK", "user": {"id": 3}}),
    ],
)
def test_an_ok_answer_without_its_payload_is_a_server_error(
    method: str, arguments: dict[str, object], answer: dict[str, object]
) -> None:
    """A server cannot be made to send this, so a mock transport stands in for it."""
    with _client(answer) as client, pytest.raises(ServerError, match="malformed answer") as caught:
        getattr(client, method)(**arguments)
    assert caught.value.result == "MALFORMED_ANSWER" and caught.value.status_code == 200


def test_the_payload_is_typed_without_unset(partner_sandbox: partner_api.sandbox.SandboxServer) -> None:
    with partner_sandbox.client() as client:
        user = client.create_user(username="typed-payload").user
        assert type(user).__name__ == "User" and client.get_user(user_id=user.id).user.id == user.id
        purchase = client.add_user_purchase(user_id=user.id, type="googleplay", receipt={"n": 0}).purchase
        assert purchase.type == "googleplay"
