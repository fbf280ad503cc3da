"""Checks a signed report: signature intact and covering the whole file, signer, trust, and the embedded JSON data."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from selfcheck.errors import SigningError
from selfcheck.report.data import ATTACHMENT_NAME, ReportData

if TYPE_CHECKING:
    from cryptography import x509

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 2 * 1024**3


class SignatureCheck(BaseModel):
    """The verdict on one signature in the file."""

    model_config = ConfigDict(frozen=True)

    field: str
    intact: bool = Field(description="签名覆盖的内容未被改动（摘要一致）")
    valid: bool = Field(description="签名值在密码学上有效")
    covers_whole_file: bool = Field(description="签名覆盖整个文件（其后没有追加修改）")
    coverage: str
    signer_subject: str
    signer_school: str
    signer_names: list[str] = Field(default_factory=list, description="证书主体中的单位名称（O、OU、CN）")
    fingerprint: str
    signing_time: datetime | None
    trusted: bool | None = Field(description="是否可追溯到给定的受信任证书；未给定时为 None")
    trust_problem: str | None = None


class DataSummary(BaseModel):
    """A short summary of the embedded selfcheck-report JSON."""

    schema_: str = Field(alias="schema")
    report_id: str
    generated_at: datetime
    school: str
    inspection: str
    period: str
    checklists: list[str]
    items: int
    compliant: int
    noncompliant: int
    na: int
    unanswered: int
    score: str
    problems: int
    open_problems: int
    overdue_problems: int
    photos: int
    audit_head: str
    audit_entries: int
    declared_fingerprint: str | None

    model_config = ConfigDict(frozen=True, populate_by_name=True)


class VerifyResult(BaseModel):
    """Everything `selfcheck verify` reports; `ok` is the exit verdict."""

    model_config = ConfigDict(frozen=True)

    path: str
    ok: bool
    signatures: list[SignatureCheck]
    data: DataSummary | None
    problems: list[str] = Field(description="不通过的原因（中文）")
    warnings: list[str] = Field(default_factory=list)
    trust_checked: bool
    report_data: ReportData | None = Field(default=None, exclude=True, description="完整的内嵌数据")


def verify_report(path: Path, trust: list[x509.Certificate] | None = None) -> VerifyResult:
    """Verify a signed report file.

    `ok` is True only when there is at least one signature, every signature is intact and cryptographically valid,
    the last one covers the entire file, and — when `trust` is given — the signer chains to one of those
    certificates. A damaged or altered file gives ok=False with the reasons in Chinese, never an exception.
    Raises SigningError only when the file cannot be read at all (missing, a folder, unreadable).
    """
    path = Path(path)
    if not path.exists():
        raise SigningError(f"找不到报告文件：{path}")
    if path.is_dir():
        raise SigningError(f"报告路径是一个文件夹：{path}")
    try:
        if path.stat().st_size > MAX_REPORT_BYTES:
            raise SigningError(f"文件过大，不像是自查报告：{path}")
        raw = path.read_bytes()
    except OSError as err:
        raise SigningError(f"无法读取报告文件：{path}（{err.strerror or err}）") from None
    return verify_bytes(raw, trust, name=str(path))


def verify_bytes(raw: bytes, trust: list[x509.Certificate] | None = None, *, name: str = "") -> VerifyResult:
    """Like verify_report, for PDF bytes already in memory."""
    problems: list[str] = []
    warnings: list[str] = []
    checks: list[SignatureCheck] = []
    summary: DataSummary | None = None
    data: ReportData | None = None
    trust_checked = trust is not None

    def result() -> VerifyResult:
        ok = not problems and bool(checks)
        return VerifyResult(path=name, ok=ok, signatures=checks, data=summary, problems=problems,
                            warnings=warnings, trust_checked=trust_checked, report_data=data)

    if not raw.startswith(b"%PDF-"):
        problems.append("不是 PDF 文件。")
        return result()
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(io.BytesIO(raw), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as err:  # an altered file can break the parser in many ways; all mean "not verified"
        log.info("PDF parse failed: %r", err)
        problems.append(f"PDF 文件结构已损坏，无法读取签名（{type(err).__name__}）。")
        return result()
    if not embedded:
        problems.append("文件中没有数字签名。")
        return result()

    context = _validation_context(trust)
    for index, sig in enumerate(embedded):
        last = index == len(embedded) - 1
        with _quiet_path_building(not trust_checked):
            check = _check_signature(sig, context, trust_checked)
        checks.append(check)
        label = f"签名“{check.field}”" if len(embedded) > 1 else "签名"
        if not check.intact:
            problems.append(f"{label}与文件内容不符：签名后文件被改动过（摘要不一致）。")
        elif not check.valid:
            problems.append(f"{label}的签名值无效。")
        if last and not check.covers_whole_file:
            problems.append(f"{label}没有覆盖整个文件：签名之后文件被追加或修改过。")
        if trust_checked and check.trusted is False:
            problems.append(f"{label}的证书不在给定的受信任证书中（{check.trust_problem or '无法建立信任链'}）。")

    try:
        data = read_embedded_data(reader)
    except ValueError as err:
        data = None
        warnings.append(f"内嵌数据无法解析：{err}")
    except Exception as err:  # a damaged stream (zlib, parser) inside an altered file
        log.info("embedded data unreadable: %r", err)
        data = None
        warnings.append(f"内嵌数据已损坏，无法读取（{type(err).__name__}）。")
    if data is None:
        if not any(w.startswith("内嵌数据") for w in warnings):
            warnings.append(f"文件中没有内嵌数据 {ATTACHMENT_NAME}，不是 SelfCheck 导出的报告。")
    else:
        summary = summarize(data)
        if checks and data.signer is not None and data.signer.fingerprint_sha256 != checks[-1].fingerprint:
            problems.append("报告中声明的证书指纹与实际签名证书不一致。")
        warnings.extend(_school_warnings(checks, data.school.name))
    return result()


def _school_warnings(checks: list[SignatureCheck], school: str) -> list[str]:
    """One warning per distinct signer whose certificate names another school than the report (not a failure:
    the signature may be valid, but the district should know who really signed)."""
    from selfcheck.signing.school_match import report_school_warning

    found: list[str] = []
    for check in checks:
        if not check.signer_subject:  # a damaged signature: its problem is already reported
            continue
        warning = report_school_warning(check.signer_names or check.signer_school, school)
        if warning and warning not in found:
            found.append(warning)
    return found


@contextlib.contextmanager
def _quiet_path_building(quiet: bool) -> Iterator[None]:
    """Without trust roots every path search fails by design; keep pyHanko from logging a traceback about it."""
    logger = logging.getLogger("pyhanko.sign.validation")
    previous = logger.level
    if quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _validation_context(trust: list[x509.Certificate] | None) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust or []]
    # Offline by design: no fetching of CRLs/OCSP; revocation is not checked for school certificates.
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _check_signature(sig: Any, context: Any, trust_checked: bool) -> SignatureCheck:
    from cryptography import x509 as crypto_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    from selfcheck.signing.keys import describe_name, fingerprint, school_of
    from selfcheck.signing.school_match import certificate_schools

    field = str(getattr(sig, "field_name", "") or "")
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as err:  # a damaged signature dictionary or CMS blob: not verified
        log.info("signature validation failed: %r", err)
        return SignatureCheck(field=field, intact=False, valid=False, covers_whole_file=False, coverage="unknown",
                              signer_subject="", signer_school="", fingerprint="", signing_time=None,
                              trusted=False if trust_checked else None,
                              trust_problem=f"签名数据已损坏（{type(err).__name__}）")
    cert = crypto_x509.load_der_x509_certificate(status.signing_cert.dump())
    coverage = status.coverage
    trust_problem = None
    if trust_checked and not status.trusted:
        indic = status.trust_problem_indic
        trust_problem = _TRUST_PROBLEMS.get(getattr(indic, "name", ""), str(indic) if indic else "签名无效")
    return SignatureCheck(
        field=field,
        intact=bool(status.intact),
        valid=bool(status.valid),
        covers_whole_file=coverage == SignatureCoverageLevel.ENTIRE_FILE,
        coverage=coverage.name.lower() if coverage is not None else "unknown",
        signer_subject=describe_name(cert.subject),
        signer_school=school_of(cert),
        signer_names=list(certificate_schools(cert)),
        fingerprint=fingerprint(cert),
        signing_time=status.signer_reported_dt,
        trusted=bool(status.trusted) if trust_checked else None,
        trust_problem=trust_problem,
    )


_TRUST_PROBLEMS = {
    "NO_CERTIFICATE_CHAIN_FOUND": "找不到通往受信任证书的证书链",
    "CHAIN_CONSTRAINTS_FAILURE": "证书链约束不满足",
    "EXPIRED": "证书已过期",
    "NOT_YET_VALID": "证书尚未生效",
    "OUT_OF_BOUNDS_NO_POE": "签名时间不在证书有效期内",
    "REVOKED": "证书已被吊销",
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": "证书链校验失败",
    "SIG_CONSTRAINTS_FAILURE": "证书用途不允许签名",
}


def read_embedded_data(reader: Any) -> ReportData | None:
    """The embedded selfcheck-report JSON, or None when absent; raises ValueError when present but invalid."""
    from pydantic import ValidationError

    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) != ATTACHMENT_NAME:
            continue
        spec = names[i + 1].get_object()
        try:
            raw = spec["/EF"]["/F"].get_object().data
        except (KeyError, TypeError) as err:
            raise ValueError(f"附件结构损坏（{err}）") from None
        try:
            return ReportData.from_json(raw)
        except ValidationError as err:
            raise ValueError(f"不符合 selfcheck-report/1 格式（{err.error_count()} 处错误）") from None
    return None


def summarize(data: ReportData) -> DataSummary:
    t = data.totals
    overdue = data.overdue_problems()
    return DataSummary(
        schema=data.schema_,
        report_id=str(data.report_id),
        generated_at=data.generated_at,
        school=data.school.name,
        inspection=data.inspection.title,
        period=f"{data.inspection.period_start.isoformat()} 至 {data.inspection.period_end.isoformat()}",
        checklists=[f"{c.id} {c.version}" for c in data.checklists],
        items=t.items, compliant=t.compliant, noncompliant=t.noncompliant, na=t.na, unanswered=t.unanswered,
        score=f"{t.score}/{t.max_score}",
        problems=len(data.problems),
        open_problems=sum(1 for p in data.problems if p.status != "已销号"),
        overdue_problems=len(overdue),
        photos=len(data.photos),
        audit_head=data.audit.hash,
        audit_entries=data.audit.entries,
        declared_fingerprint=data.signer.fingerprint_sha256 if data.signer else None,
    )


def extract_data(path: Path) -> ReportData:
    """Read the embedded ReportData from a report (without judging the signature); raises SigningError."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = Path(path)
    if not path.is_file():
        raise SigningError(f"找不到报告文件：{path}")
    try:
        with path.open("rb") as handle:
            data = read_embedded_data(PdfFileReader(handle, strict=False))
    except ValueError as err:
        raise SigningError(f"报告内嵌数据无法解析：{err}") from None
    except Exception as err:  # damaged PDF
        raise SigningError(f"报告文件已损坏，无法读取（{type(err).__name__}）。") from None
    if data is None:
        raise SigningError(f"文件中没有内嵌数据 {ATTACHMENT_NAME}。")
    return data
