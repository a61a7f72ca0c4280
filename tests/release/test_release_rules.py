"""release/rules.py, row by row: each row's change made on a copy of the spec (or of the Python sources), diffed by
the real tools (Optic, griffe), classified, and worded for the changelog.

Each Optic diff takes about 1 s of CPU (release/optic_diff.cjs; `optic diff`, the command, 4 s).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from release import api_diff, assess, rules, surface
from release.versions import Bump

from . import _spec_edits as edits
from ._support import ROOT

SPEC = ROOT / "openapi" / "partner-api.yaml"
Edit = Callable[[edits.Document], None]


_schemas, _post = edits.schemas, edits.post


@dataclass(frozen=True)
class Case:
    """A row of the table, the spec edit that triggers it, and what its changelog line must say."""

    rule: str
    edit: Edit
    says: tuple[str, ...]


# One case per API row of rules.RULES (the Python rows are tested below, on copies of the sources).
CASES = (
    Case("operation removed", lambda d: d["paths"].pop("/partner/v2/listLicenses"),
         ("Removed the operation `listLicenses`", "`client.list_licenses()`")),
    Case("operation renamed", lambda d: _post(d, "listLicenses").update(operationId="listPlans"),
         ("Renamed the operation `listLicenses` to `listPlans`", "`client.list_plans()`")),
    Case("response field removed", edits.remove_response_field,
         ("`createUser`, `getUser` and `updateUser`: the answer field `user.create_time` was removed",
          "`listUsers`: the answer field `users[].create_time` was removed")),
    Case("request field removed", lambda d: _schemas(d)["ListUsersRequest"]["properties"].pop("license_id"),
         ("`listUsers`: the request field `license_id` was removed",)),
    Case("request field added as required", lambda d: edits.add_request_field(d, required=True),
         ("`listUsers`: new required request field `country`",)),
    Case("request field turned required", edits.make_required,
         ("`listUsers`: the request field `limit` is now required (it was optional)",)),
    Case("type changed", lambda d: _schemas(d)["User"]["properties"]["create_time"].update(type="string"),
         ("answer field `user.create_time` changed its type from `integer` to `string`",)),
    Case("request enum value removed",
         lambda d: _schemas(d)["GetTrafficReportRequest"]["properties"]["group_by"].update(enum=["", "day"]),
         ("`getTrafficReport`: the request field `group_by` no longer accepts `country`",)),
    Case("request type narrowed",
         lambda d: _schemas(d)["CreateUserRequest"]["properties"]["username"].update(maxLength=100),
         ("`createUser`: the request field `username` accepts less: maxLength `255` -> `100`",)),
    Case("response field turned optional", lambda d: _schemas(d)["UserResponse"].update(required=["result"]),
         ("the answer field `user` may now be absent (it was always present)",)),
    Case("request media type removed",
         lambda d: _post(d, "listLicenses")["requestBody"]["content"].update(
             {"application/x-www-form-urlencoded": _post(d, "listLicenses")["requestBody"]["content"].pop(
                 "application/json")}),
         ("`listLicenses`: the request body is no longer accepted as `application/json`",)),
    Case("operation added", edits.add_operation,
         ("New operation `listServers` (`POST /partner/v2/listServers`, `client.list_servers()`): List the VPN "
          "servers",)),
    Case("optional request field added", edits.add_request_field,
         ("`listUsers`: new optional request field `country`",)),
    Case("response field added",
         lambda d: _schemas(d)["User"]["properties"].update(email={"type": "string", "default": ""}),
         ("`createUser`, `getUser` and `updateUser`: new answer field `user.email`",
          "`listUsers`: new answer field `users[].email`")),
    Case("deprecated", lambda d: _post(d, "listLicenses").update(deprecated=True),
         ("The operation `listLicenses` is deprecated",)),
    Case("retry safety loosened", lambda d: _post(d, "createUser").update({"x-safe-to-retry": True}),
         ("`createUser` is now safe to retry",)),
    Case("retry safety tightened", lambda d: _post(d, "getUser").update({"x-safe-to-retry": False}),
         ("`getUser` is no longer retried",)),
    Case("request enum value added",
         lambda d: _schemas(d)["GetTrafficReportRequest"]["properties"]["group_by"].update(
             enum=["", "day", "country", "server"]),
         ("`getTrafficReport`: the request field `group_by` also accepts `server`",)),
    Case("answer enum value added",
         lambda d: _schemas(d)["ResultCode"].update(enum=[*_schemas(d)["ResultCode"]["enum"], "FORBIDDEN"]),
         ("Every operation: the error answers' field `result` may now be `FORBIDDEN`",)),
    Case("result code status",
         lambda d: _schemas(d)["ResultCode"]["x-http-status"].update(NOT_FOUND=410, FORBIDDEN=403),
         ("Every operation: the HTTP status of each error `result`: `NOT_FOUND` 410 (was 404), `FORBIDDEN` 403",)),
    Case("documentation", lambda d: _post(d, "getUser").update(description="Looks one user up."),
         ("`getUser`: the description of the operation was updated",)),
    Case("other change", lambda d: _post(d, "listLicenses").update(tags=["users"]),
         ("`listLicenses`: the operation's `tags` was removed (it was `licenses`)",
          "`listLicenses`: the operation's `tags` was added (`users`)")),
)  # fmt: skip
PYTHON_ROWS = {"Python name removed or signature broken", "Python name added"}


def _diff(case: Case, folder: Path) -> list[api_diff.Change]:
    """The case's changes, from Optic on a copy of the spec with the case's edit."""
    document = edits.load(SPEC)
    case.edit(document)
    edited = folder / "edited.yaml"
    edits.save(document, edited)
    return api_diff.changes(SPEC, edited)


def test_every_row_has_a_case() -> None:
    assert {rule.name for rule in rules.RULES} == {case.rule for case in CASES} | PYTHON_ROWS
    assert len(CASES) == len({case.rule for case in CASES})


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.rule for case in CASES])
def test_row(case: Case, tmp_path: Path) -> None:
    changes = _diff(case, tmp_path)
    assert changes, "Optic saw no change"
    row = next(rule for rule in rules.RULES if rule.name == case.rule)
    every = api_diff.operation_ids(edits.load(SPEC)).values()
    result = assess.assess(changes, [], spec_changed=True, generated_changed=True, operations=every)
    assert result.bump is row.bump
    # Every change of the edit meets this row, except where the edit also makes a smaller change (the media type
    # that replaces a removed one is an "other change"). A shared schema's change is one line per field name, naming
    # every operation it appears in.
    mine = [entry for entry in result.entries if entry.rule == case.rule]
    assert mine
    assert {entry.section for entry in mine} == {row.section}
    assert all(entry.bump <= row.bump for entry in result.entries)
    if case.rule != "request media type removed":
        assert mine == list(result.entries)
    text = "\n".join(entry.text for entry in mine)
    for fragment in case.says:
        assert fragment in text


@pytest.mark.slow
def test_optic_diffs_without_a_network(tmp_path: Path) -> None:
    # In a network namespace with no interface but loopback (down): any connection attempt would fail or hang.
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"], check=False).returncode:
        pytest.fail("this test needs `unshare -n` (util-linux, root): it proves Optic makes no network call")
    edited = tmp_path / "edited.yaml"
    document = yaml.safe_load(SPEC.read_text())
    _schemas(document)["User"]["properties"].pop("create_time")
    edited.write_text(yaml.safe_dump(document, sort_keys=False))
    done = subprocess.run(
        ["unshare", "-n", *api_diff.optic_diff_argv(SPEC, edited)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert '"change":"removed"' in done.stdout, done.stderr


@pytest.mark.slow
def test_the_diff_prints_what_the_optic_command_prints(tmp_path: Path) -> None:
    # release/optic_diff.cjs runs the steps of `optic diff --json` without the command line: the same bytes for every
    # row's edit at once (last row first: an earlier row renames an operation that later rows edit).
    document = edits.load(SPEC)
    for case in reversed(CASES):
        case.edit(document)
    edited = tmp_path / "edited.yaml"
    edits.save(document, edited)
    ours = subprocess.run(api_diff.optic_diff_argv(SPEC, edited), capture_output=True, text=True, check=False)
    optic = ROOT / "generator" / "node_modules" / ".bin" / "optic"
    env = {name: value for name, value in os.environ.items() if name != "CI"} | {"OPTIC_TELEMETRY_LEVEL": "off"}
    command = subprocess.run(
        [optic, "diff", SPEC, edited, "--validation", "loose", "--json"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert ours.returncode == 0, ours.stderr
    assert len(json.loads(ours.stdout)["operations"]) > len(CASES) // 2, ours.stdout
    assert ours.stdout == command.stdout, command.stderr


def test_field_paths_read_like_the_api() -> None:
    assert api_diff.field_path("/schema/properties/users/items/properties/create_time") == "users[].create_time"
    assert api_diff.field_path("/schema/properties/user/properties/extra/properties/country") == "user.extra.country"
    assert api_diff.field_path("/schema") == ""


# ---------------------------------------------------------------------------------- the Python surface (griffe)


@pytest.fixture
def sources(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    """The checkout's source folders and an editable copy of them."""
    copies = []
    for folder in surface.checkout_folders():
        target = tmp_path / folder.name
        shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__"))
        copies.append(target)
    return surface.checkout_folders(), copies


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_python_name_removed_or_signature_broken(sources: tuple[list[Path], list[Path]]) -> None:
    # An overlay-only break: the spec is the same, the hand-written surface is not.
    checkout, edited = sources
    _rewrite(
        edited[0] / "partner_api" / "_version.py", "def spec_path() -> Path:", "def spec_path(strict: bool) -> Path:"
    )
    result = assess.assess([], surface.changes(checkout, edited), spec_changed=False, generated_changed=False)
    assert result.bump is Bump.MAJOR
    [entry] = result.entries
    assert entry.rule == "Python name removed or signature broken"
    assert "spec_path" in entry.text
    assert "strict" in entry.text
    assert "\x1b" not in entry.text  # no terminal colours in the changelog


