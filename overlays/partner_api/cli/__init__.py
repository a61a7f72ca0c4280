"""The `partner-api` command (also `python -m partner_api`): every operation of the spec, and the tools of
`_app.TOOLS` (whoami, export, bulk, completion, sandbox).

Operation commands are built at run time from the generated tables (see `_spec`), so an operation added to the
spec gets its command by regeneration. `partner-api sandbox ...` needs only the `sandbox` extra; everything
else needs the `cli` extra (click, rich), which `import partner_api` never imports.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence

__all__ = ["main"]

_CLI_EXTRA_HINT = "partner-api: the command line needs its extra: pip install 'partner-api-client[cli]'"
# The `cli` extra's modules. click alone proves nothing: the `sandbox` extra brings it too (uvicorn needs it).
# Looked up, not imported, to keep the start-up lean; tomli only where tomllib is missing.
_CLI_MODULES = ("click", "rich", "platformdirs", *(("tomli",) if sys.version_info < (3, 11) else ()))


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Entry point of the `partner-api` console script; returns the exit status (see docs/pages/guide/cli.md)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["sandbox"]:
        from ._sandbox import run

        return run(args[1:], prog=prog)
    missing = [name for name in _CLI_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        print(f"{_CLI_EXTRA_HINT} (missing: {', '.join(missing)})", file=sys.stderr)
        return 1
    try:
        from ._app import run_app
    except ImportError as exc:  # click or rich missing: a minimal install
        print(f"{_CLI_EXTRA_HINT} ({exc})", file=sys.stderr)
        return 1
    return run_app(args, prog=prog)
