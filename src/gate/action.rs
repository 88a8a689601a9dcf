//! Every mutating action pipedeck can take, as a value.

use crate::cloud::athena::NamedQuery;
use crate::cloud::{QueryDefinition, RedrivePlan};
use serde::Serialize;
use std::collections::BTreeMap;
use strum::EnumIter;

#[derive(Debug, Clone, PartialEq, Serialize, EnumIter)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// StartJobRun with the arguments of an earlier run.
    RerunGlueJob {
        job: String,
        from_run: String,
        arguments: BTreeMap<String, String>,
    },
    /// BatchStopJobRun.
    StopGlueRuns { job: String, run_ids: Vec<String> },
    /// CancelSteps on one cluster.
    CancelEmrSteps {
        cluster_id: String,
        cluster_name: String,
        step_ids: Vec<String>,
        /// For the question and the journal; the ids are what is sent.
        step_names: Vec<String>,
    },
    /// StartMessageMoveTask: the DLQ's messages back to their source(s),
    /// or to `destination`.
    RedriveDlq {
        queue: String,
        dlq_arn: String,
        /// Visible messages when asked (the task moves what is there).
        count: usize,
        /// Source queue names, for the question.
        sources: Vec<String>,
        /// (name, arn) of a destination the user chose.
        destination: Option<(String, String)>,
        max_per_second: Option<i32>,
    },
    /// CancelMessageMoveTask.
    CancelRedrive {
        queue: String,
        task_handle: String,
        moved: i64,
        to_move: Option<i64>,
    },
    /// PurgeQueue: every message in the DLQ is deleted.
    PurgeDlq {
        queue: String,
        url: String,
        count: usize,
    },
    /// Receive → send → delete-on-success from pipedeck itself (selected
    /// messages, SNS/Lambda-fed DLQs).
    ClientRedrive {
        queue: String,
        count: usize,
        /// Where the messages go, in words (queue names).
        destination: String,
        plan: RedrivePlan,
    },
    /// EnableAlarmActions / DisableAlarmActions.
    SetAlarmActions { names: Vec<String>, enable: bool },
    /// PutQueryDefinition: a saved query, shared with the whole account
    /// (a new one, or replacing the one with the same name).
    SaveQueryDefinition { definition: QueryDefinition },
    /// DeleteQueryDefinition.
    DeleteQueryDefinition { id: String, name: String },
    /// CreateNamedQuery: an Athena saved query in a work group, seen by
    /// everyone who can list the group's saved queries.
    SaveNamedQuery { query: NamedQuery },
    /// DeleteNamedQuery.
    DeleteNamedQuery { id: String, name: String },
    /// UpdateItem on an audit record still RUNNING (a conditional update):
    /// the table's failed word, the end time and who marked it.
    MarkRunFailed {
        table: String,
        pipeline: String,
        run_id: String,
        /// The record's key, as read.
        key: crate::cloud::audit::Item,
        /// The status word it holds now: the update's condition.
        running_word: String,
        message: String,
    },
}

impl Default for Action {
    fn default() -> Self {
        Action::StopGlueRuns {
            job: String::new(),
            run_ids: Vec::new(),
        }
    }
}

