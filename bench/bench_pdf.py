"""PDF rendering speed: the NRM pack (goal: median under 150 ms) and the reception-centre
summary for 200 people (goal: under 3 s), each as a ratio against a minimal one-page reportlab
document rendered in the same run, so the numbers mean something on any machine.

Run: .venv/bin/python -m bench.bench_pdf
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forms import ReceptionCentre

NRM_RUNS = 30
RECEPTION_RUNS = 5
BASELINE_RUNS = 30
NRM_GOAL = 0.150
RECEPTION_GOAL = 3.0
PEOPLE = 200


def _median(render: Callable[[], bytes], runs: int) -> float:
    render()  # warm up: fonts, styles and imports are not what is measured
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _baseline() -> bytes:
    """A minimal one-page reportlab document: a line of text, saved to memory."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 720, "Baseline page")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _reception(people: int) -> ReceptionCentre:
    """A centre of ``people`` at different steps of the board (fictional references)."""
    from forms import PersonReceived, ReceptionCentre

    start = datetime(2026, 5, 14, 6, 0)
    received = []
    for n in range(1, people + 1):
        at = start + timedelta(minutes=n)
        received.append(PersonReceived(
            reference=f"P{n:03d}", arrived_at=at, language="ron" if n % 3 else "sqi",
            age_group="child" if n % 9 == 0 else "adult",
            welfare_given_at=at if n % 2 else None, interpreter_needed=True,
            consent="given" if n % 4 == 0 else "not_asked",
            onward_destination="Salvation Army safe house" if n % 5 == 0 else "",
        ))
    return ReceptionCentre(operation="Operation Bench", venue="Hall", held_on=date(2026, 5, 14),
                           people=received)


def main() -> None:
    """Print the medians, the goals and the ratios to the baseline."""
    from fieldkit.demo.forms import w1_nrm
    from fieldkit.pdf import render_nrm_pack, render_reception_summary

    nrm = w1_nrm(date(2026, 5, 14))
    centre = _reception(PEOPLE)

    baseline = _median(_baseline, BASELINE_RUNS)
    nrm_time = _median(lambda: render_nrm_pack(nrm, "FK-2026-0001"), NRM_RUNS)
    reception_time = _median(lambda: render_reception_summary(centre, "FK-2026-0001"),
                             RECEPTION_RUNS)
    pages = render_reception_summary(centre, "FK-2026-0001").count(b"/Type /Page\n")

    print(f"baseline (one-page reportlab document): median {baseline * 1000:.2f} ms "
          f"over {BASELINE_RUNS} runs")
    print(f"NRM pack: median {nrm_time * 1000:.1f} ms over {NRM_RUNS} runs "
          f"(goal under {NRM_GOAL * 1000:.0f} ms: {'met' if nrm_time < NRM_GOAL else 'MISSED'}); "
          f"{nrm_time / baseline:.1f}x the baseline")
    print(f"reception-centre summary, {PEOPLE} people ({pages or '?'} pages): median "
          f"{reception_time:.2f} s over {RECEPTION_RUNS} runs (goal under {RECEPTION_GOAL:.0f} s: "
          f"{'met' if reception_time < RECEPTION_GOAL else 'MISSED'}); "
          f"{reception_time / baseline:.0f}x the baseline")


if __name__ == "__main__":
    main()
