//! The seller page at `/` and the endpoints only it uses (docs/serve.md#the-page).
//!
//! The page is three files compiled in (`page/index.html`, `app.js`, `app.css`) under a
//! Content-Security-Policy that allows nothing but this origin: no inline script, no
//! other host. It checks a listing through `/v1/check` (the API's own endpoint),
//! suggests a clean title with `fix`'s matcher, and runs uploaded catalogs through the
//! command line's own `scan`, `fix` and `audit` ([`super::jobs`]).
//!
//! With `--token`, every `/v1/` endpoint but the sign-in asks for it: as
//! `Authorization: Bearer TOKEN`, or as the cookie the sign-in sets (HttpOnly,
//! SameSite=Strict, holding a hash of the token, never the token). The page's own
//! endpoints also check that `Host` names this service and that `Origin`, when sent, is
//! the same: another site cannot drive them, nor can a name rebound to 127.0.0.1.

use super::jobs::{Job, Jobs};
use super::{
    body_error, bytes as with_body, error, host_allowed, json as answer_json, Answer, App,
};
use brandscan::check::Listing;
use brandscan::config::Config;
use brandscan::fix::Fixer;
use brandscan::RuleKind;
use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use sha2::Digest;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWriteExt, ReadBuf};

const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/app.css");

/// Only this origin, nothing inline: what the page's own files need and no more.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self' data:; frame-src 'self'; form-action 'none'; \
    base-uri 'none'; frame-ancestors 'none'";

/// The HTML reports keep their own inline style and script, so they are shown sandboxed:
/// in a frame of this page only, with no access to the page, its cookie or the API.
const REPORT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    script-src 'unsafe-inline'; img-src data:; sandbox allow-scripts; frame-ancestors 'self'";

/// A stalled upload is dropped after this long without a byte.
const UPLOAD_STALL: Duration = Duration::from_secs(60);

/// The complaint's own terms file, sent in the audit request.
const MAX_TERMS: usize = 1 << 20;

const COOKIE: &str = "brandscan_session";

/// What the page needs beside the check service.
pub struct Page {
    pub jobs: Arc<Jobs>,
    cfg: Config,
    token: Option<String>,
    max_upload: u64,
    fixer: Mutex<Option<(String, Arc<Fixer>)>>,
}

impl Page {
    pub fn new(cfg: &Config) -> anyhow::Result<Page> {
        let o = cfg.serve();
        Ok(Page {
            jobs: Arc::new(Jobs::new(cfg.clone(), o.max_jobs(), o.job_ttl())?),
            cfg: cfg.clone(),
            token: o.token.clone().filter(|t| !t.is_empty()),
            max_upload: o.max_upload() as u64,
            fixer: Mutex::new(None),
        })
    }

    pub fn token_required(&self) -> bool {
        self.token.is_some()
    }

    /// True when the request carries the token, or the sign-in's cookie; always without
    /// `--token`.
    pub fn signed_in(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return true;
        };
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|a| a.strip_prefix("Bearer "))
            .is_some_and(|g| super::same_secret(g.trim().as_bytes(), token.as_bytes()));
        let want = session_value(token);
        let cookie = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(k, v)| k == COOKIE && super::same_secret(v.as_bytes(), want.as_bytes()));
        bearer || cookie
    }
}

/// The cookie's value: a hash of the token, so the cookie jar never holds the token.
fn session_value(token: &str) -> String {
    let h = sha2::Sha256::digest(format!("brandscan-page:{token}").as_bytes());
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// Answer the page's routes; `None` for any other path.
pub async fn route(
    app: &Arc<App>,
    req: Request<Incoming>,
) -> Result<(&'static str, Answer), Request<Incoming>> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let page_api = path.starts_with("/v1/jobs")
        || matches!(
            path.as_str(),
            "/v1/signin" | "/v1/session" | "/v1/brands" | "/v1/fix"
        );
    if page_api {
        if let Some(refused) = same_origin(app, req.headers()) {
            return Ok(("/v1/page", refused));
        }
    }
    let answer = match (path.as_str(), &method) {
        ("/" | "/index.html", &Method::GET) => ("/", asset(INDEX, "text/html; charset=utf-8")),
        ("/app.js", &Method::GET) => ("/", asset(SCRIPT, "text/javascript; charset=utf-8")),
        ("/app.css", &Method::GET) => ("/", asset(STYLE, "text/css; charset=utf-8")),
        ("/v1/session", &Method::GET) => ("/v1/page", session(app, req.headers())),
        ("/v1/signin", &Method::POST) => ("/v1/page", signin(app, req).await),
        ("/v1/brands", &Method::GET) => ("/v1/page", brands(app)),
        ("/v1/fix", &Method::POST) => ("/v1/page", suggest(app, req).await),
        ("/v1/jobs", &Method::POST) => ("/v1/jobs", upload(app, req).await),
        _ if path.starts_with("/v1/jobs/") => ("/v1/jobs", job_route(app, req, &path).await),
        _ => return Err(req),
    };
    Ok(answer)
}

/// A 403 unless `Host` names this service and `Origin`, when sent, is that same host.
fn same_origin(app: &App, headers: &HeaderMap) -> Option<Answer> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let host = text(header::HOST);
    if !host.is_some_and(|h| host_allowed(app, h)) {
        return Some(error(
            StatusCode::FORBIDDEN,
            &format!(
                "Host `{}` is not a name of this service (add it with --allow-host)",
                host.unwrap_or("")
            ),
        ));
    }
    if let Some(origin) = text(header::ORIGIN) {
        let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
        if !host.is_some_and(|h| h.eq_ignore_ascii_case(authority)) {
            return Some(error(
                StatusCode::FORBIDDEN,
                &format!("a request from another origin ({origin}) is refused"),
            ));
        }
    }
    None
}

