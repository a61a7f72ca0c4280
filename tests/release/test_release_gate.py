"""The test suite inside `make publish` (and `make test`): what it inherits, and that every process ends with it.

These run `make publish` / `make test` in a copy of the project whose tests/ holds only a probe written here, so
its suite is seconds long. The probes run exactly what a careless test would: plain `make publish`. The tests that
run `make publish` / `make test` through a suite are marked release_e2e (the gate of `make publish` leaves them out).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from release import environment

from ._support import (
    MAKE,
    ROOT,
    RUN_TOKEN,
    Index,
    clean_env,
    leftovers,
    process_group,
    project_copy,
    run,
    session_members,
)

COPY_TIMEOUT = 1200  # a bound for a hung publish of a copy, far above a normal run on a loaded machine
# What no suite run by `make publish` may inherit: release/environment.py's list (which the Makefile's TEST_ENV must
# match) and the user's pytest options.
LEAKY = {*environment.RELEASE_SETTINGS, "PYTEST_ADDOPTS"}

# The suite of the outer `make publish`: records what it inherited, then runs `make publish` in the same checkout
# twice: with no INDEX_URL (must refuse at once) and with one (a publish inside its own gate: must refuse at once).
# If that inner publish goes through its gates instead, it starts this suite again; the second run stops there.
GATE_PROBE = '''"""Written by test_release_gate.py: the suite inside the gate of `make publish` in this copy."""

import json
import os
import subprocess
from pathlib import Path

from partner_api.sandbox import SandboxProcess

SETTINGS = json.loads(Path(__file__).with_suffix(".json").read_text())
RESULT = Path(SETTINGS["result"])


def _publish(*args: str) -> dict[str, object]:
    done = subprocess.run(
        ["make", "--no-print-directory", "publish", *SETTINGS["reuse_venv"], *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}


def test_publish_started_from_the_gate() -> None:
    if RESULT.exists():
        raise AssertionError("the gate's suite started again: a publish started from it went through its gates")
    RESULT.write_text("{}")
    with SandboxProcess() as sandbox:
        result = {"environ": dict(os.environ), "sandbox": sandbox.pid}
    result["bare"] = _publish()
    result["explicit"] = _publish(f"INDEX_URL={SETTINGS['index_url']}")
    RESULT.write_text(json.dumps(result))
    assert "INDEX_URL is not set" in result["bare"]["stderr"]
    assert "a publish never starts another publish" in result["explicit"]["stderr"]
'''

# A suite that starts an index server (its own session), a sandbox, a server that takes `slow_stop` seconds to stop on
# SIGTERM (its own session) and a nested make (its own session), then hangs: until the test's pytest-timeout, or for
# good (TIMEOUT 0) until the run is ended from outside. The slow server is ended first, so the other clean-ups run
# after it: a run ended from outside must wait for them all (pytest-xdist's controller, interrupted, gives its workers
# 5 s before it interrupts their clean-up and 10 s before it kills them).
SLOW_STOP = 12
HANG_PROBE = '''"""Written by test_release_gate.py: processes of every kind, then a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from partner_api.sandbox import SandboxProcess

from ._support import Index, make, process_group

SETTINGS = json.loads(Path(__file__).with_suffix(".json").read_text())
SLOW_SERVER = (
    "import signal, sys, time; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}); print('ready', flush=True); "
    f"signal.sigwait({{signal.SIGTERM}}); time.sleep({SETTINGS['slow_stop']})"
)


@pytest.fixture
def sandbox() -> Iterator[SandboxProcess]:
    with SandboxProcess() as running:
        yield running


@pytest.fixture
def slow_to_stop() -> Iterator[int]:
    with process_group([sys.executable, "-c", SLOW_SERVER], stdout=subprocess.PIPE) as server:
        assert server.stdout is not None and server.stdout.readline() == "ready\\n"
        yield server.pid


@pytest.mark.timeout(SETTINGS["timeout"], func_only=True)
def test_hangs_with_children(index: Index, sandbox: SandboxProcess, slow_to_stop: int) -> None:
    started = {"pytest": os.getpid(), "index": index.pid, "sandbox": sandbox.pid, "slow_to_stop": slow_to_stop}
    Path(SETTINGS["started"]).write_text(json.dumps(started))
    make("-f", SETTINGS["hang"], "hang", timeout=3600)
'''

# A suite that records the environment it runs in.
ENVIRON_PROBE = '''"""Written by test_release_gate.py: the environment the suite runs in."""

import json
import os
from pathlib import Path


