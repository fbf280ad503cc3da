"""The verification contract of issue 10 (`Pin`, `verify_bytes` → result with failure kinds) over the older
`selfcheck.signing.verify` checks, used only until `selfcheck.verification` is merged. It maps that module's
findings onto the contract and compares the signer with the pins; it does no cryptography of its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Pin:
    fingerprint: str
    school: str
    revoked_at: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    intact: bool
    identity_checked: bool
    exit_code: int
    problems: list[str] = field(default_factory=list)
    failure_kinds: list[str] = field(default_factory=list)
    signer_fingerprint: str | None = None
    signer_school: str | None = None
    signing_time: datetime | None = None
    report_data: Any = None


def verify_bytes(raw: bytes, pins: list[Pin] | None = None, *, name: str = "") -> VerifyResult:
    from selfcheck.signing.verify import verify_bytes as legacy

    old = legacy(raw, None, name=name)
    problems = list(old.problems)
    kinds: list[str] = []
    if not raw.startswith(b"%PDF-"):
        kinds.append("not_selfcheck")
    elif not old.signatures and any("损坏" in p for p in problems):
        kinds.append("unreadable")
    elif not old.signatures:
        kinds.append("not_selfcheck")
    elif problems:
        kinds.append("tampered")
    if len(old.signatures) > 1 and "tampered" not in kinds:
        kinds.append("tampered")
        problems.append("报告中有多个签名：学校签名后文件又被签署或修改过。")
    data = old.report_data
    if old.signatures and data is None and not kinds:
        kinds.append("not_selfcheck")
        problems.extend(old.warnings or ["文件中没有自查报告数据。"])
    last = old.signatures[-1] if old.signatures else None
    intact = bool(last) and not kinds
    identity_checked = pins is not None
    if intact and last is not None and data is not None and pins is not None:
        pin = next((p for p in pins if p.fingerprint == last.fingerprint), None)
        signed = last.signing_time
        if pin is None:
            kinds.append("unregistered")
            problems.append(f"签名证书（指纹 {last.fingerprint}）未在区县登记。")
        elif pin.school != data.school.name:
            kinds.append("other_school")
            problems.append(f"报告写的是“{data.school.name}”，但签名证书登记给“{pin.school}”。")
        elif pin.revoked_at is not None and (signed is None or signed >= pin.revoked_at):
            kinds.append("revoked")
            problems.append(f"签名证书已于 {pin.revoked_at.astimezone():%Y-%m-%d %H:%M} 吊销，此报告在吊销之后签署。")
        elif signed is not None and ((pin.valid_from and signed < pin.valid_from)
                                     or (pin.valid_until and signed > pin.valid_until)):
            kinds.append("cert_not_valid_at_signing")
            problems.append("签名时间不在证书有效期内。")
    ok = not kinds and identity_checked and intact
    exit_code = 0 if ok else (3 if intact and not identity_checked else 2 if "unreadable" in kinds else 1)
    return VerifyResult(ok=ok, intact=intact, identity_checked=identity_checked, exit_code=exit_code,
                        problems=problems, failure_kinds=kinds, signer_fingerprint=last.fingerprint if last else None,
                        signer_school=last.signer_school if last else None,
                        signing_time=last.signing_time if last else None, report_data=data)
