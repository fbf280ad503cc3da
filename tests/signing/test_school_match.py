"""School on the key certificate versus the workbook's or report's school: what counts as the same school."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from selfcheck.signing.keys import read_certificate
from selfcheck.signing.school_match import (
    certificate_schools,
    key_school_warning,
    normalize_school_name,
    report_school_warning,
    same_school,
    signing_school_warning,
)
from tests.report.fixtures import LONG_NEIGHBOUR, LONG_SCHOOL, PASSWORD, SCHOOL, SchoolKey


def _certificate(**names: str):  # noqa: ANN202 - an x509.Certificate; cryptography is imported lazily
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    oids = {"O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME, "CN": NameOID.COMMON_NAME}
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
                        + [x509.NameAttribute(oids[label], value) for label, value in names.items()])
    now = datetime.now(UTC)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))


@pytest.mark.parametrize("typed", [
    "某某市第一中学",
    " 某某市第一中学\n",
    "某某市　第一中学",  # full-width (ideographic) space from a Chinese input method
    "某某市 第 一 中学",
    "某某市第一中学\u200b",  # zero-width space pasted from a web page
])
def test_spacing_does_not_make_another_school(typed: str) -> None:
    assert same_school(SCHOOL, typed)
    assert key_school_warning(SCHOOL, typed) is None


def test_full_width_letters_digits_and_brackets_are_the_same_characters() -> None:
    assert normalize_school_name("ＸＸ市第１中学（东校区）") == normalize_school_name("xx市第1中学(东校区)")
    assert key_school_warning("XX市第1中学(东校区)", "ＸＸ市第１中学（东校区）") is None


@pytest.mark.parametrize("workbook_school", ["某某市第二中学", "某某市第一中学分校", "第一中学", "另一所中学"])
def test_a_different_school_gets_a_warning_naming_both(workbook_school: str) -> None:
    warning = key_school_warning(SCHOOL, workbook_school)
    assert warning is not None
    assert f"密钥证书上的学校是“{SCHOOL}”" in warning and f"本工作簿的学校“{workbook_school}”不一致" in warning


@pytest.mark.parametrize("blank", [None, "", "   ", "\u3000\u3000"])
def test_a_blank_workbook_school_cannot_be_confirmed(blank: str | None) -> None:
    warning = key_school_warning(SCHOOL, blank)
    assert warning is not None and "还没有填写学校名称" in warning and SCHOOL in warning
    assert not same_school(SCHOOL, blank or "")


def test_the_key_made_by_selfcheck_names_its_school(school_key: SchoolKey) -> None:
    certificate = read_certificate(school_key.cer)
    assert certificate_schools(certificate) == (SCHOOL,)
    assert signing_school_warning(certificate, SCHOOL) is None
    warning = signing_school_warning(certificate, "城关第一小学")
    assert warning is not None and "城关第一小学" in warning


def test_a_district_certificate_may_name_the_school_in_ou_or_cn() -> None:
    certificate = _certificate(O="某某县教育局", OU="城关第一小学", CN="城关第一小学公章")
    assert certificate_schools(certificate) == ("某某县教育局", "城关第一小学", "城关第一小学公章")
    assert signing_school_warning(certificate, "城关第一小学") is None
    warning = signing_school_warning(certificate, "城关第二小学")
    assert warning is not None and "“某某县教育局”" in warning  # the name the verifier shows first


def test_report_warning_for_verify() -> None:
    assert report_school_warning([SCHOOL], SCHOOL) is None
    warning = report_school_warning(["另一所中学"], SCHOOL)
    assert warning == (f"报告中的学校“{SCHOOL}”与签名证书上的单位“另一所中学”不一致：报告可能是用其他学校的密钥签名的，"
                       "请与报送学校核实。")
    blank = report_school_warning("另一所中学", " ")
    assert blank is not None and "没有学校名称" in blank


@pytest.fixture(scope="module")
def long_certificate(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - an x509.Certificate
    """A key made by SelfCheck for a 100-character school: O holds the whole name, CN only its first 21 characters."""
    from selfcheck.signing.keys import create_school_key

    info = create_school_key(tmp_path_factory.mktemp("long") / "school.p12", LONG_SCHOOL, PASSWORD)
    assert info.certificate_path is not None
    return read_certificate(info.certificate_path)


def test_a_long_school_name_is_matched_by_its_whole_name(long_certificate) -> None:  # noqa: ANN001
    assert certificate_schools(long_certificate) == (LONG_SCHOOL,)  # the shortened CN is no name of its own
    assert signing_school_warning(long_certificate, LONG_SCHOOL) is None
    spaced = f" {LONG_SCHOOL[:40]}　{LONG_SCHOOL[40:]} "  # typed with a full-width space: still the same school
    assert signing_school_warning(long_certificate, spaced) is None
    assert report_school_warning(certificate_schools(long_certificate), LONG_SCHOOL) is None


@pytest.mark.parametrize("other", [LONG_NEIGHBOUR, LONG_SCHOOL[:21], LONG_SCHOOL[:21] + "小学", LONG_SCHOOL[:99]])
def test_a_school_sharing_the_shortened_cn_is_another_school(long_certificate, other: str) -> None:  # noqa: ANN001
    """Two long names with the same first 21 characters get the same CN; only the whole O decides."""
    assert not same_school(certificate_schools(long_certificate), other)
    warning = signing_school_warning(long_certificate, other)
    assert warning is not None and f"密钥证书上的学校是“{LONG_SCHOOL}”" in warning
    assert report_school_warning(certificate_schools(long_certificate), other) is not None


def test_a_cn_that_is_not_the_start_of_o_still_names_a_school() -> None:
    """Only a CN that is the beginning of O is taken for the shortened O; any other CN counts as before."""
    certificate = _certificate(O="某某县教育局", CN=LONG_SCHOOL[:21])
    assert certificate_schools(certificate) == ("某某县教育局", LONG_SCHOOL[:21])
    assert signing_school_warning(certificate, LONG_SCHOOL[:21]) is None
    shortened = _certificate(O="某某县教育局城关第一小学", CN="某某县教育局")
    assert certificate_schools(shortened) == ("某某县教育局城关第一小学",)
