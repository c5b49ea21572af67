"""brandscan on Spark: the command line's findings for a DataFrame, computed on the
executors with ``mapInArrow`` (Spark 3.3 or later).

>>> from brandscan import spark as bs                                  # doctest: +SKIP
>>> found = bs.findings(spark.read.parquet("s3://lake/listings/"),     # doctest: +SKIP
...                     wordlists=["brands.csv"])
>>> flagged = bs.flag(listings).where("action = 'remove'")             # doctest: +SKIP

The word lists are read once, on the driver, and travel with the job as their text (a
broadcast variable): a changed list reaches every executor on the next job, with no file
to copy. Each Python worker builds its scanner once and keeps it for every task it runs,
keyed by the rules' fingerprint and the options.
"""

from __future__ import annotations

import pickle
from typing import Any, Dict, Iterator, Optional, Sequence

import pyarrow as pa

from . import OUTPUT_SCHEMA, Scanner, _Plan

__all__ = ["findings", "flag", "output_schema"]

# One scanner per Python worker process and option set: building one compiles the
# automaton, which a task should not pay for again.
_SCANNERS: Dict[str, Scanner] = {}

_ACTIONS = ("review", "hide", "remove")


def _worker_scanner(key: str, state: Any) -> Scanner:
    s = _SCANNERS.get(key)
    if s is None:
        s = pickle.loads(state.value if hasattr(state, "value") else state)
        _SCANNERS[key] = s
    return s


def output_schema():
    """The Spark schema of :func:`findings`: the columns of ``brandscan scan -f csv``."""
    from pyspark.sql import types as T

    def spark_type(t: pa.DataType):
        return T.LongType() if pa.types.is_int64(t) else T.StringType()

    return T.StructType(
        [T.StructField(f.name, spark_type(f.type), False) for f in OUTPUT_SCHEMA]
    )


def _scanner(scanner: Optional[Scanner], options: Dict[str, Any]) -> Scanner:
    if scanner is None:
        return Scanner(**options)
    if options:
        raise TypeError("give either scanner or scanner options, not both")
    return scanner


def _ship(df, scanner: Scanner):
    """The scanner as a broadcast of its pickled state, and its cache key."""
    sc = df.sparkSession.sparkContext
    return scanner.options_key, sc.broadcast(pickle.dumps(scanner))


