"""Signing test fixtures (defined in tests/report/fixtures.py, shared with the report and CLI tests)."""

from tests.report.fixtures import (  # noqa: F401
    exported,
    other_key,
    sample,
    school_key,
    seal_png,
    session_home,
    signature_png,
)
