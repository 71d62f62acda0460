"""Multidimensional 0-1 knapsack (MKP) instances and their reduction to a dataset.

Readers for the files in ``../shared/benchmarks/mkp/`` (see its README) and
``mkp_tables``, the reduction of MODEL.md "Known reductions": the optimum of
the dataset it returns equals the knapsack optimum. Only numpy/pandas here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

INDICATOR = "profit"
CITY = "X"


@dataclass(frozen=True, eq=False)
class MKPInstance:
    """max p·x  s.t.  A x <= b,  x in {0,1}^n.  ``weights`` is A, shape (m, n)."""

    name: str
    profits: np.ndarray
    weights: np.ndarray
    capacities: np.ndarray
    optimum: float | int | None = None

    @property
    def n(self) -> int:
        return int(self.profits.shape[0])

    @property
    def m(self) -> int:
        return int(self.capacities.shape[0])

    def __post_init__(self) -> None:
        if self.weights.shape != (self.m, self.n):
            raise ValueError(f"{self.name}: weights {self.weights.shape} != (m, n) = ({self.m}, {self.n})")


def _number(token: str) -> int | float:
    try:
        return int(token)
    except ValueError:
        return float(token)


def _array(tokens: list[str]) -> np.ndarray:
    values = [_number(t) for t in tokens]
    if all(isinstance(v, int) for v in values):
        return np.array(values, dtype=np.int64)
    return np.array(values, dtype=float)


def _parse_one(tokens: list[str], pos: int, name: str) -> tuple[MKPInstance, int]:
    """Parse ``n m opt, p[n], A[m][n], b[m]`` starting at ``tokens[pos]``."""
    if pos + 3 > len(tokens):
        raise ValueError(f"{name}: file ends before the 'n m opt' header")
    n, m = int(tokens[pos]), int(tokens[pos + 1])
    opt = _number(tokens[pos + 2])
    pos += 3
    need = n + m * n + m
    if pos + need > len(tokens):
        raise ValueError(f"{name}: expected {need} numbers after the header (n={n}, m={m}), found {len(tokens) - pos}")
    profits = _array(tokens[pos : pos + n])
    pos += n
    weights = _array(tokens[pos : pos + m * n]).reshape(m, n)
    pos += m * n
    capacities = _array(tokens[pos : pos + m])
    pos += m
    optimum = None if opt == 0 else opt
    return MKPInstance(name, profits, weights, capacities, optimum), pos


def read_sac94(path: str | Path, name: str | None = None) -> MKPInstance:
    """Read one SAC-94 ``.dat`` file: ``n m opt``, profits, A row-major, capacities."""
    path = Path(path)
    tokens = path.read_text().split()
    inst, pos = _parse_one(tokens, 0, name or path.stem)
    if pos != len(tokens):
        raise ValueError(f"{path}: {len(tokens) - pos} unexpected numbers after the capacities")
    return inst


def read_orlib(path: str | Path, k: int, name: str | None = None) -> MKPInstance:
    """Read problem ``k`` (1-based) of an OR-Library multi-instance file (mknap1, mknapcb*).

    Layout: ``K``, then K times ``n m opt``, profits, A row-major, capacities.
    ``opt = 0`` (all of mknapcb*) means "not given": ``optimum`` is None.
    """
    path = Path(path)
    tokens = path.read_text().split()
    count = int(tokens[0])
    if not 1 <= k <= count:
        raise ValueError(f"{path}: problem {k} asked, the file holds 1..{count}")
    pos = 1
    for i in range(1, k + 1):
        inst, pos = _parse_one(tokens, pos, name or f"{path.stem}#{i}")
    return inst


def read_instance(base: str | Path, file: str, name: str | None = None) -> MKPInstance:
    """Read an ``optima.csv`` ``file`` entry: ``sac94/...dat`` or ``orlib/x.txt#k``."""
    rel, _, k = file.partition("#")
    if k:
        return read_orlib(Path(base) / rel, int(k), name)
    return read_sac94(Path(base) / rel, name)


def _num(x) -> int | float:
    """Python int where the value is whole (keeps CSVs free of ``.0``), else float."""
    f = float(x)
    return int(f) if f.is_integer() else f


def mkp_tables(inst: MKPInstance, y0: int = 2000) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The MKP as a dataset (MODEL.md "Known reductions").

    Item j is project ``x<j>`` fixed to start in ``y0`` with duration m; its
    cost profile is column j of A (zeros included), so the budget row of year
    ``y0 + k`` with limit ``b[k]`` is knapsack constraint k. One uncapped
    indicator ``profit`` (weight 1, scope ALL) carries the profits, and every
    project finishes by the target year ``y0 + m - 1``, so the score is the
    total profit of the selection.
    """
    n, m = inst.n, inst.m
    width = len(str(n))
    ids = [f"x{j + 1:0{width}d}" for j in range(n)]
    cost = inst.weights.sum(axis=0)
    projects = pd.DataFrame(
        {
            "id": ids,
            "name": [f"{inst.name} item {j + 1}" for j in range(n)],
            "city": CITY,
            "duration": m,
            "earliest_start": y0,
            "latest_start": y0,
            "cost": [_num(c) for c in cost],
        }
    )
    cost_profiles = pd.DataFrame(
        {
            "project_id": [ids[j] for j in range(n) for _ in range(m)],
            "year_offset": [k for _ in range(n) for k in range(m)],
            "cost": [_num(inst.weights[k, j]) for j in range(n) for k in range(m)],
        }
    )
    contributions = pd.DataFrame({"project_id": ids, "indicator": INDICATOR, "value": [_num(p) for p in inst.profits]})
    indicators = pd.DataFrame(
        {
            "indicator": [INDICATOR],
            "name": ["knapsack profit"],
            "scope": ["ALL"],
            "baseline": [0],
            "target": [np.nan],
            "weight": [1],
        }
    )
    limits = pd.DataFrame(
        {
            "resource": "budget",
            "scope": "ALL",
            "year": [y0 + k for k in range(m)],
            "limit": [_num(b) for b in inst.capacities],
        }
    )
    meta = {
        "name": f"mkp-{inst.name}",
        "cities": [CITY],
        "horizon": [y0, y0 + m - 1],
        "target_year": y0 + m - 1,
    }
    tables = {
        "projects": projects,
        "cost_profiles": cost_profiles,
        "contributions": contributions,
        "indicators": indicators,
        "limits": limits,
    }
    return meta, tables


def selection_check(inst: MKPInstance, selected: np.ndarray) -> tuple[float, np.ndarray]:
    """Profit of a 0/1 selection and the capacity slack ``b - A x`` (negative = violated)."""
    x = np.asarray(selected, dtype=float)
    return float(inst.profits @ x), inst.capacities - inst.weights @ x
