"""`check_spec(client)`: where the live API answers differently from the spec (the engine of `partner-api check-spec`).

Read-only: it calls only the operations the spec marks `x-safe-to-retry: true` (never a mutation), with a user from
`user_id` / `username` or else the first item of the first page of the paged list, and one of them once more for a
user that cannot exist, to see an error answer. Each whole answer is validated against the spec's JSON Schema for
that operation and HTTP status (jsonschema, Draft 2020-12; an object that the spec does not open with
`additionalProperties` takes no other fields), plus what JSON Schema cannot state: the default-value rule (a
required field equal to its default is missing) and the HTTP status of each `result` (`x-http-status`).

A `Finding` has a kind, the operation, a JSONPath into the answer (`$.users[*].create_time`: every item), and the
expected and received JSON types. Findings never hold values: answers carry personal data. An operation that needs a
request field besides the user (a report's time window) is called with the values given in `fields`; without them it
is not called, and is listed in `skipped` with the fields it needs.

Needs the `cli` extra (pyyaml, jsonschema, jsonpath-ng); `import partner_api` does not load this module.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx
from partner_api_client.spec_facts import OPERATIONS, REQUEST_RULES

from ._answer_json import json_type
from ._exceptions import APIConnectionError
from ._result_codes import OK
from ._spec_types import Operation
from ._version import spec_path

if TYPE_CHECKING:
    from ._client import PartnerClient

__all__ = ["Finding", "SpecCheck", "check_spec"]

Kind = Literal[
    "unknown-field", "missing-field", "type-mismatch", "null", "unknown-result", "status-mismatch", "not-json"
]
_SPEC_ID = "urn:partner-api:spec"
_NO_SUCH_ID = 9007199254740991  # the largest id the spec allows; no real user has it
_DEFAULTS: dict[str, Any] = {"integer": 0, "number": 0, "string": "", "array": []}


@dataclass(frozen=True, order=True)
class Finding:
    """One place where an answer differs from the spec. Never a value: only JSON types and names."""

    operation: str
    path: str
    """JSONPath into the answer (`$.user.create_time`; `[*]`: every item of a list)."""
    kind: Kind
    expected: str
    received: str
    status: int = field(default=0, compare=False)
    """The HTTP status of the answer it was seen in."""
    location: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """Keys in the spec document of the schema the finding concerns (for `suggest_overlay`)."""

    def as_dict(self) -> dict[str, str]:
        """The five keys of `--format json`."""
        data = asdict(self)
        return {key: data[key] for key in ("kind", "operation", "path", "expected", "received")}

    def __str__(self) -> str:
        return f"{self.operation} {self.path}: {self.kind}: expected {self.expected}, received {self.received}"


@dataclass
class SpecCheck:
    """What `check_spec` saw: the findings, the operations it called, and those it left out (with why)."""

    findings: list[Finding]
    called: list[str]
    skipped: dict[str, str]
    spec: dict[str, Any] = field(repr=False)
    unknown_results: dict[str, int] = field(default_factory=dict)
    """Result codes the spec does not list, with the HTTP status each came with (codes are the API's vocabulary,
    not data: `suggest_overlay` adds them to the spec)."""

    @property
    def drift(self) -> bool:
        return bool(self.findings)

    def overlay(self) -> dict[str, Any]:
        """The OpenAPI Overlay that adds what was seen and the spec lacks (see `_spec_overlay`)."""
        from ._spec_overlay import suggest_overlay

        return suggest_overlay(self.spec, self.findings, self.unknown_results)


def load_spec(path: str | Path | None = None) -> dict[str, Any]:
    """The OpenAPI document (default: the one this package was generated from, `spec_path()`)."""
    import yaml

    # libyaml's safe loader when PyYAML has it (its wheels do): the same document, in a tenth of the time.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(Path(path or spec_path()).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    return document


def _closed(node: Any) -> Any:
    """A copy of a schema in which every object that lists `properties` and says nothing of other fields takes none:
    a field the spec does not declare becomes an `additionalProperties` error (an `unknown-field`)."""
    if isinstance(node, dict):
        copy = {key: _closed(value) for key, value in node.items()}
        if "properties" in copy and "additionalProperties" not in copy and "$ref" not in copy:
            copy["additionalProperties"] = False
        return copy
    if isinstance(node, list):
        return [_closed(item) for item in node]
    return node


class _Schemas:
    """The spec's schemas as a jsonschema registry, and where each lives in the document."""

    def __init__(self, spec: dict[str, Any]) -> None:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.spec = spec
        self._validator = Draft202012Validator
        resource = Resource.from_contents(_closed(spec), default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_SPEC_ID, resource)

    def node(self, location: tuple[str, ...]) -> Any:
        value: Any = self.spec
        for key in location:
            value = value[key]
        return value

    def deref(self, location: tuple[str, ...]) -> tuple[str, ...]:
        """Follow `$ref`s (local ones: `#/components/...`) from `location` to the schema it names."""
        for _ in range(32):
            node = self.node(location)
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return location
            location = tuple(part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/"))
        raise ValueError(f"$ref cycle at {'/'.join(location)}")

    def answer_schema(self, operation: Operation, status: int, ok: bool) -> tuple[str, ...] | None:
        """The location of the schema of `operation`'s answer: the 200 one when OK, else the error answer's."""
        path, method = operation.path, operation.method.lower()
        responses = self.spec["paths"][path][method]["responses"]
        if ok:
            key = "200" if "200" in responses else next((k for k in responses if k.startswith("2")), None)
        else:
            errors = [k for k in responses if not k.startswith("2")]
            key = str(status) if str(status) in errors else (errors[0] if errors else None)
        if key is None:
            return None
        response = self.deref(("paths", path, method, "responses", key))
        content = self.node(response).get("content", {}).get("application/json")
        if content is None or "schema" not in content:
            return None
        return self.deref((*response, "content", "application/json", "schema"))

    def errors(self, location: tuple[str, ...], instance: Any) -> Iterator[Any]:
        ref = "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in location)
        validator = self._validator({"$ref": _SPEC_ID + ref}, registry=self._registry)
        yield from validator.iter_errors(instance)

    def child(self, location: tuple[str, ...], key: str | int) -> tuple[str, ...] | None:
        """The location of the schema of `key` (a property, or a list item) under the schema at `location`."""
        node = self.node(location)
        if isinstance(key, int):
            return self.deref((*location, "items")) if isinstance(node.get("items"), dict) else None
        if key in node.get("properties", {}):
            return self.deref((*location, "properties", key))
        return None


def _jsonpath(parts: Iterator[str | int] | list[str | int]) -> str:
    out = "$"
    for part in parts:
        out += "[*]" if isinstance(part, int) else (f".{part}" if part.isidentifier() else f"[{json.dumps(part)}]")
    return out


def _schema_type(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    if isinstance(kind, str):
        return kind
    if "enum" in schema:
        return "one of the spec's values"
    return "the spec's schema"


class _Checker:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.schemas = _Schemas(spec)
        self.findings: dict[tuple[str, str, str], Finding] = {}
        self.unknown_results: dict[str, int] = {}
        result_code = spec.get("components", {}).get("schemas", {}).get("ResultCode", {})
        self.codes: dict[str, int] = dict(result_code.get("x-http-status", {}))

    def add(self, finding: Finding) -> None:
        self.findings.setdefault((finding.operation, finding.path, finding.kind), finding)

    def answer(self, operation: Operation, response: httpx.Response) -> Any:
        """Check one answer; returns its decoded JSON (None when it is not JSON)."""
        name, status = operation.name, response.status_code
        try:
            data = json.loads(response.content)
        except (ValueError, RecursionError):
            self.add(Finding(name, "$", "not-json", "object", "not JSON", status))
            return None
        result = data.get("result") if isinstance(data, dict) else None
        ok = result == OK or (result is None and 200 <= status < 300)
        location = self.schemas.answer_schema(operation, status, ok)
        if isinstance(result, str) and result != OK and result not in self.codes:
            self.unknown_results.setdefault(result, status)
            where = self._result_location(operation, status)
            self.add(Finding(name, "$.result", "unknown-result", "one of the spec's result codes", "another string",
                             status, where))  # fmt: skip
        elif isinstance(result, str) and self.codes.get(result, status) != status:
            self.add(Finding(name, "$.result", "status-mismatch", f"HTTP {self.codes[result]}", f"HTTP {status}",
                             status))  # fmt: skip
        if location is None:
            self.add(Finding(name, "$", "status-mismatch", "a status the operation documents", f"HTTP {status}",
                             status))  # fmt: skip
            return data
        for error in self.schemas.errors(location, data):
            self._error(name, status, location, error)
        self._defaults(name, status, location, data, [])
        return data

    def _result_location(self, operation: Operation, status: int) -> tuple[str, ...]:
        location = self.schemas.answer_schema(operation, status, ok=False)
        child = self.schemas.child(location, "result") if location is not None else None
        return child or ()

    def _location(self, root: tuple[str, ...], parts: list[str | int]) -> tuple[str, ...]:
        location: tuple[str, ...] | None = root
        for part in parts:
            if location is None:
                return ()
            location = self.schemas.child(location, part)
        return location or ()

    def _error(self, name: str, status: int, root: tuple[str, ...], error: Any) -> None:
        parts: list[str | int] = list(error.absolute_path)
        if error.validator == "additionalProperties":
            known = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in known:
                    self.add(Finding(name, _jsonpath([*parts, key]), "unknown-field", "nothing (not in the spec)",
                                     json_type(error.instance[key]), status, self._location(root, parts)))  # fmt: skip
        elif error.validator == "required":
            for key in error.validator_value:
                if key not in error.instance:
                    expected = _schema_type(self.schemas.node(self._location(root, [*parts, key]) or root))
                    self.add(Finding(name, _jsonpath([*parts, key]), "missing-field", expected, "nothing", status,
                                     self._location(root, parts)))  # fmt: skip
        elif parts == ["result"] and error.validator == "enum":
            return  # an unknown result code: reported above, with the status it came with
        elif error.validator in ("anyOf", "oneOf") and error.instance is not None and error.context:
            for branch in error.context:  # a nullable object (`anyOf: [{$ref}, {type: null}]`): what its schema says
                if not (branch.validator == "type" and branch.validator_value == "null"):
                    self._error(name, status, root, branch)
        else:
            kind: Kind = "null" if error.instance is None else "type-mismatch"
            expected = _schema_type(error.schema) if error.validator in ("type", "enum") else str(error.validator)
            self.add(Finding(name, _jsonpath(parts), kind, expected, json_type(error.instance), status,
                             self._location(root, parts)))  # fmt: skip

    def _defaults(self, name: str, status: int, location: tuple[str, ...], value: Any, parts: list[str | int]) -> None:
        """The default-value rule: a required field sent with its type's default (0, "", []) is missing."""
        node = self.schemas.node(location)
        if isinstance(value, dict) and isinstance(node, dict):
            required = set(node.get("required", []))
            for key, item in value.items():
                child = self.schemas.child(location, key)
                if child is None:
                    continue
                schema = self.schemas.node(child)
                kind = schema.get("type") if isinstance(schema, dict) else None
                if key in required and isinstance(kind, str) and kind in _DEFAULTS and item == _DEFAULTS[kind] \
                        and type(item) is type(_DEFAULTS[kind]):  # fmt: skip
                    self.add(Finding(name, _jsonpath([*parts, key]), "missing-field", f"{kind} (not its default)",
                                     "the default value", status, location))  # fmt: skip
                self._defaults(name, status, child, item, [*parts, key])
        elif isinstance(value, list) and isinstance(node, dict):
            child = self.schemas.child(location, 0)
            if child is not None:
                for index, item in enumerate(value):
                    self._defaults(name, status, child, item, [*parts, index])


def _user_group(operation: Operation) -> tuple[str, str] | None:
    """(integer field, string field) of the operation's one-of-required group (the user it names), if any."""
    rules = REQUEST_RULES[operation.request_model]
    by_name = {rule.json_name: rule for rule in rules.fields}
    group = [by_name[name] for name in rules.one_of_required]
    ints = [rule.json_name for rule in group if rule.json_type == "integer"]
    strings = [rule.json_name for rule in group if rule.json_type == "string"]
    return (ints[0], strings[0]) if len(ints) == 1 and len(strings) == 1 else None


def _extra_required(operation: Operation) -> list[str]:
    """Required request fields besides the user: values `check_spec` cannot know."""
    rules = REQUEST_RULES[operation.request_model]
    return [rule.json_name for rule in rules.fields if rule.required and rule.json_name not in rules.one_of_required]


def fields_the_reads_need() -> frozenset[str]:
    """The request fields some read operation requires besides its user: the names `check_spec(fields=...)` takes."""
    return frozenset(name for op in OPERATIONS.values() if op.safe_to_retry for name in _extra_required(op))


def check_spec(
    client: PartnerClient,
    *,
    user_id: int | None = None,
    username: str | None = None,
    spec: str | Path | None = None,
    fields: Mapping[str, Any] | None = None,
) -> SpecCheck:
    """Call every read operation (`x-safe-to-retry: true`) once and compare the answers with the spec.

    `spec` is the OpenAPI document to compare with (default: the one this package was generated from). `fields` gives
    the values of the request fields some reads need besides the user (`{"start_time": ..., "end_time": ...}`); a name
    that no read operation needs is a `ValueError` before anything is sent. Raises a
    `PartnerAPIError` when a call gets no answer to compare (`APIConnectionError`; `AuthenticationError` for wrong
    credentials; `ServerError` for a proxy's unknown HTTP status).
    """
    document = load_spec(spec)
    checker = _Checker(document)
    http = client.low_level.get_httpx_client()
    reads = {name: op for name, op in sorted(OPERATIONS.items()) if op.safe_to_retry}
    given = dict(fields or {})
    wanted = fields_the_reads_need()
    if set(given) - wanted:  # nothing the caller asked for is silently dropped
        raise ValueError(f"check_spec: no read operation needs {sorted(set(given) - wanted)} (fields the reads need: "
                         f"{sorted(wanted) or 'none'})")  # fmt: skip
    called: list[str] = []
    skipped: dict[str, str] = {}

    def call(operation: Operation, body: dict[str, Any]) -> Any:
        try:
            response = http.post(operation.path, json=body)
        except httpx.TransportError as exc:  # its text names the failure, never a header or the body
            raise APIConnectionError.from_httpx(operation.name, exc, str) from exc
        called.append(operation.name)
        return checker.answer(operation, response)

    user: dict[str, Any] | None = None
    if user_id is not None or username is not None:
        user = {"id": user_id, "name": username}
    for operation in reads.values():  # the paged list without required fields comes first: it names a user
        if operation.pagination is not None and not _extra_required(operation) and _user_group(operation) is None:
            page = call(operation, {})
            if user is None:
                user = _first_user(page, operation, reads)
    probed = False
    for operation in reads.values():
        if operation.name in called:
            continue
        group, needs = _user_group(operation), _extra_required(operation)
        if set(needs) - set(given):
            skipped[operation.name] = f"needs {', '.join(needs)}"
            continue
        extra = {name: given[name] for name in needs}
        if group is None and REQUEST_RULES[operation.request_model].one_of_required:
            skipped[operation.name] = "names its subject in a way check-spec does not know"
            continue
        if group is None:
            call(operation, extra)
            continue
        if user is None:
            skipped[operation.name] = "no user to read (give user_id or username)"
            continue
        id_field, name_field = group
        body = {id_field: user["id"]} if user["id"] is not None else {name_field: user["name"]}
        call(operation, {**body, **extra})
        if not probed:  # an error answer too: the same read for a user that cannot exist
            probed = True
            call(operation, {id_field: _NO_SUCH_ID, **extra})
    findings = sorted(checker.findings.values())
    return SpecCheck(findings=findings, called=sorted(set(called)), skipped=skipped, spec=document,
                     unknown_results=checker.unknown_results)  # fmt: skip


def _first_user(page: Any, operation: Operation, reads: Mapping[str, Operation]) -> dict[str, Any] | None:
    """The first item of a page of users: its id or name under the user group's field names."""
    assert operation.pagination is not None
    items = page.get(operation.pagination.items) if isinstance(page, dict) else None
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None
    if first is None:
        return None
    groups = [group for group in map(_user_group, reads.values()) if group is not None]
    if not groups:
        return None
    _id_field, name_field = groups[0]
    name = first.get(name_field)
    return {"id": None, "name": name} if isinstance(name, str) and name else None
