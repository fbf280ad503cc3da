"""名册与证书: the roster of schools (import, add, edit, remove) and the registry of their certificates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.district.common import fingerprint_text, selected_row, set_up_table, time_text
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import COLOR_BAD, COLOR_MUTED

STAGES = ("小学", "初中", "高中", "九年一贯制", "完全中学", "十二年一贯制", "中等职业学校", "特殊教育学校", "幼儿园")
AUTO_SCHOOL = "（按证书上的学校名称对应）"

ROSTER_COLUMNS = [
    Column("学校代码", lambda s: s.code, width=8),
    Column("学校名称", lambda s: s.name, width=16),
    Column("学段", lambda s: s.stage, width=6),
    Column("学区/片区", lambda s: s.zone, width=7),
    Column("联系人", lambda s: s.contact, width=5),
    Column("联系电话", lambda s: s.phone),
]


def _cert_school(cert: Any) -> str:
    return cert.school_name or cert.subject


CERT_COLUMNS = [
    Column("学校", _cert_school, width=10, color=lambda c: None if c.active else COLOR_MUTED),
    Column("学校代码", lambda c: c.school_code or "（不在名册中）", width=6),
    Column("状态", lambda c: "有效" if c.active else "已吊销", width=4,
           color=lambda c: None if c.active else COLOR_BAD),
    Column("证书指纹（SHA-256）", lambda c: fingerprint_text(c.fingerprint), width=80,
           tooltip="四位一组，可与学校导出证书时看到的指纹逐组核对", mono=True),
    Column("登记时间", lambda c: c.registered_at, time_text, width=9),
    Column("有效期至", lambda c: c.valid_until, lambda v: f"{v:%Y-%m-%d}", width=6),
    Column("吊销时间", lambda c: c.revoked_at, time_text, width=9),
    Column("吊销原因", lambda c: c.revoke_reason),
]


def _max_length(field: str) -> int:
    """The roster's limit for `field` (School's max_length), in characters."""
    from selfcheck.district.models import School

    info = School.model_fields.get(field)
    return next((m.max_length for m in (info.metadata if info else ()) if hasattr(m, "max_length")), 100)


class SchoolDialog(QDialog):
    """Add or edit one school of the roster; `school()` is the edited model."""

    def __init__(self, school: Any | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_school_dialog.ui", self)
        f = self.form
        f.stage_combo.addItems(["", *STAGES])
        if school is not None:
            self.setWindowTitle("修改学校信息")
            f.code_edit.setText(school.code)
            f.name_edit.setText(school.name)
            f.stage_combo.setCurrentText(school.stage)
            f.zone_edit.setText(school.zone)
            f.contact_edit.setText(school.contact)
            f.phone_edit.setText(school.phone)
        else:
            self.setWindowTitle("添加学校")
        for field, edit in self._edits().items():  # no more can be typed than the roster keeps
            edit.setMaxLength(_max_length(field))
        f.button_box.accepted.connect(self.accept)
        f.button_box.rejected.connect(self.reject)
        self._school: Any = None

    def _edits(self) -> dict[str, QLineEdit]:
        f = self.form
        return {"code": f.code_edit, "name": f.name_edit, "stage": f.stage_combo.lineEdit(), "zone": f.zone_edit,
                "contact": f.contact_edit, "phone": f.phone_edit}

    def accept(self) -> None:
        from pydantic import ValidationError

        from selfcheck.district.models import School

        f = self.form
        code, name = f.code_edit.text().strip(), f.name_edit.text().strip()
        if not code or not name:
            QMessageBox.warning(self, "请填写完整", "学校代码和学校名称都要填写。")
            return
        try:
            self._school = School(code=code, name=name, stage=f.stage_combo.currentText().strip(),
                                  zone=f.zone_edit.text().strip(), contact=f.contact_edit.text().strip(),
                                  phone=f.phone_edit.text().strip())
        except ValidationError as err:
            field = str(err.errors()[0]["loc"][0]) if err.errors() and err.errors()[0]["loc"] else ""
            label = School.model_fields[field].description if field in School.model_fields else "某一项"
            QMessageBox.warning(self, "内容太长", f"“{label}”填写的内容太长（最多 {_max_length(field)} 个字），"
                                                  "请缩短后再保存。")
            return
        super().accept()

    def school(self) -> Any:
        return self._school


class RosterPage(QWidget):
    message = Signal(str)
    school_requested = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_roster_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        f = self.form
        self.roster_model, self.roster_proxy = set_up_table(f.roster_table, ROSTER_COLUMNS)
        self.cert_model, self.cert_proxy = set_up_table(f.cert_table, CERT_COLUMNS, sort_column=4, descending=True)
        f.import_errors_frame.setVisible(False)
        f.splitter.setStretchFactor(0, 3)
        f.splitter.setStretchFactor(1, 2)

    def _init_signals(self) -> None:
        f = self.form
        f.import_button.clicked.connect(self.import_roster)
        f.add_button.clicked.connect(self.add_school)
        f.edit_button.clicked.connect(self.edit_school)
        f.remove_button.clicked.connect(self.remove_school)
        f.search_edit.textChanged.connect(self.roster_proxy.setFilterFixedString)
        f.import_errors_close_button.clicked.connect(lambda: f.import_errors_frame.setVisible(False))
        f.roster_table.doubleClicked.connect(self._open_school)
        f.register_button.clicked.connect(self.register_certificate)
        f.revoke_button.clicked.connect(self.revoke_certificate)
        f.show_revoked_check.toggled.connect(
            lambda on: self.cert_proxy.set_row_filter(None if on else (lambda c: c.active)))
        f.roster_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        f.cert_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    # --- refresh ------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        workspace = self._desk.require()
        schools = workspace.roster.list()
        certificates = workspace.registry.list()
        self.roster_model.set_rows(schools)
        self.cert_model.set_rows(certificates)
        active = sum(1 for c in certificates if c.active)
        registered = {c.school_code for c in certificates if c.active and c.school_code}
        self.form.count_label.setText(f"共 {len(schools)} 所学校")
        self.form.cert_count_label.setText(
            f"有效证书 {active} 张；{len(registered)} 所学校已登记，{len(schools) - len(registered & {s.code for s in schools})} 所未登记")
        self._update_buttons()

    def _update_buttons(self) -> None:
        f = self.form
        writable = not self._desk.read_only
        for button in (f.import_button, f.add_button, f.register_button):
            button.setEnabled(writable)
        f.edit_button.setEnabled(writable and selected_row(f.roster_table) is not None)
        f.remove_button.setEnabled(writable and selected_row(f.roster_table) is not None)
        cert = selected_row(f.cert_table)
        f.revoke_button.setEnabled(writable and cert is not None and cert.active)

    # --- roster -------------------------------------------------------------------------------------------------------
    def import_roster(self) -> None:
        from selfcheck.district.errors import RosterImportError

        folder = str(self._ctx.settings.output_folder("roster"))
        chosen, _ = QFileDialog.getOpenFileName(self, "导入学校名册", folder, "学校名册 (*.xlsx *.csv)")
        if not chosen:
            return
        path = Path(chosen)
        self._ctx.settings.set_last_folder("roster", path.parent)
        workspace = self._desk.require()
        f = self.form

        def failed(err: BaseException) -> bool:
            if not isinstance(err, RosterImportError):
                return False  # other problems (unreadable file, …) go to the ordinary error dialog
            f.import_errors_label.setText(f"名册文件“{path.name}”有 {len(err.problems)} 处问题，未导入任何学校。"
                                          "请在文件中改正下列各行后重新导入：")
            f.import_errors_list.clear()
            f.import_errors_list.addItems(err.problems)
            f.import_errors_frame.setVisible(True)
            return True

        def imported(result: Any) -> None:
            f.import_errors_frame.setVisible(False)
            self._desk.changed("roster")
            self.message.emit(f"已导入名册“{path.name}”：新增 {result.added} 所，更新 {result.updated} 所，"
                              f"未变 {result.unchanged} 所。")

        # A large workbook takes a moment to read: off the GUI thread, like every file the user hands in.
        self._ctx.tasks.run(lambda _progress: workspace.roster.import_file(path), title="导入学校名册",
                            label=f"正在读取名册“{path.name}”……", parent=self.window(), on_success=imported,
                            on_error=failed, cancellable=False)

    def add_school(self) -> None:
        dialog = SchoolDialog(None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._desk.require().roster.add(dialog.school())
        except UserError as err:
            show_user_error(self, err, "无法添加学校")
            return
        self._desk.changed("roster")
        self.message.emit(f"已添加学校“{dialog.school().name}”。")

    def edit_school(self) -> None:
        school = selected_row(self.form.roster_table)
        if school is None:
            return
        dialog = SchoolDialog(school, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self._desk.require().roster.update(school.code, dialog.school())
        except UserError as err:
            show_user_error(self, err, "无法修改学校信息")
            return
        self._desk.changed("roster")

    def remove_school(self) -> None:
        school = selected_row(self.form.roster_table)
        if school is None:
            return
        answer = QMessageBox.question(self, "删除学校", f"要从名册中删除“{school.name}”（代码 {school.code}）吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._desk.require().roster.remove(school.code)
        except UserError as err:
            show_user_error(self, err, "无法删除学校")
            return
        self._desk.changed("roster")

    def _open_school(self, index: QModelIndex) -> None:
        school = self.roster_proxy.row_object(index.row())
        if school is not None:
            self.school_requested.emit(school.code)

    # --- certificates -------------------------------------------------------------------------------------------------
    def register_certificate(self) -> None:
        from selfcheck.district.errors import NeedsConfirmation

        folder = str(self._ctx.settings.output_folder("certificate"))
        chosen, _ = QFileDialog.getOpenFileName(self, "登记学校证书", folder, "学校证书 (*.cer *.crt *.pem *.der)")
        if not chosen:
            return
        path = Path(chosen)
        self._ctx.settings.set_last_folder("certificate", path.parent)
        workspace = self._desk.require()
        schools = sorted(workspace.roster.list(), key=lambda s: s.code)
        labels = [AUTO_SCHOOL, *(f"{s.name}（{s.code}）" for s in schools)]
        picked, ok = QInputDialog.getItem(self, "登记学校证书", f"证书“{path.name}”属于哪所学校？", labels, 0, False)
        if not ok:
            return
        code = None if picked == AUTO_SCHOOL else schools[labels.index(picked) - 1].code
        allow: dict[str, bool] = {}
        while True:
            try:
                cert = workspace.registry.register(path, school_code=code, **allow)
                break
            except NeedsConfirmation as err:
                flag = f"allow_{err.kind}"  # allow_not_on_roster, allow_second_active, allow_name_mismatch
                if allow.get(flag):  # asked already: the service insists, do not loop
                    show_user_error(self, err, "无法登记证书")
                    return
                answer = QMessageBox.question(self, "请确认", err.message,
                                              defaultButton=QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    return
                allow[flag] = True
            except UserError as err:
                show_user_error(self, err, "无法登记证书")
                return
        self._desk.changed("registry")
        self.message.emit(f"已登记“{_cert_school(cert)}”的证书，指纹 {fingerprint_text(cert.fingerprint)}")

    def revoke_certificate(self) -> None:
        cert = selected_row(self.form.cert_table)
        if cert is None or not cert.active:
            return
        reason, ok = QInputDialog.getText(
            self, "吊销证书",
            f"吊销“{_cert_school(cert)}”的证书\n{fingerprint_text(cert.fingerprint)}\n\n"
            "吊销前签名的报告仍然有效，吊销后签名的报告将被拒收。吊销原因（如：密钥丢失、经办人变动）：",
            QLineEdit.EchoMode.Normal, "")
        if not ok:
            return
        if not reason.strip():
            QMessageBox.warning(self, "请填写原因", "请填写吊销原因，以便日后查证。")
            return
        try:
            self._desk.require().registry.revoke(cert.fingerprint, reason.strip())
        except UserError as err:
            show_user_error(self, err, "无法吊销证书")
            return
        self._desk.changed("registry")
        self.message.emit(f"已吊销“{_cert_school(cert)}”的证书。")
