//! `pipedeck snapshot`: poll each pane once, print, exit.
//!
//! JSON shape (scripts rely on it):
//! `{"generated_at", "profile", "region", "account",
//!   "glue": {"error", "jobs": [{"name", "last_run": null|{"id", "state",
//!     "started_at", "completed_at", "execution_time_s", "error_message"}}]},
//!   "emr": {"error", "clusters": [{"id", "name", "state", "state_reason",
//!     "steps": [{"id", "name", "state", "failure": null|{"reason",
//!     "message", "log_file"}}]}]},
//!   "dlq": {"error", "queues": [{"name", "url", "arn", "sources": [names],
//!     "max_receive_count", "visible", "in_flight", "delayed",
//!     "oldest_age_s": null|n, "move_task": null|{"status", "moved",
//!     "to_move"}}]},
//!   "alarms": {"error", "alarms": [{"name", "type": "metric"|"composite",
//!     "state", "state_reason", "state_since", "namespace", "metric",
//!     "threshold", "actions_enabled"}]},
//!   "athena": see `snapshot_athena`, "audit": see `snapshot_audit`}`.
//! States are AWS enum strings; times RFC 3339 UTC.

use crate::cloud::alarms::AlarmKind;
use crate::cloud::{
    Alarm, Cloud, CloudError, ConnInfo, Dlq, DlqMetrics, EmrCluster, EmrStep, GlueJob, JobRun,
};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::time::Duration;

/// A pane that takes longer than this reports a timeout instead of hanging.
const PANE_DEADLINE: Duration = Duration::from_secs(120);
/// The DLQs' ages come from CloudWatch: worth a short wait, not the whole
/// snapshot's (AWS answers in well under a second; an emulator's metric
/// store can take minutes). Missing ages are shown as missing.
const AGES_DEADLINE: Duration = Duration::from_secs(10);

pub struct Snapshot {
    pub generated_at: DateTime<Utc>,
    pub conn: ConnInfo,
    pub account: Option<String>,
    pub glue: Result<Vec<GlueJob>, String>,
    pub emr: Result<Vec<EmrCluster>, String>,
    pub dlq: Result<Vec<Dlq>, String>,
    /// CloudWatch ages; missing (not an error of the DLQ section) when
    /// CloudWatch cannot be read.
    pub dlq_metrics: DlqMetrics,
    pub alarms: Result<Vec<Alarm>, String>,
    pub athena: Result<Vec<super::snapshot_athena::GroupReport>, String>,
    pub athena_pricing: crate::cloud::athena::Pricing,
    pub audit: Result<Vec<crate::cloud::audit::TableRead>, String>,
    /// `[audit] stuck_after_minutes`, for the stuck flags.
    pub audit_stuck_after: Option<std::time::Duration>,
}

impl Snapshot {
    /// Exit 1 only when every pane failed.
    pub fn all_failed(&self) -> bool {
        self.glue.is_err() && self.emr.is_err() && self.dlq.is_err() && self.alarms.is_err()
    }
}

async fn bounded<T>(
    f: impl std::future::Future<Output = Result<T, CloudError>>,
) -> Result<T, String> {
    within(PANE_DEADLINE, f).await
}

async fn within<T>(
    deadline: Duration,
    f: impl std::future::Future<Output = Result<T, CloudError>>,
) -> Result<T, String> {
    match tokio::time::timeout(deadline, f).await {
        Ok(r) => r.map_err(|e| e.to_string()),
        Err(_) => Err(format!("timed out after {}s", deadline.as_secs())),
    }
}

