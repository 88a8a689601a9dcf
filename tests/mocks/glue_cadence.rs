//! The Glue list poll on the real SDK client: it asks for a few runs per
//! job (the full history only when a job is opened), reads again only the
//! jobs whose cadence is due, and streams the jobs in, most urgent first.

use crate::common;

use aws_sdk_glue::operation::get_job_runs::GetJobRunsOutput;
use aws_sdk_glue::operation::get_jobs::GetJobsOutput;
use aws_sdk_glue::types::{ExecutionProperty, Job, JobRun as SdkRun, JobRunState};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::DateTime as SmithyTime;
use common::mocks;
use pipedeck::cloud::CloudRead;
use std::sync::Mutex;

fn job(name: &str, max: i32) -> Job {
    Job::builder()
        .name(name)
        .execution_property(
            ExecutionProperty::builder()
                .max_concurrent_runs(max)
                .build(),
        )
        .build()
}

/// A run relative to the real clock (the cadence reads it).
fn run(job: &str, state: JobRunState, ended_mins_ago: Option<i64>) -> SdkRun {
    let now = chrono::Utc::now().timestamp();
    let mut r = SdkRun::builder()
        .id(format!("jr_{job}"))
        .job_name(job)
        .job_run_state(state)
        .started_on(SmithyTime::from_secs(
            now - (ended_mins_ago.unwrap_or(0) + 10) * 60,
        ));
    if let Some(m) = ended_mins_ago {
        r = r.completed_on(SmithyTime::from_secs(now - m * 60));
    }
    r.build()
}

fn runs_of(job: &'static str, state: JobRunState, ended: Option<i64>) -> Rule {
    mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(move |r| r.job_name() == Some(job))
        .then_output(move || {
            GetJobRunsOutput::builder()
                .job_runs(run(job, state.clone(), ended))
                .build()
        })
}

#[tokio::test]
async fn a_second_poll_reads_only_what_is_due_and_the_urgent_come_first() {
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(job("quiet", 1))
            .jobs(job("recent", 1))
            .jobs(job("running", 1))
            .jobs(job("broken", 1))
            .build()
    });
    let quiet = runs_of("quiet", JobRunState::Succeeded, Some(180));
    let recent = runs_of("recent", JobRunState::Succeeded, Some(10));
    let running = runs_of("running", JobRunState::Running, None);
    let broken = runs_of("broken", JobRunState::Failed, Some(240));
    let cloud = mocks::cloud(&[&jobs, &quiet, &recent, &running, &broken], &[]);

    // First poll: nothing known, everything read.
    let first = cloud.glue_jobs().await.unwrap();
    assert_eq!(first.len(), 4);
    for r in [&quiet, &recent, &running, &broken] {
        assert_eq!(r.num_calls(), 1);
    }

    // Second poll at once: only the running job is due; the others come
    // from memory, told first, then the read one.
    let told = Mutex::new(Vec::new());
    let second = cloud
        .glue_jobs_streaming(&|j, done, total| {
            told.lock().unwrap().push((j.name.clone(), done, total));
        })
        .await
        .unwrap();
    assert_eq!(second.len(), 4);
    assert_eq!(running.num_calls(), 2, "a run going: every poll");
    assert_eq!(quiet.num_calls(), 1, "idle: not before idle_secs");
    assert_eq!(recent.num_calls(), 1, "recent: not before recent_secs");
    assert_eq!(broken.num_calls(), 1);
    let told = told.into_inner().unwrap();
    assert_eq!(told.len(), 4);
    assert_eq!(told.last().unwrap(), &("running".to_string(), 4, 4));
    assert!(told
        .iter()
        .enumerate()
        .all(|(i, (_, done, total))| *done == i + 1 && *total == 4));
}

#[tokio::test]
async fn list_polls_ask_for_a_few_runs_and_an_opened_job_for_its_history() {
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(job("etl", 1))
            .jobs(job("wide", 30))
            .build()
    });
    // Each rule answers only the page size it expects: another would fail.
    let listed = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("etl") && r.max_results() == Some(10))
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(run("etl", JobRunState::Failed, Some(5)))
                .build()
        });
    // MaxConcurrentRuns 30: the active count needs 31.
    let wide = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("wide") && r.max_results() == Some(31))
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(run("wide", JobRunState::Running, None))
                .build()
        });
    let opened = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("etl") && r.max_results() == Some(200))
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(run("etl", JobRunState::Failed, Some(5)))
                .build()
        });
    let cloud = mocks::cloud(&[&jobs, &listed, &wide, &opened], &[]);
    assert_eq!(cloud.glue_jobs().await.unwrap().len(), 2);
    assert_eq!((listed.num_calls(), wide.num_calls()), (1, 1));
    assert_eq!(cloud.glue_job_runs("etl").await.unwrap().len(), 1);
    assert_eq!(opened.num_calls(), 1);
}

