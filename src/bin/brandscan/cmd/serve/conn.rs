//! Connections: accepting under a limit, closing the ones that stall, and stopping.
//!
//! hyper serves each connection; around it, a watchdog closes a connection that has sent
//! part of a request header for longer than `--header-timeout` (slowloris) or has had no
//! request in progress for `--idle-timeout`. At `--max-connections` a new connection
//! takes the place of the connection that has been idle longest (no request in progress,
//! no partial header), so idle sockets, however many, cannot lock clients out; when every
//! connection is busy, the new one gets a short 503 and is closed. The process never runs
//! out of file descriptors and the limit is visible to the client and in the log.
//!
//! On shutdown the listener closes, idle connections close, requests in progress get
//! `--shutdown-timeout` to finish, and then every connection still open is dropped,
//! which cancels its check.

use super::log::Log;
use super::metrics::Metrics;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// The connection limits and timeouts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub shutdown_timeout: Duration,
}

/// What a connection is doing, shared by its reader, its requests and its watchdog.
pub struct ConnState {
    epoch: Instant,
    /// Requests being answered.
    busy: AtomicUsize,
    /// Bytes arrived since the last answer, and when the first of them did (ms).
    partial: AtomicBool,
    partial_since: AtomicU64,
    /// When the last answer was given, or the connection opened (ms).
    quiet_since: AtomicU64,
    /// Chosen to make room for a new connection; woken to close if still idle.
    evicting: AtomicBool,
    evict: Notify,
}

impl ConnState {
    fn new() -> ConnState {
        ConnState {
            epoch: Instant::now(),
            busy: AtomicUsize::new(0),
            partial: AtomicBool::new(false),
            partial_since: AtomicU64::new(0),
            quiet_since: AtomicU64::new(0),
            evicting: AtomicBool::new(false),
            evict: Notify::new(),
        }
    }

    /// How long the connection has had no request in progress and no partial header
    /// (ms), or `None` while it has one.
    fn idle_for(&self) -> Option<u64> {
        if self.busy.load(Ordering::SeqCst) > 0 || self.partial.load(Ordering::SeqCst) {
            return None;
        }
        Some(
            self.ms()
                .saturating_sub(self.quiet_since.load(Ordering::SeqCst)),
        )
    }

    fn ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    /// A request's header has arrived.
    pub fn request_started(&self) {
        self.busy.fetch_add(1, Ordering::SeqCst);
        self.partial.store(false, Ordering::SeqCst);
    }

    /// Its answer is ready.
    pub fn request_done(&self) {
        self.quiet_since.store(self.ms(), Ordering::SeqCst);
        self.busy.fetch_sub(1, Ordering::SeqCst);
    }

    fn bytes_arrived(&self) {
        if self.busy.load(Ordering::Relaxed) == 0 && !self.partial.load(Ordering::Relaxed) {
            self.partial_since.store(self.ms(), Ordering::SeqCst);
            self.partial.store(true, Ordering::SeqCst);
        }
    }
}

/// Why the watchdog closed a connection.
enum Stalled {
    Header,
    Idle,
    /// Closed while idle to make room for a new connection at the limit.
    Evicted,
}

/// The open connections, so that at the limit the longest idle one can be found.
#[derive(Default)]
struct Registry {
    next: AtomicU64,
    open: Mutex<HashMap<u64, Arc<ConnState>>>,
}

