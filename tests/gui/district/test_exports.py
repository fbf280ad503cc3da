"""The three exports from the File menu, written in the background to the file the user chose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.gui.district.conftest import SCHOOLS, DistrictFiles
from tests.gui.district.test_flow import receive, set_up_district


@pytest.mark.parametrize(("action", "suffix"), [("action_export_xlsx", ".xlsx"), ("action_export_pdf", ".pdf"),
                                                ("action_export_csv", ".csv")])
def test_each_export_writes_its_file_and_says_where(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path, action: str, suffix: str) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    receive(qtbot, window, monkeypatch, [s.report for s in district_files.schools])
    suggested: list[str] = []

    def save(_parent: Any, _title: str, name: str, *_a: Any, **_k: Any) -> tuple[str, str]:
        suggested.append(name)
        return str(tmp_path / "汇总"), ""

    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: told.append(text))
    getattr(window.form, action).trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=120_000)
    out = tmp_path / f"汇总{suffix}"
    assert Path(suggested[0]).name.startswith("城关区教育局-") and suggested[0].endswith(suffix)
    assert str(out) in told[0]
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        text = " ".join(str(c.value) for ws in load_workbook(out).worksheets for row in ws.iter_rows() for c in row)
    elif suffix == ".csv":
        text = out.read_text(encoding="utf-8-sig")
    else:
        assert out.read_bytes().startswith(b"%PDF")
        return
    assert all(name in text for _code, name, *_ in SCHOOLS)
