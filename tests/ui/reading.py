"""Text on screen as a person reads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QAbstractButton, QComboBox, QGroupBox, QInputDialog, QLabel, QLineEdit, QMessageBox,
                               QPlainTextEdit, QTableWidget, QTextEdit, QWidget)

from station.i18n import WORD_JOINER

if TYPE_CHECKING:
    from ui.review_panel import ReviewPanel


def read(text: str) -> str:
    """`text` without the word joiners, drawn as nothing, that keep a name put into it on one line
    (station.i18n.Name)."""
    return text.replace(WORD_JOINER, "")


def beside_shown(review: "ReviewPanel") -> list[str]:
    """The captions of the photos the review shows beside the new one, in order."""
    return [caption.text() for caption, view in review.beside if view.isVisible()]


def texts_on_screen(widget: QWidget) -> list[str]:
    """What a window or dialog says: its title, message, labels, buttons, placeholders, choices, group titles, table
    headers and cells, of the children visible."""
    said = [widget.windowTitle()]
    if isinstance(widget, QMessageBox):
        said += [widget.text(), widget.informativeText()]
    if isinstance(widget, QInputDialog):
        said += [widget.labelText(), *widget.comboBoxItems()]
    for child in widget.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, (QLabel, QAbstractButton)):
            said.append(child.text())
        elif isinstance(child, QLineEdit):
            said.append(child.placeholderText())
        elif isinstance(child, (QPlainTextEdit, QTextEdit)):
            said += [child.placeholderText(), child.toPlainText()]
        elif isinstance(child, QComboBox):
            said += [child.itemText(i) for i in range(child.count())]
        elif isinstance(child, QGroupBox):
            said.append(child.title())
        elif isinstance(child, QTableWidget):
            said += [child.horizontalHeaderItem(c).text() for c in range(child.columnCount())
                     if child.horizontalHeaderItem(c)]
            said += [child.item(r, c).text() for r in range(child.rowCount()) for c in range(child.columnCount())
                     if child.item(r, c)]
    return [text for text in said if text]
