//! The engine behind `brandscan serve`: request bodies in, verdict JSON out, and word
//! lists that can be reloaded while requests are being answered.
//!
//! The HTTP layer lives in the binary; everything it answers comes from here, so the
//! service gives exactly the verdict objects of `check --jsonl` ([`crate::check`]).
//!
//! Reloading swaps an `Arc` behind a lock: a request takes the current word lists at its
//! start and keeps them to its end, a reload builds the new matcher without holding the
//! lock and then replaces the `Arc` in one short write. No request waits for a build, none
//! sees half-loaded lists, and a reload that fails leaves the old lists in place.
//!
//! ```
//! use brandscan::service::CheckService;
//! use brandscan::{Matcher, Rules};
//! let svc = CheckService::new(Box::new(|| Matcher::new(Rules::parse_txt("l.txt", "Rolex\n")?))).unwrap();
//! let out = svc.check_body(br#"{"listings":[{"id":"a","title":"Rolex strap"},{"id":"b","title":"mug"}]}"#).unwrap();
//! let v: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
//! assert_eq!(v["results"][0]["verdict"], "remove");
//! assert_eq!(v["results"][1]["verdict"], "pass");
//! assert_eq!(out.listings, 2);
//! ```

use crate::check::{check, kind, Checked, Listing};
use crate::error::Result;
use crate::finding::Action;
use crate::matcher::Matcher;
use crate::scan::Scanner;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};

/// Builds a fresh matcher from the word lists, at start and on every reload.
pub type Loader = Box<dyn Fn() -> Result<Matcher> + Send + Sync>;

/// A loaded set of word lists with what is worth knowing about it.
#[derive(Debug)]
pub struct Loaded {
    /// The scanner over the lists.
    pub scanner: Scanner,
    /// [`crate::Rules::fingerprint`] of the lists, computed once at load.
    pub fingerprint: String,
    /// The number of rules.
    pub rules: usize,
}

impl Loaded {
    fn new(matcher: Matcher) -> Loaded {
        Loaded {
            fingerprint: matcher.rules().fingerprint(),
            rules: matcher.rules().len(),
            scanner: Scanner::new(matcher),
        }
    }

    /// What `/healthz` and `/v1/reload` report about these lists.
    pub fn info(&self) -> ListsInfo {
        ListsInfo {
            rules: self.rules,
            fingerprint: self.fingerprint.clone(),
        }
    }
}

/// The size and fingerprint of the loaded lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListsInfo {
    /// The number of rules.
    pub rules: usize,
    /// The word-list fingerprint.
    pub fingerprint: String,
}

/// A request the service cannot answer because of what the client sent (HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadRequest {}

/// The answer to one `/v1/check` body.
#[derive(Debug, Clone)]
pub struct CheckResponse {
    /// The JSON to send back.
    pub body: Vec<u8>,
    /// The fingerprint of the lists that answered.
    pub fingerprint: String,
    /// How many listings were checked.
    pub listings: usize,
    /// The strictest verdict among them, `None` when every listing passed.
    pub worst: Option<Action>,
}

/// Checks listings against word lists that can be reloaded at any time. `Send + Sync`:
/// share one behind an `Arc` between every request handler.
pub struct CheckService {
    current: RwLock<Arc<Loaded>>,
    // Serializes reloads, so two reloads racing cannot store the older lists last.
    reloading: Mutex<()>,
    loader: Loader,
}

impl fmt::Debug for CheckService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckService")
            .field("current", &self.info())
            .finish_non_exhaustive()
    }
}

impl CheckService {
    /// Load the lists once with `loader`; the same loader runs on every reload.
    pub fn new(loader: Loader) -> Result<CheckService> {
        let loaded = Loaded::new(loader()?);
        Ok(CheckService {
            current: RwLock::new(Arc::new(loaded)),
            reloading: Mutex::new(()),
            loader,
        })
    }

    /// The lists in use now. A caller keeps them for as long as it holds the `Arc`,
    /// whatever reloads happen meanwhile.
    pub fn current(&self) -> Arc<Loaded> {
        // The lock only guards an Arc swap, which cannot panic half-way, so a poisoned
        // lock still holds a whole value.
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The size and fingerprint of the lists in use.
    pub fn info(&self) -> ListsInfo {
        self.current().info()
    }

    /// Load the lists again and swap them in. On error the old lists stay in use and
    /// the error says why (file, line, problem).
    ///
    /// ```
    /// use brandscan::service::CheckService;
    /// use brandscan::{Matcher, Rules};
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use std::sync::Arc;
    /// let broken = Arc::new(AtomicBool::new(false));
    /// let b = broken.clone();
    /// let svc = CheckService::new(Box::new(move || {
    ///     let text = if b.load(Ordering::SeqCst) { "term,kind\n(x,regex\n" } else { "term\nRolex\n" };
    ///     Matcher::new(Rules::parse_csv("l.csv", text)?)
    /// })).unwrap();
    /// let before = svc.info();
    /// broken.store(true, Ordering::SeqCst);
    /// assert!(svc.reload().unwrap_err().to_string().contains("l.csv:2"));
    /// assert_eq!(svc.info(), before);
    /// ```
    pub fn reload(&self) -> Result<ListsInfo> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let loaded = Arc::new(Loaded::new((self.loader)()?));
        let info = loaded.info();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = loaded;
        Ok(info)
    }

