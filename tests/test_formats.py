"""Every format reads the same document the same: corpus documents (../shared/corpus, read as text) are
written as an HTML page, an .xlsx and an .xls workbook, a .docx and a PDF (tests/corpus_formats.py says how),
and read_document must find the same tasks (group, target, progress) in each as in the text. PDF keeps no
runs of spaces, so there runs of whitespace are compared as one space.

Then each format's own rules: HTML layout tables, spans, titles and charsets; Office merged cells; the
legacy formats refused in one line; the extras named when missing.
"""
from __future__ import annotations

import io
import sys
from functools import cache

import pytest

import corpus_formats as cf
from perfnlp.documents import Document, DocumentError, read_document
from perfnlp.documents.html_page import html_blocks
from perfnlp.documents.layout import Paragraph, Table

needs_corpus = pytest.mark.skipif(not cf.CORPUS.is_dir(), reason=f"the corpus is not at {cf.CORPUS}")


@cache
def corpus_text(stem: str) -> tuple[str, Document]:
    path = next(p for p in cf.CORPUS.iterdir() if p.stem == stem and p.suffix in (".txt", ".tsv"))
    text = path.read_text(encoding="utf-8")
    return text, read_document(text)


def _sample() -> list[str]:
    """Every corpus document in which the text reader finds a task (a document without one compares nothing)."""
    if not cf.CORPUS.is_dir():
        return []
    stems = sorted(p.stem for p in cf.CORPUS.iterdir() if p.suffix in (".txt", ".tsv"))
    return [s for s in stems if corpus_text(s)[1].tasks]


SAMPLE = _sample()


def tasks_of(doc: Document, *, collapse_spaces: bool = False) -> list[tuple[str, str, str]]:
    def norm(text: str) -> str:
        text = text.replace(" | ", "\t")  # a text table joins a row's cells with its delimiter, other formats with a tab
        return " ".join(text.split()) if collapse_spaces else text

    return [(norm(t.group or ""), norm(t.target), norm(t.progress)) for t in doc.tasks]


def written(stem: str, fmt: str) -> bytes:
    text, reference = corpus_text(stem)
    blocks = cf.text_blocks(text, reference.kind)
    if fmt in ("xlsx", "xls") and not cf.has_table(blocks):
        pytest.skip("a prose document is no workbook")
    if fmt == "html":
        return cf.to_html(blocks)
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
        return cf.to_xlsx(blocks)
    if fmt == "xls":
        pytest.importorskip("xlwt", reason="writing an .xls needs xlwt (the test extra)")
        pytest.importorskip("xlrd", reason="reading an .xls needs the xls extra")
        return cf.to_xls(blocks)
    if fmt == "docx":
        pytest.importorskip("docx")
        return cf.to_docx(blocks)
    pytest.importorskip("reportlab", reason="writing a PDF needs reportlab (the test extra)")
    pytest.importorskip("pdfplumber", reason="reading a PDF needs the pdf extra")
    font = cf.cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font and reportlab's CID font STSong-Light does not load")
    return cf.to_pdf(blocks, font)


# ------------------------------------------------------------------------------------ round trips

@needs_corpus
def test_the_sample_is_a_good_one() -> None:
    """Tables and prose, cells spanning rows and columns: the round trips below exercise all of it."""
    assert len(SAMPLE) >= 20, SAMPLE
    kinds = [corpus_text(s)[1].kind for s in SAMPLE]
    assert kinds.count("prose") >= 8 and len(kinds) - kinds.count("prose") >= 8, kinds
    spans = [cf.spans_used(cf.text_blocks(*(lambda t, d: (t, d.kind))(*corpus_text(s)))) for s in SAMPLE]
    assert sum(1 for rows, _ in spans if rows) >= 5 and sum(1 for _, cols in spans if cols) >= 5, spans


# Known failures, kept strict so that a fix shows as XPASS. Each text has cells the written format cannot
# carry as the text reader read them: the text is ragged where a format is rectangular.
RAGGED = "the text row lost a merged cell or is written from the left; the format writes it padded"
KNOWN: dict[tuple[str, str], str] = {
    **{("e_chongchuan2023_11", f): RAGGED for f in ("html", "xlsx", "xls", "pdf")},
    **{("e_shexian2024_9", f): RAGGED for f in ("html", "xlsx", "xls", "docx", "pdf")},
    ("e_shanghai2016_12", "pdf"): "PDF text puts the bare item number on the line of its paragraph",
    ("e_tangxi2022_zp", "pdf"): "a table run together into one line is wrapped on the page and cut at the wrap",
    ("c_huangshi2022", "pdf"): "a long target cell wraps on the page inside a number (11月 → 1 1月)",
}


