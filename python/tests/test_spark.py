"""brandscan.spark on a local[2] session: the command line's findings, exactly."""

import math
import os
import subprocess
import warnings

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import brandscan
from brandscan import spark as bs
from conftest import REPO, cli_findings
from test_cli_parity import CATALOGS, READ_OPTIONS, RULE_SETS, TEST_RULES, cli_flags

ORDER = ["row", "field", "start"]


def rows_of(df):
    return [[str(v) for v in r] for r in df.orderBy(*ORDER).collect()]


def read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", brandscan.BadRowWarning)
        return brandscan.read_catalog(REPO / path, row_column="__row__", **READ_OPTIONS.get(path, {}))


def sort_cli(rows):
    return sorted(rows, key=lambda r: (int(r[1]), r[2], int(r[3])))


SPARK_CATALOGS = [p for p in CATALOGS
                  if cli_findings(REPO / p, *cli_flags(p))[0] != 2]


@pytest.mark.parametrize("path", SPARK_CATALOGS)
def test_findings_match_cli_on_every_fixture(spark, path):
    _, cli_rows, _ = cli_findings(REPO / path, *cli_flags(path), *RULE_SETS["test_rules"][0])
    table = read(path)
    df = spark.createDataFrame(table).repartition(3)
    found = bs.findings(df, row_column="__row__", wordlists=[TEST_RULES])
    assert found.columns == list(brandscan.OUTPUT_COLUMNS)
    assert rows_of(found) == sort_cli(cli_rows[1:])


def test_row_numbers_follow_the_frames_order(spark):
    # Without a row column the rows are numbered in the DataFrame's order, partition by
    # partition: for a catalog without rejected rows, the command line's row numbers.
    path = "tests/data/shopify_export.csv"
    _, cli_rows, _ = cli_findings(REPO / path)
    table = read(path).drop(["__row__"])
    df = spark.createDataFrame(table)
    assert df.rdd.getNumPartitions() >= 2
    assert rows_of(bs.findings(df)) == sort_cli(cli_rows[1:])


def test_flag_adds_action_and_brands(spark):
    path = "tests/data/audit_catalog.csv"
    table = read(path)
    s = brandscan.Scanner()
    flagged = bs.flag(spark.createDataFrame(table), scanner=s).orderBy("__row__").collect()
    found = s.scan_table(table, row_column="__row__").to_pylist()
    rank = {"review": 0, "hide": 1, "remove": 2}
    for r in flagged:
        mine = [f for f in found if f["row"] == int(r["__row__"])]
        if not mine:
            assert r["action"] is None and r["brands"] == []
            continue
        assert r["action"] == max((f["action"] for f in mine), key=rank.get)
        assert r["brands"] == list(dict.fromkeys(f["brand"] for f in mine))
    assert any(r["action"] == "remove" for r in flagged)


def test_scanner_errors_come_before_the_job(spark):
    df = spark.createDataFrame(pa.table({"title": ["x"]}))
    with pytest.raises(brandscan.WordListError):
        bs.findings(df, wordlists=[str(REPO / "tests/data/bad/wordlist_unknown_enum.csv")])
    with pytest.raises(brandscan.CatalogError, match="nope"):
        bs.findings(df, fields=["nope"])


def generated_catalog(tmp_path_factory):
    """200,000 rows from the project's generator (examples/gen_catalog)."""
    gen = os.environ.get("BRANDSCAN_GEN_CATALOG") or str(REPO / "target/debug/examples/gen_catalog")
    if not os.path.exists(gen):
        subprocess.run(["cargo", "build", "--example", "gen_catalog"], cwd=REPO, check=True)
    out = tmp_path_factory.mktemp("gen") / "catalog.csv"
    subprocess.run([gen, "--out", str(out), "--rows", "200000", "--seed", "7"],
                   check=True, capture_output=True)
    return out


def test_generated_catalog_over_eight_partitions(spark, tmp_path_factory):
    csv_path = generated_catalog(tmp_path_factory)
    code, cli_rows, stderr = cli_findings(csv_path)
    assert code in (0, 1), stderr
    assert len(cli_rows) > 1000  # the catalog has findings to compare
    table = brandscan.read_catalog(csv_path)
    assert table.num_rows == 200_000
    # One Parquet file in eight row groups, read as eight splits: Spark keeps the
    # file's order, so the rows are numbered as the command line numbers them.
    parquet = csv_path.with_suffix(".parquet")
    pq.write_table(table, parquet, row_group_size=25_000)
    size = os.path.getsize(parquet)
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(math.ceil(size / 8)))
    try:
        df = spark.read.parquet(str(parquet))
        assert df.rdd.getNumPartitions() == 8
        found = bs.findings(df)
        got = rows_of(found)
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    assert len(got) == len(cli_rows) - 1
    assert got == sort_cli(cli_rows[1:])
