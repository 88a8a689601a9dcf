//! `pipedeck snapshot`: poll each pane once, print, exit.
//!
//! JSON shape (scripts rely on it): `{"generated_at", "profile", "region",
//! "account", "glue": {"error", "jobs": [{"name", "last_run": null|{"id",
//! "state", "started_at", "completed_at", "execution_time_s",
//! "error_message"}}]}}`. States are AWS enum strings; times RFC 3339 UTC.

use crate::cloud::{Cloud, CloudError, ConnInfo, GlueJob, JobRun};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use std::time::Duration;

/// A pane that takes longer than this reports a timeout instead of hanging.
const PANE_DEADLINE: Duration = Duration::from_secs(120);

pub struct Snapshot {
    pub generated_at: DateTime<Utc>,
    pub conn: ConnInfo,
    pub account: Option<String>,
    pub glue: Result<Vec<GlueJob>, String>,
}

impl Snapshot {
    /// Exit 1 only when every pane failed.
    pub fn all_failed(&self) -> bool {
        self.glue.is_err()
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
    let (identity, glue) = tokio::join!(bounded(cloud.identity()), bounded(cloud.glue_jobs()));
    let glue = glue.map(|mut jobs| {
        jobs.sort_by(|a, b| a.name.cmp(&b.name));
        jobs
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
    }
}

fn rfc3339(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(t.to_rfc3339_opts(SecondsFormat::Secs, true)))
        .unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct RunOut<'a> {
    id: &'a str,
    state: &'a str,
    started_at: Value,
    completed_at: Value,
    execution_time_s: Option<i64>,
    error_message: Option<&'a str>,
    attempt: i32,
}

fn run_json(r: &JobRun) -> RunOut<'_> {
    RunOut {
        id: &r.id,
        state: r.state.as_aws(),
        started_at: rfc3339(r.started_on),
        completed_at: rfc3339(r.completed_on),
        execution_time_s: r.execution_time_s,
        error_message: r.error_message.as_deref(),
        attempt: r.attempt,
    }
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
    let out = json!({
        "generated_at": rfc3339(Some(s.generated_at)),
        "profile": s.conn.profile,
        "region": s.conn.region,
        "account": s.account,
        "endpoint": s.conn.endpoint,
        "demo": s.conn.demo,
        "glue": glue,
    });
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// A readable note to paste into an incident channel.
pub fn render_markdown(s: &Snapshot) -> String {
    let mut out = format!(
        "# pipedeck snapshot — {} / {}\n\n_Generated {} (profile {})_\n\n## Glue\n\n",
        s.account.as_deref().unwrap_or("account unknown"),
        s.conn.region,
        s.generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        s.conn.profile
    );
    match &s.glue {
        Err(e) => out.push_str(&format!("**Could not read Glue:** {e}\n")),
        Ok(jobs) => {
            let failing: Vec<_> = jobs
                .iter()
                .filter(|j| j.latest_run().is_some_and(|r| r.state.is_failure()))
                .collect();
            let running = jobs.iter().filter(|j| j.active_runs() > 0).count();
            out.push_str(&format!(
                "**{} of {} jobs failing**, {running} running.\n\n",
                failing.len(),
                jobs.len()
            ));
            for j in failing {
                let r = j.latest_run().expect("filtered on latest run");
                let since = j
                    .runs
                    .iter()
                    .take_while(|r| r.state.is_failure())
                    .last()
                    .and_then(|r| r.started_on);
                let streak = j.runs.iter().take_while(|r| r.state.is_failure()).count();
                out.push_str(&format!(
                    "- **{}** — {} ({} failed run{} in a row, since {})\n",
                    j.name,
                    r.state.as_aws(),
                    streak,
                    if streak == 1 { "" } else { "s" },
                    since
                        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
                        .unwrap_or_else(|| "unknown".into())
                ));
                if let Some(m) = &r.error_message {
                    out.push_str(&format!("  - `{}`\n", m.lines().next().unwrap_or("")));
                }
                out.push_str(&format!("  - latest run `{}`\n", r.id));
            }
        }
    }
    out
}
