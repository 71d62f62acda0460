"""Writing what `portfolio import` made: a new dataset folder (--out) or tables of an existing one (--into).

Both are whole or nothing, like every folder this tool writes (outdir.py, whose lock,
interrupt guard and temporary folders are used here):

- `write_new` (--out): a new or empty folder, or one holding an earlier import, recognised by
  the marker file `MARKER` that lists each file written with its checksum; a file changed
  since (a template the planner filled in) or any other file makes the folder foreign, and
  foreign is an InputError unless ``force``. The folder is written beside its place and swapped
  in with renames; forced into a foreign folder, the files are added one by one and nothing
  else is touched. Never the folder holding the list or the mapping file it reads, nor the
  working folder.
- `write_into` (--into): the dataset's files are copied into a staging folder, the new tables
  written there, the whole staged dataset checked by ``validate``; only then is each new file
  put in place with an atomic rename. A failed check leaves the folder byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError, Problem, shorten
from .outdir import TOOL, _inside, _uninterrupted, describe, locked, put_files, real_path, swap_folder, written

MARKER = ".portfolio-import.json"


def _problem(option: str, shown: str, message: str) -> InputError:
    return InputError([Problem(f"{option} {shorten(shown, 200)}", None, None, message)])


def _sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def read_marker(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and data.get("tool") == TOOL and isinstance(data.get("files"), dict)
    return data if ok else None


def foreign(folder: Path) -> list[str]:
    """What in `folder` an earlier import did not write, or changed since it wrote it."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    marker = read_marker(folder)
    ours = marker["files"] if marker else {}
    out = []
    for n in names:
        if n == MARKER and marker:
            continue
        try:
            same = n in ours and _sha((folder / n).read_bytes()) == ours[n]
        except OSError:
            same = False
        if not same:
            out.append(n)
    return out


def check_new(out: str | os.PathLike, reads: Iterable[str | os.PathLike] = (), force: bool = False) -> Path:
    """The real path of an --out folder for a new dataset, after the rules of the module docstring."""
    shown = str(out)
    if not shown.strip():
        raise _problem("--out", shown, "--out is empty: name a folder for the new dataset")
    target = real_path(out, shown)
    if os.path.lexists(target) and not target.is_dir():
        raise _problem("--out", shown, "this is a file; --out must name a folder for the new dataset")
    cwd = Path(os.path.realpath(os.getcwd()))
    if _inside(cwd, target):
        raise _problem("--out", shown, "this is the folder you are working in (or holds it); name a new folder")
    for r in reads:
        src = real_path(r)
        if _inside(src, target):
            raise _problem("--out", shown, f"this folder holds {src}, which the import reads; choose another folder")
    if target.is_dir():
        found = foreign(target)
        if found and not force:
            marked = read_marker(target) is not None
            what = (
                "changed or added since the earlier import it holds" if marked else "and no earlier import of this tool"
            )
            raise _problem(
                "--out",
                shown,
                f"the folder holds {describe(found)} {what}; a new dataset goes only into a new or empty folder or "
                "one holding an earlier import (use --into to replace the projects of a dataset you are filling in, "
                "or --force to write beside these files: nothing else is deleted)",
            )
    return target


def _marker(sums: dict[str, str], kind: str = "new") -> bytes:
    from ..version import __version__

    data = {
        "tool": TOOL,
        "kind": kind,
        "version": __version__,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": dict(sorted(sums.items())),
        "note": "written by 'portfolio import'; a later import with the same --out may replace these files "
        "while they are unchanged",
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def write_new(out, files: dict[str, bytes], reads: Iterable = (), force: bool = False) -> Path:
    """A new dataset folder holding exactly `files` (or, forced, `files` added beside what is there)."""
    shown = str(out)
    target = check_new(out, tuple(reads), force)
    with locked(target, shown), _uninterrupted():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            found = foreign(target) if target.is_dir() else []
            if found and not force:  # something arrived since the check
                raise _problem("--out", shown, f"the folder now holds {describe(found)}, which this tool did not write")
            if found:
                _add(target, files)
            else:
                _swap(target, files)
        except OSError as exc:
            raise _problem(
                "--out", shown, f"cannot write the dataset: {exc.strerror or exc} (nothing was changed)"
            ) from None
        written.append(target)
    return target


def _swap(target: Path, files: dict[str, bytes]) -> None:
    swap_folder(target, {**files, MARKER: _marker({n: _sha(b) for n, b in files.items()})})


def _add(target: Path, files: dict[str, bytes], marker: bool = True) -> None:
    """Each file replaced atomically in place, the marker (with every file's checksum) last."""
    last = None
    if marker:
        earlier = read_marker(target)
        last = (MARKER, _marker({**(earlier["files"] if earlier else {}), **{n: _sha(b) for n, b in files.items()}}))
    put_files(target, files, last)


def write_into(folder, files: dict[str, bytes], validate: Callable[[Path], None]) -> Path:
    """Replace `files` in the dataset folder, after `validate(staged_folder)` accepted the result.

    ``validate`` raises InputError (naming files of the staged folder) to refuse; the folder is
    then untouched."""
    shown = str(folder)
    target = real_path(folder, shown)
    if not target.is_dir():
        raise _problem("--into", shown, "not a folder: --into names an existing dataset folder")
    with locked(target, shown):
        stage = Path(tempfile.mkdtemp(prefix=".portfolio-import-stage-"))
        try:
            for item in sorted(target.iterdir()):
                if item.is_file() and not item.name.startswith("."):
                    shutil.copy2(item, stage / item.name)
            for name, blob in files.items():
                (stage / name).write_bytes(blob)
            validate(stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        with _uninterrupted():
            try:
                _add(target, files, marker=False)
            except OSError as exc:
                raise _problem("--into", shown, f"cannot write the tables: {exc.strerror or exc}") from None
            written.append(target)
    return target
