//! Chinese marketplace exports (`tests/data/taobao_export.csv` and its GB18030 twin,
//! made by `tests/data/make_fixtures.py`): Chinese headers, compatible-use and
//! counterfeit wording in Chinese, and the encoding hint (SPEC §2, §3).

use crate::util::*;

/// `(listing_id, field, matched, brand, context)` of each finding of a built-in scan.
fn scan_builtin(file: &str, extra: &[&str]) -> (Run, Vec<[String; 5]>) {
    let r = run(brandscan()
        .args(["--no-config", "scan", "--fail-on", "never"])
        .args(extra)
        .arg(data(file)));
    let found = if r.stdout.is_empty() {
        Vec::new()
    } else {
        csv_rows(&r.stdout)
            .into_iter()
            .map(|row| {
                ["listing_id", "field", "matched", "brand", "context"].map(|k| row[k].clone())
            })
            .collect()
    };
    (r, found)
}

const EXPECTED: &[[&str; 5]] = &[
    // 苹果 is Apple's Chinese name (`review` alone, as the fruit too); here compatible.
    ["CN001", "商品标题", "苹果", "Apple", "compatible"],
    ["CN001", "商品标题", "iPhone", "Apple", "compatible"],
    // Counterfeit wording is a finding of its own.
    [
        "CN002",
        "商品标题",
        "高仿",
        "(counterfeit wording)",
        "counterfeit",
    ],
    ["CN002", "商品标题", "古驰", "Gucci", "counterfeit"],
    ["CN003", "商品标题", "乐高", "LEGO", "compatible"],
    [
        "CN004",
        "商品标题",
        "精仿",
        "(counterfeit wording)",
        "counterfeit",
    ],
    ["CN004", "商品标题", "劳力士", "Rolex", "counterfeit"],
    [
        "CN005",
        "商品标题",
        "莆田",
        "(counterfeit wording)",
        "counterfeit",
    ],
    ["CN005", "商品标题", "耐克", "Nike", "counterfeit"],
    [
        "CN006",
        "商品标题",
        "1比1",
        "(counterfeit wording)",
        "counterfeit",
    ],
    ["CN006", "商品标题", "香奈儿", "Chanel", "counterfeit"],
    ["CN007", "商品标题", "iPhone", "Apple", "compatible"],
    // 搭配 ("pairs with") is not 配 ("goes with").
    ["CN008", "商品标题", "耐克", "Nike", ""],
    [
        "CN010",
        "商品标题",
        "大牌同款",
        "(counterfeit wording)",
        "counterfeit",
    ],
    [
        "CN010",
        "商品标题",
        "路易威登",
        "Louis Vuitton",
        "counterfeit",
    ],
    [
        "CN012",
        "商品标题",
        "超A",
        "(counterfeit wording)",
        "counterfeit",
    ],
    ["CN012", "商品标题", "Gucci", "Gucci", "counterfeit"],
    ["CN013", "商品标题", "华为", "Huawei", "compatible"],
    ["CN014", "商品标题", "阿迪达斯", "Adidas", "counterfeit"],
    [
        "CN014",
        "商品标题",
        "复刻",
        "(counterfeit wording)",
        "counterfeit",
    ],
];

fn expected() -> Vec<[String; 5]> {
    EXPECTED.iter().map(|e| e.map(String::from)).collect()
}

#[test]
fn chinese_headers_and_context_are_read() {
    let (r, found) = scan_builtin("taobao_export.csv", &[]);
    assert_eq!(found, expected(), "{}", r.stderr);
    // The brand column (品牌名称) is the seller's statement, not listing text: CN011's
    // `耐克` there is not a finding.
    assert!(
        r.stderr
            .contains("id column `商品ID`; scanning 商品标题, 关键词, 商品详情"),
        "{}",
        r.stderr
    );
}

#[test]
fn counterfeit_wording_in_chinese_makes_a_finding_serious_remove() {
    let found = check_findings(
        "rules.csv",
        "term,brand,severity,action\n古驰,Gucci,minor,review\n",
        "高仿 古驰 腰带",
        &["--no-builtin"],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["matched"], "古驰");
    assert_eq!(found[0]["context"], "counterfeit");
    assert_eq!(found[0]["severity"], "serious");
    assert_eq!(found[0]["action"], "remove");
}

#[test]
fn compatible_wording_in_chinese_takes_the_compatible_action() {
    let found = check_findings(
        "rules.csv",
        "term,brand\niPhone,Apple\n",
        "适用于苹果iPhone 15 手机壳",
        &["--no-builtin", "--compatible-action", "review"],
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["matched"], "iPhone");
    assert_eq!(found[0]["context"], "compatible");
    assert_eq!(found[0]["action"], "review");
}

#[test]
fn gb18030_export_with_chinese_headers_asks_for_the_encoding() {
    let (r, found) = scan_builtin("formats/taobao_gb18030.csv", &[]);
    assert_eq!(r.code, 2);
    assert!(found.is_empty());
    assert!(
        r.stderr.contains(
            "taobao_gb18030.csv:1: the header is not UTF-8; it reads as gb18030 (商品ID, 商品标题,"
        ) && r.stderr.contains("give --encoding gb18030"),
        "{}",
        r.stderr
    );
    // With it, the same findings as the UTF-8 export.
    let (r, found) = scan_builtin("formats/taobao_gb18030.csv", &["--encoding", "gb18030"]);
    assert_eq!(found, expected(), "{}", r.stderr);
}

#[test]
fn chinese_context_is_the_same_through_check_jsonl() {
    let r = run(brandscan()
        .args(["--no-config", "check", "--jsonl", "--fail-on", "never"])
        .write_stdin(
            "{\"id\":\"a\",\"商品标题\":\"适配华为Mate60 钢化膜\"}\n{\"id\":\"b\",\"title\":\"精仿劳力士 机械表\"}\n",
        ));
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert_eq!(lines[0]["findings"][0]["context"], "compatible");
    assert_eq!(lines[1]["findings"][0]["context"], "counterfeit");
}
