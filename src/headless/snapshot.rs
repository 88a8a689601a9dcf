//! `pipedeck snapshot`: poll each pane once, print, exit.
//!
//! JSON shape (scripts rely on it):
//! `{"generated_at", "profile", "region", "account",
//!   "glue": {"error", "jobs": [{"name", "last_run": null|{"id", "state",
//!     "started_at", "completed_at", "execution_time_s", "error_message"}}]},
//!   "emr": {"error", "clusters": [{"id", "name", "state", "state_reason",
//!     "steps": [{"id", "name", "state", "failure": null|{"reason",
//!     "message", "log_file"}}]}]}}`.
//! States are AWS enum strings; times RFC 3339 UTC.

use crate::cloud::{Cloud, CloudError, ConnInfo, EmrCluster, EmrStep, GlueJob, JobRun};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::time::Duration;

/// A pane that takes longer than this reports a timeout instead of hanging.
const PANE_DEADLINE: Duration = Duration::from_secs(120);

pub struct Snapshot {
    pub generated_at: DateTime<Utc>,
    pub conn: ConnInfo,
    pub account: Option<String>,
    pub glue: Result<Vec<GlueJob>, String>,
    pub emr: Result<Vec<EmrCluster>, String>,
}

impl Snapshot {
    /// Exit 1 only when every pane failed.
    pub fn all_failed(&self) -> bool {
        self.glue.is_err() && self.emr.is_err()
    }
}

async fn bounded<T>(
    f: impl std::future::Future<Output = Result<T, CloudError>>,
) -> Result<T, String> {
    match tokio::time::timeout(PANE_DEADLINE, f).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err(format!("timed out after {}s", PANE_DEADLINE.as_secs())),
    }
}

pub async fn collect(cloud: &dyn Cloud, conn: ConnInfo) -> Snapshot {
    let (identity, glue, emr) = tokio::join!(
        bounded(cloud.identity()),
        bounded(cloud.glue_jobs()),
        bounded(cloud.emr_clusters()),
    );
    let glue = glue.map(|mut jobs| {
        jobs.sort_by(|a, b| a.name.cmp(&b.name));
        jobs
    });
    let emr = emr.map(|mut clusters| {
        // Failing first, then newest: the order an incident note reads in.
        clusters.sort_by(|a, b| {
            b.needs_attention()
                .cmp(&a.needs_attention())
                .then_with(|| b.created.cmp(&a.created))
        });
        clusters
    });
    let mut conn = conn;
    let identity = identity.ok();
    if let Some(r) = identity.as_ref().and_then(|i| i.region.clone()) {
        conn.region = r;
    }
    Snapshot {
        generated_at: Utc::now(),
        conn,
        account: identity.and_then(|i| i.account),
        glue,
        emr,
    }
}

pub(super) fn rfc3339(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

fn run_json(r: &JobRun) -> Value {
    json!({
        "id": r.id,
        "state": r.state.as_aws(),
        "started_at": rfc3339(r.started_on),
        "completed_at": rfc3339(r.completed_on),
        "execution_time_s": r.execution_time_s,
        "error_message": r.error_message,
        "attempt": r.attempt,
    })
}

fn step_json(s: &EmrStep) -> Value {
    json!({
        "id": s.id,
        "name": s.name,
        "state": s.state.as_aws(),
        "started_at": rfc3339(s.started),
        "ended_at": rfc3339(s.ended),
        "failure": s.failure.as_ref().map(|f| json!({
            "reason": f.reason,
            "message": f.message,
            "log_file": f.log_file,
        })),
    })
}

fn cluster_json(c: &EmrCluster) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "state": c.state.as_aws(),
        "state_reason": c.state_reason,
        "state_code": c.state_code,
        "created_at": rfc3339(c.created),
        "ended_at": rfc3339(c.ended),
        "steps": c.steps.iter().map(step_json).collect::<Vec<_>>(),
    })
}

pub fn render_json(s: &Snapshot) -> String {
    let glue = match &s.glue {
        Ok(jobs) => json!({
            "error": null,
            "failed_jobs": jobs.iter().filter(|j| j.latest_run().is_some_and(|r| r.state.is_failure())).count(),
            "jobs": jobs.iter().map(|j| json!({
                "name": j.name,
                "max_concurrent_runs": j.max_concurrent_runs,
                "active_runs": j.active_runs(),
                "last_run": j.latest_run().map(run_json),
            })).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"error": e, "jobs": []}),
    };
    let emr = match &s.emr {
        Ok(clusters) => json!({
            "error": null,
            "failing_clusters": clusters.iter().filter(|c| c.needs_attention()).count(),
            "clusters": clusters.iter().map(cluster_json).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"error": e, "clusters": []}),
    };
    let out = json!({
        "generated_at": rfc3339(Some(s.generated_at)),
        "profile": s.conn.profile,
        "region": s.conn.region,
        "account": s.account,
        "endpoint": s.conn.endpoint,
        "demo": s.conn.demo,
        "glue": glue,
        "emr": emr,
    });
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