impl Action {
    /// The journal's name for the action; also the key in `safety.typed_confirm`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::RerunGlueJob { .. } => "glue.rerun",
            Action::StopGlueRuns { .. } => "glue.stop_runs",
            Action::CancelEmrSteps { .. } => "emr.cancel_steps",
            Action::RedriveDlq { .. } => "sqs.redrive",
            Action::CancelRedrive { .. } => "sqs.cancel_redrive",
            Action::PurgeDlq { .. } => "sqs.purge",
            Action::ClientRedrive { .. } => "sqs.client_redrive",
            Action::SetAlarmActions { enable: true, .. } => "cloudwatch.enable_actions",
            Action::SetAlarmActions { enable: false, .. } => "cloudwatch.disable_actions",
            Action::SaveQueryDefinition { .. } => "logs.put_query_definition",
            Action::DeleteQueryDefinition { .. } => "logs.delete_query_definition",
            Action::SaveNamedQuery { .. } => "athena.create_named_query",
            Action::DeleteNamedQuery { .. } => "athena.delete_named_query",
            Action::MarkRunFailed { .. } => "dynamodb.mark_run_failed",
        }
    }

    /// Irreversible beyond any configuration: always asks for the name.
    pub fn always_typed(&self) -> bool {
        matches!(self, Action::PurgeDlq { .. })
    }

    /// The resource acted on; a typed confirmation asks for exactly this.
    pub fn target(&self) -> &str {
        match self {
            Action::RerunGlueJob { job, .. } | Action::StopGlueRuns { job, .. } => job,
            // The name is what people recognise and type; the id is in the journal detail.
            Action::CancelEmrSteps { cluster_name, .. } => cluster_name,
            Action::RedriveDlq { queue, .. }
            | Action::CancelRedrive { queue, .. }
            | Action::PurgeDlq { queue, .. }
            | Action::ClientRedrive { queue, .. } => queue,
            Action::SetAlarmActions { names, .. } => names.first().map_or("", String::as_str),
            Action::SaveQueryDefinition { definition } => &definition.name,
            Action::DeleteQueryDefinition { name, .. } => name,
            Action::SaveNamedQuery { query } => &query.name,
            Action::DeleteNamedQuery { name, .. } => name,
            // The run, never empty: what a typed confirmation asks for.
            Action::MarkRunFailed { run_id, .. } => run_id,
        }
    }

    /// How many things it touches (runs to stop, runs to start).
    pub fn count(&self) -> usize {
        match self {
            Action::RerunGlueJob { .. } => 1,
            Action::StopGlueRuns { run_ids, .. } => run_ids.len(),
            Action::CancelEmrSteps { step_ids, .. } => step_ids.len(),
            Action::RedriveDlq { count, .. }
            | Action::PurgeDlq { count, .. }
            | Action::ClientRedrive { count, .. } => *count,
            Action::CancelRedrive { .. } => 1,
            Action::SetAlarmActions { names, .. } => names.len(),
            Action::SaveQueryDefinition { .. }
            | Action::DeleteQueryDefinition { .. }
            | Action::SaveNamedQuery { .. }
            | Action::DeleteNamedQuery { .. }
            | Action::MarkRunFailed { .. } => 1,
        }
    }

    /// The question the confirmation dialog asks, naming resource, count,
    /// account and region.
    pub fn question(&self, where_: &str) -> String {
        match self {
            Action::RerunGlueJob {
                job,
                from_run,
                arguments,
            } => match arguments.len() {
                0 => format!(
                    "Start a new run of Glue job {job} in {where_}, with no arguments (as run {} had)?",
                    short_id(from_run)
                ),
                n => format!(
                    "Start a new run of Glue job {job} in {where_}, with the {n} argument{} of run {} (below)?",
                    if n == 1 { "" } else { "s" },
                    short_id(from_run)
                ),
            },
            Action::StopGlueRuns { job, run_ids } => match run_ids.as_slice() {
                [one] => format!("Stop run {} of Glue job {job} in {where_}?", short_id(one)),
                many => format!("Stop {} runs of Glue job {job} in {where_}?", many.len()),
            },
            Action::CancelEmrSteps {
                cluster_id,
                cluster_name,
                step_ids,
                step_names,
            } => match step_ids.as_slice() {
                [one] => format!(
                    "Cancel step {} ({one}) on EMR cluster {cluster_name} ({cluster_id}) in {where_}?",
                    step_names.first().map_or("?", String::as_str)
                ),
                many => format!(
                    "Cancel {} steps on EMR cluster {cluster_name} ({cluster_id}) in {where_}?",
                    many.len()
                ),
            },
            Action::RedriveDlq {
                queue,
                count,
                sources,
                destination,
                max_per_second,
                ..
            } => format!(
                "Redrive {count} message(s) from DLQ {queue} to {} in {where_}{}? (StartMessageMoveTask; redriving before the bug is fixed sends them straight back)",
                match destination {
                    Some((name, _)) => name.clone(),
                    None => format!("the original source ({})", sources.join(", ")),
                },
                max_per_second.map_or(String::new(), |r| format!(" at {r} msg/s")),
            ),
            Action::CancelRedrive {
                queue, moved, to_move, ..
            } => format!(
                "Cancel the redrive of DLQ {queue} in {where_}? ({moved} of {} moved so far; the rest stays in the DLQ)",
                to_move.map_or("?".into(), |n| n.to_string())
            ),
            Action::PurgeDlq { queue, count, .. } => format!(
                "Purge DLQ {queue} in {where_}: delete all {count} message(s) for good?"
            ),
            Action::ClientRedrive {
                queue,
                count,
                destination,
                plan,
            } => format!(
                "Move {} {count} message(s) from DLQ {queue} to {destination} in {where_}? (pipedeck receives, sends, then deletes only what was sent)",
                if plan.only.is_some() { "the marked" } else { "all" }
            ),
            Action::SetAlarmActions { names, enable } => {
                let which = match names.as_slice() {
                    [one] => format!("alarm {one}"),
                    many => format!("{} alarms", many.len()),
                };
                if *enable {
                    format!("Enable the actions of {which} in {where_}? (it notifies again on its next state change)")
                } else {
                    format!("Disable the actions of {which} in {where_}? (it keeps evaluating, but nobody is paged until they are enabled again)")
                }
            }
            Action::SaveQueryDefinition { definition: d } => format!(
                "{} the saved query \"{}\" ({} log group(s)) in {where_}? Everyone on the account sees saved queries.",
                if d.id.is_some() { "Replace" } else { "Save" },
                d.name,
                d.groups.len()
            ),
            Action::DeleteQueryDefinition { name, .. } => {
                format!("Delete the saved query \"{name}\" in {where_}? It is gone for everyone on the account.")
            }
            Action::SaveNamedQuery { query: q } => format!(
                "Save the Athena query \"{}\" (database {}) in work group {} of {where_}? Everyone who uses the work group sees it.",
                q.name,
                q.database,
                q.workgroup.as_deref().unwrap_or("primary")
            ),
            Action::DeleteNamedQuery { name, .. } => {
                format!("Delete the saved Athena query \"{name}\" in {where_}? It is gone for everyone who uses its work group.")
            }
            Action::MarkRunFailed {
                table,
                pipeline,
                run_id,
                running_word,
                message,
                ..
            } => format!(
                "Mark run {run_id} of {pipeline} FAILED in table {table} of {where_}? Only while it still says {running_word}; the pipeline itself is not stopped. Its error will read \"{message}\"."
            ),
        }
    }
}

