"""`portfolio` command line: parse arguments, call the API, map outcomes to exit codes (DATA.md).

Exit codes: 0 a portfolio was found; 2 invalid input; 3 infeasible scenario;
4 no portfolio within the time limit; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

EXIT_OK, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION, EXIT_INTERRUPTED = 0, 2, 3, 4, 130
_NOTHING_WRITTEN = "interrupted; nothing was written (an earlier result in --out is as it was)"


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="portfolio", description="Choose and schedule projects under budget, land and energy limits."
    )
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="optimise a dataset or scenario and print a summary")
    run.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    run.add_argument("--out", help="folder for summary.json and the CSV results (written whole or not at all)")
    run.add_argument("--scenario", help="scenario .yaml to apply to a dataset given as PATH")
    run.add_argument("--time-limit", type=float, help="seconds (overrides the scenario)")
    run.add_argument("--mip-gap", type=float, help="relative gap for optimality (overrides the scenario)")
    run.add_argument("--threads", type=int, help="solver threads (overrides the scenario)")
    run.add_argument("--quiet", action="store_true", help="print only the status line")
    run.add_argument(
        "--report", action="store_true", help="also write report.html and results.xlsx into --out (with the rest)"
    )
    run.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report (default zh)")
    _force(run)
    val = sub.add_parser("validate", help="check a dataset or scenario without solving")
    val.add_argument("path")

    rep = sub.add_parser("report", help="report.html and results.xlsx of a run folder written by 'run --out'")
    rep.add_argument("run_dir", metavar="RUN_DIR", help="folder written by 'portfolio run --out'")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report (default zh)")
    rep.add_argument("--compare", nargs="+", metavar="OTHER_RUN", help="other run folders to compare with this one")
    rep.add_argument("--out", help="folder for report.html and results.xlsx, or a .html file (default: RUN_DIR)")
    _force(rep)

    cmp_ = sub.add_parser("compare", help="run several scenarios and compare them city by city")
    cmp_.add_argument("scenarios", nargs="+", help="scenario .yaml files (the first is the reference)")
    _multi(cmp_, path=False)

    fr = sub.add_parser("frontier", help="score and attainment against the level of one resource")
    fr.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    fr.add_argument("--resource", required=True, help="budget, land, energy (or a resource the dataset adds)")
    fr.add_argument("--scope", help="scale only the limit rows of this scope (ALL or a city); default: every row")
    fr.add_argument("--scales", default="0.5:1.5:0.1", help="start:stop:step (inclusive), or a comma list")
    _multi(fr)

    tr = sub.add_parser(
        "tradeoffs", help="what each city gets, the price of balance rules, marginal values, Pareto fronts"
    )
    tr.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    tr.add_argument("--points", type=int, default=6, help="points per city on the Pareto front")
    _multi(tr)

    ex = sub.add_parser("explain", help="why each project is in or out, in plain sentences")
    ex.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    ex.add_argument("ids", nargs="*", help="project ids (default: every project)")
    ex.add_argument("--lang", choices=("zh", "en"), default="zh")
    _multi(ex)

    rb = sub.add_parser("robustness", help="which choices hold up under cost overruns and delays (or other weights)")
    rb.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    rb.add_argument("--samples", type=int, default=50, help="sampled futures (default 50)")
    rb.add_argument(
        "--weights-from", help="CSV of weight vectors (vector, indicator, scope, weight) instead of sampling"
    )
    rb.add_argument("--lang", choices=("zh", "en"), default="zh")
    _multi(rb)
    return ap


def _multi(p: argparse.ArgumentParser, path: bool = True) -> None:
    """Options shared by every multi-run command."""
    p.add_argument("--out", help="output folder (written whole or not at all)")
    _force(p)
    if path:
        p.add_argument("--scenario", help="scenario .yaml to apply to a dataset given as PATH")
    p.add_argument(
        "--executor",
        choices=("local", "serial", "dask"),
        default="local",
        help="where runs go: local processes (default), this process, or a Dask cluster",
    )
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask)")
    p.add_argument("--workers", type=int, help="local processes (default: one per core)")
    p.add_argument("--time-limit", type=float, help="seconds per run (overrides the scenario)")
    p.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="always draw the progress bar"
    )
    p.add_argument("--no-progress", dest="progress", action="store_false", help="never draw the progress bar")


def _force(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="write into an --out folder that holds files this tool did not write (they are kept, never deleted)",
    )


def _inputs(args) -> list[str]:
    """The paths a command reads (datasets and scenarios, and the dataset each scenario names),
    which its --out may never replace or sit inside."""
    from pathlib import Path

    paths = [getattr(args, "path", None), getattr(args, "scenario", None), *(getattr(args, "scenarios", None) or [])]
    out = []
    for p in filter(None, paths):
        out.append(p)
        if Path(p).suffix.lower() in (".yaml", ".yml") and Path(p).name.lower() not in ("dataset.yaml", "dataset.yml"):
            try:
                import yaml

                data = yaml.safe_load(Path(p).read_text(encoding="utf-8", errors="replace"))
                if isinstance(data, dict) and isinstance(data.get("data"), str):
                    out.append(str(Path(p).parent / data["data"]))
            except (OSError, ValueError, yaml.YAMLError):
                pass  # the loader reports an unreadable scenario with its line
    return out


def load_for_multi(args):
    """(dataset, scenario) for a multi-run command, with command-line overrides applied."""
    from .data.dataset import load

    ds = load(args.path)
    for attr in ("mip_gap", "threads"):
        if not hasattr(args, attr):
            setattr(args, attr, None)
    if not hasattr(args, "scenario"):
        args.scenario = None
    return ds, _scenario(args, ds)


def _analysis(name: str):
    def run(args) -> int:
        import importlib

        from . import outdir

        if args.executor == "dask" and not args.scheduler:
            raise SystemExit("portfolio: --executor dask needs --scheduler ADDRESS")
        module = importlib.import_module(f"optimizer.analysis.{name}")
        if args.out is None:
            return module.main(args)
        with outdir.claim(args.out, _inputs(args), args.force) as target:  # before any solve
            args.out = target
            return module.main(args)

    return run


def _scenario(args, ds):
    from .data.dataset import resolve_scenario

    sc = resolve_scenario(ds, args.scenario)
    solver = {}
    if args.time_limit is not None:
        solver["time_limit"] = args.time_limit
    if args.mip_gap is not None:
        solver["mip_gap"] = args.mip_gap
    if args.threads is not None:
        solver["threads"] = args.threads
    if solver:
        sc = sc.with_updates(solver={**sc.solver.model_dump(), **solver})
    return sc


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal where CJK characters take two columns."""
    import unicodedata

    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - shown)


