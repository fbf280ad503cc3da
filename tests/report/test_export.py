"""The signed export: attachment, signature (pyHanko and poppler), the visible seal, and failure without damage."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from selfcheck.errors import ReportError, SigningError
from selfcheck.report.data import ATTACHMENT_NAME, ReportData
from selfcheck.report.export import ExportCancelled, export_report
from selfcheck.report.pdf import SignatureSpot, build_pdf
from selfcheck.signing.keys import read_certificates
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_report
from tests.report.factory import Sample, make_sample
from tests.report.fixtures import Exported, SchoolKey, create_key, poppler


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_attachment_is_the_report_data(exported: Exported, tmp_path: Path) -> None:
    listing = poppler("pdfdetach", "-list", str(exported.path))
    assert ATTACHMENT_NAME in listing
    out = tmp_path / "data.json"
    poppler("pdfdetach", "-save", "1", "-o", str(out), str(exported.path))
    data = ReportData.from_json(out.read_bytes())
    assert data == exported.data
    assert data.signer is not None and data.signer.fingerprint_sha256 == exported.key.fingerprint


def test_pyhanko_finds_it_intact_whole_and_trusted(exported: Exported) -> None:
    result = verify_report(exported.path, pins_from_certificates(read_certificates(exported.key.cer)))
    assert result.ok and result.exit_code == 0, result.problems
    (check,) = result.signatures
    assert check.intact and check.valid and check.covers_whole_file and check.modification == "none"
    assert check.certification
    assert check.fingerprint == exported.key.fingerprint
    assert check.signer_school == "某某市第一中学"
    assert result.data is not None and result.data.items == exported.data.totals.items


def test_pdfsig_reports_a_valid_signature(exported: Exported) -> None:
    out = poppler("pdfsig", str(exported.path))
    assert "Signature is Valid." in out
    assert "ETSI.CAdES.detached" in out  # PAdES
    assert "Total document signed" in out


def test_pyhanko_itself_reports_a_no_changes_certification_unchanged(exported: Exported) -> None:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    (sig,) = PdfFileReader(io.BytesIO(exported.path.read_bytes()), strict=False).embedded_signatures
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[], allow_fetching=False))
    assert status.intact and status.valid and status.docmdp_ok
    assert status.modification_level == ModificationLevel.NONE
    assert sig.docmdp_level == MDPPerm.NO_CHANGES


def test_pdfsig_identifies_the_signer_by_the_fingerprint_of_the_dumped_certificate(exported: Exported,
                                                                                      tmp_path: Path) -> None:
    """What docs/verifying-reports.md tells a clerk to do with poppler: one valid signature over the whole
    document, then the fingerprint of the certificate `pdfsig -dump` writes out."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    out = poppler("pdfsig", "-nocert", str(exported.path))
    assert out.count("Signature #") == 1 and "Signature is Valid." in out and "Total document signed" in out
    subprocess.run(["pdfsig", "-dump", str(exported.path)], cwd=tmp_path, check=True, capture_output=True)
    (dumped,) = tmp_path.glob("*.sig0")
    pem = subprocess.run(["openssl", "pkcs7", "-inform", "DER", "-in", str(dumped), "-print_certs"],
                         check=True, capture_output=True).stdout
    shown = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256"], input=pem, check=True,
                           capture_output=True, text=False).stdout.decode()
    assert shown.strip().endswith("=" + exported.key.fingerprint)


@pytest.mark.parametrize("flags", ["CT,C,C", "P,P,P"])
def test_nss_trust_flags_do_not_make_pdfsig_trust_a_school_certificate(exported: Exported, tmp_path: Path,
                                                                       flags: str) -> None:
    """Pins the fact the clerks' guide states: poppler's NSS check cannot confirm a school's (end-entity,
    self-signed) certificate, whatever trust flags it is imported with; the fingerprint is the check."""
    if shutil.which("certutil") is None:
        pytest.skip("certutil (libnss3-tools) is not installed")
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", "school", "-t", flags, "-i", str(exported.key.cer)],
                   check=True, capture_output=True)
    out = poppler("pdfsig", "-nssdir", f"sql:{db}", str(exported.path))
    assert "Signature is Valid." in out
    assert "Certificate is Trusted." not in out


def test_report_prints_the_fingerprint_and_every_font_is_embedded(exported: Exported) -> None:
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(exported.path), "-")
    assert exported.key.fingerprint in text
    flat = "".join(text.split())
    assert "如何核验：见SelfCheck随附的说明《如何核验学校自查报告》" in flat  # plain words, no command to type
    assert "selfcheckverify" not in flat
    fonts = poppler("pdffonts", str(exported.path)).splitlines()[2:]
    assert any("Identity-H" in row for row in fonts), "the signature appearance embeds its own font"
    for row in fonts:
        assert row.split()[-5] == "yes", row


def _field_pixels(pdf: Path, spot: SignatureSpot, tmp_path: Path) -> list[tuple[int, int, int]]:
    """The pixels of the signature field's area, rendered at 100 dpi."""
    from PIL import Image

    page = str(spot.page + 1)
    poppler("pdftoppm", "-r", "100", "-f", page, "-l", page, "-png", str(pdf), str(tmp_path / "field"))
    (png,) = tmp_path.glob("field-*.png")
    image = Image.open(png).convert("RGB")
    scale = 100 / 72
    x1, y1, x2, y2 = spot.box
    region = image.crop((int(x1 * scale), int(image.height - y2 * scale), int(x2 * scale),
                         int(image.height - y1 * scale)))
    return list(region.get_flattened_data())