/// The cadence's clock in the next test: seconds since the epoch.
static NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn fake_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(NOW.load(std::sync::atomic::Ordering::SeqCst), 0).unwrap()
}

/// 300 jobs whose runs ended three hours ago, polled every 30 s (the
/// default `glue_secs`) for half an hour of the cadence's clock: the
/// steady-state GetJobRuns a minute is a tenth of reading every job on
/// every poll; and a run that starts outside pipedeck is seen within
/// `glue_idle_secs`, then followed on every poll.
#[tokio::test]
async fn idle_jobs_cost_a_tenth_and_a_new_run_shows_within_idle_secs() {
    use std::sync::atomic::Ordering::SeqCst;
    const T0: i64 = 1_800_000_000;
    const STARTS: i64 = T0 + 610;
    NOW.store(T0, SeqCst);
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        let mut out = GetJobsOutput::builder();
        for i in 0..300 {
            out = out.jobs(job(&format!("job-{i:03}"), 1));
        }
        out.build()
    });
    let runs = mock!(aws_sdk_glue::Client::get_job_runs).then_compute_output(|r| {
        let name = r.job_name().unwrap_or_default().to_string();
        let now = NOW.load(SeqCst);
        let run = if name == "job-007" && now >= STARTS {
            SdkRun::builder()
                .id("jr_new")
                .job_name(&name)
                .job_run_state(JobRunState::Running)
                .started_on(SmithyTime::from_secs(STARTS))
                .build()
        } else {
            SdkRun::builder()
                .id("jr_old")
                .job_name(&name)
                .job_run_state(JobRunState::Succeeded)
                .started_on(SmithyTime::from_secs(T0 - 4 * 3600))
                .completed_on(SmithyTime::from_secs(T0 - 3 * 3600))
                .build()
        };
        GetJobRunsOutput::builder().job_runs(run).build()
    });
    let cloud = mocks::cloud(&[&jobs, &runs], &[]).with_clock(fake_now);
    let mut seen_running_at = None;
    let mut reads_by_poll = Vec::new();
    for poll in 0..=60 {
        NOW.store(T0 + poll * 30, SeqCst);
        let before = runs.num_calls();
        let out = cloud.glue_jobs().await.unwrap();
        reads_by_poll.push(runs.num_calls() - before);
        let running = out
            .iter()
            .any(|j| j.name == "job-007" && j.latest_run().is_some_and(|r| r.state.is_active()));
        if running && seen_running_at.is_none() {
            seen_running_at = Some(T0 + poll * 30);
        }
    }
    assert_eq!(reads_by_poll[0], 300, "a cold start reads every job");
    // Steady state (minutes 10 to 30, after the new run is followed): 300
    // idle jobs every 300 s is 60 a minute, and the running one every poll.
    let steady: usize = reads_by_poll[21..=60].iter().sum();
    let per_minute = steady as f64 / 20.0;
    assert!(
        per_minute <= 60.0 + 2.0 + 1e-9,
        "{per_minute} GetJobRuns a minute; every job every poll would be 600"
    );
    let seen = seen_running_at.expect("the new run was seen");
    assert!(
        seen - STARTS <= 300,
        "seen {} s after it started (glue_idle_secs 300)",
        seen - STARTS
    );
    // From then on it is read on every poll.
    let first_seen_poll = ((seen - T0) / 30) as usize;
    let job7_reads_after = reads_by_poll[first_seen_poll + 1..].iter().all(|n| *n >= 1);
    assert!(job7_reads_after, "{reads_by_poll:?}");
    println!(
        "steady state: {per_minute} GetJobRuns/min for 300 idle jobs + 1 running; new run seen after {} s",
        seen - STARTS
    );
}

#[tokio::test]
async fn a_job_that_cannot_be_read_does_not_hide_the_others() {
    use aws_sdk_glue::operation::get_job_runs::GetJobRunsError;
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(job("open", 1))
            .jobs(job("denied", 1))
            .build()
    });
    let open = runs_of("open", JobRunState::Failed, Some(5));
    let denied = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("denied"))
        .then_error(|| {
            GetJobRunsError::generic(
                aws_smithy_types::error::ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not allowed on job/denied")
                    .build(),
            )
        });
    let cloud = mocks::cloud(&[&jobs, &open, &denied], &[]);
    let out = cloud.glue_jobs().await.expect("the readable job is shown");
    let names: Vec<&str> = out.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(names, ["open"]);
    assert!(out[0].is_failing());
}

