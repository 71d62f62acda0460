"""Output folders: where results may be written, and writing them whole (the one atomic writer).

Every face (the command line, the Python API, the reports) writes through here, so the
rules hold everywhere (docs/data.md, "Where results go"):

- a folder is written only if it is new, empty, or holds an earlier result of this tool,
  recognised by the marker file `MARKER` that every write leaves in it (never by guessing
  from file names), and only if it holds nothing the marker does not list. Anything else is
  an InputError unless ``force``; forced, the tool's files go beside the others, nothing
  else is touched or deleted;
- never the dataset or scenario being read, a folder holding them, a folder inside a
  dataset folder, or the working folder (or one holding it);
- a result replaces the earlier one whole (written beside it, then swapped in with
  renames), so a failure or Ctrl-C leaves the earlier one as it was;
- one writer per folder at a time (an advisory lock, released by the OS if a process dies);
- path problems are found by `claim` before any solve starts (results/outfiles.py: contents).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, shorten
from .outfiles import render

MARKER = ".portfolio-result.json"
TOOL = "portfolio-optimizer"
#: the longest file name most file systems take
NAME_BYTES = 255


# ---------------------------------------------------------------- checking a destination


def _problem(shown: str, message: str) -> InputError:
    return InputError([Problem(f"--out {shorten(shown, 200)}", None, None, message)])


def real_path(path: str | os.PathLike, shown: str | None = None) -> Path:
    """The absolute path with symbolic links followed; a loop is an input error."""
    shown = shown or str(path)
    try:
        # realpath, not abspath first: "link/.." is the folder above the link's target
        resolved = Path(os.path.realpath(path, strict=False))
        # realpath does not fail on a loop in every Python version: ask the OS
        os.stat(resolved) if os.path.lexists(resolved) else None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _problem(shown, "the path is a symbolic link that loops back on itself") from None
        if exc.errno != errno.ENOENT:
            raise _problem(shown, f"cannot use the path: {exc.strerror or exc}") from None
    except RuntimeError:  # Python's own loop detection
        raise _problem(shown, "the path is a symbolic link that loops back on itself") from None
    return resolved  # a dangling link resolves to its target: the results go where it points


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def read_marker(folder: Path) -> dict | None:
    """The marker of an earlier result in `folder`, or None."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("tool") == TOOL else None


def _blocking(folder: Path, adding: Iterable[str] | None) -> list[str]:
    """What in `folder` stops a write without --force: what the tool did not write there; when
    files are only added to an earlier result (``adding``), just those of theirs it would replace."""
    foreign = _foreign(folder) if folder.is_dir() else []
    if adding is not None and read_marker(folder) is not None:
        foreign = [n for n in foreign if n in set(adding)]
    return foreign


