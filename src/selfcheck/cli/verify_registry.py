"""`selfcheck verify REPORT.pdf --registry PATH`: one report checked against a district's registry, exactly as
`selfcheck district receive` would judge it (without receiving it)."""

from __future__ import annotations

import json
from pathlib import Path

from selfcheck.errors import UserError

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1


def verify_against_registry(report: Path, registry: Path, *, as_json: bool, trust: Path | None = None) -> int:
    from selfcheck.district.verifying import MAX_REPORT_BYTES, verify_bytes
    from selfcheck.district.workspace import DistrictWorkspace

    if trust is not None:
        raise UserError("--trust 与 --registry 不能同时使用：--registry 已按区县登记的证书核对。")
    report = Path(report)
    if not report.is_file():
        raise UserError(f"找不到报告文件：{report}")
    if report.stat().st_size > MAX_REPORT_BYTES:
        raise UserError(f"文件过大，不像是自查报告：{report}")
    try:
        raw = report.read_bytes()
    except OSError as err:
        raise UserError(f"无法读取报告文件：{report}（{err.strerror or err}）") from None
    with DistrictWorkspace.open(registry, read_only=True) as ws:
        pins = ws.registry.pins()
        result = verify_bytes(raw, pins, name=str(report))
        problems = list(result.problems)
        kinds = list(result.failure_kinds)
        cert = ws.registry.by_fingerprint(result.signer_fingerprint) if result.signer_fingerprint else None
        school = ws.roster.get(cert.school_code) if cert is not None and cert.school_code else None
        if result.ok and school is None:
            problems.append("签名证书登记的学校不在本区县的学校名册中。")
            kinds.append("not_on_roster")
        district = ws.name
    if "unreadable" in kinds and not result.intact:
        code = 2
    else:
        code = EXIT_OK if result.ok and not problems else EXIT_NOT_VERIFIED
    data = result.report_data
    if as_json:
        payload = {
            "path": str(report), "ok": code == EXIT_OK, "identity_checked": True, "registry": str(registry),
            "district": district, "school_code": school.code if school else None,
            "signer_fingerprint": result.signer_fingerprint, "signer_school": result.signer_school,
            "signing_time": result.signing_time.isoformat() if result.signing_time else None,
            "problems": problems, "failure_kinds": kinds,
            "report_data": json.loads(data.to_json()) if data is not None else None,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return code
    print("结论：通过。" if code == EXIT_OK else "结论：未通过。")
    print(f"报告：{report}")
    print(f"核对依据：{district} 的证书登记（{registry.name}）")
    if data is not None:
        print(f"学校：{data.school.name}" + (f"（名册代码 {school.code}）" if school else ""))
        print(f"报告编号：{data.report_id}")
    if result.signer_fingerprint:
        print(f"证书指纹（SHA-256）：{result.signer_fingerprint}")
    if result.signing_time:
        print(f"签名时间：{result.signing_time.astimezone():%Y-%m-%d %H:%M:%S %z}")
    for problem in problems:
        print(f"  - {problem}")
    return code
