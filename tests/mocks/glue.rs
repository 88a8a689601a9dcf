//! The real SDK clients with `aws-smithy-mocks`: what no emulator produces
//! (FAILED runs, partial batch failures, throttling, AccessDenied, expired
//! credentials) and the exact requests pipedeck sends.

use crate::common;

use aws_sdk_glue::operation::batch_stop_job_run::BatchStopJobRunOutput;
use aws_sdk_glue::operation::get_job_runs::GetJobRunsOutput;
use aws_sdk_glue::operation::get_jobs::{GetJobsError, GetJobsOutput};
use aws_sdk_glue::operation::start_job_run::StartJobRunError;
use aws_sdk_glue::types::{
    BatchStopJobRunError, BatchStopJobRunSuccessfulSubmission, ErrorDetail, ExecutionProperty, Job,
    JobRun as SdkRun, JobRunState, WorkerType,
};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::DateTime as SmithyTime;
use common::mocks;
use common::*;
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::{CloudError, CloudRead, CredentialProblem, RunState};
use pipedeck::config::PollConfig;
use pipedeck::gate::{self, Action, Journal};
use pipedeck::runtime::Effects;
use std::collections::BTreeMap;

const T0: i64 = 1_790_000_000;

fn cloud(rules: &[&Rule]) -> AwsCloud {
    mocks::cloud(rules, &[])
}

fn sdk_job(name: &str, max: i32) -> Job {
    Job::builder()
        .name(name)
        .execution_property(
            ExecutionProperty::builder()
                .max_concurrent_runs(max)
                .build(),
        )
        .worker_type(WorkerType::G1X)
        .number_of_workers(5)
        .build()
}

fn sdk_run(id: &str, state: JobRunState, started_min_ago: i64) -> SdkRun {
    SdkRun::builder()
        .id(id)
        .job_name("etl")
        .job_run_state(state)
        .started_on(SmithyTime::from_secs(T0 - started_min_ago * 60))
        .execution_time(300)
        .arguments("--env", "prod")
        .build()
}

fn jobs_rule() -> Rule {
    mock!(aws_sdk_glue::Client::get_jobs)
        .then_output(|| GetJobsOutput::builder().jobs(sdk_job("etl", 2)).build())
}

fn generic(code: &str, message: &str) -> ErrorMetadata {
    ErrorMetadata::builder().code(code).message(message).build()
}

#[tokio::test]
async fn failed_run_with_error_message_sorted_newest_first() {
    let jobs = jobs_rule();
    // Oldest first, as moto answers; plus a state newer than this SDK.
    let runs = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("etl") && r.max_results() == Some(10))
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(sdk_run("jr_old", JobRunState::Succeeded, 180))
                .job_runs(sdk_run("jr_odd", JobRunState::from("HIBERNATING"), 120))
                .job_runs(
                    SdkRun::builder()
                        .id("jr_new")
                        .job_name("etl")
                        .job_run_state(JobRunState::Failed)
                        .started_on(SmithyTime::from_secs(T0 - 600))
                        .completed_on(SmithyTime::from_secs(T0 - 300))
                        .execution_time(290)
                        .error_message(
                            "AnalysisException: Path does not exist: s3://company-raw/orders/",
                        )
                        .build(),
                )
                .build()
        });
    let c = cloud(&[&jobs, &runs]);
    let out = c.glue_jobs().await.unwrap();
    assert_eq!(
        runs.num_calls(),
        1,
        "the request matched: job name and a list poll's MaxResults 10"
    );
    let job = &out[0];
    assert_eq!(job.max_concurrent_runs, 2);
    let ids: Vec<_> = job.runs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["jr_new", "jr_odd", "jr_old"]);
    let latest = job.latest_run().unwrap();
    assert_eq!(latest.state, RunState::Failed);
    assert_eq!(
        latest.error_message.as_deref(),
        Some("AnalysisException: Path does not exist: s3://company-raw/orders/")
    );
    assert_eq!(job.runs[1].state, RunState::Unknown("HIBERNATING".into()));
    // The pane counts it and shows the error; the unknown state renders.
    let mut s = state_with_jobs(out, false);
    assert_eq!(s.panes.glue.failed_jobs(), 1);
    common::press(&mut s, &["enter", "j"]);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("HIBERNATING"), "{screen}");
    assert!(screen.contains("AnalysisException"), "{screen}");
}

