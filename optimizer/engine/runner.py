"""Running many Changes or scenarios: serially, in local processes (default) or on a Dask cluster.

Every worker builds its Session once and re-solves it for each Change it is given.
Each run starts from a clean solver state and the same warm start (the base
portfolio), so results do not depend on how runs are spread over workers: the
local and the Dask executors give identical tables.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..data.dataset import Dataset
from ..data.scenario import Scenario
from ..results import Result
from ..solve import Change
from .session import Session, x_from_starts

EXECUTORS = ("local", "serial", "dask")

# one Session per worker process, keyed by what it was built from
_SESSIONS: dict[str, Session] = {}


def _effective(executor: str, n: int, workers: int | None) -> tuple[str, int]:
    """The executor that will really run n jobs, and the local worker count."""
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    workers = workers or os.cpu_count() or 1
    if executor == "local" and (n <= 1 or workers <= 1):
        executor = "serial"  # a pool for one job, or on one core, only costs its start-up
    return executor, min(workers, max(n, 1))


def _one_thread(scenario: Scenario) -> Scenario:
    """Parallel runs take one core each: HiGHS threads on top would only compete for them."""
    if scenario.solver.threads == 1:
        return scenario
    return scenario.with_updates(solver={**scenario.solver.model_dump(), "threads": 1})


def _session(key: str, dataset: Dataset, scenario: Scenario) -> Session:
    s = _SESSIONS.get(key)
    if s is None:
        _SESSIONS.clear()  # one dataset at a time per worker keeps memory flat
        s = _SESSIONS[key] = Session(dataset, scenario)
    return s


def _run_one(key: str, dataset: Dataset, scenario: Scenario, change: Change, warm: dict[str, int] | None) -> Result:
    s = _session(key, dataset, scenario)
    x = x_from_starts(s.inst, warm) if warm else None
    return s.solve(change, warm_start=x)


_WORKER: dict[str, Any] = {}


def _init_worker(key: str, dataset: Dataset, scenario: Scenario, warm: dict[str, int] | None) -> None:
    _WORKER.update(key=key, dataset=dataset, scenario=scenario, warm=warm)


def _run_in_worker(change: Change) -> Result:
    w = _WORKER
    return _run_one(w["key"], w["dataset"], w["scenario"], change, w["warm"])


@contextlib.contextmanager
def _main_not_reimported():
    """Let worker processes start without re-running the user's script.

    Workers are spawned, not forked (the parent may hold HiGHS threads, which a fork
    would copy mid-flight). Spawning normally re-imports the main script, which breaks
    scripts without an `if __name__ == "__main__":` guard. The workers only need
    optimizer's own functions, so the main module is hidden while they start.
    """
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
    try:
        for k in saved:
            if k == "__file__":
                delattr(main, k)
            else:
                setattr(main, k, None)
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


class WorkerStopped(Exception):
    """A worker's run ended by KeyboardInterrupt or SystemExit, carried back as an ordinary error."""


def _call(item: tuple[int, Callable, Any]) -> tuple[int, Any]:
    i, fn, arg = item
    try:
        return i, fn(arg)
    except (KeyboardInterrupt, SystemExit) as e:  # the pool handles only Exception: these killed
        # the worker mid-traceback ("Process SpawnPoolWorker-2:" alone on stderr) and lost the job
        raise WorkerStopped(type(e).__name__) from None


def _ignore_sigint():
    import signal

    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to change
        return None


def _restore_sigint(previous) -> None:
    import signal

    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _local_map(fn: Callable, items: Sequence, processes: int, initializer=None, initargs=()):
    """(index, fn(item)) for every item, from a pool of spawned local processes, as they finish."""
    ctx = multiprocessing.get_context("spawn")
    # Workers start with Ctrl-C ignored (an ignored signal stays ignored across exec, and Python
    # then installs no KeyboardInterrupt handler), so one Ctrl-C ends the run in the parent alone,
    # which terminates the pool, instead of printing a traceback from every worker.
    previous = _ignore_sigint()
    try:
        with _main_not_reimported():
            pool = ctx.Pool(processes, initializer=initializer, initargs=initargs)  # starts every worker now
    finally:
        _restore_sigint(previous)
    try:
        yield from pool.imap_unordered(_call, [(i, fn, it) for i, it in enumerate(items)])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