def _known(stem: str, fmt: str):  # noqa: ANN202
    reason = KNOWN.get((stem, fmt))
    return pytest.param(stem, fmt, marks=pytest.mark.xfail(reason=reason, strict=True)) if reason else (stem, fmt)


@needs_corpus
@pytest.mark.parametrize(("stem", "fmt"), [_known(s, f) for s in SAMPLE for f in ("html", "xlsx", "xls", "docx", "pdf")])
def test_round_trip(stem: str, fmt: str) -> None:
    data = written(stem, fmt)
    _, reference = corpus_text(stem)
    doc = read_document(data, name=f"{stem}.{fmt}")
    loose = fmt == "pdf"
    assert tasks_of(doc, collapse_spaces=loose) == tasks_of(reference, collapse_spaces=loose)
    assert doc.kind == (fmt if reference.kind != "prose" else "prose")
    assert (doc.title or "").split() == (reference.title or "").split()


@needs_corpus
def test_html_found_by_its_content_and_its_charset() -> None:
    stem = "e_putuo2021_6"
    text, reference = corpus_text(stem)
    blocks = cf.text_blocks(text, reference.kind)
    gbk = cf.to_html(blocks, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        gbk.decode("utf-8")
    for data, name in ((gbk, None), (gbk, "export.xls"), (cf.to_html(blocks), "page.htm"),
                       (cf.to_html(blocks).decode("utf-8"), None)):
        doc = read_document(data, name=name)  # bytes or text, any name: the content says HTML
        assert doc.kind == "html" and tasks_of(doc) == tasks_of(reference), name


# ---------------------------------------------------------------------------------------- HTML pages

def test_html_spans_expand_as_the_table_model_says() -> None:
    page = """<table>
    <tr><td rowspan="0">A</td><td colspan="2">B</td><td>C</td></tr>
    <tr><td>d</td><td rowspan="2" colspan="2">E</td></tr>
    <tr><td>f</td></tr>
    <tr><td>g</td><td>h</td><td>i</td></tr>
    <tr><td colspan="bogus">j</td><td rowspan="3px">k</td></tr>
    </table>"""
    (table,) = [b for b in html_blocks(page, "t") if isinstance(b, Table)]
    assert table.rows == [
        ["A", "B", "", "C"],
        ["A", "d", "E"],  # a cell spanning columns is written once; trailing blank cells are dropped
        ["A", "f", "E"],
        ["A", "g", "h", "i"],
        ["A", "j", "k"],
    ]
    assert table.lines == [2, 3, 4, 5, 6]


def test_html_layout_navigation_and_furniture() -> None:
    page = """<!DOCTYPE html><html><head><title>网站标题</title><style>p{color:red}</style></head><body>
    <nav><a href="/">首页</a></nav>
    <table><tr><td><a href="/">首页</a></td><td><a href="/a">政务公开</a></td></tr>
           <tr><td><a href="/b">通知公告</a></td><td><a href="/c">互动</a></td></tr></table>
    <table><tr><td>只有一格的表</td></tr></table>
    <table role="presentation"><tr><td><table><tr><td>
      <p>某区2021年绩效任务进展表</p>
      <table><tr><th>序号</th><th>年度目标</th><th>进展情况</th></tr>
             <tr><td>1</td><td>新增就业9000人</td><td>已新增7300人</td></tr>
             <tr><td>2</td><td>新建公园3处</td><td>已建成2处</td></tr></table>
      <p>注：数据为初步统计。</p>
    </td><td>侧栏文字</td></tr></table></td></tr></table>
    <script>document.write("<table><tr><td>序号</td><td>年度目标</td><td>进展情况</td></tr></table>")</script>
    <footer>版权所有</footer></body></html>"""
    blocks = html_blocks(page, "t")
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == [
        "只有一格的表", "某区2021年绩效任务进展表", "注：数据为初步统计。", "侧栏文字"]
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert table.rows[0] == ["序号", "年度目标", "进展情况"] and len(table.rows) == 3
    doc = read_document(page)
    assert doc.kind == "html" and doc.title == "只有一格的表"
    assert [(t.row, t.target, t.progress) for t in doc.tasks] == [
        (1, "新增就业9000人", "已新增7300人"), (2, "新建公园3处", "已建成2处")]


def test_html_title_from_the_page_when_the_body_has_none() -> None:
    table = ("<table><tr><td>年度目标</td><td>进展情况</td></tr>"
             "<tr><td>完成A</td><td>已完成A</td></tr></table>")
    def read(page: str) -> Document:
        return read_document(page.encode("utf-8"))

    assert read(f"<html><head><title>表的标题</title></head><body>{table}</body></html>").title == "表的标题"
    assert read(f"<!doctype html><body><h1>大标题</h1>{table}</body>").title == "大标题"
    # the table's own title row is the title, not the <title> of the page
    own = table.replace("<tr>", '<tr><td colspan="2">某区任务表</td></tr><tr>', 1)
    assert read(f"<html><head><title>Sheet1</title></head><body>{own}</body></html>").title == "某区任务表"
    # a prose page: its statements, under its headings
    prose = "<html><body><h1>年度报告</h1><h2>(一)就业</h2><p>全年促进就业19275人,完成年度目标的160.6%。</p></body></html>"
    doc = read_document(prose.encode("utf-8"), name="r.html")
    assert doc.kind == "prose" and doc.title == "年度报告"
    assert [(t.group, t.progress) for t in doc.tasks] == [("(一)就业", "全年促进就业19275人,完成年度目标的160.6%")]


def test_html_meta_charset_is_honoured() -> None:
    page = ('<html><head><meta charset="hz-gb-2312"><title>某区任务表</title></head><body>'
            "<table><tr><td>年度目标</td><td>进展情况</td></tr><tr><td>新建公园3处</td><td>已建成2处</td></tr></table>"
            "</body></html>")
    data = page.encode("hz")
    assert data.decode("utf-8") != page  # HZ is 7-bit: read without its charset it is valid, wrong UTF-8
    doc = read_document(data)
    assert doc.title == "某区任务表" and [(t.target, t.progress) for t in doc.tasks] == [("新建公园3处", "已建成2处")]
    big5 = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body>'
            "<h1>黔西南州固定資產投資完成情況</h1><p>全州612個重大工程和重點項目總投資3092億元。</p></body></html>")
    assert big5.encode("big5").decode("gb18030") != big5  # without its charset: mojibake, yet decodable
    assert read_document(big5.encode("big5")).title == "黔西南州固定資產投資完成情況"
    # a page that says GB2312 but holds GBK-only characters (common): read as GB18030, its superset
    page = ('<html><head><meta charset="gb2312"></head><body><p>標題</p><table><tr><td>年度目标</td>'
            "<td>进展情况</td></tr><tr><td>镕</td><td>完成</td></tr></table></body></html>")
    assert read_document(page.encode("gbk")).tasks[0].target == "镕"


