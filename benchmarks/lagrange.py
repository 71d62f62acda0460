"""How strong a Lagrangian bound of the rows that join cities is, against HiGHS's own root bound.

    python benchmarks/lagrange.py [--family coupled] [--size 300] [--seeds 1 2 3] [--steps 40]

Issue 15, part 3: relax the metro-wide rows (metro budgets, metro targets) with prices, solve
the cities apart, and use the bound to steer or stop HiGHS. This measures whether that bound
could help before any of it is built into the solver.

Blocks: each city's start columns (a cross-city project goes to the city with its largest
share) and progress columns (a metro target's to a block of its own). Every row with columns
in more than one block is dualised (metro budgets, metro target rows, the rows of cross-city
projects); the rest stay in their block's MIP. For the minimisation min −score, with row
prices y (y > 0 on a row's lower side, y < 0 on its upper side, HiGHS's sign convention),

    L(y) = Σ_blocks min_{x ∈ X_b} (c − Aᵀy)·x + Σ_rows y·(lower if y > 0 else upper)

is a lower bound for every such y (weak duality); −L(y) bounds the score from above. The
search starts at the LP relaxation's row duals (where the blocks' LP relaxations give back
the LP bound, so the MIP blocks can only improve on it) and takes projected subgradient
steps (Polyak steps towards the optimum, halved every 10 steps; y kept where the blocks stay
bounded: a free progress column needs its reduced cost 0).

Printed per instance: the LP bound, −L at the LP duals, the best −L found, HiGHS's bound
after its root node (cuts included; mip_max_nodes 1), the optimum (HiGHS, gap 1e-4, 120 s)
and the seconds of one L evaluation. A Lagrangian bound is worth building only if it is
below HiGHS's root bound. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizer.data.dataset import from_tables, resolve_scenario
from optimizer.data.instance import build_instance
from optimizer.data.synthetic import FAMILIES, synthetic_scenario, synthetic_tables
from optimizer.model.build import build_model
from optimizer.solve.highs import ModelSolver


def _matrix(h: highspy.Highs):
    """The loaded model as minimisation data: cost, bounds, integrality, CSR rows."""
    lp = h.getLp()
    a = lp.a_matrix_
    if a.format_ != highspy.MatrixFormat.kRowwise:  # pyomo's persistent HiGHS passes rows
        raise SystemExit("expected a row-wise matrix")
    sign = -1.0 if lp.sense_ == highspy.ObjSense.kMaximize else 1.0
    return (
        sign * np.asarray(lp.col_cost_),
        np.asarray(lp.col_lower_),
        np.asarray(lp.col_upper_),
        np.asarray(lp.row_lower_),
        np.asarray(lp.row_upper_),
        np.asarray([int(t) for t in lp.integrality_]) if len(lp.integrality_) else np.zeros(lp.num_col_, int),
        np.asarray(a.start_),
        np.asarray(a.index_),
        np.asarray(a.value_),
    )


class Lagrangian:
    def __init__(self, inst, m, solver: ModelSolver):
        h = solver.opt._solver_model
        self.c, self.clo, self.cup, self.lo, self.up, self.integ, self.start, self.col, self.val = _matrix(h)
        shares = inst.shares[inst.shares["scope"] != "ALL"].sort_values("share", ascending=False)
        main = dict(zip(shares.drop_duplicates("p")["p"], shares.drop_duplicates("p")["scope"]))
        block = np.empty(len(self.c), dtype=object)
        for vid, j in solver.opt._pyomo_var_to_solver_var_map.items():
            v = solver.opt._vars[vid][0]
            block[j] = main[v.index()[0]] if v.parent_component().name == "start" else v.index()[1]
        self.block = block
        nrow = len(self.lo)
        self.row_of = np.repeat(np.arange(nrow), np.diff(self.start))
        kinds = [set(block[self.col[self.start[r] : self.start[r + 1]]]) for r in range(nrow)]
        self.link = np.array([len(k) > 1 for k in kinds])
        self.home = np.array([next(iter(k)) if len(k) == 1 else None for k in kinds], dtype=object)
        self.x = np.zeros(len(self.c))

    def lp_duals(self, h: highspy.Highs) -> tuple[float, np.ndarray]:
        r = highspy.Highs()
        r.setOptionValue("output_flag", False)
        lp = h.getLp()
        lp.col_cost_ = self.c
        lp.sense_ = highspy.ObjSense.kMinimize
        lp.offset_ = 0.0
        lp.integrality_ = []
        r.passModel(lp)
        r.run()
        return -r.getInfo().objective_function_value, np.asarray(r.getSolution().row_dual)

    def value(self, y: np.ndarray) -> float:
        """−L(y), an upper bound on the score; the blocks' minimisers are kept in self.x."""
        y = np.where(self.link, y, 0.0)
        red = self.c - np.bincount(self.col, weights=self.val * y[self.row_of], minlength=len(self.c))
        used = self.link & (y != 0)
        total = float(np.sum(np.where(y[used] > 0, y[used] * self.lo[used], y[used] * self.up[used])))
        for b in sorted(set(self.block)):
            total += self._block(b, red)
        return -total

    def _block(self, b, red: np.ndarray) -> float:
        cols = np.flatnonzero(self.block == b)
        pos = np.full(len(self.c), -1)
        pos[cols] = np.arange(len(cols))
        rows = np.flatnonzero(~self.link & (self.home == b))
        sub = highspy.Highs()
        sub.setOptionValue("output_flag", False)
        sub.setOptionValue("mip_rel_gap", 1e-7)
        sub.addVars(len(cols), self.clo[cols], self.cup[cols])
        sub.changeColsCost(len(cols), np.arange(len(cols), dtype=np.int32), red[cols])
        starts, index, value = [0], [], []
        for r in rows:
            k = slice(self.start[r], self.start[r + 1])
            index.extend(pos[self.col[k]])
            value.extend(self.val[k])
            starts.append(len(index))
        if len(rows):
            sub.addRows(
                len(rows), self.lo[rows], self.up[rows], len(index),
                np.asarray(starts[:-1], dtype=np.int32), np.asarray(index, dtype=np.int32), np.asarray(value),
            )  # fmt: skip
        ints = np.flatnonzero(self.integ[cols] == 1).astype(np.int32)
        if len(ints):
            sub.changeColsIntegrality(len(ints), ints, np.full(len(ints), highspy.HighsVarType.kInteger))
        sub.run()
        self.x[cols] = sub.getSolution().col_value
        return sub.getInfo().objective_function_value

    def step(self, y: np.ndarray, value: float, target: float, size: float) -> np.ndarray:
        ax = np.bincount(self.row_of, weights=self.val * self.x[self.col], minlength=len(self.lo))
        g = np.where(ax > self.up, self.up - ax, np.where(ax < self.lo, self.lo - ax, 0.0))
        g = np.where(self.link & np.isfinite(g), g, 0.0)
        norm = float(g @ g)
        if norm < 1e-12:
            return y
        y = y + size * (value - target) / norm * g
        y = np.where((y > 0) & ~np.isfinite(self.lo), 0.0, y)
        y = np.where((y < 0) & ~np.isfinite(self.up), 0.0, y)
        # a free (or one-sided) continuous column keeps its block bounded: reduced cost sign
        for j in np.flatnonzero(~np.isfinite(self.clo) | ~np.isfinite(self.cup)):
            for k in np.flatnonzero(self.col == j):
                r, a = self.row_of[k], self.val[k]
                if not self.link[r]:
                    continue
                if not np.isfinite(self.clo[j]):
                    y[r] = max(y[r], self.c[j] / a) if a > 0 else min(y[r], self.c[j] / a)
                if not np.isfinite(self.cup[j]):
                    y[r] = min(y[r], self.c[j] / a) if a > 0 else max(y[r], self.c[j] / a)
        return y


