//! The demo account: a simulated AWS account with a clock. It powers
//! `--demo` and the UI snapshot tests; it is not a stand-in for testing the
//! `aws` path.

mod alarms;
mod emr;
mod logs;
mod queries;
mod scenario;
pub mod sqs;

use super::alarms::{Alarm, AlarmHistoryItem, ChartWindow, MetricSeries};
use super::logs::{InsightsQuery, LogGroup, QueryDefinition, QueryResults};
use super::sqs::memory::MemoryQueues;
use super::sqs::redrive::{self, RedriveOutcome, RedrivePlan};
use super::{
    CancelOutcome, CloudError, CloudMutate, CloudRead, CloudResult, Dlq, DlqMetrics, DlqProgress,
    EmrCluster, EmrStep, GlueJob, Identity, JobRun, QueueMessage, RunState, StepState, StopOutcome,
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
    /// Message move tasks started through the gate.
    move_tasks: Vec<sqs::DemoTask>,
    /// Queue URL → when it was last purged (SQS allows one purge a minute).
    purged: HashMap<String, DateTime<Utc>>,
    /// Alarm name → actions enabled, as set through the gate.
    alarm_actions: HashMap<String, bool>,
    /// Insights queries started, and the saved queries.
    queries: queries::Queries,
}

pub struct DemoCloud {
    clock: Clock,
    story: scenario::Story,
    changes: Mutex<Changes>,
    queues: MemoryQueues,
}

impl DemoCloud {
    pub fn new(clock: Clock) -> Self {
        let now = match clock {
            Clock::Live => Utc::now(),
            Clock::Fixed(t) => t,
        };
        let story = scenario::Story::starting_at(now);
        let queues = MemoryQueues::new(now);
        sqs::seed(&queues, story.incident);
        let changes = Changes {
            queries: queries::Queries::seeded(now),
            ..Changes::default()
        };
        Self {
            clock,
            story,
            changes: Mutex::new(changes),
            queues,
        }
    }

    fn alarm(&self, name: &str) -> CloudResult<Option<Alarm>> {
        Ok(alarms::all(self.story).into_iter().find(|a| a.name == name))
    }

    /// The demo's in-memory queues (tests inspect them).
    pub fn queues(&self) -> &MemoryQueues {
        &self.queues
    }

    fn tasks_now(&self) -> Vec<sqs::DemoTask> {
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::advance_all(&self.queues, &mut changes.move_tasks, now);
        changes.move_tasks.clone()
    }

