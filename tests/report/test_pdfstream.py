"""The streamed save writes exactly stock reportlab's bytes, keeps the stock save for unusual documents, and lets a
write failure in the middle of the save reach the export."""

from __future__ import annotations

import errno
import io
import os
import random
from pathlib import Path
from typing import Any

import pytest

from selfcheck.errors import ReportError
from selfcheck.report import pdfstream
from selfcheck.report.export import export_report
from selfcheck.report.pdf import build_pdf
from selfcheck.report.pdfstream import streamed
from tests.report.factory import Sample
from tests.report.fixtures import SchoolKey


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    """reportlab's invariant mode: fixed creation date and document ID, so two saves can be compared byte for byte
    (with reportlab's own deflate level)."""
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "invariant", 1)
    monkeypatch.setattr(pdfstream, "DEFLATE_LEVEL", None)


class _Spy:
    """Counts streamed saves and the images whose data was written from their own bytes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.saves = 0
        self.holes = 0
        real_format, real_hole = pdfstream._format_streamed, pdfstream._Hole.format

        def format_streamed(*args: Any) -> bytes:
            self.saves += 1
            return real_format(*args)

        def hole(this: Any, document: Any) -> bytes:
            self.holes += 1
            return real_hole(this, document)

        monkeypatch.setattr(pdfstream, "_format_streamed", format_streamed)
        monkeypatch.setattr(pdfstream._Hole, "format", hole)


def _stock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfstream, "_streamable", lambda doc, out: False)


def test_the_streamed_report_is_byte_identical_to_stock_reportlab(invariant: None, sample: Sample, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    spy = _Spy(monkeypatch)
    with (tmp_path / "streamed.pdf").open("w+b") as handle:
        streamed_pages = build_pdf(sample.data, sample.photo_loader, output=handle).pages
    assert spy.saves == 1
    assert spy.holes == len(sample.jpegs)  # every photo written straight from its bytes

    with monkeypatch.context() as stock:
        _stock(stock)
        with (tmp_path / "stock.pdf").open("w+b") as handle:
            stock_pages = build_pdf(sample.data, sample.photo_loader, output=handle).pages
    assert spy.saves == 1

    streamed_bytes, stock_bytes = (tmp_path / "streamed.pdf").read_bytes(), (tmp_path / "stock.pdf").read_bytes()
    assert streamed_pages == stock_pages
    assert len(streamed_bytes) > sum(map(len, sample.jpegs.values()))
    assert streamed_bytes == stock_bytes
    # Into memory (build_pdf without `output`) it streams as well, to the same bytes.
    assert build_pdf(sample.data, sample.photo_loader).pdf == stock_bytes
    assert spy.saves == 2


def _noise_jpeg(width: int, height: int) -> bytes:
    from PIL import Image

    rng = random.Random(3)
    image = Image.frombytes("RGB", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _draw(canvas: Any, big: bytes, small: bytes) -> None:
    from reportlab.lib.utils import ImageReader

    canvas.setTitle("streamed")
    canvas.drawString(72, 720, "page one")
    canvas.drawImage(ImageReader(io.BytesIO(big)), 72, 300, 400, 300)
    canvas.drawImage(ImageReader(io.BytesIO(small)), 72, 100, 40, 30)
    canvas.showPage()
    canvas.drawString(72, 720, "page two, the big image again")
    canvas.drawImage(ImageReader(io.BytesIO(big)), 72, 300, 200, 150)
    canvas.showPage()


class _Trickle(io.RawIOBase):
    """A raw file that takes at most 10,000 bytes per write (partial writes, as raw files may do)."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.calls = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.calls += 1
        chunk = bytes(b[:10_000])
        self.data += chunk
        return len(chunk)


