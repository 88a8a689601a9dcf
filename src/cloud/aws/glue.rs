//! Glue through the SDK: GetJobs / GetJobRuns (paginated), StartJobRun,
//! BatchStopJobRun. Converts SDK shapes into the app's domain types.

use super::errors::map_sdk_error;
use crate::cloud::{CloudResult, GlueJob, JobRun, RunState, StopOutcome};
use aws_sdk_glue::types::{Job, JobRun as SdkJobRun};
use aws_sdk_glue::Client;
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::BTreeMap;

/// How many jobs' runs are fetched at once; Glue's per-account TPS is modest.
const RUN_FETCH_CONCURRENCY: usize = 8;

/// Page sizes. Production uses the service maximum for runs; tests shrink
/// them to prove NextToken is followed.
#[derive(Debug, Clone, Copy)]
pub struct GluePaging {
    /// GetJobs MaxResults; `None` leaves the service default.
    pub jobs_page: Option<i32>,
    /// GetJobRuns MaxResults (the service allows at most 200).
    pub runs_page: i32,
    /// Enough history for triage without walking 90 days of a busy job.
    pub max_run_pages: usize,
    /// How many jobs' runs are requested per second when listing jobs.
    pub jobs_per_second: u32,
}

impl Default for GluePaging {
    fn default() -> Self {
        Self {
            jobs_page: None,
            runs_page: 200,
            max_run_pages: 5,
            jobs_per_second: 10,
        }
    }
}

pub async fn jobs(client: &Client, paging: GluePaging) -> CloudResult<Vec<GlueJob>> {
    let defs: Vec<Job> = client
        .get_jobs()
        .set_max_results(paging.jobs_page)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("glue:GetJobs", e))?;
    // A steady pace, so that an account with hundreds of jobs does not spend
    // the Glue API rate its own pipelines need: at most `jobs_per_second`
    // GetJobRuns calls start each second.
    let mut pace = tokio::time::interval(std::time::Duration::from_secs_f64(
        1.0 / f64::from(paging.jobs_per_second.max(1)),
    ));
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let ticks = stream::unfold(pace, |mut pace| async move {
        pace.tick().await;
        Some(((), pace))
    });
    let jobs: Vec<GlueJob> = stream::iter(defs)
        .zip(ticks)
        .map(|(def, ())| async move {
            let name = def.name().unwrap_or_default().to_string();
            let runs = job_runs(client, &name, paging).await?;
            Ok::<_, crate::cloud::CloudError>(job_from_sdk(&def, runs))
        })
        .buffered(RUN_FETCH_CONCURRENCY)
        .try_collect()
        .await?;
    Ok(jobs)
}

/// All recent runs of a job, newest first by StartedOn.
///
/// The API's order is undocumented (AWS answers newest first, moto oldest
/// first), so the client sorts. To avoid walking every page of a busy job on
/// AWS, paging stops once a page arrives already newest-first: then the
/// newest run is known and the rest is older history.
pub async fn job_runs(client: &Client, job: &str, paging: GluePaging) -> CloudResult<Vec<JobRun>> {
    let mut pages = client
        .get_job_runs()
        .job_name(job)
        .max_results(paging.runs_page)
        .into_paginator()
        .send();
    let mut runs = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| map_sdk_error("glue:GetJobRuns", e))?;
        let batch: Vec<JobRun> = page.job_runs().iter().map(run_from_sdk).collect();
        let newest_first = batch.windows(2).all(|w| w[0].started_on >= w[1].started_on);
        runs.extend(batch);
        page_count += 1;
        if (newest_first && page_count == 1 && runs.len() > 1) || page_count >= paging.max_run_pages
        {
            break;
        }
    }
    runs.sort_by(JobRun::newest_first);
    Ok(runs)
}

