"""Identity by pinned fingerprint: the contract the district's registry builds on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from selfcheck.signing.keys import fingerprint, read_certificate
from selfcheck.verification.identity import Pin, check_identity, normalize_fingerprint, pins_from_certificates
from tests.report.fixtures import SchoolKey
from tests.verification import forgery

FP = "ab" * 32
SIGNED = datetime(2026, 10, 20, 7, 30, tzinfo=UTC)


def test_a_pin_accepts_any_spelling_of_a_fingerprint_and_refuses_anything_else() -> None:
    assert Pin(":".join(["AB"] * 32), "学校").fingerprint == FP
    assert normalize_fingerprint("AB:cd") == "abcd"
    with pytest.raises(ValueError):
        Pin("abcd", "学校")
    naive = Pin(FP, "学校", revoked_at=datetime(2026, 1, 1))
    assert naive.revoked_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_pins_from_certificates_take_the_school_and_validity_from_the_certificate(school_key: SchoolKey) -> None:
    cert = read_certificate(school_key.cer)
    (pin,) = pins_from_certificates([cert])
    assert pin.fingerprint == normalize_fingerprint(fingerprint(cert))
    assert pin.fingerprint == school_key.fingerprint.replace(":", "").lower()
    assert pin.school == "某某市第一中学"
    assert pin.valid_from == cert.not_valid_before_utc and pin.valid_until == cert.not_valid_after_utc



def test_a_second_school_name_in_a_trusted_certificate_vouches_for_nothing(genuine, tmp_path) -> None:  # noqa: ANN001
    """School B makes (and registers) a certificate with O=B but CN=A: --trust with it never passes A's report."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from selfcheck.verification.report import verify_bytes

    b = forgery.make_certificate("另一所中学")
    mixed = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "另一所中学"),
                       x509.NameAttribute(NameOID.COMMON_NAME, "某某市第一中学")])
    cert = (x509.CertificateBuilder().subject_name(mixed).issuer_name(mixed).public_key(b.key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(b.cert.not_valid_before_utc)
            .not_valid_after(b.cert.not_valid_after_utc).sign(b.key, hashes.SHA256()))
    signer = forgery.Identity(b.key, cert)
    assert [p.school for p in pins_from_certificates([cert])] == ["另一所中学"]
    result = verify_bytes(forgery.forged_report(genuine.unsigned, genuine.small.data, signer),
                          pins_from_certificates([cert]))
    assert result.exit_code == 1 and result.failure_kinds == {"other_school"}


@pytest.mark.parametrize(("pins", "school", "kinds"), [
    ([Pin(FP, "某某市第一中学")], "某某市第一中学", set()),
    ([Pin(FP, "某某市第一中学 ")], "某某市 第一中学", set()),  # the one school-name rule: spacing does not matter
    ([Pin("cd" * 32, "某某市第一中学")], "某某市第一中学", {"unregistered"}),
    ([], "某某市第一中学", {"unregistered"}),
    ([Pin(FP, "另一所中学")], "某某市第一中学", {"other_school"}),
    ([Pin(FP, "另一所中学"), Pin(FP, "某某市第一中学")], "某某市第一中学", set()),
    ([Pin(FP, "某某市第一中学", revoked_at=SIGNED)], "某某市第一中学", {"revoked"}),
    ([Pin(FP, "某某市第一中学", revoked_at=SIGNED - timedelta(seconds=1))], "某某市第一中学", {"revoked"}),
    ([Pin(FP, "某某市第一中学", revoked_at=SIGNED + timedelta(seconds=1))], "某某市第一中学", set()),
    ([Pin(FP, "某某市第一中学", valid_from=SIGNED + timedelta(days=1))], "某某市第一中学",
     {"cert_not_valid_at_signing"}),
    ([Pin(FP, "某某市第一中学", valid_until=SIGNED - timedelta(days=1))], "某某市第一中学",
     {"cert_not_valid_at_signing"}),
    ([Pin(FP, "某某市第一中学", valid_from=SIGNED - timedelta(days=1), valid_until=SIGNED + timedelta(days=1))],
     "某某市第一中学", set()),
    ([Pin(FP, "某某市第一中学", revoked_at=SIGNED, valid_until=SIGNED - timedelta(days=1))], "某某市第一中学",
     {"revoked", "cert_not_valid_at_signing"}),
])
def test_check_identity(pins: list[Pin], school: str, kinds: set[str]) -> None:
    verdict = check_identity(":".join(["AB"] * 32), school, SIGNED, pins)
    assert verdict.kinds == kinds
    assert len(verdict.findings) == len(kinds) and all(problem for _, problem in verdict.findings)


def test_an_unknown_signing_time_cannot_clear_a_revocation() -> None:
    verdict = check_identity(FP, "学校", None, [Pin(FP, "学校", revoked_at=SIGNED)])
    assert verdict.kinds == {"revoked"} and "没有签名时间" in verdict.findings[0][1]


def test_a_revoked_registration_fails_a_report_signed_after_it(genuine, school_key: SchoolKey) -> None:  # noqa: ANN001
    from selfcheck.verification.report import verify_bytes

    fp = school_key.fingerprint
    before = verify_bytes(genuine.signed, [Pin(fp, "某某市第一中学", revoked_at=datetime(2000, 1, 1, tzinfo=UTC))])
    assert before.exit_code == 1 and before.failure_kinds == {"revoked"} and before.intact
    later = verify_bytes(genuine.signed, [Pin(fp, "某某市第一中学", revoked_at=datetime(9000, 1, 1, tzinfo=UTC))])
    assert later.exit_code == 0
    expired = verify_bytes(genuine.signed, [Pin(fp, "某某市第一中学", valid_until=datetime(2001, 1, 1, tzinfo=UTC))])
    assert expired.failure_kinds == {"cert_not_valid_at_signing"}


@pytest.mark.slow
def test_a_100_character_school_verifies_and_a_school_sharing_its_shortened_cn_does_not(tmp_path) -> None:  # noqa: ANN001
    """The certificate's CN holds only the first 21 characters of LONG_SCHOOL (64 bytes); its O, the whole name,
    is the school: pinned, its own reports pass, and a report naming another school with the same start fails."""
    from selfcheck.report.export import export_report
    from selfcheck.verification.report import verify_bytes
    from tests.report.factory import make_sample
    from tests.report.fixtures import LONG_NEIGHBOUR, LONG_SCHOOL, create_key

    key = create_key(tmp_path, school=LONG_SCHOOL)
    pins = pins_from_certificates([read_certificate(key.cer)])
    assert [pin.school for pin in pins] == [LONG_SCHOOL]

    def signed(school: str) -> bytes:
        sample = make_sample(photos=0, school_name=school)
        out = tmp_path / f"{len(school)}-{school[-2:]}.pdf"
        export_report(sample.data, sample.photo_loader, out, key_path=key.p12, password=key.password)
        return out.read_bytes()

    own = verify_bytes(signed(LONG_SCHOOL), pins)
    assert own.exit_code == 0 and own.ok and own.problems == [] and own.warnings == [], own.problems
    assert own.signer_school == LONG_SCHOOL and own.signatures[0].signer_names == [LONG_SCHOOL]
    assert own.report_data is not None and own.report_data.school.name == LONG_SCHOOL
    for other in (LONG_NEIGHBOUR, LONG_SCHOOL[:21]):  # the second is exactly the certificate's CN
        result = verify_bytes(signed(other), pins)
        assert result.exit_code == 1 and result.failure_kinds == {"other_school"}, result.problems
        assert any(f"“{LONG_SCHOOL}”" in problem for problem in result.problems)
