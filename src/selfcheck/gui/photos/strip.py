"""The evidence strip: thumbnails of an item's (or a problem's) photos; add by dialog, drop or paste; remove with undo."""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from selfcheck.errors import UserError
from selfcheck.gui.context import AppContext
from selfcheck.gui.errors import show_user_error
from selfcheck.gui.photos.importer import ImportOutcome, PhotoTarget, import_files, import_image, photo_file_filter
from selfcheck.workbook.models import Photo

log = logging.getLogger(__name__)

THUMB = QSize(128, 96)
_ID_ROLE = Qt.ItemDataRole.UserRole
MAX_CACHED_THUMBNAILS = 400


def mime_local_files(mime: QMimeData) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def mime_has_photos(mime: QMimeData) -> bool:
    return bool(mime_local_files(mime)) or mime.hasImage()


class ThumbnailCache:
    """Decoded thumbnails by photo id (stored thumbnails never change, so entries never go stale)."""

    def __init__(self, limit: int = MAX_CACHED_THUMBNAILS) -> None:
        self._items: OrderedDict[int, QPixmap] = OrderedDict()
        self._limit = limit

    def get(self, photo_id: int, load: object) -> QPixmap:
        pixmap = self._items.get(photo_id)
        if pixmap is not None:
            self._items.move_to_end(photo_id)
            return pixmap
        pixmap = QPixmap()
        pixmap.loadFromData(load(photo_id))  # type: ignore[operator]
        self._items[photo_id] = pixmap
        if len(self._items) > self._limit:
            self._items.popitem(last=False)
        return pixmap

    def clear(self) -> None:
        self._items.clear()


