//! EMR domain types: clusters, steps, step failures.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// EMR cluster states, plus any the SDK does not know yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClusterState {
    Starting,
    Bootstrapping,
    Running,
    Waiting,
    Terminating,
    Terminated,
    TerminatedWithErrors,
    Unknown(String),
}

impl ClusterState {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "STARTING" => Self::Starting,
            "BOOTSTRAPPING" => Self::Bootstrapping,
            "RUNNING" => Self::Running,
            "WAITING" => Self::Waiting,
            "TERMINATING" => Self::Terminating,
            "TERMINATED" => Self::Terminated,
            "TERMINATED_WITH_ERRORS" => Self::TerminatedWithErrors,
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_aws(&self) -> &str {
        match self {
            Self::Starting => "STARTING",
            Self::Bootstrapping => "BOOTSTRAPPING",
            Self::Running => "RUNNING",
            Self::Waiting => "WAITING",
            Self::Terminating => "TERMINATING",
            Self::Terminated => "TERMINATED",
            Self::TerminatedWithErrors => "TERMINATED_WITH_ERRORS",
            Self::Unknown(s) => s,
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, Self::TerminatedWithErrors)
    }

    /// Still up (and costing money).
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            Self::Starting
                | Self::Bootstrapping
                | Self::Running
                | Self::Waiting
                | Self::Terminating
        )
    }
}

impl Serialize for ClusterState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_aws())
    }
}

/// EMR step states, plus any the SDK does not know yet.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StepState {
    Pending,
    CancelPending,
    Running,
    Completed,
    Cancelled,
    Failed,
    Interrupted,
    Unknown(String),
}

impl StepState {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "PENDING" => Self::Pending,
            "CANCEL_PENDING" => Self::CancelPending,
            "RUNNING" => Self::Running,
            "COMPLETED" => Self::Completed,
            "CANCELLED" => Self::Cancelled,
            "FAILED" => Self::Failed,
            "INTERRUPTED" => Self::Interrupted,
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_aws(&self) -> &str {
        match self {
            Self::Pending => "PENDING",
            Self::CancelPending => "CANCEL_PENDING",
            Self::Running => "RUNNING",
            Self::Completed => "COMPLETED",
            Self::Cancelled => "CANCELLED",
            Self::Failed => "FAILED",
            Self::Interrupted => "INTERRUPTED",
            Self::Unknown(s) => s,
        }
    }

    /// INTERRUPTED (e.g. a lost node) is a failure for the on-call too.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::Interrupted)
    }

    pub fn is_active(&self) -> bool {
        matches!(self, Self::Pending | Self::CancelPending | Self::Running)
    }

    /// CancelSteps accepts PENDING and RUNNING steps.
    pub fn is_cancellable(&self) -> bool {
        matches!(self, Self::Pending | Self::Running)
    }
}

impl Serialize for StepState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_aws())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepFailure {
    pub reason: Option<String>,
    pub message: Option<String>,
    /// An S3 location of the log that holds the error.
    pub log_file: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmrStep {
    pub id: String,
    pub name: String,
    pub state: StepState,
    pub action_on_failure: Option<String>,
    pub jar: Option<String>,
    pub args: Vec<String>,
    pub created: Option<DateTime<Utc>>,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    pub state_reason: Option<String>,
    pub failure: Option<StepFailure>,
}

impl EmrStep {
    /// Newest first: by start (or creation, for pending steps), then id.
    pub fn newest_first(a: &EmrStep, b: &EmrStep) -> std::cmp::Ordering {
        let key = |s: &EmrStep| s.started.or(s.created);
        key(b).cmp(&key(a)).then_with(|| b.id.cmp(&a.id))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmrCluster {
    pub id: String,
    pub name: String,
    pub state: ClusterState,
    /// StateChangeReason: the code (e.g. STEP_FAILURE) and the message.
    pub state_code: Option<String>,
    pub state_reason: Option<String>,
    pub created: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    pub normalized_instance_hours: Option<i32>,
    /// Newest first.
    pub steps: Vec<EmrStep>,
}

impl EmrCluster {
    pub fn failed_steps(&self) -> usize {
        self.steps.iter().filter(|s| s.state.is_failure()).count()
    }

    /// What the on-call must look at: the cluster died, or a step failed.
    pub fn needs_attention(&self) -> bool {
        self.state.is_failure() || self.failed_steps() > 0
    }
}

/// CancelSteps answers 200 and reports each step in CancelStepsInfoList.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CancelOutcome {
    pub step_id: String,
    /// `None` when SUBMITTED, else the reason it was not.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_and_unknown_ones_survive() {
        for s in [
            "STARTING",
            "BOOTSTRAPPING",
            "RUNNING",
            "WAITING",
            "TERMINATING",
            "TERMINATED",
            "TERMINATED_WITH_ERRORS",
            "SLEEPING",
        ] {
            assert_eq!(ClusterState::from_aws(s).as_aws(), s);
        }
        for s in [
            "PENDING",
            "CANCEL_PENDING",
            "RUNNING",
            "COMPLETED",
            "CANCELLED",
            "FAILED",
            "INTERRUPTED",
            "PAUSED",
        ] {
            assert_eq!(StepState::from_aws(s).as_aws(), s);
        }
        assert!(StepState::from_aws("INTERRUPTED").is_failure());
        assert!(StepState::from_aws("CANCEL_PENDING").is_active());
        assert!(!StepState::from_aws("CANCEL_PENDING").is_cancellable());
        assert!(!StepState::from_aws("PAUSED").is_failure());
        assert!(ClusterState::from_aws("TERMINATED_WITH_ERRORS").is_failure());
    }
}
