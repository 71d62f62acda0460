"""Seeded fuzz test of the loader on the example dataset (inputs/hangzhou_2027).

Each case copies the dataset, applies ONE random mutation (tests/fuzz_mutations.py) chosen by
``random.Random(seed)``, runs ``portfolio run DATA --out OUT --quiet`` in-process and checks
the outcome against the exit-code contract of ../shared/DATA.md by class of mutation:

* harmless (the same data written differently: GBK, BOM, CRLF, column order, extra columns,
  blank trailing cells, file-name case, quoting, spaces, YAML style, row order): exit 0 and
  the same answer as the unmutated dataset;
* harmful (a bad cell, a broken file, a bad dataset.yaml): exit 2, the message names the
  file (and, for a cell, the spreadsheet row and column), nothing is written to --out;
* neutral (a number changed to another valid number): exit 0, 2 or 3; a 2 names file, row
  and column.

Every case: never exit 1 ('internal error'), no traceback, no validator internals, no echoed
value longer than about 200 characters.

The mutation is ``KINDS[seed % len(KINDS)]``, so a handful of seeds covers every kind; the
seed and the mutation are in every assertion message. A failing case is rerun alone with its
test id, e.g. ``pytest 'tests/test_fuzz.py::test_harmful[17]'``.

``PORTFOLIO_FUZZ_CASES`` (default 100) sets the number of harmful + neutral cases (harmless ones
scale with it); ``PORTFOLIO_FUZZ_START`` (default 0) is the first seed, to explore new seeds.
"""

from __future__ import annotations

import csv
import json
import math
import os
import random
import re
import shutil
from pathlib import Path

import fuzz_mutations as fm
import pytest

from optimizer.cli import main

