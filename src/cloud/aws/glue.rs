//! Glue through the SDK: GetJobs / GetJobRuns (paginated), StartJobRun,
//! BatchStopJobRun. Converts SDK shapes into the app's domain types.

use super::errors::map_sdk_error;
use crate::cloud::cadence::{self, Cadence};
use crate::cloud::GlueProgress;
use crate::cloud::{CloudResult, GlueJob, JobRun, RunState, StopOutcome};
use aws_sdk_glue::types::{Job, JobRun as SdkJobRun};
use aws_sdk_glue::Client;
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// How many jobs' runs are read at once; the budget paces them.
const RUN_FETCH_CONCURRENCY: usize = 8;

/// Page sizes. Production uses the service maximum for a job's history;
/// tests shrink them to prove NextToken is followed.
#[derive(Debug, Clone, Copy)]
pub struct GluePaging {
    /// GetJobs MaxResults; `None` leaves the service default.
    pub jobs_page: Option<i32>,
    /// GetJobRuns MaxResults when a job is opened (the service allows at
    /// most 200).
    pub runs_page: i32,
    /// GetJobRuns MaxResults on list polls: enough for the failure streak
    /// and the active count under MaxConcurrentRuns (asked for as
    /// MaxConcurrentRuns + 1 when that is more).
    pub list_runs: i32,
    /// Enough history for triage without walking 90 days of a busy job.
    pub max_run_pages: usize,
}

impl Default for GluePaging {
    fn default() -> Self {
        Self {
            jobs_page: None,
            runs_page: 200,
            list_runs: 10,
            max_run_pages: 5,
        }
    }
}

/// What was last read of each job, and when: the list poll reads again
/// only the jobs whose cadence says so (`cloud::cadence`).
#[derive(Debug, Default)]
pub struct GlueMemory {
    jobs: HashMap<String, (Vec<JobRun>, DateTime<Utc>)>,
    /// Each job's ACTIVATED scheduled triggers (`cron(…)`), and when they
    /// were read: a job is read around the time its schedule fires.
    schedules: Option<(DateTime<Utc>, Schedules)>,
}

/// Job name → its `cron(…)` schedules.
type Schedules = HashMap<String, Vec<String>>;

/// Triggers change rarely: read again this often.
const SCHEDULES_EVERY: chrono::Duration = chrono::Duration::minutes(10);

/// Each job's ACTIVATED SCHEDULED triggers (GetTriggers, every page). A
/// job may have several; a trigger may start several jobs.
async fn schedules(client: &Client) -> CloudResult<Schedules> {
    use aws_sdk_glue::types::{TriggerState, TriggerType};
    let triggers: Vec<aws_sdk_glue::types::Trigger> = client
        .get_triggers()
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .map_err(|e| map_sdk_error("glue:GetTriggers", e))?;
    let mut by_job = Schedules::new();
    for t in triggers {
        let scheduled = t.r#type() == Some(&TriggerType::Scheduled)
            && t.state() == Some(&TriggerState::Activated);
        let Some(schedule) = t.schedule().filter(|_| scheduled) else {
            continue;
        };
        for action in t.actions() {
            if let Some(job) = action.job_name() {
                by_job
                    .entry(job.to_string())
                    .or_default()
                    .push(schedule.to_string());
            }
        }
    }
    Ok(by_job)
}

/// The schedules, read again when older than [`SCHEDULES_EVERY`]. A
/// failure (no glue:GetTriggers) keeps the last ones, or none: the pace
/// alone still finds every run within `glue_idle_secs`.
async fn fresh_schedules(
    client: &Client,
    memory: &Mutex<GlueMemory>,
    now: DateTime<Utc>,
) -> Schedules {
    let cached = memory.lock().unwrap().schedules.clone();
    if let Some((at, s)) = &cached {
        if now - *at < SCHEDULES_EVERY {
            return s.clone();
        }
    }
    match schedules(client).await {
        Ok(s) => {
            memory.lock().unwrap().schedules = Some((now, s.clone()));
            s
        }
        Err(e) => {
            tracing::info!(error = %e, "Glue triggers unknown; jobs are read by pace alone");
            let keep = cached.map(|(_, s)| s).unwrap_or_default();
            memory.lock().unwrap().schedules = Some((now, keep.clone()));
            keep
        }
    }
}

impl GlueMemory {
    pub fn remember(&mut self, job: &str, runs: &[JobRun], at: DateTime<Utc>) {
        self.jobs.insert(job.to_string(), (runs.to_vec(), at));
    }

