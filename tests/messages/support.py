"""Shared set-up for the pinned user-message cases: an environment per case and fault helpers."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.report.fixtures import SchoolKey

T = "{tmp}"  # stands for the case's temporary folder in a pinned message


@dataclass
class Env:
    tmp: Path
    monkeypatch: pytest.MonkeyPatch
    school_key: SchoolKey
    other_key: SchoolKey
    request: pytest.FixtureRequest | None = None
    opened: list[Any] = field(default_factory=list)  # workbooks and desks to close after the case

    def workbook(self, name: str = "学校.selfcheck") -> Path:
        from selfcheck.workbook.service import Workbook

        path = self.tmp / name
        Workbook.create(path, actor="测试员").close()
        return path

    def fixture(self, name: str) -> Any:
        """Another pytest fixture (e.g. ``qtbot`` for a case that drives a real widget)."""
        assert self.request is not None
        return self.request.getfixturevalue(name)


def os_error(code: int, *, winerror: int | None = None) -> OSError:
    err = OSError(code, os.strerror(code))
    if winerror is not None:
        err.winerror = winerror  # type: ignore[attr-defined]
    return err


def failing(err: BaseException) -> Callable[..., None]:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise err

    return fail
