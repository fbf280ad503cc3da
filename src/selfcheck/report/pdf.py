"""Lays out ReportData as an A4 PDF with reportlab platypus; records where the signature field goes."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, BinaryIO

from selfcheck import APP_TITLE, __version__
from selfcheck.errors import ReportError
from selfcheck.report.appendix import AppendixBuilder, PhotoChecks, PhotoLoader, photo_numbers
from selfcheck.report.data import ReportData
from selfcheck.report.fonts import ReportFonts, report_fonts, shared_font_tables
from selfcheck.report.sections import TEXT_WIDTH, BodyBuilder
from selfcheck.report.styles import MUTED, PAGE_MARGINS, RULE, Styles, color, local_time, make_styles

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]

# The signature block: three labels on the left, the signature field's rectangle on the right. The rows of the
# field's appearance (school, principal, date) sit on the same baselines as the labels.
SIGNATURE_BOX_SIZE = (210.0, 126.0)
SIGNATURE_ROW_BASELINES = (96.0, 56.0, 16.0)  # from the bottom of the field
SIGNATURE_LABELS = ("学校（盖章）：", "校长签字：", "日　　期：")


class ExportCancelled(ReportError):
    """The user cancelled the export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("已取消导出报告，未写入任何文件。")


@dataclass(frozen=True)
class SignatureSpot:
    """Where the visible signature goes: 0-based page index and (x1, y1, x2, y2) in PDF points."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class BuiltPdf:
    pdf: bytes  # empty when the PDF was written to the `output` given to build_pdf
    pages: int
    signature: SignatureSpot


def _signature_block_class() -> type:
    from reportlab.platypus import Flowable

    class SignatureBlock(Flowable):
        """The 落款: labels 学校（盖章）/ 校长签字 / 日期 and an empty area the signature appearance fills."""

        def __init__(self, styles: Styles, spots: list[SignatureSpot]) -> None:
            super().__init__()
            self.styles = styles
            self.spots = spots
            self.width = TEXT_WIDTH
            self.height = SIGNATURE_BOX_SIZE[1]

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return self.width, self.height

        def draw(self) -> None:
            canv = self.canv
            box_w, box_h = SIGNATURE_BOX_SIZE
            field_x = self.width - box_w
            font, size = self.styles.sign_label.fontName, self.styles.sign_label.fontSize
            canv.setFont(font, size)
            canv.setFillColor(self.styles.sign_label.textColor)
            for label, baseline in zip(SIGNATURE_LABELS, SIGNATURE_ROW_BASELINES, strict=True):
                canv.drawRightString(field_x - 2, baseline, label)
            x1, y1 = canv.absolutePosition(field_x, 0)
            x2, y2 = canv.absolutePosition(field_x + box_w, box_h)
            self.spots.append(SignatureSpot(canv.getPageNumber() - 1, (x1, y1, x2, y2)))

    return SignatureBlock


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """`text`, cut with “…” so that it is at most `width` points wide (page headers and footers)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _numbered_canvas_class(data: ReportData, fonts: ReportFonts, tz: tzinfo | None) -> type:
    """A canvas that draws the header and "第 X 页 共 Y 页" once the page count is known."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from selfcheck.report.pdfstream import streamed

    page_w, page_h = A4
    left, right = PAGE_MARGINS["left"], page_w - PAGE_MARGINS["right"]
    header_left = f"报告编号：{data.report_id}"
    header_right = f"生成时间：{local_time(data.generated_at, tz)}"
    muted, rule, ink = color(MUTED), color(RULE), color("#222222")
    footer_left = fit_text(f"{data.school.name} · {APP_TITLE}报告", fonts.song, 7.5, (right - left) / 2 - 50)

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            with streamed(self):  # written object by object when the output is a file, not joined first
                super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFillColor(muted)
            self.setStrokeColor(rule)
            self.setLineWidth(0.5)
            self.setFont(fonts.song, 7.5)
            top = page_h - PAGE_MARGINS["top"] + 22
            self.drawString(left, top + 4, header_left)
            self.drawRightString(right, top + 4, header_right)
            self.line(left, top, right, top)
            bottom = PAGE_MARGINS["bottom"] - 26
            self.line(left, bottom + 12, right, bottom + 12)
            self.drawString(left, bottom, footer_left)
            self.setFont(fonts.song, 9)
            self.setFillColor(ink)
            self.drawCentredString(page_w / 2, bottom, f"第 {self._pageNumber} 页 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def build_pdf(
    data: ReportData,
    photo_loader: PhotoLoader,
    *,
    fonts: ReportFonts | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    output: BinaryIO | None = None,
    photo_checks: PhotoChecks | None = None,
) -> BuiltPdf:
    """Lay out the report and return the unsigned PDF bytes and the signature field's place.

    With `output` (a binary file), the PDF is written there instead and BuiltPdf.pdf is empty: the export writes
    straight into its temporary file and signs it in place, with no 80 MB copy in memory.

    Photos come from `photo_loader(photo_id)` and are embedded byte for byte. Each is checked against its recorded
    SHA-256 as it is read, unless `photo_checks` is given: the checks are then added to it, and the caller must
    `wait()` on it before the PDF is used (the export waits right before signing). `progress(fraction, message)` is
    called as work proceeds; `cancelled()` returning True stops with ExportCancelled. Raises ReportError when no
    Chinese font is found or a photo is missing, not a JPEG or does not match its recorded SHA-256.
    """
    import reportlab.rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    reportlab.rl_config.useA85 = 0  # pure-Python ASCII85 of photo streams is ~100× slower and 25 % bigger

    def report(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled()
        if progress is not None:
            progress(fraction, message)

    report(0.0, "正在准备字体……")
    fonts = fonts or report_fonts()
    styles = make_styles(fonts)
    tz = data.generated_at.tzinfo
    numbers = photo_numbers(data)
    body = BodyBuilder(data, styles, numbers, tz)
    spots: list[SignatureSpot] = []
    signature_block = _signature_block_class()(styles, spots)

    story = [*body.title(), *body.opening(), *body.basic_info(), *body.overview(), *body.problems(),
             *body.details(), *body.closing(signature_block)]
    report(0.05, "正在读取照片……")

    def on_photo(n: int, total: int) -> None:
        report(0.05 + 0.25 * n / total, f"正在读取照片 {n}/{total}……")

    story += AppendixBuilder(data, styles, photo_loader, tz, photo_checks).flowables(on_photo)

    out = io.BytesIO() if output is None else output
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=PAGE_MARGINS["left"], rightMargin=PAGE_MARGINS["right"],
        topMargin=PAGE_MARGINS["top"], bottomMargin=PAGE_MARGINS["bottom"],
        title=data.title, author=data.school.name, subject=data.inspection.title,
        creator=f"SelfCheck {__version__}", producer=f"SelfCheck {__version__} (reportlab)",
        keywords=f"selfcheck-report; {data.report_id}", lang="zh-CN", pageCompression=1,
        initialFontName=fonts.song,  # else every page references the unembedded Helvetica
    )
    total = len(story)
    done = [0]

    def after_flowable(_flowable: Any) -> None:
        done[0] += 1
        if done[0] % 10 == 0:
            report(0.3 + 0.7 * min(done[0] / total, 1.0), "正在排版报告……")

    doc.afterFlowable = after_flowable  # type: ignore[method-assign]
    with shared_font_tables({fonts.song, fonts.hei, fonts.fang, fonts.kai}):
        doc.build(story, canvasmaker=_numbered_canvas_class(data, fonts, tz))
    if not spots:
        raise AssertionError("signature block was not placed")
    pdf = out.getvalue() if output is None else b""
    report(1.0, "排版完成。")
    return BuiltPdf(pdf=pdf, pages=doc.page, signature=spots[-1])