pub async fn start_job_run(
    client: &Client,
    job: &str,
    arguments: &BTreeMap<String, String>,
) -> CloudResult<String> {
    let mut req = client.start_job_run().job_name(job);
    for (k, v) in arguments {
        req = req.arguments(k, v);
    }
    let out = req.send().await.map_err(|e| {
        // The modeled exception, even when a proxy drops the error code.
        if e.as_service_error()
            .is_some_and(|s| s.is_concurrent_runs_exceeded_exception())
        {
            let message = aws_smithy_types::error::metadata::ProvideErrorMetadata::message(
                e.as_service_error().expect("checked"),
            )
            .unwrap_or("concurrent runs exceeded")
            .to_string();
            return crate::cloud::CloudError::ConcurrentRunsExceeded { message };
        }
        map_sdk_error("glue:StartJobRun", e)
    })?;
    Ok(out.job_run_id().unwrap_or_default().to_string())
}

pub async fn stop_job_runs(
    client: &Client,
    job: &str,
    run_ids: &[String],
) -> CloudResult<Vec<StopOutcome>> {
    let mut outcomes = Vec::with_capacity(run_ids.len());
    // BatchStopJobRun takes at most 25 run ids per call.
    for chunk in run_ids.chunks(25) {
        let out = client
            .batch_stop_job_run()
            .job_name(job)
            .set_job_run_ids(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| map_sdk_error("glue:BatchStopJobRun", e))?;
        for id in chunk {
            let error = out
                .errors()
                .iter()
                .find(|e| e.job_run_id() == Some(id.as_str()))
                .map(|e| {
                    let detail = e.error_detail();
                    let code = detail.and_then(|d| d.error_code()).unwrap_or("Error");
                    let msg = detail.and_then(|d| d.error_message()).unwrap_or("");
                    format!("{code}: {msg}")
                });
            let accepted = out
                .successful_submissions()
                .iter()
                .any(|s| s.job_run_id() == Some(id.as_str()));
            let error = match (error, accepted) {
                (Some(e), _) => Some(e),
                (None, true) => None,
                (None, false) => Some("not acknowledged by the service".to_string()),
            };
            outcomes.push(StopOutcome {
                run_id: id.clone(),
                error,
            });
        }
    }
    Ok(outcomes)
}

fn job_from_sdk(def: &Job, runs: Vec<JobRun>) -> GlueJob {
    GlueJob {
        name: def.name().unwrap_or_default().to_string(),
        // Glue's default when ExecutionProperty is absent is 1.
        max_concurrent_runs: def
            .execution_property()
            .map(|p| p.max_concurrent_runs())
            .filter(|n| *n > 0)
            .unwrap_or(1),
        worker_type: def.worker_type().map(|w| w.as_str().to_string()),
        number_of_workers: def.number_of_workers(),
        max_capacity: def.max_capacity(),
        glue_version: def.glue_version().map(str::to_string),
        execution_class: def.execution_class().map(|c| c.as_str().to_string()),
        default_arguments: def
            .default_arguments()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        runs,
    }
}

pub(crate) fn run_from_sdk(r: &SdkJobRun) -> JobRun {
    JobRun {
        id: r.id().unwrap_or_default().to_string(),
        job_name: r.job_name().unwrap_or_default().to_string(),
        state: r
            .job_run_state()
            .map(|s| RunState::from_aws(s.as_str()))
            .unwrap_or_else(|| RunState::Unknown("(none)".into())),
        attempt: r.attempt(),
        started_on: r.started_on().and_then(to_chrono),
        completed_on: r.completed_on().and_then(to_chrono),
        execution_time_s: Some(i64::from(r.execution_time())),
        dpu_seconds: r.dpu_seconds(),
        worker_type: r.worker_type().map(|w| w.as_str().to_string()),
        number_of_workers: r.number_of_workers(),
        max_capacity: r.max_capacity(),
        arguments: r
            .arguments()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        error_message: r.error_message().map(str::to_string),
        log_group_name: r.log_group_name().map(str::to_string),
        trigger_name: r.trigger_name().map(str::to_string),
        glue_version: r.glue_version().map(str::to_string),
        security_configuration: r.security_configuration().map(str::to_string),
        // The job's DefaultArguments come from GetJobs, not from the run.
        job_arguments: BTreeMap::new(),
    }
}

pub(crate) fn to_chrono(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}
