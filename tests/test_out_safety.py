"""--out never loses a user's files (issue 10): it writes only into a new or empty folder or an
earlier result of this tool (its marker), never into or above what it reads, one writer at a
time, path problems found before the solve; text in CSV files is escaped against formula
injection and read back as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import optimizer
from helpers import cli
from optimizer.cli import main
from optimizer.results import outdir

BASE = Path(__file__).resolve().parent / "good_inputs" / "00_base" / "data"


def tree(root: Path) -> dict[str, str]:
    """Every entry under `root` with a hash of its content (links by their target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha1(p.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working folder holding a dataset D, a scenario folder and a user's documents."""
    shutil.copytree(BASE, tmp_path / "D")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "s.yaml").write_text("name: s\ndata: ../D\n", encoding="utf-8")
    (tmp_path / "mydocs" / "sub").mkdir(parents=True)
    (tmp_path / "mydocs" / "thesis.docx").write_bytes(b"my thesis")
    (tmp_path / "mydocs" / "sub" / "notes.txt").write_text("notes", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args) -> tuple[int, str, str]:
    rc = main(["run", *map(str, args), "--quiet"])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


@pytest.mark.parametrize(
    ("data", "out", "said"),
    [
        ("D", "D", "this is the input"),
        ("D", "D/sub", "inside the dataset folder"),
        ("D", ".", "the folder you are working in"),
        ("models/s.yaml", "models", "a folder that holds the input"),
        ("models/s.yaml", "D", "this is the input"),
        ("D", "mydocs", "thesis.docx"),
        ("D", "D/projects.csv", "this is a file"),
        ("D", "mydocs/thesis.docx/x", "is a file, so no folder can be made under it"),
    ],
)
def test_refused_before_the_solve_and_nothing_changes(work, capsys, data, out, said):
    before = tree(work)
    rc, stdout, err = run(capsys, data, "--out", out)
    assert rc == 2, err
    assert said in err and f"--out {out}" in err, err
    assert stdout == "", "the solve must not start"  # --quiet prints the status line after a solve
    assert tree(work) == before


def test_a_folder_above_the_working_folder_or_the_dataset_is_refused_even_with_force(work, capsys, monkeypatch):
    monkeypatch.chdir(work / "mydocs")
    before = tree(work)
    for out in (str(work), str(work / "mydocs")):
        rc, _, err = run(capsys, work / "D", "--out", out, "--force")
        assert rc == 2 and "--out" in err, err
    assert tree(work) == before


def test_new_then_replaced_whole_with_a_marker(work, capsys):
    rc, _, err = run(capsys, "D", "--out", "res")
    assert rc == 0, err
    marker = json.loads((work / "res" / outdir.MARKER).read_text(encoding="utf-8"))
    assert marker["tool"] == outdir.TOOL and "summary.json" in marker["files"]
    assert set(marker["files"]) | {outdir.MARKER} == {p.name for p in (work / "res").iterdir()}
    # an earlier result is replaced, also when stale files of ours are gone from the new one
    (work / "res" / "spending.csv").unlink()
    rc, _, err = run(capsys, "D", "--out", "res")
    assert rc == 0, err
    assert (work / "res" / "spending.csv").is_file()
    # an empty folder is taken
    (work / "empty").mkdir()
    assert run(capsys, "D", "--out", "empty")[0] == 0


def test_a_users_file_in_a_result_folder_is_never_deleted(work, capsys):
    assert run(capsys, "D", "--out", "res")[0] == 0
    (work / "res" / "my notes.txt").write_text("mine", encoding="utf-8")
    rc, _, err = run(capsys, "D", "--out", "res")
    assert rc == 2 and "my notes.txt" in err and "--force" in err, err
    rc, _, err = run(capsys, "D", "--out", "res", "--force")
    assert rc == 0, err
    assert (work / "res" / "my notes.txt").read_text(encoding="utf-8") == "mine"
    assert (work / "res" / "summary.json").is_file()


def test_force_writes_beside_foreign_files_and_deletes_nothing(work, capsys):
    before = tree(work / "mydocs")
    rc, _, err = run(capsys, "D", "--out", "mydocs", "--force")
    assert rc == 0, err
    after = tree(work / "mydocs")
    assert {k: v for k, v in after.items() if k in before} == before
    assert "summary.json" in after and "portfolio.csv" in after


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_path_problems_are_input_errors(work, capsys):
    (work / "loop").symlink_to("loop")
    rc, _, err = run(capsys, "D", "--out", "loop")
    assert rc == 2 and "loops back on itself" in err, err
    # a place no one may write (root included): /proc takes no new folders
    if Path("/proc").is_dir():
        rc, _, err = run(capsys, "D", "--out", "/proc/portfolio-results")
        assert rc == 2 and "cannot write" in err, err


def test_a_read_only_folder_is_found_before_the_solve(work, capsys):
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders; /proc above stands for a place no one may write")
    (work / "ro").mkdir()
    os.chmod(work / "ro", 0o555)
    try:
        rc, out, err = run(capsys, "D", "--out", "ro/res")
        assert rc == 2 and "no permission" in err and out == "", err
    finally:
        os.chmod(work / "ro", 0o755)


def test_a_folder_being_written_by_another_run_is_refused(work, capsys):
    """The lock, held here as another process would hold it: the second run says so and writes nothing."""
    assert run(capsys, "D", "--out", "res")[0] == 0
    before = tree(work / "res")
    target = outdir.check_folder("res")
    with outdir.locked(target, "res"):
        r = cli("run", "D", "--out", "res", cwd=work)
    assert r.returncode == 2, r.stderr
    assert "another portfolio run" in r.stderr and "results written" not in r.stdout
    assert tree(work / "res") == before


def test_two_runs_at_once_never_both_claim_the_same_folder(work):
    """Started together: each either writes a complete result or says another run holds the folder."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "optimizer", "run", "D", "--out", "res"],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    for code, (out, err) in zip(codes, outs):
        assert code in (0, 2), err
        assert ("results written" in out) == (code == 0)
        if code == 2:
            assert "another portfolio run" in err, err
    assert 0 in codes
    summary = json.loads((work / "res" / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "optimal"
    marker = json.loads((work / "res" / outdir.MARKER).read_text(encoding="utf-8"))
    assert all((work / "res" / f).is_file() for f in marker["files"])
    assert not [p for p in work.iterdir() if p.name.startswith(".res.")], "temporary folders left behind"


def test_result_write_from_python_keeps_the_same_rules(work):
    res = optimizer.solve(optimizer.load("D"))
    with pytest.raises(optimizer.InputError, match="this is the input"):
        res.write("D")
    with pytest.raises(optimizer.InputError, match=r"thesis\.docx"):
        res.write("mydocs")
    assert res.write("fine").name == "fine"


def test_report_goes_only_where_it_may(work, capsys):
    assert run(capsys, "D", "--out", "res")[0] == 0
    (work / "res" / "explanations.csv").write_text("id\n", encoding="utf-8")  # copied in by the planner
    assert main(["report", "res"]) == 0, capsys.readouterr().err  # added beside, nothing replaced
    assert (work / "res" / "explanations.csv").read_text(encoding="utf-8") == "id\n"
    assert main(["report", "res", "--out", "mydocs"]) == 2
    assert "thesis.docx" in capsys.readouterr().err
    (work / "page.html").write_text("<p>my own page</p>", encoding="utf-8")
    assert main(["report", "res", "--out", "page.html"]) == 2
    assert "was not written by this tool" in capsys.readouterr().err
    assert (work / "page.html").read_text(encoding="utf-8") == "<p>my own page</p>"
    assert main(["report", "res", "--out", "mine.html"]) == 0
    assert main(["report", "res", "--out", "mine.html"]) == 0  # its own page is replaced


FORMULAS = ['=HYPERLINK("http://example.org","click")', "+1+2", "-3+4", "@SUM(A1)"]


def test_csv_text_is_escaped_against_formula_injection_and_read_back(work, capsys):
    projects = pd.read_csv(work / "D" / "projects.csv", dtype=str, keep_default_na=False)
    projects.loc[: len(FORMULAS) - 1, "name"] = FORMULAS
    projects.to_csv(work / "D" / "projects.csv", index=False)
    assert run(capsys, "D", "--out", "res")[0] == 0
    text = (work / "res" / "portfolio.csv").read_text(encoding="utf-8")
    rows = pd.read_csv(work / "res" / "portfolio.csv", dtype=str, keep_default_na=False)
    assert set(rows["name"][: len(FORMULAS)]) == {"'" + f for f in FORMULAS}, text
    assert not any(cell.startswith(("=", "+", "@")) for cell in rows.to_numpy().ravel() if cell), text
    back = optimizer.Result.read(work / "res")
    assert list(back.portfolio["name"][: len(FORMULAS)]) == FORMULAS
    # a dataset written by the tool reads back with the same names
    ds = optimizer.load("D")
    optimizer.write_dataset(ds.meta.model_dump(), {k: v.drop(columns="row_") for k, v in ds.tables.items()}, "D2")
    assert (work / "D2" / "projects.csv").read_text(encoding="utf-8").count("'=HYPERLINK") == 1
    assert list(optimizer.load("D2").projects["name"][: len(FORMULAS)]) == FORMULAS


def test_an_interrupted_write_leaves_the_earlier_result(work, capsys, monkeypatch):
    assert run(capsys, "D", "--out", "res")[0] == 0
    before = tree(work / "res")

    def boom(*a, **k):
        raise KeyboardInterrupt

    original = outdir._marker_bytes
    monkeypatch.setattr(outdir, "_marker_bytes", boom)  # after the files, before the swap
    rc, _, err = run(capsys, "D", "--out", "res")
    assert rc == 130 and "nothing was written" in err, err
    assert tree(work / "res") == before
    assert not [p for p in work.iterdir() if p.name.startswith(".res.")]
    monkeypatch.setattr(outdir, "_marker_bytes", original)
    rc, _, err = run(capsys, "D", "--out", "res")  # the lock went with the failed run
    assert rc == 0, err
