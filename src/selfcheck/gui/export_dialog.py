"""导出签名报告: choose the key, password, optional seal and signature images and where to save; export in the background."""

from __future__ import annotations

import logging
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.fingerprints import fingerprint_html, fingerprint_text
from selfcheck.gui.forms import load_form
from selfcheck.gui.tasks import Progress, TaskCancelled

if TYPE_CHECKING:
    from cryptography import x509

log = logging.getLogger(__name__)

IMAGE_FILTER = "图片 (*.png *.jpg *.jpeg);;所有文件 (*)"
KEY_FILTER = "密钥文件 (*.p12 *.pfx);;所有文件 (*)"
WARNING_COLOUR = "#b3261e"
_UNSAFE = re.compile(r'[\\/:*?"<>|]+')


def default_report_name(school: str, title: str) -> str:
    """“某某中学关于2026年秋季学期1+3+N专项自查自查情况的报告.pdf”, without characters Windows forbids."""
    subject = title if "自查" in title else f"{title}自查"  # the same rule as the report's own title
    return _UNSAFE.sub("_", f"{school}关于{subject}情况的报告.pdf")


def describe_key(path: Path, school: str | None = None) -> tuple[bool, str]:
    """(usable, text) for the key file at `path`: the school on the certificate, validity and fingerprint, and a
    warning when the certificate's school is not `school` (the workbook's; None skips the comparison)."""
    from selfcheck.signing.keys import certificate_path_for, read_certificate

    if not path.is_file():
        return False, "还没有学校密钥。请“新建学校密钥”，或导入区县下发的密钥文件。"
    cer = certificate_path_for(path)
    if not cer.is_file():
        return True, "已选择密钥文件（输入密码后才能查看证书信息）。"
    try:
        certificate = read_certificate(cer)
    except UserError as err:
        return True, f"证书信息无法读取：{err.message}"
    return True, describe_certificate(certificate, school)


def describe_certificate(certificate: x509.Certificate, school: str | None = None) -> str:
    """Rich text for the key's certificate: school, validity, fingerprint, and — when `school`
    is given and the certificate names another — the mismatch warning in the warning colour."""
    from selfcheck.signing.keys import key_info
    from selfcheck.signing.school_match import normalize_school_name, signing_school_warning

    info = key_info(certificate, Path())
    text = (f"证书单位：{escape(info.school)}　有效期至 {info.not_valid_after:%Y-%m-%d}<br/>"
            f"证书指纹（SHA-256）：<br/>{fingerprint_html(info.fingerprint)}")
    if school is not None and signing_school_warning(certificate, school) is not None:
        # A short line here; the full explanation comes in the question asked before signing.
        short = (f"证书上的学校不是本工作簿的学校“{school.strip()}”，请确认没有选错密钥。" if normalize_school_name(school)
                 else "工作簿还没有填写学校名称，无法核对证书上的学校。")
        text += f"<br/><span style='color:{WARNING_COLOUR}'><b>⚠ {escape(short)}</b></span>"
    return text


