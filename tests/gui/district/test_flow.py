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
    tasks = page.window().test_context.tasks
    qtbot.waitUntil(lambda: not tasks.busy, timeout=30_000)  # the file is read in the background


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


def double_click(qtbot: Any, view: Any, index: Any) -> None:
    """A double-click as a user makes it (a view reacts to the second press only after a first click)."""
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


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


@pytest.fixture
def received(qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
             tmp_path: Path) -> Any:
    """A window whose workspace has the roster, the certificates and the three genuine reports plus the tampered one."""
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    receive(qtbot, window, monkeypatch, [*(s.report for s in district_files.schools), district_files.tampered])
    return window


def test_the_comparison_shows_the_numbers_of_the_workspace_summary(qtbot: Any, received: Any) -> None:
    from selfcheck.district.summary import Summary  # noqa: F401 - the service the numbers must match

    page = received.show_page("comparison")
    table = page.form.comparison_table
    model = table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    rows = received.test_context.desk.workspace.summary.comparison(None)
    expected = {(r.school_name, r.area): r for r in rows}
    assert model.rowCount() == 3
    shown = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(model.columnCount())]
             for r in range(model.rowCount())}
    assert set(shown) == {s[1] for s in SCHOOLS}
    for name, cells in shown.items():
        total = expected[(name, "total")]
        assert cells[headers.index("得分率")] == f"{total.score_rate * 100:.1f}%"
        assert cells[headers.index("不合规项")] == str(total.noncompliant)
        assert cells[headers.index("完成率")] == f"{total.answered / total.items * 100:.1f}%"
        assert cells[headers.index("未整改问题")] == str(total.open_problems)
        for area, title in (("1", "“1”校园餐得分率"), ("3", "“3”采购得分率"), ("N", "“N”其他得分率")):
            rate = expected[(name, area)].score_rate
            assert cells[headers.index(title)] == ("" if rate is None else f"{rate * 100:.1f}%")
    # Another metric in the area columns: the non-compliant counts per area.
    page.form.metric_combo.setCurrentIndex(page.form.metric_combo.findText("不合规项"))
    column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(
        "“1”校园餐不合规项")
    for r in range(model.rowCount()):
        name = model.index(r, 0).data()
        assert model.index(r, column).data() == str(expected[(name, "1")].noncompliant)
    # Sorting by the total score rate puts the best school first.
    table.sortByColumn(headers.index("得分率"), Qt.SortOrder.DescendingOrder)
    best = max((r for r in rows if r.area == "total"), key=lambda r: r.score_rate or 0)
    assert model.index(0, 0).data() == best.school_name
    # The chart shows one bar set per 片区 with the average total score rate.
    groups = dict(page.chart.groups)
    assert set(groups) == {"城关片区", "东乡片区"}
    dongxiang = expected[("东乡中心小学", "total")].score_rate
    assert groups["东乡片区"][3] == round(dongxiang * 100, 1)


def test_filtering_by_zone_and_stage_keeps_only_those_schools(qtbot: Any, received: Any) -> None:
    page = received.show_page("comparison")
    model = page.form.comparison_table.model()
    page.form.zone_combo.setCurrentIndex(page.form.zone_combo.findText("城关片区"))
    assert sorted(model.index(r, 0).data() for r in range(model.rowCount())) == ["城关第一小学", "城关第二中学"]
    assert page.form.count_label.text() == "2 / 3 所学校"
    page.form.stage_combo.setCurrentIndex(page.form.stage_combo.findText("小学"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["城关第一小学"]
    assert set(dict(page.chart.groups)) == {"城关片区"}
    page.form.zone_combo.setCurrentIndex(page.form.zone_combo.findText("全部"))
    assert sorted(model.index(r, 0).data() for r in range(model.rowCount())) == ["东乡中心小学", "城关第一小学"]


def test_double_clicking_a_school_opens_its_detail_and_its_signed_pdf(
        qtbot: Any, received: Any, district_files: DistrictFiles, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QDesktopServices

    page = received.show_page("comparison")
    table = page.form.comparison_table
    model = table.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "城关第一小学")
    double_click(qtbot, table, model.index(row, 0))
    school = received.form.stack.currentWidget()
    assert school is received.page("school")
    assert "城关第一小学" in school.form.info_label.text()
    verdicts = [school.form.reports_table.model().index(r, 1).data()
                for r in range(school.form.reports_table.model().rowCount())]
    assert sorted(verdicts) == sorted(["已接收", "已拒收"])  # the genuine report and the tampered copy
    workspace = received.test_context.desk.workspace
    reports = school.form.reports_table.model()
    accepted = next(r for r in range(reports.rowCount()) if reports.index(r, 1).data() == "已接收")
    total = next(r for r in workspace.summary.comparison(None, area="total") if r.school_code == "S001")
    assert reports.index(accepted, 3).data() == f"{total.score_rate * 100:.1f}%"
    assert reports.index(accepted, 4).data() == str(total.noncompliant)
    problems = workspace.summary.rectification(None, school_code="S001")
    assert school.form.problems_table.model().rowCount() == len(problems)
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(school.form.open_pdf_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert Path(opened[0]).read_bytes() == district_files.schools[0].report.read_bytes()


def test_status_lists_received_and_missing_schools_and_copies_the_urge_list(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    from PySide6.QtGui import QGuiApplication

    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    receive(qtbot, window, monkeypatch, [district_files.schools[1].report, district_files.tampered])
    page = window.show_page("status")
    model = page.form.status_table.model()
    states = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert states == {"城关第一小学": "被拒收", "城关第二中学": "已报送", "东乡中心小学": "未报送"}
    assert [page.form.urge_list.item(i).text().split("（")[0] for i in range(page.form.urge_list.count())] == [
        "东乡中心小学", "城关第一小学"]
    qtbot.mouseClick(page.form.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "东乡中心小学（未报送）" in copied and "城关第一小学（被拒收）" in copied and "城关第二中学" not in copied
    page.form.state_combo.setCurrentIndex(page.form.state_combo.findText("未报送"))
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["东乡中心小学"]


def test_the_items_page_gives_the_question_the_spare_width(qtbot: Any, received: Any) -> None:
    """At 1366×768 the officer reads the questions: the 题目 column takes the spare width, the numbers stay
    narrow beside it (the 不合规比例 column no longer stretches across half the window)."""
    received.resize(1366, 768)
    page = received.show_page("items")
    table = page.form.items_table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    header = table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert widths[2] == max(widths) and widths[2] > 2 * sum(widths[3:]), widths
    assert table.horizontalScrollBar().maximum() == 0
    # The 清单 column names the checklist by its title, and the search box finds items by it.
    model = table.model()
    assert all(model.index(r, 1).data().endswith("清单") for r in range(model.rowCount()))  # not "meals"
    page.form.search_edit.setText("校园餐管理")
    shown = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown == {"校园餐管理专项自查清单"}