/// The schedule test's own clock (tests run side by side).
static SCHEDULE_NOW: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn schedule_now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(SCHEDULE_NOW.load(std::sync::atomic::Ordering::SeqCst), 0)
        .unwrap()
}

/// An idle job is read again as soon as an ACTIVATED scheduled trigger of
/// its fires (a run is due then), not only every `glue_idle_secs`; the
/// triggers themselves are read once every ten minutes.
#[tokio::test]
async fn an_idle_job_is_read_when_its_schedule_fires() {
    use aws_sdk_glue::operation::get_triggers::GetTriggersOutput;
    use aws_sdk_glue::types::{Action, Trigger, TriggerState, TriggerType};
    use std::sync::atomic::Ordering::SeqCst;
    // 2026-11-30 12:00:00 UTC; the nightly trigger fires at 12:03 (before
    // the idle interval of 300 s would read either job again).
    let noon = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
        .unwrap()
        .timestamp();
    SCHEDULE_NOW.store(noon, SeqCst);
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(job("nightly", 1))
            .jobs(job("adhoc", 1))
            .build()
    });
    let triggers = mock!(aws_sdk_glue::Client::get_triggers).then_output(|| {
        let trigger = |name: &str, state: TriggerState, job: &str| {
            Trigger::builder()
                .name(name)
                .r#type(TriggerType::Scheduled)
                .state(state)
                .schedule("cron(3 12 * * ? *)")
                .actions(Action::builder().job_name(job).build())
                .build()
        };
        GetTriggersOutput::builder()
            .triggers(trigger(
                "nightly-at-1205",
                TriggerState::Activated,
                "nightly",
            ))
            // A deactivated schedule starts nothing.
            .triggers(trigger("adhoc-paused", TriggerState::Deactivated, "adhoc"))
            .build()
    });
    let idle = |job: &'static str| {
        mock!(aws_sdk_glue::Client::get_job_runs)
            .match_requests(move |r| r.job_name() == Some(job))
            .then_output(move || {
                GetJobRunsOutput::builder()
                    .job_runs(
                        SdkRun::builder()
                            .id(format!("jr_{job}"))
                            .job_name(job)
                            .job_run_state(JobRunState::Succeeded)
                            .started_on(SmithyTime::from_secs(
                                SCHEDULE_NOW.load(SeqCst) - 26 * 3600,
                            ))
                            .completed_on(SmithyTime::from_secs(
                                SCHEDULE_NOW.load(SeqCst) - 25 * 3600,
                            ))
                            .build(),
                    )
                    .build()
            })
    };
    let (nightly, adhoc) = (idle("nightly"), idle("adhoc"));
    let cloud = mocks::cloud(&[&jobs, &triggers, &nightly, &adhoc], &[]).with_clock(schedule_now);
    cloud.glue_jobs().await.unwrap();
    assert_eq!((nightly.num_calls(), adhoc.num_calls()), (1, 1));
    // 12:02: nothing due.
    SCHEDULE_NOW.store(noon + 2 * 60, SeqCst);
    cloud.glue_jobs().await.unwrap();
    assert_eq!((nightly.num_calls(), adhoc.num_calls()), (1, 1));
    // 12:03:30: the schedule fired; its job is read, the other not.
    SCHEDULE_NOW.store(noon + 3 * 60 + 30, SeqCst);
    cloud.glue_jobs().await.unwrap();
    assert_eq!((nightly.num_calls(), adhoc.num_calls()), (2, 1));
    assert_eq!(
        triggers.num_calls(),
        1,
        "triggers are read every ten minutes"
    );
}

/// Refresh (`r`) means "show me now": every job is read again, whatever
/// its cadence says.
#[tokio::test]
async fn a_refresh_reads_every_job_again() {
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(job("quiet", 1))
            .jobs(job("running", 1))
            .build()
    });
    let quiet = runs_of("quiet", JobRunState::Succeeded, Some(180));
    let running = runs_of("running", JobRunState::Running, None);
    let cloud = mocks::cloud(&[&jobs, &quiet, &running], &[]);
    cloud.glue_jobs().await.unwrap();
    cloud.glue_jobs().await.unwrap();
    assert_eq!((quiet.num_calls(), running.num_calls()), (1, 2));
    cloud.read_everything_next();
    cloud.glue_jobs().await.unwrap();
    assert_eq!((quiet.num_calls(), running.num_calls()), (2, 3));
}
