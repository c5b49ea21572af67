"""The Python API on its own: Arrow layouts, nulls, slices, pickling, errors."""

import pickle
import threading

import pyarrow as pa
import pytest

import brandscan
from conftest import DATA

RULES = ("mine.csv", "term,brand,action\nRolex,Rolex,remove\nGucci,Gucci,hide\nCoach,Coach,review\n")


@pytest.fixture(scope="module")
def scanner():
    return brandscan.Scanner(wordlists=[RULES])


def as_lists(result):
    return [None if v is None else [(f["start"], f["end"], f["matched"], f["brand"]) for f in v]
            for v in result.to_pylist()]


TEXTS = ["Strap for Rolex", None, "", "no brand here", "Gucci belt, ROLEX box", "耐克 Rolex"]
EXPECTED = [
    [(10, 15, "Rolex", "Rolex")],
    None,
    [],
    [],
    [(0, 5, "Gucci", "Gucci"), (12, 17, "ROLEX", "Rolex")],
    [(7, 12, "Rolex", "Rolex")],
]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string(), pa.string_view()])
def test_every_string_layout_gives_the_same_findings(scanner, kind):
    arr = pa.array(TEXTS, type=kind)
    out = scanner.scan_arrow(arr)
    assert out.type == pa.list_(pa.field("item", brandscan.FINDING_TYPE, False))
    assert len(out) == len(TEXTS)
    assert as_lists(out) == EXPECTED
    assert out.null_count == 1


def test_sliced_arrays_read_their_own_window(scanner):
    arr = pa.array(["Rolex"] + TEXTS + ["Gucci"])
    assert as_lists(scanner.scan_arrow(arr.slice(1, len(TEXTS)))) == EXPECTED
    assert as_lists(scanner.scan_arrow(arr.slice(len(TEXTS) + 1))) == [[(0, 5, "Gucci", "Gucci")]]
    view = pa.array(["x"] * 3 + TEXTS, type=pa.string_view()).slice(3)
    assert as_lists(scanner.scan_arrow(view)) == EXPECTED


def test_chunked_arrays_keep_their_chunks(scanner):
    chunked = pa.chunked_array([TEXTS[:2], TEXTS[2:]])
    out = scanner.scan_arrow(chunked)
    assert isinstance(out, pa.ChunkedArray)
    assert [len(c) for c in out.chunks] == [2, len(TEXTS) - 2]
    assert as_lists(out.combine_chunks()) == EXPECTED


def test_non_text_arrays_are_refused(scanner):
    with pytest.raises(TypeError, match="string"):
        scanner.scan_arrow(pa.array([1, 2]))
    with pytest.raises(TypeError):
        scanner.scan_arrow(["Rolex"])


def test_the_field_name_changes_how_text_is_read(scanner):
    # In a description, HTML is read as the text a shopper sees: a tag is not a word.
    html = pa.array(['<img src="rolex.jpg" alt="Gucci">'])
    body = as_lists(scanner.scan_arrow(html, field="Body (HTML)"))[0]
    assert [b for *_, b in body] == ["Gucci"]


def test_scan_table_columns_nulls_and_ids(scanner):
    table = pa.table({
        "sku": pa.array([101, 102, None, 104]),
        "title": ["Rolex watch", None, "Coach bag", ""],
        "description": [None, "for Gucci", "Coach", None],
        "price": [1.0, 2.0, 3.0, 4.0],
    })
    out = scanner.scan_table(table)
    assert out.schema == brandscan.OUTPUT_SCHEMA
    got = [(r["listing_id"], r["row"], r["field"], r["matched"]) for r in out.to_pylist()]
    assert got == [
        ("101", 1, "title", "Rolex"),
        ("102", 2, "description", "Gucci"),
        ("", 3, "title", "Coach"),
        ("", 3, "description", "Coach"),
    ]
    # Numbering from elsewhere, and explicit columns as --fields / --id-column.
    out = scanner.scan_table(table, fields=["description"], id_column="price", first_row=11)
    assert [(r["listing_id"], r["row"]) for r in out.to_pylist()] == [("2", 12), ("3", 13)]  # Arrow casts 2.0 to "2"


def test_scan_table_over_many_batches_numbers_rows_on(scanner):
    batch = pa.record_batch({"title": ["a", "Rolex", "b"]})
    table = pa.Table.from_batches([batch] * 3)
    out = scanner.scan_table(table)
    assert out.column("row").to_pylist() == [2, 5, 8]
    assert out.column("listing_id").to_pylist() == ["2", "5", "8"]
    assert scanner.scan_table(table.slice(0, 0)).num_rows == 0


def test_column_errors_are_the_clis(scanner):
    with pytest.raises(brandscan.CatalogError, match="field `nope` is not in the header"):
        scanner.scan_table(pa.table({"title": ["x"]}), fields=["nope"])
    with pytest.raises(brandscan.CatalogError, match="no text column to scan"):
        scanner.scan_table(pa.table({"price": [1]}))


def test_pandas_frames_go_through_arrow(scanner):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": ["A", "B"], "title": ["Rolex", None]})
    out = scanner.scan_table(pa.Table.from_pandas(df))
    assert out.column("listing_id").to_pylist() == ["A"]


