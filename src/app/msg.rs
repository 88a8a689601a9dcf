//! Messages into `update` and effects out of it.

use crate::cloud::{
    Alarm, AlarmHistoryItem, ChartWindow, CloudError, Dlq, DlqMetrics, DlqProgress, EmrCluster,
    EmrStep, GlueJob, Identity, InsightsQuery, JobRun, LogGroup, MetricSeries, QueryResults,
    QueueMessage,
};
use crate::gate::{ActionReport, Approved, JournalEntry};
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;
use std::time::Duration;

/// Something a poller fetches. Pollers are keyed by it, so two panes that
/// want the same data share one poller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Identity,
    GlueJobs,
    GlueRuns {
        job: String,
    },
    EmrClusters,
    EmrSteps {
        cluster_id: String,
    },
    /// DLQs found through RedrivePolicies, plus these configured ones.
    Dlqs {
        configured: Vec<String>,
    },
    /// One DLQ's counts and move task, polled fast while a redrive runs.
    DlqProgress {
        url: String,
        arn: String,
    },
    /// CloudWatch depth history and oldest age for these DLQ names.
    DlqMetrics {
        queues: Vec<String>,
    },
    /// A peek: only ever fetched on request, never subscribed (it counts
    /// as a receive).
    DlqPeek {
        url: String,
        max: usize,
    },
    /// Every alarm; polled even while its pane is hidden (the header's
    /// `ALARM n`).
    Alarms,
    AlarmHistory {
        name: String,
    },
    AlarmChart {
        name: String,
        window: ChartWindow,
    },
    /// StartQuery, once per run (`run` tells runs of the same text apart).
    InsightsStart {
        run: u64,
        query: InsightsQuery,
    },
    /// GetQueryResults, polled while the query runs.
    InsightsResults {
        query_id: String,
    },
    /// DescribeLogGroups for the picker.
    LogGroups {
        prefix: String,
    },
    /// GetLogRecord for a result row.
    LogRecord {
        ptr: String,
    },
    /// Which of these log groups exist (the triage's candidates).
    ExistingLogGroups {
        names: Vec<String>,
    },
    /// The saved queries (DescribeQueryDefinitions).
    QueryDefinitions,
    /// Athena work groups with their settings.
    AthenaWorkGroups,
    /// StartQueryExecution, once per run.
    AthenaStart {
        run: u64,
        query: crate::cloud::athena::AthenaQuery,
    },
    /// GetQueryExecution, on the pane's own schedule.
    AthenaExecution {
        id: String,
    },
    /// A SUCCEEDED query's rows, streamed in parts.
    AthenaRows {
        id: String,
    },
    /// The browser's levels: catalogs, a catalog's databases, a
    /// database's tables.
    AthenaCatalogs,
    AthenaDatabases {
        catalog: String,
    },
    AthenaTables {
        catalog: String,
        database: String,
    },
    /// A work group's executions, newest first (polled while shown).
    AthenaHistory {
        workgroup: String,
    },
    /// A work group's saved queries.
    AthenaNamedQueries {
        workgroup: String,
    },
    /// Every configured audit table's last 24 h and RUNNING records.
    AuditRuns,
    /// `:audit detect TABLE`: a proposed mapping.
    AuditDetect {
        table: String,
    },
    /// An open run's DQ results, errors and its pipeline's last runs.
    AuditRecords(crate::cloud::audit::records::RunRef),
    /// The pipelines view: each pipeline's last `n` runs.
    AuditPipelines {
        pipelines: Vec<crate::cloud::audit::records::PipelineRef>,
        n: usize,
    },
}

