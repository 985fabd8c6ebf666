"""What every reader in the package shares: the error it raises, the sheet it gives, the size limits, opening a zip."""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHUNK_SIZE = 1 << 20
# The largest sheet a spreadsheet application makes: repeated cells and rows are expanded no further.
MAX_COLUMNS = 16_384
MAX_ROWS = 1_048_576
PathLike = str | os.PathLike[str]


class StreamError(ValueError):
    """A file could not be streamed: it is not a spreadsheet this package reads, or it is truncated or corrupt."""


@dataclass(frozen=True)
class StreamedSheet:
    """One sheet (or a CSV file) whose rows are read as they are iterated, once, in file order."""

    name: str | None
    rows: Iterator[list[object]]


def _open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise StreamError(f"the {kind.upper()} file is truncated or corrupt ({exc})") from exc


def _member_info(archive: zipfile.ZipFile, name: str, kind: str) -> zipfile.ZipInfo:
    try:
        return archive.getinfo(name)
    except KeyError as exc:
        raise StreamError(f"the {kind.upper()} file has no {name}; it is not a complete spreadsheet") from exc
