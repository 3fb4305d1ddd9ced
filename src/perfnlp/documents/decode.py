"""Bytes to text: UTF-16 with a byte-order mark, else UTF-8 (a BOM dropped), else GB18030, all strict."""
from __future__ import annotations

import codecs

from .model import DocumentError


def decode(data: bytes, label: str) -> str:
    text: str | None = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export: UTF-16 with a BOM.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise DocumentError(f"cannot decode {label}: not UTF-8, UTF-16 or GB18030/GBK text")
    return text

