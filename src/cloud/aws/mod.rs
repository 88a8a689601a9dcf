//! The real AWS backend: official SDK clients built from `aws_config`.
//!
//! Configuration is loaded lazily inside the first call's task, because the
//! default chains may touch the network (SSO, IMDS) and the UI must never
//! wait on that. Before the first call goes out, the credentials are
//! resolved once ([`AwsCloud`]'s preflight): without them every pane says
//! how to log in, instead of each call failing its own way.

mod alarms;
pub mod athena;
mod athena_cache;
mod athena_catalog;
pub mod athena_history;
pub mod budget;
mod connect;
mod credentials;
pub mod dynamo;
mod dynamo_items;
mod dynamo_mark;
pub mod dynamo_records;
use credentials::{check_credentials, Preflight, RECHECK};
mod emr;
mod errors;
mod glue;
mod logs;
mod metrics;
mod mutate;
mod region;
mod sqs;
mod sqs_ops;

pub use connect::{config_loader, conn_info, load_sdk_config, AwsOptions, Clients};
pub use errors::{classify, map_sdk_error};
pub use glue::GluePaging;
pub use region::{resolve_region, RegionSource, DEFAULT_REGION};

use crate::cloud::sqs::redrive;
use crate::cloud::{
    Alarm, AlarmHistoryItem, ChartWindow, InsightsQuery, LogGroup, MetricSeries, QueryDefinition,
    QueryResults,
};
use crate::cloud::{
    CloudRead, CloudResult, Dlq, DlqMetrics, DlqProgress, EmrCluster, EmrStep, GlueJob, Identity,
    JobRun, QueueMessage,
};
use async_trait::async_trait;
use aws_config::SdkConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use budget::Budget;
use std::collections::BTreeMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};
use tokio::time::Instant;

/// The clients, and what the preflight checks before they are used.
struct Setup {
    clients: Clients,
    /// `None` for clients handed in whole (tests): nothing to check.
    credentials: Option<Option<SharedCredentialsProvider>>,
}

pub struct AwsCloud {
    options: AwsOptions,
    /// `None` for clients handed in whole (tests): nothing is metered.
    budget: std::sync::OnceLock<Arc<Budget>>,
    setup: OnceCell<Setup>,
    preflight: Mutex<Preflight>,
    paging: GluePaging,
    glue_memory: std::sync::Mutex<glue::GlueMemory>,
    discovery: std::sync::Mutex<sqs::Discovery>,
    /// Athena executions whose scan the footprint has counted.
    athena_counted: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Audit tables' shapes (DescribeTable), read once a session.
    audit_shapes: std::sync::Mutex<BTreeMap<String, crate::cloud::audit::detect::TableShape>>,
    /// Ended Athena executions, kept across refreshes and restarts.
    athena_history: std::sync::Mutex<athena_history::HistoryCache>,
    /// The cadence's clock (tests replay hours of polls in a moment).
    clock: fn() -> chrono::DateTime<chrono::Utc>,
}

impl AwsCloud {
    pub fn new(options: AwsOptions) -> Self {
        let history_file = options
            .state_dir
            .as_ref()
            .map(|d| d.join(athena_history::FILE));
        Self {
            options,
            budget: std::sync::OnceLock::new(),
            setup: OnceCell::new(),
            preflight: Mutex::new(Preflight::Unchecked),
            paging: GluePaging::default(),
            glue_memory: Default::default(),
            discovery: Default::default(),
            athena_counted: Default::default(),
            audit_shapes: Default::default(),
            athena_history: std::sync::Mutex::new(athena_history::HistoryCache::at(history_file)),
            clock: chrono::Utc::now,
        }
    }

    /// From an SDK config already loaded (e.g. pipedeck's [`config_loader`]
    /// with one part swapped); its credentials are checked before the first
    /// call, as with [`AwsCloud::new`].
    pub fn from_sdk_config(conf: &SdkConfig) -> Self {
        Self::from_sdk_config_with(conf, AwsOptions::default())
    }

    /// The same, with options (audit tables, a state dir).
    pub fn from_sdk_config_with(conf: &SdkConfig, options: AwsOptions) -> Self {
        let cloud = Self::new(options);
        let budget = cloud.budget_for(conf);
        let _ = cloud.setup.set(Setup {
            clients: Clients::metered(conf, &budget),
            credentials: Some(conf.credentials_provider()),
        });
        cloud
    }

