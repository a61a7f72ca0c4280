"""The code examples of the README and of the docs site's pages, as a reader uses them, and the site itself.

Every ```python block of README.md and docs/pages/**/*.md type-checks under `mypy --strict` and runs, each in a
fresh process: a block that defines `test_` functions under pytest (with the package's own `partner_sandbox`
fixture), any other with python. A block runs as written except for the placeholder values a reader replaces with
their own (`PLACEHOLDERS`): the API's base URL, project id and private key become a sandbox's (seeded with 50
users, so user 42 exists), and the Redis URL a real redis-server's. PARTNER_API_BASE_URL, PARTNER_API_PROJECT_ID
and PARTNER_API_PRIVATE_KEY name the same sandbox, for `from_env()`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomllib
from partner_api.sandbox import SandboxServer

from tests.fleet.conftest import RedisServer
from tests.release._support import mypy_cache_args
from tests.support.doc_examples import DOCS, ROOT, CodeBlock, code_blocks, run_shell_blocks

EXAMPLES = code_blocks("python")

# The placeholders of the examples (Python string literals, quotes included) and what they stand for.
BASE_URL, PROJECT_ID, PRIVATE_KEY, REDIS_URL = (
    '"https://partner.example.com"',
    '"my-project"',
    '"..."',
    '"redis://127.0.0.1:6379/0"',
)


def test_the_examples_are_found() -> None:
    """The README has one example per surface at least, and every page of the site with a python block counts."""
    by_file = {block.path.relative_to(ROOT).as_posix() for block in EXAMPLES}
    assert sum(block.path.name == "README.md" for block in EXAMPLES) >= 3
    assert {"README.md", "docs/pages/guide/client.md", "docs/pages/guide/fleet.md", "docs/pages/guide/sandbox.md"} <= (
        by_file
    )


def test_the_examples_pass_mypy_strict(tmp_path: Path) -> None:
    files = []
    for number, block in enumerate(EXAMPLES, 1):
        path = tmp_path / f"doc_example_{number}.py"
        path.write_text(block.code)
        files.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *mypy_cache_args(tmp_path), "--config-file", ROOT / "pyproject.toml",
         *files],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    names = {f"doc_example_{number}.py": block.name for number, block in enumerate(EXAMPLES, 1)}
    report = re.sub(r"\S*(doc_example_\d+\.py)", lambda m: names[m.group(1)], result.stdout + result.stderr)
    assert result.returncode == 0, report
    assert f"no issues found in {len(files)} source files" in result.stdout


@pytest.fixture(scope="module")
def example_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=50, admin=True) as server:
        yield server


def _write_profiles(values: dict[str, str], config_home: Path, private_key: str) -> dict[str, str]:
    """The profiles of the docs' config.toml example (the command-line page's), with the placeholders the code
    examples have, written where `from_profile` and the command line read them; returns the environment variables
    those profiles name for their private key, each holding the sandbox's."""
    (block,) = [block for block in code_blocks("toml") if "[profiles." in block.code]
    text = block.code
    for placeholder, value in values.items():
        text = text.replace(placeholder, repr(value))  # a TOML literal string
    (config_home / "partner-api").mkdir(parents=True)
    (config_home / "partner-api" / "config.toml").write_text(text)
    profiles = tomllib.loads(text)["profiles"].values()
    return {profile["private_key_env"]: private_key for profile in profiles if "private_key_env" in profile}


@pytest.mark.parametrize("block", EXAMPLES, ids=[block.name for block in EXAMPLES])
def test_the_example_runs(block: CodeBlock, example_sandbox: SandboxServer, tmp_path: Path) -> None:
    example_sandbox.reset()
    values = {
        BASE_URL: example_sandbox.base_url,
        PROJECT_ID: example_sandbox.project_id,
        PRIVATE_KEY: example_sandbox.private_key,
    }
    redis_server = RedisServer(tmp_path).start() if REDIS_URL in block.code else None
    try:
        if redis_server is not None:
            values[REDIS_URL] = redis_server.url
        code = block.code
        for placeholder, value in values.items():
            code = code.replace(placeholder, repr(value))
        script = tmp_path / "doc_example.py"
        script.write_text(code)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTNER_API_", "PYTEST_"))}
        env.update(
            PARTNER_API_BASE_URL=example_sandbox.base_url,
            PARTNER_API_PROJECT_ID=example_sandbox.project_id,
            PARTNER_API_PRIVATE_KEY=example_sandbox.private_key,
            HOME=str(tmp_path),
            XDG_CONFIG_HOME=str(tmp_path / "config"),
        )
        env.update(_write_profiles(values, tmp_path / "config", example_sandbox.private_key))
        runs_tests = re.search(r"^(async )?def test_", code, re.MULTILINE) is not None
        command = (
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(script)]
            if runs_tests
            else [sys.executable, str(script)]
        )
        result = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
        )  # fmt: skip
    finally:
        if redis_server is not None:
            redis_server.kill()
    assert result.returncode == 0, f"{block.name} failed:\n{result.stdout}\n{result.stderr}"
    if runs_tests:
        assert re.search(r"\b[1-9]\d* passed\b", result.stdout) and "failed" not in result.stdout, result.stdout


