"""SelfCheck (学校专项自查): 1+3+N self-inspection workbook with signed PDF reports."""

# Kept equal to pyproject.toml's [project] version by tests/test_package.py. A literal, not
# importlib.metadata.version(): that import costs ~35 ms on every start of the app.
__version__ = "0.1.0"

APP_NAME = "SelfCheck"
APP_TITLE = "学校专项自查"
