//! The demo account: a simulated AWS account with a clock. It powers
//! `--demo` and the UI snapshot tests; it is not a stand-in for testing the
//! `aws` path.

mod emr;
mod scenario;

use super::{
    CancelOutcome, CloudError, CloudMutate, CloudRead, CloudResult, EmrCluster, EmrStep, GlueJob,
    Identity, JobRun, RunState, StepState, StopOutcome,
};
use crate::gate::{concurrency_message, Approved};
use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

pub const DEMO_ACCOUNT: &str = "123456789012";
pub const DEMO_REGION: &str = "eu-west-1";

/// Where demo time comes from.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// Real time: the account moves while you watch.
    Live,
    /// Frozen (snapshot tests).
    Fixed(DateTime<Utc>),
}

#[derive(Default)]
struct Changes {
    /// Runs started through the gate: (job, run, started).
    started: Vec<(String, String, DateTime<Utc>)>,
    /// Stop requests: run id → when.
    stopped: HashMap<String, DateTime<Utc>>,
    /// CancelSteps requests: step id → when.
    cancelled: HashMap<String, DateTime<Utc>>,
}

pub struct DemoCloud {
    clock: Clock,
    story: scenario::Story,
    changes: Mutex<Changes>,
}

impl DemoCloud {
    pub fn new(clock: Clock) -> Self {
        let now = match clock {
            Clock::Live => Utc::now(),
            Clock::Fixed(t) => t,
        };
        Self {
            clock,
            story: scenario::Story::starting_at(now),
            changes: Mutex::new(Changes::default()),
        }
    }

