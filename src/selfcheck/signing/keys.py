"""The school's signing key: create, import and load password-protected PKCS#12 files; certificates and fingerprints."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from selfcheck.errors import SigningError
from selfcheck.paths import data_dir
from selfcheck.oserrors import os_reason
from selfcheck.workbook.model_base import SCHOOL_NAME_MAX_LENGTH

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

MIN_PASSWORD_LENGTH = 6
PASSWORD_RULES_TEXT = (f"密码至少 {MIN_PASSWORD_LENGTH} 个字符，区分大小写，可以用汉字、字母、数字和符号；"
                       "建议 10 个字符以上，不要用学校名称、电话或生日。密码遗失后无法找回，也无法重置。")
LEGACY_CERTIFICATE_ADVICE = ("这个证书由旧版本 SelfCheck 创建，可以用来签发其他证书（CA:TRUE）。"
                             "它仍可签名，报告也仍可核验，但请尽快创建新的学校密钥，并把新证书重新向教育局登记。")
DEFAULT_VALIDITY_YEARS = 5
RSA_KEY_BITS = 3072
PBKDF2_ROUNDS = 200_000
CERTIFICATE_SUFFIXES = (".cer", ".crt", ".der", ".pem")
COMMON_NAME_MAX_BYTES = 64  # cryptography refuses a longer CN (RFC 5280's ub-common-name), counting UTF-8 bytes


class KeyInfo(BaseModel):
    """What a person needs to know about a key file (no secrets)."""

    model_config = ConfigDict(frozen=True)

    path: Path
    certificate_path: Path | None
    subject: str
    school: str
    issuer: str
    self_signed: bool
    fingerprint: str
    not_valid_before: datetime
    not_valid_after: datetime
    legacy: bool = False  # a CA certificate made by an older version: create a new key and register it again


@dataclass(frozen=True)
class SigningKey:
    """An opened key file: the private key, its certificate and any intermediate certificates."""

    private_key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    info: KeyInfo


def default_key_path() -> Path:
    """Where the app keeps the school's key unless the user picks another place."""
    return data_dir() / "keys" / "school.p12"


