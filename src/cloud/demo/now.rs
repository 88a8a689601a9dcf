//! The demo account as it stands now: each job's runs and the EMR steps
//! with what the console changed applied (re-runs started, runs stopped,
//! steps cancelled), from which the Glue, EMR, logs and audit answers
//! are all written.

use super::{emr, scenario, DemoCloud};
use crate::cloud::{EmrCluster, JobRun, RunState, StepState};
use chrono::Duration;

impl DemoCloud {
    /// Every demo job's runs as they stand now (what the logs and the
    /// audit table were written from).
    pub(super) fn all_runs_now(&self) -> Vec<JobRun> {
        scenario::JOBS
            .iter()
            .flat_map(|d| self.runs_now(d))
            .collect()
    }

    pub(super) fn runs_now(&self, def: &scenario::JobDef) -> Vec<JobRun> {
        let now = self.now();
        let mut runs = scenario::runs(def, now, self.story);
        let changes = self.changes.lock().expect("demo state");
        for (job, id, started) in &changes.started {
            if job == def.name {
                runs.push(scenario::started_run(def, id, *started, now));
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
    pub(super) fn clusters_now(&self) -> Vec<EmrCluster> {
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
}