def test_pickle_round_trip_rebuilds_the_same_scanner(scanner, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("Rolex\nOmega\n")
    s = brandscan.Scanner(wordlists=[path, RULES], authorized=["Gucci"], fuzzy=True)
    data = pickle.dumps(s)
    path.unlink()  # the copy travels with its lists' text, not their paths
    t = pickle.loads(data)
    assert t.fingerprint == s.fingerprint and t.options_key == s.options_key
    text = pa.array(["Omega Rolex Gucci"])
    assert t.scan_arrow(text).to_pylist() == s.scan_arrow(text).to_pylist()
    assert [f["brand"] for f in t.scan_arrow(text).to_pylist()[0]] == ["Omega", "Rolex"]
    # The default scanner (built-in lists) round-trips too.
    d = brandscan.Scanner()
    assert pickle.loads(pickle.dumps(d)).fingerprint == d.fingerprint


def test_word_list_errors_name_file_and_line(tmp_path):
    bad = DATA / "bad" / "wordlist_unknown_enum.csv"
    with pytest.raises(brandscan.WordListError) as err:
        brandscan.Scanner(wordlists=[bad])
    e = err.value
    assert isinstance(e, brandscan.Error)
    assert str(e).startswith(f"{bad}:{e.line}")
    assert e.path == str(bad) and isinstance(e.line, int) and e.line >= 2
    with pytest.raises(brandscan.WordListError, match=r"^inline\.csv:3"):
        brandscan.Scanner(wordlists=[("inline.csv", "term,action\nA,remove\nB,delete\n")])
    with pytest.raises(brandscan.FileError) as err:
        brandscan.Scanner(wordlists=[tmp_path / "missing.txt"])
    assert err.value.path == str(tmp_path / "missing.txt")
    with pytest.raises(brandscan.UsageError, match="no rules loaded"):
        brandscan.Scanner(builtin=False)
    with pytest.raises(brandscan.UsageError, match="compatible_action"):
        brandscan.Scanner(compatible_action="delete")


def test_word_list_errors_are_the_clis_message():
    from conftest import run_cli

    bad = DATA / "bad" / "wordlist_invalid_regex.csv"
    p = run_cli("scan", "--no-config", "--no-builtin", "-w", str(bad), str(DATA / "audit_catalog.csv"))
    assert p.returncode == 2
    with pytest.raises(brandscan.WordListError) as err:
        brandscan.Scanner(wordlists=[bad])
    assert str(err.value) in p.stderr


def test_config_fills_what_the_arguments_leave_unset(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "mine.txt").write_text("Zorblax\n")
    cfg = tmp_path / "brandscan.toml"
    cfg.write_text('wordlists = ["lists/mine.txt"]\nauthorized = ["Zorblax"]\n')
    s = brandscan.Scanner(config=cfg)
    assert s.rule_count == 1
    assert s.check(title="Zorblax")["verdict"] == "pass"  # authorized by the file
    s = brandscan.Scanner(config=cfg, authorized=["Other"])
    assert s.check(title="Zorblax")["verdict"] == "remove"
    cfg.write_text("colour = 1\n")
    with pytest.raises(brandscan.ConfigError, match=r"brandscan\.toml"):
        brandscan.Scanner(config=cfg)


def test_threads_share_one_scanner(scanner):
    arr = pa.array(["Rolex Gucci Coach " * 50] * 2000)
    want = scanner.scan_arrow(arr)
    results = [None] * 4

    def work(i):
        results[i] = scanner.scan_arrow(arr)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.equals(want) for r in results)


def test_scan_dataset_parquet_and_csv(scanner, tmp_path):
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    table = pa.table({"id": [f"L{i}" for i in range(1000)],
                      "title": ["Rolex" if i % 7 == 0 else "mug" for i in range(1000)]})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=100)
    want = scanner.scan_table(table)
    stats = brandscan.scan_dataset(tmp_path / "in.parquet", tmp_path / "out.parquet",
                                   scanner=scanner, batch_size=64)
    assert stats == {"rows": 1000, "findings": want.num_rows, "listings_flagged": want.num_rows}
    assert pq.read_table(tmp_path / "out.parquet").equals(want)
    pcsv.write_csv(table, tmp_path / "in.csv")
    brandscan.scan_dataset(tmp_path / "in.csv", tmp_path / "out.csv", scanner=scanner)
    got = pcsv.read_csv(tmp_path / "out.csv",
                        convert_options=pcsv.ConvertOptions(column_types=brandscan.OUTPUT_SCHEMA))
    assert got.to_pylist() == want.to_pylist()
    # A partitioned directory.
    (tmp_path / "part").mkdir()
    pq.write_to_dataset(table.append_column("shard", pa.array([i % 2 for i in range(1000)])),
                        tmp_path / "part", partition_cols=["shard"])
    stats = brandscan.scan_dataset(tmp_path / "part", tmp_path / "p.parquet", scanner=scanner)
    assert stats["rows"] == 1000 and stats["findings"] == want.num_rows
