//! The demo account: a simulated AWS account with a clock. It powers
//! `--demo` and the UI snapshot tests; it is not a stand-in for testing the
//! `aws` path.

mod alarms;
mod athena;
mod athena_history;
mod audit;
mod audit_records;
mod emr;
mod logs;
mod mutate;
mod now;
mod queries;
mod query_check;
mod scenario;
pub mod sqs;

use super::alarms::{Alarm, AlarmHistoryItem, ChartWindow, MetricSeries};
use super::logs::{InsightsQuery, LogGroup, QueryDefinition, QueryResults};
use super::sqs::memory::MemoryQueues;
use super::sqs::redrive::{self, RedriveOutcome, RedrivePlan};
use super::{
    CancelOutcome, CloudError, CloudMutate, CloudRead, CloudResult, Dlq, DlqMetrics, DlqProgress,
    EmrCluster, EmrStep, GlueJob, Identity, JobRun, QueueMessage, StopOutcome,
};
use crate::gate::Approved;
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
    /// Athena queries started.
    athena: athena::DemoAthena,
    /// Audit records marked FAILED through the gate: key → (message, when).
    audit_marked: Vec<(crate::cloud::audit::Item, String, DateTime<Utc>)>,
    /// The DLQ alarm's queue: when it was last seen holding messages, and
    /// when it became empty since.
    dlq_seen_full: Option<DateTime<Utc>>,
    dlq_emptied: Option<DateTime<Utc>>,
}

