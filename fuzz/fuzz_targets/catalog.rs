//! The catalog reader on any bytes, as every format: no panic, no unbounded memory, rows
//! numbered 1, 2, 3… and lines strictly increasing, and every record with the header's
//! field count and no field over the limit.
#![no_main]

use brandscan::catalog::{CatalogOptions, CatalogReader, RawRecord, ReadOutcome};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = ["f.csv", "f.tsv", "f.jsonl", "f.xlsx", "f.csv.gz", "-"];

/// libFuzzer's panic hook aborts on every panic, even one that is caught. brandscan
/// catches calamine's panics on damaged workbooks by design (they become errors), so
/// let those unwind to the `catch_unwind`; any other panic still aborts.
fn let_calamine_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                abort_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_calamine_panics_unwind();
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let opts = CatalogOptions {
        // A small limit, so the long-field and runaway-quote paths run on small inputs.
        max_field_bytes: Some(64),
        header_row: (selector & 0x80 != 0).then_some(u64::from(selector & 0x03) + 1),
        fields: (selector & 0x40 != 0).then(|| vec!["b".to_string()]),
        ..Default::default()
    };
    let Ok(mut reader) =
        CatalogReader::from_reader(name, Box::new(std::io::Cursor::new(bytes.to_vec())), &opts)
    else {
        return;
    };
    let want = reader.columns().headers.len();
    let mut rec = RawRecord::default();
    let mut row = 0;
    let mut line = reader.header_line();
    loop {
        match reader.read(&mut rec) {
            Ok(ReadOutcome::Eof) | Err(_) => break,
            Ok(ReadOutcome::Record) => {
                row += 1;
                assert_eq!(rec.row, row);
                assert!(rec.line > line, "line {} after {line}", rec.line);
                line = rec.line;
                assert_eq!(rec.record.len(), want);
                assert!(rec.record.iter().all(|f| f.len() <= 64));
            }
            Ok(ReadOutcome::Bad(bad)) => {
                row += 1;
                assert_eq!(bad.row, row);
                assert!(bad.line > line, "line {} after {line}", bad.line);
                line = bad.line;
                assert!(!bad.reason.is_empty());
            }
        }
        assert!(row <= bytes.len() as u64 + 1, "more rows than bytes");
    }
    let _ = reader.take_notices();
});