def test_python_name_added(sources: tuple[list[Path], list[Path]]) -> None:
    checkout, edited = sources
    package = edited[0] / "partner_api"
    # A new public function (in __all__), a new error class, and a new optional parameter of an existing function.
    init = package / "__init__.py"
    init.write_text(init.read_text() + '\n\ndef ping(timeout: float = 1.0) -> None:\n    """Check the connection."""\n')
    _rewrite(init, "__all__ = [", '__all__ = [\n    "ping",')
    errors = package / "_exceptions.py"
    errors.write_text(errors.read_text() + '\n\nclass PlanLimitError(PartnerAPIError):\n    """Over the plan."""\n')
    _rewrite(errors, "__all__ = [", '__all__ = [\n    "PlanLimitError",')
    _rewrite(package / "_version.py", "def spec_path() -> Path:", "def spec_path(strict: bool = False) -> Path:")
    result = assess.assess([], surface.changes(checkout, edited), spec_changed=False, generated_changed=False)
    assert result.bump is Bump.MINOR
    # The new function's parameters and the new class's members (its own and inherited) come with it.
    assert [entry.text for entry in result.entries] == [
        "Python: new public name `partner_api.PlanLimitError`.",
        "Python: new public name `partner_api.ping`.",
        "Python: new public name `partner_api.spec_path(strict)`.",
    ]


