"""The item data roles every list and table uses, defined once so two models never disagree
about what a role number means."""

from __future__ import annotations

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole

ID_ROLE = _USER + 1
"""The id of the record a row shows (case, bundle, checklist item...)."""
SORT_ROLE = _USER + 2
"""A value to sort a column by when its text would sort wrongly (dates, numbers)."""
CASE_ROLE = _USER + 3
"""The case a row belongs to."""
STATE_ROLE = _USER + 4
"""A row's state as its code (an outbox state, a board step status)."""
STEP_ROLE = _USER + 5
"""The pathway step a row shows."""
ENTRY_ROLE = _USER + 6
"""The note entry a row shows."""
FIELD_ROLE = _USER + 7
"""The form field a problem is about."""
ROW_ROLE = _USER + 8
"""The whole value a row shows (a register line of the Lead's desk)."""
