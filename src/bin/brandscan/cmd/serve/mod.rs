//! `brandscan serve` — the pre-publish check as an HTTP JSON service.
//!
//! ```text
//! POST /v1/check   a listing {"id":..,"title":..,...} or {"listings":[...]} → verdicts
//! GET  /healthz    {"status":"ok","rules":N,"fingerprint":"sha256:..."}
//! GET  /readyz     200 while taking requests, 503 once shutting down
//! GET  /metrics    counters and gauges, Prometheus text format
//! POST /v1/reload  load the word lists again (only with --reload-token; SIGHUP always)
//! GET  /           the seller page, and /v1/jobs, /v1/fix, ... behind it ([`page`])
//! ```
//!
//! Answers come from `brandscan::service`, which gives the same verdict objects as
//! `check --jsonl`. Every check runs on the blocking pool under the request's deadline
//! (`--timeout-ms`); at the deadline it is cancelled, so a 503 means the work stopped.
//! At most `--max-in-flight` checks run at once; others wait in a bounded queue.
//! Connection limits and timeouts are in [`conn`]; every answer, errors included, is
//! JSON and carries the fingerprint of the lists in use.

#[cfg(feature = "ocr")]
mod bundle;
mod conn;
mod jobs;
mod log;
mod metrics;
mod page;

use super::{build_matcher, memory};
use crate::args::ServeArgs;
use anyhow::{Context, Result};
use brandscan::config::{Config, ServeConfig};
use brandscan::service::{CheckError, CheckLimits, CheckResponse, CheckService};
use brandscan::Cancel;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use log::{Access, Log};
use metrics::Metrics;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::time::{timeout_at, Instant};

/// The header carrying the fingerprint of the word lists that answered.
const FINGERPRINT_HEADER: &str = "x-brandscan-fingerprint";

/// Connections kept free of the open-file limit for the listener, word lists and logs.
const SPARE_FILES: u64 = 32;

struct App {
    service: Arc<CheckService>,
    timeout: Duration,
    max_body: usize,
    limits: CheckLimits,
    slots: Arc<Semaphore>,
    max_queue: usize,
    reload_token: Option<String>,
    allow_host: Vec<String>,
    addr: SocketAddr,
    draining: AtomicBool,
    metrics: Arc<Metrics>,
    log: Arc<Log>,
    page: page::Page,
}

/// What the access log adds for a check.
#[derive(Default)]
struct Extra {
    listings: Option<usize>,
    verdict: Option<&'static str>,
    bytes_in: u64,
    fingerprint: Option<String>,
}

/// Every answer's body: bytes in memory, or a file sent in chunks.
pub type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, std::io::Error>;

type Answer = Response<Body>;