pub struct DemoCloud {
    clock: Clock,
    /// How far [`DemoCloud::advance`] moved the clock on.
    offset: Mutex<Duration>,
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
            offset: Mutex::new(Duration::zero()),
            story,
            changes: Mutex::new(changes),
            queues,
        }
    }

    fn alarm(&self, name: &str) -> CloudResult<Option<Alarm>> {
        Ok(self.alarms_now().into_iter().find(|a| a.name == name))
    }

    /// The alarms as of now: the DLQ alarm follows its queue's depth.
    fn alarms_now(&self) -> Vec<Alarm> {
        alarms::all(self.story, self.dlq_depth(), self.now())
    }

    /// Moves the demo's clock on by `by` (tests: what the account looks
    /// like later, e.g. once a redrive has run).
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().expect("demo clock") += by;
    }

    /// The DLQ alarm's queue as of now, noting when it became empty: when
    /// the move task that drained it finished, else when it is first seen
    /// empty (a purge, a client-side redrive).
    fn dlq_depth(&self) -> alarms::DlqDepth {
        let now = self.now();
        let tasks = self.tasks_now();
        let (visible, _) = self.queues.counts(&sqs::url(alarms::DLQ_WATCHED));
        let mut changes = self.changes.lock().expect("demo state");
        if visible > 0 {
            changes.dlq_seen_full = Some(now);
            changes.dlq_emptied = None;
        } else if changes.dlq_emptied.is_none() {
            let full = changes.dlq_seen_full;
            let drained = tasks
                .iter()
                .rev()
                .filter(|t| t.dlq == alarms::DLQ_WATCHED)
                .find_map(sqs::DemoTask::finished)
                .filter(|t| *t <= now && full.is_none_or(|f| *t >= f));
            changes.dlq_emptied = Some(drained.unwrap_or(now));
        }
        alarms::DlqDepth {
            emptied: changes.dlq_emptied,
        }
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
        let base = match self.clock {
            Clock::Live => Utc::now(),
            Clock::Fixed(t) => t,
        };
        base + *self.offset.lock().expect("demo clock")
    }

    /// Every log line of the account: the runs as they are now (re-runs
    /// started from the console included) wrote them.
    fn log_events(&self) -> Vec<logs::Event> {
        let runs = self.all_runs_now();
        logs::events(&runs, self.story.incident)
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
        self.dlq_depth();
        let tasks = self.tasks_now();
        Ok(sqs::dlqs(&self.queues, &tasks))
    }

    async fn dlq_progress(&self, queue_url: &str, _dlq_arn: &str) -> CloudResult<DlqProgress> {
        self.dlq_depth();
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
        let alarms = self.alarms_now();
        let changes = self.changes.lock().expect("demo state");
        Ok(alarms
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
            .map_or_else(Vec::new, |a| alarms::history(&a, self.story)))
    }

    async fn alarm_chart(&self, name: &str, window: ChartWindow) -> CloudResult<MetricSeries> {
        let a = self.alarm(name)?.ok_or_else(|| CloudError::NotFound {
            message: format!("alarm {name} not found"),
        })?;
        Ok(alarms::chart(
            &a,
            window,
            self.story,
            self.dlq_depth(),
            self.now(),
        ))
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

    async fn athena_workgroups(&self) -> CloudResult<Vec<crate::cloud::athena::WorkGroup>> {
        Ok(athena::workgroups())
    }

    async fn athena_start(&self, query: &crate::cloud::athena::AthenaQuery) -> CloudResult<String> {
        let now = self.now();
        self.changes
            .lock()
            .expect("demo state")
            .athena
            .start(query, now)
    }

    async fn athena_execution(&self, id: &str) -> CloudResult<crate::cloud::athena::Execution> {
        self.changes
            .lock()
            .expect("demo state")
            .athena
            .execution(id)
    }

    async fn athena_history(&self, workgroup: &str) -> CloudResult<crate::cloud::athena::History> {
        let now = self.now();
        Ok(self
            .changes
            .lock()
            .expect("demo state")
            .athena
            .history(workgroup, now))
    }

    async fn athena_named_queries(
        &self,
        workgroup: &str,
    ) -> CloudResult<crate::cloud::athena::NamedQueries> {
        Ok(self
            .changes
            .lock()
            .expect("demo state")
            .athena
            .named_queries(workgroup))
    }

    async fn audit_runs(&self) -> CloudResult<Vec<crate::cloud::audit::TableRead>> {
        let runs = self.all_runs_now();
        let marked = self
            .changes
            .lock()
            .expect("demo state")
            .audit_marked
            .clone();
        Ok(vec![audit::read(
            &runs,
            &marked,
            self.story.origin,
            self.now(),
        )])
    }

    async fn audit_pipelines(
        &self,
        pipelines: &[crate::cloud::audit::records::PipelineRef],
        n: usize,
    ) -> CloudResult<Vec<crate::cloud::audit::records::PipelineRuns>> {
        let day = self.audit_runs().await?;
        Ok(audit_records::pipelines(pipelines, n, &day))
    }

    async fn audit_records(
        &self,
        run: &crate::cloud::audit::records::RunRef,
    ) -> CloudResult<crate::cloud::audit::records::RunRecords> {
        let day = self.audit_runs().await?;
        Ok(day
            .iter()
            .find(|t| t.table == run.table)
            .map(|t| audit_records::records(run, t))
            .unwrap_or_default())
    }

    async fn audit_detect(
        &self,
        table: &str,
    ) -> CloudResult<crate::cloud::audit::detect::Detection> {
        let runs = self.all_runs_now();
        audit::detect(table, &runs, self.story.origin)
    }

    async fn athena_catalogs(&self) -> CloudResult<Vec<crate::cloud::athena::CatalogEntry>> {
        Ok(athena::catalogs())
    }

    async fn athena_databases(&self, catalog: &str) -> CloudResult<Vec<String>> {
        athena::databases(catalog)
    }

    async fn athena_tables(
        &self,
        _catalog: &str,
        database: &str,
    ) -> CloudResult<Vec<crate::cloud::athena::TableMeta>> {
        Ok(athena::tables(database))
    }

    async fn athena_stop(&self, id: &str) -> CloudResult<()> {
        self.changes.lock().expect("demo state").athena.stop(id);
        Ok(())
    }

    async fn athena_rows(
        &self,
        id: &str,
        progress: crate::cloud::AthenaRowsProgress<'_>,
    ) -> CloudResult<crate::cloud::athena::ResultPart> {
        // Parts as a file would stream in (the lock is not held meanwhile).
        let (parts, end) = {
            let changes = self.changes.lock().expect("demo state");
            let parts = std::sync::Mutex::new(Vec::new());
            let end = changes.athena.rows(id, 5_000, &|part, done| {
                parts.lock().unwrap().push((part, done));
            })?;
            (parts.into_inner().unwrap_or_default(), end)
        };
        for (part, done) in parts {
            progress(part, done);
            tokio::task::yield_now().await;
        }
        Ok(end)
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
