"""The spec as other teams consume it: openapi-generator (7.x, default settings) validates it, its `python` and
`typescript-fetch` generators build clients from it (validating it again: no `--skip-validate-spec`), the TypeScript
compiles with `tsc --noEmit --strict`, and the python client works against the sandbox on every operation.

The jar comes from the `openapi-generator-cli` wheel (requirements.lock) and runs on the machine's java; tsc from
generator/package-lock.json (`npm ci`, which `make test` runs through `make spec-lint`). Nothing is downloaded here.
Both clients are generated once per session, in one JVM (`batch`), under pytest's temporary directory; with
pytest-xdist the workers share that one output (a file lock), so the JVM runs once per session.
"""

from __future__ import annotations

import copy
import importlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from filelock import FileLock

from tests.support.schemathesis_hooks import restore_standard_rules

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "partner-api.yaml"
OPENAPI_GENERATOR = Path(sys.executable).parent / "openapi-generator-cli"
TSC = ROOT / "generator" / "node_modules" / ".bin" / "tsc"
PYTHON_PACKAGE = "oag_partner_api"  # the generated python client's package
JVM_OPTIONS = {"JAVA_OPTS": "-XX:TieredStopAtLevel=1"}  # a short run: the quick JIT alone halves the JVM's time


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # pinned tools of the venv and of generator/node_modules
        [str(arg) for arg in args], capture_output=True, text=True, cwd=cwd, timeout=240,
        env={**os.environ, **JVM_OPTIONS},
    )  # fmt: skip


def _validate(spec: Path) -> subprocess.CompletedProcess[str]:
    assert OPENAPI_GENERATOR.is_file(), "openapi-generator-cli is missing: `make venv` installs requirements.lock"
    return _run(OPENAPI_GENERATOR, "validate", "-i", spec)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """openapi-generator's `python` and `typescript-fetch` clients of the spec, under `<dir>/python`, `<dir>/ts`;
    `<dir>/batch.log` is its output."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # this session's directory, common to its xdist workers
    out = shared / "openapi-generator"
    with FileLock(str(shared / "openapi-generator.lock")):
        if not (out / "batch.log").is_file():
            out.mkdir()
            configs = {
                "python": {"packageName": PYTHON_PACKAGE},
                "typescript-fetch": {"npmName": "oag-partner-api", "supportsES6": True},
            }
            for name, properties in configs.items():
                config = {"generatorName": name, "inputSpec": str(SPEC), "outputDir": str(out / name.split("-")[0]),
                          "additionalProperties": properties}  # fmt: skip
                (out / f"{name}.yaml").write_text(yaml.safe_dump(config))
            result = _run(OPENAPI_GENERATOR, "batch", out / "python.yaml", out / "typescript-fetch.yaml")
            (out / "batch.log").write_text(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return out


def test_openapi_generator_validate_reports_no_issues() -> None:
    result = _validate(SPEC)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No validation issues detected." in result.stdout, result.stdout
    assert not re.search(r"(?i)error|warning", result.stdout + result.stderr)


def test_validate_would_refuse_the_standard_links(spec: dict[str, Any], tmp_path: Path) -> None:
    """Control: the same validation refuses the links in their standard place (`links`, as the schemathesis hook
    writes them back), so the test above can fail, and it shows why the spec keeps them under `x-links`."""
    standard = tmp_path / "standard.yaml"
    standard.write_text(yaml.safe_dump(restore_standard_rules(copy.deepcopy(spec)), sort_keys=False))
    result = _validate(standard)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert len(re.findall(r"links\.\w+\.requestBody\s+is\s+not\s+of\s+type\s+`string`", output)) == 14, output


def test_python_and_typescript_fetch_generate_from_the_validated_spec(generated: Path) -> None:
    log = (generated / "batch.log").read_text()
    assert log.startswith("exit 0\n"), log[-3000:]
    assert "Batch generation finished 2 generators successfully" in log
    assert "skip" not in (generated / "python.yaml").read_text().lower()  # the spec is validated first


def _request_schemas(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """JSON request bodies' schemas by name (login is a form: its fields become the method's arguments)."""
    schemas = spec["components"]["schemas"]
    names = {
        operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        for item in spec["paths"].values()
        for operation in item.values()
        if "application/json" in operation["requestBody"]["content"]
    }
    return {name: schemas[name] for name in sorted(names)}


def test_every_request_model_is_a_plain_object_with_its_properties(
    generated: Path, spec: dict[str, Any], generated_python: Any
) -> None:
    models = generated_python.models
    checked = 0
    for name, schema in _request_schemas(spec).items():
        if not schema["properties"]:  # EmptyRequest: the method takes the body `{}` as a free-form object
            assert not hasattr(models, name)
            continue
        model = getattr(models, name)
        assert set(model.model_fields) == set(schema["properties"]), name
        assert not hasattr(model, "actual_instance"), name  # not a oneOf/anyOf wrapper
        interface = (generated / "typescript" / "src" / "models" / f"{name}.ts").read_text()
        assert f"export interface {name} {{" in interface
        assert "|" not in interface.split(f"export interface {name} {{")[1].split("}")[0], name  # no union type
        checked += 1
    assert checked == 12
    request = models.GetUserRequest(user_id=7)
    assert request.to_dict() == {"user_id": 7}
    assert models.GetUserRequest(username="bob").to_dict() == {"username": "bob"}


def test_the_typescript_client_compiles(generated: Path) -> None:
    assert TSC.is_file(), "tsc is missing: `make spec-lint` (npm ci in generator/) installs it"
    project = generated / "typescript"
    assert (project / "tsconfig.json").is_file() and (project / "src" / "apis" / "UsersApi.ts").is_file()
    result = _run(TSC, "--noEmit", "--strict", "--skipLibCheck", "-p", project)  # lib: TypeScript's own .d.ts files
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


@pytest.fixture
def generated_python(generated: Path) -> Iterator[Any]:
    """The generated python package, imported from the session's output."""
    sys.path.insert(0, str(generated / "python"))
    try:
        yield importlib.import_module(PYTHON_PACKAGE)
    finally:
        sys.path.remove(str(generated / "python"))