def test_environ() -> None:
    result = json.loads(Path(__file__).with_suffix(".json").read_text())["result"]
    Path(result).write_text(json.dumps(dict(os.environ)))
'''

# A suite shaped like `make test`'s outer one: the publishing test and six more, one with a longer timeout mark.
SCHEDULE_PROBE = '''"""Written by test_release_gate.py: which xdist worker runs which test."""

import json
import os
from pathlib import Path

import pytest


def _ran(name: str) -> None:
    result = json.loads(Path(__file__).with_suffix(".json").read_text())["result"]
    with open(result, "a") as log:
        log.write(f"{name} {os.environ['PYTEST_XDIST_WORKER']}\\n")


@pytest.mark.timeout(4800)
def test_longer_bound() -> None:
    _ran("longer")


@pytest.mark.publishes_the_suite
@pytest.mark.timeout(4000)
def test_publishes() -> None:
    _ran("publishes")


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("n", range(5))
def test_other(n: int) -> None:
    _ran(f"other{n}")
'''


def _write_probe(path: Path, source: str, **settings: object) -> None:
    """The probe module and, beside it, the settings it reads."""
    path.write_text(source)
    path.with_suffix(".json").write_text(json.dumps(settings))


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _copy_with_suite(tmp_path: Path, with_support: bool) -> tuple[Path, list[str]]:
    """A copy of the project; with_support: also the suite's conftest.py and tests/release/'s helpers."""
    copy, reuse_venv = project_copy(tmp_path / "project")
    (copy / "tests" / "release").mkdir(parents=True)
    if with_support:
        (copy / "tests" / "__init__.py").write_text("")  # `tests.release`, not the top-level `release` package
        (copy / "tests" / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
        for name in ("__init__.py", "_support.py", "conftest.py"):
            (copy / "tests" / "release" / name).write_text((ROOT / "tests" / "release" / name).read_text())
    return copy, reuse_venv


def _run_in_group(copy: Path, argv: list[str], env: dict[str, str]) -> tuple[int, str, str, list[int]]:
    """`make ...` in `copy` in its own session; returns its status, output and the session's processes left
    when make ended (before the helper ends anything)."""
    with process_group(argv, env=env, cwd=copy, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as outer:
        stdout, stderr = outer.communicate(timeout=COPY_TIMEOUT)
        left = session_members(outer.pid)
    return outer.returncode, stdout, stderr, left


@pytest.mark.slow
@pytest.mark.release_e2e
@pytest.mark.timeout(COPY_TIMEOUT + 300)
def test_publish_started_from_the_suite_of_a_publish_refuses_at_once(index: Index, tmp_path: Path) -> None:
    # The defect: an outer `make publish INDEX_URL=...` handed INDEX_URL (MAKEFLAGS, environment) to the `make
    # publish` a test starts without one, which then went through every gate and ran the suite again, without end.
    copy, reuse_venv = _copy_with_suite(tmp_path, with_support=False)  # only the Makefile stands between them
    result = tmp_path / "probe.json"
    probe = copy / "tests" / "test_gate_probe.py"
    _write_probe(probe, GATE_PROBE, result=str(result), reuse_venv=reuse_venv, index_url=index.url)
    token = uuid.uuid4().hex
    env = clean_env(
        TWINE_USERNAME=index.username, TWINE_PASSWORD=index.password, TWINE_NON_INTERACTIVE="1",
        INDEX_SIMPLE_URL=index.simple_url, PYTEST_ADDOPTS="-ra", **{RUN_TOKEN: token},
    )  # fmt: skip
    argv = [MAKE, "--no-print-directory", "publish", f"INDEX_URL={index.url}", f"DIST={tmp_path / 'dist'}", *reuse_venv]
    status, stdout, stderr, left = _run_in_group(copy, argv, env)

    seen = json.loads(result.read_text())
    assert seen, stdout + stderr
    bare, explicit = seen["bare"], seen["explicit"]
    assert bare["returncode"] != 0
    assert "INDEX_URL is not set" in bare["stderr"], bare["stdout"][-3000:] + bare["stderr"]
    assert "generated/ is up to date" not in bare["stdout"], "the inner publish went through its gates"
    assert explicit["returncode"] != 0
    assert "a publish never starts another publish of the same checkout" in explicit["stderr"]
    assert "generated/ is up to date" not in explicit["stdout"]
    inherited = {name for name in seen["environ"] if name in LEAKY or name.startswith("TWINE_")}
    assert inherited == set(), "the gate's suite inherited release settings"
    assert "VENV" not in seen["environ"]  # nor any other variable of the outer make's command line
    assert seen["environ"][environment.GATE_ENV] == str(copy)
    assert seen["environ"][RUN_TOKEN] == token

    assert status == 0, stdout + stderr
    assert stdout.count("test session starts") == 1
    assert len(index.files()) == 2
    assert left == []
    assert not _running(seen["sandbox"])
    assert leftovers(token) == []


def _hang_copy(tmp_path: Path, timeout: int, slow_stop: int) -> tuple[Path, list[str], Path, Path]:
    copy, reuse_venv = _copy_with_suite(tmp_path, with_support=True)
    started, sleeper = tmp_path / "started.json", tmp_path / "sleep.pid"
    hang = tmp_path / "hang.mk"
    hang.write_text(f"hang:\n\techo $$$$ > {sleeper} && exec sleep 3600\n")
    probe = copy / "tests" / "release" / "test_hang_probe.py"
    _write_probe(probe, HANG_PROBE, started=str(started), hang=str(hang), timeout=timeout, slow_stop=slow_stop)
    return copy, reuse_venv, started, sleeper


def _pids(started: Path, sleeper: Path) -> list[int]:
    return [*json.loads(started.read_text()).values(), int(sleeper.read_text())]


def _left_running(pids: list[int], token: str) -> tuple[list[int], list[str]]:
    """Which of `pids` still run, and every process still holding the run's token; those are killed once seen, so a
    failing test leaves nothing behind either."""
    alive, left = [pid for pid in pids if _running(pid)], leftovers(token)
    for pid in {*alive, *(int(line.split()[0]) for line in left)}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return alive, left


def _hang_argv(target: str, index: Index, dist: Path, reuse_venv: list[str]) -> list[str]:
    index_url = [f"INDEX_URL={index.url}"] if target == "publish" else []
    return [MAKE, "--no-print-directory", target, *index_url, f"DIST={dist}", *reuse_venv]


@pytest.mark.slow
@pytest.mark.release_e2e
@pytest.mark.timeout(COPY_TIMEOUT + 300)
@pytest.mark.parametrize("target", ["publish", "test"])
def test_a_timed_out_test_fails_the_run_and_leaves_no_process(target: str, index: Index, tmp_path: Path) -> None:
    copy, reuse_venv, started, sleeper = _hang_copy(tmp_path, timeout=30, slow_stop=0)
    token = uuid.uuid4().hex
    env = clean_env(TWINE_USERNAME=index.username, TWINE_PASSWORD=index.password, **{RUN_TOKEN: token})
    dist = tmp_path / "dist"
    status, stdout, stderr, left = _run_in_group(copy, _hang_argv(target, index, dist, reuse_venv), env)

    assert status != 0
    assert "Timeout" in stdout, stdout
    if target == "publish":
        assert "make publish: REFUSED: the test suite failed" in stderr
        assert index.files() == []
        assert not dist.exists()
    pids = _pids(started, sleeper)  # pytest, the index server, the sandbox, the slow server, the nested make's command
    assert len(pids) == 5
    assert _left_running(pids, token) == ([], [])
    assert left == []


@pytest.mark.slow
@pytest.mark.release_e2e
@pytest.mark.timeout(COPY_TIMEOUT + 300)
@pytest.mark.parametrize("target", ["publish", "test"])
def test_a_run_ended_from_outside_leaves_no_process(target: str, index: Index, tmp_path: Path) -> None:
    # A runner that gives up on `make publish` / `make test` ends its process group (SIGTERM, later SIGKILL). The
    # index server and the nested make run in sessions of their own: only the suite's clean-up ends them.
    copy, reuse_venv, started, sleeper = _hang_copy(tmp_path, timeout=0, slow_stop=SLOW_STOP)
    token = uuid.uuid4().hex
    env = clean_env(TWINE_USERNAME=index.username, TWINE_PASSWORD=index.password, **{RUN_TOKEN: token})
    argv = _hang_argv(target, index, tmp_path / "dist", reuse_venv)
    log = tmp_path / "run.log"
    with log.open("w") as output:
        with process_group(argv, env=env, cwd=copy, stdout=output, stderr=subprocess.STDOUT) as outer:
            deadline = time.monotonic() + COPY_TIMEOUT
            while not (sleeper.exists() and sleeper.read_text().strip()) and outer.poll() is None:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            assert outer.poll() is None, log.read_text()
            pids = _pids(started, sleeper)
            assert all(_running(pid) for pid in pids)
    # Leaving the block ended the run; the suite's own clean-up ended the rest.
    assert len(pids) == 5
    assert _left_running(pids, token) == ([], []), log.read_text()
    assert session_members(outer.pid) == []
    # SIGTERM reached the suite's worker as an interrupt, and the worker told the controller so when its session (its
    # clean-up included) had finished.
    assert "node down: keyboard-interrupt" in log.read_text(), log.read_text()


@pytest.mark.slow
def test_make_test_hands_the_suite_no_release_settings(tmp_path: Path) -> None:
    copy, reuse_venv = _copy_with_suite(tmp_path, with_support=False)
    seen = tmp_path / "environ.json"
    _write_probe(copy / "tests" / "test_environ_probe.py", ENVIRON_PROBE, result=str(seen))
    extra = {"TWINE_PASSWORD": "pw", "INDEX_SIMPLE_URL": "http://127.0.0.1:9/simple/", "PYTEST_ADDOPTS": "-ra"}
    done = run(
        [MAKE, "--no-print-directory", "test", "INDEX_URL=http://127.0.0.1:9/", "DIST=/nowhere", *reuse_venv],
        env=clean_env(**extra), cwd=copy, timeout=COPY_TIMEOUT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    environ = json.loads(seen.read_text())
    assert {name for name in environ if name in LEAKY or name.startswith("TWINE_")} == {"PYTEST_ADDOPTS"}
    assert environ["PYTEST_ADDOPTS"] == "-ra"  # `make test` keeps the user's pytest options; publish does not
    assert "VENV" not in environ


def test_the_suite_starts_without_release_settings(tmp_path: Path) -> None:
    # tests/conftest.py as the only plugin of a pytest run whose environment holds every kind of release setting.
    seen = tmp_path / "environ.json"
    probe = tmp_path / "test_environ_probe.py"
    _write_probe(probe, ENVIRON_PROBE, result=str(seen))
    leaked = {
        "MAKEFLAGS": " -- INDEX_URL=http://127.0.0.1:9/", "MAKEOVERRIDES": "${-*-command-variables-*-}",
        "MFLAGS": "", "MAKELEVEL": "1", "INDEX_URL": "http://127.0.0.1:9/", "DIST": "/nowhere",
        "INDEX_SIMPLE_URL": "http://127.0.0.1:9/simple/", "TWINE_USERNAME": "bot", "TWINE_PASSWORD": "pw",
    }  # fmt: skip
    env = clean_env(**leaked, PYTHONPATH=os.pathsep.join((str(ROOT), str(ROOT / "tests"))), KEPT="yes")
    done = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest", probe],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    environ = json.loads(seen.read_text())
    assert set(leaked) & set(environ) == set()
    assert environ["KEPT"] == "yes"


@pytest.mark.parametrize("workers", [2, 4])  # 4: fewer tests than two a worker, which xdist deals out one by one
def test_the_publishing_test_has_a_worker_of_its_own(workers: int, tmp_path: Path) -> None:
    # `make test`'s scheduling (tests/conftest.py) on a suite of its shape. A worker runs a test once it holds the next
    # one: a test queued behind the publishing one would wait for the whole gate and then run alone.
    ran = tmp_path / "ran.txt"
    probe = tmp_path / "test_schedule_probe.py"
    _write_probe(probe, SCHEDULE_PROBE, result=str(ran))
    env = clean_env(PYTHONPATH=os.pathsep.join((str(ROOT), str(ROOT / "tests"))))
    done = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "conftest", "-n", str(workers),
         "--dist", "loadgroup", "--maxschedchunk", "1", probe],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    workers = dict(line.split() for line in ran.read_text().splitlines())
    assert sorted(workers) == sorted(["longer", "publishes", *(f"other{n}" for n in range(5))])
    alone = workers.pop("publishes")
    assert alone not in workers.values(), workers  # its worker ran nothing else
    assert "7 passed" in done.stdout


def test_clean_env_drops_release_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MAKEFLAGS", "MAKELEVEL", "INDEX_URL", "TWINE_PASSWORD", "TWINE_CERT", "PYTEST_ADDOPTS"):
        monkeypatch.setenv(name, "leaked")
    monkeypatch.setenv("KEPT", "yes")
    env = clean_env(TWINE_USERNAME="given")
    assert {name for name in env if name in LEAKY or name.startswith("TWINE_")} == {"TWINE_USERNAME"}
    assert env["KEPT"] == "yes"