pub fn run(_args: ServeArgs, cfg: &Config) -> Result<u8> {
    let o = cfg.serve();
    memory::fixed_mmap_threshold();
    let rules = cfg.clone();
    let service = CheckService::new(Box::new(move || {
        // The loader must give the library's error type; keep anyhow's context chain
        // (it names the file and line) in the message.
        build_matcher(&rules).map_err(|e| brandscan::Error::usage(super::error_line(&e)))
    }))?
    .after_reload(memory::release_free_memory);
    // Pictures sent with a listing are read with the picture keys; the models load at
    // the first one.
    #[cfg(feature = "ocr")]
    let service = service.with_pictures(brandscan::ocr::PictureOptions::from_config(cfg, "."));
    let service = Arc::new(service);
    let workers = match o.threads() {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let in_flight = match o.max_in_flight() {
        0 => 2 * workers,
        n => n,
    };
    let page = page::Page::new(cfg)?;
    let jobs = page.jobs.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .max_blocking_threads(in_flight + 4)
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the runtime")?;
    let served = rt.block_on(serve(o, service, in_flight, page));
    // Checks still running were cancelled with their connections; give them a moment.
    rt.shutdown_timeout(Duration::from_secs(1));
    // The page's uploads and results go with the server.
    jobs.clear();
    served.map(|()| 0)
}

async fn serve(
    o: ServeConfig,
    service: Arc<CheckService>,
    in_flight: usize,
    page: page::Page,
) -> Result<()> {
    let log = Arc::new(Log::new(o.log_format(), !o.no_access_log()));
    let listen = o.listen();
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    if !addr.ip().is_loopback() {
        log.event(
            "warning",
            &format!(
                "warning: listening on {addr}, reachable from other machines; \
                 use 127.0.0.1 unless a firewall or proxy stands in front"
            ),
            json!({"addr": addr.to_string()}),
        );
    }
    let max_connections = fit_open_files(o.max_connections(), &log);
    let metrics = Arc::new(Metrics::default());
    let timeout_ms = o.timeout_ms();
    let app = Arc::new(App {
        service: service.clone(),
        timeout: Duration::from_millis(timeout_ms.max(1)),
        max_body: o.max_body(),
        limits: CheckLimits {
            per_listing: o.max_findings(),
            per_response: o.max_response_findings(),
        },
        slots: Arc::new(Semaphore::new(in_flight)),
        max_queue: o.max_queue(),
        reload_token: o.reload_token.clone().filter(|t| !t.is_empty()),
        allow_host: o.allow_host.clone().unwrap_or_default(),
        addr,
        draining: AtomicBool::new(false),
        metrics: metrics.clone(),
        log: log.clone(),
        page,
    });
    let sweeper = app.page.jobs.clone();
    let swept = sweeper.swept_at_start();
    if swept > 0 {
        log.event(
            "sweep",
            &format!(
                "removed {swept} upload director{} left by a killed brandscan serve",
                if swept == 1 { "y" } else { "ies" }
            ),
            json!({"removed": swept}),
        );
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(sweeper.sweep_every());
        loop {
            tick.tick().await;
            let jobs = sweeper.clone();
            let _ = tokio::task::spawn_blocking(move || jobs.sweep()).await;
        }
    });
    #[cfg(unix)]
    tokio::spawn(reload_on_sighup(service.clone(), log.clone())?);
    let info = service.info();
    log.event(
        "listening",
        &format!(
            "listening on http://{addr} ({} rules, {}; body limit {} bytes, timeout {} ms, \
             {in_flight} checks at once, {max_connections} connections; reload over HTTP {})",
            info.rules,
            info.fingerprint,
            o.max_body(),
            timeout_ms,
            if app.reload_token.is_some() {
                "on"
            } else {
                "off"
            }
        ),
        json!({"addr": addr.to_string(), "rules": info.rules, "fingerprint": info.fingerprint}),
    );
    let limits = conn::Limits {
        max_connections,
        header_timeout: o.header_timeout(),
        idle_timeout: o.idle_timeout(),
        shutdown_timeout: o.shutdown_timeout(),
    };
    let stop_app = app.clone();
    let stop = async move {
        shutdown_signal().await;
        stop_app.draining.store(true, Ordering::SeqCst);
    };
    let handler_app = app.clone();
    let handle = move |req: Request<Incoming>, peer: SocketAddr, state: Arc<conn::ConnState>| {
        let app = handler_app.clone();
        async move {
            state.request_started();
            let r = answer(&app, req, peer).await;
            state.request_done();
            r
        }
    };
    let lists = service.clone();
    let fingerprint: conn::Fingerprint = Arc::new(move || lists.current().fingerprint.clone());
    conn::serve(
        listener,
        limits,
        metrics,
        log.clone(),
        handle,
        fingerprint,
        stop,
    )
    .await;
    log.event("stopped", "stopped", json!({}));
    Ok(())
}

