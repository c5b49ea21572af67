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
//! [`CheckService::request_reload`] runs every reload on one long-lived thread, one at a
//! time: requests that arrive while a build runs share the next build, so a burst of
//! reloads costs two builds, never one per request, and the memory of the old lists is
//! freed by the thread that allocated it.
//!
//! Checks are bounded: [`CheckService::check_body_with`] stops when its [`Cancel`] is set
//! (the server sets it at the request's deadline) and keeps at most
//! [`CheckLimits::per_listing`] findings per listing and [`CheckLimits::per_response`] per
//! answer, marking a shortened answer with `"truncated": true`. The verdict is always
//! that of every finding.
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

use crate::cancel::Cancel;
use crate::check::{kind, verdict, Checked, Listing};
use crate::error::Result;
use crate::finding::{Action, RecordFindings};
use crate::matcher::{Matcher, Scratch};
use crate::report::FindingRow;
use crate::scan::Scanner;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

/// The key of a listing object that carries its pictures (build feature `ocr`): an
/// array whose items are a picture file in base64 (a `data:` URL too), or an object
/// `{"data": "<base64>", "column": "Image Src"}`. Findings in them have field
/// `image:<column>`, `image:image` when no column is given. A build without the
/// feature answers a listing with this key with a [`BadRequest`] that says so.
pub const PICTURES_KEY: &str = "image_data";

/// The pictures sent with one listing: the picture files, each with its column.
#[cfg(feature = "ocr")]
pub type Pictures = Vec<crate::ocr::SentPicture>;
/// Without the feature a listing holds no pictures ([`take_pictures`] refuses them).
#[cfg(not(feature = "ocr"))]
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pictures {}

/// The pictures of a listing object under [`PICTURES_KEY`], taken out of it (they are
/// not text); none when it has no such key. `at` goes before the key in errors
/// (`listings[2].`). A build without the `ocr` feature refuses a listing that carries
/// pictures, saying so, rather than pass it on its text alone. `serve` and
/// `check --jsonl` read a listing's pictures with it.
///
/// ```
/// use brandscan::service::take_pictures;
/// let mut obj = serde_json::json!({"title": "Shoes", "image_data": ["TklLRQ=="]});
/// let obj = obj.as_object_mut().unwrap();
/// let taken = take_pictures(obj, "listings[0].");
/// assert!(!obj.contains_key("image_data"));
/// #[cfg(feature = "ocr")]
/// assert_eq!(taken.unwrap()[0].bytes, b"NIKE");
/// #[cfg(not(feature = "ocr"))]
/// assert!(taken.unwrap_err().0.contains("built without the `ocr` feature"));
/// ```
pub fn take_pictures(
    obj: &mut serde_json::Map<String, Value>,
    at: &str,
) -> std::result::Result<Pictures, BadRequest> {
    let Some(value) = obj.shift_remove(PICTURES_KEY) else {
        return Ok(Pictures::default());
    };
    #[cfg(feature = "ocr")]
    {
        pictures::parse(value, &format!("{at}{PICTURES_KEY}"))
    }
    #[cfg(not(feature = "ocr"))]
    {
        let _ = value;
        Err(BadRequest(format!(
            "{at}{PICTURES_KEY}: this brandscan reads no pictures: it was built without \
             the `ocr` feature (send the listing's text only, or use a build with \
             `--features ocr`)"
        )))
    }
}

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

/// Why [`CheckService::check_body_with`] gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckError {
    /// The body is not a listing or a batch of listings (HTTP 400).
    BadRequest(BadRequest),
    /// The check was cancelled before it finished (HTTP 503).
    Cancelled,
    /// The service cannot do what was asked, through no fault of the request: the
    /// picture models are missing, say (HTTP 500).
    Failed(String),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::BadRequest(b) => b.fmt(f),
            CheckError::Cancelled => f.write_str("check cancelled before it finished"),
            CheckError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for CheckError {}

impl From<BadRequest> for CheckError {
    fn from(b: BadRequest) -> CheckError {
        CheckError::BadRequest(b)
    }
}