def _foreign(folder: Path) -> list[str]:
    """What in `folder` this tool did not write (by its marker; everything when there is none)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    marker = read_marker(folder)
    ours = set(marker.get("files", [])) | {MARKER} if marker else set()
    return [n for n in names if n not in ours and not n.startswith(f".{MARKER}.")]


def _probe(folder: Path, shown: str) -> None:
    """Make and remove a temporary folder in `folder`: permission and read-only disks show now."""
    try:
        tmp = tempfile.mkdtemp(prefix=".portfolio-probe-", dir=folder)
        os.rmdir(tmp)
    except OSError as exc:
        why = {errno.EROFS: "the disk is read-only", errno.EACCES: "no permission to write there"}
        raise _problem(shown, f"cannot write in {folder}: {why.get(exc.errno, exc.strerror or exc)}") from None


def describe(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def check_folder(
    out: str | os.PathLike,
    reads: Iterable[str | os.PathLike] = (),
    force: bool = False,
    shown: str | None = None,
    adding: tuple[str, ...] | None = None,
) -> Path:
    """The real path of a result folder `out`, after every rule of the module docstring.

    ``adding``: the files are to be added to an earlier result (a report of it), not replace
    it; then the folder may hold other files, but those named must be absent or its own.
    """
    shown = shown or str(out)
    if not str(out).strip():
        raise _problem(shown, "--out is empty: name a folder for the results")
    target = real_path(out, shown)
    if len(target.name.encode("utf-8", "surrogateescape")) > NAME_BYTES:
        raise _problem(shown, f"the folder name is longer than {NAME_BYTES} bytes, more than a disk allows")
    if os.path.lexists(target) and not target.is_dir():
        kind = "a file" if target.is_file() else "not a folder (a device or other special file)"
        raise _problem(shown, f"this is {kind}; --out must name a folder for the results")
    cwd = Path(os.path.realpath(os.getcwd()))
    if _inside(cwd, target):
        what = "the folder you are working in" if target == cwd else f"a folder that holds the one you are in ({cwd})"
        raise _problem(shown, f"this is {what}; name a new folder for the results, e.g. --out results")
    for r in reads:
        try:
            src = real_path(r)
        except InputError:
            continue  # the loader reports a broken input path itself
        if _inside(src, target):
            what = "the input" if src == target else f"a folder that holds the input {src}"
            raise _problem(shown, f"this is {what}; results never go there (choose another folder)")
        if src.is_dir() and _inside(target, src):
            raise _problem(shown, f"this is inside the dataset folder {src}; results never go there")
    # the nearest folder that exists must be a folder we can write in
    existing = target
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        raise _problem(shown, f"{existing} is a file, so no folder can be made under it")
    if existing == target:
        foreign = _blocking(target, adding)
        marked = read_marker(target) is not None
        if foreign and not force and adding is not None and marked:
            raise _problem(
                shown,
                f"the folder holds {describe(foreign)}, which this tool did not write (use --force to replace it)",
            )
        if foreign and not force:
            what = "besides an earlier result it holds" if marked else "and no earlier result of this tool"
            raise _problem(
                shown,
                f"the folder holds {describe(foreign)} {what}; results go only into a new or empty folder "
                "or one written by this tool (use --force to write beside them: nothing is deleted)",
            )
        _probe(target, shown)
        _probe(target.parent, shown)
    else:
        _probe(existing, shown)
    return target


# ---------------------------------------------------------------- one writer per folder


# A swap of folders is two renames: Ctrl-C between them would leave no result at all. The
# command line's SIGINT handler asks `defer_interrupt` first, and inside `_uninterrupted` the
# interrupt waits until the files are in place.
_critical = 0
_pending = False


def defer_interrupt() -> bool:
    """True (and the interrupt noted) while results are being put in place."""
    global _pending
    if _critical:
        _pending = True
        return True
    return False


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    global _critical, _pending
    _critical += 1
    try:
        yield
    finally:
        _critical -= 1
        if not _critical and _pending:
            _pending = False
            raise KeyboardInterrupt


_held: dict[Path, int] = {}
#: folders written by this process, for the command line's last word after Ctrl-C
written: list[Path] = []
_held_lock = threading.Lock()


def _lock_file(target: Path) -> Path:
    folder = Path(tempfile.gettempdir()) / f"portfolio-locks-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / (hashlib.sha1(str(target).encode("utf-8")).hexdigest() + ".lock")


@contextlib.contextmanager
def locked(target: Path, shown: str) -> Iterator[None]:
    """Hold the write lock of `target` (re-entrant in one thread of this process)."""
    me = threading.get_ident()
    with _held_lock:
        owner = _held.get(target)
        if owner is not None and owner != me:
            raise _problem(shown, "another run in this process is writing this folder; wait for it to finish")
        nested = owner == me
        if not nested:
            _held[target] = me
    if nested:
        yield
        return
    fh = None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; the rest of the rules still hold
            fcntl = None
        if fcntl is not None:
            fh = open(_lock_file(target), "a+", encoding="utf-8")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.seek(0)
                who = fh.read().strip() or "another process"
                raise _problem(
                    shown,
                    f"another portfolio run ({who}) is writing this folder now; wait for it to finish "
                    "or choose another --out",
                ) from None
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}, since {time.strftime('%H:%M:%S')}")
            fh.flush()
        yield
    finally:
        if fh is not None:
            fh.close()  # closing releases the lock
        with _held_lock:
            _held.pop(target, None)


class Target(os.PathLike):
    """A result folder checked by `claim` and locked for this run; pass it wherever a path goes."""

    def __init__(self, path: Path, shown: str, force: bool, reads: tuple[str, ...]):
        self.path, self.shown, self.force, self.reads = path, shown, force, reads

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"Target({self.shown!r})"


@contextlib.contextmanager
def claim(out: str | os.PathLike, reads: Iterable[str | os.PathLike] = (), force: bool = False) -> Iterator[Target]:
    """Check `out` and hold its lock for a whole run: `with claim(args.out, [data]) as t: ... write(t, files)`."""
    reads = tuple(str(r) for r in reads)
    shown = str(out)
    target = check_folder(out, reads, force, shown)
    with locked(target, shown):
        yield Target(target, shown, force, reads)


# ---------------------------------------------------------------- writing


def _fresh_dir(parent: Path, prefix: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; results are ordinary folders
    return tmp


def _marker_bytes(files: Iterable[str]) -> bytes:
    from ..version import __version__

    data = {
        "tool": TOOL,
        "version": __version__,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": sorted(set(files)),
        "note": "written by 'portfolio'; this folder may be replaced by a later run with the same --out",
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def write(
    out: str | os.PathLike,
    files: dict[str, Any],
    reads: Iterable[str | os.PathLike] = (),
    force: bool = False,
    replace: bool = True,
) -> Path:
    """Write `files` (name -> DataFrame, Figure, dict, text or bytes) into the folder `out`.

    ``replace``: the folder becomes exactly these files (the earlier result is swapped out
    whole); otherwise they are added to what the folder holds (reports of an earlier run).
    Files of a folder holding other things (allowed only with ``force``) are added file by
    file, and nothing else in it is touched. Returns the folder's real path.
    """
    if isinstance(out, Target):
        target, shown, force, reads = out.path, out.shown, out.force or force, out.reads + tuple(map(str, reads))
    else:
        shown = str(out)
        target = check_folder(out, tuple(map(str, reads)), force, shown, None if replace else tuple(files))
    for name in files:
        if not name or name != Path(name).name or name.startswith(".") or name == MARKER:
            raise ValueError(f"output file name {name!r} is not a plain file name")
    data = {name: render(name, value) for name, value in files.items()}  # before touching the disk
    with locked(target, shown), _uninterrupted():
        try:
            _write_locked(target, shown, data, files, force, replace)
        except OSError as exc:  # a full disk, a folder removed meanwhile: said, and nothing half-written
            raise _problem(
                shown, f"cannot write the results: {exc.strerror or exc} (an earlier result there is as it was)"
            ) from None
        written.append(target)
    return target


def _write_locked(target: Path, shown: str, data: dict, files: dict, force: bool, replace: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    earlier = read_marker(target) if target.is_dir() else None
    foreign = _blocking(target, None if replace else files)
    if foreign and not force:  # something arrived since the check
        raise _problem(shown, f"the folder now holds {describe(foreign)}, which this tool did not write")
    if replace and not foreign:
        swap_folder(target, {**data, MARKER: _marker_bytes(data)})
    else:
        kept = set(earlier.get("files", [])) if earlier else set()
        put_files(target, data, (MARKER, _marker_bytes(kept | set(data))))


def _stem(target: Path) -> str:
    """The folder's name, cut so that temporary names beside it stay within NAME_BYTES."""
    return target.name.encode("utf-8", "surrogateescape")[:150].decode("utf-8", "ignore")


