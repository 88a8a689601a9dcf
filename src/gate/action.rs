//! Every mutating action pipedeck can take, as a value.

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
        }
    }

    /// The resource acted on; a typed confirmation asks for exactly this.
    pub fn target(&self) -> &str {
        match self {
            Action::RerunGlueJob { job, .. } | Action::StopGlueRuns { job, .. } => job,
            // The name is what people recognise and type; the id is in the journal detail.
            Action::CancelEmrSteps { cluster_name, .. } => cluster_name,
        }
    }

    /// How many things it touches (runs to stop, runs to start).
    pub fn count(&self) -> usize {
        match self {
            Action::RerunGlueJob { .. } => 1,
            Action::StopGlueRuns { run_ids, .. } => run_ids.len(),
            Action::CancelEmrSteps { step_ids, .. } => step_ids.len(),
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
            } => format!(
                "Start a new run of Glue job {job} with the {} argument{} of run {} in {where_}?",
                arguments.len(),
                if arguments.len() == 1 { "" } else { "s" },
                short_id(from_run)
            ),
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
                let steps: Vec<String> = step_ids
                    .iter()
                    .zip(
                        step_names
                            .iter()
                            .map(String::as_str)
                            .chain(std::iter::repeat("?")),
                    )
                    .map(|(id, name)| format!("{id} ({name})"))
                    .collect();
                format!("CancelSteps on {cluster_id}: {}", steps.join(", "))
            }
        }
    }
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
