"""Bytes to text: UTF-16 with a byte-order mark, else UTF-8 (a BOM dropped), else GB18030, all strict.

An HTML page may name its encoding (<meta charset>): that is tried first, GB2312 and GBK read as their
superset GB18030; a page whose bytes do not decode as it says falls back to the rules above (mislabelled
pages are common).
"""
from __future__ import annotations

import codecs

from .model import DocumentError

# Names pages use for encodings that another codec reads better (a superset of them).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8",
              "utf-8": "utf-8-sig", "utf8": "utf-8-sig",
              # a page cannot say UTF-16 in its own bytes: browsers read such a page as UTF-8
              "utf-16": "utf-8-sig", "utf-16le": "utf-8-sig", "utf-16be": "utf-8-sig"}


def decode(data: bytes, label: str, declared: str | None = None) -> str:
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        encodings = ["utf-8-sig", "gb18030"]
        if declared and not data.startswith(codecs.BOM_UTF8):
            name = _SUPERSETS.get(declared.lower(), declared.lower())
            try:
                codecs.lookup(name)
                encodings.insert(0, name)
            except LookupError:
                pass  # an unknown name: the usual guesses
        for encoding in encodings:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise DocumentError(f"cannot decode {label}: not UTF-8, UTF-16 or GB18030/GBK text")
    return text
