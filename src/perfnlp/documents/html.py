"""HTML fragments in cells to plain text: tags removed, entities decoded, blocks on lines of their own."""
from __future__ import annotations

import re
from html.parser import HTMLParser


_HTML_HINT = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>]*)?/?>"
    r"|&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; block boundaries become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Attributes (onerror=, style=, href=) are dropped: only text content is data.
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        # Also called for the content of <script>/<style>: kept as text, on purpose (a cell is data).
        self.parts.append(data)


def normalize_lines(text: str) -> str:
    """Strip every line and drop the empty ones (the text format of ANNOTATING.md)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(s for s in (line.strip() for line in text.split("\n")) if s)


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment into plain text (tags removed, entities decoded, blocks on their own lines)."""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    return normalize_lines("".join(parser.parts))


def cell_text(raw: str) -> str:
    if _HTML_HINT.search(raw):
        return html_to_text(raw)
    return normalize_lines(raw)

