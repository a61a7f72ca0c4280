"""The progress bar appears on a terminal (a pseudo-terminal here) and never when piped; the library never
needs the CLI's dependencies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect
from partner_api.sandbox import SandboxProcess

from ._support import EXECUTABLE, cli_env, run


def _input(tmp_path: Path, ids: list[int]) -> Path:
    path = tmp_path / "limits.csv"
    path.write_text("user_id,traffic_limit\n" + "".join(f"{i},{10**9 + i}\n" for i in ids))
    return path


def test_progress_bar_on_a_terminal(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(300)
    bulk_sandbox.inject_fault("setUserTrafficLimit", latency=0.02, probability=1.0)  # a second or so of progress
    source = _input(tmp_path, ids)
    child = pexpect.spawn(
        str(EXECUTABLE), ["bulk", "set-user-traffic-limit", "--input", str(source), "--concurrency", "4"],
        env=cli_env(home, bulk_sandbox), encoding="utf-8", timeout=120, dimensions=(40, 160),
    )  # fmt: skip
    try:
        child.expect("set-user-traffic-limit")  # the bar's description
        child.expect(r"/300")  # done of total
        child.expect(r"[0-9-]+/s elapsed")  # the rate, then the labelled time
        child.expect(r"bulk set-user-traffic-limit: 300 done")  # the summary after the bar, with the bar's name
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_no_progress_when_piped(bulk_sandbox: SandboxProcess, home: Path, tmp_path: Path) -> None:
    ids = bulk_sandbox.seed_users(100)
    source = _input(tmp_path, ids)
    result = run(["bulk", "set-user-traffic-limit", "--input", str(source)], cli_env(home, bulk_sandbox))
    assert result.returncode == 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1  # the summary only
    assert result.stderr.startswith("bulk set-user-traffic-limit: 100 done")
    export = run(["export", "users", "--format", "csv"], cli_env(home, bulk_sandbox))
    assert export.returncode == 0
    assert export.stderr == ""  # piped: only errors (the command-line page's rule), not even a count


def test_pretty_json_on_a_terminal(bulk_sandbox: SandboxProcess, home: Path) -> None:
    (user_id,) = bulk_sandbox.seed_users(1)
    child = pexpect.spawn(
        str(EXECUTABLE), ["get-user", "--user-id", str(user_id)], env=cli_env(home, bulk_sandbox), encoding="utf-8",
        timeout=60,
    )  # fmt: skip
    try:
        child.expect(pexpect.EOF)
        text = child.before
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert '{\r\n  "id": ' in text  # indented, one field per line


def _modules_imported_by(code: str, blocked: tuple[str, ...] = ()) -> set[str]:
    prelude = "".join(f"sys.modules[{name!r}] = None\n" for name in blocked)
    program = (
        f"import sys\n{prelude}{code}\nprint('\\n'.join(sorted(k for k, v in sys.modules.items() if v is not None)))"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60)
    return set(result.stdout.split())


def test_import_partner_api_needs_neither_click_nor_rich() -> None:
    """With click and rich unimportable, the library imports and works; only httpx's own CLI hook (httpx
    imports `httpx._main` when click and rich are installed) ever loads them, never partner_api's code."""
    modules = _modules_imported_by(
        "import partner_api\nfrom partner_api import PartnerClient, AsyncPartnerClient\n"
        "from partner_api.token_stores import FileTokenStore",
        blocked=("click", "rich"),
    )
    assert "partner_api" in modules
    assert not {name for name in modules if name.split(".")[0] in ("click", "rich", "yaml", "platformdirs")}
    # With them installed: loaded only beneath httpx._main (httpx's command line), not by partner_api.
    modules = _modules_imported_by("import httpx._api\nimport partner_api", blocked=("httpx._main",))
    assert not {name for name in modules if name.split(".")[0] in ("click", "rich")}


def test_the_sandbox_command_needs_no_cli_dependencies(home: Path) -> None:
    """`partner-api sandbox` is dispatched before rich or platformdirs are looked for: the `sandbox` extra alone
    suffices (it brings click, which uvicorn needs), and its help reads like every other command's."""
    code = (
        "import sys\nsys.modules['rich'] = None\nsys.modules['platformdirs'] = None\n"
        "from partner_api.cli import main\nsys.exit(main(['sandbox', '--help']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "--rate-limit" in result.stdout
    assert result.stdout.startswith("Usage: partner-api sandbox [OPTIONS]")
    code = (
        "import sys\nsys.modules['click'] = None\nfrom partner_api.cli import main\nsys.exit(main(['list-licenses']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "pip install 'partner-api-client[cli]'" in result.stderr


def test_a_sandbox_only_install_asks_for_the_cli_extra(home: Path) -> None:
    """The `sandbox` extra brings click (uvicorn needs it) but not rich or platformdirs: every command but
    `sandbox` then names the missing extra in one line instead of a traceback from deep inside the help text."""
    for argv in (["--help"], ["list-licenses"]):
        code = (
            "import sys\nfor name in ('rich', 'platformdirs'):\n    sys.modules[name] = None\n"
            f"from partner_api.cli import main\nsys.exit(main({argv!r}))"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 1, result.stderr
        assert "pip install 'partner-api-client[cli]'" in result.stderr
        assert "missing: rich, platformdirs" in result.stderr
        assert "Traceback" not in result.stderr


def _imported_by_the_executable(args: list[str], home: Path) -> set[str]:
    """The modules the real `partner-api ARGS` imports (Python's own import-time report on stderr)."""
    result = run(args, cli_env(home, PYTHONPROFILEIMPORTTIME="1"))
    assert result.returncode == 0, result.stderr
    names = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "partner_api.cli._spec" in names  # the report is really there
    return names


def test_help_reads_only_the_generated_facts(home: Path) -> None:
    """Help text, tags and options come from `spec_facts`: no YAML parser, no generated model classes."""
    for args in (["--help"], ["get-user", "--help"], ["export", "users", "--help"]):
        names = _imported_by_the_executable(args, home)
        assert "partner_api_client.spec_facts" in names
        assert not {name for name in names if name.split(".")[0] == "yaml"}, args
        assert not {name for name in names if name.startswith("partner_api_client.models.")}, args


def test_no_cli_module_imports_the_root_command_back() -> None:
    """Issue 22: `_bulk_command.py` and `_export.py` imported `_app` (the root command) back from inside functions, a
    cycle the function-level imports hid. Shared options live in `_options.py`; only the package's entry point
    (`cli/__init__.py`) imports `_app`. Every import statement counts, at any depth."""
    import ast

    import partner_api.cli

    package = Path(partner_api.cli.__file__).parent
    importers = sorted(
        module.name
        for module in package.glob("*.py")
        if module.name not in {"__init__.py", "_app.py"}
        for node in ast.walk(ast.parse(module.read_text()))
        if isinstance(node, ast.ImportFrom)
        and (
            (node.level == 1 and node.module == "_app")
            or (node.level == 1 and node.module is None and any(alias.name == "_app" for alias in node.names))
            or node.module == "partner_api.cli._app"
        )
    )
    assert len(list(package.glob("*.py"))) > 20  # the modules are really there
    assert importers == []