fn asset(text: &'static str, content_type: &'static str) -> Answer {
    let mut r = with_body(
        StatusCode::OK,
        content_type,
        Bytes::from_static(text.as_bytes()),
    );
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

fn session(app: &App, headers: &HeaderMap) -> Answer {
    let info = app.service.info();
    answer_json(
        StatusCode::OK,
        &json!({
            "token_required": app.page.token_required(),
            "signed_in": app.page.signed_in(headers),
            "rules": info.rules,
            "fingerprint": info.fingerprint,
            "max_upload": app.page.max_upload,
            "max_jobs": app.page.jobs.max_jobs(),
            // The check takes pictures (build feature `ocr`), in a body of at most this.
            "pictures": cfg!(feature = "ocr"),
            "max_body": app.max_body,
        }),
    )
}

async fn signin(app: &App, req: Request<Incoming>) -> Answer {
    let body = match read_small(req, 4096).await {
        Ok(b) => b,
        Err(a) => return a,
    };
    let given = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("token").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    let Some(token) = &app.page.token else {
        return answer_json(StatusCode::OK, &json!({"signed_in": true}));
    };
    if !super::same_secret(given.trim().as_bytes(), token.as_bytes()) {
        return error(StatusCode::UNAUTHORIZED, "that is not the token");
    }
    let mut r = answer_json(StatusCode::OK, &json!({"signed_in": true}));
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        session_value(token)
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().insert(header::SET_COOKIE, v);
    }
    r
}

/// Every brand of the loaded lists, for the audit's picker.
fn brands(app: &App) -> Answer {
    let loaded = app.service.current();
    let mut names: Vec<&str> = loaded
        .scanner
        .matcher()
        .rules()
        .iter()
        .filter(|r| r.kind != RuleKind::Allow && !r.brand.is_empty())
        .map(|r| &*r.brand)
        .collect();
    names.sort_by_key(|b| b.to_lowercase());
    names.dedup();
    answer_json(StatusCode::OK, &json!({ "brands": names }))
}

/// `fix`'s matcher, built again when the lists were reloaded.
fn fixer(app: &App) -> anyhow::Result<Arc<Fixer>> {
    let fingerprint = app.service.current().fingerprint.clone();
    let mut cached = app.page.fixer.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((fp, f)) = cached.as_ref() {
        if *fp == fingerprint {
            return Ok(f.clone());
        }
    }
    let f = Arc::new(Fixer::new(super::super::fix::fix_matcher(
        &app.page.cfg,
        &[],
        &[],
    )?));
    *cached = Some((fingerprint, f.clone()));
    Ok(f)
}

/// What `fix` would make of one listing: the edited fields, or why it would leave the
/// listing for a person.
async fn suggest(app: &Arc<App>, req: Request<Incoming>) -> Answer {
    let body = match read_small(req, app.max_body).await {
        Ok(b) => b,
        Err(a) => return a,
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let listing = match Listing::from_json(&text) {
        Ok(l) => l,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("not a listing: {e}")),
    };
    let app2 = app.clone();
    let job = tokio::task::spawn_blocking(move || -> anyhow::Result<Value> {
        let fixer = fixer(&app2)?;
        let names: Vec<Arc<str>> = listing
            .fields
            .iter()
            .map(|(n, _)| n.as_str().into())
            .collect();
        let fix = fixer.fix_listing(
            names
                .iter()
                .zip(listing.fields.iter().map(|(_, t)| t.as_str())),
        );
        let edits: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| json!({"field": &*e.field, "before": e.before, "after": e.after}))
            .collect();
        let left: Vec<Value> = fix
            .left
            .iter()
            .map(|l| {
                json!({
                    "reason": l.reason.as_str(),
                    "needs_person": l.reason.needs_person(),
                    "field": l.field.as_deref(),
                    "detail": l.detail,
                })
            })
            .collect();
        Ok(json!({"edits": edits, "left": left, "needs_person": fix.needs_person()}))
    });
    match tokio::time::timeout(app.timeout, job).await {
        Ok(Ok(Ok(v))) => answer_json(StatusCode::OK, &v),
        Ok(Ok(Err(e))) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &super::super::error_line(&e),
        ),
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(_) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the suggestion took longer than --timeout-ms",
        ),
    }
}