def test_a_plain_canvas_streams_the_same_bytes_through_partial_writes(invariant: None,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfgen.canvas import Canvas

    big, small = _noise_jpeg(400, 300), _noise_jpeg(16, 12)
    assert len(big) > pdfstream._DIRECT > len(small)
    spy = _Spy(monkeypatch)
    trickle = _Trickle()
    canvas = Canvas(trickle)
    _draw(canvas, big, small)
    with streamed(canvas) as streaming:
        canvas.save()
    assert streaming and spy.saves == 1 and spy.holes == 1
    assert "format" not in vars(canvas._doc)

    stock = io.BytesIO()
    canvas = Canvas(stock)
    _draw(canvas, big, small)
    canvas.save()
    assert bytes(trickle.data) == stock.getvalue()
    assert trickle.calls > len(trickle.data) // 10_000


def _encrypted(canvas: Any, tmp_path: Path) -> None:
    canvas.setEncrypt("secret")


def _comments(canvas: Any, tmp_path: Path) -> None:
    from reportlab import rl_config

    rl_config.invariant, rl_config.pdfComments = 0, 1


def _to_a_file_name(canvas: Any, tmp_path: Path) -> None:
    canvas._filename = str(tmp_path / "named.pdf")


def _signed_by_reportlab(canvas: Any, tmp_path: Path) -> None:
    canvas._doc._digiSigs = [object()]


@pytest.mark.parametrize("unusual", [_encrypted, _comments, _to_a_file_name, _signed_by_reportlab])
def test_unusual_documents_keep_the_stock_save(unusual: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    monkeypatch.setattr(rl_config, "invariant", rl_config.invariant)
    monkeypatch.setattr(rl_config, "pdfComments", rl_config.pdfComments)
    canvas = Canvas(io.BytesIO())
    canvas.drawString(72, 720, "text")
    unusual(canvas, tmp_path)
    with streamed(canvas) as streaming:
        assert not streaming
        assert "format" not in vars(canvas._doc)


class _FullDisk(io.BufferedRandom):
    """A file on a disk that fills up after `limit` bytes."""

    def __init__(self, raw: io.RawIOBase, limit: int) -> None:
        super().__init__(raw)
        self.limit = limit
        self.accepted = 0

    def write(self, b: Any) -> int:
        if self.accepted + len(b) > self.limit:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.accepted += len(b)
        return super().write(b)


def test_a_write_failure_in_the_middle_of_the_save_propagates(sample: Sample, tmp_path: Path) -> None:
    with _FullDisk(io.FileIO(tmp_path / "full.pdf", "w+"), limit=500_000) as handle:
        with pytest.raises(OSError) as raised:
            build_pdf(sample.data, sample.photo_loader, output=handle)
        assert raised.value.errno == errno.ENOSPC
        assert handle.accepted > 0  # it failed part-way: stock reportlab's single write would have failed whole


def test_a_full_disk_during_the_save_fails_the_export_and_keeps_the_older_report(
        sample: Sample, school_key: SchoolKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from selfcheck.report import export

    handles: list[_FullDisk] = []
    real_fdopen = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode != "w+b":
            return real_fdopen(fd, mode, *args, **kwargs)
        handles.append(_FullDisk(io.FileIO(fd, "r+"), limit=500_000))
        return handles[-1]

    monkeypatch.setattr(export.os, "fdopen", fdopen)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"older report")
    with pytest.raises(ReportError, match="无法写入报告文件"):
        export_report(sample.data, sample.photo_loader, out, key_path=school_key.p12, password=school_key.password)
    assert len(handles) == 1 and handles[0].accepted > 0 and handles[0].closed
    assert out.read_bytes() == b"older report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_at_the_faster_deflate_level_every_object_holds_what_stock_reportlab_writes(
        invariant: None, sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only how hard the text pages and fonts are deflated differs: the same objects, dictionaries and (inflated)
    stream contents as stock reportlab's report."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    monkeypatch.setattr(pdfstream, "DEFLATE_LEVEL", 1)
    fast = build_pdf(sample.data, sample.photo_loader).pdf
    with monkeypatch.context() as stock:
        _stock(stock)
        slow = build_pdf(sample.data, sample.photo_loader).pdf
    assert fast != slow
    fast_pdf, slow_pdf = PdfFileReader(io.BytesIO(fast)), PdfFileReader(io.BytesIO(slow))
    count = int(slow_pdf.trailer["/Size"])
    assert int(fast_pdf.trailer["/Size"]) == count
    deflated = 0
    for number in range(1, count):
        a = fast_pdf.get_object(generic.Reference(number, 0))
        b = slow_pdf.get_object(generic.Reference(number, 0))
        assert type(a) is type(b)
        if isinstance(a, generic.StreamObject):
            filters = a.get("/Filter")
            names = list(filters) if isinstance(filters, generic.ArrayObject) else [filters]
            if "/DCTDecode" in names:
                assert a.encoded_data == b.encoded_data  # a photo, as stored
            else:
                assert a.data == b.data  # inflated
            assert {k: v for k, v in a.items() if k != "/Length"} == {k: v for k, v in b.items() if k != "/Length"}
            deflated += "/FlateDecode" in names
        else:
            assert a == b
    assert deflated > 10  # the pages and font programs
