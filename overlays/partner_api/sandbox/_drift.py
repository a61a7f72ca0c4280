"""Contract drift on purpose (`--drift SEED`): answers that deviate from the spec, the same way for the same seed.

Each operation gets its own seeded plan, drawn from the spec's `ANSWER_RULES` (never from names): at most one
field of its answer sent as `null`, one sent with another JSON type, one field the spec does not declare; and every
NOT_FOUND answer carries a result code the spec does not list, with the same HTTP status. Fields are picked at the
answer's top level, in its payload object, or in the objects of its lists (every item then), so that no deviation
lies inside another. What was actually sent is recorded (`applied`, `GET /_sandbox/drift`): a deviation inside a
list shows only when the list has items. Paths are JSONPath (`$.user.license_id`, `$.devices[*].create_time`),
as `partner-api check-spec` reports them.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any, Literal

from partner_api_client.spec_facts import ANSWER_RULES, OPERATIONS

from .._spec_types import FieldRule
from ._errors import NOT_FOUND

__all__ = ["Deviation", "Drift"]

Kind = Literal["null", "type-mismatch", "unknown-field", "unknown-result"]

_EXTRA_NAMES = ("nickname", "region", "tier", "score", "labels", "note", "flags")
_EXTRA_VALUES: tuple[Any, ...] = ("drifted", 7, True, {"source": "drift"}, ["a", "b"], 2.5)
_UNKNOWN_RESULTS = ("USER_NOT_FOUND", "NO_SUCH_ENTITY", "RESOURCE_MISSING")
# A value of another JSON type than the spec's, per JSON type.
_MISTYPED: dict[str, Any] = {
    "integer": "1700000000",
    "number": "1.5",
    "string": 12345,
    "boolean": "yes",
    "object": "DE",
    "array": {"items": 1},
}


@dataclass(frozen=True)
class Deviation:
    """One planned deviation: `kind` at `path` (a container path and a field) of one operation's answers."""

    operation: str
    kind: Kind
    container: tuple[str, ...]
    """Keys from the answer's root to the object holding the field; `[*]` after a list's key: each of its items."""
    field: str
    value: Any = None

    @property
    def path(self) -> str:
        return "$" + "".join(part if part == "[*]" else f".{part}" for part in (*self.container, self.field))

    def describe(self) -> dict[str, str]:
        return {"operation": self.operation, "kind": self.kind, "path": self.path}


def _slots(model: str, container: tuple[str, ...]) -> list[tuple[tuple[str, ...], FieldRule]]:
    """(container, field) pairs a deviation may hit: the answer's optional fields, and those of its objects."""
    found: list[tuple[tuple[str, ...], FieldRule]] = []
    for rule in ANSWER_RULES[model].fields:
        if rule.json_name in ("result", "error"):
            continue
        if not rule.required:
            found.append((container, rule))
        if rule.kind == "model" and rule.model in ANSWER_RULES:
            found += _slots(rule.model, (*container, rule.json_name))
        elif rule.kind == "list" and rule.item_model in ANSWER_RULES:
            found += _slots(rule.item_model, (*container, rule.json_name, "[*]"))
    return found


def _plan(seed: int, operation: str) -> list[Deviation]:
    rng = random.Random(f"{seed}:{operation}")  # noqa: S311 - test data, not security
    slots = _slots(OPERATIONS[operation].response_model, ())
    rng.shuffle(slots)
    plan: list[Deviation] = []
    taken: list[tuple[str, ...]] = []

    def free(path: tuple[str, ...]) -> bool:  # no deviation inside another
        return all(path[: len(other)] != other and other[: len(path)] != path for other in taken)

    for kind in ("null", "type-mismatch"):
        if rng.random() < 0.7:
            for container, rule in slots:
                path = (*container, rule.json_name)
                if free(path) and (kind == "null" or rule.json_type in _MISTYPED):
                    value = None if kind == "null" else _MISTYPED[rule.json_type]
                    plan.append(Deviation(operation, kind, container, rule.json_name, value))
                    taken.append(path)
                    break
    if rng.random() < 0.7 or not plan:
        containers = sorted({container for container, _rule in slots} | {()})
        container, name = rng.choice(containers), rng.choice(_EXTRA_NAMES)
        if free((*container, name)):
            plan.append(Deviation(operation, "unknown-field", container, name, rng.choice(_EXTRA_VALUES)))
    return plan


def _containers(body: Any, container: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects at `container` in `body` (none when a part is absent; every item for `[*]`)."""
    found = [body]
    for part in container:
        if part == "[*]":
            found = [item for value in found if isinstance(value, list) for item in value]
        else:
            found = [value[part] for value in found if isinstance(value, dict) and part in value]
    return [value for value in found if isinstance(value, dict)]


class Drift:
    """The seeded deviations of one sandbox, and the record of those it sent."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.plans = {operation: _plan(seed, operation) for operation in OPERATIONS}
        self.unknown_result = random.Random(seed).choice(_UNKNOWN_RESULTS)  # noqa: S311 - test data
        self._applied: dict[tuple[str, str, str], None] = {}
        self._lock = threading.Lock()

    def answer(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """`body` (an OK answer) with the operation's deviations."""
        for deviation in self.plans.get(operation, ()):
            targets = _containers(body, deviation.container)
            for target in targets:
                target[deviation.field] = deviation.value
            if targets:
                self._record(operation, deviation.kind, deviation.path)
        return body

    def result(self, operation: str, result: str) -> str:
        """The `result` code sent for an error answer: NOT_FOUND becomes a code the spec does not list."""
        if result != NOT_FOUND:
            return result
        self._record(operation, "unknown-result", "$.result")
        return self.unknown_result

    def _record(self, operation: str, kind: str, path: str) -> None:
        with self._lock:
            self._applied[(operation, kind, path)] = None

    def applied(self) -> list[dict[str, str]]:
        """The deviations sent since start or `clear()`, in the order first sent."""
        with self._lock:
            return [{"operation": op, "kind": kind, "path": path} for op, kind, path in self._applied]

    def clear(self) -> None:
        with self._lock:
            self._applied.clear()