    /// Read it on the next poll whatever its cadence (pipedeck just
    /// started or stopped one of its runs).
    pub fn forget(&mut self, job: &str) {
        self.jobs.remove(job);
    }

    /// Every job due on the next poll (the user asked for fresh data);
    /// what was read is kept to order the reads by urgency.
    pub fn all_due(&mut self) {
        for (_, at) in self.jobs.values_mut() {
            *at = DateTime::<Utc>::MIN_UTC;
        }
    }
}

/// Every job with its latest runs. Jobs whose cadence is not due come from
/// memory at once; the others are read most urgent first (failing, running,
/// never read), each told to `progress` as it arrives.
/// `now`: the poll's time (the cadence's clock; tests pass their own).
pub async fn jobs(
    client: &Client,
    paging: GluePaging,
    memory: &Mutex<GlueMemory>,
    (cadence, now): (Cadence, DateTime<Utc>),
    progress: GlueProgress<'_>,
) -> CloudResult<Vec<GlueJob>> {
    let defs: Vec<Job> = client
        .get_jobs()
        .set_max_results(paging.jobs_page)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("glue:GetJobs", e))?;
    let schedules = fresh_schedules(client, memory, now).await;
    let mut out = Vec::with_capacity(defs.len());
    let mut due: Vec<(u8, Job)> = Vec::new();
    {
        let mut memory = memory.lock().unwrap();
        memory
            .jobs
            .retain(|name, _| defs.iter().any(|d| d.name() == Some(name.as_str())));
        for def in defs.iter() {
            let known = memory.jobs.get(def.name().unwrap_or_default());
            match known {
                Some((runs, at))
                    if !cadence::due(
                        cadence::pace(runs, now),
                        *at,
                        now,
                        cadence,
                        schedules
                            .get(def.name().unwrap_or_default())
                            .map_or(&[], Vec::as_slice),
                    ) =>
                {
                    out.push(job_from_sdk(def, runs.clone()));
                }
                _ => {
                    let last = known.map(|(runs, _)| job_from_sdk(def, runs.clone()));
                    due.push((cadence::urgency(last.as_ref(), now), def.clone()));
                }
            }
        }
    }
    due.sort_by_key(|(urgency, _)| *urgency);
    let due_count = due.len();
    let total = defs.len();
    for (i, job) in out.iter().enumerate() {
        progress(job, i + 1, total);
    }
    let mut reads = stream::iter(due)
        .map(|(_, def)| async move {
            let name = def.name().unwrap_or_default().to_string();
            let max = job_from_sdk(&def, Vec::new()).max_concurrent_runs;
            let page = paging.list_runs.max(max + 1).min(200);
            match job_runs(client, &name, page, paging.max_run_pages).await {
                Ok(runs) => Ok((def, runs)),
                Err(e) => Err((def, e)),
            }
        })
        .buffer_unordered(RUN_FETCH_CONCURRENCY);
    let (mut failed, mut first_error) = (0, None);
    while let Some(read) = reads.next().await {
        let (def, runs) = match read {
            Ok(read) => read,
            // One job that cannot be read (a resource-level deny, a run
            // history gone) does not hide the others: it shows as last
            // read, or not at all; only when every read fails is the poll
            // an error.
            Err((def, e)) => {
                failed += 1;
                first_error.get_or_insert(e);
                let known = memory
                    .lock()
                    .unwrap()
                    .jobs
                    .get(def.name().unwrap_or_default())
                    .map(|(runs, _)| runs.clone());
                match known {
                    Some(runs) => (def, runs),
                    None => continue,
                }
            }
        };
        let job = job_from_sdk(&def, runs);
        memory.lock().unwrap().remember(&job.name, &job.runs, now);
        out.push(job);
        progress(out.last().expect("just pushed"), out.len(), total);
    }
    match first_error {
        Some(e) if failed == due_count => Err(e),
        Some(e) => {
            tracing::warn!(failed, error = %e, "some Glue jobs could not be read");
            Ok(out)
        }
        None => Ok(out),
    }
}

/// All recent runs of a job, newest first by StartedOn.
///
/// The API's order is undocumented (AWS answers newest first, moto oldest
/// first), so the client sorts. To avoid walking every page of a busy job on
/// AWS, paging stops once a page arrives already newest-first: then the
/// newest run is known and the rest is older history.
pub async fn job_runs(
    client: &Client,
    job: &str,
    page: i32,
    max_pages: usize,
) -> CloudResult<Vec<JobRun>> {
    let mut pages = client
        .get_job_runs()
        .job_name(job)
        .max_results(page)
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
        if (newest_first && page_count == 1 && runs.len() > 1) || page_count >= max_pages {
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
