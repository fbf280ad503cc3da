"""Chinese wording for argparse's usage errors and help headings (argparse itself speaks English)."""

from __future__ import annotations

import re

_TYPES = {"int": "整数", "float": "数字", "Path": "文件路径"}


def _names(text: str) -> str:
    return "、".join(part.strip().strip("'") for part in text.split(","))


_RULES: tuple[tuple[str, object], ...] = (
    (r"^argument (?P<arg>.+?): invalid (?P<type>\w+) value: '(?P<value>.*)'$",
     lambda m: f"参数 {m['arg']} 的值“{m['value']}”不是有效的{_TYPES.get(m['type'], m['type'])}。"),
    (r"^argument (?P<arg>.+?): invalid choice: '?(?P<value>.*?)'? \(choose from (?P<choices>.*)\)$",  # int: no quotes
     lambda m: f"参数 {m['arg']} 的值“{m['value']}”无效，可选：{_names(m['choices'])}。"),
    (r"^argument (?P<arg>.+?): expected one argument$", lambda m: f"参数 {m['arg']} 后面需要一个值。"),
    (r"^argument (?P<arg>.+?): expected at most one argument$", lambda m: f"参数 {m['arg']} 后面最多只能有一个值。"),
    (r"^argument (?P<arg>.+?): expected at least one argument$", lambda m: f"参数 {m['arg']} 后面至少需要一个值。"),
    (r"^argument (?P<arg>.+?): not allowed with argument (?P<other>.+)$",
     lambda m: f"参数 {m['arg']} 不能与 {m['other']} 同时使用。"),
    (r"^argument (?P<arg>.+?): ignored explicit argument '(?P<value>.*)'$",
     lambda m: f"参数 {m['arg']} 不接受值“{m['value']}”。"),
    (r"^the following arguments are required: (?P<args>.+)$", lambda m: f"缺少必需的参数：{_names(m['args'])}。"),
    (r"^one of the arguments (?P<args>.+) is required$", lambda m: f"必须给出以下参数之一：{m['args']}。"),
    (r"^unrecognized arguments: (?P<args>.+)$", lambda m: f"无法识别的参数：{m['args']}。"),
    (r"^ambiguous option: (?P<arg>\S+) could match (?P<matches>.+)$",
     lambda m: f"参数 {m['arg']} 有歧义，可能是：{_names(m['matches'])}。"),
    # A type function's own message (ArgumentTypeError), already Chinese: keep it, name the argument.
    (r"^argument (?P<arg>.+?): (?P<message>.+)$", lambda m: f"参数 {m['arg']}：{m['message']}"),
)


def chinese_usage_error(message: str) -> str:
    """argparse's English error `message` in Chinese; an unknown wording is returned unchanged."""
    for pattern, build in _RULES:
        match = re.match(pattern, message)
        if match:
            return build(match)  # type: ignore[operator]
    return message


def chinese_help(text: str) -> str:
    """argparse's usage line and help headings in Chinese."""
    text = re.sub(r"^usage: ", "用法：", text)
    text = text.replace("\npositional arguments:\n", "\n位置参数：\n").replace("\noptions:\n", "\n选项：\n")
    return text.replace("show this help message and exit", "显示此帮助并退出")
