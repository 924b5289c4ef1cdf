"""What the workbook grid check (``tracker.importers.extent``) adds to reading an .xlsx.

Run ``python -m bench.extent_cost [--rows N] [--repeats R]``. It writes (once, under
``bench/out/``) an .xlsx of N spend rows x 8 columns, then times, in CPU seconds of this
process (python-calamine reads in the calling thread, so its work is counted; CPU time is
steadier than wall time on a shared machine):

- ``check``: ``check_extent`` alone;
- ``parse``: ``parse_spend_file`` with the check, and with the check replaced by a no-op.

It prints the median of R runs of each and the check's share of the parse.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from openpyxl import Workbook

from tracker.importers import parse as parse_module
from tracker.importers.extent import check_extent

OUT = Path(__file__).resolve().parent / "out"
HEADER = ["Date", "Supplier", "Amount", "Description", "Expense Type", "Cost Centre",
          "Transaction", "SIC"]  # fmt: skip


def workbook(rows: int) -> Path:
    path = OUT / f"extent-{rows}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Spend")
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([dt.date(2023, 4, 1 + i % 28), f"Supplier {i % 997}", 100 + i % 1000,
                      f"Item {i}", "Stationery", f"CC{i % 50}", f"T{i}", 47620])  # fmt: skip
    book.save(path)
    return path


def cpu_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = workbook(args.rows)
    check = cpu_seconds(lambda: check_extent(path, "xlsx"), args.repeats)
    with_check = cpu_seconds(lambda: parse_module.parse_spend_file(path), args.repeats)
    with mock.patch.object(parse_module, "check_extent", lambda path, file_format: None):
        without = cpu_seconds(lambda: parse_module.parse_spend_file(path), args.repeats)
    cells = (args.rows + 1) * len(HEADER)
    print(f"{path.name}: {path.stat().st_size:,} bytes, {cells:,} cells")
    print(f"check_extent alone        {check:6.2f} s CPU")
    print(f"parse_spend_file, checked {with_check:6.2f} s CPU")
    print(f"parse_spend_file, bare    {without:6.2f} s CPU")
    share = with_check / without - 1
    print(f"added by the check        {with_check - without:+6.2f} s ({share:+.0%})")


if __name__ == "__main__":
    main()