def test_a_tsv_with_html_cells_is_no_page() -> None:
    text = "标题\n序号\t年度目标\t进展情况\n1\t<p>完成A</p><table><tr><td>x</td></tr></table>\t已完成\n"
    doc = read_document(text)
    assert doc.kind == "tsv" and doc.tasks[0].target == "完成A\nx"


# ------------------------------------------------------------------------------------ merged cells

GROUP_TEXT = (
    "某区任务表\n"
    "绩效任务\t年度目标\t进展情况\t责任单位\n"
    "就业\t新增就业9000人\t已新增7300人\t人社局\n"
    "\t城镇登记失业率控制在3%以内\t2.1%\t人社局\n"
    "\t新增创业1000人\t已新增800人\t人社局\n"
    "环境\tPM2.5浓度下降5%\t下降3%\t生态环境局\n"
)


def _group_blocks() -> list[cf.Block]:
    """GROUP_TEXT's table as a merged table has it: 就业 one cell over three rows, 人社局 likewise."""
    table = cf.TextTable([
        ["绩效任务", "年度目标", "进展情况", "责任单位"],
        ["就业", "新增就业9000人", "已新增7300人", "人社局"],
        ["就业", "城镇登记失业率控制在3%以内", "2.1%", "人社局"],
        ["就业", "新增创业1000人", "已新增800人", "人社局"],
        ["环境", "PM2.5浓度下降5%", "下降3%", "生态环境局"],
    ])
    table.spans = [cf.Span(0, c) for c in range(4)] + [cf.Span(1, 0, rows=3), cf.Span(1, 1), cf.Span(1, 2),
                                                       cf.Span(1, 3, rows=3)]
    table.spans += [cf.Span(r, c) for r in (2, 3) for c in (1, 2)] + [cf.Span(4, c) for c in range(4)]
    return ["某区任务表", table]


