//! Reader tests across formats: header detection, notices, bad rows, gzip.

use super::*;

fn reader(data: &str, opts: &CatalogOptions) -> Result<CatalogReader> {
    reader_named("t.csv", data.as_bytes(), opts)
}

fn reader_named(name: &str, data: &[u8], opts: &CatalogOptions) -> Result<CatalogReader> {
    CatalogReader::from_reader(name, Box::new(io::Cursor::new(data.to_vec())), opts)
}

/// Every outcome as `(row, line, first field or reason)`.
fn outcomes(r: &mut CatalogReader) -> Vec<(u64, u64, String)> {
    let mut rec = RawRecord::default();
    let mut out = Vec::new();
    loop {
        match r.read(&mut rec).unwrap() {
            ReadOutcome::Eof => return out,
            ReadOutcome::Record => out.push((
                rec.row,
                rec.line,
                String::from_utf8_lossy(&rec.record[0]).into_owned(),
            )),
            ReadOutcome::Bad(b) => out.push((b.row, b.line, format!("BAD {}", b.reason))),
        }
    }
}

#[test]
fn columns_detected_from_header() {
    let r = reader(
        "SKU,Item Name,brand_name,Bullet Point 1,price,Main Image URL\n",
        &CatalogOptions::default(),
    )
    .unwrap();
    let c = r.columns();
    assert_eq!(c.id.as_ref().map(|c| c.index), Some(0));
    let names: Vec<&str> = c.fields.iter().map(|f| &*f.name).collect();
    assert_eq!(names, ["Item Name", "Bullet Point 1", "Main Image URL"]);
}

#[test]
fn explicit_columns_must_exist() {
    let opts = CatalogOptions {
        id_column: Some("code".into()),
        ..Default::default()
    };
    let e = reader("sku,title\n", &opts).unwrap_err().to_string();
    assert!(e.contains("code") && e.contains("t.csv"), "{e}");
}

#[test]
fn bom_is_stripped_and_bad_rows_reported() {
    let mut r = reader(
        "\u{FEFF}id,title\n1,Nike\n2,too,many\n3,ok\n",
        &CatalogOptions::default(),
    )
    .unwrap();
    assert_eq!(r.columns().id.as_ref().map(|c| &*c.name), Some("id"));
    let got = outcomes(&mut r);
    assert_eq!(got[0], (1, 2, "1".to_string()));
    assert_eq!((got[1].0, got[1].1), (2, 3));
    assert!(
        got[1].2.contains("expected 2 fields, found 3"),
        "{}",
        got[1].2
    );
    assert_eq!(got[2], (3, 4, "3".to_string()));
    assert_eq!(got.len(), 3);
}

#[test]
fn empty_file_is_an_error() {
    let e = reader("", &CatalogOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("empty"), "{e}");
    let e = reader("\n\r\n", &CatalogOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no rows"), "{e}");
}

#[test]
fn header_only_is_a_warning_at_the_end() {
    let mut r = reader("id,title\n", &CatalogOptions::default()).unwrap();
    assert!(r.take_notices().is_empty());
    assert!(outcomes(&mut r).is_empty());
    let n = r.take_notices();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].level, NoticeLevel::Warning);
    assert!(
        n[0].to_string()
            .starts_with("t.csv:1: warning: no data rows"),
        "{}",
        n[0]
    );
}

#[test]
fn gzip_is_decompressed() {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(b"id\ttitle\n1\tNike\n").unwrap();
    let gz = enc.finish().unwrap();
    let mut r = reader_named("x.tsv.gz", &gz, &CatalogOptions::default()).unwrap();
    assert_eq!(r.delimiter(), b'\t');
    let mut rec = RawRecord::default();
    assert!(matches!(r.read(&mut rec).unwrap(), ReadOutcome::Record));
    assert_eq!(&rec.record[1], b"Nike");
}

#[test]
fn truncated_gzip_fails_with_the_file_and_line() {
    use flate2::write::GzEncoder;
    use std::io::Write;
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    writeln!(enc, "id,title").unwrap();
    for i in 0..5000 {
        writeln!(enc, "{i},Nike shoe number {i} with a long description").unwrap();
    }
    let gz = enc.finish().unwrap();
    let mut r = reader_named("x.csv.gz", &gz[..gz.len() / 2], &CatalogOptions::default()).unwrap();
    let mut rec = RawRecord::default();
    let err = loop {
        match r.read(&mut rec) {
            Ok(ReadOutcome::Eof) => panic!("a truncated stream read to the end"),
            Ok(_) => {}
            Err(e) => break e.to_string(),
        }
    };
    assert!(
        err.starts_with("x.csv.gz:") && err.contains("cannot read past this line"),
        "{err}"
    );
}

#[test]
fn amazon_template_rows_are_skipped() {
    let data = "TemplateType=fptcustom\tVersion=2021.1\tTemplateSignature=abc\n\
                SKU\tProduct Name\tBrand Name\n\
                item_sku\titem_name\tbrand_name\n\
                A1\tNike shoe\tAcme\n";
    let mut r = reader_named("flat.txt", data.as_bytes(), &CatalogOptions::default()).unwrap();
    assert_eq!(r.header_line(), 3);
    assert_eq!(r.columns().id.as_ref().map(|c| &*c.name), Some("item_sku"));
    let notes = r.take_notices();
    assert!(
        notes[0].message.contains("Amazon template metadata"),
        "{notes:?}"
    );
    assert_eq!(outcomes(&mut r), [(1, 4, "A1".to_string())]);
}