/// Caps on the findings one answer lists. Verdicts still count every finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckLimits {
    /// At most this many findings per listing.
    pub per_listing: usize,
    /// At most this many findings in one answer, over all its listings.
    pub per_response: usize,
}

impl CheckLimits {
    /// No caps: every finding is listed (what `check --jsonl` does).
    pub const UNLIMITED: CheckLimits = CheckLimits {
        per_listing: usize::MAX,
        per_response: usize::MAX,
    };
}

impl Default for CheckLimits {
    /// 100 findings per listing, 1,000 per answer: far more than a real listing has,
    /// and an answer stays well under a megabyte.
    fn default() -> CheckLimits {
        CheckLimits {
            per_listing: 100,
            per_response: 1000,
        }
    }
}

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
    /// True when a findings cap left findings out of the answer.
    pub truncated: bool,
}

/// Checks listings against word lists that can be reloaded at any time. `Send + Sync`:
/// share one behind an `Arc` between every request handler.
pub struct CheckService {
    current: RwLock<Arc<Loaded>>,
    // Serializes reloads, so two reloads racing cannot store the older lists last.
    reloading: Mutex<()>,
    loader: Loader,
    queue: Arc<ReloadQueue>,
    after_reload: Option<fn()>,
    #[cfg(feature = "ocr")]
    pictures: Option<pictures::Reader>,
}

impl fmt::Debug for CheckService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckService")
            .field("current", &self.info())
            .finish_non_exhaustive()
    }
}

/// What a reload gave: the new lists, or why it failed and the lists still in use.
pub type ReloadResult = std::result::Result<ListsInfo, ReloadFailed>;

/// A reload that failed; the old lists stay in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadFailed {
    /// Why, naming the file and line.
    pub message: String,
    /// The lists still in use.
    pub kept: ListsInfo,
}

/// Reload counts since the service started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReloadCounts {
    /// Reloads that swapped in new lists.
    pub ok: u64,
    /// Reloads that failed and kept the old lists.
    pub failed: u64,
}

type Waiter = Box<dyn FnOnce(&ReloadResult) + Send>;

#[derive(Default)]
struct ReloadState {
    /// Tickets handed out; a build started after ticket `n` was given serves it.
    requested: u64,
    /// The highest ticket a build has started for.
    started: u64,
    waiters: Vec<(u64, Waiter)>,
    counts: ReloadCounts,
    thread: bool,
    closed: bool,
}

#[derive(Default)]
struct ReloadQueue {
    state: Mutex<ReloadState>,
    wake: Condvar,
}

