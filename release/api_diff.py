"""The OpenAPI diff between two versions of the document, from Optic (`@useoptic/optic`, pinned in
generator/package.json beside Spectral and installed by the same `npm ci`).

release/optic_diff.cjs gives what `optic diff OLD NEW --validation loose --json` prints, from Optic's own modules
without its command line (a quarter of the CPU; the script says why, and tests/release/test_release_rules.py checks
that both print the same): Optic's changelog, one entry per operation with each changed attribute's JSON pointer,
`before` and `after` (shared schemas resolved into every operation that uses them). It reads two local files and
makes no network call (test_release_rules.py runs it in a network namespace without a network). Loose validation: a
document that Optic's strict schema check refuses (the `links.*.requestBody` objects of releases up to 2.0.0.14) is
still diffed.

`changes()` flattens that changelog into `Change` records, one per changed schema keyword; release/rules.py says
what each one means for the version.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .project import ROOT, ReleaseError

OPTIC_PACKAGE = ROOT / "generator" / "node_modules" / "@useoptic" / "optic"
OPTIC_DIFF = Path(__file__).with_name("optic_diff.cjs")
OPTIC_TIMEOUT = 300.0


@dataclass(frozen=True)
class Change:
    """One difference between two versions of the API, as a consumer meets it.

    `part`: "operation", "request", "response" or "parameter"; `status`: the response's status ("" elsewhere);
    `field`: the body field as the API names it ("user.create_time", "users[].create_time"; "" for the operation
    or the body itself); `kind`: "added", "removed" or "changed"; `keyword`: the changed schema or operation keyword
    ("type", "required", "maxLength", "description", "x-safe-to-retry", ...), "" when the whole thing was added or
    removed; `before` / `after`: the old and the new value (None when absent).
    """

    operation: str
    endpoint: str
    part: str
    field: str
    kind: str
    keyword: str = ""
    before: Any = None
    after: Any = None
    status: str = ""


def optic_diff_argv(old_spec: Path, new_spec: Path) -> list[str]:
    """The command that prints Optic's JSON changelog from `old_spec` to `new_spec` (node from PATH)."""
    return ["node", str(OPTIC_DIFF), str(old_spec), str(new_spec)]


