"""The demo's own menu (demo mode only): how to open the registrar's page of the receiving server the demo runs on
this computer, so a trial day is seen from the registrar's side too. What it says is station.adapters.demo's."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QVBoxLayout, QWidget

from station.adapters.demo import RegistrarPage, registrar_page
from station.capture.session import CaptureSession
from station.i18n import Text
from ui.i18n import t
from ui.menu_text import accelerated
from ui.modal import ask
from ui.output_file_row import CLOSE

MENU_DEMO = Text("演示", "Demo")
REGISTRAR_PAGE = Text("教务处登记页面…", "Registrar's page…")
OPEN_IN_BROWSER = Text("在浏览器中打开", "Open in the browser")
NO_BROWSER = Text("这台电脑没有打开网页的浏览器：请在浏览器里输入上面的地址。",
                  "No web browser opens on this computer: type the address above into a browser.")


def add_demo_menu(window: QMainWindow, session: CaptureSession) -> None:
    """演示 → 教务处登记页面…, after the window's other menus."""
    menu = window.menuBar().addMenu(accelerated(t(MENU_DEMO), "D"))
    menu.addAction(accelerated(t(REGISTRAR_PAGE), "R"), lambda: ask(RegistrarPageDialog(
        registrar_page(session.station), window)))


class RegistrarPageDialog(QDialog):
    """The page's address, user and password, selectable; 在浏览器中打开 leaves the box open, so the password is still
    in sight when the browser asks for it."""

    def __init__(self, page: RegistrarPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.setWindowTitle(t(REGISTRAR_PAGE).removesuffix("…"))
        self.said = QLabel(t(page.said))
        self.said.setWordWrap(True)
        self.said.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.open_button = self.buttons.addButton(t(OPEN_IN_BROWSER), QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(t(CLOSE), QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.clicked.connect(self.open_page)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.said)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def open_page(self) -> None:
        if not QDesktopServices.openUrl(QUrl(self.page.url)):
            self.said.setText(f"{t(self.page.said)}\n\n{t(NO_BROWSER)}")
