"""brandscan: find brand and trademark words in marketplace listings.

The same engine, rules and findings as the ``brandscan`` command line, for Python,
pandas, Polars and Spark::

    import pyarrow as pa
    import brandscan

    scanner = brandscan.Scanner()                      # the built-in word lists
    scanner.check(title="Strap for Rolex")["verdict"]  # 'remove'
    table = pa.table({"id": ["A1"], "title": ["AAA Replica Gucci belt"]})
    findings = scanner.scan_table(table)               # the columns of `scan -f csv`

Text reaches the engine as Arrow arrays, read in place (no copy), and the GIL is released
while it is matched, so Python threads scan in parallel.
"""

from __future__ import annotations

import json
import os
import warnings
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Tuple, Union

import pyarrow as pa

from . import _brandscan
from ._brandscan import (
    CatalogError,
    ConfigError,
    Error,
    FileError,
    UsageError,
    WordListError,
)

__all__ = [
    "Scanner",
    "scan_dataset",
    "read_catalog",
    "OUTPUT_COLUMNS",
    "OUTPUT_SCHEMA",
    "FINDING_TYPE",
    "BadRowWarning",
    "CatalogWarning",
    "Error",
    "WordListError",
    "ConfigError",
    "CatalogError",
    "UsageError",
    "FileError",
]

__version__ = _brandscan.__version__

#: The columns of ``brandscan scan -f csv``, in order.
OUTPUT_COLUMNS: Tuple[str, ...] = tuple(_brandscan.output_columns())

_TEXT = ("matched", "term", "brand", "severity", "action", "match_kind", "context")

#: One finding in the lists :meth:`Scanner.scan_arrow` returns.
FINDING_TYPE = pa.struct(
    [pa.field("start", pa.int64(), nullable=False), pa.field("end", pa.int64(), nullable=False)]
    + [pa.field(n, pa.string(), nullable=False) for n in _TEXT]
)

