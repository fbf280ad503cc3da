"""Markup parsed once per shape gives exactly the fragments reportlab's own parser gives, or steps aside."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.platypus.paragraph import Paragraph, cleanBlockQuotedText

from selfcheck.report.cjkwrap import CJKParagraph
from selfcheck.report.fonts import report_fonts
from selfcheck.report.markup import parsed_frags
from selfcheck.report.pdf import build_pdf
from selfcheck.report.styles import MUTED, colored, esc, make_styles
from tests.report.factory import Sample


def _stock(text: str, style: Any) -> list[dict[str, Any]]:
    return [vars(frag) for frag in Paragraph(text, style).frags]


def _cached(text: str, style: Any) -> list[dict[str, Any]] | None:
    frags = parsed_frags(cleanBlockQuotedText(text), style)
    return None if frags is None else [vars(frag) for frag in frags]


def test_every_paragraph_of_a_report_matches_reportlabs_parse(sample: Sample, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, Any]] = []
    original = CJKParagraph._setup

    def record(self: Any, text: Any, style: Any, bullet: Any, frags: Any, cleaner: Any) -> None:
        if frags is None:
            seen.append((text, style))
        original(self, text, style, bullet, frags, cleaner)

    monkeypatch.setattr(CJKParagraph, "_setup", record)
    build_pdf(sample.data, sample.photo_loader)
    assert len(seen) > 300
    filled = 0
    for text, style in seen:
        cached = _cached(text, style)
        if cached is not None:
            filled += 1
            assert cached == _stock(text, style), text
    assert filled > 0.9 * len(seen)  # the report's markup is nearly all of shapes the cache fills


STYLES = make_styles(report_fonts())


@pytest.mark.parametrize("text", [
    "合规",
    "  前后有空格  与\n换行  ",
    f"MEAL-11<br/>{colored('一般 · 2分', MUTED)}",
    f'<font name="{STYLES.fonts.hei}">照片 3</font>　检查项 MEAL-11<br/>说明：食堂 <b>后厨</b> 留样柜',
    "<br/><br/>空行<br/>",
    f"用户输入了私用区字符 \U000F0001 与 \U000F0000{colored('A', '#b3261e')}",
    "<i>斜</i><u>下划线</u>",
])
def test_shapes_are_filled_exactly_as_reportlab_parses_them(text: str) -> None:
    for style in (STYLES.cell, STYLES.body, STYLES.caption):
        assert _cached(text, style) == _stock(text, style)


@pytest.mark.parametrize("text", [
    esc("甲 & 乙 <丙>"),  # entities: reportlab makes fragments of their own
    "<para leading='20'>段</para>",
    '<a href="x">链接</a>',
    "<bullet>•</bullet>项",
    "<font color='#555555'>未闭合",
])
def test_markup_it_cannot_reproduce_is_left_to_reportlab(text: str) -> None:
    assert _cached(text, STYLES.cell) is None


def test_the_paragraph_reads_the_same_either_way() -> None:
    text = f"检查项 MEAL-11<br/>{colored('依据：《学校食品安全与营养健康管理规定》第二十条', MUTED)}" * 3
    ours, stock = CJKParagraph(text, STYLES.cell), Paragraph(text, STYLES.cell)
    assert [vars(f) for f in ours.frags] == [vars(f) for f in stock.frags]
    assert ours.text == stock.text


def test_a_copied_fragment_is_what_clone_gives_and_independent_of_the_original() -> None:
    from reportlab.platypus.paraparser import ParaFrag

    from selfcheck.report.markup import copy_frag

    frag = ParaFrag(fontName="STSong", fontSize=10.5, text="合规", rise=0)
    copied, cloned = copy_frag(frag, text="不合规"), frag.clone(text="不合规")
    assert type(copied) is type(cloned) is ParaFrag
    assert copied.__dict__ == cloned.__dict__ and copied is not frag
    copied.fontSize = 12
    assert frag.fontSize == 10.5 and frag.text == "合规"
