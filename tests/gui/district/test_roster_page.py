"""名册与证书: a broken roster file lists every bad row and imports nothing; registering asks about the unusual;
revoking keeps the certificate with its reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from tests.gui.district.conftest import DistrictFiles
from tests.gui.district.test_flow import create_workspace, import_roster, register, table_texts


@pytest.fixture
def roster_page(qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    window = make_district_window()
    create_workspace(qtbot, window, monkeypatch, tmp_path / "城关区.district")
    return window.show_page("roster")


def test_a_roster_with_bad_rows_lists_each_row_and_imports_nothing(
        qtbot: Any, roster_page: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles) -> None:
    import_roster(qtbot, roster_page, monkeypatch, district_files.broken_roster_csv)
    f = roster_page.form
    assert f.import_errors_frame.isVisible()
    problems = [f.import_errors_list.item(i).text() for i in range(f.import_errors_list.count())]
    assert len(problems) == 2
    assert any("第 3 行" in p for p in problems) and any("第 4 行" in p for p in problems)
    assert "未导入任何学校" in f.import_errors_label.text()
    assert roster_page.roster_model.rowCount() == 0
    # The corrected file imports and the error list goes away.
    import_roster(qtbot, roster_page, monkeypatch, district_files.roster_csv)
    assert not f.import_errors_frame.isVisible()
    assert roster_page.roster_model.rowCount() == 3


def test_registering_asks_before_a_certificate_of_a_school_not_on_the_roster(
        qtbot: Any, roster_page: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles) -> None:
    cer = district_files.schools[0].cer
    asked = register(qtbot, roster_page, monkeypatch, cer, [QMessageBox.StandardButton.No])
    assert len(asked) == 1 and "不在名册中" in asked[0]
    assert roster_page.cert_model.rowCount() == 0
    asked = register(qtbot, roster_page, monkeypatch, cer, [QMessageBox.StandardButton.Yes])
    assert len(asked) == 1
    assert table_texts(roster_page.form.cert_table, 1) == ["（不在名册中）"]


def test_a_second_certificate_for_a_school_is_asked_about_and_revoking_keeps_the_reason(
        qtbot: Any, roster_page: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    from selfcheck.signing.keys import create_school_key

    import_roster(qtbot, roster_page, monkeypatch, district_files.roster_csv)
    assert register(qtbot, roster_page, monkeypatch, district_files.schools[0].cer, []) == []
    second = create_school_key(tmp_path / "new.p12", "城关第一小学", "校园-Secret-2026").certificate_path
    asked = register(qtbot, roster_page, monkeypatch, second, [QMessageBox.StandardButton.Yes])
    assert len(asked) == 1 and "已有一张有效的登记证书" in asked[0]
    assert table_texts(roster_page.form.cert_table, 2) == ["有效", "有效"]
    table = roster_page.form.cert_table
    table.selectRow(0)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("密钥丢失", True))
    qtbot.mouseClick(roster_page.form.revoke_button, Qt.MouseButton.LeftButton)
    assert sorted(table_texts(table, 2)) == ["已吊销", "有效"]
    assert "密钥丢失" in table_texts(table, 7)
    roster_page.form.show_revoked_check.setChecked(False)
    assert table_texts(table, 2) == ["有效"]
