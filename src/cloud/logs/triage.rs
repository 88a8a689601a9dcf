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

/// Keeps the run's streams and puts error lines first, oldest first within
/// each (the first error is usually the cause). Logs Insights sorts by one
/// field, so both orders are folded into one number: error lines get 10^13
/// added (more than any epoch-ms timestamp), and the timestamp is
/// subtracted so older lines sort higher. `display` leaves the two helper
/// fields out of the rows.
pub fn query_for_run(run_id: &str) -> String {
    let quoted = run_id.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "fields @timestamp, @log, @logStream, @message\n\
         | filter @logStream = \"{quoted}\" or @logStream like /^{re}-(driver|\\d+)$/\n\
         | fields greatest(strcontains(@message, \"ERROR\"), strcontains(@message, \"Error\"), strcontains(@message, \"Exception\"), strcontains(@message, \"Traceback\"), strcontains(@message, \"FATAL\")) as is_error\n\
         | fields is_error * 10000000000000 - toMillis(@timestamp) as triage_rank\n\
         | sort triage_rank desc\n\
         | limit 1000\n\
         | display @timestamp, @logStream, @message, @log",
        re = regex_escape(run_id)
    )
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
}
