"""`selfcheck checklists list|validate|schema` as scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.resources import checklists_dir, resource_path
from tests.cli.inprocess import run_cli


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfcheck", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_list_json_shape() -> None:
    result = cli("checklists", "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 9
    assert sum(row["items"] for row in rows) >= 110
    for row in rows:
        assert set(row) == {"id", "version", "title", "area", "items", "item_ids"}
        assert row["area"] in {"1", "3", "N"}
        assert row["items"] == len(row["item_ids"])
    assert {row["area"] for row in rows} == {"1", "3", "N"}


def test_list_human(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["checklists", "list"]) == 0
    out = capsys.readouterr().out
    assert "校园餐" in out and "份清单" in out


def test_validate_builtin_passes() -> None:
    files = sorted(str(p) for p in checklists_dir().glob("*.yaml"))
    result = run_cli("checklists", "validate", *files)
    assert result.returncode == 0, result.stderr
    assert "校验通过" in result.stdout


def test_validate_reports_errors_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\x00\xff\xfe garbage: [")
    missing = tmp_path / "missing.yaml"
    result = run_cli("checklists", "validate", str(bad), str(missing))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "bad.yaml:1" in result.stderr and "missing.yaml" in result.stderr


def test_published_schema_is_current() -> None:
    from selfcheck.checklists.models import checklist_json_schema

    published = json.loads(resource_path("checklist.schema.json").read_text(encoding="utf-8"))
    assert published == checklist_json_schema(), "run: selfcheck checklists schema --out resources/checklist.schema.json"


def test_usage_error_is_chinese_and_not_a_traceback() -> None:
    result = run_cli("checklists", "frobnicate")
    assert result.returncode == 2
    assert result.stderr.startswith("用法：selfcheck checklists [-h] ACTION ...\n")
    assert result.stderr.endswith("selfcheck checklists: 参数错误：参数 ACTION 的值“frobnicate”无效，"
                                  "可选：list、validate、schema、template、import-xlsx、pack、import-pack。\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["validate", "{tmp}"], "错误：没有找到检查清单文件（.yaml 或 .yml）。请检查给出的文件或文件夹路径。\n"),
    (["template", "{tmp}/模板.xlsx", "--from", "nosuch"],
     "错误：找不到清单“nosuch”：请给出内置清单编号或 YAML 文件。\n"),
    (["pack", "{tmp}/包.zip", "--name", "示例区", "--version", "1", "--set", "一教一辅上限"],
     "错误：参数取值“一教一辅上限”应写成 参数名=数字。\n"),
], ids=["validate-nothing", "template-unknown", "pack-bad-value"])
def test_refusals_say_error_and_exit_1(tmp_path: Path, argv: list[str], message: str) -> None:
    result = run_cli("checklists", *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert (result.returncode, result.stderr) == (1, message)


@pytest.mark.parametrize(
    ("argv", "ours", "qt"),
    [
        (["--smoke-test", "D", "-platform", "offscreen"], ["--smoke-test", "D"], ["-platform", "offscreen"]),
        (["-platform=offscreen", "--workbook", "w"], ["--workbook", "w"], ["-platform=offscreen"]),
        (["-reverse", "checklists", "list"], ["checklists", "list"], ["-reverse"]),
        (["checklists", "list", "--json"], ["checklists", "list", "--json"], []),
    ],
)
def test_qt_options_are_kept_apart(argv: list[str], ours: list[str], qt: list[str]) -> None:
    from selfcheck.cli.main import split_qt_args

    assert split_qt_args(argv) == (ours, qt)


@pytest.mark.slow
def test_command_with_qt_platform_option_still_runs() -> None:
    result = cli("checklists", "list", "--json", "-platform", "offscreen")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)


def test_list_extra_folder_adds_its_checklists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.checklists.test_loader import VALID

    (tmp_path / "demo.yaml").write_text(VALID, encoding="utf-8")
    assert run(["checklists", "list", "--extra", str(tmp_path), "--json"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["demo"] == {"id": "demo", "version": "1.0", "title": "演示清单", "area": "N", "items": 3,
                            "item_ids": ["DEMO-01", "DEMO-02", "DEMO-03"]}
    assert "meals" in rows  # the built-in ones stay
    assert run(["checklists", "list", "--extra", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "  demo         演示清单（版本 1.0，3 项）\n" in out
    assert out.endswith(f"共 {len(rows)} 份清单，{sum(r['items'] for r in rows.values())} 个检查项。\n")


def test_list_extra_with_a_broken_or_missing_folder_is_a_chinese_error(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bomb.yaml").write_text("a: &a [x]\nb: [*a, *a]\n", encoding="utf-8")
    assert run(["checklists", "list", "--extra", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：检查清单文件有 1 处错误（bomb.yaml）：\nbomb.yaml:2:5: 检查清单文件不能使用 YAML 别名")
    assert run(["checklists", "list", "--extra", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"错误：检查清单文件有 1 处错误（{tmp_path / 'nope'}）：\n{tmp_path / 'nope'}: 额外清单文件夹不存在。\n"


def test_schema_to_screen_and_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.checklists.models import checklist_json_schema

    assert run(["checklists", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == checklist_json_schema()
    out = tmp_path / "schema.json"
    assert run(["checklists", "schema", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"已写入 {out}\n"
    assert json.loads(out.read_text(encoding="utf-8")) == checklist_json_schema()
    assert run(["checklists", "schema", "--out", str(tmp_path / "no" / "schema.json")]) == 2
    assert capsys.readouterr().err == (f"错误：无法写入“{tmp_path / 'no' / 'schema.json'}”：所在的文件夹不存在。\n")
