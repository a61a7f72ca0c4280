"""Reading an OK answer into its generated model: strictly (the default), or leniently while the spec catches up.

The generated `from_dict` reads `null` as a field's absence and refuses a value of another JSON type with a
`MalformedAnswer` naming the field's path (_answer_json.py). Here that becomes a `ServerError` with
`result == "MALFORMED_ANSWER"` (strict), or, with `strict_answers=False`, the field is read as absent (its default,
`UNSET`; a list item that is not an object is left out) and the answer is returned: one WARNING per operation and
field path per client, with the two JSON types and never the value. A required field that is missing, or an answer
that is not a JSON object, cannot be read as anything: a `ServerError` in both modes.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from typing import Any

import httpx

from ._answer_json import MalformedAnswer, decode
from ._exceptions import ServerError
from ._result_codes import MALFORMED_ANSWER

__all__ = ["STRICT_ANSWERS", "AnswerReader", "malformed_answer"]

logger = logging.getLogger("partner_api.answers")
_INDEX = re.compile(r"\[\d+\]")


def malformed_answer(operation: str, error: MalformedAnswer, status: int | None) -> ServerError:
    """The `ServerError` of an answer that is not what the spec says: the path and the JSON types, no value."""
    return ServerError(
        f"malformed answer: {error.where}: expected {error.expected}, received {error.received}",
        result=MALFORMED_ANSWER, status_code=status, operation=operation,
    )  # fmt: skip


def _drop(data: Any, path: list[str | int]) -> bool:
    """Remove the value at `path` (a mistyped field reads as absent; a list item is left out); False if none."""
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if isinstance(parent, dict) and isinstance(last, str) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        del parent[last]
        return True
    return False


class AnswerReader:
    """How one client reads its answers: `strict` raises on a mistyped field, lenient reads it as absent."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self._warned: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def parse(self, operation: str, model: Any, data: Any, status: int | None) -> Any:
        """`model.from_dict(data)`; a malformed answer raises `ServerError`, or is read leniently."""
        try:
            return model.from_dict(data)
        except MalformedAnswer as error:
            failure = error
        # The raw answer stays out of the frame locals that crash reporters record: no frame keeps it on the way out.
        if self.strict or not failure.path:
            del data
            raise malformed_answer(operation, failure, status) from None
        answer = [data]
        del data
        return self._lenient(operation, model, answer, status, failure)

    def read(self, operation: str, model: Any, response: httpx.Response) -> Any:
        """The generated clients' `answer_reader` (the low-level endpoint functions): decode, then `parse`."""
        try:
            return self.parse(operation, model, decode(response), response.status_code)
        except MalformedAnswer as error:  # from `decode`: not JSON (`parse` raises only `ServerError`)
            raise malformed_answer(operation, error, response.status_code) from None

    def _lenient(
        self, operation: str, model: Any, answer: list[Any], status: int | None, error: MalformedAnswer
    ) -> Any:
        repaired = copy.deepcopy(answer.pop())  # the caller's answer stays as it came
        while True:
            if not error.path or not _drop(repaired, error.path):  # nothing to read as absent: a required field
                del repaired
                raise malformed_answer(operation, error, status) from None
            self._warn(operation, error)
            try:
                return model.from_dict(repaired)
            except MalformedAnswer as next_error:
                error = next_error

    def _warn(self, operation: str, error: MalformedAnswer) -> None:
        where = _INDEX.sub("[]", error.where)  # one warning for a field of every item of a list
        with self._lock:
            if (operation, where) in self._warned:
                return
            self._warned.add((operation, where))
        logger.warning(
            "partner_api %s: answer field %s: expected %s, received %s; read as absent (strict_answers=False)",
            operation, where, error.expected, error.received,
        )  # fmt: skip


STRICT_ANSWERS = AnswerReader(strict=True)
"""For answers a client cannot read leniently (the login: a token without its times is no token)."""
