"""Hostile checklist files: each kind the fuzzer found is a located Chinese refusal, within time and memory bounds.

The loader runs in a child process with capped memory (tests/bounded.py): an alias bomb that slips through fails
the test instead of taking the machine down.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck.checklists import safe_yaml
from selfcheck.checklists.messages import FIELD_NAMES
from selfcheck.cli.main import run
from tests.bounded import run_bounded
from tests.checklists.hostile_yaml import HOSTILE

# Bounds: "answered within a second or two and a few tens of MB". The CPU bound is generous for a shared CI
# machine; the runaway it guards against took minutes and gigabytes.
PEAK_MEMORY_MB = 48
CPU_SECONDS = 5.0

# English words that may appear in a Chinese message: YAML itself and the literal syntax the user typed.
_ALLOWED_LATIN = {"YAML", "Tab", "docs", "checklist", "format", "md", "base64", "binary", "int", "float", "null",
                  "true", "false", "id", "title", "x", "u", "U", "UTF", "KB", "MB", "MEAL", "yes", "no", "na",
                  "yes_no", "choice", "number", "date", "text", "required", "optional", "required_if_noncompliant",
                  "none", "documents", "show_if", "integer", "min", "max", "type", "answer", "N"}
_ALLOWED_LATIN |= {word for name in FIELD_NAMES.values() for word in name.split()}

_LOADER = """
from pathlib import Path
from selfcheck.checklists.loader import validate_files

def work(path):
    return [[p.file, p.line, p.column, p.message] for p in validate_files([Path(path)])]
"""


def english_words(message: str) -> set[str]:
    """Latin words outside what the user wrote (quoted “…”, or the id after 章节/依据文件/检查项), code points and
    the allowed syntax words."""
    unquoted = re.sub(r"“[^”]*”|(章节|依据文件|检查项) [^：\s]+|U\+[0-9A-F]{4,6}", "", message)
    return {word for word in re.findall(r"[A-Za-z][A-Za-z0-9_]*", unquoted) if word not in _ALLOWED_LATIN}


@pytest.fixture(scope="module")
def hostile_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("hostile")
    cases = {}
    for index, (kind, text, _) in enumerate(HOSTILE):
        path = folder / f"hostile{index}.yaml"
        path.write_bytes(text.encode("utf-8"))
        cases[kind] = str(path)
    return run_bounded(_LOADER, cases, memory_mb=512, cpu_seconds=120)


@pytest.mark.parametrize(("kind", "fragment"), [(k, f) for k, _, f in HOSTILE], ids=[k for k, _, _ in HOSTILE])
def test_hostile_file_is_a_located_chinese_refusal_within_bounds(hostile_results: dict, kind: str,
                                                                 fragment: str) -> None:
    result = hostile_results[kind]
    problems = result["outcome"]
    assert isinstance(problems, list) and problems, result
    _file, line, column, message = problems[0]
    assert line is not None and column is not None, problems[0]
    assert fragment in message, message
    assert not english_words(message), message
    assert result["peak_growth_mb"] < PEAK_MEMORY_MB, result
    assert result["cpu_seconds"] < CPU_SECONDS, result


# Kinds cheap enough to run in this process once the loader bounds them (the bounded test above runs all).
_IN_PROCESS = [(k, t, f) for k, t, f in HOSTILE if len(t) < 20_000]


@pytest.mark.parametrize(("kind", "text", "fragment"), _IN_PROCESS, ids=[k for k, _, _ in _IN_PROCESS])
def test_validate_command_refuses_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str,
                                              text: str, fragment: str) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert run(["checklists", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"^hostile\.yaml:\d+:\d+: ", err, re.MULTILINE), err
    assert fragment in err and "Traceback" not in err and "程序内部错误" not in err


@pytest.mark.slow
def test_alias_bomb_through_the_real_command(tmp_path: Path) -> None:
    """One real process: a 324-byte bomb like the one that grew past 22 GB is refused at once, exit 1."""
    import subprocess
    import sys

    path = tmp_path / "bomb.yaml"
    path.write_text(HOSTILE[0][1], encoding="utf-8")
    assert path.stat().st_size < 400
    result = subprocess.run([sys.executable, "-m", "selfcheck", "checklists", "validate", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "bomb.yaml:2:8: 检查清单文件不能使用 YAML 别名" in result.stderr


def test_refusal_keeps_the_english_original_for_the_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO", logger="selfcheck.checklists.safe_yaml"), pytest.raises(safe_yaml.YamlRefusal) as err:
        safe_yaml.read_yaml("a: &x 1\nb: &x 2\n")
    assert (err.value.line, err.value.column) == (2, 4)
    assert "锚点名称重复" in err.value.message and "second occurrence" not in err.value.message
    assert "second occurrence" in caplog.text


def test_nesting_and_node_limits_leave_real_checklists_room() -> None:
    nested = "".join("  " * level + f"k{level}:\n" for level in range(safe_yaml.MAX_DEPTH - 1)) + "  " * 39 + "v\n"
    assert safe_yaml.read_yaml(nested) is not None
    flat = "[" + ",".join(["a"] * (safe_yaml.MAX_NODES - 2)) + "]"
    assert len(safe_yaml.read_yaml(flat).data) == safe_yaml.MAX_NODES - 2
    with pytest.raises(safe_yaml.YamlRefusal, match="超过 20,000 个"):
        safe_yaml.read_yaml(flat[:-1] + ",a,a]")


def test_null_key_is_explained_in_chinese(tmp_path: Path) -> None:
    from selfcheck.checklists.loader import validate_files

    path = tmp_path / "nullkey.yaml"
    path.write_text("null: 1\nid: demo\n", encoding="utf-8")
    messages = [p.message for p in validate_files([path])]
    assert any(m.startswith("字段名 null（空） 不是文本。") for m in messages), messages
    assert not any("Keys should be strings" in m for m in messages)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    from selfcheck.checklists.loader import MAX_FILE_BYTES, validate_files

    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_FILE_BYTES)
    (problem,) = validate_files([path])
    assert problem.message == f"文件过大（{(MAX_FILE_BYTES + 2) // 1024} KB），检查清单文件不应超过 512 KB。请检查是否选错了文件。"
