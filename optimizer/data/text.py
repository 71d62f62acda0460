"""Reading text files as a planner saves them: what a path is, encodings, and YAML.

Every problem names the file and, where there is one, the line, so that the loader
(io.py, dataset.py, scenario.py) can report it as the rest of the input.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from ..errors import ProblemCollector, shorten

BOM = b"\xef\xbb\xbf"
SAVE_AS = "save it again as 'CSV UTF-8' (or GBK) text"


def path_problem(path: str | os.PathLike) -> str | None:
    """Why `path` is not an ordinary file or folder that can be read, or None.

    "missing" is said only of a path that is not there at all; a loop, a dangling link, a
    device, a pipe or an unreadable entry each say what they are.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself"
        if os.path.islink(path):
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "missing"
        return f"cannot be read: {exc.strerror or exc}"
    except ValueError as exc:  # a NUL byte in the name
        return f"is not a usable path: {exc}"
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "is a device, not a file"
    if stat.S_ISFIFO(st.st_mode):
        return "is a pipe, not a file"
    return "is not an ordinary file"


def file_problem(path: Path) -> str | None:
    """Why `path` cannot be read as a file (a folder included), or None."""
    why = path_problem(path)
    if why is None and path.is_dir():
        return "is a folder, not a file"
    return why


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice; YAML would silently keep the last one."""


class _UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    first = seen.get(key)
                    seen.setdefault(key, line)
                except TypeError:  # an unhashable key: let PyYAML say so
                    continue
                if first is not None:
                    where = f"on line {line}" if first == line else f"on lines {first} and {line}"
                    raise DuplicateKeyError(
                        None, None, f"the key '{shorten(key)}' is given twice ({where}): keep one", key_node.start_mark
                    )
        return super().construct_mapping(node, deep)


def load_yaml_text(text: str) -> Any:
    """yaml.safe_load, but a key given twice in one mapping is an error (DuplicateKeyError)."""
    return yaml.load(text, Loader=_UniqueKeyLoader)


def _first_bad_line(data: bytes, encoding: str) -> int:
    """1-based number of the first line that does not decode (a spreadsheet row, unless cells span lines)."""
    for i, line in enumerate(data.split(b"\n")):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return i + 1
    return 1


def _utf8_text_lines(data: bytes) -> bool:
    """Whether some line holds Chinese (3-byte) UTF-8 text: then a line that is not UTF-8 means mixed encodings."""
    for line in data.split(b"\n"):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any(len(ch.encode("utf-8")) >= 3 for ch in text if ch != "\ufeff"):
            return True
    return False


def decode_text(path: Path, problems: ProblemCollector, label: str | None = None) -> str | None:
    """The text of a CSV or YAML file: UTF-8 (with or without BOM) or GBK; else a problem naming the line."""
    label = label or str(path)
    why = file_problem(path)
    if why is not None:
        problems.add(label, None, None, f"the path {why}")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(label, None, None, f"cannot read the file: {exc.strerror or exc}")
        return None
    if data.startswith(b"PK\x03\x04"):
        problems.add(label, None, None, f"this is an Excel workbook, not CSV text: {SAVE_AS}, or pass the .xlsx itself")
        return None
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        problems.add(label, None, None, f"this is an old Excel .xls workbook, not CSV text: {SAVE_AS}")
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(label, None, None, f"the file is UTF-16 text (Excel's 'Unicode text'): {SAVE_AS}")
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        problems.add(label, line, None, f"not a text file: it holds binary data (line {line}); {SAVE_AS}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if data.startswith(BOM):
        line = _first_bad_line(data, "utf-8")
        problems.add(
            label,
            line,
            None,
            f"the file starts with a UTF-8 byte-order mark, but line {line} is not UTF-8 (GBK?): "
            "the file mixes encodings; save the whole file in one",
        )
        return None
    if _utf8_text_lines(data):
        line = _first_bad_line(data, "utf-8")
        problems.add(
            label,
            line,
            None,
            f"mixed encodings: earlier lines are UTF-8 but line {line} is not (GBK?); save the whole file in one encoding",
        )
        return None
    try:
        return data.decode("gb18030")  # a superset of GBK, what Excel writes on a Chinese system
    except UnicodeDecodeError:
        line = _first_bad_line(data, "gb18030")
        problems.add(label, line, None, f"cannot decode line {line}: the file is neither UTF-8 nor GBK text; {SAVE_AS}")
        return None


def yaml_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path of a YAML mapping to its 1-based line, for messages."""
    lines: dict[tuple[str, ...], int] = {}
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return lines

    def walk(n: Any, path: tuple[str, ...]) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = path + (str(k.value),)
                lines.setdefault(key, k.start_mark.line + 1)
                walk(v, key)

    walk(node, ())
    return lines


def read_yaml(path: Path, problems: ProblemCollector, label: str | None = None, lines: dict | None = None) -> Any:
    """Parse a YAML file (UTF-8 or GBK). ``lines``, if given, is filled with each key path's line."""
    label = label or str(path)
    text = decode_text(path, problems, label)
    if text is None:
        return None
    try:
        data = load_yaml_text(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or exc
        problems.add(label, line, None, str(what) if isinstance(exc, DuplicateKeyError) else f"not valid YAML: {what}")
        return None
    if lines is not None:
        lines.update(yaml_key_lines(text))
    return data
