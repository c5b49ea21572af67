//! Regression tests, named after the bug they pin; inputs found by the fuzzers in
//! `fuzz/` live in `tests/data/fuzz/`.

use crate::util::*;

/// fuzz `catalog`: a damaged workbook whose cell reference has so many column letters
/// that calamine's column arithmetic overflows. With overflow checks (debug builds) it
/// panicked on the reading thread, and the closed channel read as the end of the sheet:
/// "no rows" instead of "damaged". Without them the column wrapped to any number, and
/// padding a row out to it could take unbounded memory.
#[test]
fn fuzz_calamine_column_overflow_is_an_error_not_a_crash() {
    let r = run(brandscan()
        .arg("scan")
        .arg(data("fuzz/calamine_column_overflow.xlsx")));
    assert_ne!(r.code, 101, "panicked: {}", r.stderr);
    if cfg!(debug_assertions) {
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("calamine_column_overflow.xlsx:1: cannot read past this line: sheet `Listings` is damaged"),
            "{}",
            r.stderr
        );
    }
}
