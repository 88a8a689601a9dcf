//! The Cloud boundary: the only way the app reaches AWS (or the demo).
//!
//! Reads are on [`CloudRead`]. Mutations are on [`CloudMutate`], whose every
//! method takes an [`crate::gate::Approved`] token that only the action gate
//! can mint, so no pane can call a mutating API around the gate.

pub mod aws;
pub mod demo;
mod emr;
mod error;
mod types;

pub use emr::{CancelOutcome, ClusterState, EmrCluster, EmrStep, StepFailure, StepState};
pub use error::{CloudError, CredentialProblem};
pub use types::{GlueJob, Identity, JobRun, RunState, StopOutcome};

use crate::gate::Approved;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

pub type CloudResult<T> = Result<T, CloudError>;

#[async_trait]
pub trait CloudRead: Send + Sync {
    async fn identity(&self) -> CloudResult<Identity>;
    /// Every job (GetJobs, all pages) with its recent runs, newest first.
    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>>;
    /// The recent runs of one job (GetJobRuns, all pages), newest first.
    async fn glue_job_runs(&self, job: &str) -> CloudResult<Vec<JobRun>>;
    /// Active clusters and those ended in the last 7 days, with their steps.
    async fn emr_clusters(&self) -> CloudResult<Vec<EmrCluster>>;
    /// The steps of one cluster (ListSteps, all pages), newest first.
    async fn emr_steps(&self, cluster_id: &str) -> CloudResult<Vec<EmrStep>>;
}

#[async_trait]
pub trait CloudMutate: Send + Sync {
    /// StartJobRun; returns the new run id.
    async fn start_job_run(
        &self,
        approved: &Approved,
        job: &str,
        arguments: &BTreeMap<String, String>,
    ) -> CloudResult<String>;
    /// BatchStopJobRun; one outcome per requested run.
    async fn stop_job_runs(
        &self,
        approved: &Approved,
        job: &str,
        run_ids: &[String],
    ) -> CloudResult<Vec<StopOutcome>>;
    /// CancelSteps; one outcome per requested step.
    async fn cancel_steps(
        &self,
        approved: &Approved,
        cluster_id: &str,
        step_ids: &[String],
    ) -> CloudResult<Vec<CancelOutcome>>;
}

pub trait Cloud: CloudRead + CloudMutate {}
impl<T: CloudRead + CloudMutate> Cloud for T {}

pub type SharedCloud = Arc<dyn Cloud>;

/// Where we are connected, for the header, the journal and `info`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ConnInfo {
    pub profile: String,
    pub region: String,
    pub endpoint: Option<String>,
    pub demo: bool,
}
