"""The school key: creating, loading, importing and exporting, and clear refusals that write nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from selfcheck.errors import SigningError
from selfcheck.signing.keys import (
    create_school_key,
    export_certificate,
    fingerprint,
    import_key,
    load_key,
    read_certificate,
    read_certificates,
)
from tests.report.fixtures import LONG_NEIGHBOUR, LONG_SCHOOL, PASSWORD, SchoolKey, create_key

FINGERPRINT = re.compile(r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_create_writes_p12_and_der_certificate_naming_the_school(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    info = create_school_key(tmp_path / "school.p12", "某某市第一中学", PASSWORD)
    assert _files(tmp_path) == ["school.cer", "school.p12"]
    cert = x509.load_der_x509_certificate((tmp_path / "school.cer").read_bytes())
    names = {a.oid: a.value for a in cert.subject}
    assert names == {NameOID.COUNTRY_NAME: "CN", NameOID.ORGANIZATION_NAME: "某某市第一中学",
                     NameOID.COMMON_NAME: "某某市第一中学"}
    assert cert.issuer == cert.subject
    years = (cert.not_valid_after_utc - cert.not_valid_before_utc).days / 365
    assert 4.9 < years < 5.1
    assert info.fingerprint == ":".join(f"{b:02X}" for b in cert.fingerprint(hashes.SHA256()))
    assert FINGERPRINT.match(info.fingerprint)
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert not usage.key_cert_sign and not usage.crl_sign  # it can never issue a certificate in another name
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and constraints.value.ca is False  # an end-entity certificate
    assert info.legacy is False


def test_a_school_name_as_long_as_a_workbook_allows_is_whole_in_o_and_shortened_in_cn(tmp_path: Path) -> None:
    from asn1crypto import x509 as asn1_x509
    from cryptography.x509.oid import NameOID

    from selfcheck.signing.keys import key_info, school_of
    from selfcheck.workbook.models import SchoolProfile

    assert SchoolProfile(name=LONG_SCHOOL).name == LONG_SCHOOL  # a name the workbook accepts
    info = create_school_key(tmp_path / "school.p12", f" {LONG_SCHOOL}\n", PASSWORD)
    cert = read_certificate(tmp_path / "school.cer")
    (organisation,) = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    (common,) = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert organisation.value == LONG_SCHOOL
    assert common.value == LONG_SCHOOL[:21] and len(common.value.encode("utf-8")) == 63  # a 22nd would make 66
    assert school_of(cert) == info.school == LONG_SCHOOL
    assert info.subject == f"C=CN, O={LONG_SCHOOL}, CN={LONG_SCHOOL[:21]}"
    # pyHanko reads certificates through asn1crypto: the same names come back
    subject = asn1_x509.Certificate.load((tmp_path / "school.cer").read_bytes()).subject.native
    assert subject["organization_name"] == LONG_SCHOOL and subject["common_name"] == LONG_SCHOOL[:21]
    opened = load_key(info.path, PASSWORD)
    assert opened.info == key_info(opened.certificate, info.path, info.certificate_path)
    assert opened.info.school == LONG_SCHOOL and opened.info.fingerprint == info.fingerprint


@pytest.mark.parametrize("school", [
    "某" * 21,  # 63 bytes: whole in CN
    "Chengguan No.1 Primary School " * 3 + "Eastern Campus",  # Latin: one byte each
    "𠀀" * 100,  # CJK Extension B: four bytes each
    "Üxküll-Schule " * 7,  # two-byte letters
    "ทดสอบโรงเรียน" * 7,  # Thai: three bytes each, with combining marks
    LONG_NEIGHBOUR,
])
def test_common_name_is_the_longest_start_that_fits_64_bytes(school: str) -> None:
    from selfcheck.signing.keys import COMMON_NAME_MAX_BYTES, common_name_for

    school = school[:100]
    cut = common_name_for(school)
    size = len(cut.encode("utf-8"))
    assert school.startswith(cut) and 0 < size <= COMMON_NAME_MAX_BYTES
    if cut != school:  # nothing more would fit: the next character would go over
        assert size + len(school[len(cut)].encode("utf-8")) > COMMON_NAME_MAX_BYTES


@pytest.mark.parametrize("school", ["𠀀" * 100, "Chengguan No.1 Primary School, " * 3 + "East", "Ü" * 100])
def test_any_script_up_to_the_workbook_limit_makes_a_key(tmp_path: Path, school: str) -> None:
    from selfcheck.signing.keys import school_of

    school = school[:100]
    info = create_school_key(tmp_path / "school.p12", school, PASSWORD)
    assert info.school == school == school_of(load_key(info.path, PASSWORD).certificate)


def test_the_mac_is_as_slow_to_guess_as_the_encryption(school_key: SchoolKey) -> None:
    from asn1crypto import pkcs12

    from selfcheck.signing.keys import PBKDF2_ROUNDS
    from selfcheck.signing.pkcs12_mac import mac_parameters

    raw = school_key.p12.read_bytes()
    assert mac_parameters(raw) == ("sha256", PBKDF2_ROUNDS)
    for content_info in pkcs12.Pfx.load(raw).authenticated_safe:
        if content_info["content_type"].native == "encrypted_data":
            algo = content_info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            assert algo["parameters"]["key_derivation_func"]["parameters"]["iteration_count"].native == PBKDF2_ROUNDS
    assert load_key(school_key.p12, school_key.password).info.school == "某某市第一中学"
    with pytest.raises(SigningError, match="密钥文件密码错误"):
        load_key(school_key.p12, school_key.password + "x")


def test_the_mac_derivation_matches_what_openssl_writes(tmp_path: Path) -> None:
    """Recomputing cryptography's own 2,048-iteration MAC gives its bytes: the RFC 7292 derivation is right."""
    from asn1crypto import pkcs12
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption
    from cryptography.hazmat.primitives.serialization import pkcs12 as crypto_pkcs12

    from selfcheck.signing.pkcs12_mac import compute_mac

    for password in ("校园-Secret-2026", "a", "𠀀emoji😀"):
        raw = crypto_pkcs12.serialize_key_and_certificates(b"k", ec.generate_private_key(ec.SECP256R1()), None, None,
                                                           BestAvailableEncryption(password.encode()))
        mac = pkcs12.Pfx.load(raw)["mac_data"]
        assert compute_mac(raw, password, salt=mac["mac_salt"].native, iterations=mac["iterations"].native,
                           hash_name=mac["mac"]["digest_algorithm"]["algorithm"].native) == mac["mac"]["digest"].native