impl Registry {
    /// A number for a connection, in the order connections were accepted.
    fn number(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed)
    }

    fn add(&self, id: u64, state: Arc<ConnState>) {
        if let Ok(mut open) = self.open.lock() {
            open.insert(id, state);
        }
    }

    fn remove(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(&id);
        }
    }

    /// Ask the connection idle longest to close; false when none is idle. A scan of at
    /// most `--max-connections` entries, only when the limit is reached.
    fn evict_longest_idle(&self) -> bool {
        let Ok(open) = self.open.lock() else {
            return false;
        };
        // Ties (idle times are in ms) go to the connection opened first, so a client
        // that has just connected is the last to go.
        let victim = open
            .iter()
            .filter(|(_, c)| !c.evicting.load(Ordering::SeqCst))
            .filter_map(|(id, c)| c.idle_for().map(|t| ((t, std::cmp::Reverse(*id)), c)))
            .max_by_key(|(key, _)| *key);
        match victim {
            Some((_, c)) => {
                c.evicting.store(true, Ordering::SeqCst);
                c.evict.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Resolves when the connection has been asked to make room and is still idle; a request
/// that started in the meantime keeps it open.
async fn evicted(state: &ConnState) {
    loop {
        state.evict.notified().await;
        if state.idle_for().is_some() {
            return;
        }
        state.evicting.store(false, Ordering::SeqCst);
    }
}

/// How long a new connection waits for the slot of the idle connection it displaced.
const EVICT_WAIT: Duration = Duration::from_secs(1);

/// Resolves when the connection has stalled past a limit.
async fn watchdog(state: &ConnState, limits: Limits) -> Stalled {
    let tick = (limits.header_timeout.min(limits.idle_timeout) / 4)
        .clamp(Duration::from_millis(20), Duration::from_secs(1));
    let header = limits.header_timeout.as_millis() as u64;
    let idle = limits.idle_timeout.as_millis() as u64;
    loop {
        tokio::time::sleep(tick).await;
        if state.busy.load(Ordering::SeqCst) > 0 {
            continue;
        }
        let now = state.ms();
        if state.partial.load(Ordering::SeqCst) {
            if now.saturating_sub(state.partial_since.load(Ordering::SeqCst)) >= header {
                return Stalled::Header;
            }
        } else if now.saturating_sub(state.quiet_since.load(Ordering::SeqCst)) >= idle {
            return Stalled::Idle;
        }
    }
}

/// A socket that tells its [`ConnState`] when request bytes arrive, and gives hyper's own
/// bare error answers a JSON body.
struct Tracked {
    inner: TcpStream,
    state: Arc<ConnState>,
    rewrite: Option<Rewrite>,
    fingerprint: Fingerprint,
}

/// The fingerprint of the word lists in use, for answers made outside the handler.
pub type Fingerprint = Arc<dyn Fn() -> String + Send + Sync>;

/// An answer being written in place of the bytes hyper handed over.
struct Rewrite {
    bytes: Vec<u8>,
    at: usize,
    stands_for: usize,
}

/// hyper answers a request it cannot parse (a malformed request line or header, a header
/// too large) itself, before any handler runs, with an empty body. Every answer of this
/// service is a JSON object: such an answer is written again with one. The handler's
/// answers always carry a content type, so they are never taken for one.
fn json_error_answer(head: &[u8], fingerprint: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(head).ok()?;
    let (status_line, rest) = text.split_once("\r\n")?;
    let status = status_line.strip_prefix("HTTP/1.1 ")?;
    let lower = rest.to_ascii_lowercase();
    let bare = (status.starts_with('4') || status.starts_with('5'))
        && text.ends_with("\r\n\r\n")
        && lower.contains("content-length: 0\r\n")
        && !lower.contains("content-type:");
    if !bare {
        return None;
    }
    let body = json!({
        "error": format!("malformed HTTP request ({status}): it could not be read as HTTP/1.1")
    })
    .to_string();
    Some(
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nconnection: close\r\n\
             x-brandscan-fingerprint: {fingerprint}\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.state.bytes_arrived();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        if this.rewrite.is_none() {
            if let Some(bytes) = json_error_answer(buf, &(this.fingerprint)()) {
                this.rewrite = Some(Rewrite {
                    bytes,
                    at: 0,
                    stands_for: buf.len(),
                });
            }
        }
        let Tracked { inner, rewrite, .. } = this;
        if let Some(r) = rewrite {
            while r.at < r.bytes.len() {
                match Pin::new(&mut *inner).poll_write(cx, &r.bytes[r.at..]) {
                    Poll::Ready(Ok(0)) => {
                        return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()))
                    }
                    Poll::Ready(Ok(n)) => r.at += n,
                    other => return other,
                }
            }
            let n = r.stands_for;
            *rewrite = None;
            return Poll::Ready(Ok(n));
        }
        Pin::new(inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        // An error answer of hyper's own comes whole in its first slice: write it as one.
        let first = bufs.iter().find(|b| !b.is_empty());
        if let Some(first) = first {
            if self.rewrite.is_some() || json_error_answer(first, "").is_some() {
                return self.poll_write(cx, first);
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Resolves once the server starts closing.
async fn closed(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|c| *c).await;
}

/// Tell a connection past the limit 503 and close it, off the accept loop.
fn refuse(
    conns: &mut JoinSet<()>,
    stream: TcpStream,
    peer: SocketAddr,
    limits: Limits,
    metrics: &Metrics,
    log: &Log,
) {
    metrics.refused.fetch_add(1, Ordering::Relaxed);
    log.throttled(
        "connection_refused",
        &format!(
            "refused a connection from {peer}: {} connections open and none idle (--max-connections)",
            limits.max_connections
        ),
        json!({"peer": peer.to_string(), "limit": limits.max_connections}),
    );
    conns.spawn(answer_refused(stream));
}

/// Write the 503 and close without a reset: a socket closed with the client's request
/// unread sends RST, and the client sees "connection reset" instead of the answer.
async fn answer_refused(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(&refused()).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut left = 64 * 1024;
        while left > 0 {
            match tokio::io::AsyncReadExt::read(&mut stream, &mut sink).await? {
                0 => break,
                n => left -= n.min(left),
            }
        }
        Ok::<_, std::io::Error>(())
    })
    .await;
}

/// The answer to a connection past the limit.
fn refused() -> Vec<u8> {
    let body = r#"{"error":"too many open connections (--max-connections)"}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Serve `listener` until `stop` resolves, then drain. `handle` answers one request.
pub async fn serve<H, F>(
    listener: TcpListener,
    limits: Limits,
    metrics: Arc<Metrics>,
    log: Arc<Log>,
    handle: H,
    fingerprint: Fingerprint,
    stop: impl Future<Output = ()>,
) where
    H: Fn(Request<Incoming>, SocketAddr, Arc<ConnState>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = hyper::Response<super::Body>> + Send + 'static,
{
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let registry = Arc::new(Registry::default());
    let (closing_tx, closing_rx) = watch::channel(false);
    let mut conns = JoinSet::new();
    tokio::pin!(stop);
    loop {
        while conns.try_join_next().is_some() {}
        let accepted = tokio::select! {
            _ = &mut stop => break,
            a = listener.accept() => a,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors or a connection reset before it was accepted:
                // wait a little instead of spinning, and say so.
                log.throttled(
                    "accept_error",
                    &format!("cannot accept a connection: {e}"),
                    json!({"error": e.to_string()}),
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let admit = match slots.clone().try_acquire_owned() {
            Ok(slot) => Some(slot),
            Err(_) if registry.evict_longest_idle() => None,
            Err(_) => {
                refuse(&mut conns, stream, peer, limits, &metrics, &log);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let state = Arc::new(ConnState::new());
        let id = registry.number();
        // Registered at once, not when its task first runs, so that under load the next
        // connection at the limit still sees every idle one.
        if admit.is_some() {
            registry.add(id, state.clone());
        }
        let io = TokioIo::new(Tracked {
            inner: stream,
            state: state.clone(),
            rewrite: None,
            fingerprint: fingerprint.clone(),
        });
        let handle = handle.clone();
        let svc_state = state.clone();
        let service = hyper::service::service_fn(move |req| {
            let fut = handle(req, peer, svc_state.clone());
            async move { Ok::<_, std::convert::Infallible>(fut.await) }
        });
        let mut closing = closing_rx.clone();
        let metrics = metrics.clone();
        let log = log.clone();
        let slots = slots.clone();
        let registry = registry.clone();
        conns.spawn(async move {
            let _slot: OwnedSemaphorePermit = match admit {
                Some(slot) => slot,
                None => {
                    metrics.evicted.fetch_add(1, Ordering::Relaxed);
                    log.throttled(
                        "connection_evicted",
                        &format!(
                            "closing the longest idle connection to admit {peer}: {} connections open (--max-connections)",
                            limits.max_connections
                        ),
                        json!({"peer": peer.to_string(), "limit": limits.max_connections}),
                    );
                    match tokio::time::timeout(EVICT_WAIT, slots.acquire_owned()).await {
                        Ok(Ok(slot)) => {
                            registry.add(id, state.clone());
                            slot
                        }
                        _ => {
                            metrics.refused.fetch_add(1, Ordering::Relaxed);
                            answer_refused(io.into_inner().inner).await;
                            return;
                        }
                    }
                }
            };
            metrics.connections.fetch_add(1, Ordering::Relaxed);
            metrics.connections_total.fetch_add(1, Ordering::Relaxed);
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                // The watchdog keeps the time limits: hyper's own header timer also
                // runs while a connection is idle, which is not the same limit.
                .header_read_timeout(None)
                .serve_connection(io, service);
            tokio::pin!(conn);
            let stalled = tokio::select! {
                _ = conn.as_mut() => None,
                s = watchdog(&state, limits) => Some(s),
                _ = evicted(&state) => Some(Stalled::Evicted),
                _ = closed(&mut closing) => {
                    conn.as_mut().graceful_shutdown();
                    tokio::select! {
                        _ = conn.as_mut() => None,
                        s = watchdog(&state, limits) => Some(s),
                    }
                }
            };
            registry.remove(id);
            match stalled {
                Some(Stalled::Header) => {
                    metrics.header_timeouts.fetch_add(1, Ordering::Relaxed);
                    log.throttled(
                        "header_timeout",
                        &format!(
                            "closed {peer}: request header not complete within {:?} (--header-timeout)",
                            limits.header_timeout
                        ),
                        json!({"peer": peer.to_string()}),
                    );
                }
                Some(Stalled::Idle) => {
                    metrics.idle_closed.fetch_add(1, Ordering::Relaxed);
                }
                Some(Stalled::Evicted) | None => {}
            }
            metrics.connections.fetch_sub(1, Ordering::Relaxed);
        });
    }
    drop(listener);
    let open = conns.len();
    log.event(
        "shutdown",
        &format!(
            "shutting down: {open} connections open, waiting up to {:?} (--shutdown-timeout)",
            limits.shutdown_timeout
        ),
        json!({"connections": open}),
    );
    let _ = closing_tx.send(true);
    let drained = tokio::time::timeout(limits.shutdown_timeout, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        let left = conns.len();
        log.event(
            "shutdown_timeout",
            &format!("closing {left} connections still open at the shutdown timeout"),
            json!({"connections": left}),
        );
        // Dropping a request's future cancels its check.
        conns.abort_all();
        while conns.join_next().await.is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::json_error_answer;

    #[test]
    fn only_hypers_bare_error_answers_get_a_json_body() {
        let bare = b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(json_error_answer(bare, "sha256:x").expect("rewritten"))
            .expect("utf8");
        assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"));
        let body = out.split_once("\r\n\r\n").expect("body").1;
        assert!(out.contains("\r\nx-brandscan-fingerprint: sha256:x\r\n"));
        let v: serde_json::Value = serde_json::from_str(body).expect("json");
        assert!(v["error"].as_str().expect("message").contains("malformed"));
        let ours = b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n";
        assert!(json_error_answer(ours, "").is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(json_error_answer(ok, "").is_none());
        assert!(json_error_answer(b"{\"title\":1}", "").is_none());
    }
}