def swap_folder(target: Path, files: dict[str, bytes]) -> None:
    """Make `target` a folder holding exactly `files`, in one rename: built beside it, then
    swapped in; an old folder of that name survives any failure (and is removed after)."""
    tmp = _fresh_dir(target.parent, f".{_stem(target)}.tmp-")
    old = None
    try:
        for name, blob in files.items():
            (tmp / name).write_bytes(blob)
        if os.path.lexists(target):
            old = target.with_name(f".{_stem(target)}.old-{os.getpid()}-{threading.get_ident()}")
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except BaseException:
                os.replace(old, target)
                raise
        else:
            os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def put_files(target: Path, data: dict[str, bytes], last: tuple[str, bytes] | None = None) -> None:
    """Each file replaced atomically in place (written inside the folder, then renamed), and
    `last` (a marker listing them) after all of them, so that it never names a missing file."""
    target.mkdir(exist_ok=True)
    tmp = _fresh_dir(target, f".{MARKER}.tmp-")
    try:
        for name, blob in {**data, **dict([last] if last else [])}.items():
            (tmp / name).write_bytes(blob)
        for name in [*data, *([last[0]] if last else [])]:
            os.replace(tmp / name, target / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_beside(paths: dict[str, Path], data: dict[str, bytes], force: bool = False, shown: str = "") -> list[Path]:
    """Write single files (a report named `--out my.html`): each replaced whole, and an existing
    file only if this tool wrote it (its generator tag) or with ``force``."""
    out = []
    for key, path in paths.items():
        path = real_path(path, shown or str(path))
        if os.path.lexists(path):
            if path.is_dir():
                raise _problem(shown or str(path), f"{path} is a folder")
            if not force and not _tagged(path):
                raise _problem(
                    shown or str(path),
                    f"{path.name} exists and was not written by this tool (use --force to replace it)",
                )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data[key])
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        out.append(path)
    return out


GENERATOR_TAG = b'name="generator" content="portfolio-optimizer'


def _tagged(path: Path) -> bool:
    """Whether a report file carries this tool's generator tag (HTML meta tag, workbook creator)."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            import zipfile

            with zipfile.ZipFile(path) as z:
                return f"<dc:creator>{TOOL}</dc:creator>".encode() in z.read("docProps/core.xml")
        with open(path, "rb") as fh:
            return GENERATOR_TAG in fh.read(4096)
    except (OSError, KeyError, ValueError):
        return False
