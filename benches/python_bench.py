"""The Python binding and Spark against the command line on one generated catalog.

Run through benches/python.sh, which builds everything and passes:

    python benches/python_bench.py CLI CATALOG.csv CATALOG.parquet WORKDIR RUNS

Prints one line per measurement: wall seconds (median of RUNS), MB/s of catalog CSV,
rows/s, and peak memory. Nothing here asserts a number: read the table.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

import pyarrow.parquet as pq

import brandscan

CHILD = len(sys.argv) > 1 and sys.argv[1] == "--child"
if not CHILD:
    CLI, CSV, PARQUET, WORK, RUNS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    BYTES = os.path.getsize(CSV)
    ROWS = pq.ParquetFile(PARQUET).metadata.num_rows


def line(name, seconds, peak_mb, note=""):
    print(f"{name:<52} {seconds:8.2f} s {BYTES / 1e6 / seconds:8.1f} MB/s "
          f"{ROWS / seconds / 1e3:8.1f} k rows/s {peak_mb:7.0f} MB peak {note}", flush=True)
    return seconds


def timed_process(args):
    """Wall seconds and peak RSS (MB) of a command, by GNU time."""
    tf = os.path.join(WORK, "time.txt")
    subprocess.run(["/usr/bin/time", "-o", tf, "-f", "%e %M", *args], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall, kb = open(tf).read().split()[-2:]
    return float(wall), int(kb) / 1024


def median_process(args):
    runs = [timed_process(args) for _ in range(RUNS)]
    return statistics.median(w for w, _ in runs), max(m for _, m in runs)


def in_child(mode):
    """One Python measurement in a fresh process: (seconds of the measured part, peak MB)."""
    out = subprocess.run([sys.executable, __file__, "--child", mode, CSV, PARQUET, WORK],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode, csv, parquet, work):
    res = {}
    if mode == "arrow":
        # One thread: scan_arrow over each scanned column of a table already in memory.
        table = pq.read_table(parquet)
        scanner = brandscan.Scanner()
        _, fields = brandscan._brandscan.detect_columns(table.column_names)
        t0 = time.perf_counter()
        for i, name in fields:
            scanner.scan_arrow(table.column(i), field=name)
        res["seconds"] = time.perf_counter() - t0
    elif mode == "table":
        table = pq.read_table(parquet)
        scanner = brandscan.Scanner()
        t0 = time.perf_counter()
        scanner.scan_table(table)
        res["seconds"] = time.perf_counter() - t0
    elif mode == "dataset":
        t0 = time.perf_counter()
        brandscan.scan_dataset(parquet, os.path.join(work, "py-findings.parquet"))
        res["seconds"] = time.perf_counter() - t0
    elif mode in ("spark", "spark-transfer"):
        from pyspark.sql import SparkSession

        spark = (SparkSession.builder.master("local[2]")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "2")
                 .config("spark.driver.memory", "2g").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.read.parquet(parquet)
        from brandscan import spark as bs

        if mode == "spark":
            job = bs.findings(df, row_numbers=False)
        else:
            # The same columns through the same mapInArrow, not scanned: the JVM→Python
            # Arrow transfer and the Python worker alone.
            _, fields = brandscan._brandscan.detect_columns(df.columns)
            cols = [df.columns[i] for i, _ in fields]
            job = df.select(*cols).mapInArrow(lambda it: (b.slice(0, 0) for b in it),
                                              df.select(*cols).schema)
        # The first job of a session also pays for starting the Python workers and for
        # the JVM's warm-up; a long-running job pays that once. Both are reported.
        t0 = time.perf_counter()
        job.write.format("noop").mode("overwrite").save()
        res["cold_seconds"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        job.write.format("noop").mode("overwrite").save()
        res["seconds"] = time.perf_counter() - t0
        spark.stop()
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res["peak_mb"] = max(self_kb, kids_kb) / 1024
    print(json.dumps(res))


def median_child(mode):
    runs = [in_child(mode) for _ in range(RUNS)]
    note = ""
    if "cold_seconds" in runs[0]:
        note = f"(first job of the session: {statistics.median(r['cold_seconds'] for r in runs):.2f} s)"
    return statistics.median(r["seconds"] for r in runs), max(r["peak_mb"] for r in runs), note


def main():
    os.makedirs(WORK, exist_ok=True)
    print(f"catalog: {CSV} ({BYTES} bytes, {ROWS} rows); Parquet copy {os.path.getsize(PARQUET)} bytes; "
          f"{os.cpu_count()} cores; runs: {RUNS} (median)")
    out = os.path.join(WORK, "cli-findings.csv")
    cli = [CLI, "scan", "--no-config", "-q", "--fail-on", "never", "-o", out]
    j1 = line("brandscan scan -j1 (CSV)", *median_process(cli + ["-j1", CSV]))
    j2 = line("brandscan scan -j2 (CSV)", *median_process(cli + ["-j2", CSV]))
    arrow = line("scan_arrow, 1 thread, table in memory", *median_child("arrow"))
    table = line("scan_table, 1 thread, table in memory", *median_child("table"))
    ds = line("scan_dataset Parquet -> Parquet", *median_child("dataset"))
    sp = line("spark local[2] findings -> noop, warm", *median_child("spark"))
    tr = line("spark local[2] transfer only (mapInArrow, no scan), warm", *median_child("spark-transfer"))
    print()
    print(f"scan_arrow 1 thread / CLI -j1 throughput:   {j1 / arrow:6.2f}  (target >= 0.90)")
    print(f"scan_table 1 thread / CLI -j1 throughput:   {j1 / table:6.2f}")
    print(f"scan_dataset / CLI -j2 throughput:          {j2 / ds:6.2f}")
    print(f"spark local[2] / CLI -j2 throughput:        {j2 / sp:6.2f}  (target >= 0.60)")
    print(f"spark transfer share of the spark run:      {tr / sp:6.2f}")


if __name__ == "__main__":
    if CHILD:
        child(*sys.argv[2:6])
    else:
        main()