def certificate_path_for(p12_path: Path) -> Path:
    """The .cer file written beside a key file (school.p12 → school.cer)."""
    return p12_path.with_suffix(".cer")


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint of the DER certificate as upper-case hex pairs joined by colons (AB:CD:…)."""
    from cryptography.hazmat.primitives import hashes

    return ":".join(f"{b:02X}" for b in certificate.fingerprint(hashes.SHA256()))


def describe_name(name: x509.Name) -> str:
    """A readable distinguished name such as "C=CN, O=某某中学, CN=某某中学"."""
    labels = {"countryName": "C", "organizationName": "O", "commonName": "CN",
              "organizationalUnitName": "OU", "stateOrProvinceName": "ST", "localityName": "L"}
    parts = []
    for attribute in name:
        label = labels.get(attribute.oid._name, attribute.oid.dotted_string)
        parts.append(f"{label}={attribute.value}")
    return ", ".join(parts)


def common_name_for(school: str) -> str:
    """The school name as the certificate's CN: the whole name when it fits COMMON_NAME_MAX_BYTES of UTF-8, else
    its longest prefix that does, cut between characters (22 or more Chinese characters are too long). The whole
    name is always in O, which is what school_of reads; signing.school_match never takes this cut CN for a name."""
    encoded = school.encode("utf-8")
    if len(encoded) <= COMMON_NAME_MAX_BYTES:
        return school
    return encoded[:COMMON_NAME_MAX_BYTES].decode("utf-8", errors="ignore")  # drops a character cut in two


def school_of(certificate: x509.Certificate) -> str:
    """The organisation the certificate names (O, else CN)."""
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        values = certificate.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return describe_name(certificate.subject)


def key_info(certificate: x509.Certificate, path: Path, certificate_path: Path | None = None) -> KeyInfo:
    return KeyInfo(
        path=path,
        certificate_path=certificate_path,
        subject=describe_name(certificate.subject),
        school=school_of(certificate),
        issuer=describe_name(certificate.issuer),
        self_signed=certificate.issuer == certificate.subject,
        fingerprint=fingerprint(certificate),
        not_valid_before=certificate.not_valid_before_utc,
        not_valid_after=certificate.not_valid_after_utc,
        legacy=is_legacy_certificate(certificate),
    )


def is_legacy_certificate(certificate: x509.Certificate) -> bool:
    """True for a certificate that may issue others (CA:TRUE or keyCertSign), as versions before 0.2 made them:
    whoever holds its key could issue a certificate in any name. Such keys still sign and verify."""
    from cryptography import x509 as crypto_x509

    try:
        if certificate.extensions.get_extension_for_class(crypto_x509.BasicConstraints).value.ca:
            return True
    except crypto_x509.ExtensionNotFound:
        pass
    try:
        return bool(certificate.extensions.get_extension_for_class(crypto_x509.KeyUsage).value.key_cert_sign)
    except crypto_x509.ExtensionNotFound:
        return False


# --- creating ----------------------------------------------------------------------------------------------------


def create_school_key(
    out: Path,
    school: str,
    password: str,
    *,
    years: int = DEFAULT_VALIDITY_YEARS,
    overwrite: bool = False,
    now: datetime | None = None,
) -> KeyInfo:
    """Create a key pair and a self-signed end-entity certificate naming the school (C=CN, O=school,
    CN=common_name_for(school): the same name, cut to fit when it is too long for a CN).

    Writes `out` (PKCS#12, AES-256/PBKDF2 and a SHA-256 MAC, both at PBKDF2_ROUNDS, protected by `password`) and
    the certificate beside it as `.cer` (DER).
    Raises SigningError (nothing written) for an empty school name or one longer than a workbook's (more than
    SCHOOL_NAME_MAX_LENGTH characters), a short password, an existing file (unless `overwrite`) or an unwritable
    folder.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    school = school.strip()
    if not school:
        raise SigningError("请填写学校名称，证书上要写明学校。")
    if len(school) > SCHOOL_NAME_MAX_LENGTH:
        raise SigningError(f"学校名称过长：最多 {SCHOOL_NAME_MAX_LENGTH} 个字，现在有 {len(school)} 个字。")
    try:
        school.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. half of a pasted character
        raise SigningError("学校名称中有无法识别的字符，请重新输入学校名称。") from None
    _check_new_password(password)
    out = Path(out)
    cer = certificate_path_for(out)
    if out.suffix.lower() not in (".p12", ".pfx"):
        raise SigningError(f"密钥文件名应以 .p12 结尾：{out}")
    _check_writable(out, cer, overwrite=overwrite)

    now = (now or datetime.now(UTC)).astimezone(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, school),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name_for(school)),
    ])
    not_before = now - timedelta(hours=1)  # tolerate a slightly wrong clock on the verifying PC
    public_key = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + timedelta(days=365 * years + years // 4))
        # An end-entity certificate: it can sign documents but never issue another certificate, so holding it
        # (as the district does) cannot make anyone trust a certificate it would sign. Districts pin its
        # fingerprint; Adobe Reader and NSS accept such a self-signed certificate as a directly trusted one.
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    p12 = _pkcs12_bytes(key, certificate, (), password, friendly_name=school)
    der = certificate.public_bytes(serialization.Encoding.DER)
    _write_files([(out, p12), (cer, der)])
    return key_info(certificate, out, cer)


def _pkcs12_bytes(key: PrivateKeyTypes, certificate: x509.Certificate, chain: Iterable[x509.Certificate],
                  password: str, *, friendly_name: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.serialization import PrivateFormat, pkcs12

    encryption = (
        PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PBKDF2_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(password.encode("utf-8"))
    )
    from selfcheck.signing.pkcs12_mac import strengthen_mac

    p12 = pkcs12.serialize_key_and_certificates(
        friendly_name.encode("utf-8"), key, certificate, list(chain) or None, encryption  # type: ignore[arg-type]
    )
    return strengthen_mac(p12, password, PBKDF2_ROUNDS)  # cryptography's own MAC uses only 2,048 iterations


# --- loading and importing ---------------------------------------------------------------------------------------


def load_key(path: Path, password: str, *, now: datetime | None = None, check_dates: bool = True) -> SigningKey:
    """Open a PKCS#12 key file for signing.

    Raises SigningError with a Chinese message when the file is missing or unreadable, is not a PKCS#12 file,
    the password is wrong, it holds no private key or certificate, the key does not match the certificate, or
    (unless `check_dates` is False, for showing information) the certificate has expired or is not yet valid.
    """
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = Path(path)
    data = _read(path, what="密钥文件")
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
    except ValueError:
        if _looks_like_pkcs12(data):
            raise SigningError(f"密钥文件密码错误：{path.name}", hint="请检查密码（区分大小写）后重试。") from None
        raise SigningError(f"不是有效的密钥文件（PKCS#12/.p12），文件可能已损坏：{path}") from None
    if key is None:
        raise SigningError(f"密钥文件中没有私钥，无法用于签名：{path.name}")
    if certificate is None:
        raise SigningError(f"密钥文件中没有证书，无法用于签名：{path.name}")
    if not _same_public_key(key, certificate):
        raise SigningError(f"密钥文件中的私钥与证书不匹配：{path.name}")
    if check_dates:
        check_validity(certificate, now=now)
    cer = certificate_path_for(path)
    info = key_info(certificate, path, cer if cer.is_file() else None)
    return SigningKey(private_key=key, certificate=certificate, chain=tuple(extra), info=info)


def check_validity(certificate: x509.Certificate, *, now: datetime | None = None) -> None:
    """Raise SigningError if the certificate is expired or not yet valid at `now` (default: the current time)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if certificate.not_valid_after_utc < now:
        expired = certificate.not_valid_after_utc.astimezone().strftime("%Y-%m-%d")
        raise SigningError(f"证书已于 {expired} 过期，不能再用于签名。",
                           hint="请重新创建学校密钥，或向教育局申请新的证书，并重新登记证书指纹。")
    if certificate.not_valid_before_utc > now:
        start = certificate.not_valid_before_utc.astimezone().strftime("%Y-%m-%d %H:%M")
        raise SigningError(f"证书要到 {start} 才生效，请检查电脑的日期和时间。")


def import_key(source: Path, password: str, dest: Path, *, overwrite: bool = False,
               now: datetime | None = None) -> KeyInfo:
    """Check a district-issued .p12 (opens with `password`, has key and certificate, not expired) and copy it to `dest`.

    The certificate is written beside `dest` as `.cer`. Raises SigningError (nothing written) on any problem.
    """
    from cryptography.hazmat.primitives import serialization

    source, dest = Path(source), Path(dest)
    signing_key = load_key(source, password, now=now)
    cer = certificate_path_for(dest)
    if source.resolve() != dest.resolve():
        _check_writable(dest, cer, overwrite=overwrite)
        files = [(dest, source.read_bytes())]
    else:
        files = []
    files.append((cer, signing_key.certificate.public_bytes(serialization.Encoding.DER)))
    _write_files(files)
    return key_info(signing_key.certificate, dest, cer)


def export_certificate(certificate: x509.Certificate, out: Path, *, overwrite: bool = True) -> Path:
    """Write the certificate as DER (.cer) for registration with the district; raises SigningError on failure."""
    from cryptography.hazmat.primitives import serialization

    out = Path(out)
    if not overwrite and out.exists():
        raise SigningError(f"文件已存在：{out}")
    _write_files([(out, certificate.public_bytes(serialization.Encoding.DER))])
    return out


def read_certificate(path: Path) -> x509.Certificate:
    """Read a certificate file (DER or PEM); raises SigningError if it is missing or not a certificate."""
    from cryptography import x509

    path = Path(path)
    data = _read(path, what="证书文件")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise SigningError(f"不是有效的证书文件（.cer/.crt/.pem）：{path}") from None


def read_certificates(path: Path) -> list[x509.Certificate]:
    """Certificates from one file, or from every .cer/.crt/.der/.pem file in a folder (a trust list)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERTIFICATE_SUFFIXES)
        if not files:
            raise SigningError(f"文件夹中没有证书文件（.cer/.crt/.der/.pem）：{path}")
        return [read_certificate(p) for p in files]
    return [read_certificate(path)]


# --- helpers -----------------------------------------------------------------------------------------------------


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise SigningError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符。")


def _check_writable(*paths: Path, overwrite: bool) -> None:
    for path in paths:
        if path.exists() and not overwrite:
            raise SigningError(f"文件已存在，未覆盖：{path}", hint="如确需替换原有密钥，请先备份并删除原文件。")
        if path.is_dir():
            raise SigningError(f"该路径是一个文件夹：{path}")
    folder = paths[0].parent
    if not folder.is_dir():
        raise SigningError(f"文件夹不存在：{folder}")


def _read(path: Path, *, what: str) -> bytes:
    if not path.exists():
        raise SigningError(f"找不到{what}：{path}")
    if path.is_dir():
        raise SigningError(f"{what}路径是一个文件夹：{path}")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SigningError(f"无法读取{what}：{path}（{os_reason(err)}）") from None
    if not data:
        raise SigningError(f"{what}是空的，可能已损坏：{path}")
    return data


def _looks_like_pkcs12(data: bytes) -> bool:
    """Whether the bytes parse as a PKCS#12 structure, so a load failure means a wrong password."""
    from asn1crypto import pkcs12 as asn1_pkcs12

    try:
        pfx = asn1_pkcs12.Pfx.load(data, strict=True)
        pfx["auth_safe"]["content"].native  # noqa: B018 - forces a full parse of the outer structure
        return pfx["version"].native == "v3"
    except Exception:  # asn1crypto raises assorted errors on garbage
        return False


def _same_public_key(key: PrivateKeyTypes, certificate: x509.Certificate) -> bool:
    from cryptography.hazmat.primitives import serialization

    fmt = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        return key.public_key().public_bytes(*fmt) == certificate.public_key().public_bytes(*fmt)  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        return False


def _write_files(files: list[tuple[Path, bytes]]) -> None:
    """Write every file through a temporary file and rename; on failure remove what was written."""
    temps: list[tuple[Path, Path]] = []
    done: list[Path] = []
    existed = {target for target, _ in files if target.exists()}
    target = files[0][0]
    try:
        for target, data in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((Path(tmp), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in temps:
            os.replace(tmp, target)
            done.append(target)
    except OSError as err:
        failed = target  # the file being written or renamed into place when it failed
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for written in done:
            if written not in existed:  # never delete a file that replaced an older one
                with contextlib.suppress(OSError):
                    written.unlink()
        raise SigningError(f"无法写入文件：{failed}（{os_reason(err)}）") from None
