"""One editing widget per kind of form field (text, yes/no, choice, date, country list...).

Each widget offers ``value()`` (JSON-ready, or ``MISSING`` to leave the model's default),
``set_value()`` and a ``changed`` signal, so the form editor can treat them all alike.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from fieldkit import clock
from forms.choices import label
from forms.typed_dates import typed_date
from ui.controls import named, pressable, wheel_only_when_focused

MISSING = object()
"""Returned by ``value()`` when nothing was entered and the model's default should apply."""


class FieldWidget(QWidget):
    """Base of the field widgets: a titled control that emits ``changed``."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setAccessibleName(title)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        """The entered value, ready for the form model."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` (as stored in the form JSON) without emitting ``changed``."""
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """The control that takes focus when the officer is sent to this field."""
        return self


class _EscapeUndoes(QObject):
    """Escape in a text box puts back what it held when the cursor came into it (``changed``
    says so, and the edit is saved as any other), as a reader expects of Escape; with nothing
    changed there, Escape goes on as before (a dialog closes)."""

    def __init__(self, field: FieldWidget, edit: QLineEdit | QPlainTextEdit) -> None:
        super().__init__(edit)
        self._field, self._edit = field, edit
        self._held = self._text()
        edit.installEventFilter(self)

    def _text(self) -> str:
        edit = self._edit
        return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()

    def _undoable(self, event: QEvent) -> bool:
        return (isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and self._text() != self._held)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self._held = self._text()
        elif kind == QEvent.Type.ShortcutOverride and self._undoable(event):
            event.accept()  # the key comes here, not to a window's Escape shortcut
            return True
        elif kind == QEvent.Type.KeyPress and self._undoable(event):
            if isinstance(self._edit, QLineEdit):
                self._edit.setText(self._held)
                self._field.changed.emit()
            else:
                self._edit.setPlainText(self._held)  # textChanged says ``changed``
            return True
        return False


class TextField(FieldWidget):
    """One line of text; optionally a comma-separated list of short texts."""

    def __init__(self, title: str, as_list: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._as_list = as_list
        self.edit = named(QLineEdit(self), title)
        if as_list:
            self.edit.setPlaceholderText(self.tr("Separate with commas"))
        self._layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self.changed)
        _EscapeUndoes(self, self.edit)

    def value(self) -> Any:
        text = self.edit.text()
        if self._as_list:
            return [part.strip() for part in text.split(",") if part.strip()]
        return text

    def set_value(self, value: Any) -> None:
        if self._as_list and isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class LongTextField(FieldWidget):
    """Several lines of text (accounts, notes)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.edit = named(QPlainTextEdit(self), title)
        # Tab moves on: keyboard users must never get stuck inside a text box.
        self.edit.setTabChangesFocus(True)
        # The whole width, and room for a paragraph; it grows as the account grows.
        self.edit.setMinimumHeight(110)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self.changed)
        self.edit.textChanged.connect(self._grow)
        _EscapeUndoes(self, self.edit)

    def _grow(self) -> None:
        lines = self.edit.document().lineCount() + self.edit.document().blockCount()
        self.edit.setMinimumHeight(min(420, max(110, 18 * lines + 24)))

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText("" if value is None else str(value))
        self.edit.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.edit


class CheckField(FieldWidget):
    """A plain yes/no that is never unanswered (false by default)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.box = named(QCheckBox(title, self), title)
        self._layout.addWidget(self.box)
        self.setFocusProxy(self.box)
        self.box.toggled.connect(self.changed)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.box