class PhotoList(QListWidget):
    """Icon list that accepts dropped files and images and shows a hint while empty."""

    files_dropped = Signal(list)
    image_dropped = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setIconSize(THUMB)
        self.setGridSize(QSize(THUMB.width() + 24, THUMB.height() + 44))
        self.setUniformItemSizes(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(THUMB.height() + 44 + self.horizontalScrollBar().sizeHint().height() + 8)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.empty_hint = "把照片文件拖到这里，或点“添加照片…”，也可以复制图片后按 Ctrl+V 粘贴"

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if mime_has_photos(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if mime_has_photos(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        mime = event.mimeData()
        files = mime_local_files(mime)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        elif mime.hasImage():
            event.acceptProposedAction()
            self.image_dropped.emit(QImage(mime.imageData()))
        else:
            event.ignore()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.count() == 0 and self.isEnabled():
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#8a94a0"))
            painter.drawText(self.viewport().rect().adjusted(12, 0, -12, 0),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_hint)
            painter.end()


class EvidenceStrip(QWidget):
    """Photos of one target. Every change is written at once; removal can be undone."""

    photos_changed = Signal()
    message = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, cache: ThumbnailCache | None = None,
                 purpose: str = "photos", paste_shortcut: bool = True) -> None:
        super().__init__(parent)
        self._ctx = context
        self._target: PhotoTarget | None = None
        self._photos: list[Photo] = []
        self._removed: list[Photo] = []  # undo stack
        self._cache = cache or ThumbnailCache()
        self._purpose = purpose
        self._read_only = False
        self._paste_shortcut = paste_shortcut  # off where a wider Ctrl+V (the fill-in page's) already pastes here
        self._init_widgets()
        self._init_signals()

    def _init_widgets(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.add_button = QPushButton("添加照片…", self)
        self.paste_button = QPushButton("粘贴", self)
        self.paste_button.setToolTip("粘贴剪贴板中的图片或照片文件（Ctrl+V）")
        self.view_button = QToolButton(self)
        self.view_button.setText("查看大图")
        self.caption_button = QToolButton(self)
        self.caption_button.setText("修改说明…")
        self.remove_button = QToolButton(self)
        self.remove_button.setText("删除")
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color:#6b7785")
        for widget in (self.add_button, self.paste_button, self.view_button, self.caption_button, self.remove_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        self.list = PhotoList(self)
        layout.addWidget(self.list)
        self.undo_bar = QWidget(self)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(8, 2, 8, 2)
        self.undo_label = QLabel(self.undo_bar)
        self.undo_button = QPushButton("撤销", self.undo_bar)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.setStyleSheet("background:#fff4e5; border-radius:3px")
        self.undo_bar.setVisible(False)
        layout.addWidget(self.undo_bar)
        self._paste_action = QAction("粘贴照片（Ctrl+V）", self)
        if self._paste_shortcut:
            self._paste_action.setShortcut(QKeySequence.StandardKey.Paste)
            self._paste_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(self._paste_action)
        self.list.addAction(self._paste_action)
        self._delete_action = QAction("删除照片", self)
        self._delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self._delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.list.addAction(self._delete_action)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._update_buttons()

    def _init_signals(self) -> None:
        self.add_button.clicked.connect(self.add_files_dialog)
        self.paste_button.clicked.connect(self.paste)
        self.view_button.clicked.connect(self.view_selected)
        self.caption_button.clicked.connect(self.edit_caption)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button.clicked.connect(self.undo_remove)
        self._paste_action.triggered.connect(self.paste)
        self._delete_action.triggered.connect(self.remove_selected)
        self.list.itemActivated.connect(lambda _item: self.view_selected())
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.files_dropped.connect(self.add_paths)
        self.list.image_dropped.connect(self.add_image)

    # --- target --------------------------------------------------------------------------------------------------
    def set_target(self, target: PhotoTarget | None, *, read_only: bool = False) -> None:
        """Show the photos of `target` (None: nothing to attach to)."""
        if target != self._target:
            self.undo_bar.setVisible(False)
        self._target = target
        self._read_only = read_only
        self.refresh()

    @property
    def photos(self) -> list[Photo]:
        return list(self._photos)

    def refresh(self) -> None:
        self.list.clear()
        workbook = self._ctx.session.workbook
        target = self._target
        if workbook is None or target is None:
            self._photos = []
            self._update_buttons()
            return
        if target.problem_id is not None:
            self._photos = workbook.photos.all(target.inspection_id, problem_id=target.problem_id, kind=target.kind)
        else:
            self._photos = workbook.photos.all(target.inspection_id, target.item_id, kind=target.kind)
        for photo in self._photos:
            item = QListWidgetItem(QIcon(self._cache.get(photo.id, workbook.photos.thumbnail)),
                                   photo.caption or photo.original_name)
            item.setData(_ID_ROLE, photo.id)
            item.setToolTip(f"{photo.caption or '（无说明）'}\n{photo.original_name}")
            item.setSizeHint(self.list.gridSize())
            self.list.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self._target is not None and not self._read_only and not self._ctx.session.read_only
        selected = self.list.currentItem() is not None and bool(self.list.selectedItems())
        self.add_button.setEnabled(writable)
        self.paste_button.setEnabled(writable)
        self.list.setAcceptDrops(writable)
        self.view_button.setEnabled(selected)
        self.caption_button.setEnabled(selected and writable)
        self.remove_button.setEnabled(selected and writable)
        self.count_label.setText(f"{len(self._photos)} 张" if self._photos else "")

    def _selected_index(self) -> int | None:
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        photo_id = item.data(_ID_ROLE)
        return next((i for i, p in enumerate(self._photos) if p.id == photo_id), None)

    def select_photo(self, photo_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_ID_ROLE) == photo_id:
                self.list.setCurrentRow(row)

    # --- adding ----------------------------------------------------------------------------------------------------
    def add_files_dialog(self) -> None:
        if self._target is None:
            return
        settings = self._ctx.settings
        names, _ = QFileDialog.getOpenFileNames(self, "添加照片", settings.last_folder(self._purpose),
                                                photo_file_filter())
        if names:
            settings.set_last_folder(self._purpose, Path(names[0]).parent)
            self.add_paths([Path(n) for n in names])

    def add_paths(self, paths: list[Path]) -> None:
        target = self._target
        workbook = self._ctx.session.workbook
        if target is None or workbook is None or not paths:
            return
        self._ctx.tasks.run(lambda progress: import_files(workbook, target, paths, progress),
                            title="添加照片", label="正在导入照片……", parent=self.window(),
                            on_success=self._imported, on_error=self._import_failed)

    def add_image(self, image: QImage) -> None:
        target = self._target
        workbook = self._ctx.session.workbook
        if target is None or workbook is None or image.isNull():
            return
        copy = QImage(image)  # an independent copy travels to the worker
        self._ctx.tasks.run(lambda progress: import_image(workbook, target, copy, progress),
                            title="粘贴照片", label="正在导入粘贴的图片……", parent=self.window(),
                            on_success=self._imported, on_error=self._import_failed)

    def paste(self) -> None:
        """Paste photo files or an image from the clipboard."""
        if self._target is None or not self.add_button.isEnabled():
            return
        mime = QGuiApplication.clipboard().mimeData()
        files = mime_local_files(mime) if mime is not None else []
        if files:
            self.add_paths(files)
        elif mime is not None and mime.hasImage():
            self.add_image(QImage(mime.imageData()))
        else:
            self.message.emit("剪贴板中没有图片。可以在其他程序中复制图片或照片文件后再粘贴。")

    def _imported(self, outcome: ImportOutcome) -> None:
        self.refresh()
        if outcome.added:
            self.select_photo(outcome.added[-1].id)
            self.photos_changed.emit()
        self.message.emit(outcome.summary())
        if outcome.problems:
            # "The rest were saved" only when some were: a single pasted image that failed has no rest.
            title, text = (("部分照片未导入", f"{len(outcome.problems)} 个文件未导入，原因见下。其余照片已保存。")
                           if outcome.added else ("照片未导入", f"{len(outcome.problems)} 个文件未导入，原因见下。"))
            box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window())
            box.setDetailedText("\n".join(outcome.problems))
            box.setInformativeText("\n".join(outcome.problems[:5]) + ("\n……" if len(outcome.problems) > 5 else ""))
            box.exec()

    def _import_failed(self, exc: BaseException) -> bool:
        # Photos imported before the failure are committed; show them, then let the error be reported.
        self.refresh()
        self.photos_changed.emit()
        return False

    # --- viewing, captions, removing --------------------------------------------------------------------------------
    def view_selected(self) -> None:
        from selfcheck.gui.photos.viewer import PhotoViewer

        index = self._selected_index()
        workbook = self._ctx.session.workbook
        if index is None or workbook is None:
            return
        writable = not self._ctx.session.read_only and not self._read_only
        viewer = PhotoViewer(self._photos, index, workbook.photos.image,
                             workbook.photos.set_caption if writable else None, self.window())
        viewer.exec()
        if viewer.captions_changed:
            self.refresh()
            self.photos_changed.emit()

    def edit_caption(self) -> None:
        index = self._selected_index()
        workbook = self._ctx.session.workbook
        if index is None or workbook is None:
            return
        photo = self._photos[index]
        text, ok = QInputDialog.getText(self, "照片说明", "说明这张照片拍的是什么：", text=photo.caption)
        if not ok:
            return
        try:
            workbook.photos.set_caption(photo.id, text.strip())
        except UserError as err:
            show_user_error(self, err)
            return
        self.refresh()
        self.select_photo(photo.id)
        self.photos_changed.emit()

    def remove_selected(self) -> None:
        index = self._selected_index()
        workbook = self._ctx.session.workbook
        if index is None or workbook is None or not self.remove_button.isEnabled():
            return
        photo = self._photos[index]
        answer = QMessageBox.question(
            self, "删除照片",
            f"删除照片“{photo.caption or photo.original_name}”？\n\n删除后可以立即撤销；照片仍保留在工作簿的操作记录中。",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            removed = workbook.photos.remove(photo.id)
        except UserError as err:
            show_user_error(self, err)
            return
        self._removed.append(removed)
        self.undo_label.setText(f"已删除照片“{removed.caption or removed.original_name}”。")
        self.undo_bar.setVisible(True)
        self.refresh()
        self.photos_changed.emit()

    def undo_remove(self) -> bool:
        """Bring back the last removed photo; False when there is nothing to undo."""
        workbook = self._ctx.session.workbook
        if not self._removed or workbook is None:
            return False
        photo = self._removed.pop()
        try:
            workbook.photos.restore(photo.id)
        except UserError as err:
            show_user_error(self, err)
            return False
        self.undo_bar.setVisible(bool(self._removed))
        if self._removed:
            last = self._removed[-1]
            self.undo_label.setText(f"已删除照片“{last.caption or last.original_name}”。")
        self.refresh()
        self.select_photo(photo.id)
        self.photos_changed.emit()
        self.message.emit("已恢复照片。")
        return True

    @property
    def last_removed(self) -> Photo | None:
        """The photo Ctrl+Z would bring back."""
        return self._removed[-1] if self._removed else None
