//! Marketplace penalty policies: what complaints cost a store (docs/commands.md#penalty-policies).
//!
//! A policy is data, a TOML file in `policies/`; the default one, the rules sellers
//! report for Alibaba.com, is compiled in. It has two tracks:
//!
//! * **general** infringement scores points: `first_points` for the first complaint on a
//!   right, `repeat_points` for each further one on the same right, nothing for a
//!   complaint `window_days` or fewer days after that right's last penalized complaint.
//!   The points of all rights add up, and the highest threshold reached is the penalty.
//! * **serious** infringement counts complaints: the n-th serious complaint gets the n-th
//!   step (the last step for every one after), and `same_right_closure` serious
//!   complaints on one right close the account at once.
//!
//! The store's penalty is the graver of the two tracks.
//!
//! ```
//! use brandscan::policy::{Complaint, Penalty, Policy};
//! let policy = Policy::builtin();
//! // Three general complaints on one right, far apart: 4 + 8 + 8 = 20 points, a warning.
//! let three = vec![Complaint::general("Rolex"); 3];
//! let a = policy.worst_case(&three);
//! assert_eq!((a.points, a.penalty), (20, Penalty::Warning));
//! // The same three filed together: the 2nd and 3rd fall in the 5-day window.
//! let a = policy.filed_together(&three);
//! assert_eq!((a.points, a.penalty), (4, Penalty::None));
//! // Three serious complaints on one right close the account.
//! let a = policy.worst_case(&vec![Complaint::serious("Rolex"); 3]);
//! assert_eq!(a.penalty, Penalty::Closure);
//! ```

use crate::error::{Error, Location, Result};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The built-in policy file, `policies/alibaba.toml`.
pub const BUILTIN_POLICY: (&str, &str) = ("alibaba", include_str!("../policies/alibaba.toml"));

/// What a store gets, mildest first, so `max` gives the gravest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Penalty {
    /// Nothing yet.
    #[default]
    None,
    /// A warning.
    Warning,
    /// Listing or selling restricted for this many days.
    Restriction {
        /// How long.
        days: u32,
    },
    /// The account is closed.
    Closure,
}

impl fmt::Display for Penalty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Penalty::None => f.write_str("no penalty"),
            Penalty::Warning => f.write_str("warning"),
            Penalty::Restriction { days } => write!(f, "{days}-day restriction"),
            Penalty::Closure => f.write_str("account closure"),
        }
    }
}

impl Serialize for Penalty {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One complaint a store could receive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// The right it is filed on (brandscan: the brand).
    pub right: String,
    /// Serious infringement (counterfeit, or a brand marked `serious`) or general.
    pub serious: bool,
    /// The day it arrives, counted from any fixed day.
    pub day: u32,
}

impl Complaint {
    /// A general complaint on `right`, on day 0.
    pub fn general(right: &str) -> Complaint {
        Complaint {
            right: right.to_string(),
            serious: false,
            day: 0,
        }
    }

    /// A serious complaint on `right`, on day 0.
    pub fn serious(right: &str) -> Complaint {
        Complaint {
            serious: true,
            ..Complaint::general(right)
        }
    }
}

/// What a set of complaints costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// General-infringement points.
    pub points: u32,
    /// General complaints that scored points.
    pub general_counted: u32,
    /// Serious complaints that counted.
    pub serious_counted: u32,
    /// The resulting penalty.
    pub penalty: Penalty,
    /// Which rule set it: `none`, `points` (a general threshold), `serious_count` (the
    /// n-th serious complaint) or `same_right` (serious complaints on one right).
    pub by: &'static str,
    /// Why, in words.
    pub reason: String,
}

