//! Table-driven tests of the tidy rules: (text, spans to cut, expected).

use super::*;

/// Cut every occurrence of each of `cuts` (exact substrings) from `text`.
fn cut(text: &str, cuts: &[&str]) -> String {
    let mut edits = Vec::new();
    for c in cuts {
        for (start, m) in text.match_indices(c) {
            edits.push(Edit {
                start,
                end: start + m.len(),
                replacement: "",
            });
        }
    }
    apply_edits(text, &edits)
}

fn check(group: &str, cases: &[(&str, &[&str], &str)]) {
    let mut failures = Vec::new();
    for (text, cuts, want) in cases {
        let got = cut(text, cuts);
        if got != *want {
            failures.push(format!("  {text:?} - {cuts:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{group}:\n{}", failures.join("\n"));
}

#[test]
fn spaces_are_never_doubled() {
    check(
        "spaces",
        &[
            ("Rolex strap", &["Rolex"], "strap"),
            ("Steel Rolex strap", &["Rolex"], "Steel strap"),
            ("Steel strap Rolex", &["Rolex"], "Steel strap"),
            ("Steel  Rolex strap", &["Rolex"], "Steel  strap"),
            ("Steel Rolex\nstrap", &["Rolex"], "Steel strap"),
            ("Steel\nRolex strap", &["Rolex"], "Steel\nstrap"),
            ("Rolex", &["Rolex"], ""),
            ("  Rolex  ", &["Rolex"], ""),
            ("Nike Adidas Puma shoes", &["Nike", "Adidas"], "Puma shoes"),
            ("Shoes Nike Adidas", &["Nike", "Adidas"], "Shoes"),
            ("耐克运动鞋", &["耐克"], "运动鞋"),
            ("运动耐克鞋", &["耐克"], "运动鞋"),
            ("ＮＩＫＥ运动袜", &["ＮＩＫＥ"], "运动袜"),
        ],
    );
}

#[test]
fn no_dangling_separators() {
    check(
        "separators",
        &[
            ("Nike, Rolex, Omega", &["Rolex"], "Nike, Omega"),
            ("Rolex, watch band, steel", &["Rolex"], "watch band, steel"),
            ("Watch band, steel, Rolex", &["Rolex"], "Watch band, steel"),
            ("Watch band Rolex, 20mm", &["Rolex"], "Watch band, 20mm"),
            ("Nike, Rolex 20mm", &["Rolex"], "Nike, 20mm"),
            ("Strap - Rolex - 20mm", &["Rolex"], "Strap - 20mm"),
            ("Rolex - Steel bracelet", &["Rolex"], "Steel bracelet"),
            ("NATO Strap 20mm – Rolex", &["Rolex"], "NATO Strap 20mm"),
            ("Omega/Rolex/Seiko", &["Rolex"], "Omega/Seiko"),
            ("Watch Rolex/Omega", &["Rolex"], "Watch Omega"),
            ("Rolex/Omega band", &["Rolex"], "Omega band"),
            ("Omega | Rolex | Seiko", &["Rolex"], "Omega | Seiko"),
            ("Nike & Rolex watch", &["Rolex"], "Nike watch"),
            ("Rolex & Nike watch", &["Rolex"], "Nike watch"),
            ("Nike + Rolex", &["Rolex"], "Nike"),
            ("A & Rolex & B", &["Rolex"], "A & B"),
            ("Nike, Rolex, Omega", &["Nike", "Rolex"], "Omega"),
            ("Tags: Rolex, steel", &["Rolex"], "Tags: steel"),
            ("- Rolex strap", &["Rolex"], "strap"),
            ("运动鞋/耐克/阿迪", &["耐克"], "运动鞋/阿迪"),
            ("耐克、阿迪达斯", &["耐克"], "阿迪达斯"),
        ],
    );
}

#[test]
fn no_empty_brackets() {
    check(
        "brackets",
        &[
            ("Strap (Rolex) 20mm", &["Rolex"], "Strap 20mm"),
            ("Strap [Rolex] 20mm", &["Rolex"], "Strap 20mm"),
            ("Strap {Rolex}", &["Rolex"], "Strap"),
            ("【Rolex】表带", &["Rolex"], "表带"),
            ("表带（劳力士）", &["劳力士"], "表带"),
            (
                "Strap (Rolex Submariner)",
                &["Rolex", "Submariner"],
                "Strap",
            ),
            ("Strap (for Rolex) 20mm", &["Rolex"], "Strap 20mm"),
            ("Strap (Rolex, steel)", &["Rolex"], "Strap (steel)"),
            ("Strap (steel, Rolex)", &["Rolex"], "Strap (steel)"),
            ("Strap ( Rolex ) 20mm", &["Rolex"], "Strap 20mm"),
            ("Strap (Black Rolex) 20mm", &["Rolex"], "Strap (Black) 20mm"),
            ("Strap “Rolex” 20mm", &["Rolex"], "Strap 20mm"),
            ("(Rolex)", &["Rolex"], ""),
            ("say \"Rolex strap\"", &["Rolex"], "say \"strap\""),
            ("\"Watch\" Rolex strap", &["Rolex"], "\"Watch\" strap"),
            ("Strap \"Rolex\" 20mm", &["Rolex"], "Strap 20mm"),
        ],
    );
}

#[test]
fn dangling_connectives_go_before_an_edge_or_a_number() {
    check(
        "connectives",
        &[
            ("Strap for Rolex", &["Rolex"], "Strap"),
            (
                "Strap for Rolex Submariner 20mm",
                &["Rolex", "Submariner"],
                "Strap 20mm",
            ),
            (
                "Strap for Rolex Submariner 20mm",
                &["Rolex"],
                "Strap for Submariner 20mm",
            ),
            (
                "Band for Apple Watch 41mm",
                &["Apple"],
                "Band for Watch 41mm",
            ),
            (
                "Band compatible with Rolex, steel",
                &["Rolex"],
                "Band, steel",
            ),
            ("Replacement for Rolex 20mm band", &["Rolex"], "20mm band"),
            ("Strap fits Rolex.", &["Rolex"], "Strap."),
            ("Sneakers inspired by Nike", &["Nike"], "Sneakers"),
            ("Fits Rolex.", &["Rolex"], ""),
            ("Strap for Rolex/Omega", &["Rolex"], "Strap for Omega"),
            ("Strap for Rolex and Omega", &["Rolex"], "Strap for Omega"),
            ("Strap for Rolex and Omega", &["Rolex", "Omega"], "Strap"),
            ("Comfort strap, Rolex", &["Rolex"], "Comfort strap"),
            ("Nike and Rolex", &["Rolex"], "Nike"),
            ("Rolex and Omega straps", &["Rolex"], "Omega straps"),
            ("Nike, Rolex and Omega", &["Rolex"], "Nike, Omega"),
            ("Nike and Rolex, 20mm", &["Rolex"], "Nike, 20mm"),
            ("(Rolex or Omega)", &["Rolex"], "(Omega)"),
            // Chinese connectives stand glued to the words before them.
            ("手柄 适用于索尼 5 无线", &["索尼"], "手柄 5 无线"),
            ("手柄适用于索尼", &["索尼"], "手柄"),
            ("表带 适配华为，22mm", &["华为"], "表带，22mm"),
            ("耳机套 兼容 AirPods 2", &["AirPods"], "耳机套 2"),
            ("充电线 配iPhone，快充", &["iPhone"], "充电线，快充"),
            ("表带 适配华为 Watch GT4", &["华为"], "表带 适配 Watch GT4"),
            // 搭配 "pairs with" is a word of its own, not 配.
            ("搭配耐克，运动裤", &["耐克"], "搭配，运动裤"),
            // Only whole words are connectives.
            ("Comfort Rolex", &["Rolex"], "Comfort"),
            ("Platform Rolex", &["Rolex"], "Platform"),
            ("Uniform for Rolex", &["Rolex"], "Uniform"),
        ],
    );
}

#[test]
fn marks_stuck_to_the_term_go_with_it() {
    check(
        "marks",
        &[
            ("Rolex's classic strap", &["Rolex"], "classic strap"),
            ("Rolex® strap", &["Rolex"], "strap"),
            ("#Rolex #watch", &["Rolex"], "#watch"),
            ("tags #Rolex #watch", &["Rolex"], "tags #watch"),
            ("A Rolex. B", &["Rolex"], "A. B"),
            (
                "Gym wear. Same style as Nike, great quality.",
                &["Nike"],
                "Gym wear. great quality.",
            ),
            (
                "Soft. Rolex, Omega and more",
                &["Rolex"],
                "Soft. Omega and more",
            ),
            ("Soft. Rolex. Steel.", &["Rolex"], "Soft. Steel."),
            ("柔软。耐克，透气", &["耐克"], "柔软。透气"),
            ("Shoulder bag, Chanel style", &["Chanel"], "Shoulder bag"),
            ("Chanel-style quilted bag", &["Chanel"], "quilted bag"),
            ("Chanel stylish bag", &["Chanel"], "stylish bag"),
        ],
    );
}

#[test]
fn html_stays_well_formed() {
    check(
        "html",
        &[
            (
                "<p>Fits <strong>Apple Watch</strong> 41mm</p>",
                &["Apple"],
                "<p>Fits <strong>Watch</strong> 41mm</p>",
            ),
            (
                "<p>Fits <strong>Apple</strong> watches</p>",
                &["Apple"],
                "<p>Fits watches</p>",
            ),
            (
                "<p>Compatible with Rolex.</p>\n<p>Steel.</p>",
                &["Rolex"],
                "<p>Steel.</p>",
            ),
            (
                "<ul>\n<li>Rolex</li>\n<li>Steel</li>\n</ul>",
                &["Rolex"],
                "<ul>\n<li>Steel</li>\n</ul>",
            ),
            ("<p>Rolex strap</p>", &["Rolex"], "<p>strap</p>"),
            ("<p>Strap Rolex</p>", &["Rolex"], "<p>Strap</p>"),
            ("Watch Rolex <b>strap</b>", &["Rolex"], "Watch <b>strap</b>"),
            ("Strap Rolex<br>more", &["Rolex"], "Strap<br>more"),
            ("Steel &amp; Rolex", &["Rolex"], "Steel"),
            ("Rolex&nbsp;strap", &["Rolex"], "strap"),
            ("<img alt=\"Rolex\">", &["Rolex"], "<img alt=\"\">"),
            (
                "<img alt=\"Rolex strap\">",
                &["Rolex"],
                "<img alt=\"strap\">",
            ),
        ],
    );
}

#[test]
fn replacements_touch_nothing_around_them() {
    let text = "Case for iPhone (clear)";
    let start = text.find("iPhone").unwrap();
    let edits = [Edit {
        start,
        end: start + 6,
        replacement: "smartphone",
    }];
    assert_eq!(apply_edits(text, &edits), "Case for smartphone (clear)");
    // A replacement next to a cut: the cut tidies, the replacement stays.
    let text = "Rolex Submariner strap";
    let edits = [
        Edit {
            start: 0,
            end: 5,
            replacement: "",
        },
        Edit {
            start: 6,
            end: 16,
            replacement: "diver",
        },
    ];
    assert_eq!(apply_edits(text, &edits), "diver strap");
}

#[test]
fn bad_edits_are_ignored() {
    let text = "Rolex strap";
    let edits = [
        Edit {
            start: 0,
            end: 5,
            replacement: "",
        },
        // Overlaps the first.
        Edit {
            start: 3,
            end: 8,
            replacement: "",
        },
        // Past the end.
        Edit {
            start: 9,
            end: 99,
            replacement: "",
        },
    ];
    assert_eq!(apply_edits(text, &edits), "strap");
    // Not a character boundary.
    assert_eq!(
        apply_edits(
            "é strap",
            &[Edit {
                start: 1,
                end: 2,
                replacement: ""
            }]
        ),
        "é strap"
    );
}

#[test]
fn peeling_is_bounded() {
    let text = "for (for (for (for (for (for (for (Rolex)))))))";
    let got = cut(text, &["Rolex"]);
    assert!(!got.is_empty() && got.len() < text.len(), "{got:?}");
}

#[test]
fn blank_means_no_letter_or_digit() {
    assert!(is_blank(""));
    assert!(is_blank(" - , / () 【】"));
    assert!(!is_blank("- 20mm"));
    assert!(!is_blank("表带"));
}