class KeyCreateDialog(QDialog):
    """Create the school's key: the school name on the certificate and a password typed twice. The password rules
    show before typing; a password that breaks them keeps the dialog open with the reason beside the field."""

    def __init__(self, school: str, parent: QWidget | None = None) -> None:
        from selfcheck.signing.keys import PASSWORD_RULES_TEXT, SCHOOL_NAME_MAX_LENGTH

        super().__init__(parent)
        self.setWindowTitle("新建学校密钥")
        layout = QVBoxLayout(self)
        intro = QLabel("学校密钥用于给自查报告加上数字签名，证明报告由本校出具且未被改动。密钥文件由密码保护，"
                       "请牢记密码并妥善备份密钥文件。新建后，请把证书指纹报送区县教育局备案。", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.school_edit = QLineEdit(school, self)
        # Qt counts UTF-16 units, two for a rare character (CJK Extension B and beyond): room for any name a
        # workbook accepts, never cut; problem() counts characters as the workbook and create_school_key do.
        self.school_edit.setMaxLength(2 * SCHOOL_NAME_MAX_LENGTH)
        self.school_edit.setToolTip("写在证书上的单位名称，应与报告上的学校名称一致")
        self.rules_label = QLabel(PASSWORD_RULES_TEXT, self)
        self.rules_label.setWordWrap(True)
        self.rules_label.setStyleSheet("color:#5f6b7a")
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit(self)
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color:{WARNING_COLOUR}")
        self.error_label.setVisible(False)
        form.addRow("证书上的学校名称：", self.school_edit)
        form.addRow("", self.rules_label)
        form.addRow("密码：", self.password_edit)
        form.addRow("再次输入密码：", self.confirm_edit)
        form.addRow("", self.error_label)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建密钥")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.password_edit, self.confirm_edit, self.school_edit):
            edit.textEdited.connect(lambda _t: self.error_label.setVisible(False))
        self.resize(520, 320)

    def problem(self) -> tuple[str, QLineEdit] | None:
        """What is wrong with the typed values, and the field to fix; None when they can be used."""
        from selfcheck.signing.keys import MIN_PASSWORD_LENGTH, SCHOOL_NAME_MAX_LENGTH

        school = self.school_edit.text().strip()
        if not school:
            return "请填写学校名称。", self.school_edit
        if len(school) > SCHOOL_NAME_MAX_LENGTH:
            return (f"学校名称过长：最多 {SCHOOL_NAME_MAX_LENGTH} 个字，现在有 {len(school)} 个字。",
                    self.school_edit)
        if len(self.password_edit.text()) < MIN_PASSWORD_LENGTH:
            return f"密码太短：至少需要 {MIN_PASSWORD_LENGTH} 个字符。", self.password_edit
        if self.password_edit.text() != self.confirm_edit.text():
            return "两次输入的密码不一致，请重新输入“再次输入密码”。", self.confirm_edit
        return None

    def accept(self) -> None:
        found = self.problem()
        if found is not None:
            message, field = found
            self.error_label.setText(f"⚠ {message}")
            self.error_label.setVisible(True)
            field.setFocus()
            field.selectAll()
            return
        super().accept()


class ExportReportDialog(QDialog):
    """Collects what the export needs; `export()` runs it through the task runner."""

    def __init__(self, context: AppContext, inspection_id: int, parent: QWidget | None = None) -> None:
        from selfcheck.signing.keys import default_key_path

        super().__init__(parent)
        self.form = load_form("export_report_dialog.ui", self)
        self._ctx = context
        self._inspection_id = inspection_id
        workbook = context.session.require()
        self._inspection = workbook.inspections.get(inspection_id)
        school = workbook.get_school()
        self._school = school.name if school else ""
        self.key_path = Path(context.settings.key_file or default_key_path())
        self.out_path = context.settings.output_folder("report") / default_report_name(
            self._school, self._inspection.title)
        self.seal: Path | None = None
        self.signature: Path | None = None
        self.result_path: Path | None = None
        self._init_widgets(len(workbook.inspections.review(inspection_id)))
        self._init_signals()

    def _init_widgets(self, blockers: int) -> None:
        f = self.form
        f.header_label.setText(f"<b>{self._inspection.title}</b>　{self._school}")
        if blockers:
            f.readiness_label.setText(
                f"<span style='color:#b26a00'>还有 {blockers} 件事未处理（见“完成情况”页）。现在导出，报告会如实显示未作答的检查项和未完成的整改。</span>")
        else:
            f.readiness_label.setText("<span style='color:#2e7d32'>✔ 检查项已全部作答，可以导出完整的报告。</span>")
        ok = f.button_box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("导出并签名")
        f.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self._show_paths()

    def _init_signals(self) -> None:
        f = self.form
        f.key_choose_button.clicked.connect(self._choose_key)
        f.key_create_button.clicked.connect(self._create_key)
        f.key_import_button.clicked.connect(self._import_key)
        f.seal_button.clicked.connect(lambda: self._choose_image("seal"))
        f.signature_button.clicked.connect(lambda: self._choose_image("signature"))
        f.seal_clear_button.clicked.connect(lambda: self._set_image("seal", None))
        f.signature_clear_button.clicked.connect(lambda: self._set_image("signature", None))
        f.out_button.clicked.connect(self._choose_out)
        f.out_edit.editingFinished.connect(self._take_typed_out)
        f.button_box.accepted.connect(self.export)
        f.button_box.rejected.connect(self.reject)

    def _show_paths(self) -> None:
        f = self.form
        f.key_edit.setText(str(self.key_path))
        usable, text = describe_key(self.key_path, self._school)
        f.key_info_label.setText(text)
        f.key_info_label.setStyleSheet("" if usable else "color:#b26a00")
        f.password_edit.setEnabled(usable)
        f.out_edit.setText(str(self.out_path))
        f.seal_edit.setText(str(self.seal or ""))
        f.signature_edit.setText(str(self.signature or ""))
        f.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(usable)

    # --- choosing -------------------------------------------------------------------------------------------------
    def _choose_key(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择学校密钥文件", str(self.key_path.parent), KEY_FILTER)
        if name:
            self.key_path = Path(name)
            self._ctx.settings.key_file = self.key_path
            self._show_paths()

    def _choose_image(self, which: str) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "选择图片", self._ctx.settings.last_folder("seal"), IMAGE_FILTER)
        if name:
            self._ctx.settings.set_last_folder("seal", Path(name).parent)
            self._set_image(which, Path(name))

    def _set_image(self, which: str, path: Path | None) -> None:
        setattr(self, which, path)
        self._show_paths()

    def _take_typed_out(self) -> None:
        """The path typed into the field (a missing .pdf is added)."""
        text = self.form.out_edit.text().strip().strip('"')
        if not text:
            self.form.out_edit.setText(str(self.out_path))
            return
        path = Path(text).expanduser()
        self.out_path = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
        if self.form.out_edit.text() != str(self.out_path):
            self.form.out_edit.setText(str(self.out_path))

    def _choose_out(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "报告保存位置", str(self.out_path), "PDF 文件 (*.pdf)")
        if name:
            path = Path(name)
            self.out_path = path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")
            self._show_paths()

    def _create_key(self) -> None:
        from selfcheck.signing.keys import create_school_key, default_key_path

        dialog = KeyCreateDialog(self._school, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        out = default_key_path()
        if out.exists():
            out = out.with_name(f"{out.stem}-{self._inspection_id}{out.suffix}")
        school, password = dialog.school_edit.text().strip(), dialog.password_edit.text()

        def work(_progress: Progress) -> Any:
            out.parent.mkdir(parents=True, exist_ok=True)
            return create_school_key(out, school, password)

        def done(info: Any) -> None:
            self.key_path = out
            self._ctx.settings.key_file = out
            self._show_paths()
            # Just typed twice: exporting now does not ask for it again (kept only while this dialog is open).
            self.form.password_edit.setText(password)
            self.form.password_edit.setToolTip("已填入刚为新密钥设置的密码")
            QMessageBox.information(self, "密钥已新建",
                                    f"学校密钥已保存到：\n{out}\n\n证书指纹（SHA-256）：\n{fingerprint_text(info.fingerprint)}\n\n"
                                    "请把证书文件（同一文件夹中的 .cer）或上面的指纹报送区县教育局备案，并备份密钥文件。")

        self._ctx.tasks.run(work, title="新建学校密钥", label="正在生成密钥……", parent=self, on_success=done,
                            cancellable=False)

    def _import_key(self) -> None:
        from selfcheck.signing.keys import default_key_path, import_key

        name, _ = QFileDialog.getOpenFileName(self, "选择区县下发的密钥文件", str(Path.home()), KEY_FILTER)
        if not name:
            return
        password, ok = QInputDialog.getText(self, "密钥密码", "请输入这个密钥文件的密码：", QLineEdit.EchoMode.Password)
        if not ok:
            return
        dest = default_key_path()
        if dest.exists():
            dest = dest.with_name(f"{Path(name).stem}{dest.suffix}")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            import_key(Path(name), password, dest)
        except UserError as err:
            show_user_error(self, err, "无法导入密钥")
            return
        self.key_path = dest
        self._ctx.settings.key_file = dest
        self._show_paths()

    # --- export ---------------------------------------------------------------------------------------------------------
    def export(self) -> None:
        """导出并签名: open the key in the background (checks the password), ask before signing with a key whose
        certificate names another school, then build, sign and write the report in the background."""
        from selfcheck.report.export import check_output_path
        from selfcheck.signing.keys import load_key

        self._take_typed_out()
        password = self.form.password_edit.text()
        if not password:
            show_user_error(self, UserError("请输入密钥密码。"), "还缺少内容")
            return
        try:
            out = check_output_path(self.out_path)
        except UserError as err:
            show_user_error(self, err)
            return
        key_path = self.key_path

        def opened(signing_key: Any) -> None:
            from selfcheck.signing.school_match import signing_school_warning

            # The .p12's own certificate is what signs; the .cer beside it may be missing or stale.
            self.form.key_info_label.setText(describe_certificate(signing_key.certificate, self._school))
            warning = signing_school_warning(signing_key.certificate, self._school)
            if warning is not None and not self.confirm_other_school(warning):
                return
            self._start_export(out, signing_key)

        self._ctx.tasks.run(lambda _progress: load_key(key_path, password), title="导出签名报告",
                            label="正在打开学校密钥……", parent=self, on_success=opened, cancellable=False)

    def confirm_other_school(self, warning: str) -> bool:
        """Ask whether to sign anyway with a key made out to another school; 否 (the default, also Esc) declines."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Warning, "密钥与本校不一致", warning, buttons.Yes | buttons.No, self)
        box.setInformativeText("仍要用这个密钥签名并导出报告吗？\n选“否”可以返回，重新选择或导入本校的密钥。")
        box.button(buttons.Yes).setText("是")
        box.button(buttons.No).setText("否")
        box.setDefaultButton(buttons.No)
        box.setEscapeButton(buttons.No)
        box.exec()
        return box.clickedButton() is box.button(buttons.Yes)

    def _start_export(self, out: Path, signing_key: Any) -> None:
        from selfcheck.report.collect import collect_report_data
        from selfcheck.report.export import export_report

        workbook_path = self._ctx.session.path
        assert workbook_path is not None
        seal, signature, inspection_id = self.seal, self.signature, self._inspection_id

        def work(progress: Progress) -> Any:
            data, photo_loader = collect_report_data(workbook_path, inspection_id)
            try:
                return export_report(
                    data, photo_loader, out, key=signing_key, seal_image=seal,
                    signature_image=signature,
                    progress=lambda fraction, message: progress.update(int(fraction * 100), 100, message),
                    cancelled=lambda: progress.cancelled)
            finally:
                close = getattr(photo_loader, "close", None)  # it holds a read-only connection to the workbook
                if callable(close):
                    close()

        def done(result: Any) -> None:
            self.result_path = result.path
            self._ctx.settings.set_last_folder("report", result.path.parent)
            box = QMessageBox(QMessageBox.Icon.Information, "报告已导出",
                              f"已导出并签名：\n{result.path}\n\n共 {result.pages} 页。证书指纹（SHA-256）：\n"
                              f"{fingerprint_text(result.fingerprint)}",
                              QMessageBox.StandardButton.Close, self)
            open_button = box.addButton("打开报告", QMessageBox.ButtonRole.ActionRole)
            box.exec()
            if box.clickedButton() is open_button:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path)))
            self.accept()

        def failed(exc: BaseException) -> bool:
            from selfcheck.report.pdf import ExportCancelled

            if isinstance(exc, (ExportCancelled, TaskCancelled)):
                QMessageBox.information(self, "已取消", "已取消导出，没有生成报告文件。")
                return True
            return False  # UserError → Chinese dialog; anything else → the error handler

        self._ctx.tasks.run(work, title="导出签名报告", label="正在准备……", parent=self, on_success=done,
                            on_error=failed)


def run_export_report(context: AppContext, parent: QWidget) -> None:
    """文件 → 导出签名报告…: the dialog for the current inspection."""
    inspection_id = context.session.inspection_id
    if inspection_id is None:
        QMessageBox.information(parent, "导出签名报告", "请先在首页打开一次自查，再导出它的报告。")
        return
    try:
        dialog = ExportReportDialog(context, inspection_id, parent)
    except UserError as err:
        show_user_error(parent, err)
        return
    dialog.exec()
