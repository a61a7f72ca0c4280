"""The package index: refuse a bad INDEX_URL, read which versions it holds (PEP 503 / PEP 691 simple page), fetch a
published wheel."""

from __future__ import annotations

import base64
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from .environment import GATE_ENV
from .project import PROJECT, ROOT, STAMP_CMD, ReleaseError


class AlreadyPublished(ReleaseError):
    """The version is on the index already (exit status 3, so `make publish` can say exactly that)."""


def preflight(index_url: str, gate: str | None = None) -> None:
    """Refuse a missing INDEX_URL, one that carries credentials (they belong in TWINE_USERNAME/PASSWORD), and a
    publish of this checkout started from the test suite of its own publish (`gate`: that publish's checkout)."""
    if not index_url:
        raise ReleaseError(
            "INDEX_URL is not set: make publish INDEX_URL=https://pypi.example.internal/ "
            "(credentials in TWINE_USERNAME / TWINE_PASSWORD or a keyring, never on the command line)"
        )
    parts = urllib.parse.urlsplit(index_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ReleaseError(f"INDEX_URL {index_url!r} is not an http(s) URL")
    if parts.username or parts.password:
        raise ReleaseError(
            "INDEX_URL carries credentials: remove them from the URL and set TWINE_USERNAME / TWINE_PASSWORD "
            "in the environment (or use a keyring)"
        )
    if gate and Path(gate).resolve() == ROOT:
        raise ReleaseError(
            f"this runs inside the test suite of a `make publish` of {ROOT} ({GATE_ENV} is set): "
            "a publish never starts another publish of the same checkout"
        )


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def links_from_simple_page(body: bytes, content_type: str, page_url: str = "") -> list[tuple[str, str]]:
    """(file name, absolute URL) of each file on a project's simple page, PEP 691 JSON or PEP 503 HTML."""
    if "json" in content_type:
        document: dict[str, Any] = json.loads(body)
        entries = [
            (str(entry["filename"]), str(entry.get("url", entry["filename"]))) for entry in document.get("files", [])
        ]
        return [(name, urllib.parse.urljoin(page_url, url)) for name, url in entries]
    parser = _LinkParser()
    parser.feed(body.decode("utf-8", errors="replace"))
    return [
        (
            urllib.parse.unquote(urllib.parse.urlsplit(href).path.rsplit("/", 1)[-1]),
            urllib.parse.urljoin(page_url, href),
        )
        for href in parser.hrefs
    ]


def filenames_from_simple_page(body: bytes, content_type: str) -> list[str]:
    """File names listed on a project's simple page, PEP 691 JSON or PEP 503 HTML."""
    return [name for name, _url in links_from_simple_page(body, content_type)]


def versions_of(filenames: Iterable[str], project: str = PROJECT) -> set[Version]:
    """Versions of `project` among distribution file names (others and unparsable names are ignored)."""
    found = set()
    for filename in filenames:
        try:
            if filename.endswith(".whl"):
                name, version, *_ = parse_wheel_filename(filename)
            else:
                name, version = parse_sdist_filename(filename)
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
            continue
        if name == canonicalize_name(project):
            found.add(version)
    return found


class _CrossOriginRedirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects on the index's own host only: pypiserver redirects unknown projects to its fallback
    (PyPI), which says nothing about what this index holds and must not receive the index's credentials."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).hostname != urllib.parse.urlsplit(req.full_url).hostname:
            raise _CrossOriginRedirect(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _credentials(index_url: str) -> tuple[str, str] | None:
    user = os.environ.get("TWINE_USERNAME")
    password = os.environ.get("TWINE_PASSWORD")
    if user and not password:
        try:
            import keyring  # optional, as for twine

            password = keyring.get_password(index_url, user)
        except Exception:  # no usable keyring backend: read anonymously
            password = None
    return (user, password) if user and password else None


def _get(url: str, index_url: str, accept: str, timeout: float) -> tuple[bytes, str, str]:
    """GET `url` with the index's credentials, following redirects on its own host only: (body, content type, the
    final URL). A redirect elsewhere raises _CrossOriginRedirect."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ReleaseError(f"{url!r} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"Accept": accept})  # noqa: S310 - scheme checked above
    if credentials := _credentials(index_url):
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(_SameOriginRedirects())
    with opener.open(request, timeout=timeout) as response:
        return response.read(), response.headers.get("Content-Type", ""), response.geturl()


def simple_links(
    simple_url: str, index_url: str, project: str = PROJECT, timeout: float = 30.0
) -> list[tuple[str, str]]:
    """(file name, URL) of every file of `project` on the index whose PEP 503 root is `simple_url`; empty when the
    project is absent."""
    url = f"{simple_url.rstrip('/')}/{canonicalize_name(project)}/"
    accept = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
    try:
        body, content_type, final_url = _get(url, index_url, accept, timeout)
    except _CrossOriginRedirect as redirect:
        print(f"release: {url} is not on this index (it redirects to {redirect.location})", file=sys.stderr)
        return []
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return []
        raise ReleaseError(
            f"cannot read the index's page of {project}: HTTP {exc.code} from {url} "
            "(check TWINE_USERNAME / TWINE_PASSWORD, or set INDEX_SIMPLE_URL to the index's simple page)"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ReleaseError(f"cannot reach the index at {url}: {exc}") from exc
    return links_from_simple_page(body, content_type, final_url)


def published_versions(simple_url: str, index_url: str, project: str = PROJECT, timeout: float = 30.0) -> set[Version]:
    """Versions of `project` on the index whose PEP 503 root is `simple_url`; empty when the project is absent."""
    return versions_of((name for name, _url in simple_links(simple_url, index_url, project, timeout)), project)


def download_wheel(simple_url: str, index_url: str, version: Version, target: Path, timeout: float = 120.0) -> Path:
    """Download the wheel of `version` of the project from the index into the folder `target`; its path."""
    for name, url in simple_links(simple_url, index_url):
        if name.endswith(".whl") and versions_of([name]) == {version}:
            try:
                body, _type, _url = _get(url.split("#", 1)[0], index_url, "*/*", timeout)
            except (_CrossOriginRedirect, urllib.error.URLError, OSError) as exc:
                raise ReleaseError(f"cannot download {name} from the index ({url}): {exc}") from exc
            path = target / name
            path.write_bytes(body)
            return path
    raise ReleaseError(f"the index lists version {version} of {PROJECT} but no wheel of it ({simple_url})")


def check_index(simple_url: str, index_url: str, version: str) -> None:
    """Refuse when `version` is already on the index."""
    present = published_versions(simple_url, index_url)
    if Version(version) in present:
        raise AlreadyPublished(
            f"version {version} of {PROJECT} is already on the index ({simple_url}); an index never takes the same "
            f"version twice: take a new version (`{STAMP_CMD} BUMP=patch` takes at least a patch), commit, and "
            "publish again"
        )
    newer = sorted(v for v in present if v > Version(version))
    if newer:
        print(f"release: note: the index already has newer versions {', '.join(map(str, newer))}", file=sys.stderr)
