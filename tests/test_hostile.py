"""Hostile and damaged files (issue 12): every one ends in a DocumentError (the CLI: exit 2, one line on
stderr), in bounded time and memory; none gives a traceback, a hang or unbounded memory. The files are
made here. Each test is built to fail when its guard is removed: a bomb is measured by the peak memory of
the process that reads it (a child process, its own peak RSS from wait4), a row or string count by the
error naming its limit, parsing time by a ratio (10 times the input, at most 15 times the time).
"""
from __future__ import annotations

import gc
import io
import os
import re
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from conftest import ROOT
from perfnlp.documents import DocumentError, read_document

openpyxl = pytest.importorskip("openpyxl")
docx = pytest.importorskip("docx")

MiB = 1 << 20
MAX_RATIO = 15  # linear: about 10; quadratic: about 100


# ------------------------------------------------------------------------------------- making files

def zip_replace(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The archive with some entries replaced (None: removed) or added."""
    parts = dict(parts)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename in parts:
                value = parts.pop(info.filename)
                if value is not None:
                    archive.writestr(info.filename, value)
            else:
                archive.writestr(info, source.read(info))
        for name, value in parts.items():
            if value is not None:
                archive.writestr(name, value)
    return out.getvalue()


def base_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["某区任务表"])
    sheet.append(["序号", "年度目标", "进展情况"])
    sheet.append([1, "完成A", "已完成A"])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


_SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_SST_TYPE = b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'


def xlsx_with(sheet_data: bytes, *, shared: bytes | None = None, after: bytes = b"", head: bytes = b"") -> bytes:
    """An .xlsx whose one sheet has these <sheetData> rows (and what follows them), and these shared strings."""
    base = base_xlsx()
    sheet = _SHEET_HEAD + head + b"<sheetData>" + sheet_data + b"</sheetData>" + after + b"</worksheet>"
    parts: dict[str, bytes | None] = {"xl/worksheets/sheet1.xml": sheet}
    if shared is not None:
        types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml")
        parts["[Content_Types].xml"] = types.replace(b"</Types>", _SST_TYPE + b"</Types>")
        parts["xl/sharedStrings.xml"] = shared
    return zip_replace(base, parts)


def shared_strings(*texts: str) -> bytes:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>'.encode()


GOOD_ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c></row>'
             '<row r="3"><c r="A3"><v>1</v></c><c r="B3" t="s"><v>4</v></c><c r="C3" t="s"><v>5</v></c></row>')
BAD_XLSX = r"(damaged|not a valid) \.xlsx"
GOOD_STRINGS = shared_strings("某区任务表", "序号", "年度目标", "进展情况", "完成A", "已完成A")


def base_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("某区任务表")
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [("序号", "年度目标", "进展情况"), ("1", "完成A", "已完成A"),
                                        ("2", "完成B", "已完成B")]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def docx_edited(edit) -> bytes:  # type: ignore[no-untyped-def]
    """The base .docx with its document.xml passed through `edit` (str → str)."""
    base = base_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml").decode("utf-8")
    return zip_replace(base, {"word/document.xml": edit(xml).encode("utf-8")})


def zip_with_raw_entry(base: bytes, name: str, body: bytes, crc: int, size: int, *, declared: int | None = None) -> bytes:
    """The archive with the entry `name` replaced by an already deflated body, its header saying `declared`
    bytes (the truth by default: a lie makes the bomb that declares itself small)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info, source.read(info))
        info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size, info.file_size = crc, len(body), declared if declared is not None else size
        # write the local header and body by hand: zipfile would compress again
        archive.fp.seek(archive.start_dir)  # type: ignore[union-attr]
        info.header_offset = archive.start_dir
        archive.fp.write(info.FileHeader(zip64=info.file_size > 0xFFFFFFFF))  # type: ignore[union-attr]
        archive.fp.write(body)  # type: ignore[union-attr]
        archive.start_dir = archive.fp.tell()  # type: ignore[union-attr]
        archive.filelist.append(info)
        archive.NameToInfo[name] = info
    return out.getvalue()


# ---------------------------------------------------------------------------------------- running

