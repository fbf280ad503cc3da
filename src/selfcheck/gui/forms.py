"""Loads Qt Designer .ui files from resources/ui at run time into an existing widget (no compile step)."""

from __future__ import annotations

from typing import Any

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QLayout, QWidget

from selfcheck.resources import resource_path


class Form:
    """The named widgets, layouts and actions of a loaded .ui file, as attributes (`form.title_edit`)."""

    def __init__(self, name: str, objects: dict[str, QObject]) -> None:
        self._name = name
        self._objects = objects

    def __getattr__(self, attr: str) -> Any:
        try:
            return self._objects[attr]
        except KeyError:
            raise AttributeError(f"{self._name} has no object named {attr!r}") from None


class _Loader(QUiLoader):
    """Builds the top-level object of the form *into* `base` and records every named child."""

    def __init__(self, base: QWidget) -> None:
        # QUiLoader's constructor loads every Qt Designer plugin on the library paths (PySide's, QQuickWidget's,
        # which pulls in QtQml and QtQuick: ~10 ms and ~8 MB at start-up). The forms use standard widgets only.
        saved = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])
        try:
            super().__init__(base)
        finally:
            QCoreApplication.setLibraryPaths(saved)
        self._base = base
        self.objects: dict[str, QObject] = {}
        self._top_level_done = False

    def _keep(self, name: str, obj: QObject) -> None:
        if name:
            self.objects[name] = obj

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = "") -> QWidget:  # noqa: N802
        if not self._top_level_done:
            self._top_level_done = True
            return self._base  # the .ui's top-level widget is the Python widget itself
        widget_class = getattr(QtWidgets, class_name, None) if class_name.startswith("Q") else None
        if isinstance(widget_class, type) and issubclass(widget_class, QWidget):
            # Made here rather than by QUiLoader: a widget Qt hands back is wrapped by searching every Python class
            # derived from the returned type (for a plain QWidget, all of QtWidgets), which creates all their
            # enums first (~40 ms at start-up). Given its parent, the widget belongs to it as it would otherwise.
            widget = widget_class(parent)
            widget.setObjectName(name)
        else:  # not a standard widget ("Line", a custom widget): Qt's own factory
            widget = super().createWidget(class_name, parent, name)
        self._keep(name, widget)
        return widget

    def createLayout(self, class_name: str, parent: QObject | None = None, name: str = "") -> QLayout:  # noqa: N802
        layout = super().createLayout(class_name, parent, name)
        self._keep(name, layout)
        return layout

    def createAction(self, parent: QObject | None = None, name: str = "") -> Any:  # noqa: N802
        action = super().createAction(parent, name)
        self._keep(name, action)
        return action

    def createActionGroup(self, parent: QObject | None = None, name: str = "") -> Any:  # noqa: N802
        group = super().createActionGroup(parent, name)
        self._keep(name, group)
        return group


def load_form(ui_name: str, base: QWidget) -> Form:
    """Load `resources/ui/<ui_name>` into `base` (whose class must match the form's top-level class).

    Returns the form's named objects. Raises RuntimeError when the file is missing or invalid: that is an
    installation bug, not something the user can fix.
    """
    path = resource_path("ui", ui_name)
    if not path.is_file():
        raise RuntimeError(f"cannot open UI file {path}")
    loader = _Loader(base)
    try:
        result = loader.load(str(path))  # by name: QFile and QIODevice need no Python classes (nor their enums)
    except RuntimeError as err:  # PySide raises for unreadable XML instead of returning None
        raise RuntimeError(f"cannot load UI file {path}: {err}") from None
    if result is None:
        raise RuntimeError(f"cannot load UI file {path}: {loader.errorString()}")
    if base.isWindow():
        # The form's geometry (x 0, y 0 in Designer) marks the window as placed by the program: Qt then no longer
        # centres a dialog on its parent and the window manager puts it in the screen's top-left corner.
        base.setAttribute(Qt.WidgetAttribute.WA_Moved, False)
    return Form(ui_name, loader.objects)
