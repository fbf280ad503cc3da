"""argparse's English usage errors reach the user in Chinese, with the argument and value named."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

import pytest

from selfcheck.cli.main import build_parser, run
from selfcheck.cli.usage_messages import chinese_help, chinese_usage_error


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["evidence", "add", "--workbook", "w", "--inspection", "x", "--item", "I", "f"],
         "selfcheck evidence add: 参数错误：参数 --inspection 的值“x”不是有效的整数。"),
        (["checklists", "validate"], "selfcheck checklists validate: 参数错误：缺少必需的参数：PATH。"),
        (["report", "export", "--inspection"], "selfcheck report export: 参数错误：参数 --inspection 后面需要一个值。"),
        (["checklists", "list", "--bogus"], "selfcheck: 参数错误：无法识别的参数：--bogus"),
        (["checklists", "nope"],
         "selfcheck checklists: 参数错误：参数 ACTION 的值“nope”无效，可选：list、validate、schema、template、import-xlsx、pack、import-pack。"),
    ],
    ids=["invalid int", "missing positional", "missing value", "unknown option", "invalid choice"],
)
def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：selfcheck") and err.rstrip("\n").endswith(message), err


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("argument --a: expected at least one argument", "参数 --a 后面至少需要一个值。"),
        ("argument --a: expected at most one argument", "参数 --a 后面最多只能有一个值。"),
        ("argument --a: not allowed with argument --b", "参数 --a 不能与 --b 同时使用。"),
        ("argument --a: ignored explicit argument 'v'", "参数 --a 不接受值“v”。"),
        ("one of the arguments --a --b is required", "必须给出以下参数之一：--a --b。"),
        ("ambiguous option: --wo could match --workbook, --word", "参数 --wo 有歧义，可能是：--workbook、--word。"),
        ("argument --photos: 应为 0 到 5000 的整数", "参数 --photos：应为 0 到 5000 的整数"),
        ("argument --out: invalid Path value: ''", "参数 --out 的值“”不是有效的文件路径。"),
    ],
)
def test_every_argparse_wording_is_translated(english: str, chinese: str) -> None:
    assert chinese_usage_error(english) == chinese


def test_help_headings_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["checklists", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：selfcheck checklists")
    assert "\n选项：\n" in out and "显示此帮助并退出" in out and "options:" not in out
    assert chinese_help("usage: x\n\npositional arguments:\n  A\n") == "用法：x\n\n位置参数：\n  A\n"


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def test_every_option_of_every_command_is_explained_in_chinese() -> None:
    """`--help` of any command: each option, argument and sub-command says in Chinese what it does."""
    undocumented = []
    for parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue  # argparse's own wording, translated as the help is printed (test above)
            helps = ([(choice.dest, choice.help) for choice in action._choices_actions]
                     if isinstance(action, argparse._SubParsersAction) else [(action.option_strings, action.help)])
            undocumented += [(parser.prog, name, text) for name, text in helps if text != argparse.SUPPRESS and not re.search(r"[\u4e00-\u9fff]", text or "")]
    assert not undocumented, undocumented


def test_the_version_option_is_explained_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run(["--help"])
    assert "--version         显示版本号并退出" in capsys.readouterr().out
