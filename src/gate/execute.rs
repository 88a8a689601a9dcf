//! Carrying out an approved action: journal intent, call, journal outcome.

use super::{entry, stamp, Action, Approved, Journal, JournalEntry, Phase};
use crate::cloud::{Cloud, CloudError};

/// What happened, for the status line and the journal pane.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionReport {
    pub action: Action,
    pub ok: bool,
    pub summary: String,
    /// Lines written to the journal (or that failed to be written).
    pub entries: Vec<JournalEntry>,
}

pub async fn execute(cloud: &dyn Cloud, journal: &Journal, approved: Approved) -> ActionReport {
    let action_id = uuid::Uuid::new_v4().to_string();
    let intent = stamp(
        entry(
            &approved.action,
            &approved.context,
            Phase::Intent,
            "pending",
            &approved.action.describe(),
        ),
        Some(&action_id),
    );
    // No journal line, no mutation: the journal is how the team learns what
    // was done at 3 a.m.
    if let Err(e) = journal.append(&intent) {
        return ActionReport {
            action: approved.action.clone(),
            ok: false,
            summary: format!("not done: cannot write the journal ({e})"),
            entries: vec![],
        };
    }
    let (result, summary) = run(cloud, &approved, &action_id).await;
    let outcome = stamp(
        entry(
            &approved.action,
            &approved.context,
            Phase::Outcome,
            result,
            &summary,
        ),
        Some(&action_id),
    );
    let summary = match journal.append(&outcome) {
        Ok(()) => summary,
        Err(e) => format!("{summary} (journal outcome not written: {e})"),
    };
    ActionReport {
        action: approved.action,
        ok: result == "ok",
        summary,
        entries: vec![intent, outcome],
    }
}