    fn now(&self) -> DateTime<Utc> {
        match self.clock {
            Clock::Live => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Every log line of the account: the runs as they are now (re-runs
    /// started from the console included) wrote them.
    fn log_events(&self) -> Vec<logs::Event> {
        let runs: Vec<JobRun> = scenario::JOBS
            .iter()
            .flat_map(|d| self.runs_now(d))
            .collect();
        logs::events(&runs, self.story.incident)
    }

    fn runs_now(&self, def: &scenario::JobDef) -> Vec<JobRun> {
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

    async fn dlqs(&self, _configured: &[String]) -> CloudResult<Vec<Dlq>> {
        let tasks = self.tasks_now();
        Ok(sqs::dlqs(&self.queues, &tasks))
    }

    async fn dlq_progress(&self, queue_url: &str, _dlq_arn: &str) -> CloudResult<DlqProgress> {
        let tasks = self.tasks_now();
        let name = super::sqs::queue_name(queue_url);
        let (visible, in_flight) = self.queues.counts(queue_url);
        Ok(DlqProgress {
            visible,
            in_flight,
            delayed: 0,
            move_task: tasks
                .iter()
                .rev()
                .find(|t| t.dlq == name)
                .map(sqs::DemoTask::view),
        })
    }

    async fn dlq_metrics(&self, queue_names: &[String]) -> CloudResult<DlqMetrics> {
        Ok(sqs::metrics(
            &self.queues,
            queue_names,
            self.story.incident,
            self.now(),
        ))
    }

    async fn alarms(&self) -> CloudResult<Vec<Alarm>> {
        let changes = self.changes.lock().expect("demo state");
        Ok(alarms::all(self.story)
            .into_iter()
            .map(|mut a| {
                if let Some(on) = changes.alarm_actions.get(&a.name) {
                    a.actions_enabled = *on;
                }
                a
            })
            .collect())
    }

    async fn alarm_history(&self, name: &str) -> CloudResult<Vec<AlarmHistoryItem>> {
        Ok(self
            .alarm(name)?
            .map_or_else(Vec::new, |a| alarms::history(&a)))
    }

    async fn alarm_chart(&self, name: &str, window: ChartWindow) -> CloudResult<MetricSeries> {
        let a = self.alarm(name)?.ok_or_else(|| CloudError::NotFound {
            message: format!("alarm {name} not found"),
        })?;
        Ok(alarms::chart(&a, window, self.story, self.now()))
    }

    async fn log_groups(&self, prefix: Option<&str>) -> CloudResult<Vec<LogGroup>> {
        Ok(logs::groups(prefix))
    }

    async fn start_query(&self, query: &InsightsQuery) -> CloudResult<String> {
        self.changes
            .lock()
            .expect("demo state")
            .queries
            .start(query)
    }

    async fn query_results(&self, query_id: &str) -> CloudResult<QueryResults> {
        let events = self.log_events();
        let mut changes = self.changes.lock().expect("demo state");
        changes.queries.poll(query_id, &events)
    }

    async fn stop_query(&self, query_id: &str) -> CloudResult<()> {
        self.changes
            .lock()
            .expect("demo state")
            .queries
            .stop(query_id);
        Ok(())
    }

    async fn log_record(&self, ptr: &str) -> CloudResult<BTreeMap<String, String>> {
        logs::record(ptr, &self.log_events()).ok_or_else(|| CloudError::NotFound {
            message: format!("no log record {ptr}"),
        })
    }

    async fn query_definitions(&self) -> CloudResult<Vec<QueryDefinition>> {
        Ok(self.changes.lock().expect("demo state").queries.saved())
    }

    async fn peek(&self, queue_url: &str, max: usize) -> CloudResult<Vec<QueueMessage>> {
        redrive::peek(&self.queues, queue_url, max).await
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

    async fn start_move_task(
        &self,
        _approved: &Approved,
        dlq_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<i32>,
    ) -> CloudResult<String> {
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::advance_all(&self.queues, &mut changes.move_tasks, now);
        let task = sqs::TaskRequest {
            dlq_arn,
            destination_arn,
            max_per_second,
        };
        sqs::start_task(&self.queues, &mut changes.move_tasks, task, now)
    }

    async fn cancel_move_task(&self, _approved: &Approved, task_handle: &str) -> CloudResult<i64> {
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::advance_all(&self.queues, &mut changes.move_tasks, now);
        sqs::cancel_task(&mut changes.move_tasks, task_handle)
    }

    async fn purge_queue(&self, _approved: &Approved, queue_url: &str) -> CloudResult<()> {
        let now = self.now();
        let mut changes = self.changes.lock().expect("demo state");
        sqs::purge(&self.queues, &mut changes.purged, queue_url, now)
    }

    async fn set_alarm_actions(
        &self,
        _approved: &Approved,
        names: &[String],
        enable: bool,
    ) -> CloudResult<()> {
        let known = alarms::all(self.story);
        let mut changes = self.changes.lock().expect("demo state");
        for n in names {
            if !known.iter().any(|a| a.name == *n) {
                return Err(CloudError::NotFound {
                    message: format!("alarm {n} not found"),
                });
            }
            changes.alarm_actions.insert(n.clone(), enable);
        }
        Ok(())
    }

    async fn put_query_definition(
        &self,
        _approved: &Approved,
        def: &QueryDefinition,
    ) -> CloudResult<String> {
        let stamped = QueryDefinition {
            last_modified: Some(self.now()),
            ..def.clone()
        };
        self.changes
            .lock()
            .expect("demo state")
            .queries
            .put(&stamped)
    }

    async fn delete_query_definition(&self, _approved: &Approved, id: &str) -> CloudResult<()> {
        self.changes.lock().expect("demo state").queries.delete(id)
    }

    async fn client_redrive(&self, _approved: &Approved, plan: &RedrivePlan) -> RedriveOutcome {
        redrive::run(
            &self.queues,
            plan,
            redrive::Limits {
                max_receives: 500,
                wait_secs: 0,
            },
        )
        .await
    }
}
