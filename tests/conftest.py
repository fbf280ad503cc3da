"""Test-wide settings (offscreen Qt, an isolated SELFCHECK_HOME, the `gui` marker) and the session fixtures that
several packages share: a school key, seal and signature images, the sample report data, its PDF and the signed
export. Defined once here, pytest builds each once per session for every module that asks for it (a fixture
imported into a test module instead would be rebuilt for that module)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

if TYPE_CHECKING:
    from selfcheck.report.pdf import BuiltPdf
    from tests.district.fixtures import DistrictFiles
    from tests.report.factory import Sample
    from tests.report.fixtures import Exported, SchoolKey


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep logs, data and settings of every test out of the real user folders."""
    monkeypatch.setenv("SELFCHECK_HOME", str(tmp_path_factory.mktemp("home")))


# Session fixtures that take many seconds to build (a signed export, a set of signed district reports, the laid-out
# sample PDF): a test that asks for one is `slow`, so `make test-fast` never builds them.
SLOW_FIXTURES = frozenset({"exported", "district_files", "sample_pdf", "genuine"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "qtbot" in fixtures:
            item.add_marker(pytest.mark.gui)
        if fixtures & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


# --- Session fixtures shared by the report, signing, verification and CLI tests -----------------------------------


@pytest.fixture(scope="session")
def session_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SELFCHECK_HOME for session-scoped fixtures (the autouse per-test home is not yet set when they run)."""
    return tmp_path_factory.mktemp("session-home")


@pytest.fixture(scope="session")
def school_key(tmp_path_factory: pytest.TempPathFactory) -> SchoolKey:
    from tests.report.fixtures import create_key

    return create_key(tmp_path_factory.mktemp("key"))


@pytest.fixture(scope="session")
def other_key(tmp_path_factory: pytest.TempPathFactory) -> SchoolKey:
    from tests.report.fixtures import create_key

    return create_key(tmp_path_factory.mktemp("other-key"), school="另一所中学")


@pytest.fixture(scope="session")
def seal_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.report.fixtures import make_seal_png

    return make_seal_png(tmp_path_factory.mktemp("images") / "seal.png")


@pytest.fixture(scope="session")
def signature_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.report.fixtures import make_signature_png

    return make_signature_png(tmp_path_factory.mktemp("images") / "signature.png")


@pytest.fixture(scope="session")
def sample() -> Sample:
    from tests.report.factory import make_sample

    return make_sample()


@pytest.fixture(scope="session")
def sample_pdf(sample: Sample) -> BuiltPdf:
    """The sample built to an unsigned PDF (tests write it where they need it)."""
    from selfcheck.report.pdf import build_pdf

    return build_pdf(sample.data, sample.photo_loader)


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory, session_home: Path, sample: Sample, school_key: SchoolKey,
             seal_png: Path, signature_png: Path) -> Exported:
    """The sample exported and signed with the seal and the principal's signature."""
    from tests.report.fixtures import export_signed

    return export_signed(tmp_path_factory, session_home, sample, school_key, seal_png, signature_png)


@pytest.fixture(scope="session")
def district_files(tmp_path_factory: pytest.TempPathFactory, session_home: Path) -> DistrictFiles:
    """Signed reports of three schools, a forgery, an unregistered signer and a tampered copy (district tests)."""
    from tests.district.fixtures import build_district_files

    return build_district_files(tmp_path_factory, session_home)
