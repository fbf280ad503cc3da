"""The large view of a photo: the image fitted to the window, its facts, and its caption."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QWidget

from selfcheck.errors import UserError
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import friendly_time
from selfcheck.workbook.models import Photo


class PhotoViewer(QDialog):
    """Shows `photos[index]`; ←/→ move between them. `save_caption(photo_id, text)` returns the updated Photo."""

    def __init__(self, photos: Sequence[Photo], index: int, load_image: Callable[[int], bytes],
                 save_caption: Callable[[int, str], Photo] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("photo_viewer.ui", self)
        self._photos = list(photos)
        self._index = index
        self._load_image = load_image
        self._save_caption = save_caption
        self._pixmap = QPixmap()
        self.captions_changed = False
        self._init_signals()
        self._show_current()

    def _init_signals(self) -> None:
        f = self.form
        f.prev_button.clicked.connect(lambda: self._move(-1))
        f.next_button.clicked.connect(lambda: self._move(1))
        f.close_button.clicked.connect(self.accept)
        f.save_caption_button.clicked.connect(self.save_caption)
        f.caption_edit.returnPressed.connect(self.save_caption)
        f.caption_edit.setReadOnly(self._save_caption is None)
        f.save_caption_button.setVisible(self._save_caption is not None)

    @property
    def current(self) -> Photo:
        return self._photos[self._index]

    def _move(self, step: int) -> None:
        target = self._index + step
        if 0 <= target < len(self._photos):
            self._index = target
            self._show_current()

    def _show_current(self) -> None:
        photo = self.current
        f = self.form
        self._pixmap = QPixmap()
        try:
            self._pixmap.loadFromData(self._load_image(photo.id))
        except UserError as err:
            show_user_error(self, err)
        self._fit()
        f.caption_edit.setText(photo.caption)
        f.save_caption_button.setText("保存说明")
        taken = f"拍摄于 {photo.captured_at:%Y-%m-%d %H:%M}" if photo.captured_at else "无拍摄时间信息"
        f.meta_label.setText(
            f"{photo.original_name}　·　{photo.width}×{photo.height}　·　{taken}　·　"
            f"{friendly_time(photo.added_at)} 由 {photo.added_by} 添加　·　原文件 SHA-256：{photo.original_sha256[:16]}…"
        )
        f.meta_label.setStyleSheet("color:#6b7785")
        f.position_label.setText(f"{self._index + 1} / {len(self._photos)}")
        f.prev_button.setEnabled(self._index > 0)
        f.next_button.setEnabled(self._index < len(self._photos) - 1)
        self.setWindowTitle(f"查看照片 — {photo.caption or photo.original_name}")

    def _fit(self) -> None:
        label = self.form.image_label
        if self._pixmap.isNull():
            label.setText("无法显示这张照片")
            return
        ratio = self.devicePixelRatioF()
        scaled = self._pixmap.scaled(label.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        label.setPixmap(scaled)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self.form.caption_edit.hasFocus() and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._move(-1 if event.key() == Qt.Key.Key_Left else 1)
            return
        super().keyPressEvent(event)

    def save_caption(self) -> None:
        if self._save_caption is None:
            return
        try:
            updated = self._save_caption(self.current.id, self.form.caption_edit.text().strip())
        except UserError as err:
            show_user_error(self, err)
            return
        self._photos[self._index] = updated
        self.captions_changed = True
        self.form.save_caption_button.setText("已保存")
        self.setWindowTitle(f"查看照片 — {updated.caption or updated.original_name}")
