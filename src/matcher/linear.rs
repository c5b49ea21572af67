//! Linear time on every path: doubling a pathological input of each evasion kind at most
//! about doubles the work a search counts ([`crate::work`]), never quadruples it.
//!
//! `cargo test --lib linear -- --nocapture` prints the doubling ratios.

use super::*;
use crate::work::steps;

/// Built-in lists plus a rule of every kind (regex, case-sensitive, allow, a long
/// multi-word term), with fuzzy matching on: every reading runs.
fn matcher() -> &'static Matcher {
    static M: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        let mut rules = Rules::builtin().unwrap();
        rules.extend(
            Rules::parse_csv(
                "extra.csv",
                "term,brand,kind,case\n\
                 Nike,Nike,literal,insensitive\n\
                 Louis Vuitton,Louis Vuitton,literal,insensitive\n\
                 Coach,Coach,literal,sensitive\n\
                 apple green,Apple,allow,insensitive\n\
                 r[o0]lex\\s*(sub|daytona),Rolex,regex,insensitive\n\
                 Balenciaga,Balenciaga,literal,insensitive\n\
                 Maison Margiela Replica Sneakers,Margiela,literal,insensitive\n",
            )
            .unwrap(),
        );
        MatcherBuilder::new().fuzzy(true).build(rules).unwrap()
    })
}

/// The work of one search of `text` in column `field`.
fn work(field: &str, text: &str) -> u64 {
    let m = matcher();
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    let before = steps();
    m.find_into(&Arc::from(field), text, &mut scratch, &mut out);
    steps() - before
}

/// Pathological inputs of every evasion kind, `n` times over, and their column.
#[allow(clippy::type_complexity)]
const KINDS: &[(&str, &str, fn(usize) -> String)] = &[
    ("invisible inside a word", "title", |n| {
        format!("N{}ike", "\u{AD}".repeat(n))
    }),
    ("zero-width between letters", "title", |n| {
        format!("Gu{}cci", "\u{200B}i".repeat(n))
    }),
    ("invisible words", "title", |n| "Ni\u{200B}ke ".repeat(n)),
    ("combining marks", "title", |n| {
        format!("N{}ike", "\u{301}".repeat(n))
    }),
    ("marks on every letter", "title", |n| "e\u{301}".repeat(n)),
    ("spaced letters", "title", |n| "N I K E ".repeat(n)),
    ("one-letter words", "title", |n| "a ".repeat(n)),
    ("stretched letters", "title", |n| {
        format!("N{}ke", "i".repeat(n))
    }),
    ("stretched words", "title", |n| "Niiike ".repeat(n)),
    ("one long word", "title", |n| "nike".repeat(n)),
    ("digit substitutions", "title", |n| "N1ke".repeat(n)),
    ("symbols inside a word", "title", |n| {
        format!("N{}ke", "@".repeat(n))
    }),
    ("symbols between letters", "title", |n| "a@".repeat(n)),
    ("dollar signs", "title", |n| "$".repeat(n)),
    ("look-alikes", "title", |n| {
        format!("N{}ke", "\u{456}".repeat(n))
    }),
    ("look-alike words", "title", |n| "N\u{456}ke ".repeat(n)),
    ("emoji inside a word", "title", |n| {
        format!("Ba{}lenciaga", "\u{1F48E}".repeat(n))
    }),
    // The repair reading (`repair.rs`): symbols at words' edges and inside them, split
    // words, leet digits, letters parted by one symbol, and runs of each.
    ("repaired words", "title", |n| {
        "Gu*ci |ego Mak17a ".repeat(n)
    }),
    ("near-words", "title", |n| "Guc*i Lego| Nik@ ".repeat(n)),
    ("symbol runs inside a word", "title", |n| {
        format!("Gu{}cci", "*".repeat(n))
    }),
    ("symbol runs between words", "title", |n| {
        format!("Gucci {} Chanel", "* ".repeat(n))
    }),
    ("emoji runs", "title", |n| "\u{1F48E}\u{FE0F}".repeat(n)),
    ("emoji between letters", "title", |n| {
        "Ba\u{1F48E}lenciaga ".repeat(n)
    }),
    ("ZWJ sequences", "title", |n| {
        format!("Gu{}cci", "\u{1F469}\u{200D}\u{1F4BB}".repeat(n))
    }),
    ("letters parted by a symbol", "title", |n| {
        "D*Y*S*O*N ".repeat(n)
    }),
    ("one symbol parting everything", "title", |n| "a*".repeat(n)),
    ("dotted letters", "title", |n| {
        "D . y . s . o . n ".repeat(n)
    }),
    ("dots between words", "title", |n| "a . ".repeat(n)),
    ("split words", "title", |n| "Her-mes ".repeat(n)),
    ("hyphen chains", "title", |n| "ab-".repeat(n)),
    ("open brackets", "title", |n| {
        format!("{}Chanel", "(".repeat(n))
    }),
    ("separator runs", "title", |n| {
        format!("Louis{}Vuitton", " -".repeat(n))
    }),
    ("prefixes of a long term", "title", |n| {
        "Maison Margiela Replica ".repeat(n)
    }),
    ("compatible context", "title", |n| {
        "strap for: Rolex ".repeat(n)
    }),
    ("counterfeit wording", "title", |n| "AAA Replica ".repeat(n)),
    ("case-sensitive spans", "title", |n| {
        format!("C{}oach", "\u{301}".repeat(n))
    }),
    ("html nesting", "Body (HTML)", |n| {
        format!("{}N1ke{}", "<b><i>".repeat(n), "</i></b>".repeat(n))
    }),
    ("html attributes", "Body (HTML)", |n| {
        "<img alt=\"N1ke\" title='Rolex'>".repeat(n)
    }),
    ("unclosed tags", "Body (HTML)", |n| {
        "<p title=\"Nike ".repeat(n)
    }),
    ("entities", "Body (HTML)", |n| "N&#105;ke&nbsp;".repeat(n)),
];

/// The work at `n`, `2n` and `4n` of each kind, and the two doubling ratios.
fn ratios(n: usize) -> Vec<(&'static str, [u64; 3], f64)> {
    KINDS
        .iter()
        .map(|&(name, field, make)| {
            let w = [n, 2 * n, 4 * n].map(|k| work(field, &make(k)).max(1));
            let worst = (w[1] as f64 / w[0] as f64).max(w[2] as f64 / w[1] as f64);
            (name, w, worst)
        })
        .collect()
}

#[test]
#[allow(clippy::print_stdout)] // the table `--nocapture` shows
fn work_grows_linearly_with_every_evasion_kind() {
    let mut bad = Vec::new();
    for (name, w, worst) in ratios(2000) {
        println!(
            "{name:28} work {:>10} {:>10} {:>10}  doubling ×{worst:.2}",
            w[0], w[1], w[2]
        );
        if worst > 2.3 {
            bad.push(name);
        }
    }
    assert!(bad.is_empty(), "superlinear: {bad:?}");
}

#[test]
fn the_counter_sees_quadratic_work() {
    // The same measure on a quadratic loop reads ×4 per doubling: the test above would
    // see one.
    let quadratic = |n: usize| {
        let before = steps();
        for i in 0..n {
            crate::work::step(i);
        }
        steps() - before
    };
    let r = quadratic(4000) as f64 / quadratic(2000) as f64;
    assert!(r > 3.9, "{r}");
}