#[tokio::test]
async fn runs_follow_next_token_until_the_newest_is_known() {
    let jobs = jobs_rule();
    // Page 1 is oldest first with a token: the newest may be on a later page.
    let page1 = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(sdk_run("jr_1", JobRunState::Succeeded, 50))
                .job_runs(sdk_run("jr_2", JobRunState::Succeeded, 40))
                .next_token("page-2")
                .build()
        });
    let page2 = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.next_token() == Some("page-2"))
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(sdk_run("jr_3", JobRunState::Running, 5))
                .build()
        });
    let c = cloud(&[&jobs, &page1, &page2]);
    let out = c.glue_job_runs("etl").await.unwrap();
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
    assert_eq!(out[0].id, "jr_3");
    assert_eq!(out.len(), 3);

    // AWS answers newest first: the first page already has the latest run,
    // so older pages are not fetched on every poll.
    let newest_first = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            GetJobRunsOutput::builder()
                .job_runs(sdk_run("jr_9", JobRunState::Running, 1))
                .job_runs(sdk_run("jr_8", JobRunState::Failed, 30))
                .next_token("older")
                .build()
        });
    let older = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.next_token() == Some("older"))
        .then_output(|| GetJobRunsOutput::builder().build());
    let c = cloud(&[&jobs, &newest_first, &older]);
    let out = c.glue_job_runs("etl").await.unwrap();
    assert_eq!(out[0].id, "jr_9");
    assert_eq!(older.num_calls(), 0);
}

#[tokio::test]
async fn batch_stop_reports_each_runs_error_entry() {
    let stop = mock!(aws_sdk_glue::Client::batch_stop_job_run)
        .match_requests(|r| r.job_name() == Some("etl") && r.job_run_ids() == ["jr_a", "jr_b"])
        .then_output(|| {
            BatchStopJobRunOutput::builder()
                .successful_submissions(
                    BatchStopJobRunSuccessfulSubmission::builder()
                        .job_name("etl")
                        .job_run_id("jr_a")
                        .build(),
                )
                .errors(
                    BatchStopJobRunError::builder()
                        .job_name("etl")
                        .job_run_id("jr_b")
                        .error_detail(
                            ErrorDetail::builder()
                                .error_code("InvalidInputException")
                                .error_message("Job run jr_b is not running")
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    let c = cloud(&[&stop]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let report = gate::execute(
        &c,
        &Journal::at(path.clone()),
        approve(Action::StopGlueRuns {
            job: "etl".into(),
            run_ids: vec!["jr_a".into(), "jr_b".into()],
        }),
    )
    .await;
    assert_eq!(stop.num_calls(), 1);
    assert!(!report.ok, "HTTP 200 with an Errors entry is not success");
    assert!(
        report.summary.contains("stop requested for 1 of 2"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("Job run jr_b is not running"),
        "{}",
        report.summary
    );
    let journal = std::fs::read_to_string(path).unwrap();
    assert!(
        journal
            .lines()
            .nth(1)
            .unwrap()
            .contains("\"result\":\"partial\""),
        "{journal}"
    );
}

#[tokio::test]
async fn concurrent_runs_exceeded_maps_to_the_guard_message() {
    let start = mock!(aws_sdk_glue::Client::start_job_run)
        .match_requests(|r| {
            r.job_name() == Some("etl")
                && r.arguments()
                    .and_then(|a| a.get("--env"))
                    .map(String::as_str)
                    == Some("prod")
        })
        .then_error(|| {
            StartJobRunError::ConcurrentRunsExceededException(
                aws_sdk_glue::types::error::ConcurrentRunsExceededException::builder()
                    .message("Concurrent runs exceeded for etl")
                    .build(),
            )
        });
    let c = cloud(&[&start]);
    let report = gate::execute(
        &c,
        &Journal::disabled(),
        approve(Action::RerunGlueJob {
            job: "etl".into(),
            from_run: "jr_old".into(),
            arguments: BTreeMap::from([("--env".to_string(), "prod".to_string())]),
        }),
    )
    .await;
    assert_eq!(start.num_calls(), 1, "request carried the run's arguments");
    assert!(!report.ok);
    assert_eq!(report.summary, gate::concurrency_message("etl"));
}

#[tokio::test(start_paused = true)]
async fn throttling_shows_throttled_and_the_poller_backs_off() {
    let throttled = mock!(aws_sdk_glue::Client::get_jobs)
        .then_error(|| GetJobsError::generic(generic("ThrottlingException", "Rate exceeded")));
    let c = std::sync::Arc::new(cloud(&[&throttled]));
    let err = c.glue_jobs().await.unwrap_err();
    assert_eq!(
        err,
        CloudError::Throttled {
            op: "glue:GetJobs".into()
        }
    );
    assert_eq!(throttled.num_calls(), 3, "the SDK retried before giving up");

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let poll = PollConfig {
        glue_secs: 10,
        max_backoff_secs: 300,
        ..PollConfig::default()
    };
    let mut fx = Effects::new(c.clone(), Journal::disabled(), poll, tx);
    fx.reconcile(&[(Resource::GlueJobs, true)]);
    let mut waits = Vec::new();
    let mut s = demo_state(false);
    for _ in 0..3 {
        let msg = rx.recv().await.unwrap();
        let Msg::Loaded {
            next_in, result, ..
        } = &msg
        else {
            panic!()
        };
        assert!(result.as_ref().unwrap_err().is_throttle());
        waits.push(next_in.unwrap().as_secs_f64());
        update(&mut s, msg);
    }
    // 10 s base doubles per failure: ~20, ~40, ~80 (±10 % jitter).
    for (w, expect) in waits.iter().zip([20.0, 40.0, 80.0]) {
        assert!((w - expect).abs() <= expect * 0.11, "waits {waits:?}");
    }
    fx.shutdown();
    // The app kept its data and says why it is stale.
    assert_eq!(s.panes.glue.jobs().len(), 8);
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("throttled"), "{screen}");
}

#[tokio::test]
async fn access_denied_names_the_call() {
    let denied = mock!(aws_sdk_glue::Client::get_jobs).then_error(|| {
        GetJobsError::generic(generic(
            "AccessDeniedException",
            "User: arn:aws:sts::111122223333:assumed-role/ReadOnly/me is not authorized to perform: glue:GetJobs",
        ))
    });
    let c = cloud(&[&denied]);
    let err = c.glue_jobs().await.unwrap_err();
    assert!(
        matches!(&err, CloudError::AccessDenied { op, .. } if op == "glue:GetJobs"),
        "{err:?}"
    );
    let mut s = empty_state(false);
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: Err(err),
            next_in: None,
        },
    );
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("may not call glue:GetJobs"), "{screen}");
}

#[tokio::test]
async fn expired_credentials_explain_and_recover_without_restart() {
    let rule = mock!(aws_sdk_glue::Client::get_jobs)
        .sequence()
        .error(|| {
            GetJobsError::generic(generic(
                "ExpiredTokenException",
                "The security token included in the request is expired",
            ))
        })
        .output(|| GetJobsOutput::builder().jobs(sdk_job("etl", 1)).build())
        .build();
    let runs = mock!(aws_sdk_glue::Client::get_job_runs).then_output(|| {
        GetJobRunsOutput::builder()
            .job_runs(sdk_run("jr_1", JobRunState::Succeeded, 5))
            .build()
    });
    let c = cloud(&[&rule, &runs]);
    let mut s = empty_state(false);
    s.conn.profile = "prod-oncall".into();
    let first = c.glue_jobs().await.map(Data::GlueJobs);
    assert!(matches!(
        first,
        Err(CloudError::Credentials {
            problem: CredentialProblem::Expired,
            ..
        })
    ));
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: first,
            next_in: None,
        },
    );
    let screen = text(&render(&s, 100, 30));
    assert!(
        screen.contains("aws sso login --profile prod-oncall"),
        "{screen}"
    );
    // The next poll succeeds: the pane recovers by itself.
    let second = c.glue_jobs().await.map(Data::GlueJobs);
    assert!(second.is_ok());
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: second,
            next_in: None,
        },
    );
    let screen = text(&render(&s, 100, 30));
    assert!(!screen.contains("aws sso login"), "{screen}");
    assert!(screen.contains("etl"), "{screen}");
}

