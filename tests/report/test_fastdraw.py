"""Paragraphs drawn by the fast path give exactly the page operators reportlab's drawPara gives, or step aside."""

from __future__ import annotations

import io
from typing import Any

import pytest
import reportlab.rl_config
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.paragraph import Paragraph

from selfcheck.report import fastdraw
from selfcheck.report.cjkwrap import CJKParagraph
from selfcheck.report.fonts import report_fonts
from selfcheck.report.pdf import build_pdf
from selfcheck.report.styles import make_styles
from tests.report.factory import Sample
from tests.report.strategies import markup

FONTS = report_fonts()
STYLES = make_styles(FONTS)


def _stock_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CJKParagraph, "drawOn", Paragraph.drawOn)
    monkeypatch.setattr(CJKParagraph, "drawPara", Paragraph.drawPara)


@pytest.mark.parametrize("which", ["sample", "longest"])
def test_the_report_is_byte_for_byte_the_one_reportlab_draws(which: str, sample: Sample,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.report.longest import longest_sample

    report = sample if which == "sample" else longest_sample(photos_on_one_item=2)
    monkeypatch.setattr(reportlab.rl_config, "invariant", 1)  # no creation time or random document id
    calls = {"fast": 0, "stock": 0}
    original = fastdraw.paragraph_code

    def count(paragraph: Any, canv: Any) -> str | None:
        code = original(paragraph, canv)
        calls["stock" if code is None else "fast"] += 1
        return code

    monkeypatch.setattr(fastdraw, "paragraph_code", count)
    fast = build_pdf(report.data, report.photo_loader).pdf
    with monkeypatch.context() as stock_patch:
        _stock_drawing(stock_patch)
        stock = build_pdf(report.data, report.photo_loader).pdf
    assert fast == stock
    assert calls["fast"] > 20 * max(calls["stock"], 1)  # nearly every paragraph of the report takes the fast path


def _draw(paragraphs: list[tuple[Any, float]], stock: bool) -> list[str]:
    """The page operators of each paragraph drawn in a frame (with a centring slack), at the origin and by drawPara
    inside a translated state, as tables and frames draw them."""
    canvas = Canvas(io.BytesIO())
    draw_on = Paragraph.drawOn if stock else CJKParagraph.drawOn
    draw_para = Paragraph.drawPara if stock else CJKParagraph.drawPara
    for paragraph, width in paragraphs:
        paragraph.hAlign = "CENTER"
        paragraph.wrapOn(canvas, width, 1e6)
        draw_on(paragraph, canvas, 30, 400, 12.5)
        draw_on(paragraph, canvas, 0, 0)
        canvas.saveState()
        canvas.translate(5, 5)
        paragraph.canv = canvas
        draw_para(paragraph)
        del paragraph.canv
        canvas.restoreState()
    return list(canvas._code)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(markup(), min_size=1, max_size=4),
       alignment=st.sampled_from([TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY]),
       size=st.sampled_from([8, 9, 12, 12.5]), first_indent=st.sampled_from([0, 24, 7.5]),
       left_indent=st.sampled_from([0, 12]), width=st.floats(30, 470))
def test_generated_paragraphs_draw_as_reportlab_draws_them(texts: list[str], alignment: int, size: float,
                                                           first_indent: float, left_indent: float,
                                                           width: float) -> None:
    style = ParagraphStyle("t", fontName=FONTS.song, fontSize=size, leading=size * 1.4, wordWrap="CJK",
                           alignment=alignment, firstLineIndent=first_indent, leftIndent=left_indent,
                           textColor=STYLES.cell.textColor)
    fast = _draw([(CJKParagraph(text, style), width) for text in texts], stock=False)
    stock = _draw([(CJKParagraph(text, style), width) for text in texts], stock=True)
    assert fast == stock


@pytest.mark.parametrize("style", [STYLES.incomplete, STYLES.body.clone("bullet", bulletText="●")])
def test_borders_backgrounds_and_bullets_are_left_to_reportlab(style: Any) -> None:
    paragraph = CJKParagraph("本次自查尚有 3 个检查项未作答", style)
    paragraph.wrap(300, 1e6)
    assert fastdraw.paragraph_code(paragraph, Canvas(io.BytesIO())) is None
    assert _draw([(CJKParagraph("本次自查尚有 3 个检查项未作答", style), 300)], stock=False) == \
        _draw([(CJKParagraph("本次自查尚有 3 个检查项未作答", style), 300)], stock=True)


@pytest.mark.parametrize("text", ["<u>下划线</u>", '<a href="#x">链接</a>', "<super>2</super>",
                                  '<span backColor="yellow">底色</span>', "不换行\xa0空格"])
def test_underlines_links_rises_backgrounds_and_nbsp_are_left_to_reportlab(text: str) -> None:
    paragraph = CJKParagraph(text, STYLES.cell)
    paragraph.wrap(300, 1e6)
    assert fastdraw.paragraph_code(paragraph, Canvas(io.BytesIO())) is None