/// Answer one request, count it and log it.
async fn answer(app: &Arc<App>, req: Request<Incoming>, peer: SocketAddr) -> Answer {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut extra = Extra::default();
    let open = matches!(
        path.as_str(),
        "/" | "/index.html" | "/app.js" | "/app.css" | "/v1/signin" | "/v1/session" | "/v1/reload"
    ) || !path.starts_with("/v1/");
    let routed = if !open && !app.page.signed_in(req.headers()) {
        let mut r = error(
            StatusCode::UNAUTHORIZED,
            "this service asks for its token: send `Authorization: Bearer <--token>`, or sign in on the page",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        Ok(("/v1/page", r))
    } else {
        page::route(app, req).await
    };
    let (route, mut resp) = match routed {
        Ok(answered) => answered,
        Err(req) => match (path.as_str(), &method) {
            ("/v1/check", &Method::POST) => ("/v1/check", check(app, req, &mut extra).await),
            ("/healthz", &Method::GET) => ("/healthz", healthz(app)),
            ("/readyz", &Method::GET) => ("/readyz", readyz(app)),
            ("/metrics", &Method::GET) => ("/metrics", metrics_text(app)),
            ("/v1/reload", &Method::POST) => ("/v1/reload", reload(app, req).await),
            ("/v1/check" | "/v1/reload", _) => ("/v1/check", not_allowed(&method, &path, "POST")),
            ("/healthz" | "/readyz" | "/metrics", _) => {
                ("other", not_allowed(&method, &path, "GET"))
            }
            _ => ("other", not_found(&method, &path)),
        },
    };
    let route = if path == "/v1/reload" {
        "/v1/reload"
    } else {
        route
    };
    let fingerprint = extra
        .fingerprint
        .take()
        .unwrap_or_else(|| app.service.current().fingerprint.clone());
    if let Ok(v) = HeaderValue::from_str(&fingerprint) {
        resp.headers_mut().insert(FINGERPRINT_HEADER, v);
    }
    let seconds = started.elapsed().as_secs_f64();
    let status = resp.status().as_u16();
    app.metrics.request(route, status, seconds);
    if app.log.access {
        let bytes_out = http_body::Body::size_hint(resp.body()).exact().unwrap_or(0);
        app.log.access(&Access {
            peer,
            method: method.as_str(),
            path: &path,
            status,
            seconds,
            bytes_in: extra.bytes_in,
            bytes_out,
            listings: extra.listings,
            verdict: extra.verdict,
        });
    }
    resp
}

/// One request in the queue for a check slot, for as long as it lives.
struct Queued<'a>(&'a std::sync::atomic::AtomicI64);

impl<'a> Queued<'a> {
    fn enter(count: &'a std::sync::atomic::AtomicI64) -> Queued<'a> {
        count.fetch_add(1, Ordering::SeqCst);
        Queued(count)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Cancels a check when its request goes away: at the deadline, or when the client
/// disconnects and the request's future is dropped.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

async fn check(app: &Arc<App>, req: Request<Incoming>, extra: &mut Extra) -> Answer {
    let deadline = Instant::now() + app.timeout;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "request body larger than {} bytes (--max-body)",
                app.max_body
            ),
        )
    };
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > app.max_body as u64) {
        extra.bytes_in = declared.unwrap_or(0);
        return too_large();
    }
    let body = Limited::new(req.into_body(), app.max_body);
    let body = match timeout_at(deadline, body.collect()).await {
        Err(_) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                &format!(
                    "request body not received within {} ms (--timeout-ms)",
                    app.timeout.as_millis()
                ),
            )
        }
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => return too_large(),
        Ok(Err(e)) => return body_error(&*e),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    extra.bytes_in = body.len() as u64;
    // Wait for a check slot, in a bounded queue, no longer than the deadline.
    let m = &app.metrics;
    if m.queued.load(Ordering::SeqCst) >= app.max_queue as i64 {
        return busy(app, "too many requests waiting for a check (--max-queue)");
    }
    // Counted out on drop: a client that hangs up while waiting must leave the queue.
    let waiting = Queued::enter(&m.queued);
    let permit = timeout_at(deadline, app.slots.clone().acquire_owned()).await;
    drop(waiting);
    let Ok(Ok(permit)) = permit else {
        return busy(
            app,
            "every check slot stayed busy until the deadline (--max-in-flight)",
        );
    };
    let cancel = Cancel::new();
    let guard = CancelOnDrop(cancel.clone());
    let service = app.service.clone();
    let limits = app.limits;
    let metrics = app.metrics.clone();
    let job = tokio::task::spawn_blocking(move || {
        // The slot is held until the work has stopped, not just until the answer left.
        let _permit = permit;
        metrics.in_flight.fetch_add(1, Ordering::Relaxed);
        let r = service.check_body_with(&body, &cancel, limits);
        metrics.in_flight.fetch_sub(1, Ordering::Relaxed);
        r
    });
    let late = || {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "check not finished within {} ms (--timeout-ms); it was stopped",
                app.timeout.as_millis()
            ),
        )
    };
    let outcome = timeout_at(deadline, job).await;
    drop(guard);
    match outcome {
        Err(_) | Ok(Ok(Err(CheckError::Cancelled))) => {
            app.metrics.cancelled.fetch_add(1, Ordering::Relaxed);
            app.log.throttled(
                "deadline",
                &format!(
                    "stopped a check of {} bytes at its deadline of {} ms (--timeout-ms)",
                    extra.bytes_in,
                    app.timeout.as_millis()
                ),
                json!({"bytes_in": extra.bytes_in}),
            );
            late()
        }
        Ok(Err(e)) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Ok(Ok(Err(CheckError::BadRequest(bad)))) => error(StatusCode::BAD_REQUEST, &bad.0),
        Ok(Ok(Err(CheckError::Failed(why)))) => error(StatusCode::INTERNAL_SERVER_ERROR, &why),
        Ok(Ok(Ok(CheckResponse {
            body,
            fingerprint,
            listings,
            worst,
            truncated,
        }))) => {
            if truncated {
                app.metrics.truncated.fetch_add(1, Ordering::Relaxed);
            }
            extra.listings = Some(listings);
            extra.verdict = Some(worst.map_or("pass", |a| a.as_str()));
            extra.fingerprint = Some(fingerprint);
            bytes(StatusCode::OK, "application/json", body.into())
        }
    }
}

