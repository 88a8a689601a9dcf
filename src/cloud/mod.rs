//! The Cloud boundary: the only way the app reaches AWS (or the demo).
//!
//! Reads are on [`CloudRead`]. Mutations are on [`CloudMutate`], whose every
//! method takes an [`crate::gate::Approved`] token that only the action gate
//! can mint, so no pane can call a mutating API around the gate.

pub mod alarms;
pub mod athena;
pub mod audit;
pub mod aws;
pub mod cadence;
pub mod demo;
mod emr;
mod error;
mod footprint;
pub mod logs;
pub mod sqs;
mod types;

pub use alarms::{Alarm, AlarmHistoryItem, AlarmState, ChartWindow, MetricSeries};
pub use emr::{CancelOutcome, ClusterState, EmrCluster, EmrStep, StepFailure, StepState};
pub use error::{CloudError, CredentialProblem};
pub use footprint::{Footprint, ServiceUse};
pub use logs::{
    InsightsQuery, LogGroup, QueryDefinition, QueryLanguage, QueryResults, QueryStats, QueryStatus,
};
pub use sqs::redrive::{RedriveOutcome, RedrivePlan};
pub use sqs::{Dlq, DlqMetrics, DlqProgress, MoveTask, QueueMessage};
pub use types::{GlueJob, Identity, JobRun, RunState, StopOutcome};

use crate::gate::Approved;
use async_trait::async_trait;
use std::collections::BTreeMap;
use std::sync::Arc;

pub type CloudResult<T> = Result<T, CloudError>;

/// Told each Glue job as its runs are read, with how many of how many.
pub type GlueProgress<'a> = &'a (dyn Fn(&GlueJob, usize, usize) + Send + Sync);

#[async_trait]
pub trait CloudRead: Send + Sync {
    async fn identity(&self) -> CloudResult<Identity>;
    /// pipedeck's own use of the account so far: calls, throttles, cost
    /// (`None`: nothing is metered, as in the demo).
    fn footprint(&self) -> Option<Footprint> {
        None
    }
    /// The user asked for fresh data: the next reads skip nothing they
    /// would skip as unchanged (sync and quick: a flag, never a call).
    fn read_everything_next(&self) {}
    /// Every job (GetJobs, all pages) with its recent runs, newest first.
    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>>;
    /// The same, telling `progress` each job as its runs are read (with how
    /// many of how many), so a long list streams in; the most urgent jobs
    /// come first. By default all at the end.
    async fn glue_jobs_streaming(&self, progress: GlueProgress<'_>) -> CloudResult<Vec<GlueJob>> {
        let jobs = self.glue_jobs().await?;
        for (i, j) in jobs.iter().enumerate() {
            progress(j, i + 1, jobs.len());
        }
        Ok(jobs)
    }
    /// The recent runs of one job (GetJobRuns, all pages), newest first.
    async fn glue_job_runs(&self, job: &str) -> CloudResult<Vec<JobRun>>;
    /// Active clusters and those ended in the last 7 days, with their steps.
    async fn emr_clusters(&self) -> CloudResult<Vec<EmrCluster>>;
    /// The steps of one cluster (ListSteps, all pages), newest first.
    async fn emr_steps(&self, cluster_id: &str) -> CloudResult<Vec<EmrStep>>;
    /// Every dead-letter queue: targets of listed queues' RedrivePolicy plus
    /// the `configured` names or URLs, with counts and the newest move task.
    async fn dlqs(&self, configured: &[String]) -> CloudResult<Vec<Dlq>>;
    /// One DLQ's counts and newest move task (while a redrive runs).
    async fn dlq_progress(&self, queue_url: &str, dlq_arn: &str) -> CloudResult<DlqProgress>;
    /// An hour of depth and the oldest message's age, from CloudWatch.
    async fn dlq_metrics(&self, queue_names: &[String]) -> CloudResult<DlqMetrics>;
    /// Up to `max` messages, received and released at once. Not a mutation,
    /// but not free either: each peek counts as a receive, so it only ever
    /// runs when the user asks.
    async fn peek(&self, queue_url: &str, max: usize) -> CloudResult<Vec<QueueMessage>>;
    /// Every metric and composite alarm (DescribeAlarms, both types, all pages).
    async fn alarms(&self) -> CloudResult<Vec<Alarm>>;
    /// An alarm's state changes, newest first.
    async fn alarm_history(&self, name: &str) -> CloudResult<Vec<AlarmHistoryItem>>;
    /// The alarm's metric (or its own metric-math queries) over `window`.
    async fn alarm_chart(&self, name: &str, window: ChartWindow) -> CloudResult<MetricSeries>;
    /// Log groups whose name starts with `prefix` (DescribeLogGroups, pages).
    async fn log_groups(&self, prefix: Option<&str>) -> CloudResult<Vec<LogGroup>>;
    /// StartQuery; returns the query id. (Costs money, changes nothing:
    /// not an action for the gate.)
    async fn start_query(&self, query: &InsightsQuery) -> CloudResult<String>;
    /// GetQueryResults: the status and all rows so far.
    async fn query_results(&self, query_id: &str) -> CloudResult<QueryResults>;
    /// StopQuery; a query that already ended is not an error.
    async fn stop_query(&self, query_id: &str) -> CloudResult<()>;
    /// GetLogRecord for an `@ptr`.
    async fn log_record(&self, ptr: &str) -> CloudResult<BTreeMap<String, String>>;
    /// Saved queries (DescribeQueryDefinitions, all pages), by name.
    async fn query_definitions(&self) -> CloudResult<Vec<QueryDefinition>>;