/// Calls the mutating API; returns the journal result word and a summary.
async fn run(cloud: &dyn Cloud, approved: &Approved, action_id: &str) -> (&'static str, String) {
    match &approved.action {
        Action::RerunGlueJob { job, arguments, .. } => {
            match cloud.start_job_run(approved, job, arguments).await {
                Ok(id) => ("ok", format!("started {job} run {id}")),
                Err(CloudError::ConcurrentRunsExceeded { .. }) => {
                    ("failed", super::concurrency_message(job))
                }
                Err(e) => ("failed", format!("re-run of {job} failed: {e}")),
            }
        }
        Action::StopGlueRuns { job, run_ids } => {
            match cloud.stop_job_runs(approved, job, run_ids).await {
                Ok(outcomes) => summarize(
                    &format!("{job}: stop requested for"),
                    "run",
                    outcomes
                        .iter()
                        .map(|o| (o.run_id.as_str(), o.error.as_deref())),
                ),
                Err(e) => ("failed", format!("stop on {job} failed: {e}")),
            }
        }
        Action::CancelEmrSteps {
            cluster_id,
            cluster_name,
            step_ids,
            ..
        } => match cloud.cancel_steps(approved, cluster_id, step_ids).await {
            Ok(outcomes) => summarize(
                &format!("{cluster_name}: cancel submitted for"),
                "step",
                outcomes
                    .iter()
                    .map(|o| (o.step_id.as_str(), o.error.as_deref())),
            ),
            Err(e) => ("failed", format!("cancel on {cluster_name} failed: {e}")),
        },
        Action::RedriveDlq {
            queue,
            dlq_arn,
            destination,
            max_per_second,
            ..
        } => {
            let dest = destination.as_ref().map(|(_, arn)| arn.as_str());
            match cloud
                .start_move_task(approved, dlq_arn, dest, *max_per_second)
                .await
            {
                Ok(handle) => ("ok", format!("{queue}: redrive started (task {handle})")),
                Err(e) => ("failed", format!("redrive of {queue} not started: {e}")),
            }
        }
        Action::CancelRedrive {
            queue, task_handle, ..
        } => match cloud.cancel_move_task(approved, task_handle).await {
            Ok(moved) => (
                "ok",
                format!("{queue}: redrive cancelled after {moved} moved"),
            ),
            Err(e) => (
                "failed",
                format!("cancel of the {queue} redrive failed: {e}"),
            ),
        },
        Action::PurgeDlq { queue, url, count } => match cloud.purge_queue(approved, url).await {
            Ok(()) => (
                "ok",
                format!("{queue}: purge requested ({count} message(s); SQS takes up to 60 s)"),
            ),
            Err(e) => ("failed", format!("purge of {queue} failed: {e}")),
        },
        Action::SetAlarmActions { names, enable } => {
            let verb = if *enable { "enabled" } else { "disabled" };
            match cloud.set_alarm_actions(approved, names, *enable).await {
                Ok(()) => ("ok", format!("actions {verb} on {}", names.join(", "))),
                Err(e) => (
                    "failed",
                    format!("actions not {verb} on {}: {e}", names.join(", ")),
                ),
            }
        }
        Action::SaveQueryDefinition { definition } => {
            match cloud.put_query_definition(approved, definition).await {
                Ok(id) => ("ok", format!("saved query \"{}\" ({id})", definition.name)),
                Err(e) => (
                    "failed",
                    format!("saved query \"{}\" not saved: {e}", definition.name),
                ),
            }
        }
        Action::DeleteQueryDefinition { id, name } => {
            match cloud.delete_query_definition(approved, id).await {
                Ok(()) => ("ok", format!("deleted saved query \"{name}\"")),
                Err(e) => ("failed", format!("saved query \"{name}\" not deleted: {e}")),
            }
        }
        Action::SaveNamedQuery { query } => match cloud.create_named_query(approved, query).await {
            Ok(id) => (
                "ok",
                format!("saved Athena query \"{}\" ({id})", query.name),
            ),
            Err(e) => (
                "failed",
                format!("Athena query \"{}\" not saved: {e}", query.name),
            ),
        },
        Action::DeleteNamedQuery { id, name } => match cloud.delete_named_query(approved, id).await
        {
            Ok(()) => ("ok", format!("deleted saved Athena query \"{name}\"")),
            Err(e) => (
                "failed",
                format!("Athena query \"{name}\" not deleted: {e}"),
            ),
        },
        Action::MarkRunFailed {
            table,
            pipeline,
            run_id,
            key,
            running_word,
            message,
        } => match cloud
            .mark_run_failed(approved, table, key, running_word, message)
            .await
        {
            Ok(true) => ("ok", format!("run {run_id} of {pipeline} marked FAILED")),
            Ok(false) => (
                "ok",
                format!("run {run_id} of {pipeline} already finished — not changed"),
            ),
            Err(e) => (
                "failed",
                format!("run {run_id} of {pipeline} not marked: {e}"),
            ),
        },
        Action::ClientRedrive { queue, plan, .. } => {
            // The action id goes into FIFO deduplication ids: a retry inside
            // this action is deduplicated, a new action never is.
            let plan = crate::cloud::RedrivePlan {
                action_id: action_id.to_string(),
                ..plan.clone()
            };
            let out = cloud.client_redrive(approved, &plan).await;
            let word = match (out.moved, out.incomplete()) {
                (_, false) => "ok",
                (0, true) => "failed",
                _ => "partial",
            };
            (word, format!("{queue}: {}", out.summary()))
        }
    }
}

/// Batch APIs (BatchStopJobRun, CancelSteps) answer 200 even when items
/// failed; each item's own entry decides. Items are (id, error).
fn summarize<'a>(
    head: &str,
    noun: &str,
    items: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) -> (&'static str, String) {
    let items: Vec<_> = items.collect();
    let failed: Vec<String> = items
        .iter()
        .filter_map(|(id, e)| e.map(|e| format!("{}: {e}", super::short_id(id))))
        .collect();
    let ok = items.len() - failed.len();
    let word = match (ok, failed.len()) {
        (_, 0) => "ok",
        (0, _) => "failed",
        _ => "partial",
    };
    let mut summary = format!("{head} {ok} of {} {noun}(s)", items.len());
    if !failed.is_empty() {
        summary.push_str(&format!("; not done: {}", failed.join("; ")));
    }
    (word, summary)
}