# The CLI, run in a child that writes its own peak resident memory (VmHWM, reset by exec, unlike the
# rusage of a child forked from this large test process) to a file when it ends.
_CHILD = """
import os, runpy, sys
sys.argv = ["perfnlp", "table", os.environ["HOSTILE_FILE"]]
try:
    runpy.run_module("perfnlp", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")).split()[1])
"""


def run_cli(path: Path, timeout: float = 120) -> tuple[int, str, float, int]:
    """`python -m perfnlp table PATH` in a child: exit code, stderr, seconds, and the child's peak RSS in
    bytes (0 where /proc is not there to tell)."""
    peak_file = path.with_name(path.name + ".peak")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HOSTILE_FILE": str(path), "PEAK_FILE": str(peak_file)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, env=env, timeout=timeout)
    seconds = time.perf_counter() - started
    peak = int(peak_file.read_text()) * 1024 if peak_file.is_file() else 0
    return done.returncode, done.stderr.decode("utf-8", "replace"), seconds, peak


def assert_refused(path: Path, says: str, *, most_seconds: float = 60, most_bytes: int = 400 * MiB) -> None:
    """The CLI refuses the file with exit 2 and one line naming the reason, within time and memory."""
    code, err, seconds, peak = run_cli(path, timeout=most_seconds * 2)
    assert code == 2, (code, err[-2000:])
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err[-2000:]
    assert re.search(says, err), err
    assert seconds < most_seconds, f"{seconds:.1f} s"
    assert peak < most_bytes, f"peak RSS {peak / MiB:.0f} MiB"


def refused(data: bytes, name: str, says: str) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        read_document(data, name=name)
    message = str(info.value)
    assert "\n" not in message and name in message, message
    assert re.search(says, message), message
    return info.value


def best_times(call, small: str, large: str, runs: int = 3) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Best of `runs` runs of each input, taken in turn (a burst of load elsewhere then slows both sizes, not
    one), the garbage collector held off while a run is timed (it is not what is measured)."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for index, text in enumerate((small, large)):
            gc.collect()
            gc.disable()
            try:
                started = time.perf_counter()
                call(text)
                best[index] = min(best[index], time.perf_counter() - started)
            finally:
                gc.enable()
    return best[0], best[1]


def time_ratio(call, small: str, large: str, runs: int = 3) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """(ratio, small time, large time), measured up to three times while the ratio is over MAX_RATIO: other
    processes on a shared machine slow some runs; a quadratic reader is over it every time."""
    found = (float("inf"), 0.0, 0.0)
    for _ in range(3):
        small_time, large_time = best_times(call, small, large, runs)
        found = min(found, (large_time / max(small_time, 1e-4), small_time, large_time))
        if found[0] < MAX_RATIO:
            break
    return found


# ----------------------------------------------------------------------------------------- .xlsx

def test_the_hand_made_xlsx_reads() -> None:
    """The builder's sheet is a good one: what the damaged variants below break is all that is wrong."""
    doc = read_document(xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS), name="good.xlsx")
    assert doc.title == "某区任务表" and [(t.target, t.progress) for t in doc.tasks] == [("完成A", "已完成A")]