pub async fn collect(
    cloud: &dyn Cloud,
    conn: ConnInfo,
    dlq_queues: &[String],
    athena: &super::snapshot_athena::AthenaScope,
    audit_stuck_after: Option<std::time::Duration>,
) -> Snapshot {
    // The DLQs' CloudWatch ages follow their own listing, alongside the
    // other panes rather than after the slowest of them.
    let dlq_and_metrics = async {
        let dlq = bounded(cloud.dlqs(dlq_queues)).await.map(|mut d| {
            d.sort_by(Dlq::deepest_first);
            d
        });
        // Billed per metric: only DLQs holding messages have an age to show.
        let names: Vec<String> = dlq
            .iter()
            .flatten()
            .filter(|d| d.total() > 0)
            .map(|d| d.name.clone())
            .collect();
        let metrics = match names.is_empty() {
            true => DlqMetrics::default(),
            false => within(AGES_DEADLINE, cloud.dlq_metrics(&names))
                .await
                .unwrap_or_default(),
        };
        (dlq, metrics)
    };
    let (identity, glue, emr, (dlq, dlq_metrics), alarms, athena_section, audit) = tokio::join!(
        bounded(cloud.identity()),
        bounded(cloud.glue_jobs()),
        bounded(cloud.emr_clusters()),
        dlq_and_metrics,
        bounded(cloud.alarms()),
        bounded(super::snapshot_athena::collect(cloud, athena, Utc::now())),
        bounded(cloud.audit_runs()),
    );
    // The panes' own orders, so the note reads like the screen.
    let alarms = alarms.map(|mut a| {
        a.sort_by(Alarm::most_urgent_first);
        a
    });
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
        dlq,
        dlq_metrics,
        alarms,
        athena: athena_section,
        athena_pricing: athena.pricing,
        audit,
        audit_stuck_after,
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

fn dlq_json(d: &Dlq, metrics: &DlqMetrics) -> Value {
    json!({
        "name": d.name,
        "url": d.url,
        "arn": d.arn,
        "fifo": d.fifo,
        "configured": d.configured,
        "sources": d.sources.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        // The sources' maxReceiveCount; the highest when they differ.
        "max_receive_count": d.sources.iter().filter_map(|s| s.max_receive_count).max(),
        "visible": d.visible,
        "in_flight": d.in_flight,
        "delayed": d.delayed,
        "retention_s": d.retention_secs,
        "oldest_age_s": metrics.queues.get(&d.name).and_then(|m| m.oldest_age_s),
        "move_task": d.move_task.as_ref().map(|t| json!({
            "status": t.status,
            "moved": t.moved,
            "to_move": t.to_move,
            "failure_reason": t.failure_reason,
        })),
    })
}

fn alarm_json(a: &Alarm) -> Value {
    let metric = match &a.kind {
        AlarmKind::Metric(m) => Some(m),
        _ => None,
    };
    json!({
        "name": a.name,
        "type": if a.is_composite() { "composite" } else { "metric" },
        "state": a.state.as_aws(),
        "state_reason": a.state_reason,
        "state_since": rfc3339(a.state_since),
        // Null for composites and for metric math (see "expression").
        "namespace": metric.map(|m| m.namespace.clone()),
        "metric": metric.map(|m| m.name.clone()),
        "dimensions": metric.map(|m| m.dimensions.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>()),
        "expression": match &a.kind {
            AlarmKind::MetricMath { .. } => Some(a.watches()),
            _ => None,
        },
        "rule": match &a.kind {
            AlarmKind::Composite { rule } => Some(rule.clone()),
            _ => None,
        },
        "threshold": a.threshold,
        "comparison": a.comparison,
        "treat_missing_data": a.treat_missing_data,
        "actions_enabled": a.actions_enabled,
    })
}

pub fn render_json(s: &Snapshot) -> String {
    let glue = match &s.glue {
        Ok(jobs) => json!({
            "error": null,
            "failed_jobs": jobs.iter().filter(|j| j.is_failing()).count(),
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
        "dlq": match &s.dlq {
            Ok(queues) => json!({
                "error": null,
                "messages": queues.iter().map(Dlq::total).sum::<i64>(),
                "queues": queues.iter().map(|d| dlq_json(d, &s.dlq_metrics)).collect::<Vec<_>>(),
            }),
            Err(e) => json!({"error": e, "queues": []}),
        },
        "alarms": match &s.alarms {
            Ok(alarms) => json!({
                "error": null,
                "in_alarm": alarms.iter().filter(|a| a.state == crate::cloud::AlarmState::Alarm).count(),
                "alarms": alarms.iter().map(alarm_json).collect::<Vec<_>>(),
            }),
            Err(e) => json!({"error": e, "alarms": []}),
        },
        "athena": super::snapshot_athena::json(&s.athena, s.athena_pricing),
        "audit": super::snapshot_audit::json(&s.audit, s.generated_at, s.audit_stuck_after),
    });
    serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
