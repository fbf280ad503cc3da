"""Is this signed report intact, unchanged since the school signed it, and the school's? (`selfcheck verify`)

A report passes only when the file has exactly one signature, it is cryptographically valid and covers the whole
file, pyHanko's difference analysis finds no change after it, the signed revision holds exactly one
selfcheck-report.json, that data names the signing certificate (fingerprint) and the school the certificate
names — and, for a full pass, the certificate's fingerprint is pinned for that school (identity.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from selfcheck.errors import SigningError
from selfcheck.report.data import ReportData
from selfcheck.verification.attachments import read_report_attachment
from selfcheck.verification.identity import Pin, check_identity, normalize_fingerprint
from selfcheck.verification.summary import DataSummary, summarize
from selfcheck.oserrors import os_reason

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 2 * 1024**3

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_IDENTITY_UNCHECKED = 3

VERDICT_PASSED = "通过"
VERDICT_IDENTITY_UNCHECKED = "签名完好，但未核对签名者身份"
VERDICT_FAILED = "未通过"

FAILURE_KINDS = frozenset({"unreadable", "not_selfcheck", "tampered", "unregistered", "other_school", "revoked",
                           "cert_not_valid_at_signing"})
IDENTITY_KINDS = frozenset({"unregistered", "other_school", "revoked", "cert_not_valid_at_signing"})

_MODIFICATIONS = {
    "LTA_UPDATES": "签名之后追加了验证数据或时间戳",
    "FORM_FILLING": "签名之后填写了表单或追加了签名",
    "ANNOTATIONS": "签名之后添加或修改了批注",
    "OTHER": "签名之后修改了文件内容（页面、附件或其他对象）",
}


class SignatureCheck(BaseModel):
    """The verdict on one signature in the file."""

    model_config = ConfigDict(frozen=True)

    field: str
    intact: bool = Field(description="签名覆盖的内容未被改动（摘要一致）")
    valid: bool = Field(description="签名值在密码学上有效")
    covers_whole_file: bool = Field(description="签名覆盖整个文件（其后没有追加修改）")
    coverage: str
    modification: str | None = Field(description="pyHanko 差异分析：签名之后的修改级别（none 为无修改）")
    certification: bool = Field(description="是否为禁止修改的认证签名（DocMDP）")
    signer_subject: str
    signer_school: str
    signer_names: list[str] = Field(default_factory=list, description="证书主体中的单位名称（O、OU、CN）")
    fingerprint: str
    signing_time: datetime | None
    damaged: str | None = None


class VerifyResult(BaseModel):
    """Everything `selfcheck verify` reports. `ok` is exit 0 only; `intact` is every check but identity."""

    model_config = ConfigDict(frozen=True)

    path: str
    ok: bool
    intact: bool
    identity_checked: bool
    exit_code: int
    verdict: str
    signatures: list[SignatureCheck]
    data: DataSummary | None
    problems: list[str] = Field(description="未通过的原因（中文）")
    failure_kinds: set[str] = Field(default_factory=set)
    signer_fingerprint: str | None = Field(description="签名证书的 SHA-256 指纹（64 位小写十六进制）")
    signer_school: str | None
    signing_time: datetime | None
    warnings: list[str] = Field(default_factory=list)
    report_data: ReportData | None = Field(default=None, exclude=True, description="完整的内嵌数据")

    @field_serializer("failure_kinds")
    def _sorted_kinds(self, kinds: set[str]) -> list[str]:
        return sorted(kinds)


def verify_report(path: Path, pins: Sequence[Pin] | None = None) -> VerifyResult:
    """Verify a signed report file; `pins` None means identity is not checked (never exit 0).

    A damaged, altered or forged file gives a failing result with the reasons in Chinese, never an exception.
    Raises SigningError only when the file cannot be read at all (missing, a folder, unreadable, too large).
    """
    path = Path(path)
    try:  # exists() and is_dir() raise too when the drive answers with an error (no permission, stick pulled out)
        if not path.exists():
            raise SigningError(f"找不到报告文件：{path}")
        if path.is_dir():
            raise SigningError(f"报告路径是一个文件夹：{path}")
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise SigningError(f"文件过大，不像是自查报告：{path}")
        raw = path.read_bytes()
    except OSError as err:
        raise SigningError(f"无法读取报告文件：{path}（{os_reason(err)}）") from None
    return verify_bytes(raw, pins, name=str(path))


class _Findings:
    """Reasons to fail, with their kinds; `broken` when any check other than the identity match failed."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.kinds: set[str] = set()
        self.broken = False

    def add(self, kind: str, problem: str, *, identity: bool = False) -> None:
        self.kinds.add(kind)
        self.broken = self.broken or not identity
        if problem not in self.problems:
            self.problems.append(problem)


