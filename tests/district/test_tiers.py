"""梯队: the district sets the total score rates of 示范 / 规范 / 达标; every summary, export and the CLI rank by them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.district.errors import DistrictError
from selfcheck.district.tiers import TierThresholds
from selfcheck.district.workspace import DistrictWorkspace
from tests.district.fixtures import DistrictFiles, make_workspace


@pytest.fixture(scope="module")
def received(tmp_path_factory: pytest.TempPathFactory, district_files: DistrictFiles) -> Path:
    path = make_workspace(tmp_path_factory.mktemp("tiers"), district_files)
    with DistrictWorkspace.open(path) as ws:
        ws.reports.receive([district_files.a1.path, district_files.b1.path], workers=1)
    return path


@pytest.fixture
def workspace(received: Path, tmp_path: Path) -> Path:
    copy = tmp_path / received.name
    shutil.copy2(received, copy)
    return copy


@pytest.mark.parametrize(("rate", "tier"), [(1.0, "示范"), (0.95, "示范"), (0.9499, "规范"), (0.85, "规范"),
                                            (0.70, "达标"), (0.6999, "未达标"), (0.0, "未达标"), (None, "")])
def test_default_thresholds_rank_inclusively(rate: float | None, tier: str) -> None:
    assert TierThresholds().tier_of(rate) == tier
    assert TierThresholds().text() == "示范≥95%，规范≥85%，达标≥70%"


@pytest.mark.parametrize(("values", "message"), [
    ((90, 90, 60), "三级梯队的得分率下限应从高到低：示范（90%）> 规范（90%）> 达标（60%）。"),
    ((80, 85, 70), "三级梯队的得分率下限应从高到低：示范（80%）> 规范（85%）> 达标（70%）。"),
    ((101, 85, 70), "“示范”的得分率下限应大于 0、不超过 100（%），实际是 101。"),
    ((95, 85, 0), "“达标”的得分率下限应大于 0、不超过 100（%），实际是 0。"),
    ((95, float("nan"), 70), "“规范”的得分率下限应大于 0、不超过 100（%），实际是 nan。"),
], ids=["equal", "rising", "above-100", "zero", "nan"])
def test_thresholds_that_cannot_rank_are_refused(values: tuple[float, float, float], message: str) -> None:
    with pytest.raises(DistrictError) as refused:
        TierThresholds.checked(*values)
    assert refused.value.message == message


def test_the_district_sets_its_thresholds_and_every_ranking_follows(workspace: Path) -> None:
    with DistrictWorkspace.open(workspace) as ws:
        campaign = ws.campaigns.current().id
        totals = {r.school_code: r for r in ws.summary.comparison(campaign, area="total")}
        rates = sorted(r.score_rate for r in totals.values())
        assert all(0 < rate < 1 for rate in rates)
        # Put the 示范 line just above the lower school and just below the higher one (in %).
        low, high = (rate * 100 for rate in rates)
        demo = (low + high) / 2 if high > low else high
        ws.summary.set_tier_thresholds(TierThresholds.checked(demo, min(low, demo) - 1, min(low, demo) - 2))
    with DistrictWorkspace.open(workspace, read_only=True) as ws:  # kept in the workspace
        thresholds = ws.summary.tier_thresholds()
        assert thresholds.demo == pytest.approx(demo)
        ranked = {r.school_code: r.tier for r in ws.summary.comparison(campaign, area="total")}
        overview = ws.summary.overview(campaign)
    expected = {code: thresholds.tier_of(row.score_rate) for code, row in totals.items()}
    assert ranked == expected and "示范" in ranked.values()
    assert overview.tiers == {tier: list(ranked.values()).count(tier) for tier in set(ranked.values())}


def test_exports_state_the_thresholds_in_force(workspace: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from selfcheck.district.export_pdf import export_pdf
    from selfcheck.district.export_xlsx import export_xlsx
    from tests.report.fixtures import poppler

    with DistrictWorkspace.open(workspace) as ws:
        ws.summary.set_tier_thresholds(TierThresholds.checked(90, 80, 60))
        campaign = ws.campaigns.current().id
        export_xlsx(ws, campaign, tmp_path / "汇总.xlsx")
        export_pdf(ws, campaign, tmp_path / "汇总.pdf")
    cells = [c for row in load_workbook(tmp_path / "汇总.xlsx")["概况"].iter_rows(values_only=True) for c in row if c]
    assert "梯队（按总得分率：示范≥90%，规范≥80%，达标≥60%）" in cells
    text = "".join(poppler("pdftotext", "-raw", str(tmp_path / "汇总.pdf"), "-").split())
    assert "按总得分率分为三级梯队（示范≥90%，规范≥80%，达标≥60%）" in text


def test_cli_shows_and_sets_the_thresholds(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["district", "tiers", str(workspace)]) == 0
    assert capsys.readouterr().out == "三级梯队（按总得分率）：示范≥95%，规范≥85%，达标≥70%，以下为未达标。\n"
    assert run(["district", "tiers", str(workspace), "--demo", "92.5", "--standard", "80", "--pass", "60"]) == 0
    assert capsys.readouterr().out == "已设定三级梯队（按总得分率）：示范≥92.5%，规范≥80%，达标≥60%，以下为未达标。\n"
    assert run(["district", "summary", str(workspace)]) == 0
    assert "梯队按 示范≥92.5%，规范≥80%，达标≥60%）" in capsys.readouterr().out
    assert run(["district", "tiers", str(workspace), "--demo", "60", "--standard", "80", "--pass", "70"]) == 2
    assert "错误：三级梯队的得分率下限应从高到低" in capsys.readouterr().err
    assert run(["district", "tiers", str(workspace), "--demo", "90"]) == 2
    assert "错误：请同时给出 --demo、--standard 和 --pass 三个下限。" in capsys.readouterr().err
    assert run(["district", "tiers", str(workspace)]) == 0
    assert "示范≥92.5%" in capsys.readouterr().out  # the refused sets changed nothing


def test_an_unreadable_stored_value_means_the_defaults(workspace: Path) -> None:
    with DistrictWorkspace.open(workspace) as ws:
        ws._store.set_meta("tier_thresholds", "[95, \"八十五\"]")
        assert ws.summary.tier_thresholds() == TierThresholds()