def _fmt(v, spec=",.1f") -> str:
    return "-" if v is None else format(v, spec)


def print_summary(res, ds, out=sys.stdout) -> None:
    import pandas as pd

    s = res.scenario
    units = ds.meta.units
    money = units.get("money", "")
    w = out.write
    w(f"{ds.name}  [{ds.source}]  scenario: {s.get('name')}\n")
    gap = "-" if res.mip_gap is None else f"{100 * res.mip_gap:.3f}%"
    w(f"status            {res.status}  (gap {gap}; tie-break: {res.tie_break})\n")
    if not res.ok:
        if res.message:
            w(f"why               {res.message}\n")
        return
    w(f"score             {res.objective:.4f}  (bound {_fmt(res.bound, '.4f')})\n")
    w(f"attainment index  {_fmt(res.attainment_index)} / 100\n")
    n = len(res.portfolio)
    w(f"portfolio         {res.selected_count} of {n} projects, total cost {res.total_cost:,.1f} {money}\n")
    w(f"\n{'city':<10}{'projects':>9}{_pad('', 14 - 6 - 2 * len(money))}spend {money}{'share':>8}{'attainment':>12}\n")
    for r in res.cities.itertuples(index=False):
        share = "-" if r.spend_share is None else f"{100 * r.spend_share:.0f}%"
        w(f"{_pad(r.city, 10)}{r.projects:>9}{r.spend:>14,.1f}{share:>8}{_fmt(r.attainment):>12}\n")
    b = res.binding
    w(f"\nbinding limits: {len(b)} of {len(res.resources)} (full, or too little left for any project not chosen)\n")
    shown = res.resources.sort_values(["binding", "utilisation"], ascending=False).head(max(8, min(len(b), 20)))
    for r in shown.itertuples(index=False):
        year = "horizon" if pd.isna(r.year) else str(r.year)
        mark = "*" if r.binding else " "
        w(
            f" {mark} {r.resource:<8}{_pad(r.scope, 6)}{year:<9}{r.used:>12,.1f} of {r.limit:>10,.1f} {_pad(r.unit or '', 12)}{100 * r.utilisation:>5.1f}%\n"
        )
    w(f"\nbuild {res.build_seconds:.2f} s, solve {res.solve_seconds:.2f} s\n")


