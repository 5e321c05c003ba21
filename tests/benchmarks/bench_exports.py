"""Time the three exporters on big joint tenders.

Run from the project root:  .venv/bin/python -m tests.benchmarks.bench_exports [--runs N]

Tenders have 4 lots, 290 participating municipalities (every Swedish one) and 1,000 or 2,000
requirement selections in total. Prints the best of N runs per exporter and the 2,000/1,000 ratio,
which stays near 2 when an exporter is linear.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from exports.docx import tender_docx
from exports.model import TenderDocument
from exports.ocds import tender_ocds
from exports.xlsx import response_form_xlsx
from tests.exports.factory import big_tender

EXPORTERS: dict[str, Callable[[TenderDocument], bytes]] = {
    "docx": tender_docx,
    "xlsx": response_form_xlsx,
    "ocds": tender_ocds,
}
SIZES = (1_000, 2_000)


def best_of(runs: int, export: Callable[[TenderDocument], bytes], doc: TenderDocument) -> tuple[float, int]:
    """Fastest wall time of `runs` exports, and the output size."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(export(doc))
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per exporter and size (default 5)")
    runs = parser.parse_args().runs
    tenders = {size: big_tender(size, lots=4, participants=290) for size in SIZES}
    print(f"{'exporter':<8} {'1,000 s':>9} {'2,000 s':>9} {'ratio':>6} {'2,000 size':>12}")
    for name, export in EXPORTERS.items():
        (small, _), (large, size) = (best_of(runs, export, tenders[n]) for n in SIZES)
        print(f"{name:<8} {small:>9.3f} {large:>9.3f} {large / small:>6.2f} {size / 1024:>9.0f} KiB")


if __name__ == "__main__":
    main()
