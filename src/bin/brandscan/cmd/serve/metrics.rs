//! `/metrics`: counters and gauges in the Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    latency: Mutex<BTreeMap<&'static str, Histogram>>,
    pub in_flight: AtomicI64,
    pub queued: AtomicI64,
    pub connections: AtomicI64,
    pub connections_total: AtomicU64,
    pub refused: AtomicU64,
    pub header_timeouts: AtomicU64,
    pub idle_closed: AtomicU64,
    pub evicted: AtomicU64,
    pub cancelled: AtomicU64,
    pub busy: AtomicU64,
    pub truncated: AtomicU64,
}

impl Metrics {
    /// Count one answered request of `route` (a fixed label, never the raw path).
    pub fn request(&self, route: &'static str, status: u16, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((route, status))
            .or_default() += 1;
        let mut lat = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let h = lat.entry(route).or_default();
        if let Some(i) = BUCKETS.iter().position(|&b| seconds <= b) {
            h.counts[i] += 1;
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// The text exposition, with the lists' state and reload counts passed in.
    pub fn render(&self, rules: usize, fingerprint: &str, reloads: (u64, u64)) -> String {
        let mut o = String::with_capacity(4096);
        let g = |o: &mut String, name: &str, help: &str, kind: &str| {
            let _ = writeln!(o, "# HELP {name} {help}\n# TYPE {name} {kind}");
        };
        g(
            &mut o,
            "brandscan_http_requests_total",
            "Requests answered, by route and status.",
            "counter",
        );
        for ((route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                o,
                "brandscan_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        g(
            &mut o,
            "brandscan_http_request_duration_seconds",
            "Time from request head to answer, by route.",
            "histogram",
        );
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let mut cumulative = 0;
            for (b, c) in BUCKETS.iter().zip(h.counts) {
                cumulative += c;
                let _ = writeln!(o, "brandscan_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {cumulative}");
            }
            let _ = writeln!(o, "brandscan_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(
                o,
                "brandscan_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                o,
                "brandscan_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        let load = |a: &AtomicI64| a.load(Ordering::Relaxed);
        let count = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let gauges: [(&str, &str, i64); 3] = [
            (
                "brandscan_checks_in_flight",
                "Checks running now.",
                load(&self.in_flight),
            ),
            (
                "brandscan_checks_queued",
                "Requests waiting for a check slot.",
                load(&self.queued),
            ),
            (
                "brandscan_connections_open",
                "Open client connections.",
                load(&self.connections),
            ),
        ];
        for (name, help, v) in gauges {
            g(&mut o, name, help, "gauge");
            let _ = writeln!(o, "{name} {v}");
        }
        let counters: [(&str, &str, u64); 8] = [
            (
                "brandscan_connections_total",
                "Connections accepted.",
                count(&self.connections_total),
            ),
            (
                "brandscan_connections_refused_total",
                "Connections refused at --max-connections.",
                count(&self.refused),
            ),
            (
                "brandscan_connections_header_timeout_total",
                "Connections closed at --header-timeout.",
                count(&self.header_timeouts),
            ),
            (
                "brandscan_connections_idle_closed_total",
                "Connections closed at --idle-timeout.",
                count(&self.idle_closed),
            ),
            (
                "brandscan_connections_evicted_total",
                "Idle connections closed to admit a new one at --max-connections.",
                count(&self.evicted),
            ),
            (
                "brandscan_checks_cancelled_total",
                "Checks stopped at their deadline or on disconnect.",
                count(&self.cancelled),
            ),
            (
                "brandscan_checks_rejected_busy_total",
                "Requests answered 503 because every check slot stayed busy.",
                count(&self.busy),
            ),
            (
                "brandscan_answers_truncated_total",
                "Answers shortened by a findings cap.",
                count(&self.truncated),
            ),
        ];
        for (name, help, v) in counters {
            g(&mut o, name, help, "counter");
            let _ = writeln!(o, "{name} {v}");
        }
        g(
            &mut o,
            "brandscan_reloads_total",
            "Word-list reloads, by outcome.",
            "counter",
        );
        let _ = writeln!(o, "brandscan_reloads_total{{outcome=\"ok\"}} {}", reloads.0);
        let _ = writeln!(
            o,
            "brandscan_reloads_total{{outcome=\"failed\"}} {}",
            reloads.1
        );
        g(
            &mut o,
            "brandscan_rules",
            "Rules in the loaded word lists.",
            "gauge",
        );
        let _ = writeln!(o, "brandscan_rules {rules}");
        g(
            &mut o,
            "brandscan_rules_info",
            "The fingerprint of the loaded word lists.",
            "gauge",
        );
        let _ = writeln!(o, "brandscan_rules_info{{fingerprint=\"{fingerprint}\"}} 1");
        o
    }
}