@pytest.mark.parametrize("rows, says", [
    (GOOD_ROWS.replace("<v>5</v>", "<v>99999</v>"), "damaged .xlsx.*IndexError"),  # shared string out of range
    (GOOD_ROWS.replace("<v>5</v>", "<v>-7x</v>"), BAD_XLSX),
    (GOOD_ROWS.replace('r="C3"', 'r="3C"'), BAD_XLSX),  # bad cell references
    (GOOD_ROWS.replace('r="C3"', 'r="ZZZZ3"'), BAD_XLSX),
    (GOOD_ROWS.replace('r="C3"', 'r="C-3"'), BAD_XLSX),
    (GOOD_ROWS.replace('<row r="3">', '<row r="three">'), BAD_XLSX),
    (GOOD_ROWS[: len(GOOD_ROWS) // 2], BAD_XLSX),  # bad sheet XML: cut off
    (GOOD_ROWS.replace("</c></row>", "</row>", 1), BAD_XLSX),  # bad sheet XML: mismatched tags
])
def test_damaged_xlsx(rows: str, says: str) -> None:
    refused(xlsx_with(rows.encode(), shared=GOOD_STRINGS), "bad.xlsx", says)


def test_damaged_xlsx_parts_outside_the_sheet() -> None:
    good = xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS)
    refused(zip_replace(good, {"xl/workbook.xml": b"<workbook"}), "bad.xlsx", "not a valid .xlsx")
    refused(zip_replace(good, {"xl/sharedStrings.xml": b"<sst><si><t>x</t>"}), "bad.xlsx", "not a valid .xlsx")
    refused(zip_replace(good, {"xl/worksheets/sheet1.xml": None}), "bad.xlsx", "not a valid .xlsx")
    refused(good[: len(good) // 2], "bad.xlsx", "not a valid .xlsx")  # a truncated archive
    merged = xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS, after=b'<mergeCells><mergeCell ref="A1:?"/></mergeCells>')
    refused(merged, "bad.xlsx", BAD_XLSX)


def test_a_row_past_excels_last_row_is_damage(tmp_path: Path) -> None:
    """The row number of a sheet decides how many empty rows openpyxl yields before it: bounded by Excel's
    1,048,576 (without the guard, two billion empty rows: a hang, so it runs in a child with a timeout)."""
    rows = GOOD_ROWS + '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'
    path = tmp_path / "far.xlsx"
    path.write_bytes(xlsx_with(rows.encode(), shared=GOOD_STRINGS))
    assert_refused(path, "sheet_rows", most_seconds=30)


def test_a_dimension_claiming_the_whole_sheet_pads_nothing() -> None:
    """<dimension ref="A1:XFD1048576"> would make openpyxl pad every row to 16,384 cells and yield a
    million rows; the sheet is read as the cells it has."""
    head = b'<dimension ref="A1:XFD1048576"/>'
    started = time.perf_counter()
    doc = read_document(xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS, head=head), name="wide.xlsx")
    assert [(t.target, t.progress) for t in doc.tasks] == [("完成A", "已完成A")]
    assert time.perf_counter() - started < 10


def test_rows_stream_and_stop_at_the_rows_limit(tmp_path: Path) -> None:
    """150,000 rows: reading stops at the rows limit (100,000), holding only the rows read so far (the
    reading process stays small; a reader that loaded the sheet whole, or read on past the limit, would not
    stop with this error)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>{i * 7}</v></c></row>' for i in range(1, 150_001))
    path = tmp_path / "long.xlsx"
    path.write_bytes(xlsx_with(rows.encode()))
    assert_refused(path, r"more than 100000 table rows \(the rows limit\)", most_seconds=60, most_bytes=250 * MiB)


def test_a_million_cells_wide_row_is_refused() -> None:
    """A cell in the last column of every row: each row is 16,384 cells wide once read."""
    rows = "".join(f'<row r="{i}"><c r="XFD{i}"><v>1</v></c></row>' for i in range(1, 200))
    refused(xlsx_with(rows.encode()), "wide.xlsx", "cells limit|columns")


def test_a_shared_string_table_over_its_limit_is_refused_before_it_is_built() -> None:
    """600,000 strings (13 MB, ordinarily compressed): counted, not built (openpyxl builds them at ~15 µs
    each and holds every one)."""
    strings = shared_strings(*(str(i) for i in range(600_000)))
    data = xlsx_with(GOOD_ROWS.encode(), shared=strings)
    started = time.perf_counter()
    refused(data, "strings.xlsx", r"more than 500000 shared strings \(the shared_strings limit\)")
    assert time.perf_counter() - started < 10


@pytest.fixture(scope="module")
def shared_strings_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's bomb: a few hundred KB of .xlsx whose shared-string table inflates to 400 MB of tiny
    strings (it took 80 s and 1 GB)."""
    piece = b"<si><t>x</t></si>" * (MiB // 16)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body, crc, size = [compressor.compress(head)], zlib.crc32(head), len(head)
    for _ in range(400):
        body.append(compressor.compress(piece))
        crc, size = zlib.crc32(piece, crc), size + len(piece)
    body.append(compressor.compress(b"</sst>") + compressor.flush())
    crc, size = zlib.crc32(b"</sst>", crc), size + 6
    base = xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS)
    data = zip_with_raw_entry(base, "xl/sharedStrings.xml", b"".join(body), crc, size)
    assert len(data) < 2 * MiB
    path = tmp_path_factory.mktemp("bombs") / "strings-bomb.xlsx"
    path.write_bytes(data)
    return path


def test_shared_strings_bomb(shared_strings_bomb: Path) -> None:
    assert_refused(shared_strings_bomb, r"sharedStrings.xml (holds|is compressed)", most_seconds=20, most_bytes=300 * MiB)


@pytest.fixture(scope="module")
def three_million_rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 3_000_001)).encode()
    path = tmp_path_factory.mktemp("bombs") / "three-million-rows.xlsx"
    path.write_bytes(xlsx_with(rows))
    return path


