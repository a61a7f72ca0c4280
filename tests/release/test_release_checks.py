"""The checks `make publish` relies on: what an artefact may hold, INDEX_URL, and reading an index's simple page."""

from __future__ import annotations

import io
import json
import tarfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from packaging.version import Version

from release import artefacts, environment, project
from release import index as release_index

from ._support import ROOT

Handler = Callable[[BaseHTTPRequestHandler], None]
SPEC = ROOT / "openapi" / "partner-api.yaml"


@pytest.fixture
def fake_index() -> Iterator[tuple[str, list[Handler], list[dict[str, str]]]]:
    """A loopback HTTP server answering with the handler a test puts in the list; requests' headers are kept."""
    handlers: list[Handler] = []
    seen: list[dict[str, str]] = []

    class _Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            handlers[0](self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", handlers, seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _answer(status: int, body: bytes = b"", content_type: str = "text/html", **headers: str) -> Handler:
    def handle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    return handle


HTML = b"""<!DOCTYPE html><html><body>
<a href="/packages/partner_api_client-2.0.0.1-py3-none-any.whl#sha256=00">partner_api_client-2.0.0.1...</a>
<a href="../../packages/partner_api_client-2.0.0.2.tar.gz#sha256=11">partner_api_client-2.0.0.2.tar.gz</a>
<a href="/packages/other_project-2.0.0.3.tar.gz">other_project-2.0.0.3.tar.gz</a>
<a href="/packages/garbage.txt">garbage.txt</a>
</body></html>"""


def test_versions_are_read_from_html_and_json_simple_pages() -> None:
    names = release_index.filenames_from_simple_page(HTML, "text/html; charset=utf-8")
    assert release_index.versions_of(names) == {Version("2.0.0.1"), Version("2.0.0.2")}
    document = {"meta": {"api-version": "1.0"}, "files": [{"filename": "partner_api_client-2.0.0.4.tar.gz"}]}
    names = release_index.filenames_from_simple_page(
        json.dumps(document).encode(), "application/vnd.pypi.simple.v1+json"
    )
    assert release_index.versions_of(names) == {Version("2.0.0.4")}


def test_check_index_refuses_a_version_that_is_there(fake_index: tuple) -> None:
    url, handlers, _ = fake_index
    handlers.append(_answer(200, HTML))
    with pytest.raises(release_index.AlreadyPublished, match=r"version 2\.0\.0\.1 of partner-api-client is already on"):
        release_index.check_index(url + "simple/", url, "2.0.0.1")
    release_index.check_index(url + "simple/", url, "2.0.0.3")


def test_check_index_accepts_an_absent_project(fake_index: tuple) -> None:
    url, handlers, seen = fake_index
    handlers.append(_answer(404))
    release_index.check_index(url + "simple/", url, "2.0.0.1")
    assert seen[0]["path"] == "/simple/partner-api-client/"


def test_check_index_does_not_follow_a_redirect_to_another_host(
    fake_index: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pypiserver sends projects it lacks to its fallback (PyPI): that says nothing about this index, and the
    # index's credentials must not travel there. The target is never contacted (.invalid does not resolve).
    url, handlers, seen = fake_index
    monkeypatch.setenv("TWINE_USERNAME", "bot")
    monkeypatch.setenv("TWINE_PASSWORD", "pw")
    handlers.append(_answer(303, Location="https://fallback.invalid/simple/partner-api-client/"))
    assert release_index.published_versions(url + "simple/", url) == set()
    assert len(seen) == 1
    assert seen[0]["authorization"].startswith("Basic ")


def test_check_index_refuses_when_the_index_cannot_be_read(fake_index: tuple) -> None:
    url, handlers, _ = fake_index
    handlers.append(_answer(401))
    with pytest.raises(project.ReleaseError, match="HTTP 401"):
        release_index.check_index(url + "simple/", url, "2.0.0.1")


def test_preflight_wants_an_http_index_url_without_credentials() -> None:
    release_index.preflight("https://pypi.example.internal/")
    with pytest.raises(project.ReleaseError, match="INDEX_URL is not set"):
        release_index.preflight("")
    with pytest.raises(project.ReleaseError, match="carries credentials"):
        release_index.preflight("https://bot:hunter2@pypi.example.internal/")
    with pytest.raises(project.ReleaseError, match="not an http"):
        release_index.preflight("file:///srv/pypi")


def test_preflight_refuses_a_publish_inside_the_suite_of_a_publish_of_the_same_checkout(tmp_path: Path) -> None:
    url = "https://pypi.example.internal/"
    with pytest.raises(project.ReleaseError, match="never starts another publish of the same checkout"):
        release_index.preflight(url, gate=str(ROOT))
    with pytest.raises(project.ReleaseError, match="never starts another publish"):
        release_index.preflight(url, gate=str(ROOT / "generator" / ".."))
    release_index.preflight(url, gate=str(tmp_path))  # a publish of another checkout (a test's project copy) may run
    release_index.preflight(url, gate="")
    with pytest.raises(project.ReleaseError, match="INDEX_URL is not set"):  # the missing URL is named first
        release_index.preflight("", gate=str(ROOT))


def test_release_settings_are_make_recursion_index_and_twine_variables() -> None:
    environ = {"MAKEFLAGS": " -- INDEX_URL=x", "MAKELEVEL": "1", "INDEX_URL": "x", "TWINE_CERT": "ca.pem", "HOME": "/h"}
    assert environment.without_release_settings(environ) == {"HOME": "/h"}
    assert not environment.is_release_setting(
        environment.GATE_ENV
    )  # the suite must see which checkout is being published


def _wheel(path: Path, version: str, extra: dict[str, bytes]) -> Path:
    dist_info = f"partner_api_client-{version}.dist-info"
    members = {name: b"" for name in artefacts.WHEEL_REQUIRED}
    members["partner_api/openapi/partner-api.yaml"] = SPEC.read_bytes()
    members[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.4\nName: partner-api-client\nVersion: {version}\n".encode()
    members.update(extra)
    wheel = path / f"partner_api_client-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return wheel


def test_a_clean_wheel_passes(tmp_path: Path) -> None:
    assert artefacts.check_wheel(_wheel(tmp_path, "2.0.0.1", {}), "2.0.0.1") == []


def test_tests_caches_and_secrets_in_a_wheel_are_refused(tmp_path: Path) -> None:
    key = b"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n"
    wheel = _wheel(tmp_path, "2.0.0.1", {
        "tests/test_x.py": b"",
        "partner_api/__pycache__/x.cpython-311.pyc": b"",
        "partner_api/.env": b"TOKEN=x",
        "partner_api/.mypy_cache/x.json": b"{}",
        "partner_api/keys.py": key,
        "partner_api_client/.ruff_cache/CACHEDIR.TAG": b"",
    })  # fmt: skip
    problems = "\n".join(artefacts.check_wheel(wheel, "2.0.0.1"))
    for needle in ("tests/test_x.py", "__pycache__", ".env", ".mypy_cache", "PEM private key", ".ruff_cache"):
        assert needle in problems


def test_a_wheel_missing_a_package_or_the_spec_is_refused(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, "2.0.0.1", {})
    stripped = tmp_path / "stripped" / wheel.name
    stripped.parent.mkdir()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            if not info.filename.startswith(("partner_api_sandbox_models/", "partner_api/openapi/")):
                target.writestr(info, source.read(info))
    problems = "\n".join(artefacts.check_wheel(stripped, "2.0.0.1"))
    assert "missing partner_api_sandbox_models/__init__.py" in problems
    assert "missing partner_api/openapi/partner-api.yaml" in problems


def test_an_sdist_with_tests_or_stray_files_is_refused(tmp_path: Path) -> None:
    sdist = tmp_path / "partner_api_client-2.0.0.1.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name in ("pyproject.toml", "PKG-INFO", "openapi/partner-api.yaml", "overlays/partner_api/_version.py",
                     "tests/test_x.py", ".pypirc", "overlays/partner_api/__pycache__/x.pyc"):  # fmt: skip
            info = tarfile.TarInfo(f"partner_api_client-2.0.0.1/{name}")
            info.size = 0
            archive.addfile(info, io.BytesIO(b""))
    problems = "\n".join(artefacts.check_sdist(sdist, "2.0.0.1"))
    assert "unexpected entry partner_api_client-2.0.0.1/tests/test_x.py" in problems
    assert ".pypirc" in problems
    assert "__pycache__" in problems
