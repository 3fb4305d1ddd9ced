"""What the views call things (data/view_words.tsv), in both languages or in Chinese only.

    words = Words("zh-en")      # 已完成 achieved: the default
    words = Words("zh")         # 已完成: for officers who forward the report as it is
"""
from __future__ import annotations

import html
from functools import cache
from typing import Literal, get_args

from ..text.lexicon import rows

Lang = Literal["zh-en", "zh"]
LANGS: tuple[str, ...] = get_args(Lang)


@cache
def _table() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in rows("view_words.tsv")}


class Words:
    """The wording of one language mode."""

    def __init__(self, lang: str = "zh-en") -> None:
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
        self.lang = lang
        self.bilingual = lang == "zh-en"

    def zh(self, key: str, **values: object) -> str:
        return _table()[key][0].format(**values) if values else _table()[key][0]

    def en(self, key: str, **values: object) -> str:
        return _table()[key][1].format(**values) if values else _table()[key][1]

    def has(self, key: str) -> bool:
        return key in _table()

    def text(self, key: str, **values: object) -> str:
        """Plain text: "已完成 achieved", or "已完成"."""
        zh = self.zh(key, **values)
        return f"{zh} {self.en(key, **values)}" if self.bilingual else zh

    def html(self, key: str, **values: object) -> str:
        """Markup: "已完成 <small>achieved</small>", or "已完成" (escaped)."""
        zh = html.escape(self.zh(key, **values))
        return f"{zh} <small>{html.escape(self.en(key, **values))}</small>" if self.bilingual else zh


BILINGUAL = Words("zh-en")
