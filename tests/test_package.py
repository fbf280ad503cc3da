"""Package metadata: the version the app shows is the one the wheel and the installer carry."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import selfcheck

ROOT = Path(__file__).resolve().parent.parent


def test_version_matches_pyproject_and_installed_metadata() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert selfcheck.__version__ == declared
    assert version("selfcheck") == declared  # the editable install's metadata, as pip wrote it