impl ReloadQueue {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReloadState> {
        // Waiters run outside the lock, so a panic cannot leave the state half-changed.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for CheckService {
    fn drop(&mut self) {
        self.queue.lock().closed = true;
        self.queue.wake.notify_all();
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
            queue: Arc::default(),
            after_reload: None,
            #[cfg(feature = "ocr")]
            pictures: None,
        })
    }

    /// Read the pictures listings send in [`PICTURES_KEY`] with these options (build
    /// feature `ocr`). The models are loaded at the first picture, so a service that is
    /// never sent one never pays for them; when they cannot be loaded, requests with
    /// pictures fail ([`CheckError::Failed`]) and the others are answered as ever.
    #[cfg(feature = "ocr")]
    pub fn with_pictures(mut self, opts: crate::ocr::PictureOptions) -> CheckService {
        self.pictures = Some(pictures::Reader::new(opts));
        self
    }

    /// Call `f` on the reload thread after each reload, once the old lists are freed
    /// (the server hands freed memory back to the system there).
    pub fn after_reload(mut self, f: fn()) -> CheckService {
        self.after_reload = Some(f);
        self
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

    /// Reloads that succeeded and failed through [`CheckService::request_reload`].
    pub fn reload_counts(&self) -> ReloadCounts {
        self.queue.lock().counts
    }

    /// Load the lists again and swap them in, on the calling thread. On error the old
    /// lists stay in use and the error says why (file, line, problem).
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
        self.reload_keeping_old().map(|(info, _)| info)
    }

    /// Reload, and give back the lists replaced so the caller decides where they are freed.
    fn reload_keeping_old(&self) -> Result<(ListsInfo, Arc<Loaded>)> {
        let _one_at_a_time = self.reloading.lock().unwrap_or_else(|e| e.into_inner());
        let loaded = Arc::new(Loaded::new((self.loader)()?));
        let info = loaded.info();
        let old = std::mem::replace(
            &mut *self.current.write().unwrap_or_else(|e| e.into_inner()),
            loaded,
        );
        Ok((info, old))
    }

    /// Ask for a reload on the service's reload thread and call `done` with its outcome,
    /// on that thread. Requests made while a build runs share the next one: each caller
    /// gets lists loaded after it asked, and a burst costs at most two builds.
    ///
    /// ```
    /// use brandscan::service::CheckService;
    /// use brandscan::{Matcher, Rules};
    /// use std::sync::{mpsc, Arc};
    /// let svc = Arc::new(CheckService::new(Box::new(|| Matcher::new(Rules::parse_txt("l.txt", "Rolex\n")?))).unwrap());
    /// let (tx, rx) = mpsc::channel();
    /// for _ in 0..5 {
    ///     let tx = tx.clone();
    ///     svc.request_reload(Box::new(move |r| tx.send(r.clone()).unwrap()));
    /// }
    /// for _ in 0..5 {
    ///     assert_eq!(rx.recv().unwrap().unwrap().rules, 1);
    /// }
    /// let n = svc.reload_counts().ok;
    /// assert!((1..=5).contains(&n));
    /// ```
    pub fn request_reload(self: &Arc<Self>, done: Box<dyn FnOnce(&ReloadResult) + Send>) {
        let mut st = self.queue.lock();
        st.requested += 1;
        let ticket = st.requested;
        st.waiters.push((ticket, done));
        if !st.thread {
            let weak = Arc::downgrade(self);
            let queue = self.queue.clone();
            let spawned = std::thread::Builder::new()
                .name("brandscan-reload".into())
                .spawn(move || reload_thread(&queue, &weak));
            if spawned.is_ok() {
                st.thread = true;
            } else {
                // No thread to be had: fail this request, keep the lists.
                let waiters = std::mem::take(&mut st.waiters);
                st.counts.failed += waiters.len() as u64;
                drop(st);
                let r = Err(ReloadFailed {
                    message: "cannot start the reload thread".into(),
                    kept: self.info(),
                });
                for (_, w) in waiters {
                    w(&r);
                }
                return;
            }
        }
        drop(st);
        self.queue.wake.notify_all();
    }

    /// Answer one `/v1/check` body with no findings cap and no cancel: a listing object
    /// (`{"id":..,"title":..,...}`) gives its verdict object, exactly as `check --jsonl`
    /// writes it; `{"listings":[...]}` gives `{"results":[...]}`, one verdict per listing
    /// in the same order, each numbered by its 1-based position as `row`.
    pub fn check_body(&self, body: &[u8]) -> std::result::Result<CheckResponse, BadRequest> {
        match self.check_body_with(body, &Cancel::new(), CheckLimits::UNLIMITED) {
            Ok(r) => Ok(r),
            Err(CheckError::BadRequest(b)) => Err(b),
            // Nothing else holds this flag.
            Err(CheckError::Cancelled) => Err(BadRequest("check cancelled".into())),
            Err(CheckError::Failed(m)) => Err(BadRequest(m)),
        }
    }

    /// [`CheckService::check_body`] that stops when `cancel` is set and lists at most
    /// `limits` findings. A listing or batch whose findings were cut carries
    /// `"truncated": true`.
    ///
    /// ```
    /// use brandscan::service::{CheckLimits, CheckService};
    /// use brandscan::{Cancel, Matcher, Rules};
    /// let svc = CheckService::new(Box::new(|| Matcher::new(Rules::parse_txt("l.txt", "Rolex\n")?))).unwrap();
    /// let limits = CheckLimits { per_listing: 2, per_response: 10 };
    /// let out = svc.check_body_with(br#"{"title":"Rolex Rolex Rolex"}"#, &Cancel::new(), limits).unwrap();
    /// let v: serde_json::Value = serde_json::from_slice(&out.body).unwrap();
    /// assert_eq!(v["findings"].as_array().unwrap().len(), 2);
    /// assert_eq!(v["truncated"], true);
    /// ```
    pub fn check_body_with(
        &self,
        body: &[u8],
        cancel: &Cancel,
        limits: CheckLimits,
    ) -> std::result::Result<CheckResponse, CheckError> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| BadRequest(format!("request body is not JSON: {e}")))?;
        let loaded = self.current();
        let scanner = &loaded.scanner;
        let mut scratch = Scratch::new().with_cancel(cancel.clone());
        let mut obj = match value {
            Value::Object(obj) => obj,
            other => {
                return Err(BadRequest(format!(
                "request body must be a JSON object (a listing, or {{\"listings\":[...]}}), not {}",
                kind(&other)
            ))
                .into())
            }
        };
        let mut budget = limits.per_response;
        let (body, checked, truncated) = match obj.remove("listings") {
            Some(Value::Array(items)) => {
                let mut checked = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let at = format!("listings[{i}]");
                    let Value::Object(mut item) = item else {
                        let e = Listing::from_value(item).err().unwrap_or_default();
                        return Err(BadRequest(format!("{at}: {e}")).into());
                    };
                    let at = format!("{at}.");
                    let pics = self.take_pictures(&mut item, &at)?;
                    let listing = Listing::from_object(item);
                    checked.push(self.check_one(
                        scanner,
                        &listing,
                        &pics,
                        (i as u64 + 1, &at),
                        &mut scratch,
                        cancel,
                    )?);
                }
                let results: Vec<_> = checked
                    .iter()
                    .map(|c| Answer::of(c, limits.per_listing, &mut budget))
                    .collect();
                let truncated = results.iter().any(|r| r.truncated);
                let body = to_json(&Batch { results, truncated });
                (body, checked, truncated)
            }
            other => {
                if let Some(v) = other {
                    // Not a batch: a text field that happens to be called `listings`.
                    obj.insert("listings".into(), v);
                }
                let pics = self.take_pictures(&mut obj, "")?;
                let c = self.check_one(
                    scanner,
                    &Listing::from_object(obj),
                    &pics,
                    (1, ""),
                    &mut scratch,
                    cancel,
                )?;
                let answer = Answer::of(&c, limits.per_listing, &mut budget);
                let truncated = answer.truncated;
                let body = to_json(&answer);
                (body, vec![c], truncated)
            }
        };
        Ok(CheckResponse {
            body,
            fingerprint: loaded.fingerprint.clone(),
            listings: checked.len(),
            worst: checked.iter().filter_map(Checked::action).max(),
            truncated,
        })
    }
}

