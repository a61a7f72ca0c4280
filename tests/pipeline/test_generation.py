"""`make generate`: deterministic output, and a new operation in the spec needs no edit anywhere else."""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.release._support import make, project_copy

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "generator" / "generate.py"
SPEC = ROOT / "openapi" / "partner-api.yaml"


def _generate(output: Path, spec: Path = SPEC) -> None:
    subprocess.run([sys.executable, GENERATE, "--output", output, "--spec", spec], check=True, capture_output=True)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_generation_is_deterministic_and_leaves_no_caches(tmp_path: Path) -> None:
    _generate(tmp_path / "a")
    _generate(tmp_path / "b")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    assert not [name for name in first if ".ruff_cache" in name or "__pycache__" in name]
    committed = _tree(ROOT / "generated")
    assert {k: v for k, v in committed.items() if "__pycache__" not in k} == first, "generated/ is stale"


@pytest.mark.slow
def test_check_generated_passes_beside_the_bytecode_caches_that_imports_leave(tmp_path: Path) -> None:
    # A developer's checkout after any import of the generated packages (Python writes __pycache__/ unless told not to).
    copy, reuse_venv = project_copy(tmp_path / "project")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(copy / "generated")
    imported = subprocess.run(
        [sys.executable, "-c", "import partner_api_client.api.users.get_user, partner_api_sandbox_models"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert list((copy / "generated" / "partner_api_client").rglob("__pycache__/*.pyc"))
    done = make("check-generated", *reuse_venv, cwd=copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "generated/ is up to date" in done.stdout


def test_generated_packages_say_they_are_generated() -> None:
    for init in (ROOT / "generated" / "partner_api_client" / "__init__.py",
                 ROOT / "generated" / "partner_api_sandbox_models" / "__init__.py",
                 ROOT / "generated" / "partner_api_client" / "api" / "__init__.py"):  # fmt: skip
        head = init.read_text()[:600]
        assert "GENERATED" in head and "make generate" in head, init


@pytest.mark.slow
def test_new_operation_in_spec_yields_module_and_method_without_other_edits(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    operation = dict(spec["paths"]["/partner/v2/getUserTraffic"]["post"])
    operation["operationId"] = "getUserQuota"
    operation["summary"] = "Get a user's quota (added by this test)."
    spec["paths"]["/partner/v2/getUserQuota"] = {"post": operation}
    new_spec = tmp_path / "spec.yaml"
    new_spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "generated"
    _generate(out, new_spec)

    assert (out / "partner_api_client" / "api" / "traffic" / "get_user_quota.py").is_file()
    changed = filecmp.dircmp(ROOT / "generated" / "partner_api_client" / "api", out / "partner_api_client" / "api")
    assert changed.diff_files == ["__init__.py"]  # the facade gained the method; nothing else changed

    # The unchanged overlay picks the operation up: a method that validates, sends and parses.
    program = textwrap.dedent("""
        import json, httpx
        from partner_api import PartnerClient, DefaultValueError
        seen = []
        def answer(request):
            seen.append((request.url.path, request.content))
            if request.url.path == "/partner/login":
                return httpx.Response(200, json={"result": "OK", "access_token": "t", "create_time": 1,
                                                 "expire_time": 3601})
            return httpx.Response(200, json={"result": "OK", "traffic": {"traffic_used": 7}})
        client = PartnerClient("http://127.0.0.1:9", "p", "k", http_client=httpx.Client(
            transport=httpx.MockTransport(answer)))
        print(client.get_user_quota(user_id=3).traffic.traffic_used)
        try:
            client.get_user_quota(user_id=0)
        except DefaultValueError:
            print("rejected")
        print(json.dumps([[p, c.decode()] for p, c in seen]))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(ROOT / "overlays")])}
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
    lines = result.stdout.splitlines()
    assert lines[0] == "7"
    assert lines[1] == "rejected"
    assert yaml.safe_load(lines[2]) == [["/partner/login", "login=p&password=k"],
                                        ["/partner/v2/getUserQuota", '{"user_id":3}']]  # fmt: skip


@pytest.mark.slow
def test_generated_names_are_the_wire_names_and_only_keywords_get_an_underscore(tmp_path: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    schemas["User"]["properties"]["credits"] = {"type": "integer", "description": "Credits.", "default": 0}
    purchase = schemas["AddUserPurchaseRequest"]["properties"]
    purchase["from"] = {"type": "string", "description": "Where the purchase came from.", "maxLength": 16}
    assert "type" in purchase
    new_spec = tmp_path / "spec.yaml"
    new_spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "generated"
    _generate(out, new_spec)

    program = textwrap.dedent("""
        import inspect, json
        from partner_api_client.api import REQUEST_RULES, AsyncOperations, SyncOperations
        from partner_api_client.models import AddUserPurchaseRequest, PurchaseReceipt, User
        names = [p for p in inspect.signature(SyncOperations.add_user_purchase).parameters if p != "self"]
        async_names = [p for p in inspect.signature(AsyncOperations.add_user_purchase).parameters if p != "self"]
        assert async_names == names, async_names
        user = User.from_dict({"id": 7, "credits": 5})
        body = AddUserPurchaseRequest(type="google", receipt=PurchaseReceipt(), from_="web").to_dict()
        rules = {r.json_name: r.python_name for r in REQUEST_RULES["AddUserPurchaseRequest"].fields}
        print(json.dumps({"names": sorted(names), "user": [user.id, user.credits], "body": body, "rules": rules}))
    """)
    env = {**os.environ, "PYTHONPATH": str(out)}
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
    seen = yaml.safe_load(result.stdout)
    assert seen["names"] == ["from_", "receipt", "type", "user_id", "username"]
    assert seen["user"] == [7, 5]
    assert seen["body"] == {"type": "google", "receipt": {}, "from": "web"}
    assert seen["rules"] == {"type": "type", "receipt": "receipt", "user_id": "user_id", "username": "username",
                             "from": "from_"}  # fmt: skip


@pytest.mark.slow
def test_retry_safety_comes_from_the_spec_not_the_name(tmp_path: Path) -> None:
    """`getOrCreateUser` reads like a read but is a mutation: the spec says so, and a dropped connection (the
    request reached the server) is not retried, while getUser (`x-safe-to-retry: true`) is."""
    spec = yaml.safe_load(SPEC.read_text())
    operation = dict(spec["paths"]["/partner/v2/getUser"]["post"])
    assert operation["x-safe-to-retry"] is True
    operation.update(operationId="getOrCreateUser", summary="Get a user, creating it when missing (test).")
    operation["x-safe-to-retry"] = False
    spec["paths"]["/partner/v2/getOrCreateUser"] = {"post": operation}
    new_spec = tmp_path / "spec.yaml"
    new_spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "generated"
    _generate(out, new_spec)

    # The sandbox implements only the spec's operations, so a plain HTTP server stands in: it answers the
    # login and drops every v2 request after reading it (the request reached the server; no answer came back).
    program = textwrap.dedent("""
        import collections, json, threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from partner_api import APIConnectionError, PartnerClient
        seen = collections.Counter()
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/partner/login":
                    body = json.dumps({"result": "OK", "access_token": "t", "create_time": 1, "expire_time": 3601})
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body.encode())
                else:
                    seen[self.path.rsplit("/", 1)[-1]] += 1
                    self.close_connection = True
            def log_message(self, *args):
                pass
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = {}
        try:
            with PartnerClient(url, "p", "k", max_retries=2, sleep=lambda _: None) as client:
                for method, operation in (("get_or_create_user", "getOrCreateUser"), ("get_user", "getUser")):
                    try:
                        getattr(client, method)(username="somebody")
                    except APIConnectionError as error:
                        result[operation] = [error.request_sent, seen[operation]]
        finally:
            server.shutdown()
            server.server_close()
        print(json.dumps(result))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(out), str(ROOT / "overlays")])}
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=False,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout.splitlines()[-1]) == {"getOrCreateUser": [True, 1], "getUser": [True, 3]}


