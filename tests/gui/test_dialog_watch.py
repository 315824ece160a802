"""The suite's watch for forgotten dialogs (tests/dialog_watch.py) closes a question nobody
answers, so a widget test fails instead of hanging the whole run."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from tests.dialog_watch import DialogWatch


def test_a_question_nobody_answers_is_closed_and_named(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    watch = DialogWatch(limit=0.2, interval_ms=50)
    watch.start()
    answer = QMessageBox.question(
        parent, "Replace the recorded time", "Replace 10:17 with now?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    watch.stop()
    assert answer != QMessageBox.StandardButton.Yes
    assert watch.left == ["QMessageBox 'Replace the recorded time' 'Replace 10:17 with now?'"]


def test_a_dialog_answered_in_time_is_left_alone(qtbot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    parent = QWidget()
    qtbot.addWidget(parent)
    watch = DialogWatch(limit=30.0, interval_ms=10)
    watch.start()

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer_yes)
            return
        QTimer.singleShot(100, lambda: box.button(QMessageBox.StandardButton.Yes).click())

    QTimer.singleShot(0, answer_yes)
    answer = QMessageBox.question(
        parent, "Sure?", "Go on?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    watch.stop()
    assert answer == QMessageBox.StandardButton.Yes
    assert watch.left == []