/// A penalty policy (see the module docs for its rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// A name for reports.
    pub name: String,
    /// Where its rules come from.
    pub source: String,
    /// The file it was read from (`<builtin:alibaba>` for the default).
    pub file: PathBuf,
    first_points: u32,
    repeat_points: u32,
    general_window: u32,
    thresholds: Vec<(u32, Penalty)>,
    steps: Vec<Penalty>,
    serious_window: u32,
    same_right_closure: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    name: String,
    #[serde(default)]
    source: String,
    general: GeneralFile,
    serious: SeriousFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GeneralFile {
    first_points: u32,
    repeat_points: u32,
    #[serde(default)]
    window_days: u32,
    thresholds: Vec<toml::Spanned<ThresholdFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdFile {
    points: u32,
    penalty: PenaltyKind,
    days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriousFile {
    steps: Vec<toml::Spanned<PenaltyFile>>,
    #[serde(default)]
    window_days: u32,
    same_right_closure: Option<toml::Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PenaltyFile {
    penalty: PenaltyKind,
    days: Option<u32>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum PenaltyKind {
    Warning,
    Restriction,
    Closure,
}

impl PenaltyFile {
    fn to_penalty(&self) -> std::result::Result<Penalty, String> {
        match (self.penalty, self.days) {
            (PenaltyKind::Restriction, Some(days)) if days > 0 => Ok(Penalty::Restriction { days }),
            (PenaltyKind::Restriction, _) => {
                Err("a `restriction` needs `days`, a number of days above 0".into())
            }
            (_, Some(_)) => Err("only a `restriction` takes `days`".into()),
            (PenaltyKind::Warning, None) => Ok(Penalty::Warning),
            (PenaltyKind::Closure, None) => Ok(Penalty::Closure),
        }
    }
}

impl Policy {
    /// The built-in policy (`policies/alibaba.toml`).
    pub fn builtin() -> Policy {
        let (name, text) = BUILTIN_POLICY;
        // Shipped data, checked by the `builtin_policy_parses` test; a broken file cannot
        // be released.
        Policy::parse(format!("<builtin:{name}>"), text).expect("the built-in policy parses")
    }

    /// Read a policy file.
    pub fn from_path(path: &Path) -> Result<Policy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Policy::parse(path, &text)
    }

    /// Parse and check a policy; errors name the file, the line and the problem.
    pub fn parse(file: impl AsRef<Path>, text: &str) -> Result<Policy> {
        let file = file.as_ref();
        // Byte offset → location, so every error names its line.
        let at = |offset: usize| {
            let upto = &text.as_bytes()[..offset.min(text.len())];
            Location::file(file).at_line(1 + upto.iter().filter(|&&b| b == b'\n').count() as u64)
        };
        let raw: PolicyFile = toml::from_str(text).map_err(|e| {
            let loc = e
                .span()
                .map_or_else(|| Location::file(file), |s| at(s.start));
            Error::policy(loc, e.message().to_string())
        })?;
        let mut thresholds = Vec::new();
        for (i, spanned) in raw.general.thresholds.iter().enumerate() {
            let bad = |msg: String| Error::policy(at(spanned.span().start), msg);
            let t = spanned.get_ref();
            let p = PenaltyFile {
                penalty: t.penalty,
                days: t.days,
            }
            .to_penalty()
            .map_err(|e| bad(format!("general.thresholds[{i}]: {e}")))?;
            if let Some(&(prev_points, prev)) = thresholds.last() {
                if t.points <= prev_points || p <= prev {
                    return Err(bad(format!(
                        "general.thresholds[{i}]: thresholds must rise in points and in penalty ({} points → {p} follows {prev_points} points → {prev})",
                        t.points
                    )));
                }
            }
            if t.points == 0 {
                return Err(bad(format!(
                    "general.thresholds[{i}]: points must be above 0"
                )));
            }
            thresholds.push((t.points, p));
        }
        let steps = raw
            .serious
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                s.get_ref().to_penalty().map_err(|e| {
                    Error::policy(at(s.span().start), format!("serious.steps[{i}]: {e}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if steps.is_empty() {
            return Err(Error::policy(
                Location::file(file),
                "serious.steps: give at least one step",
            ));
        }
        let same_right_closure = match &raw.serious.same_right_closure {
            Some(n) if *n.get_ref() == 0 => {
                return Err(Error::policy(
                    at(n.span().start),
                    "serious.same_right_closure must be above 0",
                ))
            }
            n => n.as_ref().map(|n| *n.get_ref()),
        };
        Ok(Policy {
            name: raw.name,
            source: raw.source,
            file: file.to_path_buf(),
            first_points: raw.general.first_points,
            repeat_points: raw.general.repeat_points,
            general_window: raw.general.window_days,
            thresholds,
            steps,
            serious_window: raw.serious.window_days,
            same_right_closure,
        })
    }

    /// The cost of `complaints`, arriving on their days.
    pub fn assess(&self, complaints: &[Complaint]) -> Assessment {
        let mut order: Vec<&Complaint> = complaints.iter().collect();
        order.sort_by_key(|c| c.day);
        // Per right: the day of its last penalized complaint, general and serious tracks
        // apart; and how many complaints of each kind counted on it.
        let mut last_general: HashMap<&str, u32> = HashMap::new();
        let mut last_serious: HashMap<&str, u32> = HashMap::new();
        let mut general_on: HashMap<&str, u32> = HashMap::new();
        let mut serious_on: HashMap<&str, u32> = HashMap::new();
        let (mut points, mut general_counted, mut serious_counted) = (0u32, 0u32, 0u32);
        for c in order {
            let (last, window) = if c.serious {
                (&mut last_serious, self.serious_window)
            } else {
                (&mut last_general, self.general_window)
            };
            if let Some(&d) = last.get(c.right.as_str()) {
                if window > 0 && c.day - d <= window {
                    continue;
                }
            }
            last.insert(&c.right, c.day);
            if c.serious {
                serious_counted += 1;
                *serious_on.entry(&c.right).or_default() += 1;
            } else {
                let n = general_on.entry(&c.right).or_default();
                points += if *n == 0 {
                    self.first_points
                } else {
                    self.repeat_points
                };
                *n += 1;
                general_counted += 1;
            }
        }
        let mut penalty = Penalty::None;
        let mut by = "none";
        let mut reason = String::from("no threshold reached");
        if let Some(&(t, p)) = self.thresholds.iter().rev().find(|(t, _)| points >= *t) {
            (penalty, by) = (p, "points");
            reason = format!("{points} general points reach {t}");
        }
        if serious_counted > 0 {
            let step = self.steps[(serious_counted as usize).min(self.steps.len()) - 1];
            if step > penalty {
                (penalty, by) = (step, "serious_count");
                reason = crate::report::plural(serious_counted, "serious complaint");
            }
        }
        if let Some(limit) = self.same_right_closure {
            let mut on_one: Vec<(&str, u32)> = serious_on
                .iter()
                .filter(|(_, &n)| n >= limit)
                .map(|(r, &n)| (*r, n))
                .collect();
            on_one.sort();
            if let Some((right, n)) = on_one.first() {
                if Penalty::Closure > penalty {
                    (penalty, by) = (Penalty::Closure, "same_right");
                    reason = format!("{n} serious complaints on {right}");
                }
            }
        }
        Assessment {
            points,
            general_counted,
            serious_counted,
            penalty,
            by,
            reason,
        }
    }

    /// The cost if every complaint counts: each arrives after the windows of the ones
    /// before it have passed.
    pub fn worst_case(&self, complaints: &[Complaint]) -> Assessment {
        let gap = self.general_window.max(self.serious_window) + 1;
        let spaced: Vec<Complaint> = complaints
            .iter()
            .enumerate()
            .map(|(i, c)| Complaint {
                day: (i as u32).saturating_mul(gap),
                ..c.clone()
            })
            .collect();
        self.assess(&spaced)
    }

    /// The cost if every complaint arrives on the same day, as a bulk complaint does.
    pub fn filed_together(&self, complaints: &[Complaint]) -> Assessment {
        let same_day: Vec<Complaint> = complaints
            .iter()
            .map(|c| Complaint {
                day: 0,
                ..c.clone()
            })
            .collect();
        self.assess(&same_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gen(n: usize, right: &str) -> Vec<Complaint> {
        vec![Complaint::general(right); n]
    }

    #[test]
    fn builtin_policy_parses() {
        let p = Policy::builtin();
        assert_eq!(p.first_points, 4);
        assert_eq!(p.thresholds.len(), 5);
        assert_eq!(p.steps.len(), 4);
    }

    #[test]
    fn general_points_and_thresholds() {
        let p = Policy::builtin();
        // n complaints on one right score 4 + 8(n-1).
        let cases = [
            (1, 4, Penalty::None),
            (2, 12, Penalty::Warning),
            (3, 20, Penalty::Warning),
            (4, 28, Penalty::Restriction { days: 7 }),
            (5, 36, Penalty::Restriction { days: 15 }),
            (6, 44, Penalty::Restriction { days: 15 }),
            (7, 52, Penalty::Restriction { days: 30 }),
            (8, 60, Penalty::Closure),
        ];
        for (n, points, penalty) in cases {
            let a = p.worst_case(&gen(n, "A"));
            assert_eq!((a.points, a.penalty), (points, penalty), "{n} complaints");
            assert_eq!(a.general_counted, n as u32);
        }
    }

    #[test]
    fn first_complaint_is_per_right() {
        let p = Policy::builtin();
        // 3 rights, one complaint each: 4 + 4 + 4 = 12, a warning.
        let mut c = gen(1, "A");
        c.extend(gen(1, "B"));
        c.extend(gen(1, "C"));
        let a = p.worst_case(&c);
        assert_eq!((a.points, a.penalty), (12, Penalty::Warning));
        // A twice, B twice: 12 + 12 = 24, a 7-day restriction.
        let mut c = gen(2, "A");
        c.extend(gen(2, "B"));
        assert_eq!(p.worst_case(&c).points, 24);
        assert_eq!(p.worst_case(&c).penalty, Penalty::Restriction { days: 7 });
    }

    #[test]
    fn window_is_per_right_and_inclusive() {
        let p = Policy::builtin();
        let at = |right: &str, day| Complaint {
            day,
            ..Complaint::general(right)
        };
        // Day 0 scores 4; day 5 is within 5 days of it; day 6 is not (8); day 9 is within
        // 5 days of day 6, the last penalized one.
        let a = p.assess(&[at("A", 0), at("A", 5), at("A", 6), at("A", 9)]);
        assert_eq!((a.points, a.general_counted), (12, 2));
        // Another right's complaint inside A's window still counts.
        let a = p.assess(&[at("A", 0), at("B", 1)]);
        assert_eq!(a.points, 8);
        // Input order does not matter, days do.
        let a = p.assess(&[at("A", 6), at("A", 0)]);
        assert_eq!(a.points, 12);
    }

    #[test]
    fn serious_steps_and_same_right_closure() {
        let p = Policy::builtin();
        let s = |r: &str| Complaint::serious(r);
        let cases: [(&[Complaint], Penalty); 6] = [
            (&[s("A")], Penalty::Warning),
            (&[s("A"), s("A")], Penalty::Restriction { days: 7 }),
            (&[s("A"), s("B"), s("C")], Penalty::Restriction { days: 15 }),
            (&[s("A"), s("A"), s("B")], Penalty::Restriction { days: 15 }),
            (&[s("A"), s("A"), s("A")], Penalty::Closure),
            (&[s("A"), s("B"), s("C"), s("D")], Penalty::Closure),
        ];
        for (c, want) in cases {
            assert_eq!(p.worst_case(c).penalty, want, "{c:?}");
        }
        let a = p.worst_case(&[s("A"), s("A"), s("A")]);
        assert_eq!(a.by, "same_right");
        assert!(
            a.reason.contains("3 serious complaints on A"),
            "{}",
            a.reason
        );
        // Four across rights reach the last step by count, not by the same-right rule.
        assert_eq!(
            p.worst_case(&[s("A"), s("B"), s("C"), s("D")]).by,
            "serious_count"
        );
        // Serious complaints have no window in this policy: filed together, all count.
        assert_eq!(
            p.filed_together(&[s("A"), s("A"), s("A")]).penalty,
            Penalty::Closure
        );
    }

    #[test]
    fn graver_track_wins() {
        let p = Policy::builtin();
        // 4 general on A (28 points, 7 days) and one serious on B (warning).
        let mut c = gen(4, "A");
        c.push(Complaint::serious("B"));
        let a = p.worst_case(&c);
        assert_eq!(a.penalty, Penalty::Restriction { days: 7 });
        assert_eq!(a.by, "points");
        assert!(a.reason.contains("28 general points"), "{}", a.reason);
        // 1 general (4 points) and two serious: 7 days from the serious track.
        let c = [
            Complaint::general("A"),
            Complaint::serious("B"),
            Complaint::serious("C"),
        ];
        assert_eq!(p.worst_case(&c).penalty, Penalty::Restriction { days: 7 });
    }

    #[test]
    fn penalties_order_and_print() {
        assert!(Penalty::Closure > Penalty::Restriction { days: 30 });
        assert!(Penalty::Restriction { days: 15 } > Penalty::Restriction { days: 7 });
        assert!(Penalty::Restriction { days: 1 } > Penalty::Warning);
        assert_eq!(
            Penalty::Restriction { days: 7 }.to_string(),
            "7-day restriction"
        );
    }

    #[test]
    fn bad_policies_name_file_line_and_problem() {
        let base = Policy::builtin();
        let text = crate::policy::BUILTIN_POLICY.1;
        let e = Policy::parse("p.toml", &text.replace("repeat_points", "repeat_pts"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p.toml:"), "{e}");
        assert!(e.contains("repeat_pts"), "{e}");
        let e = Policy::parse("p.toml", &text.replace("days = 7\n", ""))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("general.thresholds[1]") && e.contains("days"),
            "{e}"
        );
        let e = Policy::parse("p.toml", &text.replace("points = 36", "points = 20"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("must rise"), "{e}");
        let e = Policy::parse("p.toml", &text.replace("\"closure\" }", "\"banished\" }"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("banished"), "{e}");
        // The built-in text parses to the built-in policy.
        assert_eq!(Policy::parse("<builtin:alibaba>", text).unwrap(), base);
    }
}
