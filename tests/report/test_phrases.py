"""The report's recurring phrases: headings' ordinals, figures, a long title split at a natural break."""

from __future__ import annotations

import pytest

from selfcheck.report.data import Tally
from selfcheck.report.phrases import (
    balanced_title,
    clause,
    done_text,
    number_text,
    ordinal,
    score_text,
    short_tally,
)


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (25, "二十五"), (99, "九十九")])
def test_ordinals_read_as_in_official_headings(n: int, text: str) -> None:
    assert ordinal(n) == text


def test_an_inspection_with_nothing_scored_shows_a_dash_not_full_marks() -> None:
    tally = Tally(items=17, unanswered=17, answered=0)
    assert score_text(tally) == "—"
    assert done_text(tally) == "0/17"
    assert "未作答 17" in short_tally(tally) and "已完成 0/17" in short_tally(tally)


def test_figures_and_clauses() -> None:
    assert score_text(Tally(items=3, answered=2, max_score=10, score=7)) == "7/10"
    assert number_text(3.0) == "3" and number_text(2.5) == "2.5"
    assert clause("已整改完毕。") == "已整改完毕"  # joined into a longer sentence: never "。；"


def test_a_long_title_breaks_at_a_natural_place_into_two_fitting_lines() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from selfcheck.report.fonts import report_fonts

    fonts = report_fonts()
    title = "城关镇第一中心小学关于2026—2027学年第一学期校园食品安全和膳食经费管理专项自查情况的报告"
    lines = balanced_title(title, fonts.hei, 16, 420)
    assert lines == ["城关镇第一中心小学关于2026—2027学年第一学期", "校园食品安全和膳食经费管理专项自查情况的报告"]
    assert all(stringWidth(line, fonts.hei, 16) <= 420 for line in lines)
    assert balanced_title("自查报告", fonts.hei, 16, 420) == ["自查报告"]


def test_times_at_different_offsets_are_each_shown_at_their_own_when_no_zone_is_given() -> None:
    """The same instant at +08:00 and at UTC: shown as stored without a report zone, converted with one."""
    from datetime import UTC, datetime, timedelta, timezone

    from selfcheck.report.styles import local_time

    beijing = datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    utc = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert (local_time(beijing, None), local_time(utc, None)) == ("2026-12-03 10:00", "2026-12-03 02:00")
    assert local_time(utc, timezone(timedelta(hours=8)), seconds=True) == "2026-12-03 10:00:00"
    assert local_time(None, None) == "—"