impl Resource {
    pub fn describe(&self) -> String {
        match self {
            Resource::Identity => "caller identity".into(),
            Resource::GlueJobs => "Glue jobs".into(),
            Resource::GlueRuns { job } => format!("runs of {job}"),
            Resource::EmrClusters => "EMR clusters".into(),
            Resource::EmrSteps { cluster_id } => format!("steps of {cluster_id}"),
            Resource::Dlqs { .. } => "dead-letter queues".into(),
            Resource::DlqProgress { url, .. } => {
                format!("redrive of {}", crate::cloud::sqs::queue_name(url))
            }
            Resource::Alarms => "CloudWatch alarms".into(),
            Resource::InsightsStart { .. } => "Logs Insights query start".into(),
            Resource::InsightsResults { .. } => "Logs Insights results".into(),
            Resource::LogGroups { prefix } => format!("log groups {prefix}*"),
            Resource::LogRecord { .. } => "log record".into(),
            Resource::ExistingLogGroups { .. } => "which log groups exist".into(),
            Resource::QueryDefinitions => "saved queries".into(),
            Resource::AthenaWorkGroups => "Athena work groups".into(),
            Resource::AthenaStart { .. } => "Athena query start".into(),
            Resource::AthenaExecution { .. } => "Athena query status".into(),
            Resource::AthenaRows { .. } => "Athena result rows".into(),
            Resource::AthenaCatalogs => "data catalogs".into(),
            Resource::AthenaDatabases { catalog } => format!("databases of {catalog}"),
            Resource::AthenaTables { database, .. } => format!("tables of {database}"),
            Resource::AthenaHistory { workgroup } => format!("query history of {workgroup}"),
            Resource::AthenaNamedQueries { workgroup } => {
                format!("saved queries of {workgroup}")
            }
            Resource::AuditRuns => "audit tables".into(),
            Resource::AuditDetect { table } => format!("the shape of {table}"),
            Resource::AuditPipelines { pipelines, .. } => {
                format!("the last runs of {} pipeline(s)", pipelines.len())
            }
            Resource::AuditRecords(r) => format!(
                "the DQ, errors and last runs of {}",
                r.run_id.as_deref().unwrap_or("the run")
            ),
            Resource::AlarmHistory { name } => format!("history of {name}"),
            Resource::AlarmChart { name, .. } => format!("chart of {name}"),
            Resource::DlqMetrics { .. } => "DLQ metrics (CloudWatch)".into(),
            Resource::DlqPeek { url, .. } => {
                format!("peek at {}", crate::cloud::sqs::queue_name(url))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Identity(Identity),
    GlueJobs(Vec<GlueJob>),
    GlueRuns(Vec<JobRun>),
    EmrClusters(Vec<EmrCluster>),
    EmrSteps(Vec<EmrStep>),
    Dlqs(Vec<Dlq>),
    DlqMetrics(DlqMetrics),
    DlqProgress(DlqProgress),
    Peeked(Vec<QueueMessage>),
    Alarms(Vec<Alarm>),
    AlarmHistory(Vec<AlarmHistoryItem>),
    AlarmChart(MetricSeries),
    QueryStarted(String),
    QueryResults(QueryResults),
    LogGroups(Vec<LogGroup>),
    LogRecord(std::collections::BTreeMap<String, String>),
    ExistingLogGroups(Vec<String>),
    QueryDefinitions(Vec<crate::cloud::QueryDefinition>),
    AthenaWorkGroups(Vec<crate::cloud::athena::WorkGroup>),
    AthenaStarted(String),
    AthenaExecution(crate::cloud::athena::Execution),
    /// A part of the rows (as progress), or the end of the read.
    AthenaRows(crate::cloud::athena::ResultPart),
    AthenaCatalogs(Vec<crate::cloud::athena::CatalogEntry>),
    AthenaDatabases(Vec<String>),
    AthenaTables(Vec<crate::cloud::athena::TableMeta>),
    AthenaHistory(crate::cloud::athena::History),
    AthenaNamedQueries(crate::cloud::athena::NamedQueries),
    AuditRuns(crate::cloud::audit::records::AuditDay),
    AuditDetect(Box<crate::cloud::audit::detect::Detection>),
    AuditRecords(Box<crate::cloud::audit::records::RunRecords>),
    AuditPipelines(Vec<crate::cloud::audit::records::PipelineRuns>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    /// The clock, once a second; `update` never reads the clock itself.
    Tick(DateTime<Utc>),
    /// The terminal's size, at start and whenever it changes: a
    /// confirmation is answered only while it fits on screen.
    Resize {
        width: u16,
        height: u16,
    },
    /// A poll or refresh finished. `next_in` is when the poller tries again
    /// (longer after throttling or errors).
    Loaded {
        resource: Resource,
        at: DateTime<Utc>,
        result: Result<Data, CloudError>,
        next_in: Option<Duration>,
    },
    /// Part of a read still going (a Glue job as its runs arrive): `done`
    /// of `total` parts are in; the whole comes as `Loaded`.
    Progress {
        resource: Resource,
        data: Data,
        done: usize,
        total: usize,
    },
    ActionDone(ActionReport),
    /// Lines the journal writer wrote (refusals), or why it could not.
    Journaled(Result<JournalEntry, String>),
    /// An export was written (what to say), or why not.
    FileWritten(Result<String, String>),
    /// pipedeck's own use of AWS so far (the journal pane shows it).
    Footprint(crate::cloud::Footprint),
}

/// Not `Clone`: an `Execute` carries the gate's one-use approval.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Poll this resource now (and restart its interval).
    Refresh(Resource),
    /// The user asked for fresh data: the next reads skip nothing the
    /// cloud would otherwise skip as unchanged (Glue's cadence, an empty
    /// DLQ's last move task).
    ReadEverything,
    /// Carry out an action that passed the gate.
    Execute(Approved),
    /// Write a refusal line to the journal.
    Journal(JournalEntry),
    /// Put text on the clipboard (OSC 52, so it works over SSH and tmux).
    Copy(String),
    /// Ring the terminal bell (an alarm newly in ALARM).
    Bell,
    /// StopQuery; awaited on quit like an action, so a query never keeps
    /// scanning after pipedeck is gone.
    StopQuery(String),
    /// StopQueryExecution, likewise awaited on quit.
    StopAthena(String),
    /// Write rows to a file as `format`. Formatting 10,000 rows happens in
    /// the task, not in `update`. `~/` is the home directory; the parent
    /// must exist. `done` is what to say once written.
    Export {
        path: String,
        table: crate::export::Table,
        format: crate::export::Format,
        done: String,
    },
    /// Adds `toml`'s `[[audit.tables]]` to the config file at `path`,
    /// keeping the user's comments and layout.
    AddAuditTable {
        path: std::path::PathBuf,
        toml: String,
    },
    /// Keep a pane's state across restarts: `json` replaces
    /// `<state dir>/<file>` atomically (temp file + rename). The one way a
    /// pane remembers anything; it reads it back in `Pane::restore`.
    SaveState {
        file: &'static str,
        json: String,
    },
    Quit,
}
