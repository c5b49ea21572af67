//! The docs/matching.md evasion, context, fuzzy and HTML examples through the binary
//! (`check --format json`), each span checked against the original text.

use crate::util::*;
use serde_json::Value;

/// (matched, term, match_kind, context, action) of every finding.
fn check(terms: &str, text: &str, extra: &[&str]) -> Vec<[String; 5]> {
    check_findings("terms.csv", terms, text, extra)
        .iter()
        .map(|f| {
            ["matched", "term", "match_kind", "context", "action"]
                .map(|k| f[k].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

fn matched_kinds(terms: &str, text: &str) -> Vec<(String, String)> {
    check(&format!("term\n{terms}"), text, &[])
        .into_iter()
        .map(|[m, _, k, _, _]| (m, k))
        .collect()
}

macro_rules! obfuscated {
    ($name:ident, $term:expr, $text:expr, $matched:expr) => {
        #[test]
        fn $name() {
            assert_eq!(
                matched_kinds($term, $text),
                [($matched.to_string(), "obfuscated".to_string())]
            );
        }
    };
}

obfuscated!(cyrillic_i, "Nike", "N\u{456}ke running", "N\u{456}ke");
obfuscated!(greek_omicron, "Rolex", "R\u{39F}LEX watch", "R\u{39F}LEX");
obfuscated!(zero_width, "Nike", "Ni\u{200b}ke socks", "Ni\u{200b}ke");
obfuscated!(soft_hyphen, "Gucci", "Gu\u{ad}cci belt", "Gu\u{ad}cci");
obfuscated!(digit_one, "Nike", "N1ke Air", "N1ke");
obfuscated!(at_sign, "Adidas", "Adid@s slides", "Adid@s");
obfuscated!(trailing_one, "Gucci", "Gucc1 bag", "Gucc1");
obfuscated!(zero_for_o, "Rolex", "R0lex watch", "R0lex");
obfuscated!(spaced, "Nike", "N I K E hoodie", "N I K E");
obfuscated!(dotted, "Nike", "N.i.k.e hoodie", "N.i.k.e");
obfuscated!(hyphenated, "Nike", "n-i-k-e hoodie", "n-i-k-e");
obfuscated!(stretched, "Nike", "Niiiike shoes", "Niiiike");
obfuscated!(bold, "Nike", "𝐍𝐢𝐤𝐞 tee", "𝐍𝐢𝐤𝐞");
obfuscated!(circled, "Nike", "Ⓝⓘⓚⓔ tee", "Ⓝⓘⓚⓔ");
obfuscated!(negative_squared, "Nike", "🅽🅸🅺🅴 tee", "🅽🅸🅺🅴");
obfuscated!(symbol_first, "Lego", "|ego bricks", "|ego");
obfuscated!(bracket_first, "Chanel", "(hanel bag", "(hanel");
obfuscated!(symbol_last, "Toshiba", "Toshib@ laptop", "Toshib@");
obfuscated!(euro_last, "Bose", "Bos€ buds", "Bos€");
obfuscated!(zero_first, "Omega", "0mega watch", "0mega");
obfuscated!(star_inside, "Gucci", "Gu*ci belt", "Gu*ci");
obfuscated!(emoji_inside, "Nike", "Ni🌟ke slides", "Ni🌟ke");
obfuscated!(emoji_for_letter, "Patek", "Pa★ek watch", "Pa★ek");
obfuscated!(
    zwj_sequence,
    "Swarovski",
    "Swa👩\u{200d}💻rovski ring",
    "Swa👩\u{200d}💻rovski"
);
obfuscated!(skin_tone, "Samsung", "Samsu👍🏽ng tab", "Samsu👍🏽ng");
obfuscated!(two_digits, "Makita", "Mak17a drill", "Mak17a");
obfuscated!(hyphen_split, "Hermes", "Her-mes scarf", "Her-mes");
obfuscated!(dot_split, "Valentino", "Valenti.no slides", "Valenti.no");
obfuscated!(middle_dot_split, "Sanrio", "Sa·nrio plush", "Sa·nrio");
obfuscated!(star_spaced, "Dyson", "D*Y*S*O*N fan", "D*Y*S*O*N");
obfuscated!(
    dot_spaced,
    "Adidas",
    "A . d . i . d . a . s slides",
    "A . d . i . d . a . s"
);

#[test]
fn never_across_real_words() {
    assert!(matched_kinds("Nike", "sign in ike").is_empty());
    assert!(matched_kinds("Nike", "a 1 ke").is_empty());
    assert!(matched_kinds("Nike", "N1K3-200 spare part").is_empty());
    assert!(matched_kinds("3M", "13M hose").is_empty());
    // Brackets, sentence ends, model numbers and hyphenated words stay what they are.
    assert!(matched_kinds("Chanel", "(hanel) (Black)").is_empty());
    assert!(matched_kinds("Hermes", "her mes, her. mes").is_empty());
    assert!(matched_kinds("Nike", "IPX7 5mm N1K3-200 A1 Ni ke").is_empty());
}

/// The evasions of words' edges and insides are read the same by scan, check and serve:
/// they share the matcher.
#[test]
fn edge_and_inner_evasions_agree_across_scan_check_and_serve() {
    let (dir, list) = wordlist("l.txt", "Lego\nChanel\nGucci\nHermes\nDyson\nSupreme\n");
    let titles = [
        "|ego bricks",
        "(hanel bag",
        "Gu*ci belt",
        "Her-mes scarf",
        "D*Y*S*O*N fan",
        "Su🌟preme tee",
        "plain tee",
    ];
    let catalog = dir.path().join("c.csv");
    let mut csv = String::from("id,title\n");
    for (i, t) in titles.iter().enumerate() {
        csv.push_str(&format!("{i},\"{t}\"\n"));
    }
    std::fs::write(&catalog, csv).unwrap();
    let scan = run(brandscan()
        .args([
            "scan",
            "-q",
            "-f",
            "jsonl",
            "--fail-on",
            "never",
            "--no-builtin",
            "-w",
        ])
        .arg(&list)
        .arg(&catalog));
    let from_scan: Vec<Value> = scan
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(from_scan.len(), 6, "{}", scan.stdout);
    let lines: String = titles
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}\n", serde_json::json!({"id": i.to_string(), "title": t})))
        .collect();
    let check = run(brandscan()
        .args([
            "check",
            "--jsonl",
            "--fail-on",
            "never",
            "--no-builtin",
            "-w",
        ])
        .arg(&list)
        .write_stdin(lines));
    let from_check: Vec<Value> = check
        .stdout
        .lines()
        .flat_map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["findings"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    let l = list.display().to_string();
    let srv = crate::serve::Server::start(&["--no-builtin", "-w", &l]);
    let listings: Vec<Value> = titles
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i.to_string(), "title": t}))
        .collect();
    let r = crate::serve::post(
        srv.addr,
        "/v1/check",
        &serde_json::json!({ "listings": listings }),
    );
    let from_serve: Vec<Value> = r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["findings"].as_array().unwrap().clone())
        .collect();
    assert_eq!(from_check, from_scan);
    assert_eq!(from_serve, from_scan);
    assert!(from_scan.iter().all(|f| f["match_kind"] == "obfuscated"));
}

