"""The district desk driven like a bureau uses it: create a workspace, import the roster, register certificates,
receive genuine and tampered reports, compare the schools and open one school."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from tests.gui.district.conftest import SCHOOLS, DistrictFiles


def create_workspace(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("城关区教育局", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(window.form.welcome_new_button, Qt.MouseButton.LeftButton)


def import_roster(qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch, roster: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(roster), ""))
    qtbot.mouseClick(page.form.import_button, Qt.MouseButton.LeftButton)


def register(qtbot: Any, page: Any, monkeypatch: pytest.MonkeyPatch, cer: Path, answers: list[Any]) -> list[str]:
    """Register `cer` choosing the automatic school; `answers` reply to the confirmation questions in turn."""
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(cer), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda parent, title, label, items, *a, **k: (items[0], True))

    def question(parent: Any, title: str, text: str, *a: Any, **k: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(page.form.register_button, Qt.MouseButton.LeftButton)
    return asked


def set_up_district(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, files: DistrictFiles,
                    tmp_path: Path) -> Any:
    create_workspace(qtbot, window, monkeypatch, tmp_path / "城关区.district")
    page = window.show_page("roster")
    import_roster(qtbot, page, monkeypatch, files.roster_csv)
    for school in files.schools:
        assert register(qtbot, page, monkeypatch, school.cer, []) == []
    return page


def receive(qtbot: Any, window: Any, monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> Any:
    page = window.show_page("receive")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    qtbot.mouseClick(page.form.choose_files_button, Qt.MouseButton.LeftButton)
    tasks = window.test_context.tasks
    qtbot.waitUntil(lambda: not tasks.busy, timeout=120_000)
    return page


def table_texts(view: Any, column: int) -> list[str]:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_a_new_workspace_shows_the_roster_and_the_registered_certificates(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    assert window.form.stack.currentWidget() is window.form.welcome_page
    page = set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    assert window.windowTitle().startswith("城关区教育局")
    assert sorted(table_texts(page.form.roster_table, 1)) == sorted(s[1] for s in SCHOOLS)
    assert sorted(table_texts(page.form.cert_table, 0)) == sorted(s[1] for s in SCHOOLS)
    assert all(text == "有效" for text in table_texts(page.form.cert_table, 2))
    workspace = window.test_context.desk.workspace
    shown = table_texts(page.form.cert_table, 3)
    for cert in workspace.registry.list():
        digits = cert.fingerprint.replace(":", "")
        assert " ".join(digits[i:i + 4] for i in range(0, 64, 4)) in shown


def test_receive_gives_each_file_a_verdict_in_plain_chinese(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    genuine = [s.report for s in district_files.schools]
    page = receive(qtbot, window, monkeypatch, [*genuine, district_files.tampered])
    verdicts = dict(zip(table_texts(page.form.results_table, 0), table_texts(page.form.results_table, 1), strict=True))
    assert verdicts == {**{p.name: "已接收" for p in genuine}, district_files.tampered.name: "已拒收"}
    assert "已接收 3 份，已拒收 1 份" in page.form.summary_label.text()
