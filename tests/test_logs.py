"""The log file: rotated when full, a few older files kept, set up once; the window's start imports no more."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from selfcheck.logs import RotatingLog, log_file, setup_logging
from tests.fresh_python import fresh_python_output


def _log(handler: RotatingLog, text: str) -> None:
    handler.emit(logging.LogRecord("selfcheck", logging.INFO, __file__, 1, text, None, None))


def test_a_full_log_moves_to_dot_1_and_only_three_older_files_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "selfcheck.log"
    handler = RotatingLog(path, max_bytes=100, backups=3)
    try:
        for n in range(6):
            _log(handler, f"第{n}条：" + "x" * 60)
    finally:
        handler.close()
    assert path.read_text(encoding="utf-8").strip().endswith("第5条：" + "x" * 60)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "selfcheck.log", "selfcheck.log.1", "selfcheck.log.2", "selfcheck.log.3"]
    assert "第4条" in (tmp_path / "selfcheck.log.1").read_text(encoding="utf-8")
    assert "第2条" in (tmp_path / "selfcheck.log.3").read_text(encoding="utf-8")  # 第0条 and 第1条 are gone
    assert all(p.stat().st_size < 100 for p in tmp_path.iterdir())


def test_a_log_under_its_limit_stays_one_file(tmp_path: Path) -> None:
    path = tmp_path / "selfcheck.log"
    handler = RotatingLog(path, max_bytes=10_000, backups=3)
    try:
        for n in range(5):
            _log(handler, f"第{n}条")
    finally:
        handler.close()
    assert [p.name for p in tmp_path.iterdir()] == ["selfcheck.log"]
    assert path.read_text(encoding="utf-8").count("条") == 5


def test_setup_logging_adds_its_handler_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELFCHECK_HOME", str(tmp_path))
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert setup_logging() == setup_logging() == log_file()
        added = [h for h in root.handlers if h not in before]
        assert len(added) == 1 and isinstance(added[0], RotatingLog)
        logging.getLogger("selfcheck.test").warning("写入日志")
        added[0].flush()
        assert "写入日志" in log_file().read_text(encoding="utf-8")
    finally:
        for handler in root.handlers[:]:
            if handler not in before:
                root.removeHandler(handler)
                handler.close()


def test_logging_imports_no_network_or_pickle_modules() -> None:
    code = ("import sys\nimport selfcheck.logs\n"
            "print(sorted(m for m in ('logging.handlers', 'socket', 'pickle', 'queue') if m in sys.modules))\n")
    assert fresh_python_output(code) == "[]"
