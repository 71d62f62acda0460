"""What goes into an output file, and reading this tool's CSV files back.

CSV text that could run as a spreadsheet formula is escaped (data.schema.csv_safe_text:
OWASP's advice on CSV injection) and unescaped again on reading; JSON keeps Chinese as
text; figures are saved by their file suffix. results/outdir.py decides where files go.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

from ..data.schema import csv_unescape, escape_frame  # the loader strips the same escape


def csv_bytes(df) -> bytes:
    """A DataFrame as UTF-8 CSV, every text cell escaped (numbers stay numbers)."""
    buf = io.StringIO()
    escape_frame(df).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def read_csv(path: str | os.PathLike):
    """A CSV file this tool wrote, as a DataFrame with the escaping undone."""
    import pandas as pd

    df = pd.read_csv(path, encoding="utf-8")
    df.columns = [csv_unescape(c) for c in df.columns]
    for col in df.columns:
        if pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].map(csv_unescape)
    return df


def render(name: str, value: Any) -> bytes:
    """The bytes of one output file: DataFrame (CSV), Figure (by suffix), dict/list (JSON), text, bytes."""
    if isinstance(value, bytes):
        return value
    if hasattr(value, "to_csv") and hasattr(value, "columns"):
        return csv_bytes(value)
    if hasattr(value, "savefig"):
        buf = io.BytesIO()
        value.savefig(buf, format=Path(name).suffix.lstrip(".") or "png", dpi=120, bbox_inches="tight")
        return buf.getvalue()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2, default=_json).encode("utf-8")
    return str(value).encode("utf-8")


def _json(v: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if not np.isfinite(v) else float(v)
    if v is pd.NA:
        return None
    return str(v)