    /// Notes something billed on the budget, when there is one.
    fn meter(&self, f: impl FnOnce(&Budget)) {
        if let Some(b) = self.budget.get() {
            f(b);
        }
    }

    /// The budget of the profile, Region and endpoint `conf` talks to,
    /// shared with any other cloud of this process on the same.
    fn budget_for(&self, conf: &SdkConfig) -> Arc<Budget> {
        self.budget
            .get_or_init(|| {
                let scope = format!(
                    "{}|{}|{}",
                    self.options.profile.as_deref().unwrap_or(""),
                    conf.region().map(|r| r.to_string()).unwrap_or_default(),
                    conf.endpoint_url().unwrap_or_default()
                );
                budget::shared(&scope, &self.options.budget)
            })
            .clone()
    }

    /// Another clock for the Glue cadence (a test's).
    pub fn with_clock(mut self, clock: fn() -> chrono::DateTime<chrono::Utc>) -> Self {
        self.clock = clock;
        self
    }

    /// Smaller pages (tests use this to exercise NextToken handling).
    pub fn with_paging(mut self, paging: GluePaging) -> Self {
        self.paging = paging;
        self
    }

    /// For tests: clients already built (e.g. by `aws-smithy-mocks`); no
    /// credentials check, the clients bring their own.
    pub fn from_clients(clients: Clients) -> Self {
        Self::from_clients_with(clients, AwsOptions::default())
    }

    /// Clients handed in whole, with options (a state dir) beside them.
    pub fn from_clients_with(clients: Clients, options: AwsOptions) -> Self {
        let cloud = Self::new(options);
        let _ = cloud.setup.set(Setup {
            clients,
            credentials: None,
        });
        cloud
    }

    /// The clients, once the credentials are known to resolve.
    async fn clients(&self) -> CloudResult<&Clients> {
        let setup = self
            .setup
            .get_or_init(|| async {
                let conf = load_sdk_config(&self.options).await;
                let budget = self.budget_for(&conf);
                Setup {
                    clients: Clients::metered(&conf, &budget),
                    credentials: Some(conf.credentials_provider()),
                }
            })
            .await;
        let Some(provider) = &setup.credentials else {
            return Ok(&setup.clients);
        };
        // One check at a time: the panes' first polls wait for it rather
        // than each walking the credential chain.
        let mut preflight = self.preflight.lock().await;
        match &*preflight {
            Preflight::Passed => return Ok(&setup.clients),
            Preflight::Failed { at, error } if at.elapsed() < RECHECK => return Err(error.clone()),
            _ => {}
        }
        match check_credentials(provider.as_ref()).await {
            Ok(()) => {
                *preflight = Preflight::Passed;
                Ok(&setup.clients)
            }
            Err(error) => {
                tracing::info!(%error, "no usable AWS credentials yet");
                *preflight = Preflight::Failed {
                    at: Instant::now(),
                    error: error.clone(),
                };
                Err(error)
            }
        }
    }
}

#[async_trait]
impl CloudRead for AwsCloud {
    fn footprint(&self) -> Option<crate::cloud::Footprint> {
        self.budget.get().map(|b| b.footprint())
    }

    fn read_everything_next(&self) {
        self.glue_memory.lock().unwrap().all_due();
        sqs::forget_all_tasks(&self.discovery);
    }

    async fn athena_workgroups(&self) -> CloudResult<Vec<crate::cloud::athena::WorkGroup>> {
        athena::workgroups(&self.clients().await?.athena).await
    }

    async fn athena_start(&self, query: &crate::cloud::athena::AthenaQuery) -> CloudResult<String> {
        athena::start(&self.clients().await?.athena, query).await
    }

    async fn athena_execution(&self, id: &str) -> CloudResult<crate::cloud::athena::Execution> {
        let e = athena::execution(&self.clients().await?.athena, id).await?;
        // Billed by the bytes scanned: counted once, when final.
        if e.is_final() && self.athena_counted.lock().unwrap().insert(e.id.clone()) {
            let bytes = e.scanned_bytes.unwrap_or(0) as f64;
            self.meter(|b| b.note_athena_scanned(bytes));
        }
        Ok(e)
    }

