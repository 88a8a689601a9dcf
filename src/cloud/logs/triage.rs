//! One key from a failed Glue run to its logs: which groups, which window,
//! which query.
//!
//! Glue writes a run's driver and executor logs to `/aws-glue/jobs/error`
//! and `/aws-glue/jobs/output`, and with continuous logging to
//! `/aws-glue/jobs/logs-v2`. A run that reports a LogGroupName used a custom
//! prefix instead; the same suffixes go after it. Streams are named after
//! the run: `<run id>`, `<run id>-driver`, `<run id>-<executor n>`.

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
}

impl Triage {
    pub fn for_glue_run(run: &JobRun, cfg: &GlueLogs, now: DateTime<Utc>) -> Triage {
        let under = |prefix: &str| -> Vec<String> {
            let prefix = prefix.trim_end_matches('/');
            cfg.suffixes
                .iter()
                // "error" and "/error" both mean the group under the prefix.
                .map(|s| format!("{prefix}/{}", s.trim_start_matches('/')))
                .collect()
        };
        let own = run
            .log_group_name
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let defaults = under(&cfg.default_prefix);
        let (candidates, fallback) = match own.map(under) {
            Some(own) if own != defaults => (own, defaults),
            _ => (defaults, vec![]),
        };
        let margin = Duration::minutes(cfg.margin_minutes.max(0));
        // A run still going (or one that never reported a start) is searched
        // up to now; one with no start at all, over the last hour.
        let end = run.completed_on.unwrap_or(now);
        let start = run.started_on.unwrap_or(end - Duration::hours(1));
        Triage {
            job: run.job_name.clone(),
            run_id: run.id.clone(),
            candidates,
            fallback,
            start: start - margin,
            end: end + margin,
            query: query_for_run(&run.id),
        }
    }

    /// The query to start once the existing groups are known.
    pub fn query(&self, groups: Vec<String>) -> InsightsQuery {
        InsightsQuery {
            groups,
            start: self.start,
            end: self.end,
            query: self.query.clone(),
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
pub fn query_for_run(run_id: &str) -> String {
    let quoted = run_id.replace('\\', "\\\\").replace('"', "\\\"");
    let marks: Vec<String> = ERROR_MARKS
        .iter()
        .map(|m| format!("strcontains(@message, \"{m}\")"))
        .collect();
    format!(
        "fields @timestamp, @log, @logStream, @message\n\
         | filter (@logStream = \"{quoted}\") or (@logStream like /^{re}-(driver|\\d+|job-insights-rca-driver|job-insights-rule-driver)$/)\n\
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
mod tests {
    use super::*;

    #[test]
    fn suffixes_join_the_prefix_with_one_slash() {
        let cfg = GlueLogs {
            suffixes: vec!["error".into(), "/output".into()],
            ..GlueLogs::default()
        };
        let run = JobRun {
            id: "jr_1".into(),
            job_name: "j".into(),
            state: crate::cloud::RunState::Failed,
            attempt: 0,
            started_on: None,
            completed_on: None,
            execution_time_s: None,
            dpu_seconds: None,
            worker_type: None,
            number_of_workers: None,
            max_capacity: None,
            arguments: Default::default(),
            error_message: None,
            trigger_name: None,
            log_group_name: Some("/custom/".into()),
        };
        let now = Utc::now();
        let t = Triage::for_glue_run(&run, &cfg, now);
        assert_eq!(t.candidates, ["/custom/error", "/custom/output"]);
        assert_eq!(
            t.fallback,
            ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
        );
        // No start or end reported: the hour before now, with the margins.
        assert_eq!(t.start, now - Duration::minutes(65));
        assert_eq!(t.end, now + Duration::minutes(5));
    }

    #[test]
    fn odd_run_ids_are_escaped_in_the_query() {
        assert_eq!(regex_escape("jr_a.b/c"), "jr_a\\.b\\/c");
        let q = query_for_run("jr_1\"x");
        assert!(q.contains("@logStream = \"jr_1\\\"x\""), "{q}");
    }

    #[test]
    fn the_query_follows_the_logs_insights_rules() {
        let q = query_for_run("jr_a.b");
        // Each side of the `or` in parentheses; the run id escaped in the
        // regex; job insights' streams kept.
        assert!(
            q.contains("| filter (@logStream = \"jr_a.b\") or (@logStream like /^jr_a\\.b-("),
            "{q}"
        );
        assert!(
            q.contains("job-insights-rca-driver|job-insights-rule-driver"),
            "{q}"
        );
        // Computed fields without underscores.
        for field in ["isError", "isRootCause", "triageRank"] {
            assert!(q.contains(&format!(" as {field}")), "{q}");
        }
        assert!(!q.contains("is_error") && !q.contains("triage_rank"), "{q}");
        // A traceback frame counts with its error.
        assert!(q.contains("strcontains(@message, \"File \\\"\")"), "{q}");
    }

    #[test]
    fn ranks_are_positive_integers_in_bands() {
        let t = 1_790_000_000_000; // 2026, in epoch ms
        let plain = rank(false, false, t);
        let error = rank(false, true, t);
        let older_error = rank(false, true, t - 60_000);
        let root = rank(true, false, t);
        // Sort treats anything with a non-digit (a minus) as a non-number.
        for r in [plain, error, older_error, root] {
            assert!(
                r > 0 && r.to_string().chars().all(|c| c.is_ascii_digit()),
                "{r}"
            );
        }
        assert!(root > older_error && older_error > error && error > plain);
        assert_eq!(plain, RANK_BAND - t);
        assert_eq!(error, 2 * RANK_BAND - t);
    }
}
