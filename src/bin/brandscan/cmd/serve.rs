//! `brandscan serve` — the pre-publish check as an HTTP JSON service.
//!
//! ```text
//! POST /v1/check   a listing {"id":..,"title":..,...} or {"listings":[...]} → verdicts
//! GET  /healthz    {"status":"ok","rules":N,"fingerprint":"sha256:..."}
//! POST /v1/reload  load the word lists again (SIGHUP does the same)
//! ```
//!
//! Only HTTP plumbing lives here: answers come from `brandscan::service`, which gives
//! the same verdict objects as `check --jsonl`. Matching is CPU work of microseconds per
//! listing, so small bodies are checked on the async worker itself and only large ones
//! are sent to the blocking pool, where the time limit can still answer for them.

use super::build_matcher;
use crate::args::ServeArgs;
use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use brandscan::config::{Config, ServeConfig};
use brandscan::service::{CheckResponse, CheckService};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{timeout_at, Instant};

/// Bodies up to this size are checked inline: well under a millisecond of matching.
const INLINE_BODY: usize = 64 << 10;

/// The header carrying the fingerprint of the word lists that answered.
const FINGERPRINT_HEADER: &str = "x-brandscan-fingerprint";

struct App {
    service: Arc<CheckService>,
    timeout: Duration,
    max_body: usize,
}

pub fn run(_args: ServeArgs, cfg: &Config) -> Result<u8> {
    let o = cfg.serve();
    let rules = cfg.clone();
    let service = CheckService::new(Box::new(move || {
        // The loader must give the library's error type; keep anyhow's context chain
        // (it names the file and line) in the message.
        build_matcher(&rules).map_err(|e| brandscan::Error::usage(format!("{e:#}")))
    }))?;
    let service = Arc::new(service);
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    if o.threads() > 0 {
        rt.worker_threads(o.threads());
    }
    let rt = rt
        .enable_io()
        .enable_time()
        .build()
        .context("cannot start the runtime")?;
    rt.block_on(serve(o, service))?;
    Ok(0)
}

async fn serve(o: ServeConfig, service: Arc<CheckService>) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(o.listen())
        .await
        .with_context(|| format!("cannot listen on {}", o.listen()))?;
    let addr = listener.local_addr().context("reading the bound address")?;
    #[cfg(unix)]
    tokio::spawn(reload_on_sighup(service.clone())?);
    let info = service.info();
    let app = Arc::new(App {
        service,
        timeout: Duration::from_millis(o.timeout_ms().max(1)),
        max_body: o.max_body(),
    });
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/check", post(check))
        .route("/v1/reload", post(reload))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(o.max_body()))
        .with_state(app);
    eprintln!(
        "brandscan: listening on http://{addr} ({} rules, {}; body limit {} bytes, timeout {} ms)",
        info.rules,
        info.fingerprint,
        o.max_body(),
        o.timeout_ms()
    );
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving")?;
    eprintln!("brandscan: stopped");
    Ok(())
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    let info = app.service.info();
    json(
        StatusCode::OK,
        &serde_json::json!({"status": "ok", "rules": info.rules, "fingerprint": info.fingerprint}),
    )
}

async fn check(State(app): State<Arc<App>>, req: Request) -> Response {
    let deadline = Instant::now() + app.timeout;
    let body = match timeout_at(deadline, Bytes::from_request(req, &())).await {
        Err(_) => {
            return error(
                StatusCode::REQUEST_TIMEOUT,
                "request body not received in time",
            )
        }
        Ok(Err(rejection)) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "request body larger than {} bytes (--max-body)",
                    app.max_body
                ),
            )
        }
        Ok(Err(rejection)) => return error(rejection.status(), &rejection.body_text()),
        Ok(Ok(body)) => body,
    };
    let answer = if body.len() <= INLINE_BODY {
        app.service.check_body(&body)
    } else {
        let service = app.service.clone();
        let job = tokio::task::spawn_blocking(move || service.check_body(&body));
        match timeout_at(deadline, job).await {
            Err(_) => {
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "check not finished in time",
                )
            }
            Ok(Err(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            Ok(Ok(answer)) => answer,
        }
    };
    match answer {
        Ok(CheckResponse {
            body, fingerprint, ..
        }) => {
            let mut resp = (StatusCode::OK, body).into_response();
            let headers = resp.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            if let Ok(v) = HeaderValue::from_str(&fingerprint) {
                headers.insert(FINGERPRINT_HEADER, v);
            }
            resp
        }
        Err(bad) => error(StatusCode::BAD_REQUEST, &bad.0),
    }
}

async fn reload(State(app): State<Arc<App>>) -> Response {
    let service = app.service.clone();
    match tokio::task::spawn_blocking(move || reload_now(&service)).await {
        Ok(Ok(info)) => json(
            StatusCode::OK,
            &serde_json::json!({"status": "reloaded", "rules": info.rules, "fingerprint": info.fingerprint}),
        ),
        Ok(Err((message, kept))) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"error": message, "kept": {"rules": kept.rules, "fingerprint": kept.fingerprint}}),
        ),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// Reload and log the outcome; on failure, the message and the lists still in use.
fn reload_now(
    service: &CheckService,
) -> std::result::Result<brandscan::service::ListsInfo, (String, brandscan::service::ListsInfo)> {
    match service.reload() {
        Ok(info) => {
            eprintln!(
                "brandscan: reloaded word lists: {} rules, {}",
                info.rules, info.fingerprint
            );
            Ok(info)
        }
        Err(e) => {
            let kept = service.info();
            eprintln!(
                "brandscan: reload failed, still using {} rules, {}: {e}",
                kept.rules, kept.fingerprint
            );
            Err((e.to_string(), kept))
        }
    }
}

#[cfg(unix)]
fn reload_on_sighup(service: Arc<CheckService>) -> Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    Ok(async move {
        while hup.recv().await.is_some() {
            let service = service.clone();
            // The outcome is logged by reload_now; a failed reload keeps the old lists.
            let _ = tokio::task::spawn_blocking(move || reload_now(&service)).await;
        }
    })
}

/// Resolves on Ctrl-C or SIGTERM: in-flight requests are answered, then the server stops.
async fn shutdown() {
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

async fn not_found(req: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!(
            "no such endpoint: {} {} (try POST /v1/check, GET /healthz, POST /v1/reload)",
            req.method(),
            req.uri().path()
        ),
    )
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        value.to_string(),
    )
        .into_response()
}

fn error(status: StatusCode, message: &str) -> Response {
    json(status, &serde_json::json!({ "error": message }))
}