#: The schema of :meth:`Scanner.scan_table`'s result: the columns of ``scan -f csv``.
OUTPUT_SCHEMA = pa.schema(
    [
        pa.field("listing_id", pa.string(), nullable=False),
        pa.field("row", pa.int64(), nullable=False),
        pa.field("field", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
    ]
    + [pa.field(n, pa.string(), nullable=False) for n in _TEXT]
)

WordList = Union[str, "os.PathLike[str]", Tuple[str, Union[str, bytes]]]


class BadRowWarning(UserWarning):
    """A catalog row that could not be read; the message names file, line and problem."""


class CatalogWarning(UserWarning):
    """Something about a catalog a user should know (no id column, a repeated column
    name), as the command line warns on stderr."""


class _Capsules:
    """An Arrow array handed over as ``__arrow_c_array__`` capsules."""

    __slots__ = ("_capsules",)

    def __init__(self, capsules: Tuple[Any, Any]) -> None:
        self._capsules = capsules

    def __arrow_c_array__(self, requested_schema: Any = None) -> Tuple[Any, Any]:
        return self._capsules


def _capsules(array: Any) -> Tuple[Any, Any]:
    if not hasattr(array, "__arrow_c_array__"):
        raise TypeError(
            f"expected an Arrow array (pyarrow, Polars, ...), found {type(array).__name__}"
        )
    return array.__arrow_c_array__()


def _as_text(array: pa.Array) -> pa.Array:
    """A column as Arrow text: string layouts as they are, anything else cast to string
    (a catalog cell is text to the command line)."""
    t = array.type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return array
    if pa.types.is_dictionary(t):
        return _as_text(array.dictionary_decode())
    return array.cast(pa.string())


def _table_of_capsules(headers: Sequence[str], arrays: Sequence[Any]) -> pa.Table:
    return pa.table({h: pa.array(_Capsules(a)) for h, a in zip(headers, arrays)})


class Scanner:
    """A compiled set of word lists: the command line's rule options as arguments.

    Args:
        wordlists: word lists, each a path (``.csv`` or ``.txt``, as ``-w``) or a
            ``(name, text)`` pair for a list held in memory; ``name``'s extension picks the
            format and names the list in errors.
        builtin: ``None`` (the command line's default): the built-in lists when no word
            list is given; ``True`` adds them to ``wordlists`` (``--builtin``); ``False``
            turns them off (``--no-builtin``).
        authorized: brands whose findings are dropped (``--authorized``).
        evasion: read look-alike letters, digits for letters and spaced letters
            (``--no-evasion`` is ``False``).
        fuzzy: also report one-edit misspellings of long terms (``--fuzzy``).
        compatible_action: ``"remove"``, ``"hide"`` or ``"review"`` for findings in a
            compatible-use context (``--compatible-action``).
        config: a ``brandscan.toml``; its ``wordlists``, ``builtin``/``no_builtin`` and
            ``authorized`` fill in what the arguments leave unset, as for the command line.
        max_automaton_mb: refuse word lists whose automaton would need more memory.

    Raises:
        WordListError: a bad word list; the message and ``path``/``line``/``column``
            attributes name the place, as the command line's error does.

    A scanner is immutable and thread-safe. It pickles as its word lists' text and
    options, so a Spark or Dask worker rebuilds the same scanner (checked by
    :attr:`fingerprint`) without the files.

    >>> s = Scanner(wordlists=[("mine.txt", "Rolex\\n")])
    >>> s.check(title="Strap for Rolex")["verdict"]
    'remove'
    """

    __slots__ = ("_engine",)

    def __init__(
        self,
        wordlists: Optional[Iterable[WordList]] = None,
        builtin: Optional[bool] = None,
        authorized: Optional[Iterable[str]] = None,
        evasion: bool = True,
        fuzzy: bool = False,
        compatible_action: Optional[str] = None,
        config: Union[str, "os.PathLike[str]", None] = None,
        max_automaton_mb: int = 512,
    ) -> None:
        lists = list(wordlists) if wordlists is not None else None
        authorized = list(authorized) if authorized is not None else None
        if config is not None:
            cfg = _load_config(os.fspath(config))
            if not lists:
                lists = cfg.get("wordlists") or None
            if builtin is None:
                builtin = cfg.get("builtin")
            if not authorized:
                authorized = cfg.get("authorized")
        sources = []
        for item in lists or ():
            if isinstance(item, tuple):
                name, text = item
                data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
                sources.append((str(name), data))
            else:
                sources.append((os.fspath(item), None))
        self._engine = _brandscan.Engine(
            sources,
            builtin,
            list(authorized or ()),
            bool(evasion),
            bool(fuzzy),
            compatible_action,
            int(max_automaton_mb),
        )

    # Pickling: the word lists' bytes and the options travel; the automaton is rebuilt.
    def __getstate__(self) -> Tuple[Any, str]:
        return (self._engine.state(), self.fingerprint)

    def __setstate__(self, state: Tuple[Any, str]) -> None:
        args, fingerprint = state
        self._engine = _brandscan.Engine(*args)
        if self._engine.fingerprint != fingerprint:
            raise Error(
                f"rebuilt scanner has fingerprint {self._engine.fingerprint}, "
                f"not {fingerprint}: the built-in lists differ between versions"
            )

    @property
    def fingerprint(self) -> str:
        """The word-list fingerprint every command-line report carries (``sha256:…``)."""
        return self._engine.fingerprint

    @property
    def rule_count(self) -> int:
        """Rules loaded, after duplicates were merged."""
        return self._engine.rule_count

    @property
    def options_key(self) -> str:
        """The fingerprint and the options: equal keys scan alike (a worker cache key)."""
        sources, builtin, authorized, evasion, fuzzy, compat, mb = self._engine.state()
        return json.dumps([self.fingerprint, sorted(authorized), evasion, fuzzy, compat, mb])

    def __repr__(self) -> str:
        return f"<brandscan.Scanner {self.rule_count} rules {self.fingerprint}>"

    def check(
        self,
        title: Optional[str] = None,
        description: Optional[str] = None,
        *,
        id: str = "",
        **fields: str,
    ) -> dict:
        """Check one listing: exactly the object ``brandscan check --format json`` prints,
        ``{"verdict": "remove|hide|review|pass", "findings": [...]}``.

        ``title`` and ``description`` are scanned first, then ``fields`` in the order
        given; ``None`` values are skipped. ``id`` is carried into each finding's
        ``listing_id``.

        >>> Scanner(wordlists=[("l.txt", "Gucci\\n")]).check(title="plain mug")
        {'verdict': 'pass', 'findings': []}
        """
        pairs = []
        for name, value in (("title", title), ("description", description), *fields.items()):
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(f"field {name!r} must be str, not {type(value).__name__}")
            pairs.append((name, value))
        return json.loads(self._engine.check_json(str(id), pairs))

    def scan_arrow(self, array: Any, field: str = "title") -> Union[pa.Array, pa.ChunkedArray]:
        """Findings per row of a text array: ``list<struct<start, end, matched, term, brand,
        severity, action, match_kind, context>>``, one list per input row (null for a null
        row, empty for a row without findings).

        ``array``: a ``string``, ``large_string`` or ``string_view`` array (pyarrow, or any
        object with ``__arrow_c_array__``), sliced or not, or a ``pyarrow.ChunkedArray``
        (the result is then chunked alike). The text is read in place and the GIL is
        released while it is matched.

        ``field`` is the column's name, which matters as it does for the command line: HTML
        in ``body``/``description`` columns is read as text, and tag and keyword columns
        are read as lowercase by habit.
        """
        if isinstance(array, pa.ChunkedArray):
            chunks = [self.scan_arrow(c, field) for c in array.chunks]
            return pa.chunked_array(chunks, type=pa.list_(pa.field("item", FINDING_TYPE, False)))
        out = self._engine.scan_array(field, *_capsules(array))
        return pa.array(_Capsules(out))

    def scan_table(
        self,
        table: Union[pa.Table, pa.RecordBatch],
        fields: Optional[Sequence[str]] = None,
        id_column: Optional[str] = None,
        *,
        row_column: Optional[str] = None,
        first_row: int = 1,
    ) -> pa.Table:
        """Findings of every row of ``table``, in the columns of ``brandscan scan -f csv``
        (:data:`OUTPUT_COLUMNS`; ``row``, ``start`` and ``end`` as int64).

        Columns are chosen as the command line chooses them: ``fields`` and ``id_column``
        (``--fields``, ``--id-column``), or detected from the column names. ``row`` numbers
        the rows from ``first_row``, or is read from the int64 column ``row_column``
        (which is then never scanned). Without an id column the row number is the id.
        A column that is not text is cast to string first.

        pandas: ``scan_table(pa.Table.from_pandas(df))``; Polars: ``scan_table(df.to_arrow())``.
        """
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        plan = _Plan.of(table.column_names, fields, id_column, row_column)
        batches = []
        row = first_row
        for batch in table.to_batches():
            batches.append(self._scan_batch(batch, plan, row))
            row += batch.num_rows
        if not batches:
            return OUTPUT_SCHEMA.empty_table()
        return pa.Table.from_batches(batches, schema=OUTPUT_SCHEMA)

    def iter_scan_batches(
        self,
        batches: Iterable[pa.RecordBatch],
        fields: Optional[Sequence[str]] = None,
        id_column: Optional[str] = None,
        *,
        row_column: Optional[str] = None,
        first_row: int = 1,
    ) -> Iterator[pa.RecordBatch]:
        """:meth:`scan_table` over a stream of record batches, one batch of findings per
        batch in (empty ones included): memory stays bounded by the batch size."""
        plan = None
        row = first_row
        for batch in batches:
            if plan is None:
                plan = _Plan.of(batch.schema.names, fields, id_column, row_column)
            yield self._scan_batch(batch, plan, row)
            row += batch.num_rows

    def _scan_batch(self, batch: pa.RecordBatch, plan: "_Plan", first_row: int) -> pa.RecordBatch:
        cols = batch.columns
        id_caps = _capsules(_as_text(cols[plan.id_index])) if plan.id_index is not None else None
        field_caps = [(name, *_capsules(_as_text(cols[i]))) for i, name in plan.fields]
        rows = None
        if plan.row_index is not None:
            rows = _capsules(cols[plan.row_index].cast(pa.int64()))
        out = self._engine.scan_columns(id_caps, field_caps, first_row, rows)
        return pa.record_batch(_Capsules(out))


class _Plan:
    """Which columns of a table are the id, the fields and the row numbers."""

    __slots__ = ("id_index", "fields", "row_index")

    def __init__(self, id_index, fields, row_index):
        self.id_index = id_index
        self.fields = fields
        self.row_index = row_index

    @classmethod
    def of(cls, names, fields, id_column, row_column) -> "_Plan":
        names = list(names)
        row_index = None
        if row_column is not None:
            if row_column not in names:
                raise CatalogError(f"row column `{row_column}` is not in the table")
            row_index = names.index(row_column)
        # The row column is no catalog column: hide it from detection.
        headers = [("" if i == row_index else n) for i, n in enumerate(names)]
        id_index, chosen = _brandscan.detect_columns(
            headers, list(fields) if fields is not None else None, id_column
        )
        return cls(id_index, chosen, row_index)


def _load_config(path: str) -> Mapping[str, Any]:
    """The rule options of a ``brandscan.toml``, read and checked by the library."""
    return json.loads(_brandscan.config_rule_options(path))


def read_catalog(
    path: Union[str, "os.PathLike[str]"],
    *,
    id_column: Optional[str] = None,
    fields: Optional[Sequence[str]] = None,
    delimiter: Optional[str] = None,
    encoding: Optional[str] = None,
    sheet: Optional[str] = None,
    row_column: Optional[str] = None,
) -> pa.Table:
    """Read a catalog export with the command line's reader (CSV/TSV with the delimiter
    detected, ``.gz``, ``.xlsx``, JSON Lines, ``encoding="gb18030"``) into a table of
    string columns, one per header column.

    Rows the command line would reject are left out, each with a :class:`BadRowWarning`
    naming file, line and problem. ``row_column`` adds a first column of each row's
    number in the file, so ``scan_table(t, row_column=...)`` numbers rows as ``scan`` does.
    """
    headers, arrays, rows, bad, notices = _brandscan.read_catalog(
        os.fspath(path),
        id_column,
        list(fields) if fields is not None else None,
        delimiter,
        encoding,
        sheet,
    )
    for message in notices:
        if ": warning: " in message:
            warnings.warn(message, CatalogWarning, stacklevel=2)
    for message in bad:
        warnings.warn(message, BadRowWarning, stacklevel=2)
    table = _table_of_capsules(headers, arrays) if len(set(headers)) == len(headers) else pa.Table.from_arrays(
        [pa.array(_Capsules(a)) for a in arrays], names=headers
    )
    if row_column is not None:
        if row_column in headers:
            raise CatalogError(f"row column `{row_column}` is already a column of {os.fspath(path)}")
        table = table.add_column(0, row_column, pa.array(_Capsules(rows)))
    return table


def scan_dataset(
    source: Union[str, "os.PathLike[str]", Any],
    output: Union[str, "os.PathLike[str]"],
    *,
    scanner: Optional[Scanner] = None,
    fields: Optional[Sequence[str]] = None,
    id_column: Optional[str] = None,
    format: Optional[str] = None,
    output_format: Optional[str] = None,
    batch_size: int = 65536,
    threads: Optional[int] = None,
    **scanner_options: Any,
) -> dict:
    """Scan a Parquet or CSV file, or a (partitioned) directory of them, through
    ``pyarrow.dataset`` in record batches of ``batch_size`` rows (bounded memory), and
    write the findings to ``output`` as Parquet or CSV (from its extension, or
    ``output_format``) in the columns of ``scan -f csv``.

    ``source`` may also be a ``pyarrow.dataset.Dataset``. ``format`` is the input's
    (``"parquet"`` or ``"csv"``; from the extension when not given). The scanner is
    ``scanner`` or one built from ``scanner_options`` (the arguments of :class:`Scanner`).
    Rows are numbered from 1 in the dataset's order. ``threads`` batches are scanned at
    once (default: one per core; the GIL is released while matching), and the findings are
    written in input order.

    Returns counts: ``{"rows": ..., "findings": ..., "listings_flagged": ...}``.
    """
    import pyarrow.dataset as ds

    if scanner is None:
        scanner = Scanner(**scanner_options)
    elif scanner_options:
        raise TypeError("give either scanner or scanner options, not both")
    if isinstance(source, ds.Dataset):
        dataset = source
    else:
        src = os.fspath(source)
        if format is None:
            format = "csv" if src.lower().endswith((".csv", ".csv.gz", ".tsv")) else "parquet"
        dataset = ds.dataset(src, format=format, partitioning="hive")
    out = os.fspath(output)
    if output_format is None:
        output_format = "csv" if out.lower().endswith(".csv") else "parquet"
    if output_format not in ("csv", "parquet"):
        raise UsageError(f"output_format must be `csv` or `parquet`, not `{output_format}`")
    plan = _Plan.of(dataset.schema.names, fields, id_column, None)
    needed = sorted({i for i, _ in plan.fields} | ({plan.id_index} if plan.id_index is not None else set()))
    names = [dataset.schema.names[i] for i in needed]
    # Only the id and the scanned columns are read.
    remap = {old: new for new, old in enumerate(needed)}
    plan = _Plan(
        remap[plan.id_index] if plan.id_index is not None else None,
        [(remap[i], name) for i, name in plan.fields],
        None,
    )
    rows = findings = flagged = 0
    tmp = out + ".tmp"
    writer = None
    try:
        if output_format == "parquet":
            import pyarrow.parquet as pq

            writer = pq.ParquetWriter(tmp, OUTPUT_SCHEMA)
        else:
            import pyarrow.csv as pcsv

            writer = pcsv.CSVWriter(
                tmp, OUTPUT_SCHEMA, write_options=pcsv.WriteOptions(quoting_style="needed")
            )
        def write(found: pa.RecordBatch) -> None:
            nonlocal findings, flagged
            findings += found.num_rows
            if found.num_rows:
                flagged += len(set(found.column(1).to_pylist()))
                writer.write_batch(found)

        workers = threads or os.cpu_count() or 1
        with ThreadPoolExecutor(workers) as pool:
            # A bounded window of batches in flight: memory stays a few batches.
            pending: deque = deque()
            for batch in dataset.to_batches(columns=names, batch_size=batch_size):
                pending.append(pool.submit(scanner._scan_batch, batch, plan, rows + 1))
                rows += batch.num_rows
                if len(pending) >= 2 * workers:
                    write(pending.popleft().result())
            while pending:
                write(pending.popleft().result())
        writer.close()
        writer = None
        os.replace(tmp, out)
    finally:
        if writer is not None:
            writer.close()
        if os.path.exists(tmp):
            os.remove(tmp)
    return {"rows": rows, "findings": findings, "listings_flagged": flagged}
