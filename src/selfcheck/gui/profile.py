"""School profile: the reusable form, the 学校信息 dialog and the first-run set-up."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form

if TYPE_CHECKING:
    from selfcheck.workbook.models import SchoolProfile

WORKBOOK_FILTER = "SelfCheck 工作簿 (*.selfcheck);;所有文件 (*)"
WORKBOOK_SUFFIX = ".selfcheck"

_FIELDS = {
    "name": "name_edit",
    "province": "province_edit",
    "city": "city_edit",
    "county": "county_edit",
    "principal": "principal_edit",
    "preparer": "preparer_edit",
    "phone": "phone_edit",
}


def _heading(widget: QWidget, scale: float = 1.5) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    widget.setFont(font)


class ProfileForm(QWidget):
    """名称, 学段, 省/市/区县, 校长, 填报人, 联系电话."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from selfcheck.workbook.models import SCHOOL_STAGES

        self.form = load_form("school_profile_form.ui", self)
        self.form.stage_combo.addItems(["", *SCHOOL_STAGES])

    def set_profile(self, profile: SchoolProfile | None) -> None:
        for field, name in _FIELDS.items():
            getattr(self.form, name).setText(getattr(profile, field) if profile else "")
        self.form.stage_combo.setCurrentText(profile.stage if profile else "")

    def profile(self) -> SchoolProfile:
        """The entered profile; UserError with a Chinese message when the name is missing."""
        from selfcheck.workbook.models import SchoolProfile

        values = {field: getattr(self.form, name).text().strip() for field, name in _FIELDS.items()}
        values["stage"] = self.form.stage_combo.currentText().strip()
        if not values["name"]:
            self.form.name_edit.setFocus()
            raise UserError("请填写学校名称。")
        return SchoolProfile(**values)


class SchoolProfileDialog(QDialog):
    """Edit the school profile; `save` stores it and may raise UserError (the dialog then stays open)."""

    def __init__(self, profile: SchoolProfile | None, save: Callable[[SchoolProfile], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("school_profile_dialog.ui", self)
        self._save = save
        self.profile_form = ProfileForm(self)
        self.form.form_container_layout.addWidget(self.profile_form)
        self.profile_form.set_profile(profile)
        self.form.button_box.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.form.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.form.button_box.accepted.connect(self.accept)
        self.form.button_box.rejected.connect(self.reject)

    def accept(self) -> None:
        try:
            self._save(self.profile_form.profile())
        except UserError as err:
            show_user_error(self, err, "无法保存学校信息")
            return
        super().accept()


class FirstRunDialog(QDialog):
    """Welcome → (new) school profile and where the workbook goes. `choice` says what the user picked (DISTRICT:
    a bureau that receives reports rather than a school that writes one)."""

    NEW, DEMO, OPEN, DISTRICT = "new", "demo", "open", "district"

    def __init__(self, default_path: Path, create: Callable[[Path, SchoolProfile], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("first_run_dialog.ui", self)
        self._create = create
        self.choice: str | None = None
        self.path = default_path
        self.profile_form = ProfileForm(self)
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        self.form.profile_container_layout.addWidget(self.profile_form)
        _heading(self.form.welcome_title_label, 1.6)
        _heading(self.form.profile_title_label)
        self.form.location_edit.setText(str(self.path))
        self.form.pages.setCurrentWidget(self.form.welcome_page)

    def _init_signals(self) -> None:
        self.form.new_button.clicked.connect(self._go_profile)
        self.form.demo_button.clicked.connect(lambda: self._finish(self.DEMO))
        self.form.open_button.clicked.connect(lambda: self._finish(self.OPEN))
        self.form.district_button.clicked.connect(lambda: self._finish(self.DISTRICT))
        self.form.back_button.clicked.connect(lambda: self.form.pages.setCurrentWidget(self.form.welcome_page))
        self.form.change_location_button.clicked.connect(self._choose_location)
        self.form.finish_button.clicked.connect(self._create_workbook)

    def _go_profile(self) -> None:
        self.form.pages.setCurrentWidget(self.form.profile_page)
        self.profile_form.form.name_edit.setFocus()

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def _choose_location(self) -> None:
        chosen = choose_new_workbook_path(self, self.path)
        if chosen is not None:
            self.path = chosen
            self.form.location_edit.setText(str(chosen))

    def _create_workbook(self) -> None:
        try:
            profile = self.profile_form.profile()
            self._create(self.path, profile)
        except UserError as err:
            show_user_error(self, err, "无法创建工作簿")
            return
        self._finish(self.NEW)


def choose_new_workbook_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where a new workbook goes; refuses existing files (creating must never overwrite data)."""
    while True:
        name, _ = QFileDialog.getSaveFileName(
            parent, "新建工作簿", str(suggested), WORKBOOK_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != WORKBOOK_SUFFIX:
            path = path.with_name(path.name + WORKBOOK_SUFFIX)
        if not path.exists():
            return path
        QMessageBox.warning(parent, "文件已存在",
                            f"“{path.name}”已经存在。为避免覆盖已有数据，请换一个文件名，或用“打开工作簿”打开它。")
        suggested = path
