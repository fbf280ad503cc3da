"""Hostile and unusual images through add_photo: imported correctly (orientation checked on stored pixels) or
rejected with the right message — and a rejected file leaves the workbook exactly as it was."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from selfcheck.errors import EvidenceError
from selfcheck.workbook.service import Workbook

from .conftest import jpeg_bytes


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb() -> bytes:
    """A tiny PNG that declares 40000 x 40000 pixels (1.6 gigapixels) of zeros."""
    width = height = 40000
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width // 8)
    body = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", body) + _png_chunk(b"IEND", b"")


def huge_jpeg() -> bytes:
    """A valid small JPEG whose frame header is patched to claim 60000 x 60000 pixels."""
    data = bytearray(jpeg_bytes((16, 16)))
    marker = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, marker + 5, 60000, 60000)
    return bytes(data)


def _save(image, fmt: str, **options) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def cmyk_jpeg() -> bytes:
    from PIL import Image

    return _save(Image.new("CMYK", (80, 60), (0, 255, 255, 0)), "JPEG", quality=90)


def png16() -> bytes:
    from PIL import Image

    return _save(Image.new("I;16", (80, 60), 40000), "PNG")


def palette_png_transparent() -> bytes:
    from PIL import Image

    image = Image.new("P", (80, 60), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (0, 0, 40, 60))
    return _save(image, "PNG", transparency=0)


REJECTED: dict[str, tuple[Callable[[], bytes], str]] = {
    "zero.jpg": (lambda: b"", "空文件"),
    "text.jpg": (lambda: "这不是图片，只是文字。\n".encode() * 20, "不是可识别的图片"),
    "truncated.jpg": (lambda: jpeg_bytes((400, 300))[:300], "损坏或不完整"),
    "bomb.png": (png_bomb, "像素过大"),
    "huge.jpg": (huge_jpeg, "像素过大"),
    "fake.pdf.jpg": (lambda: b"%PDF-1.4\n" + b"0" * 200, "PDF"),
}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_files_leave_the_workbook_unchanged(wb: Workbook, inspection_id: int, tmp_path: Path,
                                                     wb_path: Path, name: str) -> None:
    wb.photos.add_bytes(inspection_id, "TST-01", jpeg_bytes(), "good.jpg")
    make, message = REJECTED[name]
    path = tmp_path / name
    path.write_bytes(make())
    before_info, before_head = wb.info().model_dump(exclude={"file_size"}), wb.audit.head()
    with pytest.raises(EvidenceError, match=message) as caught:
        wb.photos.add(inspection_id, "TST-01", path)
    assert name in str(caught.value)
    assert wb.info().model_dump(exclude={"file_size"}) == before_info and wb.audit.head() == before_head
    assert len(wb.photos.all(inspection_id, include_removed=True)) == 1
    assert wb.audit.verify().ok


ACCEPTED: dict[str, Callable[[], bytes]] = {
    "cmyk.jpg": cmyk_jpeg,
    "deep.png": png16,
    "palette.png": palette_png_transparent,
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_unusual_formats_are_imported_as_rgb_jpeg(wb: Workbook, inspection_id: int, name: str) -> None:
    from PIL import Image

    photo = wb.photos.add_bytes(inspection_id, "TST-01", ACCEPTED[name](), name)
    stored = Image.open(io.BytesIO(wb.photos.image(photo.id)))
    assert stored.format == "JPEG" and stored.mode == "RGB" and stored.size == (80, 60)
    if name == "palette.png":  # opaque left half stays blue, transparent right half becomes white
        left, right = stored.getpixel((10, 30)), stored.getpixel((70, 30))
        assert left[2] > 200 and left[0] < 60 and min(right) > 230, (left, right)


# exif_transpose undoes orientation N with these operations; applying the inverse makes the raw pixels.
_INVERSE = {1: None, 2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_90",
            7: "TRANSVERSE", 8: "ROTATE_270"}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_is_stored_upright(wb: Workbook, inspection_id: int, orientation: int) -> None:
    from PIL import Image

    upright = Image.new("RGB", (120, 80), (255, 255, 255))
    upright.paste((220, 0, 0), (0, 0, 40, 30))  # red block: top-left of the scene
    op = _INVERSE[orientation]
    raw = upright.transpose(getattr(Image.Transpose, op)) if op else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    photo = wb.photos.add_bytes(inspection_id, "TST-01", _save(raw, "JPEG", quality=95, exif=exif.tobytes()),
                               f"o{orientation}.jpg")
    stored = Image.open(io.BytesIO(wb.photos.image(photo.id))).convert("RGB")
    assert stored.size == (120, 80) and (photo.width, photo.height) == (120, 80)
    red_corner, far_corner = stored.getpixel((10, 10)), stored.getpixel((110, 70))
    assert red_corner[0] > 180 and red_corner[1] < 60, red_corner
    assert min(far_corner) > 200, far_corner


def test_file_over_50_mb_is_refused_before_reading(wb: Workbook, inspection_id: int, tmp_path: Path) -> None:
    path = tmp_path / "巨大.jpg"
    with path.open("wb") as handle:
        handle.write(jpeg_bytes())
        handle.truncate(51 * 1024 * 1024)  # sparse: no need to write 51 MB
    head = wb.audit.head()
    with pytest.raises(EvidenceError, match="超过 50 MB"):
        wb.photos.add(inspection_id, "TST-01", path)
    assert wb.audit.head() == head and wb.photos.all(inspection_id) == []


@pytest.mark.parametrize("name", ["照片 #1?.jpg", "photo%20x.jpg"])
def test_odd_workbook_and_photo_names(tmp_path: Path, name: str) -> None:
    from .conftest import make_checklist
    from selfcheck.workbook.models import NewInspection

    path = tmp_path / f"学校 #1?{name}.selfcheck"
    with Workbook.create(path, actor="x") as wb:
        iid = wb.inspections.create(NewInspection(title="t", period_start="2026-09-01", period_end="2026-10-01",
                                                 checklist_ids=["tst"]), available=[make_checklist()]).id
        source = tmp_path / name
        source.write_bytes(jpeg_bytes())
        assert wb.photos.add(iid, "TST-01", source).original_name == name
        copy = wb.backup(tmp_path / f"备份 {name}.selfcheck")
    Workbook.restore(copy, tmp_path / f"恢复 {name}.selfcheck")
    with Workbook.open(tmp_path / f"恢复 {name}.selfcheck", actor="", read_only=True) as restored:
        assert restored.audit.verify().ok