def test_openssl_reads_the_strengthened_mac(school_key: SchoolKey) -> None:
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    done = subprocess.run(["openssl", "pkcs12", "-in", str(school_key.p12), "-info", "-noout", "-passin",
                           f"pass:{school_key.password}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "MAC: sha256, Iteration 200000" in done.stdout + done.stderr


def test_a_legacy_ca_key_still_signs_and_is_flagged(tmp_path: Path) -> None:
    from selfcheck.signing.keys import LEGACY_CERTIFICATE_ADVICE, key_info
    from tests.verification import forgery

    legacy = forgery.make_certificate("某某市第一中学", ca=True)
    forgery.write_p12(legacy, tmp_path / "old.p12", PASSWORD)
    key = load_key(tmp_path / "old.p12", PASSWORD)
    assert key.info.legacy and key_info(legacy.cert, tmp_path / "old.cer").legacy
    assert "重新向教育局登记" in LEGACY_CERTIFICATE_ADVICE


def test_p12_is_aes256_pbkdf2_protected(school_key: SchoolKey) -> None:
    from asn1crypto import pkcs12

    pfx = pkcs12.Pfx.load(school_key.p12.read_bytes())
    algorithms = set()
    for content_info in pfx.authenticated_safe:
        if content_info["content_type"].native == "encrypted_data":
            algo = content_info["content"]["encrypted_content_info"]["content_encryption_algorithm"]
            algorithms.add((algo["algorithm"].native, algo.encryption_cipher, algo.key_length))
        else:
            bags = pkcs12.SafeContents.load(content_info["content"].native)
            for bag in bags:
                if bag["bag_id"].native == "pkcs8_shrouded_key_bag":
                    algo = bag["bag_value"]["encryption_algorithm"]
                    algorithms.add((algo["algorithm"].native, algo.encryption_cipher, algo.key_length))
    assert algorithms and all(a == ("pbes2", "aes", 32) for a in algorithms), algorithms


def test_load_gives_key_certificate_and_info(school_key: SchoolKey) -> None:
    key = load_key(school_key.p12, school_key.password)
    assert key.info.fingerprint == school_key.fingerprint == fingerprint(key.certificate)
    assert key.info.school == "某某市第一中学"
    assert key.info.certificate_path == school_key.cer
    assert key.chain == ()


@pytest.mark.parametrize(("content", "message"), [
    (None, "找不到密钥文件"),
    (b"", "是空的"),
    (b"\x30\x82\x01\x00garbage that is not pkcs12" * 4, "不是有效的密钥文件"),
])
def test_load_refuses_missing_empty_and_corrupt_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "school.p12"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SigningError, match=message):
        load_key(path, PASSWORD)


def test_load_refuses_a_truncated_p12(school_key: SchoolKey, tmp_path: Path) -> None:
    cut = tmp_path / "cut.p12"
    cut.write_bytes(school_key.p12.read_bytes()[:300])
    with pytest.raises(SigningError, match="不是有效的密钥文件"):
        load_key(cut, school_key.password)


def test_wrong_password_says_so(school_key: SchoolKey) -> None:
    with pytest.raises(SigningError, match="密钥文件密码错误") as info:
        load_key(school_key.p12, "not-the-password")
    assert "区分大小写" in str(info.value)


def test_expired_certificate_is_refused_for_signing_but_readable_for_info(tmp_path: Path) -> None:
    old = create_key(tmp_path, now=datetime(2015, 3, 1, tzinfo=UTC), years=1)
    with pytest.raises(SigningError, match=r"证书已于 2016-0\d-\d\d 过期"):
        load_key(old.p12, old.password)
    info = load_key(old.p12, old.password, check_dates=False).info
    assert info.not_valid_after < datetime.now(UTC)


def test_not_yet_valid_certificate_is_refused(tmp_path: Path) -> None:
    future = create_key(tmp_path, now=datetime.now(UTC) + timedelta(days=30))
    with pytest.raises(SigningError, match="才生效"):
        load_key(future.p12, future.password)


@pytest.mark.parametrize(("school", "password", "message"), [
    ("", PASSWORD, "请填写学校名称"),
    ("某某中学", "12345", "至少需要 6 个字符"),
    ("某" * 101, PASSWORD, r"^学校名称过长：最多 100 个字，现在有 101 个字。$"),
    ("某某\ud800中学", PASSWORD, "无法识别的字符"),  # half of a character pasted: refused in Chinese, not a traceback
])
def test_create_refuses_bad_input_and_writes_nothing(tmp_path: Path, school: str, password: str,
                                                     message: str) -> None:
    with pytest.raises(SigningError, match=message):
        create_school_key(tmp_path / "school.p12", school, password)
    assert _files(tmp_path) == []


def test_create_never_overwrites_an_existing_key_unless_asked(tmp_path: Path) -> None:
    first = create_key(tmp_path)
    before = first.p12.read_bytes()
    with pytest.raises(SigningError, match="文件已存在"):
        create_school_key(first.p12, "某某中学", PASSWORD)
    assert first.p12.read_bytes() == before
    replaced = create_school_key(first.p12, "某某中学", PASSWORD, overwrite=True)
    assert replaced.fingerprint != first.fingerprint
    assert _files(tmp_path) == ["school.cer", "school.p12"]


def test_create_refuses_a_missing_folder_and_a_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match="文件夹不存在"):
        create_school_key(tmp_path / "nope" / "school.p12", "某某中学", PASSWORD)
    with pytest.raises(SigningError, match=r"\.p12 结尾"):
        create_school_key(tmp_path / "school.key", "某某中学", PASSWORD)
    assert _files(tmp_path) == []


