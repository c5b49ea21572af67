//! The examples of docs/matching.md, run through the binary: every row of a
//! `| rules | text | flags | found |` table, except under "Not yet supported", is a test
//! case, so the contract and the engine cannot drift apart. A text cell that starts with
//! `tags: ` is the value of a tags field.

use crate::util::*;
use serde_json::Value;

const DOC: &str = "docs/matching.md";
const HEADER: [&str; 4] = ["rules", "text", "flags", "found"];
const NOT_YET: &str = "Not yet supported";
/// A text cell that starts so is the value of a `tags` field, not a title.
const TAGS: &str = "tags: ";

/// `check --jsonl` on one listing whose only field is `tags`.
fn check_tags(list: &str, tags: &str, flags: &[&str]) -> Vec<Value> {
    let (_dir, path) = wordlist("rules.csv", list);
    let line = serde_json::json!({"id": "t", "tags": tags}).to_string();
    let r = run(brandscan()
        .args(["check", "--jsonl", "--fail-on", "never", "-w"])
        .arg(&path)
        .args(flags)
        .write_stdin(line + "\n"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(r.stdout.trim()).expect("json");
    v["findings"].as_array().expect("findings").clone()
}

/// One table row: its line in the doc and its four cells.
struct Example {
    line: usize,
    rules: String,
    text: String,
    flags: Vec<String>,
    found: Vec<Item>,
}

/// `name {key=value, ...}`: a rule (the name is its term, the pairs word-list columns)
/// or an expected finding (the name is its term, the pairs finding fields).
#[derive(Debug)]
struct Item {
    name: String,
    attrs: Vec<(String, String)>,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('`')
}

/// `\u{200b}` and the like, for characters a reader cannot see, and `\|` for a `|`
/// in a table cell.
fn unescape(s: &str) -> String {
    let s = s.replace("\\|", "|");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("closed \\u{...}") + i;
        let code = u32::from_str_radix(&rest[i + 3..end], 16).expect("hex escape");
        out.push(char::from_u32(code).expect("a character"));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A `;`-separated list of items; `—` is none.
fn items(cell: &str) -> Vec<Item> {
    let cell = cell.trim();
    if cell == "—" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in cell.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ';' if depth == 0 => {
                out.push(item(&cell[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(item(&cell[start..]));
    out
}

fn item(s: &str) -> Item {
    let s = unquote(s);
    let (name, attrs) = match s.find(" {") {
        Some(i) if s.ends_with('}') => (&s[..i], &s[i + 2..s.len() - 1]),
        _ => (s, ""),
    };
    let attrs = attrs
        .split(", ")
        .filter(|a| !a.is_empty())
        .map(|a| {
            let (k, v) = a.split_once('=').expect("key=value");
            (k.trim().to_string(), unescape(v.trim()))
        })
        .collect();
    Item {
        name: unescape(name.trim()),
        attrs,
    }
}

/// Every example row of the doc outside the "not yet supported" section.
fn examples() -> Vec<Example> {
    let doc = std::fs::read_to_string(repo(DOC)).expect("docs/matching.md");
    let mut out = Vec::new();
    let mut in_table = false;
    let mut skipping = false;
    for (n, line) in doc.lines().enumerate() {
        if line.starts_with('#') {
            skipping = line.trim_start_matches('#').trim() == NOT_YET;
            in_table = false;
            continue;
        }
        let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
            in_table = false;
            continue;
        };
        let cells: Vec<&str> = inner.split(" | ").map(str::trim).collect();
        if cells == HEADER {
            in_table = true;
            continue;
        }
        if !in_table
            || skipping
            || cells
                .iter()
                .all(|c| c.chars().all(|c| c == '-' || c == '|'))
        {
            continue;
        }
        assert_eq!(cells.len(), 4, "{DOC}:{}: four cells: {line}", n + 1);
        let flags = unquote(cells[2]);
        out.push(Example {
            line: n + 1,
            rules: cells[0].to_string(),
            text: unescape(unquote(cells[1])),
            flags: if flags == "—" {
                Vec::new()
            } else {
                flags.split_whitespace().map(String::from).collect()
            },
            found: items(cells[3]),
        });
    }
    out
}

/// The rules cell as a CSV word list.
fn word_list(rules: &str) -> String {
    const COLUMNS: [&str; 6] = ["term", "brand", "kind", "case", "action", "severity"];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).unwrap();
    for rule in items(rules) {
        let row: Vec<String> = COLUMNS
            .iter()
            .map(|col| match *col {
                "term" => rule.name.clone(),
                col => rule
                    .attrs
                    .iter()
                    .find(|(k, _)| k == col)
                    .map_or(String::new(), |(_, v)| v.clone()),
            })
            .collect();
        assert!(
            rule.attrs
                .iter()
                .all(|(k, _)| COLUMNS.contains(&k.as_str())),
            "{rules}: a rule attribute is not a word-list column"
        );
        w.write_record(&row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// What is wrong with `got` for `want`, if anything.
fn differences(want: &[Item], got: &[Value]) -> Option<String> {
    let terms: Vec<&str> = got.iter().map(|f| f["term"].as_str().unwrap()).collect();
    let want_terms: Vec<&str> = want.iter().map(|i| i.name.as_str()).collect();
    if terms != want_terms {
        return Some(format!("terms {terms:?}, expected {want_terms:?}"));
    }
    for (w, f) in want.iter().zip(got) {
        for (k, v) in &w.attrs {
            let actual = match &f[k.as_str()] {
                Value::String(s) => s.clone(),
                Value::Null => panic!("a finding has no field `{k}`"),
                other => other.to_string(),
            };
            if &actual != v {
                return Some(format!("{}: {k} is `{actual}`, expected `{v}`", w.name));
            }
        }
    }
    None
}

#[test]
fn every_example_of_the_matching_doc_holds() {
    let examples = examples();
    // A parser that silently read nothing would pass everything.
    assert!(
        examples.len() >= 50,
        "only {} examples read",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let list = word_list(&ex.rules);
        let flags: Vec<&str> = ex.flags.iter().map(String::as_str).collect();
        let got = match ex.text.strip_prefix(TAGS) {
            Some(tags) => check_tags(&list, tags, &flags),
            None => check_findings("rules.csv", &list, &ex.text, &flags),
        };
        if let Some(d) = differences(&ex.found, &got) {
            failures.push(format!("{DOC}:{}: `{}`: {d}", ex.line, ex.text));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_doc_parser_reads_rules_and_findings() {
    let rules = items("`Apple; apple green {kind=allow, brand=Apple}`");
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].name, "apple green");
    assert_eq!(rules[1].attrs[0], ("kind".into(), "allow".into()));
    assert!(items("—").is_empty());
    assert_eq!(unescape("Ni\\u{200b}ke"), "Ni\u{200b}ke");
    assert_eq!(
        word_list("`Coach {case=sensitive}`"),
        "term,brand,kind,case,action,severity\nCoach,,,sensitive,,\n"
    );
}
