"""Write a dataset folder: ``dataset.yaml`` plus one UTF-8 CSV per table (DATA.md).

Only pandas, numpy, yaml and the row schema are imported here, so generators and benchmark
scripts can write datasets without building anything else of the package.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from .schema import escape_frame

# Tables DATA.md defines. A re-write removes a stale CSV of one of these names
# that the new call does not supply, so the folder loads as exactly what was
# written; any other file in the folder is left alone.
KNOWN_TABLES = (
    "projects",
    "project_cities",
    "cost_profiles",
    "funding",
    "contributions",
    "indicators",
    "limits",
    "dependencies",
)


def _plain(value: Any) -> Any:
    """Turn numpy/pandas scalars and containers into what yaml.safe_dump accepts."""
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [_plain(v) for v in list(value)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if math.isnan(f):
            return None
        return int(f) if f.is_integer() and abs(f) < 2**53 else f
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, Path):
        return str(value)
    return value


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Write integral float columns as integers (``2027``, not ``2027.0``); blanks stay blank."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_float_dtype(s):
            nonnull = s.dropna()
            if len(nonnull) and np.all(np.isfinite(nonnull)) and np.all(nonnull == np.round(nonnull)):
                if nonnull.abs().max() < 2**53:
                    out[col] = s.astype("Int64")
    return out


def _check_name(name: str) -> None:
    if not name or any(ch in name for ch in "/\\:") or name.startswith("."):
        raise ValueError(f"table name {name!r} cannot be a file name")


def table_text(df: pd.DataFrame) -> str:
    """A table as this module writes it: UTF-8 CSV text, whole numbers without '.0', formulas escaped."""
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    return escape_frame(_tidy(df)).to_csv(index=False, lineterminator="\n")


def meta_text(meta: dict) -> str:
    """dataset.yaml as this module writes it."""
    return yaml.safe_dump(_plain(dict(meta)), allow_unicode=True, sort_keys=False)


def _write_files(meta: dict, tables: dict[str, pd.DataFrame], folder: Path) -> None:
    with open(folder / "dataset.yaml", "w", encoding="utf-8", newline="\n") as fh:
        yaml.safe_dump(_plain(dict(meta)), fh, allow_unicode=True, sort_keys=False)
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            df = pd.DataFrame(df)
        # text such as "=HYPERLINK(...)" is escaped for spreadsheets; the loader strips the escape
        escape_frame(_tidy(df)).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")


def write_dataset(meta: dict, tables: dict[str, pd.DataFrame], folder: str | os.PathLike) -> Path:
    """Write ``meta`` to ``folder/dataset.yaml`` and each table to ``folder/<name>.csv``.

    ``meta`` holds the keys of ``dataset.yaml`` (name, cities, tasks, horizon,
    target_year, units); ``tables`` maps a table name to its DataFrame with
    DATA.md's columns (NaN/None become blank cells). Float columns whose values
    are all whole numbers are written as integers.

    The files are first written to a temporary folder beside ``folder``. A new
    folder is then renamed into place in one step; into an existing folder each
    file is moved with ``os.replace`` (atomic per file), and CSVs of DATA.md's
    table names not given in ``tables`` are removed. Returns the folder path.
    """
    folder = Path(folder)
    for name in tables:
        _check_name(name)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        # mkdtemp makes the folder private (0700); give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        _write_files(meta, tables, tmp)
        if not folder.exists():
            try:
                os.rename(tmp, folder)
                return folder
            except OSError:
                # Someone created it meanwhile: fall through to the per-file move.
                pass
        folder.mkdir(parents=True, exist_ok=True)
        for name in KNOWN_TABLES:
            stale = folder / f"{name}.csv"
            if name not in tables and stale.exists():
                stale.unlink()
        for item in tmp.iterdir():
            os.replace(item, folder / item.name)
        return folder
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
