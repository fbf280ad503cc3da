"""Photo evidence in the workbook: import, listing, bytes, captions, removal and restore, duplicates, after-photos."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from selfcheck.errors import EvidenceError, WorkbookError
from selfcheck.workbook.errors import DuplicatePhotoError, ReadOnlyError
from selfcheck.workbook.models import PhotoKind, RectificationType, StepData
from selfcheck.workbook.service import Workbook

from .conftest import ACTOR, jpeg_bytes


def _exif_time(stamp: str) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = stamp
    return exif.tobytes()


def test_photo_round_trip(wb: Workbook, inspection_id: int, tmp_path: Path, wb_path: Path) -> None:
    from PIL import Image

    data = jpeg_bytes((3000, 2000), exif=_exif_time("2026:09:10 08:30:00"))
    source = tmp_path / "食堂后厨.jpg"
    source.write_bytes(data)
    photo = wb.photos.add(inspection_id, "TST-01", source, caption="后厨操作间")
    assert (photo.item_id, photo.kind, photo.caption, photo.added_by) == ("TST-01", PhotoKind.EVIDENCE, "后厨操作间", ACTOR)
    assert photo.original_name == "食堂后厨.jpg" and photo.original_sha256 == hashlib.sha256(data).hexdigest()
    assert (photo.width, photo.height) == (2048, 1365) and max(photo.thumb_width, photo.thumb_height) <= 320
    assert photo.captured_at is not None and photo.captured_at.isoformat() == "2026-09-10T08:30:00"
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        [listed] = again.photos.all(inspection_id, "TST-01")
        assert listed == photo
        image = again.photos.image(photo.id)
        assert hashlib.sha256(image).hexdigest() == photo.image_sha256
        assert Image.open(io.BytesIO(image)).size == (2048, 1365)
        assert Image.open(io.BytesIO(again.photos.thumbnail(photo.id))).size == (photo.thumb_width, photo.thumb_height)
        assert again.photos.counts(inspection_id) == {"TST-01": 1}
        assert again.audit.verify().ok


def test_same_file_twice_on_one_item_is_reported(wb: Workbook, inspection_id: int, photo_file: Path) -> None:
    first = wb.photos.add(inspection_id, "TST-01", photo_file)
    head = wb.audit.head()
    with pytest.raises(DuplicatePhotoError, match="已导入") as caught:
        wb.photos.add(inspection_id, "TST-01", photo_file)
    assert caught.value.existing_photo_id == first.id
    assert isinstance(caught.value, EvidenceError) and isinstance(caught.value, WorkbookError)
    assert wb.audit.head() == head and len(wb.photos.all(inspection_id)) == 1
    # the same file on another item is another piece of evidence
    assert wb.photos.add(inspection_id, "TST-02", photo_file).id != first.id


def test_remove_and_restore_are_undoable_and_audited(wb: Workbook, inspection_id: int, photo_file: Path) -> None:
    photo = wb.photos.add(inspection_id, "TST-01", photo_file)
    removed = wb.photos.remove(photo.id)
    assert removed.removed and wb.photos.all(inspection_id) == [] and wb.photos.counts(inspection_id) == {}
    assert [p.id for p in wb.photos.all(inspection_id, include_removed=True)] == [photo.id]
    with pytest.raises(DuplicatePhotoError, match="恢复"):
        wb.photos.add(inspection_id, "TST-01", photo_file)
    assert not wb.photos.restore(photo.id).removed
    assert wb.photos.set_caption(photo.id, "新的说明").caption == "新的说明"
    actions = [e.action for e in wb.audit.entries(target=f"photo/{photo.id}")]
    assert actions == ["photo.caption", "photo.restore", "photo.remove", "photo.add"]
    assert wb.audit.verify().ok


def test_after_photos_belong_to_a_problem(wb: Workbook, inspection_id: int) -> None:
    problem = wb.answers.set(inspection_id, "TST-02", "否").problem
    with pytest.raises(WorkbookError, match="问题"):
        wb.photos.add_bytes(inspection_id, None, jpeg_bytes(), "after.jpg", kind="after")
    after = wb.photos.add_bytes(inspection_id, None, jpeg_bytes(), "after.jpg", kind="after", problem_id=problem.id)
    assert (after.kind, after.item_id, after.problem_id) == (PhotoKind.AFTER, "TST-02", problem.id)
    assert wb.ledger.get(problem.id).after_photos == 1
    assert wb.photos.counts(inspection_id) == {}  # after-photos are not the item's evidence
    assert wb.photos.all(inspection_id, problem_id=problem.id, kind="after") == [after]
    # a problem with an after-photo is no longer "untouched": answering compliant keeps it
    assert wb.answers.set(inspection_id, "TST-02", "是").problem_action.value == "kept"
    wb.ledger.advance(problem.id, "整改中", StepData(measures="m", rect_type=RectificationType.LONG_TERM, leader="l",
                                                    department="d", person="p", deadline="2030-01-01"))
    assert wb.audit.verify().ok


@pytest.mark.parametrize(
    ("item_id", "kind", "message"),
    [(None, "evidence", "检查项"), ("XYZ-99", "evidence", "XYZ-99"), ("TST-01", "before", "类别")],
)
def test_photo_target_is_validated_before_decoding(wb: Workbook, inspection_id: int, photo_file: Path,
                                                   item_id: str | None, kind: str, message: str) -> None:
    with pytest.raises(WorkbookError, match=message):
        wb.photos.add(inspection_id, item_id, photo_file, kind=kind)


def test_read_only_workbook_refuses_photos(wb: Workbook, inspection_id: int, wb_path: Path, photo_file: Path) -> None:
    with Workbook.open(wb_path, actor="", read_only=True) as viewer, pytest.raises(ReadOnlyError):
        viewer.photos.add(inspection_id, "TST-01", photo_file)


def test_caption_too_long(wb: Workbook, inspection_id: int, photo_file: Path) -> None:
    with pytest.raises(WorkbookError, match="过长"):
        wb.photos.add(inspection_id, "TST-01", photo_file, caption="长" * 501)


def test_a_photo_normalised_elsewhere_is_stored_like_an_imported_one(wb: Workbook, inspection_id: int,
                                                                     photo_file: Path, wb_path: Path) -> None:
    from selfcheck.evidence.photos import normalize_photo

    normalized = normalize_photo(photo_file)  # e.g. on the app's worker thread, without the workbook
    photo = wb.photos.add_normalized(inspection_id, "TST-01", normalized, caption="操作间")
    assert (photo.original_name, photo.original_sha256, photo.image_sha256, photo.caption) == (
        photo_file.name, normalized.original_sha256, normalized.image_sha256, "操作间")
    with pytest.raises(DuplicatePhotoError):
        wb.photos.add_normalized(inspection_id, "TST-01", normalized)
    with pytest.raises(WorkbookError, match="NOPE"):
        wb.photos.add_normalized(inspection_id, "NOPE", normalized)
    wb.close()
    with Workbook.open(wb_path, actor=ACTOR) as again:
        assert again.photos.image(photo.id) == normalized.image_jpeg
        assert [p.id for p in again.photos.all(inspection_id, "TST-01")] == [photo.id]
        assert again.audit.verify().ok
    with Workbook.open(wb_path, actor=ACTOR, read_only=True) as reader, pytest.raises(ReadOnlyError):
        reader.photos.add_normalized(inspection_id, "TST-02", normalized)