def test_the_generated_python_client_works_on_every_operation(generated_python: Any, spec: dict[str, Any]) -> None:
    """Login (the form) and a bearer token, then each of the 17 v2 operations with the generated request models,
    as another team's code would call them; the identifier rule the models cannot carry is the server's."""
    from partner_api.sandbox import SandboxServer

    oag = generated_python
    models = oag.models
    with SandboxServer(seed=3, admin=True) as sandbox:
        with oag.ApiClient(oag.Configuration(host=sandbox.base_url)) as anonymous:
            login = oag.AuthApi(anonymous).login(login=sandbox.project_id, password=sandbox.private_key)
        token = login.access_token.get_secret_value()  # `format: password`: a SecretStr
        assert login.result == "OK" and token
        with oag.ApiClient(oag.Configuration(host=sandbox.base_url, access_token=token)) as client:
            users, traffic = oag.UsersApi(client), oag.TrafficApi(client)
            devices, sessions = oag.DevicesApi(client), oag.SessionsApi(client)
            purchases = oag.PurchasesApi(client)

            extra = models.UserExtraInput(country="FR", language="fr")
            created = users.create_user(models.CreateUserRequest(username="oag-user", extra=extra)).user
            assert created.username == "oag-user" and created.extra.country == "FR"
            assert users.get_user(models.GetUserRequest(user_id=created.id)).user == created
            assert users.get_user(models.GetUserRequest(username="oag-user")).user == created
            updated = users.update_user(models.UpdateUserRequest(user_id=created.id, enabled=False)).user
            assert updated.enabled is False

            page = users.list_users(models.ListUsersRequest(limit=2))
            listed = [user.username for user in page.users]
            while page.next_cursor:
                page = users.list_users(models.ListUsersRequest(limit=2, cursor=page.next_cursor))
                listed += [user.username for user in page.users]
            assert listed == ["seed-user-0001", "seed-user-0002", "seed-user-0003", "oag-user"]

            me = models.UserRefRequest(user_id=created.id)
            assert traffic.get_user_traffic(me).traffic.traffic_used == 0
            limited = models.SetUserTrafficLimitRequest(username="oag-user", traffic_limit=10**9)
            assert traffic.set_user_traffic_limit(limited).traffic.traffic_limit == 10**9
            assert traffic.reset_user_traffic(me).traffic.traffic_used == 0
            assert traffic.delete_user_traffic_limit(me).traffic.traffic_limit == 0

            seeded = models.UserRefRequest(username="seed-user-0001")
            device = devices.list_user_devices(seeded).devices[0]
            gone = models.DeleteUserDeviceRequest(username="seed-user-0001", device_id=device.id)
            assert devices.delete_user_device(gone).result == "OK"
            assert device.id not in {item.id for item in devices.list_user_devices(seeded).devices}
            window = models.ListUserSessionsRequest(username="seed-user-0001", start_time=1)
            assert sessions.list_user_sessions(window).sessions

            receipt = {"order_id": "A-1", "amount": 0, "test": True}
            added = models.AddUserPurchaseRequest(user_id=created.id, type="google", receipt=receipt)
            purchase = purchases.add_user_purchase(added).purchase
            assert [item.id for item in purchases.list_user_purchases(me).purchases] == [purchase.id]
            dropped = models.DeleteUserPurchaseRequest(user_id=created.id, purchase_id=purchase.id)
            assert purchases.delete_user_purchase(dropped).result == "OK"

            assert {license.name for license in oag.LicensesApi(client).list_licenses(body={}).licenses} == {
                "free", "premium", "business",
            }  # fmt: skip
            now = int(time.time())
            report = models.GetTrafficReportRequest(start_time=now - 8 * 86400, end_time=now + 60, group_by="day")
            assert oag.ReportsApi(client).get_traffic_report(report).rows

            with pytest.raises(oag.exceptions.BadRequestException, match="missing identifier"):
                users.get_user(models.GetUserRequest(user_id=0))  # 0 means absent: no identifier
            assert users.delete_user(models.DeleteUserRequest(user_id=created.id)).result == "OK"
            with pytest.raises(oag.exceptions.NotFoundException, match="NOT_FOUND"):
                users.get_user(models.GetUserRequest(user_id=created.id))
        stats = sandbox.stats()
    operations = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert set(stats.requests) == operations and len(operations) == 18  # login + the 17 v2 operations
    assert stats.logins == 1 and stats.not_authorized == 0