def run_optic(old_spec: Path, new_spec: Path) -> dict[str, Any]:
    """Optic's JSON changelog from `old_spec` to `new_spec`."""
    if not (OPTIC_PACKAGE / "package.json").is_file():
        raise ReleaseError(
            f"Optic is not installed ({OPTIC_PACKAGE}): run `make stamp` or `cd generator && npm ci` (pinned in "
            "generator/package.json)"
        )
    try:
        done = subprocess.run(  # noqa: S603 - our script and pinned tool, fixed argv
            optic_diff_argv(old_spec, new_spec),
            capture_output=True, text=True, timeout=OPTIC_TIMEOUT, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        raise ReleaseError(f"optic diff did not finish within {OPTIC_TIMEOUT:.0f} s") from exc
    except FileNotFoundError as exc:
        raise ReleaseError("optic diff needs node (Node.js 20 or newer) on PATH") from exc
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ReleaseError(
            f"optic diff failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}"
        ) from None
    return result


def field_path(pointer: str) -> str:
    """The API's name of the field at a JSON pointer into a body schema: `/schema/properties/users/items/properties/
    create_time` -> `users[].create_time`; `/schema` -> ""."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    if parts[:1] == ["schema"]:
        parts = parts[1:]
    out = ""
    index = 0
    while index < len(parts):
        part = parts[index]
        if part == "properties" and index + 1 < len(parts):
            out += ("." if out else "") + parts[index + 1]
            index += 2
            continue
        out += "[]" if part == "items" else f"<{part}>"
        index += 1
    return out


def operation_ids(document: Mapping[str, Any]) -> dict[str, str]:
    """ "METHOD /path" -> operationId."""
    return {
        f"{method.upper()} {path}": operation.get("operationId", f"{method.upper()} {path}")
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    }


def _attribute_changes(base: Change, attribute: Mapping[str, Any]) -> Iterator[Change]:
    """One Change per keyword of an Optic attribute record."""
    kind, key = attribute["change"], attribute["key"]
    before, after = attribute.get("before"), attribute.get("after")
    if (
        key in ("", "/")
        and base.part != "operation"
        and kind == "changed"
        and "schema" in {*(before or {}), *(after or {})}
    ):
        # A media type's own record: the keywords of its body schema that changed, under "schema".
        key, before, after = "/schema", (before or {}).get("schema", {}), (after or {}).get("schema", {})
    if (base.part == "operation" and key not in ("", "/")) or (
        base.part != "operation" and not key.startswith("/schema")
    ):
        # A keyword of the operation (/description, /x-safe-to-retry, /tags/0, ...) or of a request or response
        # outside its body schema (/links, /headers/...): a keyword changed, whatever Optic calls the change.
        keyword = key.lstrip("/").split("/")[0]
        yield Change(base.operation, base.endpoint, base.part, "", "changed", keyword, before, after, base.status)
        return
    field = field_path(key) if base.part != "operation" else ""
    if kind == "changed" and isinstance(before, dict) and isinstance(after, dict):
        for keyword in sorted(set(before) | set(after)):
            if before.get(keyword) != after.get(keyword):
                yield Change(
                    base.operation, base.endpoint, base.part, field, "changed", keyword,
                    before.get(keyword), after.get(keyword), base.status,
                )  # fmt: skip
        return
    yield Change(base.operation, base.endpoint, base.part, field, kind, "", before, after, base.status)


def _body_changes(base: Change, body: Mapping[str, Any]) -> Iterator[Change]:
    """Changes of a request body or a response: its own attributes and those of each media type."""
    for attribute in body.get("attributes", []):
        yield from _attribute_changes(base, attribute)
    for media in body.get("contentTypes", []):
        if media["change"] in ("added", "removed"):  # its attributes describe the whole media object: not repeated
            yield Change(
                base.operation, base.endpoint, base.part, "", media["change"], "content type",
                media["name"] if media["change"] == "removed" else None,
                media["name"] if media["change"] == "added" else None, base.status,
            )  # fmt: skip
            continue
        for attribute in media.get("attributes", []):
            yield from _attribute_changes(base, attribute)


def parse_changelog(changelog: Mapping[str, Any], old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Optic's JSON changelog as Change records (`old` / `new`: the two documents, for the operationIds)."""
    old_ids, new_ids = operation_ids(old), operation_ids(new)
    out: list[Change] = []
    for entry in changelog.get("operations", []):
        endpoint = entry["name"]
        operation = new_ids.get(endpoint) or old_ids.get(endpoint) or endpoint
        if entry["change"] in ("added", "removed"):
            value = (entry.get("attributes") or [{}])[0]
            out.append(
                Change(
                    operation, endpoint, "operation", "", entry["change"], "", value.get("before"), value.get("after")
                )
            )
            continue
        for attribute in entry.get("attributes", []):
            out.extend(_attribute_changes(Change(operation, endpoint, "operation", "", "changed"), attribute))
        for parameter in entry.get("parameters", []):
            for attribute in parameter.get("attributes", []):
                out.extend(_attribute_changes(Change(operation, endpoint, "parameter", "", "changed"), attribute))
        if body := entry.get("requestBody"):
            out.extend(_body_changes(Change(operation, endpoint, "request", "", "changed"), body))
        for response in entry.get("responses", []):
            status = response["name"].split()[0]
            base = Change(operation, endpoint, "response", "", "changed", status=status)
            if response["change"] in ("added", "removed"):
                out.append(Change(operation, endpoint, "response", "", response["change"], "", status=status))
                continue
            out.extend(_body_changes(base, response))
    return out


def load_document(path: Path) -> dict[str, Any]:
    """The OpenAPI document at `path` (libyaml's safe loader when PyYAML has it: 0.01 s instead of 0.12 s)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    return document


def changes(old_spec: Path, new_spec: Path) -> list[Change]:
    """Every change from the document `old_spec` to `new_spec`, one record per changed keyword."""
    old, new = load_document(old_spec), load_document(new_spec)
    return parse_changelog(run_optic(old_spec, new_spec), old, new)
