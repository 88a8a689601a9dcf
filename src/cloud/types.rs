//! The app's own domain types. Nothing here mentions the AWS SDK, so panes,
//! the demo account and the tests all speak one vocabulary.

use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Who and where we are talking to. Shown in the header and in the journal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub account: Option<String>,
    pub arn: Option<String>,
    /// The region the SDK resolved (flags, env or profile), once known.
    pub region: Option<String>,
}

/// The state of a Glue job run. Every `JobRunState` the SDK knows, plus the
/// raw string of any state a newer service version may add.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RunState {
    Starting,
    Running,
    Stopping,
    Stopped,
    Succeeded,
    Failed,
    Error,
    Timeout,
    Expired,
    Waiting,
    Unknown(String),
}

impl RunState {
    /// Parses the AWS enum string; anything unrecognised is kept verbatim.
    pub fn from_aws(s: &str) -> Self {
        match s {
            "STARTING" => Self::Starting,
            "RUNNING" => Self::Running,
            "STOPPING" => Self::Stopping,
            "STOPPED" => Self::Stopped,
            "SUCCEEDED" => Self::Succeeded,
            "FAILED" => Self::Failed,
            "ERROR" => Self::Error,
            "TIMEOUT" => Self::Timeout,
            "EXPIRED" => Self::Expired,
            "WAITING" => Self::Waiting,
            other => Self::Unknown(other.to_string()),
        }
    }

    /// The AWS enum string, as `snapshot` prints it.
    pub fn as_aws(&self) -> &str {
        match self {
            Self::Starting => "STARTING",
            Self::Running => "RUNNING",
            Self::Stopping => "STOPPING",
            Self::Stopped => "STOPPED",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::Error => "ERROR",
            Self::Timeout => "TIMEOUT",
            Self::Expired => "EXPIRED",
            Self::Waiting => "WAITING",
            Self::Unknown(s) => s,
        }
    }

    /// A run that ended badly: what the header counts and what sorts first.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::Failed | Self::Error | Self::Timeout | Self::Expired
        )
    }

    /// Runs that count against MaxConcurrentRuns.
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            Self::Starting | Self::Running | Self::Stopping | Self::Waiting
        )
    }

    /// Only these can be stopped with BatchStopJobRun.
    pub fn is_stoppable(&self) -> bool {
        matches!(self, Self::Starting | Self::Running | Self::Waiting)
    }
}

impl Serialize for RunState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_aws())
    }
}

/// One Glue job run, as much as triage needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRun {
    pub id: String,
    pub job_name: String,
    pub state: RunState,
    pub attempt: i32,
    pub started_on: Option<DateTime<Utc>>,
    pub completed_on: Option<DateTime<Utc>>,
    /// Seconds, as the API reports it (0 while a run is starting).
    pub execution_time_s: Option<i64>,
    /// Only Flex and auto-scaling jobs report it.
    pub dpu_seconds: Option<f64>,
    pub worker_type: Option<String>,
    pub number_of_workers: Option<i32>,
    pub max_capacity: Option<f64>,
    /// The run's own Arguments (GetJobRuns does not merge the job's
    /// DefaultArguments into them: see `job_arguments`).
    pub arguments: BTreeMap<String, String>,
    pub error_message: Option<String>,
    pub trigger_name: Option<String>,
    /// The run's LogGroupName: the prefix of its `/error` and `/output`
    /// groups (`/aws-glue/jobs-<role>-<security configuration>/` when a
    /// security configuration encrypts them). None: Glue's default.
    pub log_group_name: Option<String>,
    /// "4.0", "5.0"…: where the run logs depends on it (5.0 has no
    /// continuous-logging group).
    pub glue_version: Option<String>,
    /// The SecurityConfiguration the run used: it renames the
    /// continuous-logging group (`…-<name>`).
    pub security_configuration: Option<String>,
    /// The job's DefaultArguments as GetJobs lists them now (filled when
    /// the run is handed to the triage); the run's own Arguments override
    /// them. Glue keeps no record of the defaults a run started with, so a
    /// job edited since is read as it is today.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub job_arguments: BTreeMap<String, String>,
}

