//! Per-resource poll status, shown under each pane.

use crate::cloud::CloudError;
use chrono::{DateTime, Utc};
use std::time::Duration;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollStatus {
    pub last_ok: Option<DateTime<Utc>>,
    pub last_attempt: Option<DateTime<Utc>>,
    /// The latest attempt's error; cleared by the next success.
    pub error: Option<CloudError>,
    pub next_in: Option<Duration>,
}

impl PollStatus {
    pub fn record<T>(
        &mut self,
        at: DateTime<Utc>,
        result: &Result<T, CloudError>,
        next_in: Option<Duration>,
    ) {
        self.last_attempt = Some(at);
        self.next_in = next_in;
        match result {
            Ok(_) => {
                self.last_ok = Some(at);
                self.error = None;
            }
            Err(e) => self.error = Some(e.clone()),
        }
    }

    pub fn loaded_once(&self) -> bool {
        self.last_attempt.is_some()
    }
}

/// "12s", "4m", "3h", "2d": compact ages for tables and the header.
pub fn age(from: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - from).num_seconds().max(0);
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m", s / 60),
        3600..=86_399 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// The one duration form: "45s", "3m 05s", "1h 02m", "13d 14h" — the
/// largest unit first, so it reads like `age` ("13d") with more detail.
pub fn duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let h_total = s / 3600;
    if d > 0 {
        format!("{d}d {h:02}h")
    } else if h_total > 0 {
        format!("{h_total}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {sec:02}s")
    } else {
        format!("{sec}s")
    }
}
