"""`selfcheck verify REPORT.pdf --registry PATH`: one report checked against a district's registry (pinned
fingerprints, revocations, validity) and its own rules (the roster, no signing time in the future, no other school's
report id, the current campaign), exactly as `selfcheck district receive` judges it, without receiving it. Same
output and exit codes as `selfcheck verify --trust`."""

from __future__ import annotations

import json
from pathlib import Path

from selfcheck.errors import UserError


def verify_against_registry(report: Path, registry: Path, *, as_json: bool, trust: Path | None = None) -> int:
    from selfcheck.cli.verify_cmd import human_lines
    from selfcheck.district.verifying import classified
    from selfcheck.district.workspace import DistrictWorkspace
    from selfcheck.verification.report import EXIT_FAILED, VERDICT_FAILED, verify_report

    if trust is not None:
        raise UserError("--trust 与 --registry 不能同时使用：--registry 已按区县登记的证书核对。")
    with DistrictWorkspace.open(registry, read_only=True) as ws:
        result = verify_report(Path(report), ws.registry.pins())
        cert = ws.registry.by_fingerprint(result.signer_fingerprint) if result.signer_fingerprint else None
        school = ws.roster.find(code=cert.school_code) if cert is not None and cert.school_code else None
        district = ws.name
        problem, kind = ws.reports.judge(classified(result, Path(report).name, "")) if result.ok else ("", "")
    if problem:
        result = result.model_copy(update={
            "ok": False, "exit_code": EXIT_FAILED, "verdict": VERDICT_FAILED,
            "problems": [*result.problems, problem], "failure_kinds": {*result.failure_kinds, kind}})
    if as_json:
        payload = json.loads(result.model_dump_json(by_alias=True))
        payload["registry"] = {"path": str(registry), "district": district,
                               "school_code": school.code if school else None}
        payload["report_data"] = json.loads(result.report_data.to_json()) if result.report_data else None
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        lines = human_lines(result)
        lines.insert(1 + len(result.problems) + (1 if result.problems else 0),
                     f"核对依据：{district}的证书登记（{Path(registry).name}）"
                     + (f"，名册学校代码 {school.code}" if school else ""))
        print("\n".join(lines))
    return result.exit_code