impl CheckService {
    /// [`take_pictures`], refused by a service that reads no pictures.
    fn take_pictures(
        &self,
        obj: &mut serde_json::Map<String, Value>,
        at: &str,
    ) -> std::result::Result<Pictures, CheckError> {
        #[cfg(feature = "ocr")]
        if self.pictures.is_none() && obj.contains_key(PICTURES_KEY) {
            return Err(BadRequest(format!(
                "{at}{PICTURES_KEY}: this service reads no pictures"
            ))
            .into());
        }
        Ok(take_pictures(obj, at)?)
    }

    /// [`crate::check::check`] with the caller's (cancellable) buffers, and the
    /// listing's pictures. The listing is numbered `row` and named `at` in errors.
    fn check_one(
        &self,
        scanner: &Scanner,
        listing: &Listing,
        pics: &Pictures,
        (row, at): (u64, &str),
        scratch: &mut Scratch,
        cancel: &Cancel,
    ) -> std::result::Result<Checked, CheckError> {
        let fields = listing
            .fields
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()));
        #[allow(unused_mut)]
        let mut findings = scanner.scan_fields_in(fields, scratch);
        if scratch.cancelled() {
            return Err(CheckError::Cancelled);
        }
        #[cfg(feature = "ocr")]
        if let (Some(reader), false) = (&self.pictures, pics.is_empty()) {
            let at = format!("{at}{PICTURES_KEY}");
            findings.extend(reader.check(scanner.matcher(), pics, scratch, cancel, &at)?);
        }
        #[cfg(not(feature = "ocr"))]
        let _ = (pics, cancel, at);
        Ok(Checked {
            record: RecordFindings {
                listing_id: listing.id.clone(),
                row,
                file_index: 0,
                findings,
            },
        })
    }
}

