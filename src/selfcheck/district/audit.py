"""A cheap self-check of the district workspace: does every counting record still match what was received?

The workspace is an ordinary file: anyone with access to the computer can edit its rows or swap a kept report. This
finds the edits that cost nothing to find — a counting record without the report it was accepted from, a kept copy
that is missing or is not the file received, a record whose data or certificate does not match — so that a summary
built on them is not trusted silently. (It cannot prove the absence of every edit: that needs re-verifying the kept
files, which `selfcheck verify --registry` does one by one.)"""

from __future__ import annotations

import json
from typing import Any

from selfcheck.district.verifying import display_fingerprint, file_sha256

__all__ = ["audit"]


def audit(store: Any, registry: Any) -> list[str]:
    """One Chinese sentence per record that does not hold together; empty when all do (`Reports.audit`)."""
    found: list[str] = []
    certificates = {c.fingerprint: c for c in registry.list()}
    rows = store.rows(
        "SELECT id, source_name, verdict, school_code, report_id, signer_fingerprint, file_sha256, stored_file, "
        "data, campaign_id FROM received WHERE verdict IN ('accepted', 'superseded') ORDER BY id")
    counting: dict[tuple[Any, Any], int] = {}
    for row in rows:
        label = f"接收记录 {row['id']}（{row['source_name']}）"
        if row["verdict"] == "accepted":
            key = (row["school_code"], row["campaign_id"])
            if key in counting:
                found.append(f"{label}与接收记录 {counting[key]} 同时计入同一所学校的同一次专项。")
            counting[key] = row["id"]
        if not row["data"] or not row["stored_file"]:
            found.append(f"{label}标记为已接收，但没有接收时的报告数据或副本。")
            continue
        path = store.reports_dir / row["stored_file"]
        if not path.is_file():
            found.append(f"{label}的报告副本不见了：{path}")
        elif file_sha256(path) != row["file_sha256"]:
            found.append(f"{label}的报告副本与接收时的文件不一致（被替换或改动过）：{path}")
        problem = _data_problem(row)
        if problem:
            found.append(f"{label}{problem}")
        cert = certificates.get(display_fingerprint(row["signer_fingerprint"]) or "")
        if cert is None:
            found.append(f"{label}的签名证书不在证书登记中。")
        elif cert.school_code != row["school_code"]:
            found.append(f"{label}记在学校代码 {row['school_code']} 名下，而签名证书登记给学校代码 {cert.school_code}。")
    return found


def _data_problem(row: dict[str, Any]) -> str:
    try:
        data = json.loads(row["data"])
    except ValueError:
        return "的报告数据已损坏。"
    if str(data.get("report_id")) != str(row["report_id"]):
        return "的报告数据与记录的报告编号不一致。"
    signer = display_fingerprint((data.get("signer") or {}).get("fingerprint_sha256"))
    if signer != display_fingerprint(row["signer_fingerprint"]):
        return "的报告数据与记录的签名证书不一致。"
    return ""