    async fn athena_history(&self, workgroup: &str) -> CloudResult<crate::cloud::athena::History> {
        // Whose history it is: the same work group name under another
        // profile, Region or endpoint is another history (as the header
        // names them: AWS_PROFILE and AWS_ENDPOINT_URL count).
        let c = conn_info(&self.options);
        let scope = format!(
            "{}|{}|{}",
            c.profile,
            c.region,
            c.endpoint.as_deref().unwrap_or("")
        );
        athena_history::history(
            &self.clients().await?.athena,
            workgroup,
            &scope,
            &self.athena_history,
            (self.clock)(),
        )
        .await
    }

    async fn athena_named_queries(
        &self,
        workgroup: &str,
    ) -> CloudResult<crate::cloud::athena::NamedQueries> {
        athena_history::named_queries(
            &self.clients().await?.athena,
            workgroup,
            &self.athena_history,
        )
        .await
    }

    async fn audit_runs(&self) -> CloudResult<Vec<crate::cloud::audit::TableRead>> {
        self.audit_runs_streaming(&|_| {}).await
    }

    async fn audit_runs_streaming(
        &self,
        progress: crate::cloud::AuditProgress<'_>,
    ) -> CloudResult<Vec<crate::cloud::audit::TableRead>> {
        let tables = &self.options.audit_tables;
        if tables.is_empty() {
            return Ok(Vec::new());
        }
        let client = &self.clients().await?.dynamodb;
        let (now, pages) = ((self.clock)(), self.options.audit_scan_pages);
        let shapes = &self.audit_shapes;
        Ok(dynamo::read_tables(client, shapes, tables, now, pages, progress).await)
    }

    async fn audit_pipelines(
        &self,
        pipelines: &[crate::cloud::audit::records::PipelineRef],
        n: usize,
    ) -> CloudResult<Vec<crate::cloud::audit::records::PipelineRuns>> {
        let client = &self.clients().await?.dynamodb;
        Ok(dynamo_records::pipelines(
            client,
            &self.audit_shapes,
            &self.options.audit_tables,
            pipelines,
            n,
        )
        .await)
    }

    async fn audit_records(
        &self,
        run: &crate::cloud::audit::records::RunRef,
    ) -> CloudResult<crate::cloud::audit::records::RunRecords> {
        let client = &self.clients().await?.dynamodb;
        Ok(dynamo_records::records(
            client,
            &self.audit_shapes,
            &self.options.audit_tables,
            run,
            self.options.audit_scan_pages,
        )
        .await)
    }

    async fn audit_detect(
        &self,
        table: &str,
    ) -> CloudResult<crate::cloud::audit::detect::Detection> {
        let client = &self.clients().await?.dynamodb;
        let shape = dynamo::describe(client, table).await?;
        let sample = dynamo::sample(client, table).await?;
        Ok(crate::cloud::audit::detect::Detection {
            mapping: crate::cloud::audit::detect::propose(&shape, &sample),
            sampled: sample.len(),
            shape,
        })
    }

    async fn athena_catalogs(&self) -> CloudResult<Vec<crate::cloud::athena::CatalogEntry>> {
        athena_catalog::catalogs(&self.clients().await?.athena).await
    }

    async fn athena_databases(&self, catalog: &str) -> CloudResult<Vec<String>> {
        athena_catalog::databases(&self.clients().await?.athena, catalog).await
    }

    async fn athena_tables(
        &self,
        catalog: &str,
        database: &str,
    ) -> CloudResult<Vec<crate::cloud::athena::TableMeta>> {
        athena_catalog::tables(&self.clients().await?.athena, catalog, database).await
    }

    async fn athena_stop(&self, id: &str) -> CloudResult<()> {
        athena::stop(&self.clients().await?.athena, id).await
    }

    async fn athena_rows(
        &self,
        id: &str,
        progress: crate::cloud::AthenaRowsProgress<'_>,
    ) -> CloudResult<crate::cloud::athena::ResultPart> {
        let clients = self.clients().await?;
        let e = athena::execution(&clients.athena, id).await?;
        athena::rows(&clients.athena, &clients.s3, &e, progress).await
    }