#[cfg(feature = "ocr")]
mod pictures {
    //! Pictures sent with a listing: parsed from [`super::PICTURES_KEY`], read by one
    //! [`PictureReader`] loaded at the first picture.

    use super::{BadRequest, CheckError};
    use crate::cancel::Cancel;
    use crate::check::kind;
    use crate::finding::Finding;
    use crate::matcher::{Matcher, Scratch};
    use crate::ocr::{PictureOptions, PictureReader, SentPicture};
    use base64::Engine as _;
    use serde_json::Value;
    use std::sync::OnceLock;

    pub(super) struct Reader {
        opts: PictureOptions,
        loaded: OnceLock<Result<PictureReader, String>>,
    }

    impl Reader {
        pub(super) fn new(opts: PictureOptions) -> Reader {
            Reader {
                opts,
                loaded: OnceLock::new(),
            }
        }

        /// Match the text of `pics`; `at` names them in errors (`listings[2].image_data`).
        pub(super) fn check(
            &self,
            matcher: &Matcher,
            pics: &[SentPicture],
            scratch: &mut Scratch,
            cancel: &Cancel,
            at: &str,
        ) -> Result<Vec<Finding>, CheckError> {
            let loaded = self
                .loaded
                .get_or_init(|| PictureReader::new(self.opts.clone()).map_err(|e| e.to_string()));
            let reader = loaded
                .as_ref()
                .map_err(|e| CheckError::Failed(format!("cannot read pictures: {e}")))?;
            reader
                .check_pictures(matcher, pics, scratch, cancel)
                .map_err(|(i, e)| {
                    if cancel.is_cancelled() {
                        CheckError::Cancelled
                    } else {
                        BadRequest(format!("{at}[{i}]: {e}")).into()
                    }
                })
        }
    }