def test_a_three_million_row_sheet(three_million_rows: Path) -> None:
    """135 MB of sheet: refused from its declared size before a row is parsed; were it smaller, the rows
    limit would stop it (test_rows_stream_and_stop_at_the_rows_limit)."""
    assert_refused(three_million_rows, r"sheet1.xml holds \d+ bytes uncompressed, over the limit", most_seconds=30,
                   most_bytes=300 * MiB)


def test_a_part_parsed_whole_is_bounded() -> None:
    """openpyxl parses styles.xml whole and slowly (200,000 cell formats: 8 s); python-docx parses every part
    whole into memory (60 MiB of document.xml: 535 MB). Such parts are bounded by xml_part_bytes (32 MiB);
    an .xlsx's sheets and shared strings, read in pieces, by zip_member_bytes (and their own counts)."""
    base = xlsx_with(GOOD_ROWS.encode(), shared=GOOD_STRINGS)
    styles = zipfile.ZipFile(io.BytesIO(base)).read("xl/styles.xml").decode()
    xfs = "".join(f'<xf numFmtId="{(i * 7919) % 200}" fontId="0" fillId="0" borderId="0" xfId="0"/>' for i in range(600_000))
    big = styles.replace("<cellXfs", f'<cellXfs count="600000">{xfs}<cellXfs', 1).encode()
    assert len(big) > 32 * MiB
    started = time.perf_counter()
    refused(zip_replace(base, {"xl/styles.xml": big}), "styles.xlsx", r"styles.xml holds \d+ bytes of XML.*xml_part_bytes")
    assert time.perf_counter() - started < 10
    paragraphs = "".join(f"<w:p><w:r><w:t>第{i}段：全年促进就业{i * 7}人。</w:t></w:r></w:p>" for i in range(700_000))
    refused(docx_edited(lambda xml: xml.replace("<w:body>", "<w:body>" + paragraphs, 1)), "long.docx", "xml_part_bytes")