def _run(args) -> int:
    from .data.dataset import load

    if args.report and args.out is None:
        print("portfolio run: --report needs --out DIR (the report is written there with the results)", file=sys.stderr)
        return EXIT_INPUT
    ds = load(args.path)
    sc = _scenario(args, ds)
    if args.out is None:
        return _run_and_print(args, ds, sc, None)
    from . import outdir

    with outdir.claim(args.out, [*_inputs(args), ds.source], args.force) as target:  # before the solve
        return _run_and_print(args, ds, sc, target)


def _run_and_print(args, ds, sc, target) -> int:
    from . import api
    from .solve import Status

    res = api.solve(ds, sc)
    if target is not None and res.status != Status.NO_SOLUTION:
        extra = None
        if args.report:
            from .report.html import report_files

            extra = report_files(res, args.lang)
        res.write(target, extra=extra)  # before printing: a closed pipe must not cost the results
    if args.quiet:
        print(f"{res.status} objective={res.objective} attainment_index={res.attainment_index} gap={res.mip_gap}")
    else:
        print_summary(res, ds)
    if res.status == Status.NO_SOLUTION:
        print("no portfolio found within the time limit; nothing written", file=sys.stderr)
        return EXIT_NO_SOLUTION
    if args.out and not args.quiet:
        print(f"results written to {args.out}")
    if res.status == Status.INFEASIBLE:
        print(
            f"the scenario is infeasible: {res.message or 'no portfolio satisfies every limit and rule together'}",
            file=sys.stderr,
        )
        return EXIT_INFEASIBLE
    return EXIT_OK


def _report(args) -> int:
    from pathlib import Path

    from .report.html import read_extras, run_names, write_report
    from .result import Result

    res = Result.read(args.run_dir)
    others = [Result.read(d) for d in args.compare or []]
    compare = None
    if others:
        names = run_names([res, *others], [Path(d).resolve().name for d in [args.run_dir, *args.compare]])
        compare = list(zip(names[1:], others))
    written = write_report(
        res, args.out or args.run_dir, args.lang, compare, read_extras(args.run_dir), force=args.force
    )
    print("written: " + ", ".join(map(str, written)))
    return EXIT_OK


