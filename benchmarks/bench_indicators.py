"""Benchmark: ingest, validate and compute every indicator for the full 285,263-row DfE file.

    make bench            (or: python benchmarks/bench_indicators.py --shared ../shared/data)

Prints wall and CPU seconds per stage, the process's peak memory and the machine's load
average (wall time means little on a busy machine: compare CPU seconds too). Targets (issue
#14): ingest + indicators <= 3.8 s wall and <= 1.4 GiB peak on a 2-core machine. Each repeat
runs in a fresh process so that peak memory is the pipeline's own; nine runs by default, the
median with the fastest and slowest beside it (this machine's run-to-run spread is wide).
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
TARGET_WALL = 3.8  # seconds, ingest + indicators (issue #14)
TARGET_MIB = 1.4 * 1024  # 1.4 GiB


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
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.shared / FILE
    if args.child:
        print(json.dumps(one_run(path)))
        return
    if not path.exists():
        sys.exit(f"benchmark: {path} not found (set --shared or ATTENDANCE_REPORTS_SHARED_DATA)")
    runs = []
    load_before = os.getloadavg()[0]
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
    wall = {}
    for stage in first["stages"]:
        walls = [r["stages"][stage][0] for r in runs]
        wall[stage] = statistics.median(walls)
        cpu = statistics.median(r["stages"][stage][1] for r in runs)
        print(
            f"  {stage:<16} wall {wall[stage]:6.2f} s   cpu {cpu:6.2f} s   "
            f"(wall {min(walls):.2f}–{max(walls):.2f} s)"
        )
    peaks = [r["peak_mib"] for r in runs]
    peak = statistics.median(peaks)
    total = wall["total"]
    print(f"  peak memory      {peak:,.0f} MiB ({min(peaks):,.0f}–{max(peaks):,.0f} MiB)")
    print(
        f"  machine load     {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        f"(1-minute average, {os.cpu_count()} cores)"
    )
    print(
        f"Targets: wall <= {TARGET_WALL} s ({'met' if total <= TARGET_WALL else 'MISSED'}), "
        f"peak <= {TARGET_MIB:,.0f} MiB ({'met' if peak <= TARGET_MIB else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
