"""Benchmark: ingest, validate and compute every indicator for the full 285,263-row DfE file.

    make bench            (or: python benchmarks/bench_indicators.py --shared ../shared/data)

Prints wall and CPU seconds per stage and the process's peak memory. Targets (issue #3):
<= 10 s wall and <= 1.5 GiB peak on a 2-core machine. Each repeat runs in a fresh process so
that peak memory is the pipeline's own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

FILE = "absence/Absence_3term201819_nat_reg_la_sch.csv.gz"


def one_run(path: Path) -> dict:
    from attendance_reports.indicators.table import indicator_table
    from attendance_reports.sources.load import load

    stages = {}
    wall, cpu = time.perf_counter(), time.process_time()
    dataset = load([path])
    stages["ingest+validate"] = (time.perf_counter() - wall, time.process_time() - cpu)
    wall2, cpu2 = time.perf_counter(), time.process_time()
    table = indicator_table(dataset.absence)
    stages["indicators"] = (time.perf_counter() - wall2, time.process_time() - cpu2)
    stages["total"] = (time.perf_counter() - wall, time.process_time() - cpu)
    return {
        "stages": stages,
        "rows": len(dataset.absence),
        "values": len(table),
        "indicators": int(table["indicator"].nunique()),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument(
        "--shared",
        type=Path,
        default=Path(os.environ.get("ATTENDANCE_REPORTS_SHARED_DATA", "../shared/data")),
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.shared / FILE
    if args.child:
        print(json.dumps(one_run(path)))
        return
    if not path.exists():
        sys.exit(f"benchmark: {path} not found (set --shared or ATTENDANCE_REPORTS_SHARED_DATA)")
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--shared", str(args.shared), "--child"],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout))
    first = runs[0]
    print(
        f"Full file: {first['rows']:,} rows -> {first['values']:,} indicator values "
        f"({first['indicators']} indicators); {args.repeat} runs, fresh process each, median:"
    )
    for stage in first["stages"]:
        wall = statistics.median(r["stages"][stage][0] for r in runs)
        cpu = statistics.median(r["stages"][stage][1] for r in runs)
        print(f"  {stage:<16} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    peak = statistics.median(r["peak_mib"] for r in runs)
    total = statistics.median(r["stages"]["total"][0] for r in runs)
    print(f"  peak memory      {peak:,.0f} MiB")
    print(
        f"Targets: wall <= 10 s ({'met' if total <= 10 else 'MISSED'}), "
        f"peak <= 1,536 MiB ({'met' if peak <= 1536 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
