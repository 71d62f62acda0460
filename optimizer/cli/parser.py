"""The `portfolio` command's arguments: every subcommand and option of DATA.md, and nothing else."""

from __future__ import annotations

import argparse


def parser() -> argparse.ArgumentParser:
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
    force(run)
    val = sub.add_parser("validate", help="check a dataset or scenario without solving")
    val.add_argument("path")

    rep = sub.add_parser("report", help="report.html and results.xlsx of a run folder written by 'run --out'")
    rep.add_argument("run_dir", metavar="RUN_DIR", help="folder written by 'portfolio run --out'")
    rep.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the report (default zh)")
    rep.add_argument("--compare", nargs="+", metavar="OTHER_RUN", help="other run folders to compare with this one")
    rep.add_argument("--out", help="folder for report.html and results.xlsx, or a .html file (default: RUN_DIR)")
    force(rep)

    cmp_ = sub.add_parser("compare", help="run several scenarios and compare them city by city")
    cmp_.add_argument("scenarios", nargs="+", help="scenario .yaml files (the first is the reference)")
    multi(cmp_, path=False)

    fr = sub.add_parser("frontier", help="score and attainment against the level of one resource")
    fr.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    fr.add_argument(
        "--resource",
        required=True,
        help="budget, land, energy, a resource the dataset adds, or a funding source (special_bond, 专项债 ...)",
    )
    fr.add_argument("--scope", help="scale only the limit rows of this scope (ALL or a city); default: every row")
    fr.add_argument("--scales", default="0.5:1.5:0.1", help="start:stop:step (inclusive), or a comma list")
    multi(fr)

    tr = sub.add_parser(
        "tradeoffs", help="what each city gets, the price of balance rules, marginal values, Pareto fronts"
    )
    tr.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    tr.add_argument("--points", type=int, default=6, help="points per city on the Pareto front")
    multi(tr)

    ex = sub.add_parser("explain", help="why each project is in or out, in plain sentences")
    ex.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    ex.add_argument("ids", nargs="*", help="project ids (default: every project)")
    ex.add_argument("--lang", choices=("zh", "en"), default="zh")
    multi(ex)

    rb = sub.add_parser("robustness", help="which choices hold up under cost overruns and delays (or other weights)")
    rb.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    rb.add_argument("--samples", type=int, default=50, help="sampled futures (default 50)")
    rb.add_argument(
        "--weights-from", help="CSV of weight vectors (vector, indicator, scope, weight) instead of sampling"
    )
    rb.add_argument("--lang", choices=("zh", "en"), default="zh")
    multi(rb)

    al = sub.add_parser("alternatives", help="near-optimal portfolios that differ most, and which projects are settled")
    al.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    al.add_argument("--scenario", help="scenario .yaml to apply to a dataset given as PATH")
    al.add_argument("--within", type=float, default=0.01, help="score at least (1 - WITHIN) x the best (default 0.01)")
    al.add_argument("--count", type=int, default=5, help="alternatives after the optimum (default 5)")
    al.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the figure (default zh)")
    al.add_argument("--time-limit", type=float, help="seconds per solve (overrides the scenario)")
    al.add_argument("--out", help="output folder (written whole or not at all)")
    force(al)
    al.add_argument(
        "--progress", dest="progress", action="store_true", default=None, help="always draw the progress bar"
    )
    al.add_argument("--no-progress", dest="progress", action="store_false", help="never draw the progress bar")

    im = sub.add_parser(
        "import",
        help="a commission's project list (.xlsx or .csv, Chinese headers) into a dataset's projects table",
        description="Read a planner's project list (title rows, merged headers, subtotals and notes are fine) into "
        "projects.csv (+ project_cities.csv, funding.csv), with import_report.txt listing every assumption. "
        "docs/import.md lists the headers, units and status words it knows.",
    )
    im.add_argument("list", metavar="LIST", help=".xlsx workbook or .csv export (UTF-8 or GBK) of the project list")
    im.add_argument("--sheet", help="the sheet to read (default: the first with a header of known columns)")
    im.add_argument(
        "--mapping", metavar="MAP.yaml", help="columns, units, places, status words, plan year (docs/import.md)"
    )
    where = im.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--into",
        metavar="DATASET_DIR",
        help="replace projects.csv of this dataset (checked whole before anything is written)",
    )
    where.add_argument(
        "--out", metavar="NEW_DIR", help="start a new dataset folder (header-only templates for the other tables)"
    )
    im.add_argument(
        "--force",
        action="store_true",
        help="write --out into a folder holding other files (they are kept, never deleted)",
    )

    sv = sub.add_parser("serve", help="the workbench in a browser: move a budget, see the portfolio answer")
    sv.add_argument("path", help="dataset folder, .xlsx workbook, or scenario .yaml")
    sv.add_argument("--scenario", help="scenario .yaml to apply to a dataset given as PATH")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    sv.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the page (default zh)")
    sv.add_argument(
        "--token", help="token every request must carry (default: $PORTFOLIO_TOKEN; required off 127.0.0.1)"
    )
    sv.add_argument(
        "--time-limit", type=float, default=10.0, help="seconds per answer at most (default 10; the page shows the gap)"
    )
    return ap


def multi(p: argparse.ArgumentParser, path: bool = True) -> None:
    """Options shared by every multi-run command."""
    p.add_argument("--out", help="output folder (written whole or not at all)")
    force(p)
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


def force(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--force",
        action="store_true",
        help="write into an --out folder that holds files this tool did not write (they are kept, never deleted)",
    )