#[test]
fn a_title_row_above_the_header_is_skipped() {
    let data = "Inventory report 2024-05-01\nsku,title\nA1,Nike\nA2,Adidas\n";
    let mut r = reader(data, &CatalogOptions::default()).unwrap();
    assert_eq!(r.header_line(), 2);
    assert_eq!(
        outcomes(&mut r),
        [(1, 3, "A1".to_string()), (2, 4, "A2".to_string())]
    );
}

#[test]
fn explicit_header_row() {
    let data = "junk,junk\n\"more\njunk\"\n\nsku,title\nA1,Nike\n";
    let opts = CatalogOptions {
        header_row: Some(4),
        ..Default::default()
    };
    // Line 4 is blank: the header is the first record from line 4 on.
    let mut r = reader(data, &opts).unwrap();
    assert_eq!(r.header_line(), 5);
    assert_eq!(outcomes(&mut r), [(1, 6, "A1".to_string())]);
    let opts = CatalogOptions {
        header_row: Some(9),
        ..Default::default()
    };
    let e = reader(data, &opts).unwrap_err().to_string();
    assert!(
        e.contains("--header-row 9, but the file ends before line 9"),
        "{e}"
    );
}

#[test]
fn no_header_anywhere_names_the_first_row_and_the_search() {
    let e = reader("a,b\n1,2\n3,4\n", &CatalogOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.csv:1: no text column"), "{e}");
    assert!(e.contains("--header-row"), "{e}");
}

#[test]
fn utf16_without_bom_is_explained() {
    let bytes: Vec<u8> = "id,title\n1,Nike\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let e = reader_named("t.csv", &bytes, &CatalogOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("NUL bytes") && e.contains("--encoding utf-16le"),
        "{e}"
    );
    let opts = CatalogOptions {
        encoding: Some("utf-16le".into()),
        ..Default::default()
    };
    let mut r = reader_named("t.csv", &bytes, &opts).unwrap();
    assert_eq!(r.columns().encoding, Some("UTF-16LE"));
    assert_eq!(outcomes(&mut r), [(1, 2, "1".to_string())]);
}

#[test]
fn legacy_xls_is_refused_by_name() {
    let e = reader_named(
        "old.xls",
        b"\xD0\xCF\x11\xE0rest",
        &CatalogOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains(".xls workbook"), "{e}");
}

#[test]
fn jsonl_is_read_by_key_and_sniffed_on_stdin() {
    let mut data =
        "{\"sku\":\"A1\",\"title\":\"Nike\"}\n\n{\"title\":\"Adidas\",\"sku\":\"A2\"}\nnot json\n"
            .to_string();
    for i in 0..jsonl::KEY_SAMPLE {
        data.push_str(&format!("{{\"sku\":\"B{i}\",\"title\":\"x\"}}\n"));
    }
    data.push_str("{\"sku\":\"C1\",\"title\":\"x\",\"late\":\"y\"}\n");
    let mut r = reader_named("-", data.as_bytes(), &CatalogOptions::default()).unwrap();
    assert_eq!(r.format(), InputFormat::Jsonl);
    assert_eq!(r.columns().headers, ["sku", "title"]);
    let got = outcomes(&mut r);
    assert_eq!(got[0], (1, 1, "A1".to_string()));
    assert_eq!(got[1], (2, 3, "A2".to_string()));
    assert_eq!((got[2].0, got[2].1), (3, 4));
    assert!(
        got[2].2.starts_with("BAD invalid JSON at column"),
        "{}",
        got[2].2
    );
    let last = got.last().unwrap();
    let last_line = 5 + jsonl::KEY_SAMPLE as u64;
    assert_eq!(
        *last,
        (
            3 + 1 + jsonl::KEY_SAMPLE as u64,
            last_line,
            "C1".to_string()
        )
    );
    let notes = r.take_notices();
    assert!(
        notes
            .iter()
            .any(|n| n.message.contains("key `late`") && n.location.line == Some(last_line)),
        "{notes:?}"
    );
}

#[test]
fn a_long_field_in_any_format_is_a_bad_row() {
    let opts = CatalogOptions {
        max_field_bytes: Some(16),
        ..Default::default()
    };
    let data =
        "{\"id\":\"1\",\"title\":\"short\"}\n{\"id\":\"2\",\"title\":\"much, much too long\"}\n";
    let mut r = reader_named("x.jsonl", data.as_bytes(), &opts).unwrap();
    let got = outcomes(&mut r);
    assert!(
        got[1].2.contains("column `title` is longer than 16 bytes"),
        "{got:?}"
    );
}

#[test]
fn human_sizes() {
    assert_eq!(human_bytes(8 << 20), "8 MiB");
    assert_eq!(human_bytes(4096), "4 KiB");
    assert_eq!(human_bytes(100), "100 bytes");
}

/// fuzz `catalog`: JSON Lines has no header row, so its first object is on line 1 and
/// `header_line()` must not claim line 1 for a header.
#[test]
fn jsonl_has_no_header_line() {
    let mut r = reader_named(
        "x.jsonl",
        b"{\"id\":\"1\",\"title\":\"a\"}\n",
        &CatalogOptions::default(),
    )
    .unwrap();
    assert_eq!(r.header_line(), 0);
    assert_eq!(outcomes(&mut r), [(1, 1, "1".to_string())]);
}