    /// Athena work groups with their settings (ListWorkGroups, then
    /// GetWorkGroup each), enabled first.
    async fn athena_workgroups(&self) -> CloudResult<Vec<athena::WorkGroup>> {
        Err(no_athena())
    }
    /// StartQueryExecution; returns the execution id. (Costs money,
    /// changes nothing: not an action for the gate.)
    async fn athena_start(&self, _query: &athena::AthenaQuery) -> CloudResult<String> {
        Err(no_athena())
    }
    /// GetQueryExecution: state, timings, scan, where the result is.
    async fn athena_execution(&self, _id: &str) -> CloudResult<athena::Execution> {
        Err(no_athena())
    }
    /// The work group's executions, newest first (ListQueryExecutions +
    /// BatchGetQueryExecution; ended ones are kept and not asked again).
    async fn athena_history(&self, _workgroup: &str) -> CloudResult<athena::History> {
        Err(no_athena())
    }
    /// The work group's saved queries (ListNamedQueries +
    /// BatchGetNamedQuery), by name.
    async fn athena_named_queries(&self, _workgroup: &str) -> CloudResult<athena::NamedQueries> {
        Err(no_athena())
    }
    /// Every configured audit table's last 24 hours and its RUNNING
    /// records, table by table (a table that cannot be read says why).
    async fn audit_runs(&self) -> CloudResult<Vec<audit::TableRead>> {
        Ok(Vec::new())
    }
    /// The same, telling `progress` each table's failed, partial and
    /// running runs as soon as they are read (before its succeeded pages,
    /// which on a big table are most of the read), with the tables done.
    async fn audit_runs_streaming(
        &self,
        progress: AuditProgress<'_>,
    ) -> CloudResult<Vec<audit::TableRead>> {
        let _ = progress;
        self.audit_runs().await
    }
    /// What sits beside a run: its DQ results and errors (the tables
    /// mapped as `dq` and `errors`, by its run ids) and its pipeline's
    /// last runs (Query, newest first).
    async fn audit_records(
        &self,
        _run: &audit::records::RunRef,
    ) -> CloudResult<audit::records::RunRecords> {
        Ok(audit::records::RunRecords::default())
    }
    /// Each pipeline's last `n` runs, newest first (one Query each on the
    /// pipeline's key or index).
    async fn audit_pipelines(
        &self,
        _pipelines: &[audit::records::PipelineRef],
        _n: usize,
    ) -> CloudResult<Vec<audit::records::PipelineRuns>> {
        Ok(Vec::new())
    }
    /// `:audit detect`: DescribeTable and one Scan page of at most 25
    /// items, and the mapping they suggest.
    async fn audit_detect(&self, _table: &str) -> CloudResult<audit::detect::Detection> {
        Err(CloudError::Other {
            code: "unsupported".into(),
            message: "DynamoDB is not available here".into(),
        })
    }
    /// ListDataCatalogs, every page.
    async fn athena_catalogs(&self) -> CloudResult<Vec<athena::CatalogEntry>> {
        Err(no_athena())
    }
    /// ListDatabases of a catalog, every page.
    async fn athena_databases(&self, _catalog: &str) -> CloudResult<Vec<String>> {
        Err(no_athena())
    }
    /// ListTableMetadata of a database, every page: columns with their
    /// types and the partition keys.
    async fn athena_tables(
        &self,
        _catalog: &str,
        _database: &str,
    ) -> CloudResult<Vec<athena::TableMeta>> {
        Err(no_athena())
    }
    /// StopQueryExecution; awaited on quit like Insights' StopQuery.
    async fn athena_stop(&self, _id: &str) -> CloudResult<()> {
        Err(no_athena())
    }
    /// Every row of a SUCCEEDED query, told to `progress` in parts (the
    /// returned part carries the columns and source, no rows).
    async fn athena_rows(
        &self,
        _id: &str,
        _progress: AthenaRowsProgress<'_>,
    ) -> CloudResult<athena::ResultPart> {
        Err(no_athena())
    }
}