    fn now(&self) -> DateTime<Utc> {
        match self.clock {
            Clock::Live => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    fn runs_now(&self, def: &scenario::JobDef) -> Vec<JobRun> {
        let now = self.now();
        let mut runs = scenario::runs(def, now, self.story);
        let changes = self.changes.lock().expect("demo state");
        for (job, id, started) in &changes.started {
            if job == def.name {
                runs.push(self.started_run(def, id, *started, now));
            }
        }
        for r in runs.iter_mut() {
            if let Some(at) = changes.stopped.get(&r.id) {
                if r.state.is_active() {
                    let secs = (now - *at).num_seconds();
                    r.state = if secs < 5 {
                        RunState::Stopping
                    } else {
                        RunState::Stopped
                    };
                    if r.state == RunState::Stopped {
                        r.completed_on = Some(*at + Duration::seconds(5));
                    }
                }
            }
        }
        runs.sort_by(JobRun::newest_first);
        runs
    }

    /// EMR as of now, with cancellations applied: CANCEL_PENDING for a few
    /// seconds, then CANCELLED.
    fn clusters_now(&self) -> Vec<EmrCluster> {
        let now = self.now();
        let mut clusters = emr::all(self.story.origin, now);
        let changes = self.changes.lock().expect("demo state");
        for step in clusters.iter_mut().flat_map(|c| c.steps.iter_mut()) {
            if let Some(at) = changes.cancelled.get(&step.id) {
                if step.state.is_active() {
                    let secs = (now - *at).num_seconds();
                    step.state = if secs < 5 {
                        StepState::CancelPending
                    } else {
                        StepState::Cancelled
                    };
                }
            }
        }
        clusters
    }

    /// A run started from the console behaves like the job's scheduled runs:
    /// a re-run of a broken job fails again until the cause is fixed.
    fn started_run(
        &self,
        def: &scenario::JobDef,
        id: &str,
        started: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> JobRun {
        let elapsed = (now - started).num_seconds();
        let dur = def.duration_s.min(180);
        let state = if elapsed < 10 {
            RunState::Starting
        } else if elapsed < dur {
            RunState::Running
        } else if matches!(def.fate, scenario::Fate::BrokenSinceIncident) {
            RunState::Failed
        } else {
            RunState::Succeeded
        };
        let ran = if state.is_active() { 0 } else { dur };
        let mut run = scenario::finish(def, -1, started, state, ran);
        run.id = id.to_string();
        run.trigger_name = None;
        run
    }
}

#[async_trait]
impl CloudRead for DemoCloud {
    async fn identity(&self) -> CloudResult<Identity> {
        Ok(Identity {
            account: Some(DEMO_ACCOUNT.into()),
            arn: Some(format!(
                "arn:aws:sts::{DEMO_ACCOUNT}:assumed-role/OnCallEngineer/demo"
            )),
            region: Some(DEMO_REGION.into()),
        })
    }

    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>> {
        Ok(scenario::JOBS
            .iter()
            .map(|d| scenario::job(d, self.runs_now(d)))
            .collect())
    }

    async fn glue_job_runs(&self, job: &str) -> CloudResult<Vec<JobRun>> {
        match scenario::job_def(job) {
            Some(d) => Ok(self.runs_now(d)),
            None => Err(CloudError::NotFound {
                message: format!("Job {job} not found"),
            }),
        }
    }

    async fn emr_clusters(&self) -> CloudResult<Vec<EmrCluster>> {
        Ok(self.clusters_now())
    }

    async fn emr_steps(&self, cluster_id: &str) -> CloudResult<Vec<EmrStep>> {
        self.clusters_now()
            .into_iter()
            .find(|c| c.id == cluster_id)
            .map(|c| c.steps)
            .ok_or_else(|| CloudError::InvalidInput {
                message: format!("Cluster id '{cluster_id}' is not valid."),
            })
    }
}

#[async_trait]
impl CloudMutate for DemoCloud {
    async fn start_job_run(
        &self,
        _approved: &Approved,
        job: &str,
        _arguments: &BTreeMap<String, String>,
    ) -> CloudResult<String> {
        let def = scenario::job_def(job).ok_or_else(|| CloudError::NotFound {
            message: format!("Job {job} not found"),
        })?;
        let active = self
            .runs_now(def)
            .iter()
            .filter(|r| r.state.is_active())
            .count();
        if active >= def.max_concurrent as usize {
            return Err(CloudError::ConcurrentRunsExceeded {
                message: concurrency_message(job),
            });
        }
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        let id = scenario::run_id(job, 1_000_000 + changes.started.len() as i64);
        changes.started.push((job.to_string(), id.clone(), now));
        Ok(id)
    }

    async fn stop_job_runs(
        &self,
        _approved: &Approved,
        job: &str,
        run_ids: &[String],
    ) -> CloudResult<Vec<StopOutcome>> {
        let runs = self.glue_job_runs(job).await?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        Ok(run_ids
            .iter()
            .map(|id| {
                let error = match runs.iter().find(|r| &r.id == id) {
                    None => Some(format!("EntityNotFoundException: run {id} not found")),
                    Some(r) if !r.state.is_stoppable() => Some(format!(
                        "InvalidInputException: run is {} and cannot be stopped",
                        r.state.as_aws()
                    )),
                    Some(_) => {
                        changes.stopped.insert(id.clone(), now);
                        None
                    }
                };
                StopOutcome {
                    run_id: id.clone(),
                    error,
                }
            })
            .collect())
    }

    async fn cancel_steps(
        &self,
        _approved: &Approved,
        cluster_id: &str,
        step_ids: &[String],
    ) -> CloudResult<Vec<CancelOutcome>> {
        let steps = self.emr_steps(cluster_id).await?;
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        Ok(step_ids
            .iter()
            .map(|id| {
                let error = match steps.iter().find(|s| &s.id == id) {
                    None => Some(format!("FAILED: step {id} not found")),
                    Some(s) if !s.state.is_cancellable() => Some(format!(
                        "FAILED: step is {} and cannot be cancelled",
                        s.state.as_aws()
                    )),
                    Some(_) => {
                        changes.cancelled.insert(id.clone(), now);
                        None
                    }
                };
                CancelOutcome {
                    step_id: id.clone(),
                    error,
                }
            })
            .collect())
    }
}