def test_the_readme_command_line_example_runs(tmp_path: Path) -> None:
    """The README's command-line block, run as written by bash with the real `partner-api` on PATH (the sandbox it
    starts listens on a free port instead of 8080; a private HOME). The full set of examples is the command-line
    page's, which the CLI tests run (tests/cli/test_cli_page.py)."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    section = text[text.index("## Command line\n") : text.index("\n## ", text.index("## Command line\n") + 1)]
    (block,) = [block for block in code_blocks("sh", [readme]) if block.code in section]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNER_API_")}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", COLUMNS="200")  # fmt: skip
    result = run_shell_blocks([block], tmp_path, env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert '"username":"seed-user-0042"' in result.stdout
    assert len((tmp_path / "users.csv").read_text().splitlines()) == 51  # the header and the 50 seeded users
    assert "bulk set-user-traffic-limit: 1 done, 0 failed" in result.stderr


def make_docs(tmp_path: Path, *variables: str, proxy: str | None = None) -> subprocess.CompletedProcess[str]:
    """`make docs VARIABLES...` in the checkout with this venv, the site in tmp_path/site (the checkout stays as it
    is); with `proxy`, every proxy variable points there."""
    stamp = tmp_path / "venv.stamp"
    stamp.touch()
    env = dict(os.environ)
    if proxy is not None:
        env.update({name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")})
    command = ["make", "--no-print-directory", "docs", f"VENV={Path(sys.executable).parent.parent}", f"STAMP={stamp}",
               f"DOCS_SITE={tmp_path / 'site'}", *variables]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_site_builds_offline_without_external_assets(tmp_path: Path) -> None:
    """`make docs` builds the site without the network: every proxy points at a closed port, so a plugin that
    downloaded (web fonts, a social card, a CDN asset) would fail the build; and no page loads a stylesheet, script
    or image from another host."""
    result = make_docs(tmp_path, proxy="http://127.0.0.1:9")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 10
    external = re.compile(r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)=\"(?:https?:)?//", re.IGNORECASE)
    assert [page.name for page in pages if external.search(page.read_text())] == []


@pytest.mark.parametrize(
    ("page", "addition", "warning"),
    [
        ("guide/cli.md", "[the journal](no-such-page.md)", "no-such-page.md"),
        ("guide/fleet.md", "[the store](client.md#no-such-heading)", "no-such-heading"),
        ("reference/errors.md", "::: partner_api.NoSuchError", "partner_api.NoSuchError"),
    ],
)
def test_a_broken_link_or_reference_fails_make_docs(tmp_path: Path, page: str, addition: str, warning: str) -> None:
    """--strict holds in `make docs`: a copy of docs/ with one broken link, anchor or API reference fails."""
    copy = tmp_path / "checkout"
    shutil.copytree(DOCS, copy / "docs", ignore=shutil.ignore_patterns("site"))
    for name in ("overlays", "generated"):
        (copy / name).symlink_to(ROOT / name)
    with (copy / "docs" / "pages" / page).open("a") as file:
        file.write(f"\n{addition}\n")
    result = make_docs(tmp_path, f"DOCS_CONFIG={copy / 'docs' / 'mkdocs.yml'}")
    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


def test_the_readme_regeneration_loop_is_the_spec_page_s() -> None:
    """The loop after a spec change is written twice (the README for a newcomer, the page beside its details):
    the two blocks are the same commands, word for word."""

    def loop(path: Path) -> str:
        text = path.read_text()
        start = text.index("## After a change to the API document\n")
        section = text[start : text.find("\n## ", start + 1)]
        (block,) = [block for block in code_blocks("sh", [path]) if block.code in section]
        return block.code

    assert loop(ROOT / "README.md") == loop(DOCS / "pages" / "maintainers" / "spec.md")
    assert "make generate" in loop(ROOT / "README.md") and "make publish" in loop(ROOT / "README.md")