    async fn identity(&self) -> CloudResult<Identity> {
        let out = self
            .clients()
            .await?
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| map_sdk_error("sts:GetCallerIdentity", e))?;
        Ok(Identity {
            account: out.account().map(str::to_string),
            arn: out.arn().map(str::to_string),
            region: self
                .clients()
                .await?
                .glue
                .config()
                .region()
                .map(|r| r.to_string()),
        })
    }

    async fn glue_jobs(&self) -> CloudResult<Vec<GlueJob>> {
        self.glue_jobs_streaming(&|_, _, _| {}).await
    }

    async fn glue_jobs_streaming(
        &self,
        progress: crate::cloud::GlueProgress<'_>,
    ) -> CloudResult<Vec<GlueJob>> {
        let clients = self.clients().await?;
        glue::jobs(
            &clients.glue,
            self.paging,
            &self.glue_memory,
            (self.options.cadence, (self.clock)()),
            progress,
        )
        .await
    }

    async fn glue_job_runs(&self, job: &str) -> CloudResult<Vec<JobRun>> {
        let runs = glue::job_runs(
            &self.clients().await?.glue,
            job,
            self.paging.runs_page,
            self.paging.max_run_pages,
        )
        .await?;
        // The list poll need not read it again before its cadence says.
        self.glue_memory
            .lock()
            .unwrap()
            .remember(job, &runs, (self.clock)());
        Ok(runs)
    }

    async fn emr_clusters(&self) -> CloudResult<Vec<EmrCluster>> {
        emr::clusters(&self.clients().await?.emr).await
    }

    async fn emr_steps(&self, cluster_id: &str) -> CloudResult<Vec<EmrStep>> {
        emr::steps(&self.clients().await?.emr, cluster_id).await
    }

    async fn dlqs(&self, configured: &[String]) -> CloudResult<Vec<Dlq>> {
        sqs::dlqs(&self.clients().await?.sqs, configured, &self.discovery).await
    }

    async fn dlq_progress(&self, queue_url: &str, dlq_arn: &str) -> CloudResult<DlqProgress> {
        let p = sqs::progress(&self.clients().await?.sqs, queue_url, dlq_arn).await?;
        // The list's next read shows this task too, even once the DLQ is
        // empty (it does not ask again for an empty DLQ's task).
        sqs::remember_task(&self.discovery, dlq_arn, p.move_task.clone());
        Ok(p)
    }

    async fn dlq_metrics(&self, queue_names: &[String]) -> CloudResult<DlqMetrics> {
        let clients = self.clients().await?;
        // Billed per metric asked for: depth and age of each queue.
        self.meter(|b| b.note_metrics(queue_names.len() * 2));
        metrics::dlq_metrics(&clients.cloudwatch, queue_names).await
    }

    async fn alarms(&self) -> CloudResult<Vec<Alarm>> {
        alarms::alarms(&self.clients().await?.cloudwatch).await
    }

    async fn alarm_history(&self, name: &str) -> CloudResult<Vec<AlarmHistoryItem>> {
        alarms::history(&self.clients().await?.cloudwatch, name).await
    }

    async fn alarm_chart(&self, name: &str, window: ChartWindow) -> CloudResult<MetricSeries> {
        let (series, asked) =
            alarms::chart(&self.clients().await?.cloudwatch, name, window).await?;
        self.meter(|b| b.note_metrics(asked));
        Ok(series)
    }

    async fn log_groups(&self, prefix: Option<&str>) -> CloudResult<Vec<LogGroup>> {
        logs::log_groups(&self.clients().await?.logs, prefix).await
    }

    async fn start_query(&self, query: &InsightsQuery) -> CloudResult<String> {
        logs::start_query(&self.clients().await?.logs, query).await
    }

    async fn query_results(&self, query_id: &str) -> CloudResult<QueryResults> {
        let out = logs::query_results(&self.clients().await?.logs, query_id).await?;
        // Logs Insights bills the bytes a query scanned, counted once it ends.
        if out.status.is_done() {
            self.meter(|b| b.note_scanned(out.stats.bytes_scanned));
        }
        Ok(out)
    }

    async fn stop_query(&self, query_id: &str) -> CloudResult<()> {
        logs::stop_query(&self.clients().await?.logs, query_id).await
    }

    async fn log_record(&self, ptr: &str) -> CloudResult<BTreeMap<String, String>> {
        logs::log_record(&self.clients().await?.logs, ptr).await
    }

    async fn query_definitions(&self) -> CloudResult<Vec<QueryDefinition>> {
        logs::query_definitions(&self.clients().await?.logs).await
    }

    async fn peek(&self, queue_url: &str, max: usize) -> CloudResult<Vec<QueueMessage>> {
        let ops = sqs_ops::SqsOps(self.clients().await?.sqs.clone());
        redrive::peek(&ops, queue_url, max).await
    }
}
