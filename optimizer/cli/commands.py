"""The `portfolio` subcommands: each loads its input, calls the API or an analysis, writes its
output folder whole (results.outdir) before printing, and returns its exit code (DATA.md)."""

from __future__ import annotations

import sys
from typing import Any

from . import printing
from .codes import EXIT_INFEASIBLE, EXIT_INPUT, EXIT_NO_SOLUTION, EXIT_OK

#: set by a multi-run command: its Ctrl-C must reach the worker pool's own handler (cli._on_sigint)
multi_run = False


def inputs(args) -> list[str]:
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
    from ..data.dataset import load

    ds = load(args.path)
    for attr in ("mip_gap", "threads"):
        if not hasattr(args, attr):
            setattr(args, attr, None)
    if not hasattr(args, "scenario"):
        args.scenario = None
    return ds, scenario(args, ds)


def scenario(args, ds):
    from ..data.dataset import resolve_scenario

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


def run(args) -> int:
    from ..data.dataset import load

    if args.report and args.out is None:
        print("portfolio run: --report needs --out DIR (the report is written there with the results)", file=sys.stderr)
        return EXIT_INPUT
    ds = load(args.path)
    sc = scenario(args, ds)
    if args.out is None:
        return _run_and_print(args, ds, sc, None)
    from ..results import outdir

    with outdir.claim(args.out, [*inputs(args), ds.source], args.force) as target:  # before the solve
        return _run_and_print(args, ds, sc, target)


def _run_and_print(args, ds, sc, target) -> int:
    from .. import api
    from ..solve import Status

    res = api.solve(ds, sc)
    if target is not None and res.status != Status.NO_SOLUTION:
        extra = None
        if args.report:
            from ..report.html import report_files

            extra = report_files(res, args.lang)
        res.write(target, extra=extra)  # before printing: a closed pipe must not cost the results
    if args.quiet:
        print(f"{res.status} objective={res.objective} attainment_index={res.attainment_index} gap={res.mip_gap}")
    else:
        printing.print_summary(res, ds)
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


def report(args) -> int:
    from pathlib import Path

    from ..report.html import read_extras, run_names, write_report
    from ..results import Result

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


def validate(args) -> int:
    from ..data.dataset import load, resolve_scenario
    from ..data.instance import build_instance

    ds = load(args.path)
    build_instance(ds, resolve_scenario(ds, None))  # scenario keys checked against the data
    print(f"ok: {ds!r}")
    return EXIT_OK


def import_list(args) -> int:
    """`portfolio import LIST (--into DATASET | --out NEW)`: the list's projects, written whole or not at all."""
    from .. import api

    res = api.import_list(
        args.list, into=args.into, out=args.out, sheet=args.sheet, mapping=args.mapping, force=args.force
    )
    printing.print_import(res, args.into or args.out)
    return EXIT_OK


# -- the multi-run commands -----------------------------------------------------------------
def analysis(name: str):
    """The command for one analysis: its --out claimed before any solve, then the work."""
    work = {"compare": _compare, "frontier": _frontier, "tradeoffs": _tradeoffs, "explain": _explain}
    work["robustness"] = _robustness
    work["alternatives"] = _alternatives

    def run(args) -> int:
        from ..results import outdir

        global multi_run
        multi_run = True
        if getattr(args, "executor", None) == "dask" and not args.scheduler:
            raise SystemExit("portfolio: --executor dask needs --scheduler ADDRESS")
        if args.out is None:
            return work[name](args)
        with outdir.claim(args.out, inputs(args), args.force) as target:  # before any solve
            args.out = target
            return work[name](args)

    return run


def _runs(args) -> dict[str, Any]:
    """The options every multi-run analysis takes, with the console's progress bar."""
    from ..api import ConsoleProgress

    return dict(
        executor=args.executor, scheduler=args.scheduler, workers=args.workers, progress=ConsoleProgress(args.progress)
    )


def _write(out, files: dict[str, Any]) -> None:
    from ..results import write_folder

    write_folder(out, files)


def _compare(args) -> int:
    from ..analysis.compare import compare

    table = compare(args.scenarios, time_limit=args.time_limit, **_runs(args))
    changes = table.attrs["changes"]
    if args.out:  # before printing: a closed pipe must not cost the results
        _write(args.out, {"comparison.csv": table, "changes.csv": changes})
    printing.print_table(table)
    if len(table) > 1:
        print(f"\n{len(changes)} project changes against '{table['scenario'].iloc[0]}'")
    if args.out:
        print(f"written to {args.out}")
    return EXIT_OK


def _frontier(args) -> int:
    from ..analysis.frontier import frontier
    from ..report.sweeps import close, plot_frontier

    ds, sc = load_for_multi(args)
    table = frontier(ds, args.resource, args.scales, scope=args.scope, scenario=sc, **_runs(args))
    if args.out:
        ax = plot_frontier(table)
        _write(args.out, {"frontier.csv": table, "frontier.png": ax.figure})
        close(ax.figure)
    print(table.drop(columns="gap").to_string(index=False, float_format=lambda v: f"{v:,.4f}"))
    if args.out:
        print(f"written to {args.out}")
    return EXIT_OK


