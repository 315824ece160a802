"""Small building blocks shared by the screens: named controls, headings, local times."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QListView,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QWidget,
)

from fieldkit.clock import parse_stamp

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, tip: str = "") -> W:
    """Give ``widget`` an accessible name (read by screen readers) and optional tooltip."""
    widget.setAccessibleName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


def pressable(button: QPushButton, name: str, tip: str = "") -> QPushButton:
    """A push button named as :func:`named` does, which Enter presses when it has the focus, as
    Space does: keyboard users press Enter on a button. Qt does that by itself only in a
    dialog (its buttons are "auto default"); everywhere else Enter on a button did nothing."""
    button.setAutoDefault(True)
    return named(button, name, tip)


def ask_no_by_default(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/No question with No as the default: Return pressed by habit answers No (for what
    withdraws, replaces or revokes something)."""
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def heading(text: str, parent: QWidget | None = None, size: int = 3) -> QLabel:
    """A bold label used as a section heading (larger for smaller ``size``)."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * {1: 1.6, 2: 1.3}.get(size, 1.1))
    label.setFont(font)
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def local_time(utc_stamp: str, with_date: bool = True, with_zone: bool = False) -> str:
    """A core UTC stamp shown in the computer's local time (what the officer's watch says),
    with the zone's name (GMT, BST) when asked, so a time is never ambiguous."""
    try:
        moment = parse_stamp(utc_stamp).astimezone()
    except (ValueError, OverflowError):  # e.g. a date too far out for this computer
        return utc_stamp
    # "2 Oct 2026", as the Lead's desk writes a day ("2 October 2026"), not "02 Oct 2026".
    shown = (f"{moment.day} {moment:%b %Y %H:%M:%S}" if with_date
             else moment.strftime("%H:%M:%S"))
    return f"{shown} {moment.strftime('%Z')}" if with_zone else shown


def focus_by_key(widget: QWidget,
                 reason: Qt.FocusReason = Qt.FocusReason.OtherFocusReason) -> None:
    """Put the cursor in ``widget`` for a key the officer pressed (Ctrl+Page Down to a section,
    Enter on a problem, Back), with its focus ring showing. Qt's own style draws the ring of a
    check box or a drop-down list only while its window says the focus moved by keys, which
    Qt records for Tab and a shortcut's own target, not for a plain ``setFocus``: the cursor
    showed nowhere, and what was typed next went into a field the officer could not see.
    (Said after the move: a plain ``setFocus`` clears it. The reason stays ``reason``: a
    shortcut's reason would select all the text of a line box, and a key typed would replace
    it.)"""
    widget.setFocus(reason)
    widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    widget.update()


def form_scroll(parent: QWidget) -> QScrollArea:
    """A scroll area for a form: resizes the form to its width, and is no Tab stop of its own
    (it showed nothing when it had the cursor: Tab after a section's last field seemed to go
    nowhere). Tab still scrolls to each field: Qt's scroll area does that for its fields."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return scroll


class _WheelOnlyWhenFocused(QObject):
    """Sends the mouse wheel over a drop-down list or spin box that does not have the cursor
    to what scrolls around it, instead of changing its value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not (isinstance(event, QWheelEvent) and isinstance(watched, QWidget)) \
                or watched.hasFocus():
            return False
        area = _scroll_area_around(watched)
        if area is None:
            event.ignore()  # Qt passes it on to the widgets around
            return True
        # Sent on by hand: Qt passes a wheel event on to the widgets around only when it
        # came from the mouse itself, not one sent by the app (or a test).
        viewport = area.viewport()
        at = QPointF(watched.mapTo(viewport, event.position().toPoint()))
        QApplication.sendEvent(viewport, QWheelEvent(
            at, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
            event.buttons(), event.modifiers(), event.phase(), event.inverted()))
        event.accept()
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


_WHEEL_GUARD: _WheelOnlyWhenFocused | None = None


def wheel_only_when_focused(widget: W) -> W:
    """A drop-down list or spin box the mouse wheel changes only once it has the cursor (a
    click or Tab), so scrolling a form over one scrolls the form: scrolling the visit form
    over the risk rating silently turned Medium into High and kept it as a draft."""
    global _WHEEL_GUARD
    if _WHEEL_GUARD is None:
        _WHEEL_GUARD = _WheelOnlyWhenFocused()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not focused by the wheel
    widget.installEventFilter(_WHEEL_GUARD)
    return widget


def first_focusable(container: QWidget) -> QWidget | None:
    """The first widget inside ``container`` that Tab would reach (visible, enabled); in a
    scroll area, the first field of the form it scrolls, not the area itself (the cursor on
    the area showed nowhere)."""
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container:
        if container.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            inner = widget.widget() if isinstance(widget, QScrollArea) else None
            found = first_focusable(inner) if inner is not None else None
            return found or widget
        widget = widget.nextInFocusChain()
    return None


def last_focusable(container: QWidget) -> QWidget | None:
    """The last widget inside ``container`` that Tab would reach (visible, enabled)."""
    last = None
    widget = container.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and widget is not container and id(widget) not in seen:
        seen.add(id(widget))
        if container.isAncestorOf(widget) and widget.isVisible() and widget.isEnabled() \
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            last = widget
        widget = widget.nextInFocusChain()
    return last


class TabKeysFocus(QObject):
    """A tab's Alt key (Alt+I: Indicators) puts the cursor in what that tab holds first, even
    when the tab already shows; Qt only switched the tab and left the cursor where it was (in
    the note box, where the next keys typed into the note)."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        tabs.tabBar().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut:
            QTimer.singleShot(0, self._focus)
        return False

    def _focus(self) -> None:
        page = self._tabs.currentWidget()
        target = first_focusable(page) if page is not None else None
        if target is None and page is not None \
                and page.focusPolicy() & Qt.FocusPolicy.TabFocus:
            target = page  # the tab is one text box (the Lead's Overview, History): into it
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)


def enter_presses(widget: QWidget, action: Callable[[], object]) -> None:
    """Enter (either key) in ``widget`` does ``action``, as its form's button would: in a
    date box Qt ignores Enter, and Tab steps through day, month and year first."""
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        QShortcut(QKeySequence(key), widget, action, context=Qt.ShortcutContext.WidgetShortcut)


def wrapping(items: QListWidget) -> QListWidget:
    """A list whose long entries wrap onto more lines instead of being cut at the edge."""
    items.setWordWrap(True)
    items.setResizeMode(QListView.ResizeMode.Adjust)
    items.setTextElideMode(Qt.TextElideMode.ElideNone)
    return items