/// `POST /v1/jobs?name=FILE`: the catalog as the body, streamed to the job's directory.
async fn upload(app: &Arc<App>, req: Request<Incoming>) -> Answer {
    let max = app.page.max_upload;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the catalog is larger than {} (--max-upload)",
                human_bytes(max)
            ),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return too_large();
    }
    let name = query_param(req.uri().query().unwrap_or(""), "name").unwrap_or_default();
    #[cfg(not(feature = "ocr"))]
    if name.to_ascii_lowercase().ends_with(".zip") {
        return error(
            StatusCode::BAD_REQUEST,
            "a .zip of a catalog and its pictures needs brandscan built with the `ocr` \
             feature; upload the catalog itself",
        );
    }
    let Some(slot) = app.page.jobs.slot() else {
        let mut r = error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "{} catalogs are being scanned already (--max-jobs); try again when one is done",
                app.page.jobs.max_jobs()
            ),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return r;
    };
    let job = match app.page.jobs.create(&name) {
        Ok(j) => j,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    match receive(&job, req.into_body(), max).await {
        Ok(0) => {
            app.page.jobs.remove(&job.id);
            error(StatusCode::BAD_REQUEST, "the file is empty")
        }
        Ok(n) => {
            job.set_size(n);
            app.page.jobs.start_scan(job.clone(), slot);
            answer_json(
                StatusCode::ACCEPTED,
                &json!({"id": job.id, "status": format!("/v1/jobs/{}", job.id)}),
            )
        }
        Err(Received::TooLarge) => {
            app.page.jobs.remove(&job.id);
            too_large()
        }
        Err(Received::Failed(status, message)) => {
            app.page.jobs.remove(&job.id);
            error(status, &message)
        }
    }
}

enum Received {
    TooLarge,
    Failed(StatusCode, String),
}

/// Write the body to the job's catalog file as it arrives, never holding it whole.
async fn receive(job: &Job, mut body: Incoming, max: u64) -> Result<u64, Received> {
    let write_error = |e: std::io::Error| {
        Received::Failed(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot store the upload: {e}"),
        )
    };
    let mut file = tokio::fs::File::create(job.catalog_path())
        .await
        .map_err(write_error)?;
    let mut n = 0u64;
    loop {
        let frame = match tokio::time::timeout(UPLOAD_STALL, body.frame()).await {
            Err(_) => {
                return Err(Received::Failed(
                    StatusCode::REQUEST_TIMEOUT,
                    format!("the upload stalled for {} s", UPLOAD_STALL.as_secs()),
                ))
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(Received::Failed(
                    StatusCode::BAD_REQUEST,
                    format!("the upload broke off: {e}"),
                ))
            }
            Ok(Some(Ok(f))) => f,
        };
        if let Ok(data) = frame.into_data() {
            n += data.len() as u64;
            if n > max {
                return Err(Received::TooLarge);
            }
            file.write_all(&data).await.map_err(write_error)?;
        }
    }
    file.flush().await.map_err(write_error)?;
    Ok(n)
}

/// `/v1/jobs/ID`, `/v1/jobs/ID/audit`, `/v1/jobs/ID/files/NAME`.
async fn job_route(app: &Arc<App>, req: Request<Incoming>, path: &str) -> Answer {
    let rest = &path["/v1/jobs/".len()..];
    let (id, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let method = req.method().clone();
    if method == Method::DELETE && tail.is_empty() {
        return if app.page.jobs.remove(id) {
            answer_json(StatusCode::OK, &json!({"deleted": id}))
        } else {
            no_job()
        };
    }
    let Some(job) = app.page.jobs.get(id) else {
        return no_job();
    };
    match (tail, &method) {
        ("", &Method::GET) => answer_json(StatusCode::OK, &job.status()),
        ("audit", &Method::POST) => audit(app, req, job).await,
        (t, &Method::GET) if t.starts_with("files/") => download(job, &t["files/".len()..]).await,
        _ => error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("{path} does not take {method}"),
        ),
    }
}

