"""Sections 4 and 5: import cost in fresh processes, and `make generate` wall time with the size of generated/.

Import cost: `python -c "import partner_api"` against `python -c "import httpx"` (and `python -c pass`, the
interpreter alone), each a fresh process, run alternately, median wall time. `-X importtime` then names the
modules `import partner_api` loads on top of httpx, heaviest first. Both are measured with bytecode caches, as
after `pip install` (which compiles site-packages): the processes get a private `PYTHONPYCACHEPREFIX`, filled by
the warm-up runs, and `PYTHONDONTWRITEBYTECODE` removed, so an environment that sets it (this project's dev
machines do) does not make the editable overlays/ and generated/ compile from source on every import while
httpx loads its installed .pyc files; nothing is written into the work tree.
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
IMPORT_GOAL = 1.3
GENERATE_GOAL = 15.0
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s+)(\S+)")
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _wall(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=_ENV)
    return time.perf_counter() - started


def import_times(runs: int, warmup: int = 2) -> dict[str, list[float]]:
    programs = {"python": "pass", "httpx": "import httpx", "partner_api": "import partner_api"}
    for _ in range(warmup):
        for code in programs.values():
            _wall(code)
    samples: dict[str, list[float]] = {name: [] for name in programs}
    for round_number in range(runs):
        names = list(programs) if round_number % 2 == 0 else list(programs)[::-1]
        for name in names:
            samples[name].append(_wall(programs[name]) * 1000)
    return samples


def _importtime(code: str) -> dict[str, tuple[int, int, int]]:
    """Module -> (self µs, cumulative µs, depth) from `-X importtime`."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], check=True, cwd=ROOT, env=_ENV, capture_output=True, text=True
    )
    modules: dict[str, tuple[int, int, int]] = {}
    for line in result.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:
            own, total, indent, name = match.groups()
            modules[name] = (int(own), int(total), len(indent) // 2)
    return modules


def extra_modules(runs: int = 5) -> tuple[int, list[dict[str, Any]], float]:
    """What `import partner_api` loads that `import httpx` does not: count, the heaviest by own time; and the ms
    `import httpx` spends in `httpx._main` (its CLI: click, rich, pygments, which a minimal install lacks)."""
    baseline = set(_importtime("import httpx"))
    cli = statistics.median(_importtime("import httpx").get("httpx._main", (0, 0, 0))[1] for _ in range(runs))
    samples: dict[str, list[int]] = {}
    for _ in range(runs):
        for name, (own, _total, _depth) in _importtime("import partner_api").items():
            if name not in baseline:
                samples.setdefault(name, []).append(own)
    ranked = sorted(samples.items(), key=lambda item: -statistics.median(item[1]))
    top_level: dict[str, int] = {}
    for name, owns in ranked:
        top_level[name.split(".")[0]] = top_level.get(name.split(".")[0], 0) + int(statistics.median(owns))
    heaviest = [
        {"package": name, "own_ms": round(us / 1000, 2)} for name, us in sorted(top_level.items(), key=lambda i: -i[1])
    ]
    return len(samples), heaviest, cli / 1000


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


def rows(quick: bool = False) -> tuple[list[Row], dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        _ENV["PYTHONPYCACHEPREFIX"] = pycache
        try:
            samples = import_times(5 if quick else 15)
            count, heaviest, cli_ms = extra_modules(2 if quick else 5)
        finally:
            del _ENV["PYTHONPYCACHEPREFIX"]
    median = {name: statistics.median(values) for name, values in samples.items()}
    ratio = statistics.median(p / h for p, h in zip(samples["partner_api"], samples["httpx"], strict=True))
    without_cli = (median["partner_api"] - cli_ms) / (median["httpx"] - cli_ms)
    heaviest_text = ", ".join(f"{item['package']} {item['own_ms']:.1f}" for item in heaviest[:5])
    gen = generate_times(1 if quick else 3)
    lines = generated_lines()
    out = [
        Row(
            "4 import",
            "python -c: pass / import httpx / import partner_api, ms",
            f"{median['python']:.0f} / {median['httpx']:.0f} / {median['partner_api']:.0f}",
        ),
        Row(
            "4 import",
            "import partner_api / import httpx",
            f"{ratio:.2f} (+{median['partner_api'] - median['httpx']:.0f} ms)",
            f"<= {IMPORT_GOAL}",
            ratio <= IMPORT_GOAL,
        ),
        Row("4 import", f"{count} modules beyond httpx; heaviest own ms", heaviest_text),
        Row(
            "4 import",
            "the same without httpx's CLI (click/rich; absent from a minimal install)",
            f"~{without_cli:.2f} (httpx._main {cli_ms:.0f} ms of import httpx here)",
        ),
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
        "import_ms": {name: [round(v, 1) for v in values] for name, values in samples.items()},
        "import_ms_median": {name: round(value, 1) for name, value in median.items()},
        "import_ratio_median": round(ratio, 3),
        "modules_beyond_httpx": count,
        "httpx_cli_import_ms": round(cli_ms, 1),
        "import_ratio_without_httpx_cli_estimate": round(without_cli, 3),
        "heaviest_beyond_httpx": heaviest[:12],
        "generate_seconds": [round(t, 2) for t in gen],
        "generated_lines": lines,
    }
    return out, details