def _district_p12(tmp_path: Path, *, with_key: bool = True, expired: bool = False) -> Path:
    """A key pair whose certificate is issued by a district CA, packed as the district would hand it out."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC) - (timedelta(days=800) if expired else timedelta(days=1))
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "某某区教育局")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now).not_valid_after(now + timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "某某小学"),
                      x509.NameAttribute(NameOID.COMMON_NAME, "某某小学")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(2).not_valid_before(now).not_valid_after(now + timedelta(days=365))
            .sign(ca_key, hashes.SHA256()))
    path = tmp_path / "issued.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"school", key if with_key else None, cert, [ca], BestAvailableEncryption(b"district-pass")))
    return path


def test_import_copies_a_district_key_and_writes_its_certificate(tmp_path: Path) -> None:
    source = _district_p12(tmp_path)
    dest_dir = tmp_path / "keys"
    dest_dir.mkdir()
    info = import_key(source, "district-pass", dest_dir / "school.p12")
    assert _files(dest_dir) == ["school.cer", "school.p12"]
    assert (dest_dir / "school.p12").read_bytes() == source.read_bytes()
    assert info.school == "某某小学" and not info.self_signed and "某某区教育局" in info.issuer
    key = load_key(dest_dir / "school.p12", "district-pass")
    assert len(key.chain) == 1


@pytest.mark.parametrize(("kwargs", "password", "message"), [
    ({}, "wrong", "密码错误"),
    ({"expired": True}, "district-pass", "过期"),
    ({"with_key": False}, "district-pass", "没有私钥"),
])
def test_import_refusals_write_nothing(tmp_path: Path, kwargs: dict, password: str, message: str) -> None:
    source = _district_p12(tmp_path, **kwargs)
    dest_dir = tmp_path / "keys"
    dest_dir.mkdir()
    with pytest.raises(SigningError, match=message):
        import_key(source, password, dest_dir / "school.p12")
    assert _files(dest_dir) == []


def test_export_and_read_certificates_der_pem_and_folders(school_key: SchoolKey, other_key: SchoolKey,
                                                          tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    key = load_key(school_key.p12, school_key.password)
    out = export_certificate(key.certificate, tmp_path / "exported.cer")
    assert read_certificate(out) == key.certificate
    pem = tmp_path / "other.pem"
    pem.write_bytes(read_certificate(other_key.cer).public_bytes(serialization.Encoding.PEM))
    (tmp_path / "notes.txt").write_text("not a certificate", encoding="utf-8")
    found = read_certificates(tmp_path)
    assert {fingerprint(c) for c in found} == {school_key.fingerprint, other_key.fingerprint}
    bad = tmp_path / "bad.cer"
    bad.write_bytes(b"junk")
    with pytest.raises(SigningError, match="不是有效的证书文件"):
        read_certificates(bad)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SigningError, match="没有证书文件"):
        read_certificates(empty)
