"""Starting the window: language, fonts, Qt's environment and a notice that the station is starting, then the
station itself (ui.opening). Only Qt and light modules are imported here: the station's own take seconds to import
on a laptop (OpenCV, mediapipe, onnxruntime), and a screen that shows nothing for that long gets the program
started again."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtWidgets import QApplication

from station.chosen_language import window_start_lang
from station.i18n import Text
from ui import tasks
from ui.i18n import install_qt_translations, set_language, t
from ui.qt_env import drop_opencv_qt_paths, prefer_x11, xcb_plugin_problem
from ui.starting_notice import LOADING, say_starting, starting_notice
from ui.theme import apply_theme

NO_XCB = Text(
    "无法打开工作站窗口：Qt 的 xcb 显示插件缺少系统库（{problem}）。\n请运行 bash scripts/setup.sh 安装所需的系统库后重试。",
    "The station window cannot open: Qt's xcb display plugin is missing a system library ({problem}).\n"
    "Run bash scripts/setup.sh to install the system libraries it needs, then try again.",
)


def run_app(args: argparse.Namespace) -> int:
    set_language(window_start_lang(args.home, bool(args.demo), args.lang))  # the notice below speaks it already
    drop_opencv_qt_paths()
    prefer_x11()
    problem = xcb_plugin_problem()
    if problem is not None:  # QApplication() would abort the process with a misleading message
        print(t(NO_XCB.format(problem=problem)), file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tasks.install()
    install_qt_translations(app)
    apply_theme(app)
    notice = starting_notice()
    say_starting(notice, LOADING)
    from ui.opening import open_window  # the station's modules: seconds to import, said on screen meanwhile

    return open_window(app, args, notice)
