"""HTML fragments to plain text (tags removed, entities decoded, blocks on lines of their own), in linear time.

Fragments and pages use the stdlib `html.parser`, fed once and never closed. `HTMLParser.close()` retries
an unterminated tag or comment from every later "<" (quadratic: "<p>" then "<a x='" × 8,000 took 6.6 s,
× 100,000 minutes); `feed()` alone is linear, and leaves such an unterminated construct unparsed.
`LinearParser` reads that rest in one pass of its own: a "<" that closes with ">" before the next "<" is a
tag, any other text is text (as close() would have read it, but once).

Whole pages are read by documents/html_page.py.
"""
from __future__ import annotations

import html as htmllib
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

# ------------------------------------------------------------------------------------ linear parsing

# The rest that feed() left: a tag that closes before the next "<", a comment or declaration likewise, a run
# of text, or a lone "<". Every alternative stops at the next "<", so one pass over the rest is linear.
_REST_TOKEN = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)([^<>]*)>|<[!?][^<>]*>|[^<]+|<")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+)))?""")


class LinearParser(HTMLParser):
    """An HTMLParser read with `read(text)`: feed() once, then the unparsed rest in one linear pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def read(self, text: str) -> None:
        self.feed(text)
        rest, self.rawdata = self.rawdata, ""
        if not rest:
            return
        if self.cdata_elem is not None:  # inside an unclosed <script>/<style>: all of it is its content
            self.handle_data(rest)
            return
        line = self.lineno
        for match in _REST_TOKEN.finditer(rest):
            token = match.group()
            if match.group(2) is not None:
                tag = match.group(2).lower()
                if match.group(1):
                    self.handle_endtag(tag)
                else:
                    self.handle_starttag(tag, _attributes(match.group(3)))
            elif not token.startswith(("<!", "<?")) or token == "<":
                self.handle_data(htmllib.unescape(token))
            newlines = token.count("\n")
            if newlines:
                line += newlines
                self.lineno = line


def _attributes(text: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for m in _ATTRIBUTE.finditer(text):
        value = next((v for v in m.groups()[1:] if v is not None), None)
        out.append((m.group(1).lower(), None if value is None else htmllib.unescape(value)))
    return out


# ---------------------------------------------------------------------------------------- fragments

class _TextExtractor(LinearParser):
    """Collects the text of an HTML fragment; block boundaries become line breaks."""

    def __init__(self) -> None:
        super().__init__()
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
    parser.read(fragment)
    return normalize_lines("".join(parser.parts))


def cell_text(raw: str) -> str:
    if _HTML_HINT.search(raw):
        return html_to_text(raw)
    return normalize_lines(raw)


# -------------------------------------------------------------------------------------- detection

_PAGE_START = re.compile(
    r"\s*(?:<\?xml[^<>]{0,200}\?>)?(?:\s{0,200}<!--[^<>]{0,2000}-->){0,20}"
    r"\s*<(?:!doctype\s+html|html|head|body|meta|title|table)[\s>/]",
    re.IGNORECASE,
)
_META_CHARSET = re.compile(
    rb"""<meta[^<>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE
)


def looks_like_html(text: str) -> bool:
    """True for a whole HTML page (or a bare <table>): it starts, after blanks and comments, with a tag that
    only a page starts with. A TSV whose cells hold HTML starts with its title or header, not with "<"."""
    return _PAGE_START.match(text[:4096]) is not None


def declared_charset(data: bytes) -> str | None:
    """The encoding a page's <meta charset=…> or <meta http-equiv … content="…; charset=…"> names, looked for
    in the first 4 KB as browsers do (pre-scan), or None."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None