#[tokio::test]
async fn no_credentials_at_all_says_how_to_get_them() {
    // Real clients with no credentials provider: the lookup fails before
    // anything is sent.
    // What aws-config's default chain answers when no provider has
    // credentials.
    let provider = aws_credential_types::provider::SharedCredentialsProvider::new(
        aws_credential_types::credential_fn::provide_credentials_fn(|| async {
            Err(
                aws_credential_types::provider::error::CredentialsError::not_loaded(
                    "no providers in chain provided credentials",
                ),
            )
        }),
    );
    let glue = aws_sdk_glue::Client::from_conf(
        aws_sdk_glue::Config::builder()
            .behavior_version(aws_sdk_glue::config::BehaviorVersion::latest())
            .credentials_provider(provider)
            .region(aws_sdk_glue::config::Region::new("us-east-1"))
            .endpoint_url("http://127.0.0.1:9")
            .build(),
    );
    let c = AwsCloud::from_clients(Clients {
        glue,
        ..mocks::clients()
    });
    let err = c.glue_jobs().await.unwrap_err();
    assert!(
        matches!(
            err,
            CloudError::Credentials {
                problem: CredentialProblem::Missing,
                ..
            }
        ),
        "{err:?}"
    );
    let mut s = empty_state(false);
    s.conn.profile = "default".into();
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::GlueJobs,
            at: now(),
            result: Err(err),
            next_in: None,
        },
    );
    let screen = text(&render(&s, 100, 30));
    assert!(
        screen.contains("No usable AWS credentials found for profile 'default'"),
        "{screen}"
    );
    assert!(screen.contains("pipedeck --demo"), "{screen}");
}
