"""工作站 → 语言 / Language: the window's language chosen from its menu, for a photographer who starts the station from
its shortcut and cannot add --lang. The choice is kept in the data folder (Station.choose_lang) for the next start,
where --lang on the command line still wins for its run. The window is built again in the new language on the same
capture session, which goes on as it stands: the camera, the uploads, the student on the card and a retake under
way. The session says when a new window could not show the capture as it stands (a press being measured, its photo
in review, a question to switch students: CaptureSession.language_switch_refused), and the switch is refused then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QLabel, QMenu

from station.i18n import LANGS, Text
from ui.i18n import install_qt_translations, language, set_language, t
from ui.menu_text import accelerated
from ui.theme import say

if TYPE_CHECKING:
    from ui.main_window import MainWindow

# the other language's word beside it (语言(L) / Language, Language / 语言): found by one who cannot read the window's
MENU = Text("语言", "Language")
NAMES = {"zh": ("中文", "Z"), "en": ("English", "E")}  # each in its own language, with its letter
SWITCHED = Text("窗口已切换为中文，下次启动也用中文", "The window is now in English, and will be at the next start")
NOT_KEPT = Text("窗口已切换为中文（数据文件夹无法写入：下次启动仍用原来的语言）",
                "The window is now in English (the data folder cannot be written: the next start uses the language "
                "before)")


@dataclass(eq=False)
class WindowHolder:
    """The station's window, held here alone (ui.opening keeps the holder for the day): the window built in its place
    at a switch takes its place here, and the one before, held by nothing else, is gone once deleted
    (MainWindow.retire). Held from window to window instead, every window built since the start was kept, with what
    it last showed."""

    window: MainWindow


class SwitchRefusal:
    """A switch refused, said in the window's message line in place of what stood there (blue: nothing went wrong,
    the photographer is told what to do first), which comes back once the reason no longer holds as said: the code
    put away, the photo saved or dropped. Left standing, a red 有采集码或身份证在等待切换 stayed under a card with no
    code waiting for the rest of the student's turn (s30 review)."""

    def __init__(self, message: QLabel) -> None:
        self.message = message
        self._shown: tuple[str, str, str] | None = None  # the refusal said, and the line and level it replaced

    def say(self, refusal: Text) -> None:
        before = (self.message.text(), self.message.property("level") or "")
        if self._shown is not None and before[0] == self._shown[0]:
            before = self._shown[1:]  # refused again: the line from before the first refusal is the one to come back
        self._shown = (t(refusal), *before)
        say(self.message, t(refusal), "info")

    def seen(self, refused: Text | None) -> None:
        """The session's reason now (None: the window could be built again): a refusal no longer true as said gives
        way to the line it replaced; forgotten once something else was said."""
        if self._shown is None:
            return
        said, before, level = self._shown
        if self.message.text() == said and (refused is None or t(refused) != said):
            say(self.message, before, level)
        if self.message.text() != said:
            self._shown = None


def use_language(app: QCoreApplication, lang: str | None) -> None:
    """The window's texts and Qt's own (OK, Cancel) in `lang` from now on."""
    set_language(lang)
    install_qt_translations(app)


def add_language_menu(menu: QMenu, choose: Callable[[str], None]) -> None:
    """语言 / Language in `menu`: 中文 and English, the one on screen checked; `choose(lang)` on a click."""
    other = next(lang for lang in LANGS if lang != language())
    languages = menu.addMenu(f"{accelerated(t(MENU), 'L')} / {MENU.get(other)}")
    group = QActionGroup(languages)
    actions = {}
    for lang in LANGS:
        name, key = NAMES[lang]
        action = languages.addAction(accelerated(name, key))
        action.setCheckable(True)
        action.setActionGroup(group)
        action.triggered.connect(lambda _=False, lang=lang: choose(lang))
        actions[lang] = action

    def checked() -> None:  # the language on screen, also after a switch refused
        actions[language()].setChecked(True)

    languages.aboutToShow.connect(checked)
    checked()
