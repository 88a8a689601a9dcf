//! EMR on the real SDK client with `aws-smithy-mocks`: FAILED steps with
//! FailureDetails, TERMINATED_WITH_ERRORS, a CancelSteps answer with one
//! FAILED entry, throttling — and the filters pipedeck sends.

use crate::common;

use aws_sdk_emr::operation::cancel_steps::CancelStepsOutput;
use aws_sdk_emr::operation::list_clusters::{ListClustersError, ListClustersOutput};
use aws_sdk_emr::operation::list_steps::ListStepsOutput;
use aws_sdk_emr::types::{
    CancelStepsInfo, CancelStepsRequestStatus, ClusterState as SdkClusterState,
    ClusterStateChangeReason, ClusterStateChangeReasonCode, ClusterStatus, ClusterSummary,
    ClusterTimeline, FailureDetails, HadoopStepConfig, StepState as SdkStepState, StepStatus,
    StepSummary, StepTimeline,
};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::error::metadata::ErrorMetadata;
use aws_smithy_types::DateTime as SmithyTime;
use common::*;
use pipedeck::app::{update, Msg, Resource};
use pipedeck::cloud::{CloudError, CloudRead, ClusterState, StepState};
use pipedeck::gate::{self, Action, Journal};
use pipedeck::panes::PaneId;

fn now_s() -> i64 {
    chrono::Utc::now().timestamp()
}

fn summary(
    id: &str,
    name: &str,
    state: SdkClusterState,
    reason: Option<(&str, &str)>,
) -> ClusterSummary {
    let mut status = ClusterStatus::builder().state(state).timeline(
        ClusterTimeline::builder()
            .creation_date_time(SmithyTime::from_secs(now_s() - 7200))
            .build(),
    );
    if let Some((code, msg)) = reason {
        status = status.state_change_reason(
            ClusterStateChangeReason::builder()
                .code(ClusterStateChangeReasonCode::from(code))
                .message(msg)
                .build(),
        );
    }
    ClusterSummary::builder()
        .id(id)
        .name(name)
        .status(status.build())
        .build()
}

fn step(
    id: &str,
    state: SdkStepState,
    started_ago: i64,
    failure: Option<FailureDetails>,
) -> StepSummary {
    let mut status = StepStatus::builder().state(state).timeline(
        StepTimeline::builder()
            .start_date_time(SmithyTime::from_secs(now_s() - started_ago))
            .build(),
    );
    if let Some(f) = failure {
        status = status.failure_details(f);
    }
    StepSummary::builder()
        .id(id)
        .name(format!("step {id}"))
        .config(
            HadoopStepConfig::builder()
                .jar("command-runner.jar")
                .args("spark-submit")
                .args("job.py")
                .build(),
        )
        .status(status.build())
        .build()
}

fn active_rule() -> Rule {
    mock!(aws_sdk_emr::Client::list_clusters)
        .match_requests(|r| {
            r.cluster_states().contains(&SdkClusterState::Waiting)
                && !r.cluster_states().contains(&SdkClusterState::Terminated)
                && r.created_after().is_none()
        })
        .then_output(|| {
            ListClustersOutput::builder()
                .clusters(summary(
                    "j-ACTIVE",
                    "prod-spark",
                    SdkClusterState::Waiting,
                    None,
                ))
                .build()
        })
}

fn ended_rule() -> Rule {
    mock!(aws_sdk_emr::Client::list_clusters)
        .match_requests(|r| {
            let week = 7 * 86_400;
            r.cluster_states()
                == [
                    SdkClusterState::Terminated,
                    SdkClusterState::TerminatedWithErrors,
                ]
                && r.created_after()
                    .is_some_and(|t| (t.secs() - (now_s() - week)).abs() < 600)
        })
        .then_output(|| {
            ListClustersOutput::builder()
                .clusters(summary(
                    "j-DIED",
                    "daily-pipeline-1",
                    SdkClusterState::TerminatedWithErrors,
                    Some(("STEP_FAILURE", "Shut down as step failed")),
                ))
                .build()
        })
}

