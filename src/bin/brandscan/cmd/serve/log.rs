//! What `serve` writes on stderr: events (start, stop, limits that triggered, reloads)
//! and one access line per request, as text or as JSON objects (`--log-format`).
//!
//! Events that a flood could repeat (connections refused at the limit, timeouts) are
//! written at most once a second, with the count of those left out.

use brandscan::config::LogFormat;
use serde_json::{json, Value};
use std::io::Write;
use std::sync::Mutex;
use std::time::Instant;

pub struct Log {
    format: LogFormat,
    pub access: bool,
    started: Instant,
    /// Per throttled event kind: the second it was last written, and how many were
    /// left out since.
    throttled: Mutex<Vec<(&'static str, u64, u64)>>,
}

/// One request, as the access log writes it.
pub struct Access<'a> {
    pub peer: std::net::SocketAddr,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub seconds: f64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub listings: Option<usize>,
    pub verdict: Option<&'a str>,
}

impl Log {
    pub fn new(format: LogFormat, access: bool) -> Log {
        Log {
            format,
            access,
            started: Instant::now(),
            throttled: Mutex::new(Vec::new()),
        }
    }

    /// An event: `kind` names it in JSON; `message` is the text line.
    pub fn event(&self, kind: &str, message: &str, fields: Value) {
        let line = match self.format {
            LogFormat::Text => format!("brandscan: {message}"),
            LogFormat::Json => {
                let mut v = json!({"ts": now(), "event": kind, "message": message});
                if let (Some(obj), Value::Object(extra)) = (v.as_object_mut(), fields) {
                    obj.extend(extra);
                }
                v.to_string()
            }
        };
        write_line(&line);
    }

    /// An event that may repeat many times a second: written at most once a second.
    pub fn throttled(&self, kind: &'static str, message: &str, fields: Value) {
        let second = self.started.elapsed().as_secs();
        let left_out = {
            let mut t = self.throttled.lock().unwrap_or_else(|e| e.into_inner());
            let slot = match t.iter().position(|(k, _, _)| *k == kind) {
                Some(i) => &mut t[i],
                None => {
                    t.push((kind, u64::MAX, 0));
                    t.last_mut().expect("just pushed")
                }
            };
            if slot.1 == second {
                slot.2 += 1;
                return;
            }
            slot.1 = second;
            std::mem::take(&mut slot.2)
        };
        if left_out > 0 {
            let msg = format!("{message} (and {left_out} more like it in the last second)");
            self.event(kind, &msg, fields);
        } else {
            self.event(kind, message, fields);
        }
    }

    pub fn access(&self, a: &Access<'_>) {
        if !self.access {
            return;
        }
        let line = match self.format {
            LogFormat::Text => {
                let mut s = format!(
                    "{} {} {} {} {:.3}ms in={}B out={}B",
                    a.peer,
                    a.method,
                    a.path,
                    a.status,
                    a.seconds * 1e3,
                    a.bytes_in,
                    a.bytes_out
                );
                if let Some(n) = a.listings {
                    s.push_str(&format!(" listings={n}"));
                }
                if let Some(v) = a.verdict {
                    s.push_str(&format!(" verdict={v}"));
                }
                s
            }
            LogFormat::Json => {
                let mut v = json!({
                    "ts": now(), "event": "request", "peer": a.peer.to_string(),
                    "method": a.method, "path": a.path, "status": a.status,
                    "ms": (a.seconds * 1e6).round() / 1e3,
                    "bytes_in": a.bytes_in, "bytes_out": a.bytes_out,
                });
                if let Some(obj) = v.as_object_mut() {
                    if let Some(n) = a.listings {
                        obj.insert("listings".into(), n.into());
                    }
                    if let Some(verdict) = a.verdict {
                        obj.insert("verdict".into(), verdict.into());
                    }
                }
                v.to_string()
            }
        };
        write_line(&line);
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn write_line(line: &str) {
    // One write per line, so lines from different threads never interleave; a closed
    // stderr must not stop the service.
    let mut buf = Vec::with_capacity(line.len() + 1);
    buf.extend_from_slice(line.as_bytes());
    buf.push(b'\n');
    let _ = std::io::stderr().lock().write_all(&buf);
}
