"""`selfcheck demo`, `selfcheck workbook info|verify-audit|backup|restore` and `selfcheck evidence add` as scripts
use them: exit codes, JSON shape, messages — and never a traceback."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from tests.cli.inprocess import run_cli


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "selfcheck", *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.selfcheck"
    result = cli("demo", path, "--photos", "3")
    assert result.returncode == 0, result.stderr
    assert "示例工作簿已生成" in result.stdout
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "学校.selfcheck"
    copy.write_bytes(demo_template.read_bytes())
    return copy


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def test_info_json_shape(demo: Path) -> None:
    result = run_cli("workbook", "info", demo, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("schema_version", "school", "inspections", "answers", "photos", "problems", "audit_entries"):
        assert key in data
    assert data["school"]["name"] and data["photos"] == 3 and data["problems"] >= 4
    [inspection] = data["inspections"]
    assert {"id", "title", "answered", "total", "open_problems"} <= set(inspection)
    assert data["audit_entries"] > data["answers"] > 0


def test_info_human(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["workbook", "info", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "示例市第一实验中学" in out and "审计日志" in out


def test_verify_audit_passes_then_names_the_tampered_row(demo: Path) -> None:
    ok = run_cli("workbook", "verify-audit", demo)
    assert ok.returncode == 0 and "审计日志完整" in ok.stdout
    conn = sqlite3.connect(demo)
    item = conn.execute("SELECT item_id FROM answers WHERE value = 'yes' LIMIT 1").fetchone()[0]
    conn.execute("UPDATE answers SET value = 'no' WHERE item_id = ?", (item,))
    conn.commit()
    conn.close()
    bad = run_cli("workbook", "verify-audit", demo)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert item in bad.stderr and "第一条有问题的日志" in bad.stderr


def test_backup_and_restore(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "backup.selfcheck"
    assert run(["workbook", "backup", str(demo), str(dest)]) == 0
    assert run(["workbook", "backup", str(demo), str(dest)]) == 2  # refuses to overwrite
    assert "已存在" in capsys.readouterr().err
    assert run(["workbook", "backup", str(demo), str(dest), "--force"]) == 0
    target = tmp_path / "restored.selfcheck"
    assert run(["workbook", "restore", str(dest), str(target)]) == 0
    assert run(["workbook", "verify-audit", str(target)]) == 0


@pytest.mark.slow
def test_evidence_add_imports_good_files_and_reports_bad_ones(demo: Path, tmp_path: Path) -> None:
    info = json.loads(run_cli("workbook", "info", demo, "--json").stdout)
    inspection_id = info["inspections"][0]["id"]
    conn = sqlite3.connect(demo)
    item = conn.execute("SELECT item_id FROM answers LIMIT 1").fetchone()[0]
    conn.close()
    good = tmp_path / "好照片.jpg"
    good.write_bytes(_jpeg())
    text = tmp_path / "说明.jpg"
    text.write_text("不是图片", encoding="utf-8")
    missing = tmp_path / "不存在.jpg"
    result = cli("evidence", "add", "--workbook", demo, "--inspection", inspection_id, "--item", item,
                 "--actor", "王老师", good, text, missing)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "说明.jpg" in result.stderr and "不存在.jpg" in result.stderr
    assert "好照片.jpg" in result.stdout and "共导入 1 张" in result.stdout
    again = run_cli("evidence", "add", "--workbook", demo, "--inspection", inspection_id, "--item", item, good)
    assert again.returncode == 1 and "已导入" in again.stderr  # the duplicate is reported, not added
    assert json.loads(run_cli("workbook", "info", demo, "--json").stdout)["photos"] == 4
    assert run_cli("workbook", "verify-audit", demo).returncode == 0


NOT_A_WORKBOOK = "错误：“notes.txt”不是 SelfCheck 工作簿（文件格式不对，可能已损坏或选错了文件）。\n"
NO_WORKBOOK = "错误：找不到工作簿文件“{missing}”。\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("workbook", "info", "{text}"), NOT_A_WORKBOOK),
        (("workbook", "info", "{missing}"), NO_WORKBOOK),
        (("workbook", "verify-audit", "{text}"), NOT_A_WORKBOOK),
        (("workbook", "backup", "{missing}", "{tmp}/b.selfcheck"), NO_WORKBOOK),
        (("workbook", "restore", "{text}", "{tmp}/r.selfcheck"), NOT_A_WORKBOOK),
        (("evidence", "add", "--workbook", "{missing}", "--inspection", "1", "--item", "MEAL-01", "{text}"),
         NO_WORKBOOK),
        (("evidence", "add", "--workbook", "{demo}", "--inspection", "99", "--item", "MEAL-01", "{text}"),
         "错误：找不到编号为 99 的自查。\n"),
        (("evidence", "add", "--workbook", "{demo}", "--inspection", "1", "--item", "NOPE-01", "{text}"),
         "错误：自查 #1 中没有检查项“NOPE-01”。\n"),
        (("evidence", "add", "--workbook", "{demo}", "--inspection", "x", "--item", "MEAL-01", "{text}"),
         "selfcheck evidence add: 参数错误：参数 --inspection 的值“x”不是有效的整数。\n"),
        (("demo", "{demo}"), "错误：“{demo}”已存在，不能在此新建工作簿。请换一个文件名，或直接打开这个工作簿。\n"),
        (("demo", "{tmp}/d.selfcheck", "--photos", "-1"), "错误：--photos 应在 0 到 5000 之间。\n"),
    ],
)
def test_bad_input_gives_a_message_not_a_traceback(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   args: tuple[str, ...], message: str) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    values = {"text": text, "missing": tmp_path / "missing.selfcheck", "tmp": tmp_path, "demo": demo}
    try:
        code = run([a.format(**values) for a in args])
    except SystemExit as exit_:  # usage errors leave through argparse
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.endswith(message.format(**values)), err  # usage errors print the usage line first


@pytest.mark.slow
def test_second_writer_from_the_command_line_is_refused(demo: Path, tmp_path: Path) -> None:
    from selfcheck.workbook.service import Workbook

    photo = tmp_path / "p.jpg"
    photo.write_bytes(_jpeg())
    with Workbook.open(demo, actor="窗口里的用户"):
        result = cli("evidence", "add", "--workbook", demo, "--inspection", "1", "--item", "MEAL-01", photo)
        assert result.returncode == 2 and "正在被另一个 SelfCheck" in result.stderr
        assert run_cli("workbook", "info", demo).returncode == 0  # reading is fine