    /// The pictures of `value`, a listing's [`super::PICTURES_KEY`] (named `at` in
    /// errors): what `serve` and `check --jsonl` read.
    pub fn parse(value: Value, at: &str) -> Result<Vec<SentPicture>, BadRequest> {
        let Value::Array(items) = value else {
            return Err(BadRequest(format!(
                "{at}: expected an array of pictures (base64 strings, or {{\"data\": ..., \"column\": ...}} objects), found {}",
                kind(&value)
            )));
        };
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let at = format!("{at}[{i}]");
                let (data, column) = match item {
                    Value::String(s) => (s, None),
                    Value::Object(mut o) => {
                        let Some(Value::String(data)) = o.shift_remove("data") else {
                            return Err(BadRequest(format!(
                                "{at}: a picture object needs `data`, the picture file in base64"
                            )));
                        };
                        let column = match o.shift_remove("column") {
                            None => None,
                            Some(Value::String(c)) if !c.trim().is_empty() => Some(c),
                            Some(_) => {
                                return Err(BadRequest(format!(
                                    "{at}.column: expected the name of a picture column"
                                )))
                            }
                        };
                        if let Some(k) = o.keys().next() {
                            return Err(BadRequest(format!(
                                "{at}: unknown key `{k}` (a picture has `data` and `column`)"
                            )));
                        }
                        (data, column)
                    }
                    other => {
                        return Err(BadRequest(format!(
                            "{at}: expected a picture in base64 or an object, found {}",
                            kind(&other)
                        )))
                    }
                };
                let bytes = decode_base64(&data)
                    .map_err(|e| BadRequest(format!("{at}: not a picture in base64: {e}")))?;
                Ok(SentPicture {
                    column: column.unwrap_or_else(|| "image".to_string()),
                    bytes,
                })
            })
            .collect()
    }

    /// Standard base64, line breaks allowed; a `data:` URL gives the part after
    /// `base64,` (what a browser's `FileReader.readAsDataURL` makes).
    fn decode_base64(s: &str) -> Result<Vec<u8>, base64::DecodeError> {
        let s = match s.strip_prefix("data:") {
            Some(rest) => rest.split_once("base64,").map_or(rest, |(_, d)| d),
            None => s,
        };
        let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(clean)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn pictures_parse_as_strings_data_urls_or_objects_and_errors_name_the_item() {
            let v: Value = serde_json::json!([
                "TklLRQ==",
                "data:image/png;base64,TklL\nRQ==",
                {"data": "TklLRQ==", "column": "Image Src"}
            ]);
            let p = parse(v, "image_data").unwrap();
            assert_eq!(p.len(), 3);
            assert!(p.iter().all(|p| p.bytes == b"NIKE"));
            assert_eq!(
                (p[0].column.as_str(), p[2].column.as_str()),
                ("image", "Image Src")
            );
            let e = |v: Value| parse(v, "listings[1].image_data").unwrap_err().0;
            assert!(e(serde_json::json!("TklLRQ==")).contains("expected an array"));
            assert!(e(serde_json::json!(["TklLRQ==", "%%%"]))
                .starts_with("listings[1].image_data[1]: not a picture in base64"));
            assert!(e(serde_json::json!([{"column": "x"}])).contains("needs `data`"));
            assert!(e(serde_json::json!([{"data": "", "alt": "x"}])).contains("unknown key `alt`"));
            assert!(e(serde_json::json!([3])).contains("found a number"));
        }
    }
}

/// The reload thread: waits for tickets, builds once for all tickets handed out so far,
/// answers their waiters, frees the old lists. Ends when the service is dropped.
fn reload_thread(queue: &ReloadQueue, service: &Weak<CheckService>) {
    loop {
        let target = {
            let mut st = queue.lock();
            while st.started == st.requested && !st.closed {
                st = queue.wake.wait(st).unwrap_or_else(|e| e.into_inner());
            }
            if st.closed {
                st.thread = false;
                return;
            }
            st.started = st.requested;
            st.started
        };
        let Some(svc) = service.upgrade() else { return };
        let (result, old) = match svc.reload_keeping_old() {
            Ok((info, old)) => (Ok(info), Some(old)),
            Err(e) => (
                Err(ReloadFailed {
                    message: e.to_string(),
                    kept: svc.info(),
                }),
                None,
            ),
        };
        let ready: Vec<Waiter> = {
            let mut st = queue.lock();
            match &result {
                Ok(_) => st.counts.ok += 1,
                Err(_) => st.counts.failed += 1,
            }
            let (now, later) = std::mem::take(&mut st.waiters)
                .into_iter()
                .partition(|(t, _)| *t <= target);
            st.waiters = later;
            now.into_iter().map(|(_, w)| w).collect()
        };
        for w in ready {
            w(&result);
        }
        if let Some(old) = old {
            free_here(old);
        }
        if let Some(f) = svc.after_reload {
            f();
        }
    }
}

/// Drop the replaced lists on this thread once the requests still using them are done
/// (they hold them at most for their deadline), so their memory goes back to the
/// allocator arena it came from. After a few seconds, the last request frees them.
fn free_here(old: Arc<Loaded>) {
    let until = Instant::now() + Duration::from_secs(2);
    let mut old = old;
    loop {
        match Arc::try_unwrap(old) {
            Ok(loaded) => {
                drop(loaded);
                return;
            }
            Err(still) if Instant::now() < until => {
                old = still;
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => return,
        }
    }
}

/// One verdict object of an answer: `check --jsonl`'s, plus `truncated` when findings
/// were left out.
#[derive(Serialize)]
struct Answer<'a> {
    id: &'a str,
    verdict: &'static str,
    findings: Vec<FindingRow<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
}

