"""The dashboard: the quarter against the four before it, a chart (drawn by reportlab, shown
from SVG in memory) with its numbers beside it, for every monitoring figure."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Slot
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.store import Store
from sync.desk.figures import Quarter
from sync.desk.inbox import today_for_desk
from sync.desk.report import DashboardBlock, dashboard, export_report
from ui.controls import heading, named, pressable
from ui.messages import error_text
from ui.table import RecordTableModel, record_table

CHART_SIZE = (540, 173)  # the chart's own proportions (150 mm by 48 mm)


def choose_report_folder(parent: QWidget) -> str:
    """Ask where to save the quarterly report ('' when the Lead cancels; tests replace it)."""
    from ui.print_pack import choose_folder

    return choose_folder(parent, parent.tr("Choose a folder for the quarterly report"),
                         parent.tr("The published report holds no names and withholds counts "
                                   "from 1 to 4."))


class DashboardPage(QWidget):
    """Every figure block: chart on the left, numbers on the right."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.blocks: list[DashboardBlock] = []
        self.tables: dict[str, RecordTableModel] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Dashboard"), self, 2))
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Quarter"), self)
        self.quarter = named(QLineEdit(str(Quarter.of(today_for_desk())), self),
                             self.tr("Quarter, like 2026Q4"))
        caption.setBuddy(self.quarter)
        self.show_button = pressable(QPushButton(self.tr("Sho&w"), self), self.tr("Show quarter"))
        self.save_button = pressable(QPushButton(self.tr("Save the report as &PDF and CSV…"), self),
                                 self.tr("Save the quarterly report"))
        self.message = named(QLabel(self), self.tr("Dashboard message"))
        self.message.setWordWrap(True)
        row.addWidget(caption)
        row.addWidget(self.quarter)
        row.addWidget(self.show_button)
        row.addWidget(self.save_button)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        note = QLabel(self.tr("These are the true counts, for you. The published report "
                              "withholds counts from 1 to 4."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        self.charts_area = QScrollArea(self)
        self.charts_area.setWidgetResizable(True)
        layout.addWidget(self.charts_area, 1)
        self.quarter.returnPressed.connect(self.refresh)
        self.show_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self.save_report)
        self.refresh()

    @Slot()
    def save_report(self) -> None:
        """The quarter's published report (small counts withheld) as PDF and CSV, into a
        folder the Lead chooses, as ``fieldkit lead report`` writes it (audited)."""
        try:
            quarter = Quarter.parse(self.quarter.text())
        except Exception as error:  # every core error becomes words, never a traceback
            self.message.setText(error_text(error))
            return
        folder = choose_report_folder(self)
        if not folder:
            return
        pdf = Path(folder) / f"quarterly-report-{quarter}.pdf"
        csv = pdf.with_suffix(".csv")
        self.message.setText(self.tr("Saving the report…"))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_report(self.store, quarter, today_for_desk(), pdf_path=pdf, csv_path=csv)
        except Exception as error:  # every core error becomes words, never a traceback
            self.message.setText(error_text(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.message.setText(self.tr("Report for %1 saved: %2 and %3.").replace(
            "%1", str(quarter)).replace("%2", pdf.name).replace("%3", csv.name))

    @Slot()
    def refresh(self) -> None:
        """Count the quarter again and redraw every block."""
        try:
            quarter = Quarter.parse(self.quarter.text())
        except Exception as error:  # every core error becomes words, never a traceback
            self.message.setText(error_text(error))
            return
        self.message.setText("")
        self.blocks = dashboard(self.store, quarter)
        body = QWidget(self.charts_area)
        column = QVBoxLayout(body)
        self.tables = {}
        for block in self.blocks:
            column.addWidget(heading(block.title, body))
            line = QHBoxLayout()
            chart = named(QSvgWidget(body), self.tr("Chart: %1").replace("%1", block.title))
            chart.load(QByteArray(block.chart_svg))
            chart.setFixedSize(*CHART_SIZE)
            model = RecordTableModel([self.tr("Figure"), *block.columns], body)
            model.set_rows([(name, [name, *map(str, counts)]) for name, counts in block.rows])
            table = record_table(self.tr("Numbers: %1").replace("%1", block.title), model, body)
            # Every row shows (the gender table had a scroll bar of its own inside the page's
            # and its total half hidden): its own height, or the chart's if that is more.
            whole = (table.horizontalHeader().sizeHint().height()
                     + table.verticalHeader().defaultSectionSize() * model.rowCount()
                     + 2 * table.frameWidth() + 2)
            table.setMinimumHeight(max(CHART_SIZE[1], whole))
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.tables[block.title] = model
            line.addWidget(chart)
            line.addWidget(table, 1)
            column.addLayout(line)
            if block.note:  # wrapped: a note never widens the page past the screen
                note = QLabel(block.note, body)
                note.setWordWrap(True)
                column.addWidget(note)
        self.charts_area.setWidget(body)

    def count(self, title: str, figure: str) -> int:
        """A figure of the quarter shown (last column), as the table shows it."""
        for block in self.blocks:
            if block.title == title:
                return dict(block.rows)[figure][-1]
        raise KeyError(title)
