"""``make bench-quick`` runs every benchmark at a tenth of its size, so the benchmark code cannot
rot unnoticed. Nothing here checks a timing (figures belong to ``make bench``, not to tests):
it checks that every benchmark ran, measured both sides and wrote a complete results file,
that the inbox under load lost nothing, and that the README table is generated from it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import table
from tests.conftest import REPO

NAMES = {"unlock_to_list", "store_append", "search_100k", "nrm_pdf", "reception_pdf_200",
         "sync_1000", "inbox_load", "rss_10k", "lead_import_1000", "board_heal_5"}
FIELDS = {"name", "unit", "fieldkit", "fieldkit_min", "fieldkit_max", "baseline",
          "baseline_min", "baseline_max", "runs", "ratio", "goal", "met", "load_before",
          "details"}


@pytest.mark.timeout(900)
def test_bench_quick_writes_every_benchmark(tmp_path: Path) -> None:
    output = tmp_path / "results.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)],
                          cwd=REPO, capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    document = json.loads(output.read_text())
    assert document["scale"] == 0.1
    assert {"cores", "python", "sqlcipher", "qt", "load_average_before"} <= set(
        document["machine"])
    results = {b["name"]: b for b in document["benchmarks"]}
    assert set(results) == NAMES
    for name, result in results.items():
        assert set(result) == FIELDS, name
        assert result["runs"] >= 1, name
        assert 0 < result["fieldkit_min"] <= result["fieldkit"] <= result["fieldkit_max"], name
        assert 0 < result["baseline_min"] <= result["baseline"] <= result["baseline_max"], name
        assert abs(result["ratio"] - result["fieldkit"] / result["baseline"]) < 1e-9, name
        assert isinstance(result["met"], bool), name
    load = results["inbox_load"]["details"]
    assert load["lost_or_duplicated"] == 0 and load["baseline_lost"] == 0
    assert load["bundles"] == 100 and load["devices"] == 20
    assert results["unlock_to_list"]["details"]["visits_shown"] == 1000
    lead = results["lead_import_1000"]["details"]
    assert (lead["bundles"], lead["devices"]) == (100, 10)
    assert lead["receipts_collected_in_setup"] == 100  # every bundle acknowledged by a receipt
    assert lead["one_device_no_receipts"]["bundles"] == 30
    floor = lead["essential_checks"]  # the import's floor, beside its own baseline run
    assert floor["runs"] >= 1 and floor["seconds"] > 0 and floor["baseline_seconds"] > 0
    assert abs(floor["ratio"] - floor["seconds"] / floor["baseline_seconds"]) < 0.01
    append = results["store_append"]["details"]
    assert append["new_store_page_hmac"] in ("HMAC_SHA256", "HMAC_SHA512")
    for side in ("encrypted_statements_hmac_sha256", "encrypted_statements_hmac_sha512"):
        assert append[f"{side}_ms_each"] > 0  # the baseline's statements through the cipher
        assert abs(append[f"{side}_ratio"] - append[f"{side}_ms_each"]
                   / append["baseline_ms_each"]) < 0.01
    board = results["board_heal_5"]["details"]
    assert (board["devices"], board["people"], board["steps"]) == (5, 20, 12)

    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\n{table.START}\nold\n{table.END}\n\nAfter.\n")
    table.rewrite(readme, output)
    text = readme.read_text()
    assert "old" not in text and text.endswith("\n\nAfter.\n")
    assert document["date"] in text
    for name in NAMES:
        assert f"| `{name}` |" in text
