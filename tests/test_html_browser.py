"""The HTML report in a real browser: headless Chromium renders seed 000's report, its DOM holds one element
per target item with the right status, and a screenshot comes out. Needs the Debian packages chromium and
chromium-driver (CI installs them); skipped, saying so, when no chromium binary is on PATH."""
from __future__ import annotations

import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import perfnlp
from perfnlp.views.html import report_html

SEED_000 = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b301461eb80dab25.txt"
TIMEOUT = 120  # seconds; a cold Chromium start on a busy CI runner takes a few


def _chromium() -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("no chromium binary on PATH (Debian: apt-get install chromium chromium-driver)")
    return binary


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A fresh profile and no background traffic: the page must render from the file alone.
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)


class _Items(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if "data-status" in found and "item" in (found.get("class") or "").split():
            self.statuses.append(found["data-status"] or "")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[perfnlp.Report, Path]:
    if not SEED_000.is_file():
        pytest.skip(f"seed 000 is not at {SEED_000}")
    report = perfnlp.assess_document(SEED_000)
    out = tmp_path_factory.mktemp("html") / "report.html"
    out.write_text(report_html(report), encoding="utf-8")
    return report, out


def test_dom_in_chromium(page: tuple[perfnlp.Report, Path], tmp_path: Path):
    binary = _chromium()
    report, out = page
    result = _run_chromium(binary, tmp_path / "profile", "--dump-dom", out.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = _Items()
    dom.feed(result.stdout)
    assert "body" in dom.tags and "script" not in dom.tags
    assert len(dom.statuses) == len(report.rows)
    assert dom.statuses == [row.status for row in report.rows]
    assert report.titles[0] in result.stdout


def test_screenshot_in_chromium(page: tuple[perfnlp.Report, Path], tmp_path: Path):
    binary = _chromium()
    _, out = page
    shot = tmp_path / "report.png"
    result = _run_chromium(binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000",
                           out.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.is_file()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk follows the signature
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a blank 1280×2000 page compresses to a few kB; the report is far busier