def _count(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspark import TaskContext

    n = sum(b.num_rows for b in batches)
    pid = TaskContext.get().partitionId()
    yield pa.record_batch({"p": pa.array([pid], pa.int32()), "n": pa.array([n], pa.int64())})


def _partition_offsets(df) -> Dict[int, int]:
    """Rows before each partition of ``df``, counted by the same kind of task that scans
    it (``mapInArrow``), so that both see the same partitions. ``spark_partition_id()``
    does not serve: Spark folds it to 0 over local data."""
    from pyspark.sql import functions as F

    counts = dict(
        (r["p"], r["n"])
        for r in df.select(F.lit(1).alias("one")).mapInArrow(_count, "p int, n long").collect()
    )
    offsets, total = {}, 0
    for p in range(max(counts, default=-1) + 1):
        offsets[p] = total
        total += counts.get(p, 0)
    return offsets


def findings(
    df,
    fields: Optional[Sequence[str]] = None,
    id_column: Optional[str] = None,
    *,
    row_column: Optional[str] = None,
    row_numbers: bool = True,
    scanner: Optional[Scanner] = None,
    **scanner_options: Any,
):
    """The findings of every row of ``df``, as a DataFrame in the columns of
    ``brandscan scan -f csv`` (``row``, ``start``, ``end`` as long).

    Columns are chosen as the command line chooses them (``fields``, ``id_column``, or
    detection from the column names), on the driver, so a missing column fails at once.
    Only the id and the scanned columns leave the JVM, cast to string.

    ``row`` is the 1-based position of the row in ``df``'s order, partition by partition
    (a file read in one pass keeps its order, so it is the command line's row number);
    numbering needs one extra counting pass over ``df``. ``row_column`` reads the numbers
    from a column instead; ``row_numbers=False`` skips the pass and gives numbers that are
    unique and increasing but not contiguous.

    The scanner is ``scanner`` or one built from ``scanner_options`` (the arguments of
    :class:`brandscan.Scanner`, such as ``wordlists=[...]``).
    """
    from pyspark.sql import functions as F

    scanner = _scanner(scanner, scanner_options)
    plan = _Plan.of(df.columns, fields, id_column, row_column)
    # Columns are taken by position: a header may name two columns alike.
    df = df.toDF(*[f"c{i}" for i in range(len(df.columns))])
    cols = []
    if plan.id_index is not None:
        cols.append(F.col(f"c{plan.id_index}").cast("string").alias("id"))
    for k, (i, _) in enumerate(plan.fields):
        cols.append(F.col(f"c{i}").cast("string").alias(f"f{k}"))
    if plan.row_index is not None:
        cols.append(F.col(f"c{plan.row_index}").cast("long").alias("row"))
    selected = df.select(*cols)
    n = len(plan.fields)
    base = 1 if plan.id_index is not None else 0
    local = _Plan(
        0 if plan.id_index is not None else None,
        [(base + k, name) for k, (_, name) in enumerate(plan.fields)],
        base + n if plan.row_index is not None else None,
    )
    offsets: Optional[Dict[int, int]] = None
    if plan.row_index is None and row_numbers:
        offsets = _partition_offsets(selected)
    key, state = _ship(df, scanner)

    def scan(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from pyspark import TaskContext

        s = _worker_scanner(key, state)
        pid = TaskContext.get().partitionId()
        row = (offsets[pid] if offsets is not None else pid << 33) + 1
        for batch in batches:
            out = s._scan_batch(batch, local, row)
            row += batch.num_rows
            if out.num_rows:
                yield out

    return selected.mapInArrow(scan, output_schema())


def flag(
    df,
    fields: Optional[Sequence[str]] = None,
    id_column: Optional[str] = None,
    *,
    scanner: Optional[Scanner] = None,
    **scanner_options: Any,
):
    """``df`` with two more columns: ``action``, the strictest action of the row's findings
    (``remove``, ``hide``, ``review``, or null for a clean row), and ``brands``, the brands
    found, in the order of their first finding (empty for a clean row). For filtering:
    ``flag(df).where("action = 'remove'")``.
    """
    from pyspark.sql import types as T

    scanner = _scanner(scanner, scanner_options)
    plan = _Plan.of(df.columns, fields, id_column, None)
    for name in ("action", "brands"):
        if name in df.columns:
            raise ValueError(f"df already has a column `{name}`")
    key, state = _ship(df, scanner)
    schema = T.StructType(
        df.schema.fields
        + [
            T.StructField("action", T.StringType(), True),
            T.StructField("brands", T.ArrayType(T.StringType(), False), False),
        ]
    )

    def scan(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        s = _worker_scanner(key, state)
        for batch in batches:
            found = s._scan_batch(batch, plan, 0)
            actions: list = [None] * batch.num_rows
            brands: list = [[] for _ in range(batch.num_rows)]
            if found.num_rows:
                rows = found.column("row").to_pylist()
                acts = found.column("action").to_pylist()
                brs = found.column("brand").to_pylist()
                for r, a, b in zip(rows, acts, brs):
                    cur = actions[r]
                    if cur is None or _ACTIONS.index(a) > _ACTIONS.index(cur):
                        actions[r] = a
                    if b not in brands[r]:
                        brands[r].append(b)
            yield pa.RecordBatch.from_arrays(
                list(batch.columns)
                + [pa.array(actions, pa.string()), pa.array(brands, pa.list_(pa.string()))],
                names=list(batch.schema.names) + ["action", "brands"],
            )

    return df.mapInArrow(scan, schema)
