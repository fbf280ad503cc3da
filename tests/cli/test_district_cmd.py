"""`selfcheck district …` and `selfcheck verify --registry`, as a bureau's clerk or script runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from tests.district.fixtures import ROSTER_CSV, DistrictFiles


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "示例区.district"
    assert run(["district", "create", str(path), "--name", "示例区教育局"]) == 0
    roster = tmp_path / "名册.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8-sig")
    assert run(["district", "roster", str(path), str(roster)]) == 0
    assert "新增 3 所" in capsys.readouterr().out
    return path


def test_create_roster_register_receive_summary(workspace: Path, district_files: DistrictFiles,  # noqa: F811
                                                tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["district", "register", str(workspace), str(district_files.key_a.cer)]) == 0
    out = capsys.readouterr().out
    assert "已登记证书：某某市第一中学（学校代码 001）" in out and district_files.key_a.fingerprint in out
    assert run(["district", "register", str(workspace), str(district_files.key_b.cer), "--code", "002"]) == 0
    capsys.readouterr()

    assert run(["district", "receive", str(workspace), str(district_files.a1.path)]) == 0
    assert "一中.pdf：已接收（某某市第一中学）" in capsys.readouterr().out
    assert run(["district", "receive", str(workspace), str(district_files.a1.path), str(district_files.b1.path)]) == 0
    out = capsys.readouterr().out
    assert "一中.pdf：重复" in out and "实验小学.pdf：已接收" in out

    assert run(["district", "receive", str(workspace), str(district_files.tampered),
                str(district_files.unregistered.path)]) == 1
    out = capsys.readouterr().out
    assert "实验小学-改动.pdf：已拒收" in out and "未登记.pdf：已拒收" in out and "合计：已拒收 2 份" in out

    assert run(["district", "summary", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "学校 3 所：按时报送 2，逾期报送 0，被拒收 0，未报送 1" in out
    assert "003 某某市第三幼儿园：未报送（王老师）" in out

    files = {s: tmp_path / f"汇总.{s}" for s in ("xlsx", "pdf", "csv")}
    assert run(["district", "summary", str(workspace), "--json", "--xlsx", str(files["xlsx"]), "--pdf",
                str(files["pdf"]), "--csv", str(files["csv"])]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["district"] == "示例区教育局"
    assert {s["code"]: s["state"] for s in payload["roster_status"]} == {"001": "received", "002": "received",
                                                                        "003": "missing"}
    assert payload["to_urge"] == ["003"]
    assert all(path.stat().st_size > 0 for path in files.values())


def test_register_asks_and_refuses_without_a_terminal(workspace: Path, district_files: DistrictFiles,  # noqa: F811
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["district", "register", str(workspace), str(district_files.key_a.cer)]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(["district", "register", str(workspace), str(district_files.key_stranger.cer)]) == 2
    err = capsys.readouterr().err
    assert "已有一张有效的登记证书" in err and "--yes" in err
    assert run(["district", "register", str(workspace), str(district_files.key_stranger.cer), "--yes"]) == 0


def test_register_asks_on_a_terminal(workspace: Path, district_files: DistrictFiles,  # noqa: F811
                                     capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["n", "y"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert run(["district", "register", str(workspace), str(district_files.key_a.cer), "--code", "003"]) == 1
    assert "未登记" in capsys.readouterr().out
    assert run(["district", "register", str(workspace), str(district_files.key_a.cer), "--code", "003"]) == 0


def test_revoke_then_a_later_report_fails_verify_registry(workspace: Path, district_files: DistrictFiles,  # noqa: F811
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    run(["district", "register", str(workspace), str(district_files.key_a.cer)])
    capsys.readouterr()
    assert run(["verify", str(district_files.a1.path), "--registry", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "通过" and "核对依据：示例区教育局的证书登记" in out
    assert run(["verify", str(district_files.forged.path), "--registry", str(workspace)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == "未通过"
    assert run(["district", "receive", str(workspace), str(district_files.a1.path)]) == 0
    capsys.readouterr()
    assert run(["district", "revoke", str(workspace), district_files.key_a.fingerprint, "--reason", "密钥丢失"]) == 0
    assert "已吊销" in capsys.readouterr().out
    # received before the revocation: still valid
    assert run(["verify", str(district_files.a1.path), "--registry", str(workspace), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    # signed before the revocation, received after it: still valid (the rule is the signing time)
    assert run(["verify", str(district_files.a2.path), "--registry", str(workspace), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_usage_and_unreadable_workspace_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["district", "receive", str(tmp_path / "x.district")])
    assert exited.value.code == 2
    assert run(["district", "summary", str(tmp_path / "无此文件.district")]) == 2
    assert "找不到区县工作区文件" in capsys.readouterr().err
    path = tmp_path / "a.district"
    assert run(["district", "create", str(path), "--name", "示例区教育局"]) == 0
    assert run(["district", "receive", str(path), str(tmp_path / "没有这个文件夹")]) == 2
    assert "找不到文件或文件夹" in capsys.readouterr().err


def test_school_demo_takes_a_school_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.workbook.service import Workbook

    path = tmp_path / "demo.selfcheck"
    assert run(["demo", str(path), "--school", "示例县第二小学", "--photos", "0"]) == 0
    with Workbook.open(path, actor="test", read_only=True) as wb:
        school = wb.get_school()
        assert school is not None and school.name == "示例县第二小学"


def test_campaign_edit_corrects_title_deadline_and_period_until_a_report_is_accepted(
        workspace: Path, district_files: DistrictFiles, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    ws = str(workspace)
    assert run(["district", "campaign", ws, "--title", "2026年秋季专项自查", "--start", "2026-09-01", "--end",
                "2026-12-31", "--deadline", "2026-12-20"]) == 0
    assert "已新建专项 1：2026年秋季专项自查" in capsys.readouterr().out

    assert run(["district", "campaign-edit", ws, "--title", "2026年秋季学期“1+3+N”专项自查",
                "--deadline", "2027-01-10"]) == 0
    assert capsys.readouterr().out.strip() == (
        "已修改专项 1：2026年秋季学期“1+3+N”专项自查（2026-09-01 至 2026-12-31，报送截止 2027-01-10 23:59）")
    assert run(["district", "campaign-edit", ws, "--campaign", "1", "--start", "2026-08-25", "--no-deadline"]) == 0
    assert "（2026-08-25 至 2026-12-31，不设报送截止日期）" in capsys.readouterr().out
    assert run(["district", "summary", ws]) == 0
    assert "专项：2026年秋季学期“1+3+N”专项自查（2026-08-25 至 2026-12-31）" in capsys.readouterr().out

    # Once a report was accepted into it, the period is fixed; the title and the deadline are not.
    assert run(["district", "register", ws, str(district_files.key_a.cer)]) == 0
    assert run(["district", "receive", ws, str(district_files.a1.path), "--campaign", "1"]) == 0
    capsys.readouterr()
    assert run(["district", "campaign-edit", ws, "--end", "2027-01-31"]) == 2
    err = capsys.readouterr().err
    assert "本轮自查已接收 1 份报告，不能再修改自查时段" in err and "Traceback" not in err
    assert run(["district", "campaign-edit", ws, "--deadline", "2027-02-01"]) == 0
    assert "报送截止 2027-02-01 23:59" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    ([], "没有给出要修改的内容"),
    (["--campaign", "9", "--title", "x"], "没有编号为 9 的专项"),
    (["--deadline", "2027-01-01", "--no-deadline"], "参数 --no-deadline 不能与 --deadline 同时使用"),
], ids=["nothing", "unknown", "both-deadlines"])
def test_campaign_edit_refuses_what_it_cannot_do(workspace: Path, args: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["district", "campaign", str(workspace), "--title", "专项", "--start", "2026-09-01",
                "--end", "2026-12-31"]) == 0
    capsys.readouterr()
    try:
        code = run(["district", "campaign-edit", str(workspace), *args])
    except SystemExit as usage:  # argparse's own refusal (in Chinese) ends the run the same way
        code = usage.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and message in err
