"""`selfcheck district demo`: a realistic district whose receiving shows every verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.district_demo import plan_schools


def test_the_plan_has_every_kind_of_school() -> None:
    schools = plan_schools(200)
    assert len({s.code for s in schools}) == len({s.name for s in schools}) == 200
    roles = [s.role for s in schools]
    assert roles.count("late") == 8 and roles.count("missing") == 10
    assert all(roles.count(r) == 1 for r in ("tampered", "unregistered", "twice", "duplicate"))
    assert {s.stage for s in schools} == {"小学", "初中", "幼儿园", "高中", "九年一贯制"}
    assert len({s.zone for s in schools}) > 3 and len({s.rate for s in schools}) > 3


@pytest.mark.slow
def test_a_small_demo_district_is_built_and_received(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.district.workspace import DistrictWorkspace

    folder = tmp_path / "示例区县"
    assert run(["district", "demo", str(folder), "--schools", "4", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "示例区县已生成" in out
    workspace = next(folder.glob("*.district"))
    with DistrictWorkspace.open(workspace, read_only=True) as ws:
        verdicts = sorted(r.verdict for r in ws.reports.list())
        kinds = {k for r in ws.reports.list() for k in r.failure_kinds}
        assert len(ws.roster.list()) == 4 and len(ws.registry.list()) == 4
    # tampered and unregistered rejected; one school twice (one superseded); one file sent again (duplicate)
    assert verdicts == ["accepted", "accepted", "duplicate", "rejected", "rejected", "superseded"]
    assert kinds == {"tampered", "unregistered"}
    assert run(["district", "demo", str(folder), "--schools", "4"]) == 2  # not an empty folder
