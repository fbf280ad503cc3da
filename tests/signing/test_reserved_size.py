"""The signature placeholder is sized by computation, not by a dry-run signature: never smaller than what pyHanko
itself measures, for every kind of key a school may hold, and the reports signed with it verify."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from selfcheck.report.pdf import build_pdf
from selfcheck.signing import cms_size, sign
from selfcheck.signing.keys import SigningKey, load_key, read_certificates
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_report
from selfcheck.workbook import models as wm
from tests.report.factory import make_sample
from tests.report.longest import max_length, text
from tests.report.fixtures import PASSWORD, create_key

LONGEST_SCHOOL = text(max_length(wm.SchoolProfile, "name"), "某某省某某市某某区实验学校（集团）第一分校附属小学")
CN_BYTES = 64  # the most UTF-8 bytes cryptography puts in a common name (ub-common-name)


def _common(name: str) -> str:
    while len(name.encode("utf-8")) > CN_BYTES:
        name = name[:-1]
    return name


# What the fixed part of the container takes today at most (measured: about 260 bytes). The allowance must leave
# room beyond it, so that a pyHanko writing a few more attributes still fits.
FIXED_PART_TODAY = 400


@dataclass(frozen=True)
class Issuer:
    key: object
    cert: x509.Certificate


def _name(school: str, unit: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                  x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, text(128, "某某省")),
                  x509.NameAttribute(NameOID.LOCALITY_NAME, text(128, "某某市某某区")),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, school)]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, _common(school)))
    return x509.Name(attributes)


def _certificate(key: object, subject: x509.Name, issuer: Issuer | None, *, ca: bool = False) -> x509.Certificate:
    now = datetime.now(UTC) - timedelta(hours=1)
    public = key.public_key()  # type: ignore[attr-defined]
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject).public_key(public)
               .serial_number(x509.random_serial_number()).not_valid_before(now)
               .not_valid_after(now + timedelta(days=365))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False))
    return builder.sign(issuer.key if issuer else key, hashes.SHA256())  # type: ignore[arg-type]


def _p12(folder: Path, key: object, cert: x509.Certificate, chain: list[x509.Certificate]) -> Path:
    path = folder / "school.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"school", key, cert, chain or None,  # type: ignore[arg-type]
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    path.with_suffix(".cer").write_bytes(cert.public_bytes(serialization.Encoding.DER))
    return path


def _self_signed(folder: Path, key: object, school: str = "某某市第一中学") -> Path:
    return _p12(folder, key, _certificate(key, _name(school), None), [])


def _district_chain(folder: Path) -> Path:
    """Root CA → intermediate CA → school, every name as long as the app lets a school name be, RSA-4096 CAs."""
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    root = Issuer(root_key, _certificate(root_key, _name(LONGEST_SCHOOL + "教育局", LONGEST_SCHOOL), None, ca=True))
    middle_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    middle = Issuer(middle_key, _certificate(middle_key, _name(LONGEST_SCHOOL + "教育局二级", LONGEST_SCHOOL), root,
                                             ca=True))
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return _p12(folder, key, _certificate(key, _name(LONGEST_SCHOOL, LONGEST_SCHOOL), middle),
                [middle.cert, root.cert])


KEYS = {
    "rsa-2048": lambda f: _self_signed(f, rsa.generate_private_key(public_exponent=65537, key_size=2048)),
    "rsa-4096": lambda f: _self_signed(f, rsa.generate_private_key(public_exponent=65537, key_size=4096)),
    "ec-p256": lambda f: _self_signed(f, ec.generate_private_key(ec.SECP256R1())),
    "ec-p384": lambda f: _self_signed(f, ec.generate_private_key(ec.SECP384R1())),
    "ec-p521-longest-name": lambda f: _self_signed(f, ec.generate_private_key(ec.SECP521R1()), LONGEST_SCHOOL),
    "district-chain-longest-names": _district_chain,
    "created-by-the-app": lambda f: create_key(f, school=_common(LONGEST_SCHOOL)).p12,
}


def _pyhanko_estimate(signer: object, key: SigningKey, pdf: bytes) -> int:
    """pyHanko's own size of the container, from a dry-run signature (no margin added)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    pdf_signer = signers.PdfSigner(sign.signature_metadata(key, reason="r", location=None), signer=signer)  # type: ignore[arg-type]
    session = pdf_signer.init_signing_session(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return asyncio.run(session.estimate_signature_container_size(None, tight=True))


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    small = make_sample(photos=0)
    return build_pdf(small.data, small.photo_loader).pdf


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_the_reserved_size_holds_the_signature_and_the_report_verifies(
        kind: str, tmp_path: Path, small_pdf: bytes) -> None:
    from selfcheck.report.export import export_report

    p12 = KEYS[kind](tmp_path)
    key = load_key(p12, PASSWORD)
    signer = sign.pyhanko_signer(key)
    reserved = sign.signature_bytes_reserved(signer, key)
    assert reserved is not None and reserved % 2 == 0
    tight = _pyhanko_estimate(signer, key, small_pdf)
    # Never below pyHanko's measure, with the room for more attributes left over.
    assert reserved - tight >= 2 * (cms_size.FIXED_ALLOWANCE - FIXED_PART_TODAY)

    small = make_sample(photos=1, photo_size=(320, 240))
    data = small.data.model_copy(update={"school": small.data.school.model_copy(update={"name": key.info.school})})
    out = export_report(data, small.photo_loader, tmp_path / "报告.pdf", key=key)
    result = verify_report(out.path, pins_from_certificates(read_certificates(p12.with_suffix(".cer"))))
    assert result.ok and result.exit_code == 0, result.problems
    (check,) = result.signatures
    assert check.intact and check.valid and check.covers_whole_file and check.modification == "none"
    assert len(out.path.read_bytes().split(b"%%EOF")) == 3  # the unsigned file and one signed increment


def test_a_dsa_key_is_bounded_too(tmp_path: Path, small_pdf: bytes) -> None:
    # (Ed25519 and Ed448 keys cannot sign with SHA-256, which the report signature uses.)
    opened = load_key(_self_signed(tmp_path, dsa.generate_private_key(key_size=2048)), PASSWORD)
    signer = sign.pyhanko_signer(opened)
    reserved = sign.signature_bytes_reserved(signer, opened)
    assert reserved is not None
    assert reserved >= _pyhanko_estimate(signer, opened, small_pdf)


def test_a_key_type_without_a_known_signature_size_leaves_the_estimate_to_pyhanko() -> None:
    assert cms_size.max_signature_size(object()) is None


def test_if_the_signature_ever_outgrew_the_reservation_it_is_signed_again_with_pyhankos_estimate(
        tmp_path: Path, small_pdf: bytes, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from selfcheck.report.fonts import report_fonts, stamp_font_file
    from selfcheck.signing.appearance import AppearanceText, make_stamp_style

    p12 = KEYS["rsa-2048"](tmp_path)
    key = load_key(p12, PASSWORD)
    monkeypatch.setattr(sign, "signature_bytes_reserved", lambda signer, key: 64)
    small = make_sample(photos=0)
    built = build_pdf(small.data, small.photo_loader)
    style = make_stamp_style(AppearanceText(school="某某市第一中学", principal="王建国", date_text="2026年10月20日",
                                            time_text="10:00:00"),
                             stamp_font_file(report_fonts().stamp_face(), "某某市第一中学王建国"))
    stream = io.BytesIO(built.pdf)
    hooks: list[int] = []
    with caplog.at_level(logging.WARNING, logger="selfcheck.signing.sign"):
        sign.sign_pdf_in_place(stream, key, page=built.signature.page, box=built.signature.box, stamp_style=style,
                               before_signing=lambda: hooks.append(1))
    assert "did not fit" in caplog.text
    assert len(hooks) == 2  # the hook ran before each signature value
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(stream.getvalue())
    assert signed.read_bytes()[:len(built.pdf)] == built.pdf
    assert len(signed.read_bytes().split(b"%%EOF")) == 3  # the first attempt's increment is gone
    result = verify_report(signed, pins_from_certificates(read_certificates(p12.with_suffix(".cer"))))
    (check,) = result.signatures
    assert check.intact and check.valid and check.covers_whole_file and check.modification == "none"