class ChoiceField(FieldWidget):
    """One choice from a list; ``optional`` adds "Not answered" (stored as null)."""

    def __init__(
        self, title: str, choices: list[tuple[str, Any]], optional: bool,
        parent: QWidget | None = None, searchable: bool = False,
    ) -> None:
        super().__init__(title, parent)
        self.combo = wheel_only_when_focused(named(QComboBox(self), title))
        if optional:
            self.combo.addItem(self.tr("Not answered"), None)
        for text, data in choices:
            self.combo.addItem(text, data)
        if searchable:
            # Long lists (countries, languages): type part of a name to jump to it.
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            if completer is not None:  # an editable combo always has one
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            edit = self.combo.lineEdit()
            if edit is not None:  # typing replaces "Not answered" ("Not answeredAlb" was kept)
                edit.installEventFilter(self)
        self._layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.combo.currentIndexChanged.connect(self.changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Entering the search box while nothing is chosen selects "Not answered", so what is
        typed replaces it (after a click has placed the cursor)."""
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonRelease) \
                and self.combo.currentData() is None and isinstance(watched, QLineEdit):
            QTimer.singleShot(0, watched.selectAll)
        return False

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return self.combo


def yes_no_field(title: str, parent: QWidget | None = None) -> ChoiceField:
    """A yes/no question that may still be unanswered."""
    yes = QCoreApplication.translate("FieldWidget", "Yes")
    no = QCoreApplication.translate("FieldWidget", "No")
    return ChoiceField(title, [(yes, True), (no, False)], True, parent)


def enum_field(title: str, enum: type[StrEnum], optional: bool,
               parent: QWidget | None = None) -> ChoiceField:
    """A choice from one of the forms' enumerations, shown with its plain label."""
    return ChoiceField(title, [(label(member), member.value) for member in enum], optional,
                       parent)


class NumberField(FieldWidget):
    """A whole number; blank means not known."""

    def __init__(self, title: str, optional: bool, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._optional = optional
        self.edit = named(QLineEdit(self), title)
        self.edit.setValidator(QIntValidator(0, 100000, self.edit))
        self.edit.setMaximumWidth(120)
        self._layout.addWidget(self.edit)
        self._layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self.changed)
        _EscapeUndoes(self, self.edit)

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None if self._optional else MISSING
        return int(text)

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class DateField(FieldWidget):
    """A date or date-and-time typed as text, day first as written in England (22/11/2026,
    22/11/2026 10:05) or as the form keeps it (2026-11-22, 2026-11-22 10:05): the core spells
    the first as the second (:func:`forms.typed_dates.typed_date`).

    Text rather than a date picker: a picker cannot be left blank, and "not known" is a real
    answer. A "Now" button fills in the current time for timed fields.
    """

    def __init__(self, title: str, with_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._with_time = with_time
        self.edit = named(QLineEdit(self), title)
        self.edit.setPlaceholderText(self.tr("DD/MM/YYYY HH:MM or YYYY-MM-DD HH:MM")
                                     if with_time else self.tr("DD/MM/YYYY or YYYY-MM-DD"))
        self._layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(self.changed)
        _EscapeUndoes(self, self.edit)
        self.now_button: QPushButton | None = None
        if with_time:
            self.now_button = pressable(QPushButton(self.tr("Now"), self),
                                        self.tr("{title}: now").format(title=title))
            self._layout.addWidget(self.now_button)
            self.now_button.clicked.connect(self.set_now)

    def set_now(self) -> None:
        """Fill in the current local time."""
        self.edit.setText(clock.local_now().strftime("%Y-%m-%d %H:%M"))
        self.changed.emit()

    def value(self) -> Any:
        return typed_date(self.edit.text(), with_time=self._with_time) or None

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self._with_time and "T" in text:
            text = text.replace("T", " ")[:16]
        self.edit.setText(text)

    def focus_widget(self) -> QWidget:
        return self.edit


class EnumSetField(FieldWidget):
    """Several choices from an enumeration, as a grid of check boxes."""

    def __init__(self, title: str, enum: type[StrEnum], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        grid = QGridLayout()
        self._boxes: dict[str, QCheckBox] = {}
        for i, member in enumerate(enum):
            box = named(QCheckBox(label(member), self), f"{title}: {label(member)}")
            box.toggled.connect(self.changed)
            self._boxes[member.value] = box
            grid.addWidget(box, i // 2, i % 2)
        self._layout.addLayout(grid)
        first = next(iter(self._boxes.values()))
        self.setFocusProxy(first)

    def value(self) -> Any:
        return [value for value, box in self._boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for key, box in self._boxes.items():
            box.blockSignals(True)
            box.setChecked(key in chosen)
            box.blockSignals(False)

    def focus_widget(self) -> QWidget:
        return next(iter(self._boxes.values()))


class PickListField(FieldWidget):
    """Several choices from a long list (countries, languages): pick, Add; Delete removes."""

    def __init__(
        self, title: str, choices: tuple[tuple[str, str], ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self._names = dict(choices)
        self.combo = ChoiceField(title, [(name, code) for code, name in choices], True, self,
                                 searchable=True).combo
        self.combo.setAccessibleName(self.tr("{title}: choose").format(title=title))
        self.combo.setItemText(0, "")  # typing starts in an empty box
        line = self.combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("Type to choose, Enter adds"))
        self.add_button = pressable(QPushButton(self.tr("Add"), self),
                                    self.tr("{title}: add").format(title=title))
        self.chosen = named(QListWidget(self), self.tr("{title}: chosen").format(title=title))
        self.chosen.setMaximumHeight(60)
        self.chosen.setToolTip(self.tr("Delete removes the selected entry"))
        self._layout.addWidget(self.combo, 2)
        self._layout.addWidget(self.add_button)
        self._layout.addWidget(self.chosen, 2)
        self.setFocusProxy(self.combo)
        self.add_button.clicked.connect(self._add)
        line = self.combo.lineEdit()
        if line is not None:
            line.returnPressed.connect(self._add)
        completer = self.combo.completer()
        if completer is not None:  # Enter (or a click) on a suggestion adds it, once shown
            completer.activated.connect(lambda *_: QTimer.singleShot(0, self._add))
        self.chosen.installEventFilter(self)

    def _add(self) -> None:
        """Add what is typed or picked (a name typed in full counts, in any case)."""
        line = self.combo.lineEdit()
        typed = line.text().strip() if line is not None else ""
        found = self.combo.findText(typed, Qt.MatchFlag.MatchFixedString) if typed else -1
        if found <= 0 and typed:  # part of a name that only one name holds
            holding = [i for i in range(1, self.combo.count())
                       if typed.casefold() in self.combo.itemText(i).casefold()]
            found = holding[0] if len(holding) == 1 else -1
        if found > 0:
            self.combo.setCurrentIndex(found)
        code = self.combo.currentData()
        if code and code not in self.value():
            item = QListWidgetItem(self._names.get(code, code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.chosen.addItem(item)
            self.changed.emit()
        if code:
            self.combo.setCurrentIndex(0)  # ready for the next one
            self.combo.setEditText("")

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if (watched is self.chosen and isinstance(event, QKeyEvent)
                and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)):
            row = self.chosen.currentRow()
            if row >= 0:
                self.chosen.takeItem(row)
                self.changed.emit()
            return True
        return False

    def value(self) -> Any:
        return [self.chosen.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.chosen.count())]

    def set_value(self, value: Any) -> None:
        self.chosen.clear()
        for code in value or []:
            item = QListWidgetItem(self._names.get(code, code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.chosen.addItem(item)

    def focus_widget(self) -> QWidget:
        return self.combo
