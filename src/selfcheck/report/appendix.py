"""附件：照片佐证 — every photo as its stored JPEG bytes (never re-encoded) with item, caption, times and a short hash."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from selfcheck.errors import ReportError
from selfcheck.report.data import PhotoInfo, ReportData
from selfcheck.report.styles import MUTED, Styles, colored, esc, local_time

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

PhotoLoader = Callable[[int], bytes]

COLUMNS = 2
CELL_WIDTH = 232.5
IMAGE_BOX = (222.0, 150.0)  # width, height in points
SHORT_HASH = 16


def ordered_photos(data: ReportData) -> list[PhotoInfo]:
    """Evidence photos in item order (then by capture/import time), followed by after-photos in problem order."""
    item_rank: dict[str, int] = {}
    for checklist in data.checklists:
        for item in checklist.items():
            item_rank[item.id] = len(item_rank)
    problem_rank = {p.id: n for n, p in enumerate(data.problems)}

    def key(photo: PhotoInfo) -> tuple[Any, ...]:
        when = (photo.captured_at or photo.imported_at).timestamp()
        if photo.kind == "after":
            return (1, problem_rank.get(photo.problem_id or -1, len(problem_rank)), when, photo.id)
        return (0, item_rank.get(photo.item_id or "", len(item_rank)), when, photo.id)

    return sorted(data.photos, key=key)


def photo_numbers(data: ReportData) -> dict[int, int]:
    """Photo id → its number in the appendix (照片 1, 2, …)."""
    return {photo.id: n for n, photo in enumerate(ordered_photos(data), 1)}


def read_photo(photo: PhotoInfo, loader: PhotoLoader) -> bytes:
    """The stored JPEG bytes (not yet checked against the recorded SHA-256); raises ReportError if missing."""
    try:
        data = loader(photo.id)
    except ReportError:
        raise
    except (KeyError, LookupError, OSError) as err:
        from selfcheck.oserrors import os_reason

        reason = os_reason(err) if isinstance(err, OSError) else "照片数据缺失"
        raise ReportError(f"无法读取照片 {photo.id}（{photo.original_name or photo.caption}）：{reason}。") from None
    if not data or data[:3] != b"\xff\xd8\xff":
        raise ReportError(f"照片 {photo.id}（{photo.original_name or photo.caption}）不是 JPEG 图像，无法放入报告。")
    return data


def check_photo(photo: PhotoInfo, data: bytes) -> None:
    """Raise ReportError unless `data` is the photo whose SHA-256 was recorded."""
    if hashlib.sha256(data).hexdigest() != photo.image_sha256:
        raise ReportError(f"照片 {photo.id}（{photo.original_name or photo.caption}）的内容与记录的校验值不符，"
                          "可能已被改动，报告未生成。")


def load_photo(photo: PhotoInfo, loader: PhotoLoader) -> bytes:
    """The stored JPEG bytes, checked against the recorded SHA-256; raises ReportError if missing or altered."""
    data = read_photo(photo, loader)
    check_photo(photo, data)
    return data


class PhotoChecks:
    """The SHA-256 checks of a report's photos, run in report order on a worker thread once started.

    The layout does not need them, signing does: the export starts them when the PDF is written and waits for
    them right before the signature is computed, so that they run beside pyHanko's digest of the file (hashlib,
    like that digest, releases the GIL while it hashes; started during the layout they would instead wait for
    the GIL after every photo). `wait()` raises the ReportError check_photo gives for the first photo whose bytes
    do not match, and nothing may be signed or saved until it has returned."""

    def __init__(self) -> None:
        self._photos: list[tuple[PhotoInfo, bytes]] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def add(self, photo: PhotoInfo, data: bytes) -> None:
        if self._thread is not None:
            raise RuntimeError("photo checks already started")
        self._photos.append((photo, data))

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="report-photo-checks", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            for photo, data in self._photos:
                check_photo(photo, data)
        except BaseException as err:  # noqa: BLE001 - handed to wait(), raised on the caller's thread
            self._error = err

    def wait(self) -> None:
        """Run the checks to the end (starting them if needed); raise the first failure."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        self._photos = []
        if self._error is not None:
            raise self._error


def fit(width: int, height: int, box: tuple[float, float] = IMAGE_BOX) -> tuple[float, float]:
    scale = min(box[0] / width, box[1] / height)
    return width * scale, height * scale


