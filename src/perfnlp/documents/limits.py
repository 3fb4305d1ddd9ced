"""How much one document may hold: the limits of data/limits.tsv, and the checks that apply them.

A hostile file (a zip bomb, a sheet of millions of rows, a cell spanning a million columns) must end in a
`DocumentError` naming the limit, within bounded time and memory, never in a hang or a traceback. Archives are
checked from their directory before anything is decompressed; rows, cells and characters are counted while
they are read, so reading stops at the limit instead of after it.
"""
from __future__ import annotations

import io
import struct
import zipfile
from zlib import error as zlib_error
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache

from ..text.lexicon import rows as data_rows
from .model import DocumentError


@dataclass(frozen=True, slots=True)
class Limits:
    input_bytes: int
    zip_members: int
    zip_member_bytes: int
    zip_total_bytes: int
    xml_part_bytes: int
    zip_ratio: int
    shared_strings: int
    sheet_rows: int
    columns: int
    rows: int
    cells: int
    chars: int
    pages: int
    xls_bytes: int


@cache
def limits() -> Limits:
    values = {name: int(value) for name, value, *_ in data_rows("limits.tsv")}
    return Limits(**{f.name: values[f.name] for f in fields(Limits)})


_RATIO_FROM = 1 << 20  # small entries compress as they like; the ratio is checked from 1 MiB up


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_DIRECTORY_BYTES_PER_ENTRY = 1024  # a central-directory entry is 46 bytes and its name, a few dozen more


def check_directory(data: bytes, label: str) -> None:
    """Refuse an archive whose end record announces more entries, or a larger central directory, than the
    limit allows, before zipfile builds an object for each entry (millions of them fill memory)."""
    most = limits().zip_members
    at = data.rfind(_EOCD, max(0, len(data) - (1 << 16) - 22))
    if at < 0 or len(data) < at + 22:
        return  # no end record: zipfile says it is no zip
    entries, size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data.startswith(_EOCD64_LOCATOR, locator):
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 <= len(data) and data.startswith(_EOCD64, record):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    if entries > most:
        raise DocumentError(f"cannot read {label}: {entries} entries in the archive, over the limit of {most} (zip_members)")
    if size > most * _DIRECTORY_BYTES_PER_ENTRY:
        raise DocumentError(
            f"cannot read {label}: a central directory of {size} bytes, more than {most} entries hold (zip_members)")


def open_zip(data: bytes, label: str, kind: str,
             streamed: Callable[[zipfile.ZipFile], set[str]] = lambda archive: set()) -> zipfile.ZipFile:
    """The archive of an .xlsx/.docx, once its directory shows no entry too large or too compressed.
    `streamed` names the XML entries that are read in pieces (the others must fit xml_part_bytes, since a
    library parses them whole)."""
    lim = limits()
    check_directory(data, label)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(f"cannot read {label}: not a valid {kind} file ({reason(exc)})") from None
    if len(entries) > lim.zip_members:
        raise DocumentError(
            f"cannot read {label}: {len(entries)} entries in the archive, over the limit of {lim.zip_members} (zip_members)")
    total = 0
    for entry in entries:
        size = entry.file_size  # as declared; testzip below finds an entry that inflates past it
        total += size
        if size > lim.zip_member_bytes:
            raise DocumentError(
                f"cannot read {label}: {entry.filename} holds {size} bytes uncompressed, over the limit of "
                f"{lim.zip_member_bytes} (zip_member_bytes)")
        if size >= _RATIO_FROM and size > lim.zip_ratio * max(entry.compress_size, 1):
            raise DocumentError(
                f"cannot read {label}: {entry.filename} is compressed {size // max(entry.compress_size, 1)} to 1, "
                f"over the limit of {lim.zip_ratio} to 1 (zip_ratio): a zip bomb?")
    if total > lim.zip_total_bytes:
        raise DocumentError(
            f"cannot read {label}: {total} bytes uncompressed in all, over the limit of {lim.zip_total_bytes} (zip_total_bytes)")
    # The sizes above are as declared. An entry that inflates past its declared size is cut there by zipfile,
    # but only after a whole-entry read() has inflated all of it; reading each entry once in 1 MiB pieces
    # (testzip, which checks every CRC) finds such a lie with bounded memory, before any parser reads it whole.
    try:
        damaged = archive.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zlib_error) as exc:
        raise DocumentError(f"cannot read {label}: not a valid {kind} file ({reason(exc)})") from None
    if damaged is not None:
        raise DocumentError(f"cannot read {label}: not a valid {kind} file ({damaged} is damaged: bad CRC or size)")
    in_pieces = streamed(archive)
    for entry in entries:
        if (entry.filename.lower().endswith((".xml", ".rels")) and entry.filename not in in_pieces
                and entry.file_size > lim.xml_part_bytes):
            raise DocumentError(
                f"cannot read {label}: {entry.filename} holds {entry.file_size} bytes of XML, over the limit of "
                f"{lim.xml_part_bytes} (xml_part_bytes)")
    for entry in entries:
        if entry.filename.lower().endswith((".xml", ".rels")) and _has_dtd(archive, entry):
            raise DocumentError(
                f"cannot read {label}: {entry.filename} declares a DTD (or a 64 KiB prolog), which {kind} files never do")
    return archive


_PROLOG_MOST = 1 << 16


def _has_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """Whether an XML entry's prolog (what stands before its root element) declares a DTD, which entity
    bombs need, or runs past 64 KiB, which no real part does. Reads the first 64 KiB only."""
    with archive.open(entry) as stream:
        head = stream.read(_PROLOG_MOST)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    at = 0
    while True:
        while at < len(head) and head[at] in b" \t\r\n\xef\xbb\xbf":  # blanks and a UTF-8 BOM
            at += 1
        if head.startswith(b"<?", at):
            end, close = head.find(b"?>", at + 2), 2
        elif head.startswith(b"<!--", at):
            end, close = head.find(b"-->", at + 4), 3
        else:
            return head[at:at + 9].upper() == b"<!DOCTYPE" or (at >= len(head) == _PROLOG_MOST)
        if end < 0:
            return len(head) == _PROLOG_MOST  # a prolog item open past 64 KiB
        at = end + close


def reason(exc: BaseException) -> str:
    """An exception as a short phrase for a one-line message: its kind and the first line of its text."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120]}" if text else type(exc).__name__


class Budget:
    """Counts the rows, cells and characters of one document as they are read; over a limit it raises."""

    __slots__ = ("label", "rows", "cells", "chars", "limits")

    def __init__(self, label: str) -> None:
        self.label = label
        self.rows = self.cells = self.chars = 0
        self.limits = limits()

    def row(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > self.limits.rows:
            raise DocumentError(f"cannot read {self.label}: more than {self.limits.rows} table rows (the rows limit)")
        if self.cells > self.limits.cells:
            raise DocumentError(f"cannot read {self.label}: more than {self.limits.cells} table cells (the cells limit)")

    def text(self, count: int) -> None:
        self.chars += count
        if self.chars > self.limits.chars:
            raise DocumentError(f"cannot read {self.label}: more than {self.limits.chars} characters of text (the chars limit)")

    def columns(self, count: int) -> None:
        if count > self.limits.columns:
            raise DocumentError(f"cannot read {self.label}: a table {count} columns wide, over the limit of {self.limits.columns} (columns)")
