"""Running many Changes: serially, in local processes (default) or on a Dask cluster.

Every worker builds its Session once and re-solves it for each Change it is given.
Each run starts from a clean solver state and the same warm start (the base
portfolio), so results do not depend on how runs are spread over workers: the
local and the Dask executors give identical tables.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..data.dataset import Dataset
from ..data.scenario import Scenario
from ..result import Result
from .session import Change, Session, x_from_starts

EXECUTORS = ("local", "serial", "dask")

# one Session per worker process, keyed by what it was built from
_SESSIONS: dict[str, Session] = {}


def _session(key: str, dataset: Dataset, scenario: Scenario) -> Session:
    s = _SESSIONS.get(key)
    if s is None:
        _SESSIONS.clear()  # one dataset at a time per worker keeps memory flat
        s = _SESSIONS[key] = Session(dataset, scenario)
    return s


def _run_one(key: str, dataset: Dataset, scenario: Scenario, change: Change, warm: dict[str, int] | None) -> Result:
    s = _session(key, dataset, scenario)
    x = x_from_starts(s.inst, warm) if warm else None
    return s.run(change, warm_start=x)


_WORKER: dict[str, Any] = {}


def _init_worker(key: str, dataset: Dataset, scenario: Scenario, warm: dict[str, int] | None) -> None:
    _WORKER.update(key=key, dataset=dataset, scenario=scenario, warm=warm)


def _run_in_worker(change: Change) -> Result:
    w = _WORKER
    return _run_one(w["key"], w["dataset"], w["scenario"], change, w["warm"])


def _progress(total: int, desc: str, enabled: bool | None):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="run", disable=(None if enabled is None else not enabled), leave=False)


def run_changes(
    dataset: Dataset,
    scenario: Scenario,
    changes: Sequence[Change],
    *,
    warm: dict[str, int] | None = None,
    executor: str = "local",
    scheduler: Any = None,
    workers: int | None = None,
    progress: bool | None = None,
    desc: str = "solving",
    session: Session | None = None,
) -> list[Result]:
    """Solve every Change; results in the order of `changes`.

    executor: "local" (processes on this machine, default), "serial" (this process;
    reuses `session` if given) or "dask" (`scheduler`: an address such as
    "tcp://10.0.0.5:8786", or a distributed.Client).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
    key = f"{id(dataset)}-{hash(scenario.model_dump_json())}"
    n = len(changes)
    workers = workers or os.cpu_count() or 1
    if executor == "local" and (n <= 1 or workers <= 1):
        executor = "serial"
    results: list[Result | None] = [None] * n
    bar = _progress(n, desc, progress)
    try:
        if executor == "serial":
            s = session or Session(dataset, scenario)
            x = x_from_starts(s.inst, warm) if warm else None
            for i, ch in enumerate(changes):
                results[i] = s.run(ch, warm_start=x)
                bar.update()
        elif executor == "local":
            # spawn, not fork: the parent may hold HiGHS threads, which a fork would copy mid-flight
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                min(workers, n), mp_context=ctx, initializer=_init_worker, initargs=(key, dataset, scenario, warm)
            ) as pool:
                futures = {pool.submit(_run_in_worker, ch): i for i, ch in enumerate(changes)}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.update()
        else:
            results = _run_dask(key, dataset, scenario, changes, warm, scheduler, bar)
    finally:
        bar.close()
    return results  # type: ignore[return-value]


def _run_dask(key, dataset, scenario, changes, warm, scheduler, bar) -> list[Result]:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise RuntimeError(
            "the dask executor needs the optional extra: pip install 'portfolio-optimizer[cluster]'"
        ) from exc
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        [data] = client.scatter([(dataset, scenario, warm)], broadcast=True)
        futures = [client.submit(_run_dask_one, key, data, ch, pure=False) for ch in changes]
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Result | None] = [None] * len(changes)
        for fut in dask_completed(futures):
            results[index[fut.key]] = fut.result()
            bar.update()
        return results  # type: ignore[return-value]
    finally:
        if own:
            client.close()


def _run_dask_one(key: str, data: tuple, change: Change) -> Result:
    dataset, scenario, warm = data
    return _run_one(key, dataset, scenario, change, warm)
