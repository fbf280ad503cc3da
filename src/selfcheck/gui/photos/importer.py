"""Importing photos into the workbook in the background: files, folders and clipboard images, one by one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QImage

from selfcheck.errors import EvidenceError
from selfcheck.gui.tasks import Progress
from selfcheck.workbook.models import Photo, PhotoKind

if TYPE_CHECKING:
    from selfcheck.evidence.models import NormalizedPhoto

log = logging.getLogger(__name__)

MAX_FOLDER_FILES = 500


@dataclass(frozen=True)
class PhotoTarget:
    """Where imported photos go: an item's evidence, or a problem's after-photos."""

    inspection_id: int
    item_id: str | None
    problem_id: int | None = None
    kind: PhotoKind = PhotoKind.EVIDENCE


@dataclass
class ImportOutcome:
    added: list[Photo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        text = f"已添加 {len(self.added)} 张照片"
        if self.problems:
            text += f"，{len(self.problems)} 个文件未导入"
        if self.cancelled:
            text += "（已取消，其余未导入）"
        return text + "。"


def photo_file_filter() -> str:
    """The file dialog filter for photos (formats come from the evidence package)."""
    from selfcheck.evidence.photos import photo_file_patterns

    patterns = " ".join(photo_file_patterns())
    return f"照片 ({patterns});;所有文件 (*)"


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given; a folder contributes the files directly inside it (sorted), at most MAX_FOLDER_FILES."""
    from selfcheck.evidence.photos import photo_file_patterns

    suffixes = {p.removeprefix("*").lower() for p in photo_file_patterns()}
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
            result.extend(inside[:MAX_FOLDER_FILES])
        else:
            result.append(path)
    return result


def _store(workbook: object, target: PhotoTarget, photo: NormalizedPhoto) -> Photo:
    """The short locked part of an import: the insert of an already normalised photo."""
    return workbook.photos.add_normalized(  # type: ignore[attr-defined, no-any-return]
        target.inspection_id, target.item_id, photo, problem_id=target.problem_id, kind=target.kind)


def import_files(workbook: object, target: PhotoTarget, paths: list[Path], progress: Progress) -> ImportOutcome:
    """Add each file; a rejected file is reported and skipped, the rest go on. Runs on a worker thread.

    Each photo is decoded and re-encoded here without touching `workbook` (the GUI's LockedWorkbook), so the
    window keeps reading and writing the workbook while a large photo is being processed; only the insert
    takes the workbook's lock.
    """
    from selfcheck.evidence.photos import normalize_photo

    outcome = ImportOutcome()
    files = expand_paths(paths)
    total = len(files)
    for index, path in enumerate(files):
        if progress.cancelled:
            outcome.cancelled = True
            break
        progress.update(index, total, f"正在导入第 {index + 1}/{total} 张：{path.name}")
        try:
            photo = _store(workbook, target, normalize_photo(path))
        except EvidenceError as err:
            outcome.problems.append(f"{path.name}：{err.message}")
            continue
        outcome.added.append(photo)
    progress.update(total, total, "导入完成")
    return outcome


def image_to_png(image: QImage) -> bytes:
    """Lossless bytes of a clipboard image (its SHA-256 is what the workbook records as the original)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise EvidenceError("剪贴板中的图片无法读取，请重新复制后再粘贴。")
    return bytes(buffer.data())


def import_image(workbook: object, target: PhotoTarget, image: QImage, progress: Progress) -> ImportOutcome:
    """Add a pasted or dropped image (encoded here, on the worker thread: QImage is safe to read there)."""
    outcome = ImportOutcome()
    progress.update(0, 1, "正在导入粘贴的图片……")
    name = f"粘贴的图片-{datetime.now():%Y%m%d-%H%M%S}.png"
    try:
        from selfcheck.evidence.photos import normalize_photo_bytes

        outcome.added.append(_store(workbook, target, normalize_photo_bytes(image_to_png(image), name)))
    except EvidenceError as err:
        outcome.problems.append(f"{name}：{err.message}")
    progress.update(1, 1, "导入完成")
    return outcome
