//! Move tasks are read where they can matter: a DLQ holding messages, or
//! one whose last known task was still going; an empty DLQ keeps the task
//! it was last seen with (a finished task never changes), or none when
//! nothing was read yet — one call fewer per empty DLQ per poll, the first
//! one included, and most DLQs of a big account are empty.

use crate::common;

use aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput;
use aws_sdk_sqs::operation::list_message_move_tasks::ListMessageMoveTasksOutput;
use aws_sdk_sqs::operation::list_queues::ListQueuesOutput;
use aws_sdk_sqs::operation::start_message_move_task::StartMessageMoveTaskOutput;
use aws_sdk_sqs::types::{ListMessageMoveTasksResultEntry, QueueAttributeName as Attr};
use aws_smithy_mocks::{mock, Rule};
use common::mocks;
use pipedeck::cloud::CloudRead;
use pipedeck::gate::{self, Action, Journal};
use std::collections::HashMap;

fn arn(name: &str) -> String {
    format!("arn:aws:sqs:eu-west-1:111122223333:{name}")
}

fn attributes(name: &str) -> GetQueueAttributesOutput {
    let waiting = if name == "full-dlq" { "12" } else { "0" };
    let mut a = HashMap::from([
        (Attr::QueueArn, arn(name)),
        (Attr::ApproximateNumberOfMessages, waiting.to_string()),
        (Attr::ApproximateNumberOfMessagesNotVisible, "0".to_string()),
        (Attr::ApproximateNumberOfMessagesDelayed, "0".to_string()),
    ]);
    let dlq = match name {
        "orders" => Some("full-dlq"),
        "billing" => Some("empty-dlq"),
        _ => None,
    };
    if let Some(dlq) = dlq {
        a.insert(
            Attr::RedrivePolicy,
            format!(
                r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
                arn(dlq)
            ),
        );
    }
    GetQueueAttributesOutput::builder()
        .set_attributes(Some(a))
        .build()
}

fn tasks_of(dlq: &'static str) -> Rule {
    mock!(aws_sdk_sqs::Client::list_message_move_tasks)
        .match_requests(move |r| r.source_arn() == Some(arn(dlq).as_str()))
        .then_output(|| {
            ListMessageMoveTasksOutput::builder()
                .results(
                    ListMessageMoveTasksResultEntry::builder()
                        .status("COMPLETED")
                        .approximate_number_of_messages_moved(7)
                        .build(),
                )
                .build()
        })
}

#[tokio::test]
async fn an_empty_dlq_is_not_asked_for_its_task_and_one_holding_messages_is() {
    let list = mock!(aws_sdk_sqs::Client::list_queues).then_output(|| {
        let url = |n: &str| format!("https://sqs.eu-west-1.amazonaws.com/111122223333/{n}");
        ListQueuesOutput::builder()
            .queue_urls(url("billing"))
            .queue_urls(url("empty-dlq"))
            .queue_urls(url("full-dlq"))
            .queue_urls(url("orders"))
            .build()
    });
    let attrs = mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .then_compute_output(|r| attributes(r.queue_url().unwrap().rsplit('/').next().unwrap()));
    let full = tasks_of("full-dlq");
    let empty = tasks_of("empty-dlq");
    let cloud = mocks::sqs_cloud(&[&list, &attrs, &full, &empty], &[]);
    let first = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(
        (full.num_calls(), empty.num_calls()),
        (1, 0),
        "first read: only the DLQ holding messages"
    );
    let empty_dlq = first.iter().find(|d| d.name == "empty-dlq").unwrap();
    assert_eq!(empty_dlq.move_task, None, "nothing read, nothing shown");
    let again = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(full.num_calls(), 2, "a DLQ holding messages: every poll");
    assert_eq!(empty.num_calls(), 0, "an empty one: still not asked");
    assert_eq!(again, first, "and shown the same");
    let kept = again.iter().find(|d| d.name == "full-dlq").unwrap();
    assert_eq!(kept.move_task.as_ref().unwrap().moved, 7);
}

#[tokio::test]
async fn an_empty_dlq_whose_redrive_pipedeck_started_is_asked_until_it_ends() {
    let list = mock!(aws_sdk_sqs::Client::list_queues).then_output(|| {
        let url = |n: &str| format!("https://sqs.eu-west-1.amazonaws.com/111122223333/{n}");
        ListQueuesOutput::builder()
            .queue_urls(url("billing"))
            .queue_urls(url("empty-dlq"))
            .build()
    });
    let attrs = mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .then_compute_output(|r| attributes(r.queue_url().unwrap().rsplit('/').next().unwrap()));
    let start = mock!(aws_sdk_sqs::Client::start_message_move_task).then_output(|| {
        StartMessageMoveTaskOutput::builder()
            .task_handle("h-1")
            .build()
    });
    let empty = tasks_of("empty-dlq");
    let cloud = mocks::sqs_cloud(&[&list, &attrs, &start, &empty], &[]);
    cloud.dlqs(&[]).await.unwrap();
    assert_eq!(empty.num_calls(), 0, "empty, nothing known: not asked");
    // The counters lag: right after a redrive starts the DLQ may read 0.
    let report = gate::execute(
        &cloud,
        &Journal::at(tempfile::tempdir().unwrap().keep().join("j.jsonl")),
        common::approve(Action::RedriveDlq {
            queue: "empty-dlq".into(),
            dlq_arn: arn("empty-dlq"),
            count: 3,
            sources: vec!["billing".into()],
            destination: None,
            max_per_second: None,
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    let read = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(empty.num_calls(), 1, "a task it started: asked");
    let shown = read.iter().find(|d| d.name == "empty-dlq").unwrap();
    assert_eq!(shown.move_task.as_ref().unwrap().status, "COMPLETED");
    cloud.dlqs(&[]).await.unwrap();
    assert_eq!(
        empty.num_calls(),
        1,
        "seen completed: kept, not asked again"
    );
}
