"""The signature's digest continued from the hash taken while the unsigned report was written: the same signature
when the hash is the file's, pyHanko's own digest when it is not the whole unsigned file, and never a valid
signature over bytes other than the file's."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest

from selfcheck.report.fonts import report_fonts, stamp_font_file
from selfcheck.report.pdf import BuiltPdf, build_pdf
from selfcheck.signing.appearance import AppearanceText, make_stamp_style
from selfcheck.signing.keys import load_key, read_certificates
from selfcheck.signing.prefix_digest import PrefixHash
from selfcheck.signing.sign import sign_pdf_in_place
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_bytes
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey


class PartialFile(io.BytesIO):
    """A file that takes at most 10 bytes per write (as a raw file may)."""

    def write(self, data: Any) -> int:
        return super().write(bytes(data)[:10])


@pytest.fixture(scope="module")
def unsigned() -> BuiltPdf:
    small = make_sample(photos=3, photo_size=(320, 240))
    return build_pdf(small.data, small.photo_loader)


def _sign(stream: io.BytesIO, built: BuiltPdf, school_key: SchoolKey, prefix: PrefixHash | None) -> bytes:
    text = AppearanceText(school="某某市第一中学", principal="王建国", date_text="2026年10月20日", time_text="10:00:00")
    style = make_stamp_style(text, stamp_font_file(report_fonts().stamp_face(), "某某市第一中学王建国"))
    sign_pdf_in_place(stream, load_key(school_key.p12, school_key.password), page=built.signature.page,
                      box=built.signature.box, stamp_style=style, prefix=prefix)
    return stream.getvalue()


def _signature(pdf: bytes, school_key: SchoolKey) -> Any:
    result = verify_bytes(pdf, pins_from_certificates(read_certificates(school_key.cer)))
    (check,) = result.signatures
    return check


def test_what_is_written_through_it_reaches_the_file_and_is_hashed(unsigned: BuiltPdf) -> None:
    stream = io.BytesIO()
    prefix = PrefixHash(stream)
    for start in range(0, len(unsigned.pdf), 70_000):
        prefix.write(memoryview(unsigned.pdf)[start:start + 70_000])
    hashed = prefix.result()
    assert stream.getvalue() == unsigned.pdf
    assert hashed is not None and hashed[0] == len(unsigned.pdf)
    assert hashed[1].hexdigest() == hashlib.sha256(unsigned.pdf).hexdigest()
    prefix.write(b"% later")  # after the result: still written, not hashed
    assert prefix.result() is not None and prefix.result()[0] == len(unsigned.pdf)  # type: ignore[index]


def test_a_file_that_took_only_part_of_a_write_gives_no_hash() -> None:
    prefix = PrefixHash(PartialFile())
    prefix.write(b"%PDF-1.4 and more than ten bytes")
    assert prefix.result() is None


def test_the_signature_continued_from_the_hash_verifies_as_whole_and_intact(unsigned: BuiltPdf,
                                                                             school_key: SchoolKey) -> None:
    stream = io.BytesIO()
    prefix = PrefixHash(stream)
    prefix.write(unsigned.pdf)
    check = _signature(_sign(stream, unsigned, school_key, prefix), school_key)
    assert check.intact and check.valid and check.covers_whole_file and check.modification == "none"


def test_a_hash_of_other_bytes_of_the_same_length_makes_the_signature_invalid(unsigned: BuiltPdf,
                                                                             school_key: SchoolKey) -> None:
    """Proves the hash is what is signed — and that a hash that is not the file's never yields a valid signature."""
    stream = io.BytesIO(unsigned.pdf)
    stream.seek(0, io.SEEK_END)
    prefix = PrefixHash(io.BytesIO())
    prefix.write(unsigned.pdf.replace(b"%PDF-1.", b"%PDF-2.", 1))  # one byte differs
    pdf = _sign(stream, unsigned, school_key, prefix)
    assert not _signature(pdf, school_key).intact  # the file's bytes are not the signed digest's
    assert not verify_bytes(pdf, pins_from_certificates(read_certificates(school_key.cer))).ok


@pytest.mark.parametrize("cut", [1, 5000])
def test_a_hash_of_part_of_the_file_is_not_used(unsigned: BuiltPdf, school_key: SchoolKey, cut: int) -> None:
    """A hash of fewer bytes than the unsigned file (a write that bypassed it) is ignored: pyHanko digests all."""
    stream = io.BytesIO(unsigned.pdf)
    stream.seek(0, io.SEEK_END)
    prefix = PrefixHash(io.BytesIO())
    prefix.write(unsigned.pdf[:-cut])
    check = _signature(_sign(stream, unsigned, school_key, prefix), school_key)
    assert check.intact and check.valid and check.covers_whole_file


def test_the_export_reads_back_only_its_increment_to_sign(school_key: SchoolKey, tmp_path: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The export writes through a PrefixHash: signing hashes the increment only, and the report verifies."""
    from selfcheck.report.export import export_report
    from selfcheck.signing import prefix_digest

    ranges: list[tuple[int, int]] = []
    real = prefix_digest._hash_range

    def recording(stream: Any, start: int, end: int, digest: Any) -> None:
        ranges.append((start, end))
        real(stream, start, end, digest)

    monkeypatch.setattr(prefix_digest, "_hash_range", recording)
    sample = make_sample(photos=4, photo_size=(640, 480))
    result = export_report(sample.data, sample.photo_loader, tmp_path / "报告.pdf", key_path=school_key.p12,
                           password=school_key.password)
    pdf = result.path.read_bytes()
    unsigned_end = pdf.index(b"%%EOF") + len(b"%%EOF\n")  # the unsigned report, before the signing increment
    assert len(ranges) == 2 and ranges[0][0] == unsigned_end and ranges[-1][1] == result.size
    check = _signature(pdf, school_key)
    assert check.intact and check.valid and check.covers_whole_file