def _tradeoffs(args) -> int:
    from ..analysis.tradeoffs import tradeoffs

    ds, sc = load_for_multi(args)
    tables = tradeoffs(ds, sc, args.points, **_runs(args))
    meta = tables["balance"].attrs
    files: dict[str, Any] = {f"{k}.csv": v for k, v in tables.items() if k != "pareto"}
    files["tradeoffs.csv"] = tables["pareto"]
    if args.out:  # before printing: a closed pipe must not cost the results
        from ..report.sweeps import close, plot_pareto

        if not tables["pareto"].empty:
            files["tradeoffs.png"] = plot_pareto(tables)
        _write(args.out, files)
        if "tradeoffs.png" in files:
            close(files["tradeoffs.png"])
    printing.print_tradeoffs(tables, meta)
    if args.out:
        print(f"\nwritten to {args.out}: {' '.join(files)}")
    if meta["base_status"] in ("optimal", "feasible"):
        return EXIT_OK
    why = meta["base_message"] or "no portfolio satisfies every limit and rule together"
    print(
        f"no base portfolio ({meta['base_status']}): {why}; the price of balance shows which rule to drop",
        file=sys.stderr,
    )
    return EXIT_NO_SOLUTION if meta["base_status"] == "no_solution" else EXIT_INFEASIBLE


def _explain(args) -> int:
    from ..analysis.explain import BaseInfeasible, explain
    from ..report.explanations import report_text, summary_text, with_sentences
    from ..solve import Status

    ds, sc = load_for_multi(args)
    try:
        table = with_sentences(explain(ds, args.ids or None, scenario=sc, **_runs(args)), args.lang)
    except BaseInfeasible as exc:
        print(f"nothing to explain: {exc}", file=sys.stderr)
        return EXIT_NO_SOLUTION if exc.result.status == Status.NO_SOLUTION else EXIT_INFEASIBLE
    if args.out:
        _write(args.out, {"explanations.csv": table, "explanations.txt": report_text(table)})
    print("\n\n".join(table["sentence"]) if args.ids else summary_text(table))
    if args.out:
        print(f"written to {args.out}")
    return EXIT_OK


def _robustness(args) -> int:
    from ..analysis.robustness import robustness
    from ..report.sweeps import close, plot_robustness

    ds, sc = load_for_multi(args)
    table = robustness(ds, args.samples, scenario=sc, weights_from=args.weights_from, **_runs(args))
    if args.out:
        ax = plot_robustness(table, lang=getattr(args, "lang", "zh"))
        csv = table.drop(columns=["name", "city"]).merge(table[["id", "name", "city"]], on="id")
        _write(args.out, {"robustness.csv": csv, "robustness.png": ax.figure})
        close(ax.figure)
    counts = table["class"].value_counts()
    print(
        f"{table.attrs['feasible']} of {table.attrs['samples']} runs feasible; core {counts.get('core', 0)}, "
        f"borderline {counts.get('borderline', 0)}, exterior {counts.get('exterior', 0)}"
    )
    border = table[table["class"] == "borderline"].sort_values("core_index", ascending=False)
    if len(border):
        print("borderline projects:")
        print(border[["id", "name", "city", "core_index"]].to_string(index=False, float_format=lambda v: f"{v:.2f}"))
    if args.out:
        print(f"written to {args.out}")
    return EXIT_OK


def serve(args) -> int:
    """`portfolio serve`: the web workbench until Ctrl-C (optimizer.server)."""
    import signal
    import socket

    from ..server import missing_extra
    from ..server import serve as run_server

    why = missing_extra()
    if why:
        print(f"portfolio serve: {why}", file=sys.stderr)
        return EXIT_INPUT
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # a clear word before the dataset loads
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            print(f"portfolio serve: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return EXIT_INPUT
    # the server's own handler stops it gracefully and raises the signal again once it has stopped
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run_server(
            args.path, scenario=args.scenario, host=args.host, port=args.port, lang=args.lang,
            token=args.token, time_limit=args.time_limit, say=lambda s: print(s, flush=True),
        )  # fmt: skip
    except KeyboardInterrupt:
        pass
    print("workbench stopped", flush=True)
    return EXIT_OK


def _alternatives(args) -> int:
    from ..analysis.alternatives import NoBase, alternatives
    from ..api import ConsoleProgress
    from ..report.sweeps import close, plot_alternatives
    from ..solve import Status

    ds, sc = load_for_multi(args)
    bar = ConsoleProgress(args.progress)
    try:
        tables = alternatives(ds, sc, args.within, args.count, progress=bar)
    except NoBase as exc:
        print(f"no alternatives: {exc}", file=sys.stderr)
        return EXIT_NO_SOLUTION if exc.result.status == Status.NO_SOLUTION else EXIT_INFEASIBLE
    finally:
        bar.close()
    summary = tables["summary"]
    if args.out:
        fig = plot_alternatives(tables, lang=args.lang)
        files = {f"{k}.csv": tables[k] for k in ("alternatives", "settled")}
        files["alternatives_summary.csv"] = summary
        files["alternatives.png"] = fig
        _write(args.out, files)
        close(fig)
    print(
        summary[["alternative", "objective", "attainment_index", "differs_from_best", "total_cost"]].to_string(
            index=False
        )
    )
    counts = tables["settled"]["class"].value_counts()
    print(
        f"\n{len(summary)} portfolios within {100 * args.within:g}% of the best; of {len(tables['settled'])} candidates "
        f"{counts.get('always', 0)} always chosen, {counts.get('never', 0)} never, {counts.get('open', 0)} open"
    )
    if summary.attrs.get("stopped"):
        print(f"stopped early: {summary.attrs['stopped']}")
    if args.out:
        print(f"written to {args.out}")
    return EXIT_OK