/// Told the audit tables read so far: the whole ones, then the one being
/// read with its urgent runs only.
pub type AuditProgress<'a> = &'a (dyn Fn(&[audit::TableRead]) + Send + Sync);

/// Told each part of an Athena result as it arrives, with the rows so far.
pub type AthenaRowsProgress<'a> = &'a (dyn Fn(athena::ResultPart, usize) + Send + Sync);

fn no_athena() -> CloudError {
    CloudError::Other {
        code: "unsupported".into(),
        message: "Athena is not available here".into(),
    }
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
    /// StartMessageMoveTask; returns the task handle.
    async fn start_move_task(
        &self,
        approved: &Approved,
        dlq_arn: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<i32>,
    ) -> CloudResult<String>;
    /// CancelMessageMoveTask; returns the number moved so far.
    async fn cancel_move_task(&self, approved: &Approved, task_handle: &str) -> CloudResult<i64>;
    async fn purge_queue(&self, approved: &Approved, queue_url: &str) -> CloudResult<()>;
    /// Receive → send → delete-on-success, see [`sqs::redrive`].
    async fn client_redrive(&self, approved: &Approved, plan: &RedrivePlan) -> RedriveOutcome;
    /// EnableAlarmActions / DisableAlarmActions.
    async fn set_alarm_actions(
        &self,
        approved: &Approved,
        names: &[String],
        enable: bool,
    ) -> CloudResult<()>;
    /// PutQueryDefinition (creates, or replaces the one with `def.id`);
    /// returns the id.
    async fn put_query_definition(
        &self,
        approved: &Approved,
        def: &QueryDefinition,
    ) -> CloudResult<String>;
    async fn delete_query_definition(&self, approved: &Approved, id: &str) -> CloudResult<()>;
    /// CreateNamedQuery: an Athena saved query, seen by everyone who can
    /// list the work group's; returns its id.
    async fn create_named_query(
        &self,
        approved: &Approved,
        query: &athena::NamedQuery,
    ) -> CloudResult<String>;
    async fn delete_named_query(&self, approved: &Approved, id: &str) -> CloudResult<()>;
    /// A conditional UpdateItem on an audit record still holding
    /// `running_word`: true when marked, false when it had already
    /// finished (ConditionalCheckFailed).
    async fn mark_run_failed(
        &self,
        approved: &Approved,
        table: &str,
        key: &audit::Item,
        running_word: &str,
        message: &str,
    ) -> CloudResult<bool>;
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
    /// A profile was named while AWS_ACCESS_KEY_ID was exported: the
    /// profile's credentials are used and the environment's set aside
    /// (said in the header, so nobody wonders whose keys act).
    pub env_keys_set_aside: bool,
}
