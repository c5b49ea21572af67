#!/usr/bin/env bash
# The Python binding and Spark against the command line, on one generated catalog stored
# as CSV (for the CLI) and as Parquet (for Python and Spark):
#
#   benches/python.sh [SIZE] [RUNS]      # SIZE default 100M, RUNS default 3
#
# scan_arrow on one thread against `scan -j1`; scan_dataset and Spark local[2] against
# `scan -j2`; the JVM→Python Arrow transfer timed apart. Builds the release binary, the
# generator and the wheel (scripts/python-env); writes under $WORK (/tmp/brandscan-python).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-100M}
RUNS=${2:-3}
WORK=${WORK:-/tmp/brandscan-python}
mkdir -p "$WORK"
cargo build --release --quiet --bin brandscan --example gen_catalog
VENV=$(scripts/python-env)
CAT="$WORK/catalog-$SIZE.csv"
# Row groups of 16k rows, so that even a small catalog spreads over both cores in Spark
# (a file is split by row group).
PARQUET="$WORK/catalog-$SIZE-rg16k.parquet"
[ -f "$CAT" ] || target/release/examples/gen_catalog --out "$CAT" --size "$SIZE" 2>/dev/null
[ -f "$PARQUET" ] || "$VENV/bin/python" -c '
import sys, pyarrow.parquet as pq, brandscan
pq.write_table(brandscan.read_catalog(sys.argv[1]), sys.argv[2], row_group_size=16384)
' "$CAT" "$PARQUET"
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
"$VENV/bin/python" benches/python_bench.py "$PWD/target/release/brandscan" "$CAT" "$PARQUET" "$WORK" "$RUNS"
