"""Verification: any changed byte, appended update or truncation fails; identity only by pinned fingerprint."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from selfcheck.errors import SigningError
from selfcheck.signing.keys import load_key, read_certificate, read_certificates
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_bytes, verify_report
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey
from tests.verification.conftest import Genuine


@pytest.fixture()
def signed(genuine: Genuine) -> bytes:
    """A small signed report (two photos), exported once per session."""
    return genuine.signed


def pins(*cer: Path) -> list:
    return pins_from_certificates([c for path in cer for c in read_certificates(path)])


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    assert match, "no /ByteRange in the signed file"
    a, b, c, d = (int(x) for x in match.groups())
    return a, b, c, d


def flip(pdf: bytes, position: int) -> bytes:
    return pdf[:position] + bytes([pdf[position] ^ 0x01]) + pdf[position + 1:]


def test_the_untouched_report_passes(signed: bytes, school_key: SchoolKey) -> None:
    result = verify_bytes(signed, pins(school_key.cer))
    assert result.ok and result.exit_code == 0 and result.intact and result.identity_checked, result.problems
    assert result.failure_kinds == set() and result.problems == []
    assert result.signer_fingerprint == school_key.fingerprint.replace(":", "").lower()
    assert result.signer_school == "某某市第一中学" and result.signing_time is not None
    a, b, c, d = byte_range(signed)
    assert a == 0 and c + d == len(signed)


@pytest.mark.slow
def test_single_byte_flips_anywhere_in_the_signed_range_fail(signed: bytes) -> None:
    a, b, c, d = byte_range(signed)
    first = list(range(a, a + b, max(1, b // 40)))
    second = list(range(c, c + d, max(1, d // 12)))
    positions = sorted({*first, *second, a + b - 1, c, len(signed) - 1, len(signed) // 2})
    positions = [p for p in positions if a <= p < a + b or c <= p < c + d]
    assert len(positions) > 45
    passed = [p for p in positions if verify_bytes(flip(signed, p)).intact]
    assert passed == [], f"changes at these offsets were not detected: {passed}"


def test_a_flip_inside_the_signature_value_fails(signed: bytes) -> None:
    a, b, c, d = byte_range(signed)
    hex_start = a + b + 1  # after "<"
    assert signed[hex_start:hex_start + 4] == b"3082", "a DER SEQUENCE with a two-byte length"
    der_length = 4 + int(signed[hex_start + 4:hex_start + 8], 16)
    end = hex_start + 2 * der_length  # the rest of /Contents is zero padding, outside the signature
    for position in range(hex_start + 10, end, max(1, (end - hex_start) // 15)):
        assert verify_bytes(flip(signed, position)).exit_code == 1, position


def test_an_appended_incremental_update_fails(signed: bytes) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"].get_object() if "/Info" in writer.trailer else None
    assert info is not None
    info[generic.pdf_name("/Title")] = generic.pdf_string("篡改后的标题")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    result = verify_bytes(out.getvalue())
    assert result.exit_code == 1 and result.failure_kinds == {"tampered"}
    assert not result.signatures[-1].covers_whole_file
    assert any("没有覆盖整个文件" in p for p in result.problems)


def test_appended_junk_and_truncation_fail(signed: bytes) -> None:
    for raw in (signed + b"\n% appended\n", signed[:-200], signed[: len(signed) // 2]):
        assert verify_bytes(raw).exit_code == 1


def test_not_a_pdf_and_an_unsigned_pdf_fail_with_reasons(signed: bytes) -> None:
    result = verify_bytes(b"hello")
    assert result.exit_code == 1 and result.problems == ["不是 PDF 文件。"]
    assert result.failure_kinds == {"unreadable"}
    from selfcheck.report.pdf import build_pdf

    small = make_sample(photos=0)
    unsigned = verify_bytes(build_pdf(small.data, small.photo_loader).pdf)
    assert unsigned.exit_code == 1 and any(p.startswith("文件中没有数字签名") for p in unsigned.problems)


def test_identity_is_judged_against_the_given_certificates(signed: bytes, school_key: SchoolKey,
                                                           other_key: SchoolKey, tmp_path: Path) -> None:
    wrong = verify_bytes(signed, pins(other_key.cer))
    assert wrong.exit_code == 1 and wrong.intact and wrong.failure_kinds == {"unregistered"}
    assert any("不在已登记（受信任）的证书中" in p for p in wrong.problems)
    folder = tmp_path / "registered"
    folder.mkdir()
    (folder / "a.cer").write_bytes(other_key.cer.read_bytes())
    (folder / "b.cer").write_bytes(school_key.cer.read_bytes())
    assert verify_bytes(signed, pins(folder)).exit_code == 0
    unchecked = verify_bytes(signed)
    assert unchecked.exit_code == 3 and not unchecked.ok and unchecked.intact and not unchecked.identity_checked
    assert verify_bytes(signed, []).exit_code == 1  # an empty registry confirms nobody


@pytest.mark.slow
def test_embedded_data_must_name_the_signing_certificate(school_key: SchoolKey, other_key: SchoolKey) -> None:
    """A report whose JSON declares one certificate but is signed with another is refused."""
    from selfcheck.report.data import ATTACHMENT_NAME, SignerInfo
    from selfcheck.report.fonts import report_fonts, stamp_font_file
    from selfcheck.report.pdf import build_pdf
    from selfcheck.signing.appearance import AppearanceText, make_stamp_style
    from selfcheck.signing.sign import Attachment, sign_pdf_in_place

    small = make_sample(photos=0)
    declared = load_key(school_key.p12, school_key.password).info
    data = small.data.model_copy(update={"signer": SignerInfo(
        subject=declared.subject, fingerprint_sha256=declared.fingerprint, not_valid_after=declared.not_valid_after)})
    built = build_pdf(data, small.photo_loader)
    text = AppearanceText(school="另一所中学", principal="某人", date_text="2026年10月20日", time_text="10:00:00")
    style = make_stamp_style(text, stamp_font_file(report_fonts().stamp_face(), "另一所中学某人"))
    out = io.BytesIO(built.pdf)
    sign_pdf_in_place(out, load_key(other_key.p12, other_key.password), page=built.signature.page,
                      box=built.signature.box, stamp_style=style,
                      attachment=Attachment(ATTACHMENT_NAME, data.to_json().encode(), "数据"))
    result = verify_bytes(out.getvalue())
    assert result.exit_code == 1 and result.failure_kinds == {"tampered", "other_school"}
    assert "报告中声明的证书指纹与实际签名证书不一致。" in result.problems


def test_missing_file_and_folder_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="找不到报告文件"):
        verify_report(tmp_path / "none.pdf")
    with pytest.raises(SigningError, match="是一个文件夹"):
        verify_report(tmp_path)


def test_certificate_fingerprint_in_result_matches_the_key(signed: bytes, school_key: SchoolKey) -> None:
    result = verify_bytes(signed)
    assert result.signatures[0].fingerprint == school_key.fingerprint
    assert result.signatures[0].signer_subject.startswith("C=CN, O=某某市第一中学")
    assert read_certificate(school_key.cer)


def test_a_key_made_by_an_older_version_still_signs_reports_that_pass(tmp_path: Path) -> None:
    """Older versions made CA:TRUE certificates and approval signatures; such a school is not locked out."""
    from cryptography.hazmat.primitives import serialization

    from selfcheck.report.export import export_report
    from tests.report.fixtures import PASSWORD
    from tests.verification import forgery

    legacy = forgery.make_certificate("某某市第一中学", ca=True)
    forgery.write_p12(legacy, tmp_path / "old.p12", PASSWORD)
    (tmp_path / "old.cer").write_bytes(legacy.cert.public_bytes(serialization.Encoding.DER))
    small = make_sample(photos=0)
    out = tmp_path / "report.pdf"
    export_report(small.data, small.photo_loader, out, key_path=tmp_path / "old.p12", password=PASSWORD)
    assert verify_report(out, pins(tmp_path / "old.cer")).exit_code == 0
    # and a report an older version signed (approval signature, no DocMDP) over the same pages still passes
    declared = small.data.model_copy(update={"signer": legacy.signer_info()})
    from selfcheck.report.pdf import build_pdf

    approval = forgery.sign(build_pdf(small.data, small.photo_loader).pdf, legacy,
                            attachments=(declared.to_json().encode(),))
    result = verify_bytes(approval, pins(tmp_path / "old.cer"))
    assert result.exit_code == 0 and not result.signatures[0].certification, result.problems