@pytest.mark.slow
def test_a_paged_list_whose_request_holds_only_the_cursor_gets_an_iterator_without_arguments(tmp_path: Path) -> None:
    """The page iterator leaves the cursor out of its signature; with nothing else left it takes no keyword
    arguments at all (the facade used to read `def iter_users(self, *)`, which is not Python)."""
    spec = yaml.safe_load(SPEC.read_text())
    request = spec["components"]["schemas"]["ListUsersRequest"]
    request["properties"] = {"cursor": request["properties"]["cursor"]}
    request.pop("required", None)
    new_spec = tmp_path / "spec.yaml"
    new_spec.write_text(yaml.safe_dump(spec, sort_keys=False))
    out = tmp_path / "generated"
    _generate(out, new_spec)

    program = textwrap.dedent("""
        import inspect
        from partner_api_client.api import AsyncOperations, SyncOperations
        for mixin in (SyncOperations, AsyncOperations):
            names = [list(inspect.signature(method).parameters) for method in (mixin.iter_users, mixin.list_users)]
            print(names)
    """)
    env = {**os.environ, "PYTHONPATH": str(out)}
    result = subprocess.run([sys.executable, "-c", program], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["[['self'], ['self', 'cursor']]"] * 2


def test_generated_model_docstrings_match_their_declarations() -> None:
    """Each model's `Attributes:` lists its attributes in order, each with the type it is declared with."""
    import ast
    import re

    checked = 0
    for module in sorted((ROOT / "generated" / "partner_api_client" / "models").glob("*.py")):
        for node in ast.parse(module.read_text()).body:
            if not isinstance(node, ast.ClassDef) or not node.name[0].isupper():
                continue
            declared = [
                (item.target.id, ast.unparse(item.annotation))
                for item in node.body
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                and item.target.id != "additional_properties"
            ]  # fmt: skip
            if not declared:
                continue
            docstring = ast.get_docstring(node) or ""
            documented = re.findall(r"^    (\w+) \(([^)]*)\):", docstring.partition("Attributes:")[2], re.MULTILINE)
            assert documented == declared, module.name
            checked += 1
    assert checked >= 30


def test_every_operation_description_is_its_method_docstring() -> None:
    from partner_api_client.api import OPERATIONS, SyncOperations

    spec = yaml.safe_load(SPEC.read_text())
    for path, item in spec["paths"].items():
        operation = item["post"]
        name = operation["operationId"]
        if name not in OPERATIONS:
            continue
        method = getattr(SyncOperations, "".join("_" + c.lower() if c.isupper() else c for c in name))
        doc = " ".join((method.__doc__ or "").split())
        assert doc.startswith(operation["summary"]), name
        assert " ".join(operation["description"].split()) in doc, name
        assert path in doc
