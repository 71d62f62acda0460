"""The Python API (a face, like the command line): load a dataset, solve it, get a Result.

Every call goes through the engine (optimizer.engine.Session). The multi-run functions
are the analyses of optimizer.analysis with two things a person at a console or in a
notebook expects: a progress bar (`progress=None` draws one when the output is a
terminal, True always, False never) and, for `explain`, the sentences in zh or en.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .data.dataset import Dataset
from .data.scenario import Scenario
from .engine import Progress, Session
from .report import html as _html  # noqa: F401  (gives Result its notebook summary)
from .results import Result


def solve(dataset: Dataset | str | Path, scenario: Scenario | dict | str | Path | None = None) -> Result:
    """Choose and schedule projects: maximise the score of MODEL.md, then minimise total cost.

    `dataset` is a Dataset (or a path for `load`); `scenario` a Scenario, a dict of
    DATA.md's scenario keys, a YAML path, or None for the dataset's own scenario.
    For many runs on one dataset, hold an `optimizer.Session` and call its `solve(change)`.
    """
    return Session(dataset, scenario, reusable=False).solve()


class ConsoleProgress:
    """A tqdm bar for the runs of one analysis (the engine reports; this face draws).
    `enabled` None: only on a terminal (tqdm's own rule)."""

    def __init__(self, enabled: bool | None = None):
        self.enabled, self._bar = enabled, None

    def __call__(self, done: int, total: int, desc: str) -> None:
        if self._bar is None:
            from tqdm.auto import tqdm

            disable = None if self.enabled is None else not self.enabled
            self._bar = tqdm(total=total, desc=desc, unit="run", disable=disable, leave=False)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _progress(progress: bool | Progress | None) -> Progress | None:
    if progress is False:
        return None
    return progress if callable(progress) and progress is not True else ConsoleProgress(progress)


def _with_bar(fn, kwargs: dict) -> Any:
    bar = _progress(kwargs.pop("progress", None))
    try:
        return fn(**kwargs, progress=bar)
    finally:
        if isinstance(bar, ConsoleProgress):
            bar.close()


def compare(scenarios: list[Any], data=None, **kwargs) -> pd.DataFrame:
    """Run several scenarios; one row per scenario (optimizer.analysis.compare.compare)."""
    from .analysis.compare import compare as run

    return _with_bar(run, dict(scenarios=scenarios, data=data, **kwargs))


def frontier(data, resource: str = "budget", scales: Any = "0.5:1.5:0.1", **kwargs) -> pd.DataFrame:
    """Score and attainment against the level of one resource (optimizer.analysis.frontier.frontier)."""
    from .analysis.frontier import frontier as run

    return _with_bar(run, dict(data=data, resource=resource, scales=scales, **kwargs))


def tradeoffs(data, scenario: Any = None, points: int = 6, **kwargs) -> dict[str, pd.DataFrame]:
    """Per-city shares, price of balance rules, marginal values, Pareto fronts (optimizer.analysis.tradeoffs)."""
    from .analysis.tradeoffs import tradeoffs as run

    return _with_bar(run, dict(data=data, scenario=scenario, points=points, **kwargs))


def robustness(data, samples: int = 50, **kwargs) -> pd.DataFrame:
    """Core index of each project over sampled overruns and delays (optimizer.analysis.robustness)."""
    from .analysis.robustness import robustness as run

    return _with_bar(run, dict(data=data, samples=samples, **kwargs))


def explain(data, ids: list[str] | None = None, scenario: Any = None, lang: str = "zh", **kwargs) -> pd.DataFrame:
    """Why each project is in or out, in plain sentences (the fields: optimizer.analysis.explain.explain)."""
    from .analysis.explain import explain as run
    from .report.explanations import with_sentences
    from .report.labels import LANGS

    if lang not in LANGS:
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    return with_sentences(_with_bar(run, dict(data_or_dataset=data, ids=ids, scenario=scenario, **kwargs)), lang)


def alternatives(data, scenario: Any = None, within: float = 0.01, count: int = 5, **kwargs) -> dict[str, pd.DataFrame]:
    """Near-optimal portfolios that differ most from the best, and which projects are settled
    (optimizer.analysis.alternatives): tables alternatives, summary, settled, projects."""
    from .analysis.alternatives import alternatives as run

    return _with_bar(run, dict(data=data, scenario=scenario, within=within, count=count, **kwargs))
