"""Built-in help (帮助 → 使用帮助, F1): Chinese HTML from resources/help shown in a browser window, offline."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from selfcheck.resources import resource_path

HELP_PAGE = ("help", "index.html")


class HelpWindow(QDialog):
    """A non-modal window with the help page; links inside it stay in it, anchors jump to sections."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用帮助")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._external)
        self.browser.setSource(QUrl.fromLocalFile(str(resource_path(*HELP_PAGE))))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def _external(self, url: QUrl) -> None:
        if url.scheme() not in ("", "file"):
            QDesktopServices.openUrl(url)

    def show_section(self, anchor: str = "") -> None:
        """Show the window at `anchor` (start, glossary, keys, verify, trouble) or the top."""
        if anchor:
            self.browser.scrollToAnchor(anchor)
        else:
            self.browser.home()
        self.show()
        self.raise_()
        self.activateWindow()