def _validate(args) -> int:
    from .data.dataset import load, resolve_scenario
    from .data.instance import build_instance

    ds = load(args.path)
    build_instance(ds, resolve_scenario(ds, None))  # scenario keys checked against the data
    print(f"ok: {ds!r}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns its exit code (DATA.md). Never raises, except SystemExit from --help."""
    try:
        done = getattr(sys.modules.get("optimizer.outdir"), "written", [])
        done.clear()  # what this command writes, for its last word after Ctrl-C
        args = _parser().parse_args(argv)
        from .errors import InputError

        try:
            commands = {"run": _run, "validate": _validate, "report": _report}
            commands.update({c: _analysis(c) for c in ("compare", "frontier", "tradeoffs", "explain", "robustness")})
            return commands[args.command](args)
        except InputError as exc:
            print(exc.describe(limit=200), file=sys.stderr)
            return EXIT_INPUT
    except BrokenPipeError:  # `portfolio run … | head`: the reader left, nothing is wrong
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:  # a bug, not bad input: say so in one line; PORTFOLIO_DEBUG=1 shows the traceback
        import os

        if _is_interrupt(exc):
            return _interrupted()
        if os.environ.get("PORTFOLIO_DEBUG"):
            raise
        print(
            f"internal error: {type(exc).__name__}: {exc} (set PORTFOLIO_DEBUG=1 for the traceback; please report it)",
            file=sys.stderr,
        )
        return 1


def _is_interrupt(exc: BaseException) -> bool:
    """A Ctrl-C that a library wrapped in another error (Pyomo's output capture raises
    RuntimeError("KeyboardInterrupt: ...") when the interrupt lands in its reader thread)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, KeyboardInterrupt) or str(exc).startswith("KeyboardInterrupt"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _interrupt_line() -> str:
    """The one line after Ctrl-C: what this command had written by then (outdir.written)."""
    done = getattr(sys.modules.get("optimizer.outdir"), "written", [])
    return f"interrupted after writing {', '.join(map(str, done))}" if done else _NOTHING_WRITTEN


def _interrupted() -> int:
    """Ctrl-C: one line, exit 130. A second Ctrl-C while saying so is ignored."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        pass
    print(_interrupt_line(), file=sys.stderr)
    return EXIT_INTERRUPTED


def _on_sigint(signum, frame) -> None:
    """The command's Ctrl-C: one line, exit 130, at once.

    Python's own handler raises KeyboardInterrupt wherever the program is, and inside a
    destructor or a weak-reference callback (pandas and matplotlib run many) Python prints
    "Exception ignored ... KeyboardInterrupt" and goes on. So the command ends here instead,
    except while results are being put in place (outdir defers it to the end of that). The
    solver's own handlers (solve.interruptible, decompose) take over during a solve and raise
    KeyboardInterrupt once HiGHS has stopped cleanly; main reports that the same way.
    """
    import os
    import signal

    outdir = sys.modules.get("optimizer.outdir")  # may be half imported: look names up with getattr
    defer = getattr(outdir, "defer_interrupt", None)
    if defer is not None and defer():
        return
    if "optimizer.analysis.runner" in sys.modules:
        # a multi-run command, with worker processes and their queues: the interrupt is raised
        # where the program is, and the pool's handler ends the workers and closes the queues
        # (ending at once here left their semaphores to the resource tracker's warning)
        raise KeyboardInterrupt
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.write(2, (_interrupt_line() + "\n").encode("utf-8", "replace"))  # not print: stderr may be mid-write
    except OSError:
        pass
    _exit_now(EXIT_INTERRUPTED)


def _exit_now(code: int) -> None:
    """End the process: exit handlers first (pool finalizers: no leaked-semaphore warning), then
    os._exit, since CPython may otherwise end a process that handled a KeyboardInterrupt by SIGINT
    (exit -2) instead of with its code."""
    import atexit
    import os

    try:
        atexit._run_exitfuncs()
    except BaseException:  # an exit handler's own error: nothing more is to be said
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    os._exit(code)


def console() -> None:
    """The `portfolio` command: `main`, then exit with its code. Ctrl-C is ignored from the moment
    the work is done (or interrupted), so Python's shutdown cannot be cut short with a traceback."""
    # Worker pools stopped by Ctrl-C leave their queue semaphores to multiprocessing's resource
    # tracker, which removes them and says so in a warning of two lines after our one line.
    # The tracker takes its -W options from ours when it starts: this one silences just that.
    sys.warnoptions.append("ignore:resource_tracker:UserWarning")
    try:
        import signal

        signal.signal(signal.SIGINT, _on_sigint)
        code = main()
    except KeyboardInterrupt:  # between main's handlers
        code = _interrupted()
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        code = _interrupted()
    if code == EXIT_INTERRUPTED and "multiprocessing" not in sys.modules:
        _exit_now(code)  # (with worker pools, Python's own shutdown is what releases their semaphores)
    sys.exit(code)


if __name__ == "__main__":
    console()
