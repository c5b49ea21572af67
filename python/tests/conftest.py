"""Shared fixtures: the repository's test data, the `brandscan` binary, a Spark session."""

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


def cli_binary() -> str:
    """The command line to compare with: $BRANDSCAN_BIN, else the repository's build."""
    env = os.environ.get("BRANDSCAN_BIN")
    if env:
        return env
    for profile in ("release", "debug"):
        p = REPO / "target" / profile / "brandscan"
        if p.exists():
            return str(p)
    found = shutil.which("brandscan")
    if found:
        return found
    pytest.exit("no brandscan binary: build it with `cargo build` or set BRANDSCAN_BIN", 2)


@pytest.fixture(scope="session")
def cli():
    return cli_binary()


def run_cli(*args, cwd=None):
    """Run the binary with no config file; returns the CompletedProcess."""
    return subprocess.run(
        [cli_binary(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def cli_findings(path, *options):
    """`brandscan scan -f csv` of one catalog: (exit code, rows as lists of strings, stderr)."""
    p = run_cli("scan", "--no-config", "-q", "-f", "csv", *options, str(path))
    rows = list(csv.reader(io.StringIO(p.stdout)))
    return p.returncode, rows, p.stderr


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole run: two cores, no UI, two shuffle partitions."""
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("brandscan-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()