def _highs_bound(solver: ModelSolver, nodes: int | None) -> tuple[float, float]:
    h = solver.opt._solver_model
    for key, v in {"output_flag": False, "mip_rel_gap": 1e-4, "time_limit": 120.0}.items():
        h.setOptionValue(key, v)
    h.setOptionValue("mip_max_nodes", nodes if nodes is not None else highspy.kHighsIInf)
    h.clearSolver()
    if h.run() == highspy.HighsStatus.kError:  # a node limit reached is a warning
        raise SystemExit("HiGHS refused the run")
    info = h.getInfo()
    return info.mip_dual_bound, info.objective_function_value


def main(family: str, n: int, seeds: list[int], steps: int) -> int:
    print(f"{family} N={n}: score bounds (maximisation; lower is stronger)")
    print(
        f"{'seed':>4} {'rows':>5} {'linked':>6} {'LP':>9} {'L(LP duals)':>11} {'best L':>9} {'HiGHS root':>10} {'optimum':>9} {'s per L':>7}"
    )
    for seed in seeds:
        meta, tables = synthetic_tables(n, seed, **FAMILIES[family])
        ds = from_tables(meta, tables)
        sc = {**synthetic_scenario(), "solver": {"mip_gap": 1e-4, "threads": 1}}
        inst = build_instance(ds, resolve_scenario(ds, sc))
        m = build_model(inst)
        solver = ModelSolver(m, inst)
        lag = Lagrangian(inst, m, solver)
        lp, y = lag.lp_duals(solver.opt._solver_model)
        t0 = time.perf_counter()
        first = best = lag.value(y)
        per = time.perf_counter() - t0
        root, _ = _highs_bound(solver, 1)
        _, opt = _highs_bound(solver, None)
        size, value = 0.01, first
        for k in range(steps):
            y = lag.step(y, value, opt, size)  # from the blocks' minimisers of the last value()
            value = lag.value(y)
            best = min(best, value)
            if k % 10 == 9:
                size /= 2
        print(
            f"{seed:>4} {len(lag.lo):>5} {int(lag.link.sum()):>6} {lp:>9.4f} {first:>11.4f} {best:>9.4f} "
            f"{root:>10.4f} {opt:>9.4f} {per:>7.2f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", default="coupled", choices=sorted(FAMILIES))
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--steps", type=int, default=40)
    a = ap.parse_args()
    raise SystemExit(main(a.family, a.size, a.seeds, a.steps))
