"""Photo evidence in the workbook (`wb.photos`): metadata rows, image and thumbnail BLOBs in their own tables, soft removal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.errors import WorkbookError
from selfcheck.workbook import repository as repo
from selfcheck.workbook.errors import DuplicatePhotoError, NotFoundError
from selfcheck.workbook.core import WorkbookCore
from selfcheck.workbook.models import Photo, PhotoKind
from selfcheck.workbook.states import target_of

if TYPE_CHECKING:
    from selfcheck.evidence.models import NormalizedPhoto

MAX_CAPTION = 500


def _kind(kind: PhotoKind | str) -> PhotoKind:
    try:
        return PhotoKind(kind)
    except ValueError:
        raise WorkbookError(f"未知的照片类别“{kind}”（应为 evidence 或 after）。") from None


def _caption(caption: str) -> str:
    caption = (caption or "").strip()
    if len(caption) > MAX_CAPTION:
        raise WorkbookError(f"照片说明过长（最多 {MAX_CAPTION} 字）。")
    return caption


class Photos:
    """The photos room of a Workbook (`wb.photos`)."""

    def __init__(self, core: WorkbookCore) -> None:
        self._core = core

    def _where_it_goes(self, inspection_id: int, item_id: str | None, problem_id: int | None,
                       kind: PhotoKind) -> str | None:
        """Validate the item/problem the photo is for; returns the item id to store."""
        core = self._core
        core.inspection_row(inspection_id)
        if problem_id is not None:
            problem = repo.problem_row(core.db, problem_id)
            if problem is None:
                raise NotFoundError(f"找不到编号为 {problem_id} 的问题。")
            if problem["inspection_id"] != inspection_id:
                raise WorkbookError(f"问题 #{problem_id} 不属于自查 #{inspection_id}。")
            if item_id is None:
                item_id = problem["item_id"]
        if kind is PhotoKind.AFTER:
            if problem_id is None:
                raise WorkbookError("整改后照片需要指明对应的问题。")
            return item_id
        if item_id is None:
            raise WorkbookError("佐证照片需要指明对应的检查项。")
        core.item(inspection_id, item_id)
        return item_id

    def _add(self, inspection_id: int, item_id: str | None, normalize: Callable[[], NormalizedPhoto], *,
            caption: str, problem_id: int | None, kind: PhotoKind | str) -> Photo:
        """Check where the photo goes, then get it from `normalize()` and store it.

        The decode and re-encode in `normalize` run after the checks (a wrong target costs no decoding) and before
        the transaction (a rejected file never touches the workbook).
        """
        if self._core.read_only:
            with self._core.write():  # raises the read-only error before any work
                pass
        photo_kind = _kind(kind)
        caption = _caption(caption)
        item_id = self._where_it_goes(inspection_id, item_id, problem_id, photo_kind)
        return self._insert(inspection_id, item_id, problem_id, photo_kind, caption, normalize())

    def _insert(self, inspection_id: int, item_id: str | None, problem_id: int | None, kind: PhotoKind,
                caption: str, photo: NormalizedPhoto) -> Photo:
        import hashlib

        with self._core.write() as tx:
            duplicate = repo.one(tx.db, (
                "SELECT id, removed_at FROM photos WHERE inspection_id = ? AND original_sha256 = ? AND kind = ?"
                " AND item_id IS ? AND problem_id IS ?"), (inspection_id, photo.original_sha256, kind.value,
                                                            item_id, problem_id))
            if duplicate is not None:
                where = f"检查项 {item_id}" if kind is PhotoKind.EVIDENCE else f"问题 #{problem_id}"
                removed = duplicate["removed_at"] is not None
                tail = "（该照片已被删除，可在“已删除的照片”中恢复）" if removed else ""
                raise DuplicatePhotoError(
                    f"“{photo.original_name}”已导入到{where}（照片 #{duplicate['id']}）{tail}，未重复导入。",
                    existing_photo_id=duplicate["id"], removed=removed)
            pid = tx.insert("photos", {
                "inspection_id": inspection_id, "item_id": item_id, "problem_id": problem_id, "kind": kind.value,
                "caption": caption, "original_name": photo.original_name, "original_sha256": photo.original_sha256,
                "original_size": photo.original_size, "original_format": photo.original_format,
                "image_sha256": photo.image_sha256, "image_size": len(photo.image_jpeg), "width": photo.width,
                "height": photo.height, "thumb_sha256": hashlib.sha256(photo.thumb_jpeg).hexdigest(),
                "thumb_width": photo.thumb_width, "thumb_height": photo.thumb_height,
                "captured_at": photo.captured_at.isoformat() if photo.captured_at else None,
                "added_at": tx.now, "added_by": tx.actor, "removed_at": None, "removed_by": None,
            })
            tx.db.execute("INSERT INTO photo_images (photo_id, data) VALUES (?, ?)", (pid, photo.image_jpeg))
            tx.db.execute("INSERT INTO photo_thumbs (photo_id, data) VALUES (?, ?)", (pid, photo.thumb_jpeg))
            tx.log("photo.add", target_of("photo", pid), None)
            tx.touch_inspection(inspection_id)
        return self._get(pid)

    def _get(self, photo_id: int) -> Photo:
        row = repo.photo_row(self._core.db, photo_id)
        if row is None:
            raise NotFoundError(f"找不到编号为 {photo_id} 的照片。")
        return repo.to_photo(row)

    def _list(self, inspection_id: int, item_id: str | None, *, problem_id: int | None,
             kind: PhotoKind | str | None, include_removed: bool) -> list[Photo]:
        where, params = ["inspection_id = ?"], [inspection_id]
        if item_id is not None:
            where.append("item_id = ?")
            params.append(item_id)
        if problem_id is not None:
            where.append("problem_id = ?")
            params.append(problem_id)
        if kind is not None:
            where.append("kind = ?")
            params.append(_kind(kind).value)
        if not include_removed:
            where.append("removed_at IS NULL")
        return [repo.to_photo(r) for r in repo.photo_rows(self._core.db, " AND ".join(where), params)]

    def _counts(self, inspection_id: int) -> dict[str, int]:
        return {r[0]: r[1] for r in self._core.db.execute(
            "SELECT item_id, COUNT(*) FROM photos WHERE inspection_id = ? AND kind = 'evidence'"
            " AND removed_at IS NULL GROUP BY item_id", (inspection_id,)).fetchall()}

    def _blob(self, table: str, photo_id: int) -> bytes:
        row = self._core.db.execute(f"SELECT data FROM {table} WHERE photo_id = ?", (photo_id,)).fetchone()
        if row is None:
            self._get(photo_id)
            raise WorkbookError(f"照片 #{photo_id} 的图像数据缺失，工作簿可能已损坏。")
        return bytes(row[0])

    def _set_caption(self, photo_id: int, caption: str) -> Photo:
        caption = _caption(caption)
        photo = self._get(photo_id)
        with self._core.write() as tx:
            target = target_of("photo", photo_id)
            before = tx.state(target)
            tx.update("photos", photo_id, {"caption": caption})
            tx.log("photo.caption", target, before)
            tx.touch_inspection(photo.inspection_id)
        return self._get(photo_id)

    def _set_removed(self, photo_id: int, removed: bool) -> Photo:
        photo = self._get(photo_id)
        if photo.removed == removed:
            return photo
        with self._core.write() as tx:
            target = target_of("photo", photo_id)
            before = tx.state(target)
            tx.update("photos", photo_id, {"removed_at": tx.now if removed else None,
                                           "removed_by": tx.actor if removed else None})
            tx.log("photo.remove" if removed else "photo.restore", target, before)
            tx.touch_inspection(photo.inspection_id)
        return self._get(photo_id)

    def add(
        self,
        inspection_id: int,
        item_id: str | None,
        path: str | Path,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Import a photo file (normalised by selfcheck.evidence.photos). Evidence photos belong to an item;
        after-photos (kind "after") to a problem (item_id may then be None: the problem's item is used).

        Raises EvidenceError for rejected files (workbook unchanged), DuplicatePhotoError when the same file
        (original SHA-256) is already on this item/problem.
        """
        from selfcheck.evidence.photos import normalize_photo

        return self._add(inspection_id, item_id, lambda: normalize_photo(Path(path)), caption=caption,
                                problem_id=problem_id, kind=kind)

    def add_bytes(
        self,
        inspection_id: int,
        item_id: str | None,
        data: bytes,
        name: str,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Like add_photo for bytes (clipboard paste); `name` is recorded as the original name."""
        from selfcheck.evidence.photos import normalize_photo_bytes

        return self._add(inspection_id, item_id, lambda: normalize_photo_bytes(data, name), caption=caption,
                                problem_id=problem_id, kind=kind)

    def add_normalized(
        self,
        inspection_id: int,
        item_id: str | None,
        photo: NormalizedPhoto,
        *,
        caption: str = "",
        problem_id: int | None = None,
        kind: PhotoKind | str = PhotoKind.EVIDENCE,
    ) -> Photo:
        """Store a photo the caller normalised with selfcheck.evidence.photos (normalize_photo/_bytes).

        The slow decode and re-encode then happens wherever the caller chose (the app does it on a worker
        thread without holding the workbook), and only the short insert runs here. Same rules and errors as
        add_photo.
        """
        return self._add(inspection_id, item_id, lambda: photo, caption=caption, problem_id=problem_id,
                                kind=kind)

    def all(
        self,
        inspection_id: int,
        item_id: str | None = None,
        *,
        problem_id: int | None = None,
        kind: PhotoKind | str | None = None,
        include_removed: bool = False,
    ) -> list[Photo]:
        """Photo metadata (no bytes), in the order added."""
        return self._list(inspection_id, item_id, problem_id=problem_id, kind=kind,
                                 include_removed=include_removed)

    def counts(self, inspection_id: int) -> dict[str, int]:
        """Evidence photos per item id (removed photos excluded); one indexed query."""
        return self._counts(inspection_id)

    def get(self, photo_id: int) -> Photo:
        """Metadata of one photo; WorkbookError if unknown."""
        return self._get(photo_id)

    def image(self, photo_id: int) -> bytes:
        """The stored normalised JPEG."""
        return self._blob("photo_images", photo_id)

    def thumbnail(self, photo_id: int) -> bytes:
        """The stored JPEG thumbnail (≤ 320 px)."""
        return self._blob("photo_thumbs", photo_id)

    def set_caption(self, photo_id: int, caption: str) -> Photo:
        """Change a photo's caption."""
        return self._set_caption(photo_id, caption)

    def remove(self, photo_id: int) -> Photo:
        """Mark a photo removed (kept in the file; restore_photo undoes it)."""
        return self._set_removed(photo_id, True)

    def restore(self, photo_id: int) -> Photo:
        """Undo remove_photo."""
        return self._set_removed(photo_id, False)