def verify_bytes(raw: bytes, pins: Sequence[Pin] | None = None, *, name: str = "") -> VerifyResult:
    """Like verify_report, for PDF bytes already in memory."""
    found = _Findings()
    checks: list[SignatureCheck] = []
    data: ReportData | None = None
    signed_by_school = False  # the first signature could be read (its certificate is known)

    def result() -> VerifyResult:
        intact = bool(checks) and not found.broken
        identity_checked = pins is not None
        if intact and identity_checked and not found.kinds:
            code, verdict = EXIT_PASSED, VERDICT_PASSED
        elif intact and not identity_checked:
            code, verdict = EXIT_IDENTITY_UNCHECKED, VERDICT_IDENTITY_UNCHECKED
        else:
            code, verdict = EXIT_FAILED, VERDICT_FAILED
        first = checks[0] if checks and checks[0].fingerprint else None
        return VerifyResult(
            path=name, ok=code == EXIT_PASSED, intact=intact, identity_checked=identity_checked, exit_code=code,
            verdict=verdict, signatures=checks, data=summarize(data) if data else None, problems=found.problems,
            failure_kinds=found.kinds, signer_fingerprint=normalize_fingerprint(first.fingerprint) if first else None,
            signer_school=first.signer_school if first else None,
            signing_time=first.signing_time if first else None, report_data=data)

    if not raw.startswith(b"%PDF-"):
        found.add("unreadable", "不是 PDF 文件。")
        return result()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as err:  # an altered file can break the parser in many ways; all mean "not verified"
        log.info("PDF parse failed: %r", err)
        found.add("unreadable", f"PDF 文件结构已损坏，无法读取签名（{type(err).__name__}）。")
        return result()
    if not embedded:
        found.add("tampered", "文件中没有数字签名（签名可能已被去掉）：无法证明报告出自学校。")
        return result()
    if len(embedded) > 1:
        found.add("tampered", f"文件中有 {len(embedded)} 个签名，而 SelfCheck 报告只有学校的一个签名："
                              "学校签名之后，文件又被改动并另行签名。")

    for sig in embedded:
        with _quiet_validation():
            checks.append(_check_signature(sig))
    for index, check in enumerate(checks):
        label = f"第 {index + 1} 个签名（{check.field}）" if len(checks) > 1 else "签名"
        if check.damaged:
            found.add("tampered", f"{label}的数据已损坏，无法核验（{check.damaged}）。")
        elif not check.intact:
            found.add("tampered", f"{label}与文件内容不符：签名后文件被改动过（摘要不一致）。")
        elif not check.valid:
            found.add("tampered", f"{label}的签名值无效。")
    school_sig, first = embedded[0], checks[0]
    if not first.damaged:
        if not first.covers_whole_file:
            found.add("tampered", "学校签名没有覆盖整个文件：签名之后文件被追加或修改过。")
        if first.modification not in (None, "none"):
            found.add("tampered", f"差异分析：{_MODIFICATIONS.get(first.modification.upper(), first.modification)}。")
        signed_by_school = True

    attachment = _signed_attachment(reader, school_sig)
    if attachment.problem:
        found.add(attachment.kind or "not_selfcheck", attachment.problem)
    data = attachment.data
    if data is not None and signed_by_school:
        _check_data_names_signer(data, first, found)
    if pins is not None and signed_by_school:
        school = data.school.name if data is not None else first.signer_school
        identity = check_identity(first.fingerprint, school, first.signing_time, pins)
        for kind, problem in identity.findings:
            found.add(kind, problem, identity=True)
    return result()


def _signed_attachment(reader: Any, sig: Any) -> Any:
    """The report attachment as the school's signed revision holds it (what was signed, whatever came after)."""
    from selfcheck.verification.attachments import EmbeddedReport

    try:
        root = reader.get_historical_root(sig.signed_revision)
    except Exception as err:
        log.info("signed revision unreadable: %r", err)
        return EmbeddedReport(0, None, f"无法读取签名时的文件版本（{type(err).__name__}）。", "tampered")
    return read_report_attachment(root)


def _check_data_names_signer(data: ReportData, check: SignatureCheck, found: _Findings) -> None:
    from selfcheck.signing.school_match import report_school_warning

    if data.signer is None:
        found.add("tampered", "内嵌数据中没有记录签名证书：不是由 SelfCheck 签名导出的报告。")
    elif normalize_fingerprint(data.signer.fingerprint_sha256) != normalize_fingerprint(check.fingerprint):
        found.add("tampered", "报告中声明的证书指纹与实际签名证书不一致。")
    warning = report_school_warning(check.signer_names or check.signer_school, data.school.name)
    if warning:
        found.add("other_school", warning)


@contextlib.contextmanager
def _quiet_validation() -> Iterator[None]:
    """No trust roots are given to pyHanko (identity is by pinned fingerprint): keep it from logging the failed
    path search as a traceback."""
    logger = logging.getLogger("pyhanko.sign.validation")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _check_signature(sig: Any) -> SignatureCheck:
    from cryptography import x509 as crypto_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from selfcheck.signing.keys import describe_name, fingerprint, school_of
    from selfcheck.signing.school_match import certificate_schools

    field = str(getattr(sig, "field_name", "") or "")
    # Offline by design, and no trust roots: who signed is decided by pinned fingerprints, never by a chain.
    context = ValidationContext(trust_roots=[], allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, context)
        cert = crypto_x509.load_der_x509_certificate(status.signing_cert.dump())
        certification = sig.docmdp_level is not None
        level = status.modification_level
    except Exception as err:  # a damaged signature dictionary or CMS blob: not verified
        log.info("signature validation failed: %r", err)
        return SignatureCheck(field=field, intact=False, valid=False, covers_whole_file=False, coverage="unknown",
                              modification=None, certification=False, signer_subject="", signer_school="",
                              fingerprint="", signing_time=None, damaged=_damage(sig, err))
    coverage = status.coverage
    return SignatureCheck(
        field=field,
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=coverage.name.lower() if coverage is not None else "unknown",
        modification=level.name.lower() if level is not None else None,
        certification=certification,
        signer_subject=describe_name(cert.subject),
        signer_school=school_of(cert),
        signer_names=list(certificate_schools(cert)),
        fingerprint=fingerprint(cert),
        signing_time=status.signer_reported_dt,
    )


def _damage(sig: Any, err: Exception) -> str:
    """What is wrong with a signature pyHanko could not validate, in a few words."""
    try:
        sig.self_reported_timestamp  # noqa: B018 - parsing /M is the check
    except Exception:
        return "签名时间无法识别"
    return type(err).__name__
