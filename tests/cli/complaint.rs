//! After a complaint: `audit --brand X --terms F` and `fix --brand X --terms F` select the
//! same rules, so fix treats exactly the findings the audit reports.

use crate::util::{brandscan, csv_rows, run};
use std::collections::BTreeSet;

#[test]
fn fix_with_terms_treats_what_audit_with_terms_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("c.csv");
    std::fs::write(
        &catalog,
        "id,title,description\n\
         1,Stanley Quencher Tumbler 40oz,Insulated cup for travel\n\
         2,Quencher H2.0 FlowState tumbler,great mug\n\
         3,Steel cup 40oz,FlowState lid and straw\n\
         4,Nike socks,Nike crew socks\n\
         5,Plain tumbler,no brand here\n",
    )
    .expect("write");
    let terms = dir.path().join("stanley_terms.txt");
    std::fs::write(&terms, "Quencher\nFlowState\n").expect("write");
    let audit = run(brandscan()
        .args(["audit", "--brand", "Stanley", "--terms"])
        .arg(&terms)
        .arg(&catalog));
    assert_eq!(audit.code, 1, "{}", audit.stderr);
    let audited: BTreeSet<(String, String)> = csv_rows(&audit.stdout)
        .into_iter()
        .map(|r| (r["listing_id"].clone(), r["field"].clone()))
        .collect();
    assert!(audited.contains(&("3".into(), "description".into())));
    assert!(!audited.iter().any(|(id, _)| id == "4"), "{audited:?}");

    let out = dir.path().join("out.csv");
    let changes = dir.path().join("changes.csv");
    let left = dir.path().join("left.csv");
    let fix = run(brandscan()
        .args(["fix", "--brand", "Stanley", "--terms"])
        .arg(&terms)
        .arg(&catalog)
        .arg("-o")
        .arg(&out)
        .arg("--changes")
        .arg(&changes)
        .arg("--left")
        .arg(&left));
    assert!(fix.code <= 1, "{}", fix.stderr);
    let mut treated: BTreeSet<(String, String)> =
        csv_rows(&std::fs::read_to_string(&changes).unwrap())
            .into_iter()
            .map(|r| (r["listing_id"].clone(), r["field"].clone()))
            .collect();
    let left_ids: BTreeSet<String> = csv_rows(&std::fs::read_to_string(&left).unwrap())
        .into_iter()
        .map(|r| r["listing_id"].clone())
        .collect();
    // A listing left for a person counts for every field the audit names in it.
    treated.extend(
        audited
            .iter()
            .filter(|(id, _)| left_ids.contains(id))
            .cloned(),
    );
    assert_eq!(treated, audited, "{}", fix.stderr);
    // The complaint's terms are gone from the cleaned catalog; other brands are not touched.
    let cleaned = std::fs::read_to_string(&out).unwrap();
    assert!(
        !cleaned.contains("FlowState") && !cleaned.contains("Quencher"),
        "{cleaned}"
    );
    assert!(
        cleaned.contains("4,Nike socks,Nike crew socks"),
        "{cleaned}"
    );
}

#[test]
fn fix_terms_needs_a_brand() {
    let r = run(brandscan().args(["fix", "--terms", "t.txt", "c.csv", "-o", "o.csv"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--brand"), "{}", r.stderr);
}

#[test]
fn outputs_side_by_side_in_a_relative_directory_are_not_taken_for_a_killed_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("c.csv"), "id,title\n1,Rolex strap\n").expect("write");
    let r = run(brandscan().current_dir(dir.path()).args([
        "fix",
        "c.csv",
        "-o",
        "out.csv",
        "--changes",
        "changes.csv",
        "--left",
        "left.csv",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("temporary file"), "{}", r.stderr);
}

#[test]
fn fix_leaves_no_chinese_connective_dangling_before_a_number_or_an_edge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("c.csv");
    std::fs::write(
        &input,
        "id,title\n\
         1,PS5手柄 适用于索尼PlayStation5 无线\n\
         2,充电线 配iPhone，快充\n\
         3,手柄适用于索尼\n\
         4,纯棉T恤 搭配耐克，运动裤\n",
    )
    .expect("write");
    let out = dir.path().join("out.csv");
    let r = run(brandscan().arg("fix").arg(&input).arg("-o").arg(&out));
    assert!(r.code <= 1, "{}", r.stderr);
    let rows = csv_rows(&std::fs::read_to_string(&out).unwrap());
    let titles: Vec<&str> = rows.iter().map(|r| r["title"].as_str()).collect();
    assert_eq!(
        titles,
        [
            "手柄 5 无线",
            "充电线，快充",
            "手柄",
            "纯棉T恤 搭配，运动裤"
        ]
    );
}
