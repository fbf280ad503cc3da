"""End-to-end smoke test of an installed copy: workbook, answer, photo, key, signed report, verification."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from selfcheck import __version__

RESULT_NAME = "smoke-result.json"
SCHOOL = "冒烟测试学校"


def _sample_photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 900), (70, 110, 160))
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 100, 1100, 800), outline=(255, 255, 255), width=12)
    draw.ellipse((450, 300, 750, 600), fill=(200, 30, 40))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def run_smoke(directory: Path, *, log: Callable[[str], None] = print) -> dict[str, Any]:
    """Run every layer once in `directory` and return the facts; raises on the first failure.

    Creates a workbook, answers an item non-compliant, imports a photo, creates a key, exports a signed report
    and verifies it (intact, unchanged, the signer pinned by the school's certificate: exit 0) and the audit chain.
    """
    from selfcheck.checklists.loader import load_builtin_checklists
    from selfcheck.checklists.models import YesNoAnswer
    from selfcheck.report.collect import build_report_data
    from selfcheck.report.export import export_report
    from selfcheck.signing.keys import certificate_path_for, create_school_key, read_certificates
    from selfcheck.verification.identity import pins_from_certificates
    from selfcheck.verification.report import verify_report
    from selfcheck.workbook.models import NewInspection, SchoolProfile
    from selfcheck.workbook.service import Workbook

    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    workbook_path = directory / "smoke.selfcheck"
    for leftover in directory.glob("smoke.selfcheck*"):
        leftover.unlink()
    checklists = load_builtin_checklists()
    log(f"已加载 {len(checklists)} 份检查清单")
    item = next(i for c in checklists for i in c.all_items() if isinstance(i.answer, YesNoAnswer) and not i.show_if)
    password = secrets.token_urlsafe(16)
    key_path = directory / "school.p12"
    report_path = directory / "report.pdf"
    with Workbook.create(workbook_path, actor="冒烟测试") as workbook:
        workbook.save_school(SchoolProfile(name=SCHOOL, stage="初中", principal="张校长", preparer="李老师"))
        today = date.today()
        inspection = workbook.inspections.create(NewInspection(
            title="安装冒烟测试", period_start=today, period_end=today,
            checklist_ids=[c.id for c in checklists], team=["李老师"],
        ))
        change = workbook.answers.set(inspection.id, item.id, "否", note="冒烟测试")
        if change.problem is None:
            raise AssertionError("answering 否 did not create a problem")
        log(f"已作答 {item.id}：{change.message}")
        photo = workbook.photos.add_bytes(inspection.id, item.id, _sample_photo(), "smoke.jpg", caption="冒烟测试照片")
        log(f"已导入照片 #{photo.id}（{photo.width}×{photo.height}）")
        info = create_school_key(key_path, SCHOOL, password, overwrite=True)
        log(f"已创建密钥，证书指纹 {info.fingerprint}")
        data = build_report_data(workbook, inspection.id)
        result = export_report(data, workbook.photos.image, report_path, key_path=key_path, password=password)
        log(f"已导出报告：{result.pages} 页，{result.size} 字节")
        audit = workbook.audit.verify()
        if not audit.ok:
            raise AssertionError(f"audit chain does not verify: {audit.message}")
    pins = pins_from_certificates(read_certificates(certificate_path_for(key_path)))
    verdict = verify_report(report_path, pins)
    if verdict.exit_code != 0:
        raise AssertionError(f"report does not verify ({verdict.verdict}): " + "；".join(verdict.problems))
    log("报告核验通过：签名完好、签名后未改动，签名证书与学校证书指纹相符")
    facts = {
        "ok": True,
        "version": __version__,
        "checklists": len(checklists),
        "item": item.id,
        "photo_id": photo.id,
        "pages": result.pages,
        "fingerprint": info.fingerprint,
        "audit_entries": audit.entries,
        "seconds": round(time.perf_counter() - started, 2),
    }
    (directory / RESULT_NAME).write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")
    return facts


def write_failure(directory: Path, error: BaseException) -> None:
    """Record a failed smoke run so a script reading smoke-result.json sees why."""
    directory.mkdir(parents=True, exist_ok=True)
    facts = {"ok": False, "version": __version__, "error": f"{type(error).__name__}: {error}"}
    (directory / RESULT_NAME).write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")

