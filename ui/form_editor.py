"""Builds an editor for any ``forms`` model from its fields, so every form (visit, NRM, reception,
person received) is edited the same way and nothing typed is silently dropped.

Paths are the forms' own dotted field paths (``potential_victim.safe_contact.phone``,
``dependants.0.name``), the same ones ``check_document`` names in its problems.
"""

from __future__ import annotations

import itertools
import types
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeAlias, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms.countries import CountryCode, LanguageCode, country_choices, language_choices
from forms.form import entry_title
from ui.controls import focus_by_key, pressable
from ui.field_widgets import (
    MISSING,
    CheckField,
    ChoiceField,
    DateField,
    EnumSetField,
    FieldWidget,
    LongTextField,
    NumberField,
    PickListField,
    TextField,
    enum_field,
    yes_no_field,
)

_COUNTRY = get_args(CountryCode)[1].func
_LANGUAGE = get_args(LanguageCode)[1].func
_LONG_TEXT = ("account", "notes", "details", "description", "needs", "how", "how_explained",
              "other_indicators", "how_came_to_notice", "sanitised_text", "risk_reasons",
              "handling_conditions")


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """(base type, optional?, validator functions) of a field annotation."""
    optional = False
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(inner) < len(get_args(annotation))
        annotation = inner[0] if len(inner) == 1 else annotation
    funcs: list[Any] = []
    if get_origin(annotation) is Annotated:
        funcs = [getattr(m, "func", None) for m in annotation.__metadata__]
        annotation = get_args(annotation)[0]
    return annotation, optional, funcs


def _is_section(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, StrEnum)


Editable: TypeAlias = "FieldWidget | SectionBox | RepeatingSection"
"""Every control a form editor holds: each has ``changed``, ``value()`` and ``set_value()``."""


def make_field(name: str, info: FieldInfo, parent: QWidget) -> Editable | None:
    """The widget for one field, or None for a field this builder does not edit."""
    title = info.title or name.replace("_", " ").capitalize()
    if name == "indicator_ids":  # ids from the council's lists: a checklist, never typed
        from ui.indicator_field import IndicatorField

        return IndicatorField(title, parent)
    kind, optional, funcs = _unwrap(info.annotation)
    funcs += [getattr(m, "func", None) for m in info.metadata]
    if _COUNTRY in funcs:
        return ChoiceField(title, [(n, c) for c, n in country_choices()], True, parent, True)
    if _LANGUAGE in funcs:
        return ChoiceField(title, [(n, c) for c, n in language_choices()], True, parent, True)
    if _is_section(kind):
        return SectionBox(title, kind, parent)
    if get_origin(kind) is list:
        item, _opt, item_funcs = _unwrap(get_args(kind)[0])
        if _COUNTRY in item_funcs:
            return PickListField(title, country_choices(), parent)
        if _LANGUAGE in item_funcs:
            return PickListField(title, language_choices(), parent)
        if _is_enum(item):
            return EnumSetField(title, item, parent)
        if _is_section(item):
            return RepeatingSection(title, item, parent)
        if item is str and not item_funcs:
            return TextField(title, as_list=True, parent=parent)
        return None
    if kind is bool:
        return yes_no_field(title, parent) if optional else CheckField(title, parent)
    if _is_enum(kind):
        return enum_field(title, kind, optional, parent)
    if kind is int:
        return NumberField(title, optional, parent)
    if kind is datetime:
        return DateField(title, True, parent)
    if kind is date:
        return DateField(title, False, parent)
    if kind is str:
        if name.endswith(_LONG_TEXT) or name in _LONG_TEXT:
            return LongTextField(title, parent)
        return TextField(title, parent=parent)
    return None