def _jpeg_flowable_class() -> type:
    from reportlab.pdfbase import pdfdoc
    from reportlab.platypus import Flowable

    class JpegImage(Flowable):
        """A JPEG placed from its bytes, embedded unchanged (DCTDecode).

        reportlab's Image flowable decodes every JPEG to RGB and hashes the pixels just to name the XObject —
        90 % of the time of a photo-heavy report. The stored photo's SHA-256 is a name already, so this flowable
        registers the pass-through XObject the way canvas.drawImage does, minus the decode.
        """

        def __init__(self, data: bytes, sha256: str, width: float, height: float) -> None:
            super().__init__()
            self.data = data
            self.key = sha256
            self.width = width
            self.height = height
            self.hAlign = "CENTER"

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return self.width, self.height

        def draw(self) -> None:
            canv = self.canv
            doc = canv._doc
            name = f"SCPhoto{self.key[:40]}"
            registered = doc.getXObjectName(name)
            if not doc.idToObject.get(registered):
                xobject = pdfdoc.PDFImageXObject(name)
                if not xobject.loadImageFromJPEG(io.BytesIO(self.data)):
                    raise ReportError("照片不是有效的 JPEG 图像，无法放入报告。")
                xobject.name = name
                canv._setXObjects(xobject)
                doc.Reference(xobject, registered)
                doc.addForm(name, xobject)
            canv._currentPageHasImages = 1
            canv.saveState()
            canv.scale(self.width, self.height)
            canv._code.append(f"/{registered} Do")
            canv.restoreState()
            canv._formsinuse.append(name)

    return JpegImage


class AppendixBuilder:
    """Builds the photo appendix; photos are loaded one by one through `loader` (progress and cancel per photo)
    and checked against their recorded SHA-256 as they are read, or by `checks` when given."""

    def __init__(self, data: ReportData, styles: Styles, loader: PhotoLoader, tz: tzinfo | None,
                 checks: PhotoChecks | None = None) -> None:
        self.data = data
        self.s = styles
        self.loader = loader
        self.tz = tz
        self.checks = checks  # None: each photo is checked as it is read

    def flowables(self, on_photo: Callable[[int, int], None] | None = None) -> list[Flowable]:
        from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

        from selfcheck.report.cjkwrap import CJKParagraph as Paragraph

        s = self.s
        photos = ordered_photos(self.data)
        out: list[Flowable] = [PageBreak(), Paragraph("附件：照片佐证", s.h1)]
        if not photos:
            out.append(Paragraph("本次自查未上传照片佐证。", s.body))
            return out
        out.append(Paragraph(
            f"共 {len(photos)} 张照片，按检查项顺序排列，整改后照片列于最后。照片为工作簿中存储的原始图像，未经重新压缩；"
            f"“SHA-256”为该图像文件校验值的前 {SHORT_HASH} 位，完整校验值见报告内附数据。", s.note))
        out.append(Spacer(1, 6))
        jpeg_image = _jpeg_flowable_class()
        cells: list[list[Flowable]] = []
        for n, photo in enumerate(photos, 1):
            if self.checks is None:
                jpeg = load_photo(photo, self.loader)
            else:
                jpeg = read_photo(photo, self.loader)
                self.checks.add(photo, jpeg)
            w, h = fit(photo.width, photo.height)
            image = jpeg_image(jpeg, photo.image_sha256, w, h)
            cells.append([image, Spacer(1, 4), Paragraph(self._caption(n, photo), s.caption)])
            if on_photo is not None:
                on_photo(n, len(photos))
        rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
        if len(rows[-1]) < COLUMNS:
            rows[-1] += [[] for _ in range(COLUMNS - len(rows[-1]))]
        style = TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), s.fonts.song),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ])
        # One small table per row: a single long table is re-wrapped from the split point on every page (quadratic).
        out += [Table([row], colWidths=[CELL_WIDTH] * COLUMNS, style=style, hAlign="LEFT") for row in rows]
        return out

    def _caption(self, n: int, photo: PhotoInfo) -> str:
        d, s = self.data, self.s
        if photo.kind == "after":
            problem_no = next((i for i, p in enumerate(d.problems, 1) if p.id == photo.problem_id), None)
            where = f"整改后照片 · 问题 {problem_no}" if problem_no else "整改后照片"
            if photo.item_id:
                where += f" · 检查项 {esc(photo.item_id)}"
        else:
            where = f"检查项 {esc(photo.item_id)}" if photo.item_id else "佐证照片"
        lines = [f'<font name="{s.fonts.hei}">照片 {n}</font>　{where}']
        if photo.caption:
            lines.append(f"说明：{esc(photo.caption)}")
        taken = local_time(photo.captured_at, self.tz) if photo.captured_at else "不详"
        lines.append(f"拍摄：{taken}　导入：{local_time(photo.imported_at, self.tz)}")
        lines.append(colored(f"SHA-256：{photo.image_sha256[:SHORT_HASH]}…", MUTED))
        if photo.original_name:
            lines.append(colored(f"原文件：{esc(photo.original_name)}", MUTED))
        return "<br/>".join(lines)