fn steps_rule() -> Rule {
    mock!(aws_sdk_emr::Client::list_steps)
        .match_requests(|r| r.cluster_id() == Some("j-DIED"))
        .then_output(|| {
            ListStepsOutput::builder()
                .steps(step(
                    "s-FAILED",
                    SdkStepState::Failed,
                    600,
                    Some(
                        FailureDetails::builder()
                            .reason("Unknown Error.")
                            .message("java.io.FileNotFoundException: s3://lake/part-00003.parquet")
                            .log_file("s3://logs/j-DIED/steps/s-FAILED/stderr.gz")
                            .build(),
                    ),
                ))
                .steps(step("s-OLD", SdkStepState::Completed, 3600, None))
                .steps(step(
                    "s-ODD",
                    SdkStepState::from("PAUSED_FOR_REVIEW"),
                    1800,
                    None,
                ))
                .build()
        })
}

fn no_steps_rule() -> Rule {
    mock!(aws_sdk_emr::Client::list_steps)
        .match_requests(|r| r.cluster_id() == Some("j-ACTIVE"))
        .then_output(|| ListStepsOutput::builder().build())
}

#[tokio::test]
async fn failed_step_details_and_terminated_with_errors() {
    let (active, ended, steps, none) = (active_rule(), ended_rule(), steps_rule(), no_steps_rule());
    let cloud = mocks::cloud(&[], &[&active, &ended, &steps, &none]);
    let clusters = cloud.emr_clusters().await.unwrap();
    assert_eq!(
        (active.num_calls(), ended.num_calls()),
        (1, 1),
        "active states without a date, ended states since 7 days ago"
    );
    assert_eq!(clusters.len(), 2);
    let died = clusters.iter().find(|c| c.id == "j-DIED").unwrap();
    assert_eq!(died.state, ClusterState::TerminatedWithErrors);
    assert_eq!(died.state_code.as_deref(), Some("STEP_FAILURE"));
    assert_eq!(
        died.state_reason.as_deref(),
        Some("Shut down as step failed")
    );
    let ids: Vec<_> = died.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s-FAILED", "s-ODD", "s-OLD"], "newest first");
    let failed = &died.steps[0];
    assert_eq!(failed.state, StepState::Failed);
    let f = failed.failure.as_ref().unwrap();
    assert_eq!(f.reason.as_deref(), Some("Unknown Error."));
    assert_eq!(
        f.log_file.as_deref(),
        Some("s3://logs/j-DIED/steps/s-FAILED/stderr.gz")
    );
    assert_eq!(failed.args, ["spark-submit", "job.py"]);
    assert_eq!(
        died.steps[1].state,
        StepState::Unknown("PAUSED_FOR_REVIEW".into())
    );

    // On screen: failing cluster first, then the step's detail with the log.
    let mut s = empty_state(false);
    update(
        &mut s,
        loaded(
            Resource::EmrClusters,
            pipedeck::app::Data::EmrClusters(clusters),
        ),
    );
    goto(&mut s, PaneId::Emr);
    assert_eq!(s.panes.emr.visible_clusters().next().unwrap().id, "j-DIED");
    press(&mut s, &["enter", "enter"]);
    let screen = text(&render(&s, 120, 40));
    assert!(screen.contains("FileNotFoundException"), "{screen}");
    assert!(
        screen.contains("s3://logs/j-DIED/steps/s-FAILED/stderr.gz"),
        "{screen}"
    );
}

#[tokio::test]
async fn list_clusters_follows_the_marker() {
    let page1 = mock!(aws_sdk_emr::Client::list_clusters)
        .match_requests(|r| r.marker().is_none() && r.created_after().is_none())
        .then_output(|| {
            ListClustersOutput::builder()
                .clusters(summary("j-1", "a", SdkClusterState::Running, None))
                .marker("next-page")
                .build()
        });
    let page2 = mock!(aws_sdk_emr::Client::list_clusters)
        .match_requests(|r| r.marker() == Some("next-page"))
        .then_output(|| {
            ListClustersOutput::builder()
                .clusters(summary("j-2", "b", SdkClusterState::Waiting, None))
                .build()
        });
    let ended = mock!(aws_sdk_emr::Client::list_clusters)
        .match_requests(|r| r.created_after().is_some())
        .then_output(|| ListClustersOutput::builder().build());
    let steps =
        mock!(aws_sdk_emr::Client::list_steps).then_output(|| ListStepsOutput::builder().build());
    let cloud = mocks::cloud(&[], &[&page1, &page2, &ended, &steps]);
    let clusters = cloud.emr_clusters().await.unwrap();
    let ids: Vec<_> = clusters.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["j-1", "j-2"]);
    assert_eq!(page2.num_calls(), 1);
}

