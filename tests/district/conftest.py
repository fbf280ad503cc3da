"""District test fixtures: signed reports built once per session (tests/district/fixtures.py)."""

from tests.district.fixtures import district_files  # noqa: F401
from tests.report.fixtures import session_home  # noqa: F401
