"""Single random mutations of a dataset folder, for tests/test_fuzz.py.

Each mutation takes ``(rng, folder)``, changes the copy in ``folder`` in one way and returns a
``Mutation``: what was done (``desc``, for the assertion message) and where an input error must
be reported. The column lists below are DATA.md's, written out here on purpose: the test must
not take its expectations from the loader it checks.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

TABLES = ("projects", "project_cities", "cost_profiles", "contributions", "indicators", "limits", "dependencies")
REQUIRED = {
    "projects": ("id", "name", "city", "duration", "earliest_start", "cost"),
    "project_cities": ("project_id", "city", "share"),
    "cost_profiles": ("project_id", "year_offset", "cost"),
    "contributions": ("project_id", "indicator", "value"),
    "indicators": ("indicator",),
    "limits": ("resource", "limit"),
    "dependencies": ("project_id", "requires"),
}
KEYS = {
    "projects": ("id",),
    "project_cities": ("project_id", "city"),
    "cost_profiles": ("project_id", "year_offset"),
    "contributions": ("project_id", "indicator"),
    "indicators": ("indicator", "scope"),
    "limits": ("resource", "scope", "year"),
    "dependencies": ("project_id", "requires"),
}
#: number columns and the kind of number each holds: int (>= 1), int0 (>= 0), year,
#: qty (>= 0), share (0, 1], signed (any sign)
NUMBERS = {
    "projects": {
        "duration": "int",
        "earliest_start": "year",
        "latest_start": "year",
        "cost": "qty",
        "land": "qty",
        "energy": "qty",
        "start": "year",
    },
    "project_cities": {"share": "share"},
    "cost_profiles": {"year_offset": "int0", "cost": "qty"},
    "contributions": {"value": "signed"},
    "indicators": {"baseline": "signed", "target": "signed", "weight": "qty"},
    "limits": {"year": "year", "limit": "qty"},
}
SCOPES = {"projects": "city", "project_cities": "city", "indicators": "scope", "limits": "scope"}


@dataclass
class Mutation:
    desc: str
    file: str | None = None  # harmful: the file name the message must name
    rows: tuple[int, ...] = ()  # spreadsheet rows (header = 1), any one of which may be named
    columns: tuple[str, ...] = ()  # column names, any one of which may be named
    mention: str | None = None  # text a problem naming `file` must hold (a dataset.yaml key, a file name)
    exists: bool = False  # the file is there in some form: 'missing' is the wrong message
    finite: bool = False  # a finite (if huge) number: 'infinity' is the wrong message


# ---------------------------------------------------------------- CSV helpers


def read(folder: Path, table: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((folder / f"{table}.csv").read_text("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def text(header, rows, **kw) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n", **kw).writerows([header, *rows])
    return buf.getvalue()


def write(folder: Path, table: str, header, rows, **kw) -> None:
    (folder / f"{table}.csv").write_text(text(header, rows, **kw), encoding="utf-8")


def cell(rng: random.Random, folder: Path, columns: dict[str, tuple[str, ...]], filled: bool = False):
    """A random (table, header, rows, row index, column) among ``columns`` {table: names}."""
    table = rng.choice(sorted(columns))
    header, rows = read(folder, table)
    col = rng.choice([c for c in columns[table] if c in header])
    j = header.index(col)
    pool = [i for i, r in enumerate(rows) if r[j].strip()] if filled else list(range(len(rows)))
    return table, header, rows, rng.choice(pool or list(range(len(rows)))), col


def set_cell(rng, folder, columns, value_of, filled=False) -> Mutation:
    """Replace one cell by ``value_of(old, kind)``; the message must name that row and column."""
    table, header, rows, i, col = cell(rng, folder, columns, filled)
    j = header.index(col)
    old, rows[i][j] = rows[i][j], value_of(rows[i][j], NUMBERS.get(table, {}).get(col))
    write(folder, table, header, rows)
    new = rows[i][j] if len(rows[i][j]) <= 40 else f"<{len(rows[i][j])} chars {rows[i][j][:12]}...>"
    return Mutation(f"{table}.csv row {i + 2} column {col}: {old!r} -> {new!r}", f"{table}.csv", (i + 2,), (col,))


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _tables(folder: Path, *, without=()) -> list[str]:
    return [t for t in TABLES if t not in without and (folder / f"{t}.csv").is_file()]


def _files(folder: Path) -> list[str]:
    return [f"{t}.csv" for t in _tables(folder)] + ["dataset.yaml"]


# ---------------------------------------------------------------- harmless: the same data, written differently


def gbk(rng, folder):
    ok = []
    for t in _tables(folder):
        data = (folder / f"{t}.csv").read_text("utf-8")
        try:
            data.encode("gbk")  # indicators.csv holds µ and ³, which GBK lacks
        except UnicodeEncodeError:
            continue
        ok.append(t)
    t = rng.choice(ok)
    path = folder / f"{t}.csv"
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    return Mutation(f"{t}.csv re-encoded as GBK")


def bom(rng, folder):
    name = rng.choice(_files(folder))
    path = folder / name
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return Mutation(f"UTF-8 BOM added to {name}")


def crlf(rng, folder):
    name = rng.choice(_files(folder))
    path = folder / name
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    return Mutation(f"CRLF line endings in {name}")


def shuffle_columns(rng, folder):
    t = rng.choice(_tables(folder))
    header, rows = read(folder, t)
    order = list(range(len(header)))
    while order == sorted(order):
        rng.shuffle(order)
    write(folder, t, [header[k] for k in order], [[r[k] for k in order] for r in rows])
    return Mutation(f"{t}.csv columns reordered: {', '.join(header[k] for k in order)}")


def extra_column(rng, folder):
    t = rng.choice(_tables(folder))
    header, rows = read(folder, t)
    k = rng.randint(0, len(header))
    name = rng.choice(["remark", "备注2", "Extra", "x_unused", "审核人"])
    header.insert(k, name)
    for r in rows:
        r.insert(k, rng.choice(["", "abc", "-1", "1e400", "杭州", "1,2,3", "NaN"]))
    write(folder, t, header, rows)
    return Mutation(f"{t}.csv: unknown column {name!r} inserted at position {k}")


def blank_trailing(rng, folder):
    t = rng.choice(_tables(folder))
    header, rows = read(folder, t)
    extra = rng.randint(0, 3)
    blank_rows = rng.randint(0 if extra else 1, 4)
    width = len(header) + extra
    body = text([*header, *[""] * extra], [[*r, *[""] * extra] for r in rows])
    body += "".join(rng.choice(["\n", "," * (width - 1) + "\n"]) for _ in range(blank_rows))
    (folder / f"{t}.csv").write_text(body, encoding="utf-8")
    return Mutation(f"{t}.csv: {extra} empty trailing column(s), {blank_rows} blank trailing row(s)")


def rename_case(rng, folder):
    t = rng.choice(_tables(folder))
    new = rng.choice([t.capitalize(), t.upper(), "".join(rng.choice([c, c.upper()]) for c in t)])
    new = new if new != t else t.upper()
    (folder / f"{t}.csv").rename(folder / f"{new}.csv")
    return Mutation(f"{t}.csv renamed {new}.csv")


def quote_all(rng, folder):
    t = rng.choice(_tables(folder))
    write(folder, t, *read(folder, t), quoting=csv.QUOTE_ALL)
    return Mutation(f"{t}.csv: every cell quoted")


def pad_numbers(rng, folder):
    t = rng.choice(sorted(NUMBERS))
    header, rows = read(folder, t)
    cols = [header.index(c) for c in NUMBERS[t] if c in header]
    for r in rows:
        for j in cols:
            if r[j].strip():
                r[j] = " " * rng.randint(0, 2) + r[j] + " " * rng.randint(1, 2)
    write(folder, t, header, rows)
    return Mutation(f"{t}.csv: spaces around every number")


def yaml_flow(rng, folder):
    path = folder / "dataset.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    path.write_text(yaml.safe_dump(data, default_flow_style=True, allow_unicode=True, sort_keys=False), "utf-8")
    return Mutation("dataset.yaml rewritten in flow style")


def yaml_comment(rng, folder):
    path = folder / "dataset.yaml"
    lines = path.read_text("utf-8").splitlines()
    top = [i for i, s in enumerate(lines) if s and not s[0].isspace()]  # never inside a block scalar
    i = rng.choice(top)
    if rng.random() < 0.5 and re.match(r"^\w+: [\[{\w]", lines[i]) and not lines[i].endswith(">-"):
        lines[i] += "  # 注释: a comment"
        where = f"after line {i + 1}"
    else:
        lines.insert(i, "# 注释: a comment line")
        where = f"before line {i + 1}"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return Mutation(f"dataset.yaml: comment {where}")


def shuffle_rows(rng, folder):
    t = rng.choice([t for t in _tables(folder, without=("projects",)) if len(read(folder, t)[1]) > 1])
    header, rows = read(folder, t)
    rng.shuffle(rows)
    write(folder, t, header, rows)
    return Mutation(f"{t}.csv: data rows shuffled")


HARMLESS = (gbk, bom, crlf, shuffle_columns, extra_column, blank_trailing, rename_case, quote_all, pad_numbers,
            yaml_flow, yaml_comment, shuffle_rows)  # fmt: skip

# ---------------------------------------------------------------- harmful: must be exit 2, naming the place


def _text_in_number(value: str):
    def mutate(rng, folder):
        m = set_cell(rng, folder, {t: tuple(c) for t, c in NUMBERS.items()}, lambda old, kind: value)
        m.finite = value.isdigit()
        return m

    mutate.__name__ = f"text_{value[:8]}"
    return mutate


HUGE = "9" * 400
LONG = "".join(random.Random(0).choices("abcdefghijklmnopqrstuvwxyz0123456789", k=100_000))


def blank_required(rng, folder):
    return set_cell(rng, folder, REQUIRED, lambda old, kind: "", filled=True)


NON_NEGATIVE = {t: tuple(c for c, k in cs.items() if k in ("int", "int0", "qty", "share")) for t, cs in NUMBERS.items()}


def negative(rng, folder):
    def neg(old, kind):
        v = _float(old)
        return f"-{v if v > 0 else rng.choice([1, 2.5, 100]):g}"

    return set_cell(rng, folder, {t: c for t, c in NON_NEGATIVE.items() if c}, neg)


def year_1990(rng, folder):
    # a limit row for 1990 or a latest_start before every earliest_start (a committed start in
    # 1990, or an earliest_start of 1990, may be real: they are in the neutral class)
    return set_cell(rng, folder, {"limits": ("year",), "projects": ("latest_start",)}, lambda old, kind: "1990")


def year_3000(rng, folder):
    cols = {t: tuple(c for c, k in cols.items() if k == "year") for t, cols in NUMBERS.items()}
    return set_cell(rng, folder, {t: c for t, c in cols.items() if c}, lambda old, kind: "3000")


def unknown_city(rng, folder):
    city = rng.choice(["上海", "Atlantis", "杭州市"])
    return set_cell(rng, folder, {t: (c,) for t, c in SCOPES.items()}, lambda old, kind: city)


def duplicate_id(rng, folder):
    header, rows = read(folder, "projects")
    i, j = rng.sample(range(len(rows)), 2)
    old, rows[j][0] = rows[j][0], rows[i][0]
    write(folder, "projects", header, rows)
    return Mutation(
        f"projects.csv row {j + 2} id {old!r} -> {rows[i][0]!r} (the id of row {i + 2})",
        "projects.csv", (i + 2, j + 2), ("id",),
    )  # fmt: skip


def duplicate_row(rng, folder):
    t = rng.choice([t for t in _tables(folder)])
    header, rows = read(folder, t)
    i = rng.randrange(len(rows))
    k = rng.randint(i + 1, len(rows))
    rows.insert(k, list(rows[i]))
    write(folder, t, header, rows)
    return Mutation(f"{t}.csv: row {i + 2} repeated as row {k + 2}", f"{t}.csv", (i + 2, k + 2), KEYS[t])


def header_renamed(rng, folder):
    t = rng.choice(_tables(folder))
    header, rows = read(folder, t)
    col = rng.choice(REQUIRED[t])
    options = [col.upper(), col + "s", col[:-1], col + "_old", col[1] + col[0] + col[2:], "成本", "项目编号"]
    new = rng.choice([o for o in options if o not in header and o != col])
    header[header.index(col)] = new
    write(folder, t, header, rows)
    return Mutation(f"{t}.csv header {col!r} renamed {new!r}", f"{t}.csv", (1,), (col,))


def ragged_row(rng, folder):
    """The file ends in the middle of a row. The cut falls before the last required column, so a
    required cell is missing: DATA.md lets a short row's missing cells be blank (take the default),
    so a cut among optional trailing cells ('notes') is not an error the contract can demand."""
    t = rng.choice([t for t in _tables(folder) if len(REQUIRED[t]) > 1])  # indicators: only cell 0 is required
    header, rows = read(folder, t)
    i = rng.randrange(len(rows))
    k = rng.randrange(max(header.index(c) for c in REQUIRED[t]))  # keeps cells 0..k, the last perhaps cut short
    cut = rows[i][:k] + [rows[i][k][: rng.randint(0 if k else 1, len(rows[i][k]))]]  # never a blank line
    (folder / f"{t}.csv").write_text(text(header, rows[:i] + [cut]).rstrip("\n"), "utf-8")
    return Mutation(
        f"{t}.csv cut short in row {i + 2} (file ends after {k + 1} of {len(header)} cells, in {header[k]!r})",
        f"{t}.csv", (i + 2,),
    )  # fmt: skip


def _garbage(rng) -> bytes:
    junk = bytearray(rng.randbytes(rng.randint(8, 2048)))
    junk.insert(rng.randrange(len(junk)), 0)
    return bytes(junk)


def binary_file(rng, folder):
    name = rng.choice(_files(folder))
    (folder / name).write_bytes(_garbage(rng))
    return Mutation(f"{name} replaced by binary garbage", name)


def binary_inside(rng, folder):
    name = rng.choice(_files(folder))
    data = (folder / name).read_bytes()
    at = rng.randrange(len(data))
    (folder / name).write_bytes(data[:at] + _garbage(rng) + data[at:])
    return Mutation(f"{name}: binary garbage inserted at byte {at}", name)


def _replace(kind: str):
    def mutate(rng, folder):
        name = rng.choice(_files(folder))
        path = folder / name
        path.unlink()
        if kind == "directory":
            path.mkdir()
        elif kind == "empty file":
            path.write_bytes(b"")
        elif kind == "symlink loop":
            os.symlink(name, path)
        else:
            os.symlink(os.devnull, path)
        return Mutation(f"{name} replaced by {'an' if kind[0] in 'aeiou' else 'a'} {kind}", name, exists=True)

    mutate.__name__ = kind.replace(" ", "_")
    mutate.needs_symlink = kind.startswith("symlink")
    return mutate


def _yaml_lines(folder):
    return (folder / "dataset.yaml").read_text("utf-8").splitlines()


def _yaml_write(folder, lines):
    (folder / "dataset.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def yaml_invalid(rng, folder):
    lines = _yaml_lines(folder)
    i = rng.choice([i for i, s in enumerate(lines) if s.rstrip().endswith("]")])
    how = rng.choice(["unclosed [", "tab indent", "stray ]"])
    if how == "unclosed [":
        lines[i] = lines[i].rstrip()[:-1]
    elif how == "tab indent":
        lines.insert(i + 1, "\tbad: 1")
    else:
        lines[i] += "]"
    _yaml_write(folder, lines)
    try:
        yaml.safe_load((folder / "dataset.yaml").read_text("utf-8"))
    except yaml.YAMLError:
        return Mutation(f"dataset.yaml line {i + 1}: {how}", "dataset.yaml")
    raise AssertionError(f"mutation {how} left dataset.yaml valid")  # a bug in the mutation, not the loader


def yaml_duplicate_key(rng, folder):
    lines = _yaml_lines(folder)
    key, value = rng.choice(
        [("target_year", "2028"), ("horizon", "[2024, 2029]"), ("cities", "[杭州, 湖州]"), ("name", "other"),
         ("target_year", "2027"), ("units", "{money: 万元}")]
    )  # fmt: skip
    at = rng.randint(0, len(lines))
    while at < len(lines) and lines[at][:1].isspace():
        at += 1  # not inside a block
    lines.insert(at, f"{key}: {value}")
    _yaml_write(folder, lines)
    return Mutation(f"dataset.yaml: key {key!r} given again ({value}) at line {at + 1}", "dataset.yaml", mention=key)


def target_outside(rng, folder):
    lines = _yaml_lines(folder)
    year = rng.choice([2015, 2023, 2031, 2040])
    lines = [f"target_year: {year}" if s.startswith("target_year:") else s for s in lines]
    _yaml_write(folder, lines)
    return Mutation(
        f"dataset.yaml: target_year {year}, outside the horizon 2024-2030", "dataset.yaml", mention="target_year"
    )


def case_twin(rng, folder):
    t = rng.choice(_tables(folder))
    twin = rng.choice([t.upper(), t.capitalize()])
    header, rows = read(folder, t)
    (folder / f"{twin}.csv").write_text(text(header, rows[:-1]), "utf-8")  # differs: which one is read matters
    return Mutation(f"{twin}.csv (without the last row) added beside {t}.csv", f"{t}.csv", mention=f"{twin}.csv")


HARMFUL = (
    *(_text_in_number(v) for v in ("abc", "1,2,3", "∞", "1e400", HUGE, LONG)),
    blank_required, negative, year_1990, year_3000, unknown_city, duplicate_id, duplicate_row, header_renamed,
    ragged_row, binary_file, binary_inside,
    *(_replace(k) for k in ("directory", "empty file", "symlink loop", "symlink to /dev/null")),
    yaml_invalid, yaml_duplicate_key, target_outside, case_twin,
)  # fmt: skip

# ---------------------------------------------------------------- neutral: another valid number


def neutral(rng, folder):
    def other(old, kind):
        v = _float(old)
        if kind == "int":
            return str(rng.randint(1, 8))
        if kind == "int0":
            return str(rng.randint(0, 7))
        if kind == "year":
            return str(rng.randint(2018, 2034))
        if kind == "share":
            return f"{rng.uniform(0.05, 1):.3f}"
        if kind == "signed":
            return f"{(v or 5) * rng.uniform(-1, 2):.4g}"
        return rng.choice(["0", f"{(v or 50) * rng.uniform(0, 2):.4g}"])

    return set_cell(rng, folder, {t: tuple(c) for t, c in NUMBERS.items()}, other)
