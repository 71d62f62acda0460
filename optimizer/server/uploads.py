"""Opening an uploaded dataset: a workbook (.xlsx) or a zipped CSV folder, read in a temporary folder.

The upload is size-limited, written under a fixed name in a fresh temporary folder (nothing
from the request names a path), a zip is unpacked only if every member stays inside that
folder and the whole stays small, and problems name the uploaded file, not the temporary one.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from ..data.dataset import Dataset, load
from ..errors import InputError, Problem

MAX_UPLOAD = 20 * 1024 * 1024  # bytes of the upload itself
MAX_UNPACKED = 200 * 1024 * 1024  # bytes of a zip's members together
MAX_MEMBERS = 500
CHUNK = 1 << 20


class UploadRejected(ValueError):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def open_upload(file, root: Path | None = None) -> tuple[Dataset, str]:
    """(the dataset, the folder or workbook it was read from); InputError for invalid data."""
    shown = PurePosixPath(str(file.filename or "upload").replace("\\", "/")).name[:120] or "upload"
    suffix = Path(shown).suffix.lower()
    if suffix not in (".xlsx", ".zip"):
        raise UploadRejected(f"{shown}: expected a workbook (.xlsx) or a zipped CSV folder (.zip)", 415)
    data = _read_limited(file)
    folder = Path(tempfile.mkdtemp(prefix="portfolio-upload-", dir=root))
    try:
        if suffix == ".xlsx":
            target = folder / "dataset.xlsx"
            target.write_bytes(data)
        else:
            target = _unzip(data, folder / "data", shown)
        try:
            return load(target), str(target)
        except InputError as exc:
            raise InputError([_renamed(p, str(target), shown) for p in exc.problems]) from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _read_limited(file) -> bytes:
    parts, size = [], 0
    while chunk := file.file.read(CHUNK):
        size += len(chunk)
        if size > MAX_UPLOAD:
            raise UploadRejected(f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB", 413)
        parts.append(chunk)
    if not size:
        raise UploadRejected("the upload is empty")
    return b"".join(parts)


def _unzip(data: bytes, into: Path, shown: str) -> Path:
    import io

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRejected(f"{shown}: not a zip archive") from None
    members = [m for m in zf.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise UploadRejected(f"{shown}: too many or too large files once unpacked", 413)
    into.mkdir(parents=True)
    for m in members:
        name = PurePosixPath(m.filename.replace("\\", "/"))
        if name.is_absolute() or ".." in name.parts or (m.external_attr >> 16) & 0o170000 == 0o120000:
            raise UploadRejected(f"{shown}: member {m.filename!r} would land outside the dataset folder")
        if name.parts and name.parts[0] == "__MACOSX":
            continue
        target = into.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(m) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    # the dataset is the unpacked folder, or the one folder in it (a zipped folder)
    entries = [e for e in into.iterdir() if e.name != "__MACOSX"]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return into


def _renamed(p: Problem, temp: str, shown: str) -> Problem:
    """The problem with the temporary folder's path replaced by the uploaded file's name."""
    base = Path(temp)
    file = p.file
    for prefix in (str(base), str(base.parent)):
        if file.startswith(prefix):
            rest = file[len(prefix) :].lstrip("/\\")
            file = (
                f"{shown}/{rest}"
                if rest and not shown.endswith(".xlsx")
                else (f"{shown} {rest}".strip() if rest else shown)
            )
            break
    return Problem(file, p.row, p.column, p.message.replace(str(base), shown))