impl<'a> Answer<'a> {
    fn of(c: &'a Checked, per_listing: usize, budget: &mut usize) -> Answer<'a> {
        let n = c.record.findings.len();
        let keep = n.min(per_listing).min(*budget);
        *budget -= keep;
        Answer {
            id: &c.record.listing_id,
            verdict: verdict(&c.record.findings),
            findings: FindingRow::of(&c.record, None).take(keep).collect(),
            truncated: keep < n,
        }
    }
}

#[derive(Serialize)]
struct Batch<'a> {
    results: Vec<Answer<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    truncated: bool,
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

    #[test]
    fn caps_cut_findings_not_verdicts() {
        let (svc, _) = service(&["Rolex\nGucci\n"]);
        let limits = CheckLimits {
            per_listing: 2,
            per_response: 3,
        };
        let body = br#"{"listings":[{"t":"Rolex Rolex Rolex"},{"t":"Gucci Gucci"},{"t":"Rolex"},{"t":"mug"}]}"#;
        let r = svc.check_body_with(body, &Cancel::new(), limits).unwrap();
        let v = json(&r);
        let counts: Vec<usize> = (0..4)
            .map(|i| v["results"][i]["findings"].as_array().unwrap().len())
            .collect();
        assert_eq!(counts, [2, 1, 0, 0]);
        assert_eq!(
            v["results"][2]["verdict"], "remove",
            "the verdict counts every finding"
        );
        assert_eq!(v["results"][0]["truncated"], true);
        assert_eq!(v["results"][3].get("truncated"), None);
        assert_eq!(v["truncated"], true);
        assert!(r.truncated);
        let r = svc
            .check_body_with(br#"{"t":"Rolex"}"#, &Cancel::new(), limits)
            .unwrap();
        assert_eq!(json(&r).get("truncated"), None);
    }

    #[test]
    fn uncapped_answers_are_the_jsonl_verdicts() {
        let (svc, _) = service(&["Rolex\n"]);
        let body = br#"{"listings":[{"t":"Rolex"},{"id":"b","t":"mug"}]}"#;
        let capped = svc
            .check_body_with(body, &Cancel::new(), CheckLimits::default())
            .unwrap();
        let scanner = svc.current().scanner.clone();
        let l = Listing::from_json(r#"{"t":"Rolex"}"#).unwrap();
        let c = crate::check::check(&scanner, &l, 1);
        let want = serde_json::to_string(&c.to_verdict(true)).unwrap();
        let got = String::from_utf8(capped.body).unwrap();
        assert!(got.starts_with(&format!("{{\"results\":[{want},")), "{got}");
    }

    #[test]
    fn a_cancelled_check_gives_no_answer() {
        let (svc, _) = service(&["Rolex\n"]);
        let cancel = Cancel::new();
        cancel.cancel();
        let e = svc
            .check_body_with(br#"{"t":"Rolex"}"#, &cancel, CheckLimits::default())
            .unwrap_err();
        assert_eq!(e, CheckError::Cancelled);
    }

    #[test]
    fn a_burst_of_reloads_shares_builds() {
        let builds = Arc::new(AtomicUsize::new(0));
        let b = builds.clone();
        let svc = Arc::new(
            CheckService::new(Box::new(move || {
                b.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(50));
                Matcher::new(Rules::parse_txt("l.txt", "Rolex\n")?)
            }))
            .unwrap(),
        );
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..20 {
            let tx = tx.clone();
            svc.request_reload(Box::new(move |r| tx.send(r.is_ok()).unwrap()));
        }
        for _ in 0..20 {
            assert!(rx.recv().unwrap());
        }
        let n = builds.load(Ordering::SeqCst) - 1;
        assert!((1..=2).contains(&n), "{n} builds for 20 requests");
        assert_eq!(svc.reload_counts().ok, n as u64);
    }
}
