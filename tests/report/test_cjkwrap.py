"""Chinese line breaking: kinsoku and unbreakable dates, times, numbers and words."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfcheck.report import cjkwrap
from selfcheck.report.cjkwrap import (
    CANNOT_END,
    CANNOT_START,
    CJKParagraph,
    break_opportunities,
)
from selfcheck.report.fonts import report_fonts
from selfcheck.report.pdf import build_pdf
from selfcheck.report.styles import make_styles
from tests.report import cjkwrap_reference as reference
from tests.report.factory import Sample
from tests.report.strategies import markup


def _lines(text: str, width: float) -> list[str]:
    styles = make_styles(report_fonts())
    paragraph = CJKParagraph(text, styles.body_plain)
    paragraph.wrap(width, 1e6)
    return ["".join(word.text for word in line.words) for line in paragraph.blPara.lines]


@pytest.mark.parametrize("text", ["2026-12-03 09:17", "2026年12月3日", "09:17:05", "1,200.5", "MEAL-11",
                                  "IMG_20261203.jpg"])
def test_no_break_inside_dates_times_numbers_and_words(text: str) -> None:
    allowed = break_opportunities(f"检查{text}完成")
    inside = range(3, 2 + len(text))
    assert not any(allowed[k] for k in inside)
    assert allowed[2] and allowed[2 + len(text)]  # but around them


def test_no_break_before_closing_or_after_opening_marks() -> None:
    text = "经查：记录（齐全）、“三防”完好，留样？是！"
    allowed = break_opportunities(text)
    for k in range(1, len(text)):
        if text[k] in CANNOT_START or text[k - 1] in CANNOT_END:
            assert not allowed[k], text[:k]


@pytest.mark.parametrize("width", [40 + 9 * n for n in range(30)])
def test_wrapped_lines_follow_the_rules_at_every_width(width: float) -> None:
    text = ("经查，2026-12-03 09:17 抽查食堂晨检记录（共 12 人）：健康证均在有效期内；“三防”设施完好、留样柜温度 4℃。"
            "陪餐记录？已补齐！「立行立改」，2026年12月3日复查……附件 IMG_20261203_091700.jpg 已上传。") * 2
    lines = _lines(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] not in CANNOT_START, line
    for line in lines:
        assert line[-1] not in CANNOT_END, line
    if width >= 100:  # wide enough for “2026-12-03 09:17”: kept on one line
        assert any("2026-12-03 09:17" in line for line in lines)


def _line_values(lines: list[Any]) -> list[dict[str, Any]]:
    return [{**{k: v for k, v in vars(line).items() if k != "words"}, "words": [vars(w) for w in line.words]}
            for line in lines]


@pytest.mark.parametrize("which", ["sample", "longest"])
def test_short_lines_are_the_lines_glyph_breaking_makes(which: str, sample: Sample,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path for cells whose pieces between <br/>s fit must give exactly the glyph path's lines, and
    every paragraph of the report the lines the breaking as first written gives."""
    from tests.report.longest import longest_sample

    report = sample if which == "sample" else longest_sample(photos_on_one_item=2)
    calls: list[tuple[list[Any], list[float], bool]] = []
    original = cjkwrap.cjk_frag_split

    def record(frags: list[Any], max_widths: list[float], calc_bounds: bool, encoding: str = "utf8") -> Any:
        calls.append((frags, list(max_widths), calc_bounds))
        return original(frags, max_widths, calc_bounds, encoding)

    monkeypatch.setattr(cjkwrap, "cjk_frag_split", record)
    build_pdf(report.data, report.photo_loader)
    short = multi = 0
    for frags, widths, bounds in calls:
        texts = [f.text for f in frags]
        assert _line_values(original(frags, widths, bounds).lines) == \
            _line_values(reference.cjk_frag_split(frags, widths, bounds).lines)
        fast = cjkwrap._short_lines(frags, texts, widths, bounds)
        if fast is None:
            continue
        short += 1
        multi += len(fast) > 1
        assert _line_values(fast) == _line_values(cjkwrap._glyph_lines(frags, texts, widths, bounds).lines)
    assert short > 0.5 * len(calls) and multi > 10


@settings(max_examples=300, deadline=None)
@given(text=markup(max_runs=20), widths=st.lists(st.floats(8, 480), min_size=1, max_size=3),
       style=st.sampled_from(["cell", "body", "cell_small_center", "head"]), calc_bounds=st.booleans())
def test_lines_are_the_lines_of_the_breaking_as_first_written(text: str, widths: list[float], style: str,
                                                              calc_bounds: bool) -> None:
    """Any paragraph the report could hold, at any widths (first lines narrower or wider), breaks into exactly
    the lines the glyph-object breaking (tests/report/cjkwrap_reference.py) makes: same texts, fragments,
    widths, extra space and bounds."""
    frags = CJKParagraph(text, getattr(make_styles(report_fonts()), style)).frags
    assert _line_values(cjkwrap.cjk_frag_split(frags, widths, calc_bounds).lines) == \
        _line_values(reference.cjk_frag_split(frags, widths, calc_bounds).lines)


@given(st.text(alphabet=st.sampled_from(["a", "是", " ", "\n", "\t", "\u3000", "\u200b", "\xa0", "\r", "。", "\x85", "\u2028"]),
               max_size=12))
def test_a_text_taken_as_already_clean_is_what_reportlab_would_make_of_it(text: str) -> None:
    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from selfcheck.report.cjkwrap import already_clean

    if already_clean(text):
        assert cleanBlockQuotedText(text) == text
