"""Reading raw CSV files strictly and writing outputs atomically.

Raw files are read as text only (no type guessing, no NA coercion): ``–`` must stay ``–``.
Every write goes to a temporary file in the target directory and is renamed over the
target, so an interrupted or failed run never leaves a half-written file in place of a
good one. :func:`write_file` is the one place bytes reach the disk (tests inject a full
disk there); pandas is imported only by the functions that handle tables, so processes that
only write files (the parent of ``kaztur run``) stay light.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.errors import DataError, Problem, rel

if TYPE_CHECKING:
    import pandas as pd

# Byte-order marks, longest first (a UTF-32 LE mark begins with the UTF-16 LE one).
BOMS = ((b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
        (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
        (b"\xfe\xff", "UTF-16 (big-endian)"), (b"\xff\xfe", "UTF-16 (little-endian)"))


def _foreign_encoding(data: bytes) -> str | None:
    """The encoding a BOM (or a pattern of NUL bytes) gives away, if not UTF-8."""
    for bom, name in BOMS:
        if data.startswith(bom):
            return f"{name}, by its byte-order mark"
    head = data[:200]
    if head and head.count(0) * 4 >= len(head):
        return "UTF-16 or UTF-32 (every other byte is 0), without a byte-order mark"
    return None


def decode_utf8(path: Path) -> str:
    """Return the text of ``path``; a BOM is dropped and CRLF becomes LF.

    Anything that is not UTF-8 (CP1251, the usual Windows encoding for Cyrillic, above all)
    is refused with the line and byte where decoding failed.
    """
    data = path.read_bytes()
    foreign = _foreign_encoding(data)
    if foreign:
        raise DataError(Problem(rel(path), 1, None,
                                "UTF-8 text (re-save the file as UTF-8, e.g. \"CSV UTF-8\" in "
                                "a spreadsheet)", f"text encoded as {foreign}"))
    if not data.strip():
        raise DataError(
            Problem(rel(path), None, None, "a CSV file with a header row", "empty file")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("cp1251")
            hint = " (the bytes decode as CP1251: re-save the file as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise DataError(
            Problem(
                rel(path), line, None, f"UTF-8 text{hint}", f"byte 0x{data[exc.start]:02x}"
            )
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_json_object(path: Path, what: str) -> dict[str, Any]:
    """A JSON file holding an object (a data package descriptor): text that is not UTF-8,
    is not JSON, or is JSON but not an object, or a ``resources`` that is not a list of
    objects, is a :class:`DataError` naming the file (never a traceback)."""
    import json

    data = path.read_bytes()
    foreign = _foreign_encoding(data)
    if foreign:
        raise DataError(Problem(rel(path), 1, None, f"UTF-8 JSON ({what})",
                                f"text encoded as {foreign}"))
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(Problem(rel(path), line, None, f"UTF-8 JSON ({what})",
                                f"byte 0x{data[exc.start]:02x}")) from None
    except json.JSONDecodeError as exc:
        raise DataError(Problem(rel(path), exc.lineno, None, f"valid JSON ({what})",
                                exc.msg)) from None
    resources = value.get("resources", []) if isinstance(value, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        raise DataError(Problem(rel(path), None, None, f"{what}: a JSON object whose "
                                "'resources' is a list of objects", "another structure"))
    return value


def _header_problems(path: Path, header: list[str], expected: list[str]) -> list[Problem]:
    """Missing, unknown and duplicate columns of a header row."""
    problems = [Problem(rel(path), 1, c, "this column in the header", "no such column")
                for c in expected if c not in header]
    problems += [Problem(rel(path), 1, c, f"only the columns {', '.join(expected)}",
                         "unknown column") for c in header if c not in expected]
    problems += [Problem(rel(path), 1, c, "each column once", "duplicate column")
                 for c in sorted({h for h in header if header.count(h) > 1})]
    return problems


def _record_problem(path: Path, header: list[str], record: list[str], start: int
                    ) -> tuple[Problem | None, bool]:
    """What is wrong with one record (None when nothing), and whether reading must stop
    (a field with a line break: the records after it are misread)."""
    broken = [i for i, cell in enumerate(record) if "\n" in cell]
    if broken:
        column = header[broken[0]] if broken[0] < len(header) else None
        return Problem(rel(path), start, column, "a field without a line break: a double "
                       "quote opened on this line is never closed (or a quoted field holds "
                       "a newline)", record[broken[0]].split("\n")[0][:60]), True
    if len(record) != len(header):
        return Problem(rel(path), start, None, f"{len(header)} fields",
                       f"{len(record)} fields"), False
    return None, False


def _records(path: Path, reader: Any, header: list[str]
             ) -> tuple[list[list[str]], list[int], list[Problem]]:
    """The data records after the header, each with its first file line; the problems."""
    records: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    end = reader.line_num
    while True:
        start = end + 1  # the record's first line (a quoted field may span several)
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(rel(path), start, None, "a well-formed CSV record "
                                    "(check the double quotes on this line)", str(exc)))
            break
        end = reader.line_num
        if not record or all(not cell.strip() for cell in record):
            continue
        problem, stop = _record_problem(path, header, record, start)
        if problem is not None:
            problems.append(problem)
            if stop:
                break  # one clear problem, not dozens
            continue
        records.append(record)
        lines.append(start)
    return records, lines, problems


def read_csv_text(path: Path, expected_columns: list[str]) -> pd.DataFrame:
    """Read a CSV file into a DataFrame of strings with exactly ``expected_columns``.

    The returned frame has a ``_line`` column: the 1-based file line of each record, for
    error messages. A missing column and an unknown extra column are both errors.
    """
    text = decode_utf8(path)
    reader = csv.reader(_io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(Problem(rel(path), None, None, "a header row", "empty file")) from None
    header = [h.strip() for h in header]
    problems = _header_problems(path, header, expected_columns)
    if problems:
        raise DataError(problems)
    records, lines, problems = _records(path, reader, header)
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError(Problem(rel(path), None, None, "at least one data row", "header only"))
    # deliberate lazy import: see the module docstring
    import pandas as pd

    frame = pd.DataFrame(records, columns=header, dtype=object)[expected_columns]
    frame.insert(0, "_line", lines)
    return frame


def padded_cells(frame: pd.DataFrame, path: Path) -> list[Problem]:
    """Cells of a frame from :func:`read_csv_text` with a space (or any white space) at
    either end. The text of a raw file is the text as printed, so ``1 580 `` is a typing
    slip, not a printed cell; it would otherwise pass every rule (numbers are parsed after
    stripping) and reach the processed tables as it is."""
    problems = []
    for column in frame.columns:
        if column == "_line":
            continue
        for line, text in zip(frame["_line"], frame[column], strict=True):
            if isinstance(text, str) and text != text.strip():
                problems.append(Problem(rel(path), int(line), column,
                                        "no space at the start or end of the cell (the text "
                                        "exactly as printed)", text))
    return problems


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (a temporary file of :func:`_atomic`)."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp creates 0600; give the file the permissions an ordinary write would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    return _atomic(path, lambda tmp: write_file(tmp, data))


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` with LF line endings to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def table_to_csv_text(frame: pd.DataFrame) -> str:
    """Deterministic CSV text of a frame: LF endings, no index, floats as printed by repr."""
    return frame.to_csv(index=False, lineterminator="\n")


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in blocks (the one checksum of raw files, snapshots,
    processed tables, cache entries and the library)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_raw_files(raw: Path) -> list[str] | None:
    """The resource paths ``raw/datapackage.json`` lists, sorted (None when it cannot be
    read); read without pandas."""
    try:
        descriptor = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
        return sorted(str(r["path"]) for r in descriptor.get("resources", []))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def parse_yaml(text: str) -> Any:
    """YAML ``text`` as Python data (YAML's safe subset), parsed by libyaml when PyYAML has
    it: the labels and table specs, some 500 kB read by every kernel template, site build
    and test process, parse ten times faster than with the pure-Python parser."""
    import yaml  # deliberate lazy import: most readers of this module never parse YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader, C or Python
