"""`selfcheck --smoke-test DIR`: start the real window, run every layer once, open the result, exit 0 on success."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

log = logging.getLogger(__name__)


def _pump(milliseconds: int) -> None:
    # A nested event loop, not a processEvents() loop: PySide6 on Python 3.11 mis-counts None's references
    # when processEvents() is called thousands of times.
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def _charts_work() -> str:
    """Draw one chart: proves the installed program carries QtCharts and the Qt libraries it links."""
    from PySide6.QtCharts import QChart, QChartView, QPieSeries

    series = QPieSeries()
    series.append("合规", 3)
    series.append("不合规", 1)
    chart = QChart()
    chart.addSeries(series)
    view = QChartView(chart)
    view.resize(240, 160)
    image = view.grab()
    if image.isNull():
        raise AssertionError("QtCharts drew nothing")
    return f"图表组件可用（QtCharts，{image.width()}×{image.height()}）"


def run_gui_smoke(directory: str, qt_args: list[str]) -> int:
    """Build the main window as the app does, run the end-to-end smoke test, open its workbook in the window.

    Writes DIR/smoke-result.json and DIR/smoke.log; returns 0 only when every step worked.
    """
    from selfcheck.gui.app import build_context, create_application
    from selfcheck.gui.main_window import MainWindow
    from selfcheck.gui.settings import AppSettings
    from selfcheck.logs import setup_logging
    from selfcheck.smoke import run_smoke, write_failure

    setup_logging()
    folder = Path(directory).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"冒烟测试失败：无法创建文件夹 {folder}（{err.strerror or err}）", file=sys.stderr)
        return 1
    lines: list[str] = []

    def say(message: str) -> None:
        lines.append(message)
        (folder / "smoke.log").write_text("\n".join(lines) + "\n", encoding="utf-8")

    try:
        app = create_application(qt_args)
        say(f"Qt 平台：{app.platformName()}")
        # Settings of the smoke run stay in its folder, never in the user's registry or config.
        settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        settings.first_run_done = True
        window = MainWindow(build_context(settings=settings, actor="冒烟测试"))
        window.show()
        _pump(200)
        facts = run_smoke(folder, log=say)
        window.start(folder / "smoke.selfcheck")
        _pump(300)
        if "smoke.selfcheck" not in window.windowTitle():
            raise AssertionError(f"the main window did not open the smoke workbook: {window.windowTitle()!r}")
        say(f"窗口已打开工作簿：{window.windowTitle()}")
        say(_charts_work())
        window.close()
        _pump(100)
        say(f"冒烟测试通过（{facts['seconds']} 秒）")
        return 0
    except BaseException as err:  # report every failure in the result file for the installer's smoke script
        log.exception("smoke test failed")
        say("冒烟测试失败：\n" + "".join(traceback.format_exception(err)))
        write_failure(folder, err)
        print(f"冒烟测试失败：{err}", file=sys.stderr)
        return 1