def test_an_archive_of_too_many_entries_is_refused_from_its_end_record() -> None:
    """20,000 entries: refused from the count the archive's end record gives, before zipfile makes an
    object for each (a few million of them would fill memory)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base_xlsx())) as source, zipfile.ZipFile(stream, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for i in range(20_000):
            archive.writestr(f"xl/media/{i}.bin", b"")
    from perfnlp.documents import limits

    real = zipfile.ZipFile

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the archive was opened before its entries were counted")

    try:
        zipfile.ZipFile = counted  # type: ignore[misc]
        refused(stream.getvalue(), "many.xlsx", r"20\d{3} entries in the archive, over the limit of 10000 \(zip_members\)")
        refused(stream.getvalue(), "many.zip", "zip_members")
    finally:
        zipfile.ZipFile = real  # type: ignore[misc]
    assert limits.limits().zip_members == 10000


def test_an_xlsx_with_a_dtd_is_refused() -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&d;</t></si></sst>')
    refused(xlsx_with(GOOD_ROWS.encode(), shared=laughs), "laughs.xlsx", "declares a DTD")
    hidden = b"<?xml version='1.0'?>" + b"<!-- " + b"x" * 70_000 + b" --><!DOCTYPE x []><sst/>"
    refused(xlsx_with(GOOD_ROWS.encode(), shared=hidden), "hidden.xlsx", "DTD")


def test_a_merged_range_as_large_as_the_sheet() -> None:
    rows = GOOD_ROWS + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(4, 2000))
    after = b'<mergeCells>' + b'<mergeCell ref="A1:XFD1048576"/>' * 2000 + b'</mergeCells>'
    started = time.perf_counter()
    refused(xlsx_with(rows.encode(), shared=GOOD_STRINGS, after=after), "merged.xlsx", "cells limit")
    assert time.perf_counter() - started < 20


# ----------------------------------------------------------------------------------------- .docx

def test_damaged_docx_spans_read_as_word_repairs_them() -> None:
    def damage(xml: str) -> str:
        rows = xml.split("<w:tr>")
        # row 2: its first cell continues a vertical merge that never started; its second spans "-3" columns
        rows[2] = rows[2].replace("<w:tcPr>", '<w:tcPr><w:vMerge/>', 1)
        rows[2] = rows[2].replace('<w:tcW w:type="dxa" w:w="2880"/></w:tcPr><w:p><w:r><w:t>完成A',
                                  '<w:tcW w:type="dxa" w:w="2880"/><w:gridSpan w:val="-3"/></w:tcPr><w:p><w:r><w:t>完成A')
        # row 3: a span that is not a number, and a bad gridBefore
        rows[3] = rows[3].replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="x"/>', 1)
        rows[3] = '<w:trPr><w:gridBefore w:val="zz"/></w:trPr>' + rows[3]
        return "<w:tr>".join(rows)

    doc = read_document(docx_edited(damage), name="damaged.docx")
    assert [(t.row, t.target, t.progress) for t in doc.tasks] == [(1, "完成A", "已完成A"), (2, "完成B", "已完成B")]


@pytest.mark.parametrize("edit, says", [
    (lambda xml: xml.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="99999999"/>', 1), "columns"),
    (lambda xml: xml.replace('<w:tblGrid>', '<w:tblGrid><w:gridCol w:w="1"', 1), "not a valid .docx"),
    (lambda xml: xml[: len(xml) // 2], "not a valid .docx"),
])
def test_damaged_docx_refused(edit, says: str) -> None:  # type: ignore[no-untyped-def]
    refused(docx_edited(edit), "bad.docx", says)


def test_a_docx_with_a_million_spanned_cells() -> None:
    span = '<w:tcPr><w:gridSpan w:val="1999"/></w:tcPr>'
    row = f"<w:tr><w:tc>{span}<w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>"

    def many(xml: str) -> str:
        return xml.replace("</w:tbl>", row * 1000 + "</w:tbl>")

    refused(docx_edited(many), "spans.docx", "cells limit")


@pytest.fixture(scope="module")
def docx_bombs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A .docx whose document.xml inflates to 1 GiB of spaces (4.7 MB of file), once honest about its size
    and once declaring 4 KiB."""
    folder = tmp_path_factory.mktemp("bombs")
    base = base_docx()
    xml = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml")
    # 1 GiB of spaces before the real document.xml (whitespace XML allows there), deflated in pieces
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    piece = b" " * MiB
    parts, crc = [], 0
    for _ in range(1024):
        parts.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
    parts.append(compressor.compress(xml) + compressor.flush())
    crc = zlib.crc32(xml, crc)
    size = (1 << 30) + len(xml)
    stream = b"".join(parts)
    honest = folder / "bomb.docx"
    honest.write_bytes(zip_with_raw_entry(base, "word/document.xml", stream, crc, size))
    liar = folder / "liar.docx"
    liar.write_bytes(zip_with_raw_entry(base, "word/document.xml", stream, crc, size, declared=4096))
    return honest, liar


def test_docx_zip_bomb(docx_bombs: tuple[Path, Path]) -> None:
    honest, liar = docx_bombs
    assert honest.stat().st_size < 8 * MiB
    assert_refused(honest, r"document.xml (holds|is compressed)", most_seconds=20, most_bytes=300 * MiB)


