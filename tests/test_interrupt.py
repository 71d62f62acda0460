"""Ctrl-C at any moment of a run -- while modules load, while the dataset is read, during the
solve, while results are written -- ends with exit 130 and one line, never a traceback, and
leaves an earlier result in --out as it was (issue 10).

The moments are found, not guessed: the test waits until the child has mapped numpy's
extension module (the first heavy import, which runs inside the command's own handler) and
sends SIGINT to the whole process group, as a terminal does, at delays from there.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(__file__).resolve().parent / "good_inputs" / "00_base" / "data"

pytestmark = pytest.mark.skipif(
    not (hasattr(os, "killpg") and Path("/proc/self/maps").exists()), reason="needs POSIX signals and /proc"
)


def _loaded(pid: int, what: str) -> bool:
    try:
        return what in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def interrupt(args: list[str], delay: float, cwd: Path) -> tuple[int, str, str]:
    """Start `python -m optimizer ARGS`, Ctrl-C it `delay` s after numpy is loaded (or at once)."""
    p = subprocess.Popen(
        [sys.executable, "-m", "optimizer", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the signal reaches it and its workers
    )
    deadline = time.monotonic() + 60
    while delay >= 0 and not _loaded(p.pid, "_multiarray_umath") and p.poll() is None:
        assert time.monotonic() < deadline, "the command never loaded numpy"
        time.sleep(0.002)
    time.sleep(max(delay, 0))
    try:
        os.killpg(p.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    out, err = p.communicate(timeout=120)
    return p.returncode, out, err


def digest(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha1(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir()) if f.is_file()}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    root = tmp_path_factory.mktemp("interrupt")
    r = subprocess.run(
        [sys.executable, "-m", "optimizer", "run", str(BASE), "--out", "res", "--quiet"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return root, digest(root / "res")


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.15, 0.25, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0])
def test_ctrl_c_during_a_run(earlier, delay):
    root, before = earlier
    rc, out, err = interrupt(["run", str(BASE), "--out", "res"], delay, root)
    assert "Traceback" not in err and "Error" not in err, err
    if rc == 0:  # finished before the signal arrived (a fast machine): a complete result
        assert "results written" in out
        assert set(digest(root / "res")) == set(before)
        return
    assert rc == 130, (rc, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("interrupted"), err
    if "nothing was written" in lines[0]:
        assert digest(root / "res") == before
    assert not [p for p in root.iterdir() if p.name.startswith(".res.")]


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.2, 2.0])
def test_ctrl_c_during_a_multi_run_with_worker_processes(tmp_path, delay):
    scenarios = []
    for i, scale in enumerate((0.8, 1.0, 1.2, 1.4)):
        path = tmp_path / f"s{i}.yaml"
        path.write_text(f"name: s{i}\ndata: {BASE}\nscale: {{budget: {scale}}}\n", encoding="utf-8")
        scenarios.append(str(path))
    rc, _, err = interrupt(["compare", *scenarios, "--out", "cmp", "--workers", "2"], delay, tmp_path)
    assert "Traceback" not in err and "Error" not in err, err
    assert rc in (0, 130), (rc, err)
    if rc == 130:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("interrupted"), err


def _stop_in_worker(kind: str) -> None:
    raise {"interrupt": KeyboardInterrupt, "exit": SystemExit}[kind]()


@pytest.mark.parametrize("kind", ["interrupt", "exit"])
def test_a_worker_stopped_by_a_base_exception_reports_it_to_the_parent_in_one_piece(capfd, kind):
    # The pool itself handles only Exception: a KeyboardInterrupt or SystemExit inside a run
    # killed the worker and printed its traceback (or, with the pool being ended, only the
    # "Process SpawnPoolWorker-N:" line) on the terminal.
    from optimizer.engine.runner import WorkerStopped, _local_map

    with pytest.raises(WorkerStopped) as caught:
        list(_local_map(_stop_in_worker, [kind], 1))
    assert str(caught.value) == {"interrupt": "KeyboardInterrupt", "exit": "SystemExit"}[kind]
    err = capfd.readouterr().err
    assert "SpawnPoolWorker" not in err and "Traceback" not in err, err