#[tokio::test]
async fn cancel_steps_reports_the_failed_entry() {
    let cancel = mock!(aws_sdk_emr::Client::cancel_steps)
        .match_requests(|r| r.cluster_id() == Some("j-ACTIVE") && r.step_ids() == ["s-1", "s-2"])
        .then_output(|| {
            CancelStepsOutput::builder()
                .cancel_steps_info_list(
                    CancelStepsInfo::builder()
                        .step_id("s-1")
                        .status(CancelStepsRequestStatus::Submitted)
                        .build(),
                )
                .cancel_steps_info_list(
                    CancelStepsInfo::builder()
                        .step_id("s-2")
                        .status(CancelStepsRequestStatus::Failed)
                        .reason("Step s-2 is in COMPLETED state and cannot be cancelled")
                        .build(),
                )
                .build()
        });
    let cloud = mocks::cloud(&[], &[&cancel]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let report = gate::execute(
        &cloud,
        &Journal::at(path.clone()),
        approve(Action::CancelEmrSteps {
            cluster_id: "j-ACTIVE".into(),
            cluster_name: "prod-spark".into(),
            step_ids: vec!["s-1".into(), "s-2".into()],
            step_names: vec!["a".into(), "b".into()],
        }),
    )
    .await;
    assert_eq!(cancel.num_calls(), 1);
    assert!(!report.ok, "a 200 with a FAILED entry is not success");
    assert!(report.summary.contains("1 of 2"), "{}", report.summary);
    assert!(
        report.summary.contains("COMPLETED state"),
        "{}",
        report.summary
    );
    let journal = std::fs::read_to_string(path).unwrap();
    let lines: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[0]["detail"],
        "CancelSteps on j-ACTIVE: s-1 (a), s-2 (b)"
    );
    assert_eq!(lines[1]["result"], "partial");
}

#[tokio::test]
async fn throttled_list_clusters_is_shown_not_fatal() {
    let throttled = mock!(aws_sdk_emr::Client::list_clusters).then_error(|| {
        ListClustersError::generic(
            ErrorMetadata::builder()
                .code("ThrottlingException")
                .message("Rate exceeded")
                .build(),
        )
    });
    let cloud = mocks::cloud(&[], &[&throttled]);
    let err = cloud.emr_clusters().await.unwrap_err();
    assert_eq!(
        err,
        CloudError::Throttled {
            op: "elasticmapreduce:ListClusters".into()
        }
    );
    assert!(throttled.num_calls() >= 3, "the SDK retried");
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Emr);
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::EmrClusters,
            at: now(),
            result: Err(err),
            next_in: Some(std::time::Duration::from_secs(120)),
        },
    );
    assert_eq!(s.panes.emr.clusters().len(), 4, "the last data stays");
    let screen = text(&render(&s, 100, 30));
    assert!(screen.contains("throttled"), "{screen}");
    assert!(screen.contains("next in 2m 00s"), "{screen}");
}

#[tokio::test]
async fn a_non_aws_error_page_is_described_not_unknown() {
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    // What moto answers for an API it does not implement.
    let html = mock!(aws_sdk_emr::Client::cancel_steps).then_http_response(|| {
        HttpResponse::new(
            StatusCode::try_from(500).unwrap(),
            SdkBody::from("<!doctype html><title>500 Internal Server Error</title>"),
        )
    });
    let cloud = mocks::cloud(&[], &[&html]);
    let report = gate::execute(
        &cloud,
        &Journal::disabled(),
        approve(Action::CancelEmrSteps {
            cluster_id: "j-1".into(),
            cluster_name: "c".into(),
            step_ids: vec!["s-1".into()],
            step_names: vec!["x".into()],
        }),
    )
    .await;
    assert!(!report.ok);
    assert!(report.summary.contains("HTTP 500"), "{}", report.summary);
    assert!(
        report.summary.contains("without an AWS error code"),
        "{}",
        report.summary
    );
}