def test_a_generated_method_removed_with_the_api_is_one_line(sources: tuple[list[Path], list[Path]]) -> None:
    checkout, edited = sources
    facade = edited[1] / "partner_api_client" / "api" / "__init__.py"
    _rewrite(facade, "    def list_licenses(", "    def _gone(")
    python = surface.changes(checkout, edited)
    assert python
    assert {change.keyword for change in python} == {"generated"}
    removed = api_diff.Change("listLicenses", "POST /partner/v2/listLicenses", "operation", "", "removed")
    result = assess.assess([removed], python, spec_changed=True, generated_changed=True)
    assert result.bump is Bump.MAJOR
    assert [entry.rule for entry in result.entries] == ["operation removed", "Python name removed or signature broken"]
    # Alone (a template change, say), each generated break is listed.
    alone = assess.assess([], python, spec_changed=False, generated_changed=True)
    assert alone.bump is Bump.MAJOR
    assert all("list_licenses" in entry.text for entry in alone.entries)


def test_removing_a_deprecated_operation_is_still_major() -> None:
    before = {"operationId": "listLicenses", "deprecated": True, "summary": "List the project's licenses."}
    removed = api_diff.Change("listLicenses", "POST /partner/v2/listLicenses", "operation", "", "removed", "", before)
    result = assess.assess([removed], [], spec_changed=True, generated_changed=True)
    assert result.bump is Bump.MAJOR
    assert [entry.text for entry in result.entries] == [
        "Removed the operation `listLicenses` (`POST /partner/v2/listLicenses`, `client.list_licenses()`) "
        "(it was deprecated)."
    ]