    /// Answer one `/v1/check` body: a listing object (`{"id":..,"title":..,...}`) gives
    /// its verdict object, exactly as `check --jsonl` writes it; `{"listings":[...]}`
    /// gives `{"results":[...]}`, one verdict per listing in the same order, each
    /// numbered by its 1-based position as `row`.
    pub fn check_body(&self, body: &[u8]) -> std::result::Result<CheckResponse, BadRequest> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| BadRequest(format!("request body is not JSON: {e}")))?;
        let loaded = self.current();
        let scanner = &loaded.scanner;
        let mut obj = match value {
            Value::Object(obj) => obj,
            other => {
                return Err(BadRequest(format!(
                "request body must be a JSON object (a listing, or {{\"listings\":[...]}}), not {}",
                kind(&other)
            )))
            }
        };
        let (body, checked) = match obj.remove("listings") {
            Some(Value::Array(items)) => {
                let mut checked = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let listing = Listing::from_value(item)
                        .map_err(|e| BadRequest(format!("listings[{i}]: {e}")))?;
                    checked.push(check(scanner, &listing, i as u64 + 1));
                }
                let results: Vec<_> = checked.iter().map(|c| c.to_verdict(true)).collect();
                let body = to_json(&Batch { results });
                (body, checked)
            }
            other => {
                if let Some(v) = other {
                    // Not a batch: a text field that happens to be called `listings`.
                    obj.insert("listings".into(), v);
                }
                let c = check(scanner, &Listing::from_object(obj), 1);
                let body = to_json(&c.to_verdict(true));
                (body, vec![c])
            }
        };
        Ok(CheckResponse {
            body,
            fingerprint: loaded.fingerprint.clone(),
            listings: checked.len(),
            worst: checked.iter().filter_map(Checked::action).max(),
        })
    }
}

#[derive(Serialize)]
struct Batch<'a> {
    results: Vec<crate::check::Verdict<'a>>,
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // serde_json fails only on maps with non-string keys and on Serialize impls that
    // report errors; verdicts have neither, whatever the request contained.
    serde_json::to_vec(value).expect("verdict objects always serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rules;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn service(lists: &'static [&'static str]) -> (CheckService, Arc<AtomicUsize>) {
        let which = Arc::new(AtomicUsize::new(0));
        let w = which.clone();
        let svc = CheckService::new(Box::new(move || {
            Matcher::new(Rules::parse_txt("l.txt", lists[w.load(Ordering::SeqCst)])?)
        }))
        .unwrap();
        (svc, which)
    }

    fn json(r: &CheckResponse) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn single_listing_is_the_jsonl_verdict() {
        let (svc, _) = service(&["Rolex\n"]);
        let r = svc
            .check_body(br#"{"id":"A1","title":"Strap for Rolex"}"#)
            .unwrap();
        let v = json(&r);
        assert_eq!(v["id"], "A1");
        assert_eq!(v["verdict"], "remove");
        assert_eq!(v["findings"][0]["start"], 10);
        assert_eq!(r.worst, Some(Action::Remove));
        assert_eq!(r.listings, 1);
    }

    #[test]
    fn batch_rows_follow_positions() {
        let (svc, _) = service(&["Rolex\n"]);
        let r = svc
            .check_body(br#"{"listings":[{"id":"a","t":"mug"},{"id":"b","t":"Rolex"}]}"#)
            .unwrap();
        let v = json(&r);
        assert_eq!(v["results"][0]["verdict"], "pass");
        assert_eq!(v["results"][1]["findings"][0]["row"], 2);
        let r = svc.check_body(br#"{"listings":[]}"#).unwrap();
        assert_eq!(json(&r)["results"], Value::Array(vec![]));
        assert_eq!(r.worst, None);
    }

    #[test]
    fn a_text_field_named_listings_is_scanned() {
        let (svc, _) = service(&["Rolex\n"]);
        let r = svc.check_body(br#"{"listings":"Rolex box"}"#).unwrap();
        assert_eq!(json(&r)["findings"][0]["field"], "listings");
    }

    #[test]
    fn bad_bodies_are_bad_requests() {
        let (svc, _) = service(&["Rolex\n"]);
        let e = svc.check_body(b"{").unwrap_err();
        assert!(e.0.contains("not JSON"), "{e}");
        let e = svc.check_body(b"[1]").unwrap_err();
        assert!(e.0.contains("an array"), "{e}");
        let e = svc.check_body(br#"{"listings":[{},3]}"#).unwrap_err();
        assert!(e.0.starts_with("listings[1]:"), "{e}");
    }

    #[test]
    fn reload_swaps_and_held_lists_stay() {
        let (svc, which) = service(&["Rolex\n", "Rolex\nZorblax\n"]);
        let held = svc.current();
        which.store(1, Ordering::SeqCst);
        let info = svc.reload().unwrap();
        assert_eq!(info.rules, 2);
        assert_ne!(info.fingerprint, held.fingerprint);
        assert_eq!(held.rules, 1, "a request in flight keeps its lists");
        let r = svc.check_body(br#"{"t":"Zorblax"}"#).unwrap();
        assert_eq!(json(&r)["verdict"], "remove");
        assert_eq!(r.fingerprint, info.fingerprint);
    }
}