def test_seal_and_signature_text_are_drawn_in_the_signature_field(exported: Exported, tmp_path: Path) -> None:
    spot = build_pdf(exported.data, exported.sample.photo_loader).signature
    pixels = _field_pixels(exported.path, spot, tmp_path)
    red = sum(1 for r, g, b in pixels if r > 150 and g < 90 and b < 90)
    dark = sum(1 for r, g, b in pixels if r < 90 and g < 90 and b < 90)
    assert red > 1500, "the red seal is missing from the appearance"
    assert dark > 300, "the school name / principal / date text is missing from the appearance"


@pytest.mark.slow
def test_without_images_the_signature_is_a_clean_text_box(school_key: SchoolKey,
                                                          tmp_path: Path) -> None:
    small = make_sample(photos=1, photo_size=(320, 240))
    out = tmp_path / "plain.pdf"
    export_report(small.data, small.photo_loader, out, key_path=school_key.p12, password=school_key.password)
    result = verify_report(out, pins_from_certificates(read_certificates(school_key.cer)))
    assert result.ok, result.problems
    pixels = _field_pixels(out, build_pdf(small.data, small.photo_loader).signature, tmp_path)
    assert not any(r > 150 and g < 90 and b < 90 for r, g, b in pixels), "no seal was given"
    assert sum(1 for r, g, b in pixels if r < 90 and g < 90 and b < 90) > 300


@pytest.mark.slow
def test_a_key_the_caller_already_opened_signs_without_reading_the_file_again(school_key: SchoolKey,
                                                                            tmp_path: Path) -> None:
    from selfcheck.signing.keys import load_key

    key = load_key(school_key.p12, school_key.password)  # as the export dialog does to check the password first
    moved = tmp_path / "moved.p12"
    school_key.p12.rename(moved)  # the file is not needed any more
    try:
        small = make_sample(photos=1, photo_size=(320, 240))
        out = tmp_path / "opened-key.pdf"
        result = export_report(small.data, small.photo_loader, out, key=key)
        assert result.fingerprint == key.info.fingerprint
        checked = verify_report(out, pins_from_certificates(read_certificates(school_key.cer)))
        assert checked.ok, checked.problems
    finally:
        moved.rename(school_key.p12)


def test_wrong_password_writes_nothing_and_keeps_an_older_report(sample: Sample, school_key: SchoolKey,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"older report")
    with pytest.raises(SigningError, match="密码错误"):
        export_report(sample.data, sample.photo_loader, out, key_path=school_key.p12, password="wrong-password")
    assert out.read_bytes() == b"older report"
    assert _files(tmp_path) == ["report.pdf"]


def test_expired_certificate_writes_nothing(sample: Sample, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    keys = tmp_path / "keys"
    keys.mkdir()
    old = create_key(keys, now=datetime(2015, 3, 1, tzinfo=UTC), years=1)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(SigningError, match="过期"):
        export_report(sample.data, sample.photo_loader, out_dir / "r.pdf", key_path=old.p12, password=old.password)
    assert _files(out_dir) == []


def test_missing_key_and_bad_destination_are_clear_errors(sample: Sample, school_key: SchoolKey,
                                                          tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="找不到密钥文件"):
        export_report(sample.data, sample.photo_loader, tmp_path / "r.pdf", key_path=tmp_path / "none.p12",
                      password="x")
    with pytest.raises(ReportError, match="文件夹不存在"):
        export_report(sample.data, sample.photo_loader, tmp_path / "nope" / "r.pdf", key_path=school_key.p12,
                      password=school_key.password)
    with pytest.raises(ReportError, match=r"\.pdf 结尾"):
        export_report(sample.data, sample.photo_loader, tmp_path / "r.docx", key_path=school_key.p12,
                      password=school_key.password)
    assert _files(tmp_path) == []


def test_unreadable_seal_image_writes_nothing(school_key: SchoolKey, tmp_path: Path) -> None:
    small = make_sample(photos=1, photo_size=(320, 240))
    bogus = tmp_path / "seal.png"
    bogus.write_bytes(b"not an image")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(SigningError, match="公章图片无法读取"):
        export_report(small.data, small.photo_loader, out_dir / "r.pdf", key_path=school_key.p12,
                      password=school_key.password, seal_image=bogus)
    assert _files(out_dir) == []


def test_cancel_leaves_no_file_behind(school_key: SchoolKey, tmp_path: Path) -> None:
    small = make_sample(photos=4, photo_size=(320, 240))
    messages: list[str] = []
    with pytest.raises(ExportCancelled):
        export_report(small.data, small.photo_loader, tmp_path / "r.pdf", key_path=school_key.p12,
                      password=school_key.password, progress=lambda f, m: messages.append(m),
                      cancelled=lambda: len(messages) > 3)
    assert _files(tmp_path) == []


def test_progress_messages_are_chinese_and_end_at_one(school_key: SchoolKey, tmp_path: Path) -> None:
    small = make_sample(photos=2, photo_size=(320, 240))
    seen: list[tuple[float, str]] = []
    result = export_report(small.data, small.photo_loader, tmp_path / "r.pdf", key_path=school_key.p12,
                           password=school_key.password, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert all(re.search(r"[\u4e00-\u9fff]", m) for _, m in seen)
    assert result.path.is_file() and result.size == result.path.stat().st_size
    assert _files(tmp_path) == ["r.pdf"]