@pytest.mark.parametrize("fmt", ["html", "xlsx", "xls", "docx", "pdf"])
def test_a_group_cell_merged_over_rows_reads_as_the_carried_group(fmt: str) -> None:
    reference = read_document(GROUP_TEXT)
    assert [t.group for t in reference.tasks] == ["就业", "就业", "就业", "环境"]
    blocks = _group_blocks()
    if fmt == "html":
        data = cf.to_html(blocks)
    elif fmt == "xlsx":
        pytest.importorskip("openpyxl")
        data = cf.to_xlsx(blocks)
    elif fmt == "xls":
        pytest.importorskip("xlwt")
        pytest.importorskip("xlrd")
        data = cf.to_xls(blocks)
    elif fmt == "docx":
        pytest.importorskip("docx")
        data = cf.to_docx(blocks)
    else:
        pytest.importorskip("reportlab")
        pytest.importorskip("pdfplumber")
        font = cf.cjk_font()
        if font is None:
            pytest.skip("no CJK font for reportlab")
        data = cf.to_pdf(blocks, font)
    doc = read_document(data, name=f"merged.{fmt}")
    assert tasks_of(doc) == tasks_of(reference)
    assert doc.title == "某区任务表"


def test_docx_merged_cells_follow_word(tmp_path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("某区任务表")
    table = document.add_table(rows=4, cols=4)
    values = [("绩效任务", "年度目标", "进展情况", "备注"), ("就业", "新增就业9000人", "已新增7300人", ""),
              ("", "新增创业1000人", "已新增800人", ""), ("环境", "PM2.5浓度下降5%", "下降3%", "")]
    for row, texts in zip(table.rows, values):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "就业"  # w:vMerge restart/continue
    table.cell(3, 2).merge(table.cell(3, 3)).text = "下降3%"  # w:gridSpan=2
    document.add_paragraph("注：数据为初步统计")
    path = tmp_path / "merged.docx"
    document.save(path)
    doc = read_document(path)
    assert [(t.group, t.target, t.progress, t.remark) for t in doc.tasks] == [
        ("就业", "新增就业9000人", "已新增7300人", None),
        ("就业", "新增创业1000人", "已新增800人", None),
        ("环境", "PM2.5浓度下降5%", "下降3%", None),  # the span is written once: no remark
    ]


def test_pdf_table_running_over_pages_is_one_table() -> None:
    pytest.importorskip("reportlab")
    pytest.importorskip("pdfplumber")
    font = cf.cjk_font()
    if font is None:
        pytest.skip("no CJK font for reportlab")
    rows = [["序号", "年度目标", "进展情况"]] + [[str(i), f"完成第{i}项工作任务", f"已完成第{i}项的{i}0%"] for i in range(1, 80)]
    text = "某区任务表\n" + "\n".join("\t".join(r) for r in rows) + "\n"
    blocks = cf.text_blocks(text, "tsv")
    data = cf.to_pdf(blocks, font)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2  # the table does run over a page break
    doc = read_document(data, name="long.pdf")
    assert tasks_of(doc) == tasks_of(read_document(text)) and len(doc.tasks) == 79
    assert doc.tasks[-1].line == len(pdf.pages)  # a PDF task's line is its page


# ------------------------------------------------------------------------------- refused, and extras

@pytest.mark.parametrize("ext, says", [(".doc", ".docx"), (".wps", ".docx"), (".et", ".xlsx")])
def test_legacy_office_files_get_one_line(ext: str, says: str) -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    with pytest.raises(DocumentError) as info:
        read_document(ole2, name=f"report{ext}")
    message = str(info.value)
    assert "\n" not in message and f"report{ext}" in message and f"save it as {says}" in message
    # a Word file named .xls is told by its streams, not its name
    word = ole2 + "WordDocument".encode("utf-16-le")
    with pytest.raises(DocumentError, match=r"save it as \.docx"):
        read_document(word, name="report.xls")


def test_the_content_decides_over_the_name() -> None:
    text = "某区任务表\n序号\t年度目标\t进展情况\n1\t完成A\t已完成A\n"
    for name in ("export.xls", "export.doc", "export.et"):  # systems export TSV under Office names
        doc = read_document(text.encode("gb18030"), name=name)
        assert doc.kind == "tsv" and [(t.target, t.progress) for t in doc.tasks] == [("完成A", "已完成A")], name
    with pytest.raises(DocumentError, match=r"save it as \.docx"):
        read_document(b"\x00\x01binary\xff\xfe\x00", name="r.wps")  # neither OLE2 nor text
    with pytest.raises(DocumentError, match="not a valid .xls"):
        read_document(b"\x00\x01binary\xff\xfe\x00", name="r.xls")
    with pytest.raises(DocumentError, match="not a valid .docx"):
        read_document(text.encode("utf-8"), name="r.docx")
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in ([c for c in line.split("\t")] for line in text.strip().split("\n")):
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    doc = read_document(stream.getvalue(), name="misnamed.docx")  # a workbook under a Word name
    assert doc.kind == "xlsx" and [(t.target, t.progress) for t in doc.tasks] == [("完成A", "已完成A")]


def test_an_rtf_and_a_stray_zip_are_refused_in_one_line() -> None:
    with pytest.raises(DocumentError, match="RTF"):
        read_document(b"{\\rtf1\\ansi hello}", name="r.doc")
    stray = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(stray, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentError, match="neither an .xlsx nor a .docx"):
        read_document(stray.getvalue(), name="upload.zip")
    with pytest.raises(DocumentError, match="not a valid .pdf"):
        read_document(b"hello\nworld\n", name="x.pdf")


@pytest.mark.parametrize("module, ext, data, extra", [
    ("pdfplumber", ".pdf", b"%PDF-1.4\n%%EOF\n", "pdf"),
    ("xlrd", ".xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "xls"),
])
def test_missing_extras_are_named(monkeypatch: pytest.MonkeyPatch, module: str, ext: str, data: bytes, extra: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError) as info:
        read_document(data, name=f"report{ext}")
    assert str(info.value) == f"reading {ext} needs the optional extra: pip install 'perfnlp[{extra}]'"


def test_xls_dates_numbers_and_sheets(tmp_path) -> None:
    xlwt = pytest.importorskip("xlwt")
    pytest.importorskip("xlrd")
    import datetime as dt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("一季度")
    sheet.write(0, 0, "某区2021年绩效任务进展表")
    for c, v in enumerate(["序号", "绩效任务", "年度目标", "截止时间", "进展情况"]):
        sheet.write(1, c, v)
    sheet.write(2, 0, 1.0)
    sheet.write(2, 1, "就业")
    sheet.write(2, 2, "新增就业9000人")
    sheet.write(2, 3, dt.date(2021, 12, 31), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    sheet.write(2, 4, "已新增7300人")
    other = book.add_sheet("二季度")
    other.write(0, 0, "年度目标")
    other.write(0, 1, "进展情况")
    other.write(1, 0, "新建公园3处")
    other.write(1, 1, "已建成2处")
    path = tmp_path / "report.xls"
    book.save(str(path))
    doc = read_document(path)
    assert doc.kind == "xls" and doc.title == "某区2021年绩效任务进展表"
    assert [(t.row, t.group, t.target, t.deadline, t.progress, t.line) for t in doc.tasks] == [
        (1, "就业", "新增就业9000人", "2021-12-31", "已新增7300人", 3),
        (2, None, "新建公园3处", None, "已建成2处", 2),
    ]


def test_a_directory_holds_every_format(tmp_path) -> None:
    """`perfnlp table DIR` reads the new formats too (reports/batch.py picks files by suffix)."""
    from perfnlp.reports.batch import expand

    names = ["a.html", "b.htm", "c.pdf", "d.xls", "e.xlsx", "f.docx", "g.tsv", "notes.bin"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in expand([tmp_path])] == names[:-1]
