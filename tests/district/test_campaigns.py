"""Correcting a campaign after it was set up: a typo in its title, a reporting deadline extended or put right; its
period only while nothing was received into it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from selfcheck.district.errors import DistrictError
from selfcheck.district.workspace import DistrictWorkspace
from tests.district.fixtures import DistrictFiles, make_workspace


def test_an_extended_deadline_changes_who_is_late(tmp_path: Path, district_files: DistrictFiles) -> None:
    early = datetime.now().astimezone() - timedelta(days=400)  # every report was signed after it: late
    path = make_workspace(tmp_path, district_files, deadline=early)
    with DistrictWorkspace.open(path) as ws:
        campaign = ws.campaigns.current()
        ws.reports.receive([district_files.a1.path], workers=1)
        assert ws.summary.overview(campaign.id).late == 1
        later = datetime.now().astimezone() + timedelta(days=7)
        changed = ws.campaigns.update(campaign.id, "  2026年秋季专项自查（延期） ", campaign.period_start,
                                      campaign.period_end, deadline=later)
        assert changed.title == "2026年秋季专项自查（延期）"
        assert abs(changed.deadline - later) < timedelta(seconds=1)
        assert ws.summary.overview(campaign.id).late == 0
    with DistrictWorkspace.open(path, read_only=True) as ws:  # kept
        assert ws.campaigns.current().title == "2026年秋季专项自查（延期）"


def test_the_period_is_fixed_once_a_report_was_received(tmp_path: Path, district_files: DistrictFiles) -> None:
    path = make_workspace(tmp_path, district_files)
    with DistrictWorkspace.open(path) as ws:
        campaign = ws.campaigns.current()
        ws.reports.receive([district_files.forged.path], workers=1)  # rejected: judged by nothing of the period
        moved = ws.campaigns.update(campaign.id, campaign.title, date(2026, 9, 15), date(2027, 1, 15))
        assert (moved.period_start, moved.period_end) == (date(2026, 9, 15), date(2027, 1, 15))  # nothing accepted
        ws.reports.receive([district_files.a1.path], workers=1)
        with pytest.raises(DistrictError) as refused:
            ws.campaigns.update(campaign.id, campaign.title, date(2026, 10, 1), date(2026, 12, 31))
        assert refused.value.message == ("本轮自查已接收 1 份报告，不能再修改自查时段：这些报告是按原时段核验的。"
                                         "名称和报送截止时间仍可修改；时段确有错误时，请新建一轮自查后重新接收报告。")
        assert ws.campaigns.get(campaign.id).period_start == date(2026, 9, 15)  # unchanged
        with pytest.raises(DistrictError, match="结束日期早于开始日期"):
            ws.campaigns.update(campaign.id, campaign.title, date(2026, 12, 31), date(2026, 9, 1))
        with pytest.raises(DistrictError, match="请填写专项名称"):
            ws.campaigns.update(campaign.id, "  ", date(2026, 9, 15), date(2027, 1, 15))
