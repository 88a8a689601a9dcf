//! EMR through the SDK: ListClusters (state filters, created-after),
//! ListSteps, CancelSteps.

use super::errors::map_sdk_error;
use super::glue::to_chrono;
use crate::cloud::{
    CancelOutcome, CloudResult, ClusterState, EmrCluster, EmrStep, StepFailure, StepState,
};
use aws_sdk_emr::types::{ClusterState as SdkClusterState, ClusterSummary, StepSummary};
use aws_sdk_emr::Client;
use chrono::{Duration, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::BTreeSet;

/// Ended clusters older than this are history, not an incident.
const ENDED_WINDOW_DAYS: i64 = 7;
const STEP_FETCH_CONCURRENCY: usize = 6;

fn active_states() -> Vec<SdkClusterState> {
    vec![
        SdkClusterState::Starting,
        SdkClusterState::Bootstrapping,
        SdkClusterState::Running,
        SdkClusterState::Waiting,
        SdkClusterState::Terminating,
    ]
}

fn ended_states() -> Vec<SdkClusterState> {
    vec![
        SdkClusterState::Terminated,
        SdkClusterState::TerminatedWithErrors,
    ]
}

/// Active clusters of any age, plus those that ended in the last 7 days,
/// each with its steps.
pub async fn clusters(client: &Client) -> CloudResult<Vec<EmrCluster>> {
    let since = Utc::now() - Duration::days(ENDED_WINDOW_DAYS);
    let active = list(client, active_states(), None);
    let ended = list(
        client,
        ended_states(),
        Some(aws_smithy_types::DateTime::from_secs(since.timestamp())),
    );
    let (active, ended) = futures::try_join!(active, ended)?;
    let mut seen = BTreeSet::new();
    let summaries: Vec<ClusterSummary> = active
        .into_iter()
        .chain(ended)
        .filter(|c| seen.insert(c.id().unwrap_or_default().to_string()))
        .collect();
    stream::iter(summaries)
        .map(|c| async move {
            let id = c.id().unwrap_or_default().to_string();
            let steps = steps(client, &id).await?;
            Ok::<_, crate::cloud::CloudError>(cluster_from_sdk(&c, steps))
        })
        .buffered(STEP_FETCH_CONCURRENCY)
        .try_collect()
        .await
}

async fn list(
    client: &Client,
    states: Vec<SdkClusterState>,
    created_after: Option<aws_smithy_types::DateTime>,
) -> CloudResult<Vec<ClusterSummary>> {
    client
        .list_clusters()
        .set_cluster_states(Some(states))
        .set_created_after(created_after)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("elasticmapreduce:ListClusters", e))
}

/// Every step of a cluster, newest first.
pub async fn steps(client: &Client, cluster_id: &str) -> CloudResult<Vec<EmrStep>> {
    let summaries: Vec<StepSummary> = client
        .list_steps()
        .cluster_id(cluster_id)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("elasticmapreduce:ListSteps", e))?;
    let mut steps: Vec<EmrStep> = summaries.iter().map(step_from_sdk).collect();
    steps.sort_by(EmrStep::newest_first);
    Ok(steps)
}

pub async fn cancel_steps(
    client: &Client,
    cluster_id: &str,
    step_ids: &[String],
) -> CloudResult<Vec<CancelOutcome>> {
    let out = client
        .cancel_steps()
        .cluster_id(cluster_id)
        .set_step_ids(Some(step_ids.to_vec()))
        .send()
        .await
        .map_err(|e| map_sdk_error("elasticmapreduce:CancelSteps", e))?;
    Ok(step_ids
        .iter()
        .map(|id| {
            let info = out
                .cancel_steps_info_list()
                .iter()
                .find(|i| i.step_id() == Some(id.as_str()));
            let error = match info {
                None => Some("not acknowledged by the service".to_string()),
                Some(i) => match i.status().map(|s| s.as_str()) {
                    Some("SUBMITTED") => None,
                    status => Some(format!(
                        "{}: {}",
                        status.unwrap_or("UNKNOWN"),
                        i.reason().unwrap_or("no reason given")
                    )),
                },
            };
            CancelOutcome {
                step_id: id.clone(),
                error,
            }
        })
        .collect())
}

fn cluster_from_sdk(c: &ClusterSummary, steps: Vec<EmrStep>) -> EmrCluster {
    let status = c.status();
    let reason = status.and_then(|s| s.state_change_reason());
    let timeline = status.and_then(|s| s.timeline());
    EmrCluster {
        id: c.id().unwrap_or_default().to_string(),
        name: c.name().unwrap_or_default().to_string(),
        state: status
            .and_then(|s| s.state())
            .map(|s| ClusterState::from_aws(s.as_str()))
            .unwrap_or_else(|| ClusterState::Unknown("(none)".into())),
        state_code: reason
            .and_then(|r| r.code())
            .map(|c| c.as_str().to_string()),
        state_reason: reason
            .and_then(|r| r.message())
            .filter(|m| !m.is_empty())
            .map(str::to_string),
        created: timeline
            .and_then(|t| t.creation_date_time())
            .and_then(to_chrono),
        ended: timeline.and_then(|t| t.end_date_time()).and_then(to_chrono),
        normalized_instance_hours: c.normalized_instance_hours(),
        steps,
    }
}

pub(crate) fn step_from_sdk(s: &StepSummary) -> EmrStep {
    let status = s.status();
    let timeline = status.and_then(|st| st.timeline());
    let failure = status
        .and_then(|st| st.failure_details())
        .map(|f| StepFailure {
            reason: f.reason().map(str::to_string),
            message: f.message().map(str::to_string),
            log_file: f.log_file().map(str::to_string),
        });
    EmrStep {
        id: s.id().unwrap_or_default().to_string(),
        name: s.name().unwrap_or_default().to_string(),
        state: status
            .and_then(|st| st.state())
            .map(|st| StepState::from_aws(st.as_str()))
            .unwrap_or_else(|| StepState::Unknown("(none)".into())),
        action_on_failure: s.action_on_failure().map(|a| a.as_str().to_string()),
        jar: s.config().and_then(|c| c.jar()).map(str::to_string),
        args: s.config().map(|c| c.args().to_vec()).unwrap_or_default(),
        created: timeline
            .and_then(|t| t.creation_date_time())
            .and_then(to_chrono),
        started: timeline
            .and_then(|t| t.start_date_time())
            .and_then(to_chrono),
        ended: timeline.and_then(|t| t.end_date_time()).and_then(to_chrono),
        state_reason: status
            .and_then(|st| st.state_change_reason())
            .and_then(|r| r.message())
            .map(str::to_string),
        failure,
    }
}