#: told of each finished run: progress(done, total, desc); the faces draw it (a console bar)
Progress = Callable[[int, int, str], None]


def run_changes(
    dataset: Dataset,
    scenario: Scenario,
    changes: Sequence[Change],
    *,
    warm: dict[str, int] | None = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    desc: str = "solving",
    session: Session | None = None,
) -> list[Result]:
    """Solve every Change; results in the order of `changes`.

    executor: "local" (processes on this machine, default), "serial" (this process;
    reuses `session` if given) or "dask" (`scheduler`: an address such as
    "tcp://10.0.0.5:8786", or a distributed.Client).
    """
    key = f"{id(dataset)}-{hash(scenario.model_dump_json())}"
    n = len(changes)
    executor, workers = _effective(executor, n, workers)
    if executor != "serial":
        scenario = _one_thread(scenario)
    if executor == "serial":
        s = session or Session(dataset, scenario)
        x = x_from_starts(s.inst, warm) if warm else None
        runs = ((i, s.solve(ch, warm_start=x)) for i, ch in enumerate(changes))
    elif executor == "local":
        runs = _local_map(_run_in_worker, changes, workers, _init_worker, (key, dataset, scenario, warm))
    else:
        runs = _dask_map(_run_dask_one, changes, scheduler, shared=(key, dataset, scenario, warm))
    return _collect(runs, n, progress, desc)


def _collect(runs, n: int, progress: Progress | None, desc: str) -> list[Result]:
    """Results in the order asked, whatever order they finish in; progress told of each."""
    results: list[Result | None] = [None] * n
    if not callable(progress):  # True/False/None: the faces' switch for their bar; nothing to tell here
        progress = None
    if progress is not None:
        progress(0, n, desc)
    for done, (i, res) in enumerate(runs, start=1):
        results[i] = res
        if progress is not None:
            progress(done, n, desc)
    return results  # type: ignore[return-value]


def _distributed():
    """Dask's client, or a clear message when the optional extra is not installed."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        from ..errors import InputError, Problem

        raise InputError(
            [
                Problem(
                    "--executor",
                    None,
                    "executor",
                    "dask needs the optional extra: pip install 'portfolio-optimizer[cluster]'",
                )
            ]
        ) from None
    return Client, as_completed


def _dask_map(fn: Callable, items: Sequence, scheduler: Any, shared: Any = None):
    """(index, fn([shared,] item)) for every item, from a Dask cluster, as they finish.

    `shared` (the dataset, say) is scattered once to every worker instead of with each task.
    """
    Client, dask_completed = _distributed()
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        extra = client.scatter([shared], broadcast=True) if shared is not None else []
        futures = [client.submit(fn, *extra, it, pure=False) for it in items]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in dask_completed(futures):
            yield index[fut.key], fut.result()
    finally:
        if own:
            client.close()


def _run_dask_one(data: tuple, change: Change) -> Result:
    return _run_one(*data[:3], change, data[3])


def _solve_job_tuple(job: tuple[Dataset, Scenario]) -> Result:
    return Session(*job, reusable=False).solve()


def run_solves(
    jobs: Sequence[tuple[Dataset, Scenario]],
    *,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: Progress | None = None,
    desc: str = "solving",
) -> list[Result]:
    """Solve whole scenarios (each its own model), in parallel; results in order."""
    n = len(jobs)
    executor, workers = _effective(executor, n, workers)
    if executor != "serial":
        jobs = [(ds, _one_thread(sc)) for ds, sc in jobs]
    if executor == "serial":
        runs = ((i, _solve_job_tuple(job)) for i, job in enumerate(jobs))
    elif executor == "local":
        runs = _local_map(_solve_job_tuple, jobs, workers)
    else:
        runs = _dask_map(_solve_job_tuple, jobs, scheduler)
    return _collect(runs, n, progress, desc)
