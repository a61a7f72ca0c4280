"""Sections 4 and 5: import cost in fresh processes, and `make generate` wall time with the size of generated/.

Import cost, in a venv made for the purpose with only the runtime dependencies (`uv venv`, then
`uv pip install --compile-bytecode -c requirements.lock .`: the package as a user installs it, byte-compiled like
pip does, without the dev tools, the extras, or httpx's CLI dependencies click and rich):
`python -c "import partner_api"` and `python -c "from partner_api import PartnerClient"` against
`python -c "import httpx"` (and `python -c pass`, the interpreter alone), each a fresh process, run alternately,
median wall time. `-X importtime` then names the modules `from partner_api import PartnerClient` loads on top of
httpx, heaviest first. When that venv cannot be made (no uv, no index), the dev venv is measured instead, with a
private `PYTHONPYCACHEPREFIX` so that overlays/ and generated/ are byte-compiled too, and the table says so.
Generation: `generator/generate.py --output <tmpdir>` (the same steps as `make generate`, without touching
generated/), median of a few runs; size of generated/ in lines.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import Row

ROOT = Path(__file__).resolve().parents[2]
IMPORT_GOAL = 1.12
GENERATE_GOAL = 15.0
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s+)(\S+)")
_ENV = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
_CWD = Path(tempfile.gettempdir())  # not the work tree: its overlays/ must not shadow the installed package


def runtime_venv(where: Path) -> Path | None:
    """A venv with the package and its runtime dependencies only (pinned by requirements.lock); None if it fails."""
    uv = Path(sys.executable).with_name("uv")
    venv = where / "runtime-venv"
    python = venv / "bin" / "python"
    commands = [
        [str(uv), "venv", "--quiet", "--python", sys.executable, str(venv)],
        [str(uv), "pip", "install", "--quiet", "--python", str(python), "--compile-bytecode",
         "-c", str(ROOT / "requirements.lock"), str(ROOT)],
    ]  # fmt: skip
    try:
        for command in commands:
            subprocess.run(command, check=True, cwd=where, env=_ENV, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return None
    return python


def _wall(python: Path, code: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(python), "-c", code], check=True, cwd=_CWD, env=_ENV)
    return time.perf_counter() - started


PROGRAMS = {
    "python": "pass",
    "httpx": "import httpx",
    "partner_api": "import partner_api",
    "PartnerClient": "from partner_api import PartnerClient",
}


def import_times(python: Path, runs: int, warmup: int = 2) -> dict[str, list[float]]:
    for _ in range(warmup):
        for code in PROGRAMS.values():
            _wall(python, code)
    samples: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    for round_number in range(runs):
        names = list(PROGRAMS) if round_number % 2 == 0 else list(PROGRAMS)[::-1]
        for name in names:
            samples[name].append(_wall(python, PROGRAMS[name]) * 1000)
    return samples


def _importtime(python: Path, code: str) -> dict[str, tuple[int, int, int]]:
    """Module -> (self µs, cumulative µs, depth) from `-X importtime`."""
    result = subprocess.run(
        [str(python), "-X", "importtime", "-c", code], check=True, cwd=_CWD, env=_ENV, capture_output=True, text=True
    )
    modules: dict[str, tuple[int, int, int]] = {}
    for line in result.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:
            own, total, indent, name = match.groups()
            modules[name] = (int(own), int(total), len(indent) // 2)
    return modules


def extra_modules(python: Path, runs: int = 5) -> tuple[int, list[dict[str, Any]], list[str]]:
    """What `from partner_api import PartnerClient` loads that `import httpx` does not: count, the heaviest
    packages by own time; and the third-party packages `import httpx` loads itself."""
    baseline = set(_importtime(python, "import httpx"))
    samples: dict[str, list[int]] = {}
    for _ in range(runs):
        for name, (own, _total, _depth) in _importtime(python, PROGRAMS["PartnerClient"]).items():
            if name not in baseline:
                samples.setdefault(name, []).append(own)
    top_level: dict[str, int] = {}
    for name, owns in samples.items():
        top_level[name.split(".")[0]] = top_level.get(name.split(".")[0], 0) + int(statistics.median(owns))
    heaviest = [
        {"package": name, "own_ms": round(us / 1000, 2)} for name, us in sorted(top_level.items(), key=lambda i: -i[1])
    ]
    third_party = sorted({name.split(".")[0] for name in baseline} & {"click", "rich", "pygments", "attr", "attrs"})
    return len(samples), heaviest, third_party


def generate_times(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "generator" / "generate.py"), "--output", tmp],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - started)
    return times


def generated_lines() -> dict[str, int]:
    files = [path for path in (ROOT / "generated").rglob("*") if path.is_file() and "__pycache__" not in path.parts]
    lines = {"all_files": 0, "python": 0, "files": len(files)}
    for path in files:
        count = len(path.read_bytes().splitlines())
        lines["all_files"] += count
        if path.suffix == ".py":
            lines["python"] += count
    return lines


def _measure_imports(quick: bool) -> tuple[str, dict[str, list[float]], tuple[int, list[dict[str, Any]], list[str]]]:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        python = runtime_venv(Path(tmp))
        where = "runtime dependencies only"
        if python is None:
            python, where = Path(sys.executable), "dev venv (the runtime-only venv could not be made)"
            _ENV["PYTHONPYCACHEPREFIX"] = tmp
        try:
            samples = import_times(python, 5 if quick else 15)
            extra = extra_modules(python, 2 if quick else 5)
        finally:
            _ENV.pop("PYTHONPYCACHEPREFIX", None)
    return where, samples, extra


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    where, samples, (count, heaviest, httpx_loads) = _measure_imports(quick)
    median = {name: statistics.median(values) for name, values in samples.items()}
    per_round = {
        name: [p / h for p, h in zip(samples[name], samples["httpx"], strict=True)]
        for name in ("partner_api", "PartnerClient")
    }
    ratios = {name: statistics.median(values) for name, values in per_round.items()}
    spread = {name: (min(values), max(values)) for name, values in per_round.items()}
    heaviest_text = ", ".join(f"{item['package']} {item['own_ms']:.1f}" for item in heaviest[:5])
    gen = generate_times(1 if quick else 3)
    lines = generated_lines()
    out = [
        Row(
            "4 import",
            f"{where}: python -c pass / import httpx / import partner_api / from partner_api import PartnerClient, ms",
            " / ".join(f"{median[name]:.0f}" for name in PROGRAMS),
        ),
        Row(
            "4 import",
            "import partner_api / import httpx",
            f"{ratios['partner_api']:.3f} (+{median['partner_api'] - median['httpx']:.0f} ms)",
            f"<= {IMPORT_GOAL}",
            ratios["partner_api"] <= IMPORT_GOAL,
        ),
        Row(
            "4 import",
            "from partner_api import PartnerClient / import httpx (a program that makes calls)",
            f"{ratios['PartnerClient']:.3f} (+{median['PartnerClient'] - median['httpx']:.0f} ms)",
        ),
        Row("4 import", f"{count} modules beyond httpx for PartnerClient; heaviest own ms", heaviest_text),
        Row(
            "5 generate",
            "generator/generate.py wall time, s",
            f"{statistics.median(gen):.1f}",
            f"< {GENERATE_GOAL:.0f} s",
            statistics.median(gen) < GENERATE_GOAL,
        ),
        Row("5 generate", "generated/ size", f"{lines['all_files']} lines, {lines['files']} files"),
    ]
    details = {
        "environment": where,
        "import_ms": {name: [round(v, 1) for v in values] for name, values in samples.items()},
        "import_ms_median": {name: round(value, 1) for name, value in median.items()},
        "import_ratio_median": {name: round(value, 3) for name, value in ratios.items()},
        "import_ratio_min_max": {name: [round(v, 3) for v in pair] for name, pair in spread.items()},
        "modules_beyond_httpx": count,
        "heaviest_beyond_httpx": heaviest[:12],
        "httpx_loads_of_click_rich_attrs": httpx_loads,
        "generate_seconds": [round(t, 2) for t in gen],
        "generated_lines": lines,
    }
    return out, details