impl JobRun {
    /// A run known by its id, job and state only; the rest unknown.
    pub fn bare(id: &str, job_name: &str, state: RunState) -> Self {
        Self {
            id: id.to_string(),
            job_name: job_name.to_string(),
            state,
            attempt: 0,
            started_on: None,
            completed_on: None,
            execution_time_s: None,
            dpu_seconds: None,
            worker_type: None,
            number_of_workers: None,
            max_capacity: None,
            arguments: BTreeMap::new(),
            error_message: None,
            trigger_name: None,
            log_group_name: None,
            glue_version: None,
            security_configuration: None,
            job_arguments: BTreeMap::new(),
        }
    }

    /// A job argument as the run saw it: its own Arguments first, then the
    /// job's DefaultArguments (blank values count as unset).
    pub fn argument(&self, key: &str) -> Option<&str> {
        self.arguments
            .get(key)
            .or_else(|| self.job_arguments.get(key))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Newest first by StartedOn; runs without a start time sort last.
    pub fn newest_first(a: &JobRun, b: &JobRun) -> std::cmp::Ordering {
        b.started_on
            .cmp(&a.started_on)
            .then_with(|| b.id.cmp(&a.id))
    }
}

/// A Glue job definition with its most recent runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlueJob {
    pub name: String,
    pub max_concurrent_runs: i32,
    pub worker_type: Option<String>,
    pub number_of_workers: Option<i32>,
    pub max_capacity: Option<f64>,
    pub glue_version: Option<String>,
    pub execution_class: Option<String>,
    /// The job's DefaultArguments (continuous logging is usually switched
    /// on here, not in a run's own Arguments).
    pub default_arguments: BTreeMap<String, String>,
    /// Recent runs, newest first by StartedOn (sorted on the client).
    pub runs: Vec<JobRun>,
}

impl GlueJob {
    /// The run with what the job adds to it: the job's DefaultArguments,
    /// and its GlueVersion where the run reports none.
    pub fn with_job_settings(&self, run: &JobRun) -> JobRun {
        let mut run = run.clone();
        run.job_arguments = self.default_arguments.clone();
        if run.glue_version.is_none() {
            run.glue_version = self.glue_version.clone();
        }
        run
    }

    pub fn latest_run(&self) -> Option<&JobRun> {
        self.runs.first()
    }

    /// Failed runs in a row since the last success, newest first; runs
    /// still going do not end it (a retry after four failures leaves the
    /// job failing until it succeeds), a stopped run neither counts nor
    /// ends it.
    pub fn failure_streak(&self) -> usize {
        self.streak_runs().count()
    }

    /// The failed runs of the streak, newest first.
    pub fn streak_runs(&self) -> impl Iterator<Item = &JobRun> {
        self.runs
            .iter()
            .filter(|r| !r.state.is_active())
            .take_while(|r| r.state != RunState::Succeeded)
            .filter(|r| r.state.is_failure())
    }

    /// Failing: its newest ended runs failed, with no success since.
    pub fn is_failing(&self) -> bool {
        self.failure_streak() > 0
    }

    /// The newest failed run of the current streak (its error is the one
    /// to show while a retry runs).
    pub fn streak_run(&self) -> Option<&JobRun> {
        if !self.is_failing() {
            return None;
        }
        self.runs.iter().find(|r| r.state.is_failure())
    }

    pub fn active_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.state.is_active()).count()
    }
}

/// The per-run result of BatchStopJobRun: AWS answers 200 and lists the runs
/// it could not stop in `Errors`, so each run gets its own outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StopOutcome {
    pub run_id: String,
    /// `None` when the stop was accepted, else the service's error text.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_state_round_trips_and_unknown_ones_survive() {
        for s in [
            "STARTING",
            "RUNNING",
            "STOPPING",
            "STOPPED",
            "SUCCEEDED",
            "FAILED",
            "ERROR",
            "TIMEOUT",
            "EXPIRED",
            "WAITING",
            "QUEUED_SOMEWHERE",
        ] {
            assert_eq!(RunState::from_aws(s).as_aws(), s);
        }
        let failures: Vec<_> = ["FAILED", "ERROR", "TIMEOUT", "EXPIRED"]
            .iter()
            .map(|s| RunState::from_aws(s))
            .collect();
        assert!(failures.iter().all(RunState::is_failure));
        assert!(["STARTING", "RUNNING", "STOPPING", "WAITING"]
            .iter()
            .all(|s| RunState::from_aws(s).is_active()));
        assert!(!RunState::from_aws("STOPPING").is_stoppable());
        assert!(!RunState::from_aws("QUEUED_SOMEWHERE").is_active());
    }
}
