"""`make run/test` and the Windows build wait for another apt/dpkg run instead of failing on its lock."""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "apt_install.sh"


def _fake_apt(tmp_path: Path) -> tuple[Path, Path]:
    calls = tmp_path / "calls.txt"
    fake = tmp_path / "apt-get"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n', encoding="utf-8")
    fake.chmod(0o755)
    return fake, calls


@pytest.mark.slow
def test_waits_for_a_held_lock_says_who_holds_it_then_installs(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.write_bytes(b"")
    fake, calls = _fake_apt(tmp_path)
    fd = os.open(lock, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)  # what dpkg does (fcntl record lock)
    threading.Timer(4, lambda: os.close(fd)).start()  # the other apt run ends
    started = time.monotonic()
    result = subprocess.run(["bash", str(SCRIPT), "fonts-wqy-zenhei"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "APT_LOCK_FILES": str(lock), "APT_GET": str(fake),
                                 "APT_LOCK_WAIT": "30"})
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 3  # it waited for the lock instead of failing
    assert f"Waiting for another apt/dpkg run to finish before installing fonts-wqy-zenhei: process {os.getpid()}" \
        in result.stderr
    lines = calls.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-o DPkg::Lock::Timeout=30 update -qq"
    assert lines[1].startswith("-o DPkg::Lock::Timeout=30 install -y") and lines[1].endswith("fonts-wqy-zenhei")


def test_gives_up_after_the_wait_with_a_clear_message(tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    lock.write_bytes(b"")
    fake, calls = _fake_apt(tmp_path)
    fd = os.open(lock, os.O_RDWR)
    fcntl.lockf(fd, fcntl.LOCK_EX)
    try:
        result = subprocess.run(["bash", str(SCRIPT), "xvfb"], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "APT_LOCK_FILES": str(lock), "APT_GET": str(fake),
                                     "APT_LOCK_WAIT": "2"})
    finally:
        os.close(fd)
    assert result.returncode == 1
    assert "Gave up after 2 s waiting for another apt/dpkg run" in result.stderr
    assert not calls.exists()


def test_makefile_and_windows_build_use_it() -> None:
    assert "packaging/apt_install.sh" in (REPO / "Makefile").read_text(encoding="utf-8")
    assert "apt_install.sh" in (REPO / "packaging" / "wine_env.sh").read_text(encoding="utf-8")
