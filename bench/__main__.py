"""Run the benchmarks and write the results file: ``python -m bench [--quick] [--output PATH]
[NAME ...]`` (NAME: app_start, store, pdf, sync, inbox, lead, board; all by default)."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from bench.harness import RESULTS, Result, machine, write_results

MODULES = ("app_start", "store", "pdf", "sync", "inbox", "lead", "board")


def _line(result: Result) -> str:
    if result.unit == "bytes":
        figures = (f"{result.fieldkit / 2**20:.1f} MB vs {result.baseline / 2**20:.1f} MB")
    else:
        figures = (f"{result.fieldkit * 1000:.2f} ms [{result.fieldkit_min * 1000:.2f}-"
                   f"{result.fieldkit_max * 1000:.2f}] vs {result.baseline * 1000:.2f} ms "
                   f"[{result.baseline_min * 1000:.2f}-{result.baseline_max * 1000:.2f}]")
    verdict = "met" if result.met else "MISSED"
    return (f"{result.name}: {figures}, ratio {result.ratio:.2f} ({result.goal}: {verdict}; "
            f"load {result.load_before})")


def main(argv: list[str]) -> int:
    """Run, print one line per benchmark, write the results file; 0 even when a goal is missed
    (the file says which), 1 if a benchmark could not run."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="each workload at a tenth")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("names", nargs="*", choices=[*MODULES, []], metavar="NAME")
    args = parser.parse_args(argv)
    scale = 0.1 if args.quick else 1.0
    output = args.output or (RESULTS.with_name("results-quick.json") if args.quick else RESULTS)
    info = machine()
    began = time.perf_counter()
    results: list[Result] = []
    for name in args.names or MODULES:
        print(f"== {name}", flush=True)
        for result in importlib.import_module(f"bench.bench_{name}").run(scale):
            print("  " + _line(result), flush=True)
            results.append(result)
    took = time.perf_counter() - began
    write_results(results, output, scale=scale, machine_info=info, seconds=took)
    print(f"wrote {output} ({took:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
