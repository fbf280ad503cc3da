"""填报人 switch on the fill-in screen: who is recorded as answering (the profile's 填报人 or a team member)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.session import Session

_TIP = ("作答、整改台账和操作日志都记在这里选中的人名下。默认是学校信息中的填报人；"
        "自查组的其他成员接手填写时，在这里换成他的名字。")


class ActorSwitch(QWidget):
    """“填报人：[李秀英 ▾]” — the session's actor, switched to another of the school's people in one choice."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        label = QLabel("填报人：", self)
        self.combo = QComboBox(self)
        self.combo.setObjectName("actor_combo")
        self.combo.setAccessibleName("填报人")
        self.combo.setToolTip(_TIP)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        self.combo.activated.connect(self._chosen)
        session.actor_changed.connect(lambda _name: self.refresh())

    def refresh(self) -> None:
        """List the 填报人 and the team of the current inspection; select the person recorded now."""
        names = self._session.people()
        current = self._session.actor
        if current not in names:
            names = [current, *names]  # e.g. before the profile names a 填报人: still shown as it is recorded
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(names)
        self.combo.setCurrentIndex(names.index(current))
        self.combo.blockSignals(False)
        self.setVisible(not self._session.read_only and self._session.workbook is not None)

    def _chosen(self, index: int) -> None:
        name = self.combo.itemText(index)
        if name == self._session.actor:
            return
        try:
            self._session.set_actor(name)
        except UserError as err:
            show_user_error(self, err)
            self.refresh()
