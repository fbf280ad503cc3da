"""SelfCheck (学校专项自查): 1+3+N self-inspection workbook with signed PDF reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("selfcheck")
except PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"

APP_NAME = "SelfCheck"
APP_TITLE = "学校专项自查"