fn healthz(app: &App) -> Answer {
    let info = app.service.info();
    json(
        StatusCode::OK,
        &json!({"status": "ok", "rules": info.rules, "fingerprint": info.fingerprint}),
    )
}

fn readyz(app: &App) -> Answer {
    if app.draining.load(Ordering::SeqCst) {
        return json(
            StatusCode::SERVICE_UNAVAILABLE,
            &json!({"status": "shutting down"}),
        );
    }
    let info = app.service.info();
    json(
        StatusCode::OK,
        &json!({"status": "ready", "rules": info.rules, "fingerprint": info.fingerprint}),
    )
}

fn metrics_text(app: &App) -> Answer {
    let info = app.service.info();
    let counts = app.service.reload_counts();
    let text = app
        .metrics
        .render(info.rules, &info.fingerprint, (counts.ok, counts.failed));
    bytes(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        text.into(),
    )
}

async fn reload(app: &Arc<App>, req: Request<Incoming>) -> Answer {
    let Some(token) = &app.reload_token else {
        return error(
            StatusCode::FORBIDDEN,
            "reloading over HTTP is off: start serve with --reload-token (SIGHUP reloads too)",
        );
    };
    let headers = req.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let host = text(header::HOST);
    if !host.is_some_and(|h| host_allowed(app, h)) {
        return error(
            StatusCode::FORBIDDEN,
            &format!(
                "Host `{}` is not a name of this service (add it with --allow-host)",
                host.unwrap_or("")
            ),
        );
    }
    if let Some(origin) = text(header::ORIGIN) {
        let authority = origin.split_once("://").map_or(origin, |(_, a)| a);
        if !host.is_some_and(|h| h.eq_ignore_ascii_case(authority)) {
            return error(
                StatusCode::FORBIDDEN,
                &format!("a reload from another origin ({origin}) is refused"),
            );
        }
    }
    let json_body = text(header::CONTENT_TYPE).is_some_and(|c| {
        c.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if !json_body {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a reload must be sent with Content-Type: application/json",
        );
    }
    let given = text(header::AUTHORIZATION).and_then(|a| a.strip_prefix("Bearer "));
    if !given.is_some_and(|g| same_secret(g.trim().as_bytes(), token.as_bytes())) {
        let mut r = error(
            StatusCode::UNAUTHORIZED,
            "a reload needs the header `Authorization: Bearer <--reload-token>`",
        );
        r.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return r;
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let log = app.log.clone();
    app.service.request_reload(Box::new(move |r| {
        log_reload(&log, r);
        let _ = tx.send(r.clone());
    }));
    match rx.await {
        Ok(Ok(info)) => json(
            StatusCode::OK,
            &json!({"status": "reloaded", "rules": info.rules, "fingerprint": info.fingerprint}),
        ),
        Ok(Err(failed)) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"error": failed.message, "kept": {"rules": failed.kept.rules, "fingerprint": failed.kept.fingerprint}}),
        ),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the reload was lost"),
    }
}

