//! `pipedeck insights`: run one Logs Insights query without the TUI.
//!
//! Rows go to stdout (JSON objects keyed by field, CSV or a markdown table,
//! through `crate::export`; `@ptr` left out), statistics to stderr. Exit 0
//! on Complete; 1 with the service's message on a rejected query or on
//! Failed, Cancelled, Timeout or Unknown; 130 after Ctrl-C, which stops the query first (StopQuery)
//! so it does not keep scanning — and billing — in the background.

use crate::cloud::logs::{parse_since, parse_time};
use crate::cloud::{Cloud, CloudError, InsightsQuery, QueryResults, QueryStatus};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::{Duration, Instant};

/// How the time window was given on the command line.
pub struct Window<'a> {
    pub since: Option<&'a str>,
    pub start: Option<&'a str>,
    pub end: Option<&'a str>,
}

/// `--since 15m`, or `--start T --end T` (RFC 3339 or epoch seconds).
pub fn window(w: Window<'_>, now: DateTime<Utc>) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    match (w.since, w.start, w.end) {
        (Some(s), None, None) => parse_since(s).map(|d| (now - d, now)).ok_or_else(|| {
            format!("--since {s}: use a number and s, m, h, d or w (e.g. 15m, 24h)")
        }),
        (None, Some(a), Some(b)) => {
            let start = parse_time(a)
                .ok_or_else(|| format!("--start {a}: use RFC 3339 or epoch seconds"))?;
            let end =
                parse_time(b).ok_or_else(|| format!("--end {b}: use RFC 3339 or epoch seconds"))?;
            if start >= end {
                return Err("--start must be before --end".into());
            }
            Ok((start, end))
        }
        (None, None, None) => Err("give a time range: --since 15m, or --start T --end T".into()),
        _ => Err("use either --since, or both --start and --end".into()),
    }
}

pub struct Polling {
    pub interval: Duration,
    /// Throttling doubles the interval up to this.
    pub max_interval: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
        }
    }
}

#[derive(Debug)]
pub enum Ended {
    /// The query ended by itself (any final status).
    Done(QueryResults, Duration),
    /// Interrupted: StopQuery was sent.
    Stopped { query_id: String },
    /// StartQuery or a poll failed.
    Error(CloudError),
}

/// Starts the query and polls until it ends or `interrupt` fires. There is
/// no client-side cap on duration: the service times queries out itself.
pub async fn run(
    cloud: &dyn Cloud,
    query: &InsightsQuery,
    polling: Polling,
    interrupt: impl Future<Output = ()>,
) -> Ended {
    let started = Instant::now();
    let id = match cloud.start_query(query).await {
        Ok(id) => id,
        Err(e) => return Ended::Error(e),
    };
    tokio::pin!(interrupt);
    let mut delay = polling.interval;
    loop {
        tokio::select! {
            _ = &mut interrupt => {
                let _ = cloud.stop_query(&id).await;
                return Ended::Stopped { query_id: id };
            }
            _ = tokio::time::sleep(delay) => {}
        }
        match cloud.query_results(&id).await {
            Ok(r) if r.status.is_done() => return Ended::Done(r, started.elapsed()),
            Ok(_) => delay = polling.interval,
            Err(e) if e.is_throttle() => delay = (delay * 2).min(polling.max_interval),
            Err(e) => {
                let _ = cloud.stop_query(&id).await;
                return Ended::Error(e);
            }
        }
    }
}

pub fn stats_line(r: &QueryResults, elapsed: Duration, per_gb: f64) -> String {
    let cap = crate::cloud::logs::cap_note(r.rows.len(), r.stats.records_matched)
        .map_or(String::new(), |n| format!("\n{n}"));
    format!(
        "{}: {} rows, {:.0} records matched, {:.0} scanned, {:.2} MB scanned (≈ ${:.4}), {:.1} s",
        r.status.as_aws(),
        r.rows.len(),
        r.stats.records_matched,
        r.stats.records_scanned,
        r.stats.bytes_scanned / 1e6,
        r.stats.cost(per_gb),
        elapsed.as_secs_f64()
    ) + &cap
}

/// Why a finished query is not a success, for the exit message.
pub fn failure(status: &QueryStatus) -> Option<String> {
    match status {
        QueryStatus::Complete => None,
        other => Some(format!(
            "the query ended {} (Logs Insights gave no rows it could stand behind)",
            other.as_aws()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::QueryStats;
    use serde_json::Value;

    fn results() -> QueryResults {
        QueryResults {
            status: QueryStatus::Complete,
            rows: vec![
                vec![
                    ("@timestamp".into(), "2026-11-27 03:00:00.000".into()),
                    ("@message".into(), "a | b, \"c\"".into()),
                    ("@ptr".into(), "p1".into()),
                ],
                vec![("@timestamp".into(), "2026-11-27 03:01:00.000".into())],
            ],
            stats: QueryStats::default(),
        }
    }

    #[test]
    fn formats_leave_out_ptr_and_quote_safely() {
        let r = results();
        let json: Value = serde_json::from_str(&r.table().to_json()).unwrap();
        assert_eq!(json[0]["@message"], "a | b, \"c\"");
        assert!(json[0].get("@ptr").is_none());
        let csv = r.table().to_csv();
        assert_eq!(
            csv,
            "@timestamp,@message\n2026-11-27 03:00:00.000,\"a | b, \"\"c\"\"\"\n2026-11-27 03:01:00.000,\n"
        );
        let md = r.table().to_markdown();
        assert!(
            md.starts_with("| @timestamp | @message |\n| --- | --- |\n"),
            "{md}"
        );
        assert!(md.contains("a \\| b"), "{md}");
    }

    #[test]
    fn the_window_needs_since_or_both_ends() {
        let now = Utc::now();
        let w = |since, start, end| window(Window { since, start, end }, now);
        assert_eq!(
            w(Some("15m"), None, None).unwrap().0,
            now - chrono::Duration::minutes(15)
        );
        assert!(w(None, Some("1795748400"), Some("1795752000")).is_ok());
        assert!(w(None, Some("1795752000"), Some("1795748400")).is_err());
        assert!(w(None, None, None).unwrap_err().contains("--since"));
        assert!(w(Some("15m"), Some("1"), None).is_err());
        assert!(w(Some("soon"), None, None).unwrap_err().contains("15m"));
    }
}