impl Action {
    /// What exactly is asked of AWS, for the journal's intent line.
    pub fn describe(&self) -> String {
        match self {
            Action::RerunGlueJob {
                from_run,
                arguments,
                ..
            } => format!(
                "StartJobRun with the {} argument(s) of run {from_run}: {}",
                arguments.len(),
                arguments.keys().cloned().collect::<Vec<_>>().join(" ")
            ),
            Action::StopGlueRuns { run_ids, .. } => {
                format!("BatchStopJobRun for {}", run_ids.join(", "))
            }
            Action::CancelEmrSteps {
                cluster_id,
                step_ids,
                step_names,
                ..
            } => {
                let steps: Vec<String> = named_steps(step_ids, step_names)
                    .map(|(id, name)| format!("{id} ({name})"))
                    .collect();
                format!("CancelSteps on {cluster_id}: {}", steps.join(", "))
            }
            Action::RedriveDlq {
                dlq_arn,
                destination,
                max_per_second,
                ..
            } => format!(
                "StartMessageMoveTask SourceArn={dlq_arn} DestinationArn={} MaxNumberOfMessagesPerSecond={}",
                destination.as_ref().map_or("(original source)", |(_, a)| a.as_str()),
                max_per_second.map_or("(default)".into(), |r| r.to_string())
            ),
            Action::CancelRedrive { task_handle, moved, .. } => {
                format!("CancelMessageMoveTask {task_handle} ({moved} moved when asked)")
            }
            Action::PurgeDlq { url, count, .. } => format!("PurgeQueue {url} ({count} message(s))"),
            Action::ClientRedrive {
                destination, plan, ..
            } => format!(
                "client-side redrive from {} to {destination}: {}",
                plan.dlq_url,
                match &plan.only {
                    Some(ids) => format!("{} marked message id(s): {}", ids.len(), ids.iter().cloned().collect::<Vec<_>>().join(" ")),
                    None => "all messages".into(),
                }
            ),
            Action::SetAlarmActions { names, enable } => format!(
                "{} {}",
                if *enable { "EnableAlarmActions" } else { "DisableAlarmActions" },
                names.join(" ")
            ),
            Action::SaveQueryDefinition { definition: d } => format!(
                "PutQueryDefinition name={:?} id={} logGroupNames={} query={:?}",
                d.name,
                d.id.as_deref().unwrap_or("(new)"),
                d.groups.join(","),
                d.query
            ),
            Action::DeleteQueryDefinition { id, name } => {
                format!("DeleteQueryDefinition {id} ({name})")
            }
            Action::SaveNamedQuery { query: q } => format!(
                "CreateNamedQuery name={:?} database={} workGroup={} query={:?}",
                q.name,
                q.database,
                q.workgroup.as_deref().unwrap_or("primary"),
                q.sql
            ),
            Action::DeleteNamedQuery { id, name } => format!("DeleteNamedQuery {id} ({name})"),
            Action::MarkRunFailed {
                table,
                key,
                running_word,
                message,
                ..
            } => format!(
                "UpdateItem {table} key {} SET status = failed, end, message {message:?} IF status = {running_word:?}",
                key.iter()
                    .map(|(k, v)| format!("{k}={}", v.text()))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }
}

/// The lines behind a question: a title ("5 arguments") and one line per
/// thing the action sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub title: String,
    pub lines: Vec<String>,
}

use super::secrets::{is_secret_name, mask_value, MASK};

impl Action {
    /// Everything the question only counts, spelled out for the dialog.
    pub fn details(&self) -> Option<Details> {
        let (title, lines) = match self {
            Action::RerunGlueJob { arguments, .. } if !arguments.is_empty() => (
                format!(
                    "{} argument{}:",
                    arguments.len(),
                    if arguments.len() == 1 { "" } else { "s" }
                ),
                arguments
                    .iter()
                    .map(|(k, v)| {
                        let v = if is_secret_name(k) {
                            MASK.to_string()
                        } else {
                            mask_value(v)
                        };
                        format!("{k} = {v}")
                    })
                    .collect(),
            ),
            Action::StopGlueRuns { run_ids, .. } if run_ids.len() > 1 => {
                ("runs:".into(), run_ids.clone())
            }
            Action::CancelEmrSteps {
                step_ids,
                step_names,
                ..
            } if step_ids.len() > 1 => (
                "steps:".into(),
                named_steps(step_ids, step_names)
                    .map(|(id, name)| format!("{name} ({id})"))
                    .collect(),
            ),
            Action::SetAlarmActions { names, .. } if names.len() > 1 => {
                ("alarms:".into(), names.clone())
            }
            _ => return None,
        };
        Some(Details { title, lines })
    }
}

/// Each step id with its name ("?" where the name is not known).
fn named_steps<'a>(
    ids: &'a [String],
    names: &'a [String],
) -> impl Iterator<Item = (&'a str, &'a str)> {
    ids.iter().map(String::as_str).zip(
        names
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat("?")),
    )
}

/// Glue run ids are 67 characters; the head is enough to recognise one.
pub fn short_id(id: &str) -> String {
    if id.chars().count() > 14 {
        format!("{}…", id.chars().take(13).collect::<String>())
    } else {
        id.to_string()
    }
}

/// The one message for "too many runs already", whether pipedeck's own guard
/// or Glue's ConcurrentRunsExceededException caught it.
pub fn concurrency_message(job: &str) -> String {
    format!("{job} is already at its MaxConcurrentRuns limit; wait for a run to end or stop one")
}