DATA = Path(__file__).resolve().parent.parent / "inputs" / "hangzhou_2027"
CASES = int(os.environ.get("PORTFOLIO_FUZZ_CASES", "100"))
START = int(os.environ.get("PORTFOLIO_FUZZ_START", "0"))
N_NEUTRAL = max(1, CASES // 12)  # these solve when they validate: ~2 s each
N_HARMFUL = max(len(fm.HARMFUL), CASES - N_NEUTRAL)  # ~0.2 s each
N_HARMLESS = len(fm.HARMLESS) * max(1, CASES // 100)  # each solves: ~2 s

#: validator wording that must never reach a planner
LEAKS = ("constrained-float", "function-after", "pydantic", "input_value=", "dict[str")
ECHO = 200  # longest run of non-blank characters a message may echo
LINE = 400  # longest stderr line (the dataset's folder taken out)
REL = 1e-6
#: seconds: a harmful case must fail before any solve, so this only bounds the time a loader bug
#: costs (an accepted bad dataset would otherwise solve up to the scenario's 60 s); a neutral
#: case may solve, and with this limit may also end as 4 (no portfolio in time)
HARMFUL_TIME_LIMIT, NEUTRAL_TIME_LIMIT = 5, 10


def seeds(n: int) -> range:
    return range(START, START + n)


# ---------------------------------------------------------------- running


def run(data: Path, out: Path, capsys, time_limit: float | None = None) -> tuple[int | str, str]:
    """Exit code and stderr of `portfolio run DATA --out OUT --quiet`, in-process."""
    capsys.readouterr()
    extra = [] if time_limit is None else ["--time-limit", str(time_limit)]
    try:
        rc = main(["run", str(data), "--out", str(out), "--quiet", *extra])
    except SystemExit as exc:  # argparse
        rc = exc.code
    except BaseException as exc:  # escaped main(): as bad as exit 1
        rc = f"escaped {type(exc).__name__}: {exc}"
    return rc, capsys.readouterr().err


def answer(out: Path) -> tuple[float, dict[str, tuple[str, str]], str]:
    """(objective, {selected id: (name, start)}, tie_break) of a run folder."""
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    with open(out / "portfolio.csv", encoding="utf-8", newline="") as f:
        chosen = {r["id"]: (r["name"], r["start"]) for r in csv.DictReader(f) if r["selected"] == "True"}
    return summary["objective"], chosen, summary.get("tie_break")


def prepare(tmp_path: Path, seed: int, kinds) -> tuple[Path, fm.Mutation]:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    kind = kinds[seed % len(kinds)]
    if getattr(kind, "needs_symlink", False) and not _symlinks(tmp_path):
        pytest.skip("os.symlink is not available here")
    return data, kind(random.Random(seed), data)


def _symlinks(tmp: Path) -> bool:
    if not hasattr(os, "symlink"):
        return False
    try:
        os.symlink("x", tmp / ".probe")
    except (OSError, NotImplementedError):
        return False
    (tmp / ".probe").unlink()
    return True


def context(seed: int, m: fm.Mutation, rc, err: str, data: Path, test: str) -> str:
    """What a failure says: the seed, the mutation, the exit code, stderr (long lines cut)."""
    err = err.replace(str(data), "<data>")
    lines = [s if len(s) <= 300 else f"{s[:300]}... <{len(s)} chars>" for s in err.splitlines()]
    shown = "\n".join(lines[:40]) + (f"\n... {len(lines) - 40} more lines" if len(lines) > 40 else "")
    return (
        f"seed={seed} mutation: {m.desc}\nexit {rc}\n"
        f"rerun: pytest 'tests/test_fuzz.py::{test}[{seed}]'\n--- stderr:\n{shown}"
    )


# ---------------------------------------------------------------- checks


def check_always(rc, err: str, data: Path, ctx: str) -> None:
    assert isinstance(rc, int), f"main() did not return an exit code\n{ctx}"
    assert rc != 1, f"exit 1 (internal error)\n{ctx}"
    assert "Traceback" not in err, f"traceback on stderr\n{ctx}"
    assert "internal error" not in err, f"'internal error' on stderr\n{ctx}"
    low = err.lower()
    leaked = [w for w in LEAKS if w.lower() in low]
    assert not leaked, f"message leaks validator internals {leaked}\n{ctx}"
    for line in err.replace(str(data), "<data>").splitlines():
        run_ = max((len(w) for w in line.split()), default=0)
        assert run_ <= ECHO, f"a message echoes a value of {run_} characters\n{ctx}"
        assert len(line) <= LINE, f"a stderr line of {len(line)} characters\n{ctx}"


def problem_lines(err: str) -> list[str]:
    """The problem lines of an InputError report (`  <file>, row N, column C: message`)."""
    return [s.strip() for s in err.splitlines() if s.startswith("  ") and not s.strip().startswith("...")]


def located(err: str, file: str, rows=(), columns=()) -> list[str]:
    """Problem lines that name ``file`` (a whole name: after a path separator or at the start),
    one of ``rows`` and one of ``columns`` when given, in Problem.__str__'s form."""
    row = rf", row ({'|'.join(map(str, rows))})" if rows else r"(, row \d+)?"
    col = rf", column ({'|'.join(map(re.escape, columns))})" if columns else r"(, column [^:]+)?"
    pat = re.compile(rf"(^|[\s/\\]){re.escape(file)}{row}{col}: ")
    return [s for s in problem_lines(err) if pat.search(s)]


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.iterdir())


# ---------------------------------------------------------------- the baseline


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """The answer of the unmutated dataset (copied, like every case), solved once per module."""
    tmp = tmp_path_factory.mktemp("fuzz_base")
    shutil.copytree(DATA, tmp / "data")
    rc = main(["run", str(tmp / "data"), "--out", str(tmp / "out"), "--quiet"])
    assert rc == 0, f"the unmutated example dataset does not solve (exit {rc})"
    return answer(tmp / "out")


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("PORTFOLIO_DEBUG", raising=False)  # it turns exit 1 into a raised exception


# ---------------------------------------------------------------- the cases


@pytest.mark.parametrize("seed", seeds(N_HARMLESS))
def test_harmless(seed, tmp_path, capsys, baseline):
    data, m = prepare(tmp_path, seed, fm.HARMLESS)
    out = tmp_path / "out"
    rc, err = run(data, out, capsys)
    ctx = context(seed, m, rc, err, data, "test_harmless")
    check_always(rc, err, data, ctx)
    assert rc == 0, f"harmless mutation rejected\n{ctx}"
    objective, chosen, tie = answer(out)
    base_objective, base_chosen, base_tie = baseline
    assert math.isclose(objective, base_objective, rel_tol=REL), (
        f"objective {objective!r} != {base_objective!r} of the unmutated dataset\n{ctx}"
    )
    if chosen != base_chosen:
        ids = sorted(i for i in set(chosen) | set(base_chosen) if chosen.get(i) != base_chosen.get(i))
        was, now = base_chosen.get, chosen.get
        diff = [f"{i}: {_shown(was(i), now(i))} -> {_shown(now(i), was(i))}" for i in ids]
        msg = f"same data, another portfolio (unmutated -> mutated) in {len(ids)} projects: {'; '.join(diff[:12])}"
        if {tie, base_tie} != {"proven"}:
            # The tie-break (least cost at the best score) gets a share of stage 1's wall clock
            # (solve/highs.py tie_seconds); on a loaded machine it can stop early, and then which of the equal-score
            # portfolios comes out depends on the load, not on the mutation.
            pytest.xfail(f"{msg}; tie-break {base_tie!r} -> {tie!r}, so not comparable\n{ctx}")
        raise AssertionError(f"{msg} (tie-break proven in both)\n{ctx}")


def _shown(pick: tuple[str, str] | None, other: tuple[str, str] | None) -> str:
    if pick is None:
        return "not selected"
    return f"start {pick[1]}" + (f" name {pick[0]!r}" if other and other[0] != pick[0] else "")


@pytest.mark.parametrize("seed", seeds(N_HARMFUL))
def test_harmful(seed, tmp_path, capsys):
    data, m = prepare(tmp_path, seed, fm.HARMFUL)
    out = tmp_path / "out"
    rc, err = run(data, out, capsys, HARMFUL_TIME_LIMIT)
    ctx = context(seed, m, rc, err, data, "test_harmful")
    check_always(rc, err, data, ctx)
    assert rc == 2, f"harmful mutation not reported as invalid input (exit 2)\n{ctx}"
    assert nothing_written(out), f"exit 2 but something was written to --out\n{ctx}"
    lines = located(err, m.file, m.rows, m.columns)
    where = ", ".join(
        [m.file]
        + ([f"row {' or '.join(map(str, m.rows))}"] if m.rows else [])
        + ([f"column {' or '.join(m.columns)}"] if m.columns else [])
    )
    assert lines, f"no problem names {where}\n{ctx}"
    if m.mention:
        assert any(m.mention in s for s in lines), f"no problem naming {m.file} mentions {m.mention!r}\n{ctx}"
    if m.exists:
        wrong = [s for s in lines if re.search(r": missing\b", s)]
        assert not wrong, f"the file is there (as {m.desc.split(' by ')[-1]}), but is reported as missing\n{ctx}"
    if m.finite:
        wrong = [s for s in lines if "infinity" in s]
        assert not wrong, f"a finite (400-digit) number is reported as infinity\n{ctx}"


@pytest.mark.parametrize("seed", seeds(N_NEUTRAL))
def test_neutral(seed, tmp_path, capsys):
    data, m = prepare(tmp_path, seed, (fm.neutral,))
    out = tmp_path / "out"
    rc, err = run(data, out, capsys, NEUTRAL_TIME_LIMIT)
    ctx = context(seed, m, rc, err, data, "test_neutral")
    check_always(rc, err, data, ctx)
    assert rc in (0, 2, 3, 4), f"a valid number gave exit {rc} (expected 0, 2, 3, or 4 at the time limit)\n{ctx}"
    if rc == 0:
        assert (out / "summary.json").is_file(), f"exit 0 without summary.json\n{ctx}"
    if rc == 2:
        lines = problem_lines(err)
        assert lines, f"exit 2 without any problem listed\n{ctx}"
        vague = [s for s in lines if not re.search(r"\.(csv|yaml), row \d+, column [^:]+: ", s)]
        assert not vague, f"a problem without file, row and column: {vague[:3]}\n{ctx}"
        assert nothing_written(out), f"exit 2 but something was written to --out\n{ctx}"


def test_every_kind_is_drawn():
    """The default run covers every mutation kind at least once (seed % len picks the kind)."""
    assert N_HARMLESS >= len(fm.HARMLESS) and N_HARMFUL >= len(fm.HARMFUL)
