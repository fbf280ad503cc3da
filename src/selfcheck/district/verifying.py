"""The one door to verification for the district: every received file is classified by
`selfcheck.verification.report.verify_bytes` against the registry's pins, in a worker process."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from selfcheck.district.indexing import IndexRows, rows_of
from selfcheck.verification.identity import Pin
from selfcheck.verification.report import verify_bytes
from selfcheck.oserrors import os_reason

__all__ = ["MAX_REPORT_BYTES", "Classified", "Pin", "classify_file", "display_fingerprint", "file_sha256", "verify_bytes"]

log = logging.getLogger(__name__)

MAX_REPORT_BYTES = 512 * 1024 * 1024
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Classified:
    """What a worker sends back for one file (small and picklable; the report JSON only when it passed)."""

    name: str
    sha256: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    failure_kinds: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    signer_school: str | None = None
    signing_time: datetime | None = None
    report_json: str | None = None
    claimed_school: str | None = None
    report_id: str | None = None
    generated_at: datetime | None = None
    checklists: dict[str, str] = field(default_factory=dict)  # id → version, when it passed
    index: IndexRows | None = None  # the summary rows, when it passed
    period: tuple[date, date] | None = None  # the inspection period the report covers


def preload() -> None:
    """Import what verifying needs, so that worker processes forked from this one start ready."""
    import pyhanko.pdf_utils.reader  # noqa: F401
    import pyhanko.sign.validation  # noqa: F401
    import pyhanko.sign.validation.status  # noqa: F401
    import pyhanko_certvalidator  # noqa: F401


def display_fingerprint(value: str | None) -> str | None:
    """A fingerprint as the registry and the report print it: upper-case hex pairs joined by colons."""
    if not value:
        return None
    digits = "".join(c for c in value if c in "0123456789abcdefABCDEF").upper()
    return ":".join(digits[i:i + 2] for i in range(0, len(digits), 2))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def classify_file(path: str, name: str, pins: list[Any]) -> Classified:
    """Read and verify one file against `pins`; never raises for a bad file (it is a verdict)."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_REPORT_BYTES:
            return Classified(name=name, sha256="", ok=False, problems=["文件过大，不是自查报告。"],
                              failure_kinds=["not_selfcheck"])
        raw = Path(path).read_bytes()
    except OSError as err:
        return Classified(name=name, sha256="", ok=False, problems=[f"无法读取文件（{os_reason(err)}）。"],
                          failure_kinds=["unreadable"])
    sha = hashlib.sha256(raw).hexdigest()
    try:
        result = verify_bytes(raw, pins, name=name)
    except Exception as err:  # verify_bytes turns bad files into verdicts; anything else is a bug, not a crash
        log.exception("verifying %s failed", name)
        return Classified(name=name, sha256=sha, ok=False, failure_kinds=["unreadable"],
                          problems=[f"核验时出现内部错误（{type(err).__name__}），未接收。详细信息已写入日志。"])
    del raw
    return classified(result, name, sha)


def classified(result: Any, name: str, sha: str) -> Classified:
    """A verification result as the district judges it (see Reports.judge and receiving)."""
    data = result.report_data
    return Classified(
        name=name, sha256=sha, ok=bool(result.ok), problems=list(result.problems),
        failure_kinds=sorted(result.failure_kinds), fingerprint=display_fingerprint(result.signer_fingerprint),
        signer_school=result.signer_school, signing_time=result.signing_time,
        report_json=data.to_json() if result.ok and data is not None else None,
        claimed_school=data.school.name if data is not None else None,
        report_id=str(data.report_id) if data is not None else None,
        generated_at=data.generated_at if data is not None else None,
        checklists={c.id: c.version for c in data.checklists} if result.ok and data is not None else {},
        index=rows_of(data) if result.ok and data is not None else None,
        period=(data.inspection.period_start, data.inspection.period_end) if data is not None else None,
    )