#[test]
fn full_width_stays_normalized() {
    assert_eq!(
        matched_kinds("Nike", "ＮＩＫＥ"),
        [("ＮＩＫＥ".to_string(), "normalized".to_string())]
    );
}

#[test]
fn compatible_context_and_its_action_flag() {
    let list = "term,action\nRolex,hide\n";
    let f = check(list, "Strap for Rolex", &[]);
    assert_eq!(f[0][3], "compatible");
    assert_eq!(f[0][4], "hide");
    let f = check(list, "Strap for Rolex", &["--compatible-action", "review"]);
    assert_eq!(f[0][4], "review");
    let f = check(list, "Rolex strap", &["--compatible-action", "review"]);
    assert_eq!((f[0][3].as_str(), f[0][4].as_str()), ("", "hide"));
}

#[test]
fn counterfeit_context_overrides_the_rule() {
    let list = "term,action,severity\nRolex,review,minor\n";
    for text in ["Rolex style watch", "AAA Rolex 1:1", "replica R0lex"] {
        let (_d, wl) = wordlist("l.csv", list);
        let r = run(brandscan()
            .args(["check", "--format", "json", "-w"])
            .arg(&wl)
            .args(["--title", text]));
        assert_eq!(r.code, 1, "{text}: {}", r.stdout);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let f = &v["findings"][0];
        assert_eq!(f["context"], "counterfeit", "{text}");
        assert_eq!(f["severity"], "serious", "{text}");
        assert_eq!(f["action"], "remove", "{text}");
    }
}

#[test]
fn fuzzy_needs_its_flag() {
    let list = "term\nAdidas\nRolex\n";
    assert!(check(list, "Addidas Rollex", &[]).is_empty());
    let f = check(list, "Addidas Rollex", &["--fuzzy"]);
    let got: Vec<(&str, &str, &str)> = f
        .iter()
        .map(|f| (f[0].as_str(), f[2].as_str(), f[4].as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Addidas", "fuzzy", "review"),
            ("Rollex", "fuzzy", "review")
        ]
    );
}

#[test]
fn no_evasion_turns_the_view_off() {
    let list = "term\nNike\n";
    assert_eq!(check(list, "N1ke", &[]).len(), 1);
    assert!(check(list, "N1ke", &["--no-evasion"]).is_empty());
}

#[test]
fn html_description_through_check() {
    let (_d, wl) = wordlist("l.csv", "term\nMoët\nOmega\n");
    let desc = r#"<p>Holds <b>Mo&euml;t</b></p><img src="omega.jpg" alt="bucket">"#;
    let r = run(brandscan()
        .args(["check", "--format", "json", "--fail-on", "never", "-w"])
        .arg(&wl)
        .args(["--title", "Ice bucket", "--description", desc]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let f = v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["matched"], "Mo&euml;t");
    let (s, e) = (
        f[0]["start"].as_u64().unwrap(),
        f[0]["end"].as_u64().unwrap(),
    );
    assert_eq!(&desc[s as usize..e as usize], "Mo&euml;t");
}
