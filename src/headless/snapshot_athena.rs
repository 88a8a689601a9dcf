//! The snapshot's Athena section: per work group, the last 24 hours' spend
//! and the executions on-call must see — failed or cancelled in those 24
//! hours, and that day's runaway scans (≥ 5× the same query's median).
//!
//! `"athena": {"error", "workgroups": [{"name", "error", "history_complete", "spend_24h":
//! {"queries", "failed", "scanned_bytes", "cost_usd"}, "executions": [{"id",
//! "state", "query", "submitted_at", "scanned_bytes", "engine_ms",
//! "cost_usd", "reason", "runaway", "runaway_times_median"}]}]}`

use super::snapshot::rfc3339;
use crate::cloud::athena::history::{execution_usd, runaways, spend_24h};
use crate::cloud::athena::{Execution, Pricing, QueryState, Spend};
use crate::cloud::{Cloud, CloudError};
use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use serde_json::{json, Value};

/// Which work groups, at what price.
#[derive(Debug, Clone, Default)]
pub struct AthenaScope {
    /// Empty: every work group the account lists.
    pub workgroups: Vec<String>,
    pub pricing: Pricing,
}

#[derive(Debug, Clone)]
pub struct GroupReport {
    pub name: String,
    pub error: Option<String>,
    pub spend: Spend,
    /// Every execution of the last 24 h was read (false: the listing was
    /// cut short, and the spend is a lower bound).
    pub complete: bool,
    /// Failed or cancelled in the last 24 h, and runaways (with how many
    /// times the same query's median they scanned); newest first.
    pub executions: Vec<(Execution, Option<i64>)>,
}

pub async fn collect(
    cloud: &dyn Cloud,
    scope: &AthenaScope,
    now: DateTime<Utc>,
) -> Result<Vec<GroupReport>, CloudError> {
    let names = match scope.workgroups.is_empty() {
        false => scope.workgroups.clone(),
        true => cloud
            .athena_workgroups()
            .await?
            .into_iter()
            .filter(|g| g.enabled)
            .map(|g| g.name)
            .collect(),
    };
    let reports = futures::stream::iter(names)
        .map(|name| async move {
            match cloud.athena_history(&name).await {
                Ok(h) => GroupReport {
                    complete: !h.more,
                    ..report(name, &h.executions, scope.pricing, now)
                },
                Err(e) => GroupReport {
                    name,
                    error: Some(e.to_string()),
                    spend: Spend::default(),
                    complete: false,
                    executions: vec![],
                },
            }
        })
        .buffered(4)
        .collect()
        .await;
    Ok(reports)
}

fn report(name: String, all: &[Execution], pricing: Pricing, now: DateTime<Utc>) -> GroupReport {
    let flagged = runaways(all);
    let since = now - Duration::hours(24);
    let executions = all
        .iter()
        // The day's failures and runaways: an older runaway was in
        // yesterday's note.
        .filter(|e| {
            e.submitted.is_some_and(|t| t > since)
                && (matches!(e.state, Some(QueryState::Failed | QueryState::Cancelled))
                    || flagged.contains_key(&e.id))
        })
        .map(|e| (e.clone(), flagged.get(&e.id).copied()))
        .collect();
    GroupReport {
        name,
        error: None,
        spend: spend_24h(all, now, pricing),
        complete: true,
        executions,
    }
}

pub fn json(section: &Result<Vec<GroupReport>, String>, pricing: Pricing) -> Value {
    match section {
        Err(e) => json!({"error": e, "workgroups": []}),
        Ok(groups) => json!({
            "error": null,
            "workgroups": groups.iter().map(|g| json!({
                "name": g.name,
                "error": g.error,
                "history_complete": g.complete,
                "spend_24h": {
                    "queries": g.spend.queries,
                    "failed": g.spend.failed,
                    "scanned_bytes": g.spend.scanned_bytes,
                    "cost_usd": g.spend.cost_usd,
                },
                "executions": g.executions.iter().map(|(e, runaway)| json!({
                    "id": e.id,
                    "state": e.state_name(),
                    "query": e.sql,
                    "submitted_at": rfc3339(e.submitted),
                    "scanned_bytes": e.scanned_bytes,
                    "engine_ms": e.engine_ms,
                    "cost_usd": execution_usd(e, pricing),
                    "reason": e.reason,
                    "runaway": runaway.is_some(),
                    "runaway_times_median": runaway,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    }
}
