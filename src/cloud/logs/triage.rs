//! One key from a failed Glue run to its logs: which groups, which window,
//! which query. Where Glue writes is `glue_logs`; this is what is asked.

use super::glue_logs::where_glue_writes;
use super::InsightsQuery;
use crate::cloud::JobRun;
use chrono::{DateTime, Duration, Utc};

pub use crate::config::GlueLogs;

/// What the triage key asks Insights (once the groups are known to exist).
#[derive(Debug, Clone, PartialEq)]
pub struct Triage {
    pub job: String,
    pub run_id: String,
    /// Every group the run may have logged to; only those that exist are
    /// queried.
    pub candidates: Vec<String>,
    /// Glue's default groups, tried when none under the run's own
    /// LogGroupName exist (a prefix that was never written to).
    pub fallback: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub query: String,
    /// What the user must know about the rows: set when the run's streams
    /// are not named after it, so its lines are picked by time alone.
    pub note: Option<String>,
}

impl Triage {
    pub fn for_glue_run(run: &JobRun, cfg: &GlueLogs, now: DateTime<Utc>) -> Triage {
        let logs = where_glue_writes(run, cfg);
        let margin = Duration::minutes(cfg.margin_minutes.max(0));
        // A run still going (or one that never reported a start) is searched
        // up to now; one with no start at all, over the last hour.
        let end = run.completed_on.unwrap_or(now);
        let start = run.started_on.unwrap_or(end - Duration::hours(1));
        let prefix = logs.stream_prefix.as_ref().map(|(_, p)| p.as_str());
        let note = logs.stream_prefix.as_ref().map(|(key, prefix)| {
            format!(
                "streams named by {key} \"{prefix}\", not by the run: its lines are picked by the run's time window only (other runs under \"{prefix}\" in that window show too)"
            )
        });
        Triage {
            job: run.job_name.clone(),
            run_id: run.id.clone(),
            candidates: logs.groups,
            fallback: logs.fallback,
            start: start - margin,
            end: end + margin,
            query: query_for_run(&run.id, prefix),
            note,
        }
    }

    /// The query to start once the existing groups are known.
    pub fn query(&self, groups: Vec<String>) -> InsightsQuery {
        InsightsQuery {
            groups,
            start: self.start,
            end: self.end,
            query: self.query.clone(),
            language: super::QueryLanguage::Cwli,
        }
    }
}

/// Characters with a meaning inside a `/regex/` literal.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The computed sort field of the triage query (no underscore: the Logs
/// Insights docs name fields without them).
pub const RANK_FIELD: &str = "triageRank";

/// Error-ish lines: the message kinds, and a traceback's `File "…", line N`
/// frames, which belong with their error.
/// (As they appear inside the query's string literals: `File \"`.)
const ERROR_MARKS: &[&str] = &[
    "ERROR",
    "Error",
    "Exception",
    "Traceback",
    "FATAL",
    "File \\\"",
];

/// One rank band: more than any epoch-ms timestamp (10¹³ ms is the year
/// 2286), so bands never overlap.
pub const RANK_BAND: i64 = 10_000_000_000_000;

/// Keeps the run's streams — driver, executors, and Glue job insights'
/// root-cause (`-job-insights-rca-driver`) and rule streams — and orders
/// lines: root-cause analysis first, then error lines (a traceback's frames
/// with them), then the rest; oldest first within each (the first error is
/// usually the cause).
///
/// Logs Insights sorts by one field and, per its `sort` documentation,
/// puts non-numbers before numbers, a value with any non-digit character
/// (a minus sign) counting as a non-number: so the rank is always a
/// positive integer — the band (2 root cause, 1 error, 0 other) times
/// [`RANK_BAND`], plus `RANK_BAND − toMillis(@timestamp)` so that older
/// lines rank higher. Each side of the stream filter's `or` is
/// parenthesised.
///
/// `stream_prefix`: the job's custom stream prefix, which replaces the run
/// id in stream names — then every stream that starts with it is kept,
/// and the window is what tells this run's lines from another's.
pub fn query_for_run(run_id: &str, stream_prefix: Option<&str>) -> String {
    let quoted = run_id.replace('\\', "\\\\").replace('"', "\\\"");
    let by_prefix = stream_prefix.map_or(String::new(), |p| {
        format!(" or (@logStream like /^{}/)", regex_escape(p))
    });
    let marks: Vec<String> = ERROR_MARKS
        .iter()
        .map(|m| format!("strcontains(@message, \"{m}\")"))
        .collect();
    format!(
        "fields @timestamp, @log, @logStream, @message\n\
         | filter (@logStream = \"{quoted}\") or (@logStream like /^{re}-(driver|\\d+|job-insights-rca-driver|job-insights-rule-driver)$/){by_prefix}\n\
         | fields greatest({marks}) as isError, strcontains(@logStream, \"job-insights-rca\") as isRootCause\n\
         | fields greatest(isRootCause * 2, isError) * {band} + ({band} - toMillis(@timestamp)) as {RANK_FIELD}\n\
         | sort {RANK_FIELD} desc\n\
         | limit 1000\n\
         | display @timestamp, @logStream, @message, @log",
        re = regex_escape(run_id),
        marks = marks.join(", "),
        band = RANK_BAND,
    )
}

/// The rank the query gives a line, as Logs Insights computes it; for the
/// demo's evaluator and the tests.
pub fn rank(root_cause: bool, error: bool, millis: i64) -> i64 {
    let band = if root_cause { 2 } else { i64::from(error) };
    band * RANK_BAND + (RANK_BAND - millis)
}

#[cfg(test)]
#[path = "triage_tests.rs"]
mod tests;
