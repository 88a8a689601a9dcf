//! Carrying out an approved action: journal intent, call, journal outcome.

use super::{entry, stamp, Action, Approved, Journal, JournalEntry, Phase};
use crate::cloud::{Cloud, CloudError, StopOutcome};

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
            "",
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
    let (result, summary) = run(cloud, &approved).await;
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
async fn run(cloud: &dyn Cloud, approved: &Approved) -> (&'static str, String) {
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
                Ok(outcomes) => summarize_stops(job, &outcomes),
                Err(e) => ("failed", format!("stop on {job} failed: {e}")),
            }
        }
    }
}

/// BatchStopJobRun answers 200 even when runs could not be stopped; each
/// run's own entry decides.
fn summarize_stops(job: &str, outcomes: &[StopOutcome]) -> (&'static str, String) {
    let failed: Vec<_> = outcomes.iter().filter(|o| o.error.is_some()).collect();
    let ok = outcomes.len() - failed.len();
    let details: Vec<String> = failed
        .iter()
        .map(|o| {
            format!(
                "{}: {}",
                super::short_id(&o.run_id),
                o.error.as_deref().unwrap_or_default()
            )
        })
        .collect();
    let word = match (ok, failed.len()) {
        (_, 0) => "ok",
        (0, _) => "failed",
        _ => "partial",
    };
    let mut summary = format!(
        "{job}: stop requested for {ok} of {} run(s)",
        outcomes.len()
    );
    if !details.is_empty() {
        summary.push_str(&format!("; not stopped: {}", details.join("; ")));
    }
    (word, summary)
}