/// True when the Host header names this service: a loopback name or address, the
/// address it listens on, or an `--allow-host` name.
fn host_allowed(app: &App, host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = name.parse::<std::net::IpAddr>() {
        return ip.is_loopback() || (ip == app.addr.ip() && !ip.is_unspecified());
    }
    app.allow_host.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// Compare without stopping at the first difference, so timing tells nothing.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn log_reload(log: &Log, r: &brandscan::service::ReloadResult) {
    match r {
        Ok(info) => log.event(
            "reload",
            &format!(
                "reloaded word lists: {} rules, {}",
                info.rules, info.fingerprint
            ),
            json!({"ok": true, "rules": info.rules, "fingerprint": info.fingerprint}),
        ),
        Err(f) => log.event(
            "reload",
            &format!(
                "reload failed, still using {} rules, {}: {}",
                f.kept.rules, f.kept.fingerprint, f.message
            ),
            json!({"ok": false, "error": f.message, "rules": f.kept.rules}),
        ),
    }
}

#[cfg(unix)]
fn reload_on_sighup(
    service: Arc<CheckService>,
    log: Arc<Log>,
) -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    Ok(async move {
        while hup.recv().await.is_some() {
            let log = log.clone();
            // A failed reload keeps the old lists; the outcome is logged.
            service.request_reload(Box::new(move |r| log_reload(&log, r)));
        }
    })
}

/// `--max-connections`, lowered to what the open-file limit allows.
fn fit_open_files(wanted: usize, log: &Log) -> usize {
    #[cfg(unix)]
    {
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct it is given.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0 {
            #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
            let cur = lim.rlim_cur as u64;
            let fits = cur.saturating_sub(SPARE_FILES).max(1) as usize;
            if fits < wanted {
                log.event(
                    "warning",
                    &format!(
                        "warning: --max-connections {wanted} lowered to {fits}: the open-file \
                         limit is {cur} (ulimit -n)"
                    ),
                    json!({"max_connections": fits, "open_files": cur}),
                );
                return fits;
            }
        }
    }
    let _ = log;
    wanted.max(1)
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn not_found(method: &Method, path: &str) -> Answer {
    error(
        StatusCode::NOT_FOUND,
        &format!(
            "no such endpoint: {method} {path} (try POST /v1/check, GET /healthz, GET /readyz, \
             GET /metrics, POST /v1/reload)"
        ),
    )
}

fn not_allowed(method: &Method, path: &str, allow: &'static str) -> Answer {
    let mut r = error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("{path} takes {allow}, not {method}"),
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

fn busy(app: &App, message: &str) -> Answer {
    app.metrics.busy.fetch_add(1, Ordering::Relaxed);
    app.log
        .throttled("busy", &format!("answered 503: {message}"), json!({}));
    let mut r = error(StatusCode::SERVICE_UNAVAILABLE, message);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// 400 for a body that could not be read.
fn body_error(e: &(dyn std::error::Error + Send + Sync)) -> Answer {
    error(
        StatusCode::BAD_REQUEST,
        &format!("cannot read the request body: {e}"),
    )
}

fn bytes(status: StatusCode, content_type: &'static str, body: Bytes) -> Answer {
    let body = Full::new(body)
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn json(status: StatusCode, value: &serde_json::Value) -> Answer {
    bytes(status, "application/json", value.to_string().into())
}

fn error(status: StatusCode, message: &str) -> Answer {
    json(status, &json!({ "error": message }))
}
