"""Reading a CSV file (UTF-8, cp1252, latin-1 or UTF-16 text) as one sheet, decoded and split as ``tables`` does."""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from data_loaders.streaming.base import CHUNK_SIZE, StreamedSheet, StreamError

CSV_FIELD_LIMIT = 1 << 20
CSV_SNIFF_CHARS = 20_000
CSV_BATCH_ROWS = 1024
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _csv_encoding(path: Path) -> str:
    """The encoding ``tables`` would decode the file with: UTF-8 (BOM or not), else cp1252, else latin-1; UTF-16 by BOM.

    The whole file is decoded once and the text thrown away, chunk by chunk, because a byte that
    is not UTF-8 may come anywhere in it.
    """
    with path.open("rb") as handle:
        if handle.read(2) in UTF16_BOMS:
            return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK_SIZE):
                    decoder.decode(chunk)
            decoder.decode(b"", True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _csv_delimiter(path: Path, encoding: str) -> str:
    """The delimiter ``tables`` would use: sniffed from the first 20,000 characters among comma, tab and semicolon."""
    with path.open("r", encoding=encoding, newline="") as text:
        sample = text.read(CSV_SNIFF_CHARS)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        return ","


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[list[object]]:
    with path.open("r", encoding=encoding, newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        while True:
            # The field limit is raised only while this reader reads, and put back before rows are handed out.
            previous = csv.field_size_limit(CSV_FIELD_LIMIT)
            try:
                batch = list(itertools.islice(reader, CSV_BATCH_ROWS))
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise StreamError(
                        f"the CSV file has a cell larger than 1 MB (line {reader.line_num}); "
                        "it is not a published table"
                    ) from exc
                raise StreamError(f"the CSV file cannot be read (line {reader.line_num}: {exc})") from exc
            except UnicodeDecodeError as exc:
                raise StreamError(f"the CSV file is not valid {encoding} text ({exc})") from exc
            finally:
                csv.field_size_limit(previous)
            if not batch:
                return
            yield from batch


def _csv_sheets(path: Path) -> Iterator[StreamedSheet]:
    try:
        encoding = _csv_encoding(path)
        delimiter = _csv_delimiter(path, encoding)
    except UnicodeDecodeError as exc:
        raise StreamError(f"the CSV file is not valid text ({exc})") from exc
    except OSError as exc:
        raise StreamError(f"the file could not be read ({exc.strerror or exc})") from exc
    yield StreamedSheet(None, _csv_rows(path, encoding, delimiter))