def test_docx_zip_bomb_that_declares_itself_small(docx_bombs: tuple[Path, Path]) -> None:
    """Its declared 4 KiB passes the size checks; read in bounded pieces, its CRC gives it away (a whole
    read of it would inflate the full GiB first)."""
    _, liar = docx_bombs
    assert_refused(liar, r"not a valid \.docx file", most_seconds=40, most_bytes=300 * MiB)


# ----------------------------------------------------------------------------------------- tables

def test_a_row_number_of_5000_digits() -> None:
    """int() refuses strings of over 4,300 digits: such a 序号 is no row number; the row counts in order."""
    text = "某区任务表\n序号\t年度目标\t进展情况\n" + "9" * 5000 + "\t完成A\t已完成A\n2\t完成B\t已完成B\n"
    doc = read_document(text)
    assert [(t.row, t.target) for t in doc.tasks] == [(1, "完成A"), (2, "完成B")]
    book = openpyxl.Workbook()
    book.active.append(["序号", "年度目标", "进展情况"])
    book.active.append(["9" * 5000, "完成A", "已完成A"])
    stream = io.BytesIO()
    book.save(stream)
    assert read_document(stream.getvalue(), name="digits.xlsx").tasks[0].row == 1


# ------------------------------------------------------------------------------------------ HTML

def _unclosed_attributes(n: int) -> str:
    return "<p>" + "<a x='" * n


_TIMED = """
import gc, sys, time
from perfnlp.documents import html_to_text, read_document
readers = {
    "fragment": html_to_text,
    "page": lambda s: read_document(s + "\\n", name="page.html"),
    "tsv-cell": lambda s: read_document("序号\\t年度目标\\t进展情况\\n1\\t" + s + "\\t已完成\\n"),
}
read = readers[sys.argv[1]]
texts = ["<p>" + "<a x='" * n for n in (10_000, 100_000)]
found = None
for attempt in range(3):  # measured again while over the ratio: a shared machine slows some runs
    best = [float("inf")] * 2
    for _ in range(3):
        for index, text in enumerate(texts):
            gc.collect(); gc.disable()
            started = time.perf_counter(); read(text); best[index] = min(best[index], time.perf_counter() - started)
            gc.enable()
    if found is None or best[1] / best[0] < found[1] / found[0]:
        found = best
    if found[1] / found[0] < 15:
        break
print(*found)
"""


