//! The gate's token approves one action, not any: a mutating call whose
//! operation, resource or parameters differ from what was confirmed is
//! refused before anything is sent — on the real SDK clients and the demo.

use crate::common;

use aws_sdk_glue::operation::batch_stop_job_run::BatchStopJobRunOutput;
use aws_sdk_glue::operation::start_job_run::StartJobRunOutput;
use aws_smithy_mocks::mock;
use common::*;
use pipedeck::cloud::demo::{Clock, DemoCloud};
use pipedeck::cloud::{CloudError, CloudMutate};
use pipedeck::gate::Action;
use std::collections::BTreeMap;

fn rerun(job: &str, env: &str) -> Action {
    Action::RerunGlueJob {
        job: job.into(),
        from_run: "jr_1".into(),
        arguments: [("--env".to_string(), env.to_string())]
            .into_iter()
            .collect(),
    }
}

fn refused<T: std::fmt::Debug>(r: Result<T, CloudError>) {
    match r {
        Err(CloudError::NotApproved { message }) => {
            assert!(message.contains("glue.rerun"), "{message}")
        }
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn a_token_for_one_rerun_sends_nothing_for_another_call() {
    let start = mock!(aws_sdk_glue::Client::start_job_run)
        .then_output(|| StartJobRunOutput::builder().job_run_id("jr_new").build());
    let stop = mock!(aws_sdk_glue::Client::batch_stop_job_run)
        .then_output(|| BatchStopJobRunOutput::builder().build());
    let cloud = mocks::cloud(&[&start, &stop], &[]);
    let token = approve(rerun("etl", "prod"));
    let prod: BTreeMap<String, String> = [("--env".to_string(), "prod".to_string())]
        .into_iter()
        .collect();
    let test_env: BTreeMap<String, String> = [("--env".to_string(), "test".to_string())]
        .into_iter()
        .collect();
    // Another job, other arguments, another operation: refused, unsent.
    refused(cloud.start_job_run(&token, "other-job", &prod).await);
    refused(cloud.start_job_run(&token, "etl", &test_env).await);
    refused(cloud.stop_job_runs(&token, "etl", &["jr_1".into()]).await);
    refused(cloud.purge_queue(&token, "https://sqs/q").await);
    refused(cloud.cancel_steps(&token, "j-1", &["s-1".into()]).await);
    assert_eq!(start.num_calls(), 0);
    assert_eq!(stop.num_calls(), 0);
    // The call it was minted for goes through.
    assert_eq!(
        cloud.start_job_run(&token, "etl", &prod).await.unwrap(),
        "jr_new"
    );
    assert_eq!(start.num_calls(), 1);
}

#[tokio::test]
async fn the_demo_account_checks_the_token_too() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let token = approve(rerun("dq-orders-silver", "prod"));
    refused(
        demo.stop_job_runs(&token, "generic-etl-job", &["jr_x".into()])
            .await,
    );
    refused(
        demo.set_alarm_actions(&token, &["pipeline-events-DLQ-not-empty".into()], false)
            .await,
    );
    let outcome = demo
        .client_redrive(
            &token,
            &pipedeck::cloud::RedrivePlan {
                dlq_url: "mem://123456789012/pipeline-events-dlq".into(),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(outcome.moved, 0);
    assert!(
        outcome
            .stopped
            .as_deref()
            .unwrap_or("")
            .contains("not approved"),
        "{outcome:?}"
    );
}

#[test]
fn the_token_carries_the_action_the_dialog_asked_about() {
    // That nothing can swap the action in between is a compile-time fact,
    // kept by the `compile_fail` doc tests on `PendingConfirm` and
    // `Approved`; this checks the flow hands the same action on.
    let mut s = demo_state(false);
    press(&mut s, &["/"]);
    type_text(&mut s, "dq");
    press(&mut s, &["enter", "R"]);
    let Some(pipedeck::app::Overlay::Confirm(p)) = &s.overlay else {
        panic!("{:?}", s.flash)
    };
    let asked = p.action().clone();
    let fx = press(&mut s, &["y"]);
    let Some(pipedeck::app::Effect::Execute(token)) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(token.action(), &asked);
}
