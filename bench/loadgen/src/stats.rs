//! What a run measured: operation latencies (hdrhistogram, microseconds), request and error counts.

use std::collections::BTreeMap;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde_json::{json, Value};

/// Per-worker (mergeable) measurements.
pub struct Recorder {
    /// Latency of each completed operation, in microseconds.
    pub latency: Histogram<u64>,
    /// HTTP requests sent.
    pub requests: u64,
    /// Operations that succeeded.
    pub ok: u64,
    /// Operations that failed, by error code.
    pub errors: BTreeMap<String, u64>,
    /// The operation the server reported as not implemented, if any.
    pub not_implemented: Option<String>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Result<Self, String> {
        // 1 µs .. 1 h at 3 significant digits; values past that saturate.
        let latency = Histogram::new_with_bounds(1, 3_600_000_000, 3)
            .map_err(|e| format!("histogram: {e}"))?;
        Ok(Self {
            latency,
            requests: 0,
            ok: 0,
            errors: BTreeMap::new(),
            not_implemented: None,
        })
    }

    /// Records one operation.
    pub fn record(&mut self, took: Duration, requests: u64, error: Option<String>) {
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1);
        self.latency.saturating_record(micros);
        self.requests = self.requests.saturating_add(requests);
        match error {
            None => self.ok = self.ok.saturating_add(1),
            Some(code) => {
                let n = self.errors.entry(code).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }

    /// Counts `requests` more requests, and a failure `code` if given, without a latency sample
    /// (for follow-up requests outside the measured ops, e.g. completing a multipart upload).
    pub fn extra_requests(&mut self, requests: u64, error: Option<String>) {
        self.requests = self.requests.saturating_add(requests);
        if let Some(code) = error {
            let n = self.errors.entry(code).or_insert(0);
            *n = n.saturating_add(1);
        }
    }

    /// Folds another recorder into this one.
    pub fn merge(&mut self, other: Self) {
        let _ = self.latency.add(&other.latency);
        self.requests = self.requests.saturating_add(other.requests);
        self.ok = self.ok.saturating_add(other.ok);
        for (code, n) in other.errors {
            let e = self.errors.entry(code).or_insert(0);
            *e = e.saturating_add(n);
        }
        if self.not_implemented.is_none() {
            self.not_implemented = other.not_implemented;
        }
    }

    /// Failed operations.
    pub fn error_count(&self) -> u64 {
        self.errors.values().fold(0u64, |a, b| a.saturating_add(*b))
    }

    /// The JSON summary of a run that took `elapsed`.
    pub fn summary(&self, elapsed: Duration) -> Value {
        let secs = elapsed.as_secs_f64().max(1e-9);
        let ops = self.ok.saturating_add(self.error_count());
        let q = |p: f64| self.latency.value_at_quantile(p);
        json!({
            "elapsed_s": round3(elapsed.as_secs_f64()),
            "requests": self.requests,
            "ops": ops,
            "ok": self.ok,
            "errors": self.error_count(),
            "error_codes": self.errors,
            "requests_per_s": round3(self.requests as f64 / secs),
            "ops_per_s": round3(ops as f64 / secs),
            "latency_us": {
                "p50": q(0.50),
                "p90": q(0.90),
                "p99": q(0.99),
                "max": self.latency.max(),
                "mean": round3(self.latency.mean()),
            },
        })
    }
}

/// Rounds to three decimals for readable JSON.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_merge_and_summarize() {
        let mut a = Recorder::new().unwrap();
        a.record(Duration::from_micros(100), 1, None);
        a.record(Duration::from_micros(300), 2, Some("Boom".into()));
        let mut b = Recorder::new().unwrap();
        b.record(Duration::from_micros(200), 1, None);
        a.merge(b);
        let s = a.summary(Duration::from_secs(2));
        assert_eq!(s["requests"], 4);
        assert_eq!(s["ops"], 3);
        assert_eq!(s["ok"], 2);
        assert_eq!(s["errors"], 1);
        assert_eq!(s["error_codes"]["Boom"], 1);
        assert_eq!(s["requests_per_s"], 2.0);
        assert_eq!(s["latency_us"]["p50"], 200);
        assert_eq!(s["latency_us"]["max"], 300);
    }
}