@pytest.mark.parametrize("reader", ["fragment", "page", "tsv-cell"])
def test_html_parsing_is_linear(reader: str) -> None:
    """<p> then <a x=' × n: html.parser's close() re-reads the rest from every '<' (× 8,000 took 6.6 s, ×
    100,000 minutes). Timed in a child, so that a quadratic parser fails on the timeout instead of hanging."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        done = subprocess.run([sys.executable, "-c", _TIMED, reader], capture_output=True, text=True, env=env,
                              timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("100,000 unclosed attributes took over two minutes: quadratic parsing")
    assert done.returncode == 0, done.stderr[-2000:]
    small, large = (float(x) for x in done.stdout.split())
    assert large / max(small, 1e-4) < MAX_RATIO, f"{small:.3f} s → {large:.3f} s"


@pytest.mark.parametrize("unit, small_n", [("<!--", 10_000), ("<a b", 10_000), ("</a b", 10_000), ("<![CDATA[", 10_000),
                                           ("<a x='>'", 10_000), ("<table><tr><td>", 1_000), ("<td rowspan=5>", 4_000),
                                           ("<td>x<tbody>", 4_000), ("<td><b><i>", 4_000)])
def test_other_unclosed_constructs_are_linear(unit: str, small_n: int) -> None:
    def page(n: int) -> str:
        return "<html><body><table><tr><td>年度目标</td><td>进展情况</td></tr>\n" + unit * n

    ratio, small, large = time_ratio(read_document, page(small_n), page(10 * small_n))
    assert ratio < MAX_RATIO, f"{unit}: {small:.3f} s → {large:.3f} s"


def test_html_spans_are_bounded() -> None:
    rows = "<tr></tr>" * 5000
    data = f"<table><tr><td colspan=1000 rowspan=65534>x</td><td>y</td></tr><tr><td>z</td><td>w</td></tr>{rows}</table>"
    started = time.perf_counter()
    refused(data.encode(), "spans.html", "cells limit")  # 1,001 cells a row once expanded
    assert time.perf_counter() - started < 10
    refused(("<table>" + "<tr><td colspan=1000>a</td><td colspan=1000>b</td><td>c</td></tr>" * 2 + "</table>").encode(),
            "wide.html", "columns")


def test_deeply_nested_tables_do_not_recurse() -> None:
    def page(n: int) -> str:
        return "<html><body>" + "<table><tr><td>" * n + "全年促进就业19275人,完成年度目标的160.6%。" + "\n"

    doc = read_document(page(20_000))  # far past Python's recursion limit
    assert [t.progress for t in doc.tasks] == ["全年促进就业19275人,完成年度目标的160.6%"]
    ratio, small, large = time_ratio(read_document, page(1_000), page(10_000))
    assert ratio < MAX_RATIO, f"{small:.3f} s → {large:.3f} s"


# -------------------------------------------------------------------------------- the command line

@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "strings.xlsx": (xlsx_with(GOOD_ROWS.replace("<v>5</v>", "<v>99999</v>").encode(), shared=GOOD_STRINGS), "IndexError"),
        "sheet.xlsx": (xlsx_with(GOOD_ROWS[:100].encode(), shared=GOOD_STRINGS), BAD_XLSX),
        "cells.xlsx": (xlsx_with(GOOD_ROWS.replace('r="C3"', 'r="3C"').encode(), shared=GOOD_STRINGS), BAD_XLSX),
        "spans.docx": (docx_edited(lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="99999999"/>', 1)), "columns"),
        "cut.docx": (base_docx()[:3000], "not a valid .docx"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, r"save it as \.docx"),
        "broken.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ntrailer<</Root 1 0 R>>\n%%EOF", "PDF"),
        "broken.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le") + b"\x00" * 600, r"\.xls"),
        "spans.html": (("<table>" + "<tr><td colspan=1000>a</td><td colspan=1000>b</td><td>c</td></tr>" * 2 + "</table>").encode(), "columns"),
    }
    out = {}
    for name, (data, says) in files.items():
        path = folder / name
        path.write_bytes(data)
        out[name] = (path, says)
    return out


@pytest.mark.parametrize("name", ["strings.xlsx", "sheet.xlsx", "cells.xlsx", "spans.docx", "cut.docx", "old.doc",
                                  "broken.pdf", "broken.xls", "spans.html"])
def test_cli_exits_2_with_one_line(hostile_files: dict[str, tuple[Path, str]], name: str) -> None:
    path, says = hostile_files[name]
    if name.endswith(".pdf"):
        pytest.importorskip("pdfplumber")
    if name.endswith(".xls"):
        pytest.importorskip("xlrd")
    assert_refused(path, says, most_seconds=60)


def test_cli_reads_the_slow_html_quickly(tmp_path: Path) -> None:
    path = tmp_path / "slow.html"
    path.write_text("<html><body>" + _unclosed_attributes(100_000), encoding="utf-8")
    code, err, seconds, _ = run_cli(path, timeout=60)
    assert code in (0, 2) and "Traceback" not in err and seconds < 30, (code, err[-500:], seconds)


@pytest.mark.parametrize("char", ["𝐀", "𝟎", "一", "年", "0"])
def test_a_text_of_one_numeral_or_symbol_repeated_is_read_in_bounded_memory(char: str) -> None:
    # the survey of a text (which of the characters a reader looks for it holds) made one string per such
    # character before keeping one of each: beyond Latin-1 that is about 80 bytes a character, 84 MB for a
    # text of a million 𝐀 (a mathematical letter, in the range where the digits of other scripts are looked for)
    import tracemalloc

    from perfnlp import extract_quantities

    text = char * 1_000_000
    extract_quantities(char * 3)  # patterns and lexicons made beforehand
    tracemalloc.start()
    try:
        extract_quantities(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MiB + len(text) * 2, f"{peak / MiB:.1f} MiB"
