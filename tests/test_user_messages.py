"""Every user-facing message of the product, reached by in-process fault injection and pinned word for word.

Each case provokes one failure the way it happens on a user's machine (a PDF open in a reader on Windows, a
read-only folder, a USB stick pulled out mid-write, a full disk, a damaged backup, a wrong key password, a bad
roster row...) and states the exact Chinese message the user then reads. The cases live in `tests/messages/cases_*.py`,
one module per area; each is a `(name, provoke, message)` triple, where `{tmp}` in a message stands for the case's
folder and other `{placeholders}` are filled from the module's optional `values(env)`.

`test_every_raise_site_is_reached` reads every place in `selfcheck` that builds a user-facing error (any subclass of
`UserError`) from the source and fails when its message has no case: a new message needs a case.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

import selfcheck
import tests.messages
from selfcheck.errors import UserError
from tests.messages.support import Env
from tests.report.fixtures import SchoolKey

SRC = Path(selfcheck.__file__).parent


def _case_modules() -> list[ModuleType]:
    return [importlib.import_module(f"tests.messages.{info.name}")
            for info in pkgutil.iter_modules(tests.messages.__path__) if info.name.startswith("cases_")]


CASE_MODULES = _case_modules()
CASES = [(case, module) for module in CASE_MODULES for case in module.CASES]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, school_key: SchoolKey, other_key: SchoolKey,
        request: pytest.FixtureRequest) -> Iterator[Env]:
    environment = Env(tmp_path, monkeypatch, school_key, other_key, request)
    yield environment
    for opened in reversed(environment.opened):
        opened.close()


def _expected(template: str, env: Env, module: ModuleType) -> str:
    values = {"tmp": str(env.tmp)}
    if re.search(r"\{(?!tmp\})\w+\}", template) and hasattr(module, "values"):
        values.update(module.values(env))
    return template.format(**values)


def _param(case: tuple[str, Callable[[Env], None], str], module: ModuleType) -> object:
    name, provoke, message = case
    slow = provoke in getattr(module, "SLOW", ())
    return pytest.param(name, provoke, message, module, id=name, marks=[pytest.mark.slow] if slow else [])


@pytest.mark.parametrize(("case", "provoke", "message", "module"), [_param(*c) for c in CASES])
def test_failure_gives_the_pinned_chinese_message(env: Env, case: str, provoke: Callable[[Env], None],
                                                  message: str, module: ModuleType) -> None:
    with pytest.raises(UserError) as raised:
        provoke(env)
    assert raised.value.message == _expected(message, env, module)
    text = str(raised.value)
    commands = r"selfcheck(?: [a-z][a-z-]*)+"  # a command to type, as the command line's messages name them
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", re.sub(commands, "", text.replace(str(env.tmp), ""))), text


def test_case_names_are_unique() -> None:
    names = [case[0] for case, _ in CASES]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


@cache
def _trees() -> dict[str, ast.Module]:
    return {str(path.relative_to(SRC)).replace("\\", "/"): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(SRC.rglob("*.py"))}


@cache
def _user_error_classes() -> frozenset[str]:
    """Names of UserError and every class deriving from it anywhere in the package (read from the source)."""
    names = {"UserError"}
    grown = True
    while grown:
        grown = False
        for tree in _trees().values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        (isinstance(base, ast.Name) and base.id in names)
                        or (isinstance(base, ast.Attribute) and base.attr in names) for base in node.bases):
                    names.add(node.name)
                    grown = True
    return frozenset(names)


def _templates(module: str) -> list[tuple[int, str]]:
    """(line, regex) of every message a UserError subclass is built with in `module`."""
    names = _user_error_classes()
    found = []
    for node in ast.walk(_trees()[module]):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called not in names:
            continue
        first = node.args[0]
        parts = first.values if isinstance(first, ast.JoinedStr) else [first]
        if isinstance(first, ast.BinOp):  # "..." + "；".join(...)
            parts = [first.left, ast.FormattedValue(first.right, -1, None)]
        pattern = "".join(re.escape(p.value) if isinstance(p, ast.Constant) and isinstance(p.value, str) else ".*"
                          for p in parts)
        found.append((node.lineno, pattern))
    return found


def _modules_with_messages() -> list[str]:
    return [module for module in _trees() if _templates(module)]


def _example(message: str) -> str:
    return re.sub(r"\{tmp\}", "/t", message).replace("{photo}", "1（现场.jpg）")


@pytest.mark.parametrize("module", _modules_with_messages())
def test_every_raise_site_is_reached(module: str) -> None:
    messages = [_example(case[2]) for case, _ in CASES]
    unreached = [(line, pattern) for line, pattern in _templates(module)
                 if not any(re.fullmatch(pattern, m, re.DOTALL) for m in messages)]  # a list may follow on new lines
    assert not unreached, f"{module}: messages with no case in tests/messages/cases_*.py: {unreached}"
