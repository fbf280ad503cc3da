"""报告 → 梯队划分…: the district sets its 梯队 thresholds; a refused set keeps the dialog open with the reason; the
comparison ranks by the new thresholds at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from selfcheck.district.tiers import TierThresholds
from selfcheck.gui.district.tier_dialog import TierDialog
from tests.gui.district.conftest import DistrictFiles
from tests.gui.district.test_flow import receive, set_up_district
from tests.gui.helpers import drive_dialog


def test_the_district_sets_its_tiers_and_the_comparison_follows(
        qtbot: Any, make_district_window: Any, monkeypatch: pytest.MonkeyPatch, district_files: DistrictFiles,
        tmp_path: Path) -> None:
    window = make_district_window()
    set_up_district(qtbot, window, monkeypatch, district_files, tmp_path)
    receive(qtbot, window, monkeypatch, [s.report for s in district_files.schools])
    summary = window.test_context.desk.workspace.summary
    rates = sorted(r.score_rate * 100 for r in summary.comparison(None, area="total"))
    page = window.show_page("comparison")
    model = page.form.comparison_table.model()
    tier_column = next(c for c in range(model.columnCount())
                       if model.headerData(c, Qt.Orientation.Horizontal) == "梯队")
    assert "示范≥95%，规范≥85%，达标≥70%" in model.headerData(tier_column, Qt.Orientation.Horizontal,
                                                            Qt.ItemDataRole.ToolTipRole)
    seen: list[tuple[bool, str]] = []
    demo = rates[-1] - 0.05  # the best school just reaches 示范

    def script(dialog: Any) -> None:
        f = dialog.form
        assert (f.demo_spin.value(), f.standard_spin.value(), f.passing_spin.value()) == (95, 85, 70)
        f.demo_spin.setValue(80)  # below 规范: refused, the dialog stays
        f.button_box.button(f.button_box.StandardButton.Ok).click()
        seen.append((dialog.isVisible(), f.message_label.text()))
        f.demo_spin.setValue(demo)
        f.standard_spin.setValue(min(demo - 1, 85))
        f.passing_spin.setValue(min(demo - 2, 70))
        f.button_box.button(f.button_box.StandardButton.Ok).click()

    assert window.form.action_tier_thresholds.isEnabled()
    drive_dialog(monkeypatch, TierDialog, script)
    window.form.action_tier_thresholds.trigger()
    assert seen == [(True, "三级梯队的得分率下限应从高到低：示范（80%）> 规范（85%）> 达标（70%）。\n"
                           "请调整后重试；例如 示范 95、规范 85、达标 70。")]
    thresholds = summary.tier_thresholds()
    assert thresholds.demo == pytest.approx(round(demo, 1))
    assert thresholds.text() in model.headerData(tier_column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    shown = sorted(model.index(r, tier_column).data() for r in range(model.rowCount()))
    assert shown == sorted(thresholds.tier_of(r.score_rate) for r in summary.comparison(None, area="total"))
    assert "示范" in shown
    assert "梯队划分已更新" in window.statusBar().currentMessage()


def test_restore_defaults_puts_back_95_85_70(qtbot: Any, tmp_path: Path) -> None:
    saved: list[TierThresholds] = []
    dialog = TierDialog(TierThresholds.checked(90, 80, 60), saved.append)
    qtbot.addWidget(dialog)
    f = dialog.form
    f.button_box.button(f.button_box.StandardButton.RestoreDefaults).click()
    f.button_box.button(f.button_box.StandardButton.Ok).click()
    assert saved == [TierThresholds()] and dialog.result() == TierDialog.DialogCode.Accepted
