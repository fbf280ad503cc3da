"""梯队划分: the total score rates at which the district ranks its schools 示范 / 规范 / 达标."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from selfcheck.district.tiers import TierThresholds
from selfcheck.errors import UserError
from selfcheck.gui.forms import load_form


class TierDialog(QDialog):
    """Shows `current`; when accepted, saves the typed thresholds through `save(thresholds)`. A refused set (not
    falling from 示范 to 达标) keeps the dialog open with the reason under the fields."""

    def __init__(self, current: TierThresholds, save: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_tier_dialog.ui", self)
        self._save = save
        self.thresholds: TierThresholds | None = None
        self._show(current)
        f = self.form
        f.message_label.setVisible(False)
        f.button_box.accepted.connect(self.accept)
        f.button_box.rejected.connect(self.reject)
        defaults = TierThresholds()
        restore = f.button_box.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText(f"恢复默认（{defaults.demo:g} / {defaults.standard:g} / {defaults.passing:g}）")
        restore.clicked.connect(lambda: self._show(defaults))

    def _show(self, thresholds: TierThresholds) -> None:
        f = self.form
        f.demo_spin.setValue(thresholds.demo)
        f.standard_spin.setValue(thresholds.standard)
        f.passing_spin.setValue(thresholds.passing)

    def accept(self) -> None:
        f = self.form
        try:
            thresholds = TierThresholds.checked(f.demo_spin.value(), f.standard_spin.value(), f.passing_spin.value())
            self._save(thresholds)
        except UserError as err:
            f.message_label.setText(err.message + (f"\n{err.hint}" if err.hint else ""))
            f.message_label.setVisible(True)
            return
        self.thresholds = thresholds
        super().accept()
