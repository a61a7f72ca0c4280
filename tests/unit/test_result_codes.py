"""One copy of the result codes: the spec's `ResultCode` (+ `x-http-status`) and each exception class's
`result_codes` make every table: the client's error mapping, the CLI's exit codes, the sandbox's statuses and the
docs' table (docs/pages/guide/client.md). A code added to the spec fails here until one class claims it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
import yaml
from partner_api import PartnerAPIError, spec_path
from partner_api._envelope import error_for_answer
from partner_api._result_codes import MALFORMED_ANSWER, RESULT_CODES, by_result, class_for_code, error_classes
from partner_api._secrets import SecretRegistry
from partner_api.cli._exit import EXIT_CODES, OTHER, exit_code, exit_code_of
from partner_api.sandbox._errors import HTTP_STATUS, ApiError, result_for_status

PAGES = Path(__file__).resolve().parents[2] / "docs" / "pages" / "guide"
RESULT_CODES_PAGE = PAGES / "client.md"  # "Result codes"
EXIT_CODES_PAGE = PAGES / "cli.md"  # "Output and exit codes"
ERROR_CODES = [code for code in RESULT_CODES if code != "OK"]
UNLISTED = [("5xx", "ServerError"), ("429", "RateLimitedError"), ("401, 403", "AuthenticationError"),
            ("404", "NotFoundError"), ("200, other 4xx", "PartnerAPIError")]  # fmt: skip


def test_the_codes_are_the_spec_s() -> None:
    schema = yaml.safe_load(spec_path().read_text())["components"]["schemas"]["ResultCode"]
    assert list(RESULT_CODES) == schema["enum"] and schema["x-http-status"] == RESULT_CODES


@pytest.mark.parametrize("code", ERROR_CODES)
def test_each_code_maps_to_one_class_an_exit_code_and_a_sandbox_status(code: str) -> None:
    cls = class_for_code(code)
    assert cls is not None, f"{code}: no exception class lists it in result_codes"
    assert [c for c in error_classes() if code in c.result_codes] == [cls]
    assert exit_code_of(cls) in set(EXIT_CODES.values())
    status = RESULT_CODES[code]
    assert HTTP_STATUS[code] == status == ApiError(code, "m").status
    # the client's mapping: by `result` first, whatever the status; the sandbox's result for that status is this code
    request = httpx.Request("POST", "https://partner.example.com/partner/v2/getUser")
    for sent_status in (status, 200, 500):
        response = httpx.Response(sent_status, json={"result": code, "error": "e"}, request=request)
        error = error_for_answer(response, "getUser", SecretRegistry("k"), response.json())
        assert (type(error), error.result) == (cls, code)
        assert exit_code(error) == exit_code_of(cls)
    assert result_for_status(status) == code


def test_every_claimed_code_is_in_the_spec_and_claimed_once() -> None:
    claimed = [code for cls in error_classes() for code in cls.result_codes]
    assert sorted(claimed) == sorted(set(claimed)) == sorted(ERROR_CODES)
    assert by_result() == {code: class_for_code(code) for code in ERROR_CODES}


def test_a_class_without_its_own_exit_code_takes_its_base_s() -> None:
    from partner_api import ServerError

    class QuotaExceededError(PartnerAPIError):
        pass

    class OverloadedError(ServerError):
        pass

    assert exit_code_of(QuotaExceededError) == OTHER
    assert exit_code_of(OverloadedError) == EXIT_CODES[ServerError] != OTHER


def docs_rows() -> list[str]:
    text = RESULT_CODES_PAGE.read_text()
    block = re.search(r"<!-- result-codes -->\n(.*?)<!-- /result-codes -->", text, re.DOTALL)
    assert block is not None
    return block.group(1).strip().splitlines()[2:]


def test_the_docs_table_is_built_from_the_same_tables() -> None:
    import partner_api

    expected = []
    for code in ERROR_CODES:
        cls = class_for_code(code)
        assert cls is not None
        expected.append(f"| `{code}` | {RESULT_CODES[code]} | `{cls.__name__}` | {exit_code_of(cls)} |")
    for statuses, name in UNLISTED:
        expected.append(f"| a code the spec does not list | {statuses} | `{name}` | "
                        f"{exit_code_of(getattr(partner_api, name))} |")  # fmt: skip
    server = partner_api.ServerError
    expected.append(f"| `{MALFORMED_ANSWER}` (the client's) | 2xx | `{server.__name__}` | {exit_code_of(server)} |")
    assert docs_rows() == expected, "\n".join(expected)


@pytest.mark.parametrize(("statuses", "name"), UNLISTED)
def test_the_unlisted_code_rows_match_the_client(statuses: str, name: str) -> None:
    request = httpx.Request("POST", "https://partner.example.com/partner/v2/getUser")
    examples = {"5xx": [500, 502, 503, 599], "200, other 4xx": [200, 400, 409, 418]}
    for status in examples[statuses] if statuses in examples else [int(s) for s in statuses.split(", ")]:
        response = httpx.Response(status, json={"result": "NEVER_LISTED"}, request=request)
        error = error_for_answer(response, "getUser", SecretRegistry("k"), response.json())
        assert (type(error).__name__, error.result) == (name, "NEVER_LISTED")


def test_the_cli_exit_table_names_each_code_on_its_exit_code_s_row() -> None:
    text = EXIT_CODES_PAGE.read_text()
    rows = dict(re.findall(r"^\| (\d+) \| (.*) \|$", text[text.index("| exit | meaning |") :], re.MULTILINE))
    for code in ERROR_CODES:
        cls = class_for_code(code)
        assert cls is not None
        assert code in rows[str(exit_code_of(cls))], (code, rows)
