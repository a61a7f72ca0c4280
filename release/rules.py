"""THE table: what each kind of change means for the version and how the changelog says it.

Every change of the API diff (release/api_diff.py, from Optic) and of the Python surface (release/surface.py, from
griffe) meets the rows below in order; the first row that applies gives the change its bump, its changelog section
and its sentence. A change no row names is a minor "Changed" entry, so nothing is dropped or guessed to be harmless.
tests/release/test_release_rules.py has one test per row, each on a copy of the spec.

In a sentence, `{ops}` stands for the operations the change appears in (a shared schema changes every operation
that uses it; those become one line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .api_diff import Change
from .versions import Bump

BREAKING, ADDED, CHANGED, DEPRECATED, FIXED, DOCS = "Breaking", "Added", "Changed", "Deprecated", "Fixed", "Docs"
SECTIONS = (BREAKING, ADDED, CHANGED, DEPRECATED, FIXED, DOCS)
"""Changelog sections, in the order an entry lists them (Keep a Changelog headings)."""

DOC_KEYWORDS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs", "x-doc-status"})
TYPE_KEYWORDS = frozenset({"type", "format", "$ref", "items"})
# Request constraints: a larger (upper bounds) or smaller (lower bounds) value, or a new one, accepts less.
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})


@dataclass(frozen=True)
class Rule:
    """One row: `applies` picks the changes, `bump` / `section` classify them, `says` words them."""

    name: str
    bump: Bump
    section: str
    applies: Callable[[Change], bool]
    says: Callable[[Change], str]


def _code(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(f"`{item}`" for item in value) or "nothing"
    return f"`{value}`"


def _side(change: Change) -> str:
    if change.part == "request":
        return "request field"
    return "answer field" if change.status.startswith("2") else "error answers' field"


def _short(value: Any) -> bool:
    """A value worth quoting in a sentence: a scalar or a list of scalars, briefly written."""
    items = value if isinstance(value, list) else [value]
    return value is not None and all(isinstance(item, str | int | float) for item in items) and len(str(value)) <= 80


def _where(change: Change) -> str:
    if change.part == "operation":
        return "the operation's"
    if change.part == "python":
        return "Python"
    if change.field:
        return f"the {_side(change)} `{change.field}`"
    return "the request's" if change.part == "request" else "the answer's"


def _narrows(change: Change) -> bool:
    """A request constraint that now accepts less than before."""
    before, after = change.before, change.after
    if change.keyword in UPPER_BOUNDS:
        return after is not None and (before is None or after < before)
    if change.keyword in LOWER_BOUNDS:
        return after is not None and (before is None or after > before)
    if change.keyword in ("pattern", "const", "multipleOf"):
        return after is not None
    if change.keyword == "additionalProperties":
        return after is False
    return False


def _enum_removed(change: Change) -> list[Any]:
    return [value for value in change.before or [] if value not in (change.after or [])]


def _enum_added(change: Change) -> list[Any]:
    return [value for value in change.after or [] if value not in (change.before or [])]


def _statuses_changed(change: Change) -> list[tuple[str, str]]:
    """(code, "403" or "404 (was 400)") for each code of an `x-http-status` map that is new or answered otherwise."""
    before = change.before if isinstance(change.before, dict) else {}
    return [(code, f"{status}" if code not in before else f"{status} (was {before[code]})")
            for code, status in (change.after or {}).items() if before.get(code) != status]  # fmt: skip


def _python_method(operation_id: str) -> str:
    from openapi_python_client.strings import snake_case  # the generator's own rule for method names

    return f"client.{snake_case(operation_id)}()"


def _summary(value: Any) -> str:
    summary = (value or {}).get("summary", "") if isinstance(value, dict) else ""
    return f": {summary.rstrip('.')}" if summary else ""


def _was_deprecated(change: Change) -> str:
    return " (it was deprecated)" if isinstance(change.before, dict) and change.before.get("deprecated") else ""


def _op(change: Change, kind: str) -> bool:
    return change.part == "operation" and change.kind == kind and not change.keyword


def _field(change: Change, part: str, kind: str) -> bool:
    return change.part == part and change.kind == kind and bool(change.field) and not change.keyword


def _keyword(change: Change, *keywords: str, parts: Iterable[str] = ("request", "response", "parameter")) -> bool:
    return change.kind == "changed" and change.keyword in keywords and change.part in parts


RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------------------------------------------- major
    Rule(
        "operation removed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _op(c, "removed"),
        lambda c: (
            f"Removed the operation {{ops}} (`{c.endpoint}`, `{_python_method(c.operation)}`){_was_deprecated(c)}."
        ),
    ),
    Rule(
        "operation renamed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _keyword(c, "operationId", parts=("operation",)),
        lambda c: (
            f"Renamed the operation `{c.before}` to {{ops}} (`{c.endpoint}`): the method is now "
            f"`{_python_method(c.operation)}`, no longer `{_python_method(c.before)}`."
        ),
    ),
    Rule(
        "response field removed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _field(c, "response", "removed"),
        lambda c: f"{{ops}}: the {_side(c)} `{c.field}` was removed{_was_deprecated(c)}.",
    ),
    Rule(
        "request field removed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _field(c, "request", "removed"),
        lambda c: (
            f"{{ops}}: the request field `{c.field}` was removed: a call that passes it is refused{_was_deprecated(c)}."
        ),
    ),
    Rule(
        "request field added as required",
        Bump.MAJOR,
        BREAKING,
        lambda c: _field(c, "request", "added") and bool((c.after or {}).get("required")),
        lambda c: f"{{ops}}: new required request field `{c.field}`: every call must now pass it.",
    ),
    Rule(
        "request field turned required",
        Bump.MAJOR,
        BREAKING,
        lambda c: _keyword(c, "required", parts=("request",)) and bool(c.after) and not c.before,
        lambda c: f"{{ops}}: the request field `{c.field}` is now required (it was optional).",
    ),
    Rule(
        "type changed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _keyword(c, *TYPE_KEYWORDS),
        lambda c: (
            f"{{ops}}: the {_side(c)} `{c.field or '(body)'}` changed its {c.keyword} from "
            f"{_code(c.before)} to {_code(c.after)}."
        ),
    ),
    Rule(
        "request enum value removed",
        Bump.MAJOR,
        BREAKING,
        lambda c: _keyword(c, "enum", parts=("request",)) and bool(_enum_removed(c)),
        lambda c: f"{{ops}}: the request field `{c.field}` no longer accepts {_code(_enum_removed(c))}.",
    ),
    Rule(
        "request type narrowed",
        Bump.MAJOR,
        BREAKING,
        lambda c: c.part == "request" and c.kind == "changed" and _narrows(c),
        lambda c: (
            f"{{ops}}: the request field `{c.field or '(body)'}` accepts less: {c.keyword} "
            f"{_code(c.before) if c.before is not None else '(none)'} -> {_code(c.after)}."
        ),
    ),
    Rule(
        "response field turned optional",
        Bump.MAJOR,
        BREAKING,
        lambda c: _keyword(c, "required", parts=("response",)) and bool(c.before) and not c.after,
        lambda c: f"{{ops}}: the {_side(c)} `{c.field}` may now be absent (it was always present).",
    ),
    Rule(
        "request media type removed",
        Bump.MAJOR,
        BREAKING,
        lambda c: c.part == "request" and c.keyword == "content type" and c.kind == "removed",
        lambda c: f"{{ops}}: the request body is no longer accepted as `{c.before}`.",
    ),
    Rule(
        "Python name removed or signature broken",
        Bump.MAJOR,
        BREAKING,
        lambda c: c.part == "python" and c.kind == "broken",
        lambda c: f"Python: `{c.field}`: {c.before}.",
    ),
    # ---------------------------------------------------------------------------------------------------- minor
    Rule(
        "operation added",
        Bump.MINOR,
        ADDED,
        lambda c: _op(c, "added"),
        lambda c: f"New operation {{ops}} (`{c.endpoint}`, `{_python_method(c.operation)}`){_summary(c.after)}.",
    ),
    Rule(
        "optional request field added",
        Bump.MINOR,
        ADDED,
        lambda c: _field(c, "request", "added"),
        lambda c: f"{{ops}}: new optional request field `{c.field}`.",
    ),
    Rule(
        "response field added",
        Bump.MINOR,
        ADDED,
        lambda c: _field(c, "response", "added"),
        lambda c: f"{{ops}}: new {_side(c)} `{c.field}`.",
    ),
    Rule(
        "Python name added",
        Bump.MINOR,
        ADDED,
        lambda c: c.part == "python" and c.kind == "added",
        lambda c: f"Python: new public name `{c.field}`.",
    ),
    Rule(
        "deprecated",
        Bump.MINOR,
        DEPRECATED,
        lambda c: c.kind == "changed" and c.keyword == "deprecated" and bool(c.after),
        lambda c: (
            "The operation {ops} is deprecated: calls warn (DeprecationWarning) and it will be removed in a "
            "major release."
            if c.part == "operation"
            else f"{{ops}}: the {_side(c)} `{c.field}` is deprecated and will be removed in a major release."
        ),
    ),
    Rule(
        "retry safety loosened",
        Bump.MINOR,
        CHANGED,
        lambda c: _keyword(c, "x-safe-to-retry", parts=("operation",)) and c.after is True,
        lambda c: (
            "{ops} is now safe to retry (`x-safe-to-retry: true`): the client repeats it after a dropped "
            "connection, 429 or 502/503/504."
        ),
    ),
    Rule(
        "retry safety tightened",
        Bump.MINOR,
        CHANGED,
        lambda c: _keyword(c, "x-safe-to-retry", parts=("operation",)) and c.after is not True,
        lambda c: "{ops} is no longer retried once it may have reached the server (`x-safe-to-retry: false`).",
    ),
    Rule(
        "request enum value added",
        Bump.MINOR,
        CHANGED,
        lambda c: _keyword(c, "enum", parts=("request",)) and bool(_enum_added(c)),
        lambda c: f"{{ops}}: the request field `{c.field}` also accepts {_code(_enum_added(c))}.",
    ),
    Rule(
        "answer enum value added",
        Bump.MINOR,
        CHANGED,
        lambda c: _keyword(c, "enum", parts=("response",)) and bool(_enum_added(c)),
        lambda c: f"{{ops}}: the {_side(c)} `{c.field}` may now be {_code(_enum_added(c))}.",
    ),
    Rule(
        "result code status",
        Bump.MINOR,
        CHANGED,
        lambda c: c.kind == "changed" and c.keyword == "x-http-status" and isinstance(c.after, dict),
        lambda c: (
            f"{{ops}}: the HTTP status of each error `{c.field}`: "
            + ", ".join(f"`{code}` {status}" for code, status in _statuses_changed(c))
            + "."
        ),
    ),
    # ---------------------------------------------------------------------------------------------------- patch
    Rule(
        "documentation",
        Bump.PATCH,
        DOCS,
        lambda c: c.kind == "changed" and c.keyword in DOC_KEYWORDS,
        lambda c: (
            f"{{ops}}: the {c.keyword} of the operation was updated."
            if c.part == "operation"
            else f"{{ops}}: the {c.keyword} of the {_side(c)} `{c.field or '(body)'}` was updated."
        ),
    ),
    # ------------------------------------------------------------------------------------------- anything else
    Rule(
        "other change",
        Bump.MINOR,
        CHANGED,
        lambda c: True,
        lambda c: (
            f"{{ops}}: {_where(c)} `{c.keyword or c.kind}` "
            + ("was removed" if c.after is None else "was added" if c.before is None else "changed")
            + (f" (it was {_code(c.before)})" if _short(c.before) and c.after is None else "")
            + (f" ({_code(c.after)})" if _short(c.after) and c.before is None else "")
            + (f" from {_code(c.before)} to {_code(c.after)}" if _short(c.before) and _short(c.after) else "")
            + "."
        ),
    ),
)


def rule_for(change: Change) -> Rule:
    """The first row that applies to `change`."""
    return next(rule for rule in RULES if rule.applies(change))