fn no_job() -> Answer {
    error(
        StatusCode::NOT_FOUND,
        "no such upload: it was deleted (after download, after --job-ttl, or by you); upload the catalog again",
    )
}

async fn audit(app: &Arc<App>, req: Request<Incoming>, job: Arc<Job>) -> Answer {
    let body = match read_small(req, MAX_TERMS + 64 * 1024).await {
        Ok(b) => b,
        Err(a) => return a,
    };
    let v: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("not JSON: {e}")),
    };
    let brands: Vec<String> = v
        .get("brands")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if brands.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "pick the brand that complained (one or more)",
        );
    }
    let terms = v
        .get("terms")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty());
    if terms.is_some_and(|t| t.len() > MAX_TERMS) {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the terms file is larger than 1 MiB",
        );
    }
    let terms_ext = match v.get("terms_name").and_then(Value::as_str) {
        Some(n) if n.to_ascii_lowercase().ends_with(".csv") => "csv",
        _ => "txt",
    };
    if job.busy() {
        return error(
            StatusCode::CONFLICT,
            "wait until the scan (or the audit) of this catalog has finished",
        );
    }
    let Some(slot) = app.page.jobs.slot() else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "other catalogs are being scanned (--max-jobs); try again in a moment",
        );
    };
    let terms = terms.map(|t| (t.to_string(), terms_ext));
    match app.page.jobs.start_audit(job.clone(), slot, brands, terms) {
        Ok(()) => answer_json(StatusCode::ACCEPTED, &job.status()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

async fn download(job: Arc<Job>, name: &str) -> Answer {
    let Some((path, save_as)) = job.file(name) else {
        return error(StatusCode::NOT_FOUND, "no such file in this upload");
    };
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => return error(StatusCode::NOT_FOUND, &format!("the file is gone: {e}")),
    };
    let len = match file.metadata().await {
        Ok(m) => m.len(),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let html = name.ends_with(".html");
    let content_type = if html {
        "text/html; charset=utf-8"
    } else if name.ends_with(".json") {
        "application/json"
    } else if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else {
        "application/octet-stream"
    };
    let done_name = name.to_string();
    let on_done: Option<Box<dyn FnOnce() + Send>> = if html {
        None
    } else {
        Some(Box::new(move || job.downloaded(&done_name)))
    };
    let body = FileBody {
        file,
        buf: vec![0; 64 * 1024].into_boxed_slice(),
        left: len,
        on_done,
    };
    let mut r = Response::new(body.boxed_unsync());
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(REPORT_CSP),
        );
    } else {
        let ascii: String = save_as
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let encoded: String = save_as
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    r
}

/// A file sent in chunks as the connection takes them; `on_done` runs once it was sent
/// whole.
struct FileBody {
    file: tokio::fs::File,
    buf: Box<[u8]>,
    left: u64,
    on_done: Option<Box<dyn FnOnce() + Send>>,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        if this.left == 0 {
            if let Some(f) = this.on_done.take() {
                f();
            }
            return Poll::Ready(None);
        }
        let mut rb = ReadBuf::new(&mut this.buf);
        match Pin::new(&mut this.file).poll_read(cx, &mut rb) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let got = rb.filled();
                if got.is_empty() {
                    return Poll::Ready(Some(Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the file got shorter while it was sent",
                    ))));
                }
                let n = got
                    .len()
                    .min(usize::try_from(this.left).unwrap_or(usize::MAX));
                this.left -= n as u64;
                Poll::Ready(Some(Ok(Frame::data(Bytes::copy_from_slice(&got[..n])))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0 && self.on_done.is_none()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

/// A small body (a listing, a token, an audit request), or the answer refusing it.
async fn read_small(req: Request<Incoming>, max: usize) -> Result<Bytes, Answer> {
    match tokio::time::timeout(UPLOAD_STALL, Limited::new(req.into_body(), max).collect()).await {
        Err(_) => Err(error(
            StatusCode::REQUEST_TIMEOUT,
            "the request body never came",
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("request body larger than {max} bytes"),
        )),
        Ok(Err(e)) => Err(body_error(&*e)),
        Ok(Ok(c)) => Ok(c.to_bytes()),
    }
}

/// One percent-encoded query parameter.
fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 => format!("{:.0} MiB", n as f64 / f64::from(1 << 20)),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_names_are_decoded() {
        assert_eq!(
            query_param("a=1&name=my%20shop%2Fx.csv", "name").as_deref(),
            Some("my shop/x.csv")
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%e8%80%90"), "耐");
        assert_eq!(query_param("x=1", "name"), None);
    }

    #[test]
    fn the_cookie_never_holds_the_token() {
        let v = session_value("s3cret");
        assert!(!v.contains("s3cret"));
        assert_eq!(v.len(), 64);
    }
}