class SectionEditor(QWidget):
    """Edits the fields of one form section (a pydantic model), in declaration order."""

    changed = Signal()

    def __init__(
        self, model: type[BaseModel], parent: QWidget | None = None,
        only: list[str] | None = None, skip: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # Long questions get the answer on the line below rather than a squeezed label.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields: dict[str, Editable] = {}
        self._extra: dict[str, Any] = {}
        names = only if only is not None else list(model.model_fields)
        for name in names:
            info = model.model_fields[name]
            if name in skip or name == "schema_version":
                continue
            widget = make_field(name, info, self)
            if widget is None:
                continue
            self.fields[name] = widget
            widget.changed.connect(self.changed)
            if isinstance(widget, CheckField | SectionBox | RepeatingSection):
                self.form.addRow(widget)
            elif isinstance(widget, LongTextField):
                # Long answers (an account, the risk) take the whole width, question above.
                caption = QLabel(widget.title, self)
                caption.setWordWrap(True)
                caption.setBuddy(widget)
                self.form.addRow(caption)
                self.form.addRow(widget)
            else:
                caption = QLabel(widget.title, self)
                caption.setBuddy(widget)
                self.form.addRow(caption, widget)

    def value(self) -> dict[str, Any]:
        """The section as a JSON-ready dict (fields not shown here are kept as loaded)."""
        data = dict(self._extra)
        for name, widget in self.fields.items():
            value = widget.value()
            if value is MISSING:
                data.pop(name, None)
            else:
                data[name] = value
        return data

    def field_values(self) -> dict[str, Any]:
        """Only the fields this editor shows (to merge several editors of one model)."""
        values = self.value()
        return {name: values[name] for name in self.fields if name in values}

    def set_value(self, data: dict[str, Any] | None) -> None:
        """Show ``data``; keys this editor has no widget for are carried through unchanged."""
        data = dict(data or {})
        defaults = self.model().model_dump(mode="json") if _constructible(self.model) else {}
        self._extra = {k: v for k, v in data.items() if k not in self.fields}
        for name, widget in self.fields.items():
            widget.set_value(data.get(name, defaults.get(name)))

    def field_at(self, path: str) -> Editable | None:
        """The field widget itself (not the control inside it that takes the cursor) for a
        dotted field path, or None when it is not shown here."""
        head, _, rest = path.partition(".")
        widget = self.fields.get(head)
        if widget is None or not rest:
            return widget
        if isinstance(widget, SectionBox):
            return widget.editor.field_at(rest)
        if isinstance(widget, RepeatingSection):
            index, _, more = rest.partition(".")
            if index.isdigit() and int(index) < len(widget.items):
                item = widget.items[int(index)]
                return item.field_at(more) if more else None
        return None

    def set_field_value(self, path: str, value: Any) -> bool:
        """Show ``value`` in the one field at ``path`` (without emitting ``changed``); every
        other widget stays as it is, so the cursor and the scroll stay where they were
        (``set_value`` on the whole form remade the entries of its repeating sections).
        False when the field is not shown here."""
        widget = self.field_at(path)
        if widget is None:
            return False
        widget.set_value(value)
        return True

    def widget_at(self, path: str) -> QWidget | None:
        """The control for a dotted field path, or None when it is not shown here."""
        head, _, rest = path.partition(".")
        widget = self.fields.get(head)
        if widget is None:
            return None
        if rest and isinstance(widget, SectionBox | RepeatingSection):
            return widget.widget_at(rest)
        return widget.focus_widget() if isinstance(widget, FieldWidget) else widget

    def set_visible(self, path: str, visible: bool) -> None:
        """Show or hide the row of a (possibly nested) field."""
        head, _, rest = path.partition(".")
        widget = self.fields.get(head)
        if widget is None:
            return
        if rest and isinstance(widget, SectionBox):
            widget.editor.set_visible(rest, visible)
        elif rest and isinstance(widget, RepeatingSection):
            widget.set_item_field_visible(rest, visible)
        else:
            self.form.setRowVisible(widget, visible)


def _constructible(model: type[BaseModel]) -> bool:
    try:
        model()
    except Exception:
        return False
    return True


class SectionBox(QGroupBox):
    """A nested section shown as a titled group."""

    changed = Signal()

    def __init__(self, title: str, model: type[BaseModel], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.heading = title
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        self.editor = SectionEditor(model, self)
        layout.addWidget(self.editor)
        self.editor.changed.connect(self.changed)

    def value(self) -> Any:
        return self.editor.value()

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value if isinstance(value, dict) else None)

    def widget_at(self, path: str) -> QWidget | None:
        return self.editor.widget_at(path)


def _tab_stop(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _stop_before(widget: QWidget) -> QWidget | None:
    """The Tab stop before ``widget`` in the window's Tab order (None if there is none)."""
    earlier = widget.previousInFocusChain()
    while earlier is not None and earlier is not widget and not _tab_stop(earlier):
        earlier = earlier.previousInFocusChain()
    return earlier if earlier is not widget else None


def _tab_order_between(first: QWidget | None, block: QWidget, then: QWidget) -> None:
    """Put the Tab stops in ``block`` (in the order made) after ``first`` and before ``then``
    in the window's Tab order.

    Only Tab stops are chained: Qt ignores an order given to a widget Tab never stops at (a
    group box), so chaining from the section itself did nothing, and the entries a saved
    record brought came after every other control on the page."""
    widgets = [block] if _tab_stop(block) else []
    following = block.nextInFocusChain()
    while following is not None and following is not block and block.isAncestorOf(following):
        if _tab_stop(following):
            widgets.append(following)
        following = following.nextInFocusChain()
    chain = [*([first] if first is not None else []), *widgets, then]
    for earlier, later in itertools.pairwise(chain):
        QWidget.setTabOrder(earlier, later)


def _scroll_to(entry: QWidget, field: QWidget) -> None:
    """Scroll whatever scroll area holds ``entry`` so it shows, as much of it as fits and at
    least ``field`` (its first field, where the cursor is)."""
    holder = entry.parentWidget()
    while holder is not None and not isinstance(holder, QScrollArea):
        holder = holder.parentWidget()
    if holder is None:
        return
    # Lay out what is still pending first (the entry, the sections around it, the scroll
    # area's form): scrolled before, it went to where the entry had yet to be moved from.
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    holder.ensureWidgetVisible(entry, 0, 0)
    holder.ensureWidgetVisible(field)


class RepeatingSection(QGroupBox):
    """A list of sections (dependants, places, exploiters): Add appends one, Remove drops it."""

    changed = Signal()

    def __init__(self, title: str, model: type[BaseModel], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.heading = title
        self.entry = entry_title(model) or title
        """What one entry is called, numbered in its heading: "Action 1" (not "Actions 1")."""
        self.model = model
        self.setAccessibleName(title)
        self._layout = QVBoxLayout(self)
        self.items: list[SectionEditor] = []
        self._hidden: set[str] = set()
        self.add_button = pressable(
            QPushButton(self.tr("Add to: {title}").format(title=title), self),
            self.tr("Add to {title}").format(title=title))
        self._layout.addWidget(self.add_button)
        self.add_button.clicked.connect(lambda: self._append(None, focus=True))

    def _append(self, data: dict[str, Any] | None, focus: bool = False) -> None:
        box = QGroupBox(self.tr("{title} {n}").format(title=self.entry, n=len(self.items) + 1),
                        self)
        inner = QVBoxLayout(box)
        editor = SectionEditor(self.model, box)
        editor.set_value(data)
        for path in self._hidden:
            editor.set_visible(path, False)
        inner.addWidget(editor)
        row = QHBoxLayout()
        number = len(self.items) + 1
        remove = pressable(QPushButton(self.tr("Remove"), box),
                           self.tr("Remove {title} {n}").format(title=self.entry, n=number))
        row.addStretch(1)
        row.addWidget(remove)
        inner.addLayout(row)
        self._layout.insertWidget(self._layout.count() - 1, box)
        # Tab goes through the new entry where it shows, before Add: a widget made now joins
        # the window's Tab order at its end (Tab from Remove went to Back, off the page).
        _tab_order_between(_stop_before(self.add_button), box, self.add_button)
        self.items.append(editor)
        editor.changed.connect(self.changed)
        remove.clicked.connect(lambda: self._remove(editor, box))
        if data is None:
            self.changed.emit()
        if focus and editor.fields:
            first = next(iter(editor.fields.values()))
            focus_by_key(first)
            # The new entry comes at the bottom, often below what the record shows: scroll to
            # it (the cursor was in a field out of sight). Once it is laid out: not yet now.
            QTimer.singleShot(0, box, lambda: _scroll_to(box, first))

    def _remove(self, editor: SectionEditor, box: QGroupBox) -> None:
        self.items.remove(editor)
        box.deleteLater()
        self.changed.emit()
        focus_by_key(self.add_button)

    def set_item_field_visible(self, path: str, visible: bool) -> None:
        """Show or hide one field in every item, including items added later."""
        if visible:
            self._hidden.discard(path)
        else:
            self._hidden.add(path)
        for editor in self.items:
            editor.set_visible(path, visible)

    def value(self) -> Any:
        return [editor.value() for editor in self.items]

    def set_value(self, value: Any) -> None:
        for editor in list(self.items):
            box = editor.parentWidget()
            if box is not None:
                box.deleteLater()
        self.items = []
        for data in value or []:
            self._append(data if isinstance(data, dict) else None)

    def widget_at(self, path: str) -> QWidget | None:
        index, _, rest = path.partition(".")
        if not index.isdigit() or int(index) >= len(self.items):
            return self.add_button
        return self.items[int(index)].widget_at(rest) if rest else self.items[int(index)]
