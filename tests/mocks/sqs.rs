//! SQS on the real SDK client with `aws-smithy-mocks`, asserting what is
//! sent as well as what is made of the answers: ListQueues paging with
//! MaxResults, a second move task refused, throttling. The client-side
//! redrive's are in aws_mocks_sqs_redrive.rs.

use crate::common;

use aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput;
use aws_sdk_sqs::operation::list_message_move_tasks::ListMessageMoveTasksOutput;
use aws_sdk_sqs::operation::list_queues::{ListQueuesError, ListQueuesOutput};
use aws_sdk_sqs::operation::start_message_move_task::StartMessageMoveTaskError;
use aws_sdk_sqs::types::{ListMessageMoveTasksResultEntry, QueueAttributeName};
use aws_smithy_mocks::mock;
use aws_smithy_types::error::metadata::ErrorMetadata;
use common::*;
use pipedeck::cloud::{CloudError, CloudRead};
use pipedeck::gate::{self, Action, Journal};
use std::collections::HashMap;

const ACCOUNT: &str = "111122223333";

fn url(name: &str) -> String {
    format!("https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/{name}")
}

fn arn(name: &str) -> String {
    format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:{name}")
}

fn attributes(name: &str) -> GetQueueAttributesOutput {
    let mut a = HashMap::from([
        (QueueAttributeName::QueueArn, arn(name)),
        (
            QueueAttributeName::ApproximateNumberOfMessages,
            "0".to_string(),
        ),
        (
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
            "0".to_string(),
        ),
        (
            QueueAttributeName::ApproximateNumberOfMessagesDelayed,
            "0".to_string(),
        ),
    ]);
    match name {
        "orders" | "returns" => {
            a.insert(
                QueueAttributeName::RedrivePolicy,
                // One policy writes the count as a string, like boto3 examples.
                if name == "orders" {
                    format!(
                        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
                        arn("shared-dlq")
                    )
                } else {
                    format!(
                        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":"5"}}"#,
                        arn("shared-dlq")
                    )
                },
            );
        }
        "shared-dlq" => {
            a.insert(
                QueueAttributeName::ApproximateNumberOfMessages,
                "12".to_string(),
            );
        }
        _ => {}
    }
    GetQueueAttributesOutput::builder()
        .set_attributes(Some(a))
        .build()
}

#[tokio::test]
async fn list_queues_sends_max_results_and_follows_next_token() {
    let page1 = mock!(aws_sdk_sqs::Client::list_queues)
        .match_requests(|r| r.max_results() == Some(1000) && r.next_token().is_none())
        .then_output(|| {
            ListQueuesOutput::builder()
                .queue_urls(url("orders"))
                .queue_urls(url("shared-dlq"))
                .next_token("page-2")
                .build()
        });
    let page2 = mock!(aws_sdk_sqs::Client::list_queues)
        .match_requests(|r| r.max_results() == Some(1000) && r.next_token() == Some("page-2"))
        .then_output(|| {
            ListQueuesOutput::builder()
                .queue_urls(url("returns"))
                .build()
        });
    let attrs = mock!(aws_sdk_sqs::Client::get_queue_attributes).then_compute_output(|r| {
        let name = r
            .queue_url()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        attributes(&name)
    });
    let tasks = mock!(aws_sdk_sqs::Client::list_message_move_tasks)
        .match_requests(|r| {
            r.source_arn() == Some(arn("shared-dlq").as_str()) && r.max_results() == Some(1)
        })
        .then_output(|| {
            ListMessageMoveTasksOutput::builder()
                .results(
                    ListMessageMoveTasksResultEntry::builder()
                        .status("FAILED")
                        .approximate_number_of_messages_moved(4)
                        .approximate_number_of_messages_to_move(12)
                        .failure_reason("AWS.SimpleQueueService.NonExistentQueue")
                        .build(),
                )
                .build()
        });
    let cloud = mocks::sqs_cloud(&[&page1, &page2, &attrs, &tasks], &[]);
    let dlqs = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(page1.num_calls(), 1);
    assert_eq!(page2.num_calls(), 1, "the second page was fetched");
    assert_eq!(dlqs.len(), 1, "{dlqs:?}");
    let d = &dlqs[0];
    assert_eq!(d.name, "shared-dlq");
    assert_eq!(d.visible, 12);
    let sources: Vec<(&str, Option<u32>)> = d
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.max_receive_count))
        .collect();
    assert_eq!(sources, [("orders", Some(3)), ("returns", Some(5))]);
    let t = d.move_task.as_ref().unwrap();
    assert_eq!(
        (t.status.as_str(), t.moved, t.to_move),
        ("FAILED", 4, Some(12))
    );
    assert!(!t.is_active());
    assert_eq!(
        t.failure_reason.as_deref(),
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );

    // The next refresh lists again but reads only the DLQ's attributes:
    // RedrivePolicies are re-read in a full pass every few minutes or when
    // the queue list changes.
    assert_eq!(attrs.num_calls(), 3);
    let again = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(page1.num_calls(), 2);
    assert_eq!(attrs.num_calls(), 4, "one GetQueueAttributes, for the DLQ");
    assert_eq!(again, dlqs, "same answer from fewer calls");
}

#[tokio::test]
async fn a_queue_deleted_after_listing_is_skipped() {
    let list = mock!(aws_sdk_sqs::Client::list_queues).then_output(|| {
        ListQueuesOutput::builder()
            .queue_urls(url("orders"))
            .queue_urls(url("gone"))
            .queue_urls(url("shared-dlq"))
            .build()
    });
    let gone = mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .match_requests(|r| r.queue_url() == Some(url("gone").as_str()))
        .then_error(|| {
            aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesError::generic(
                ErrorMetadata::builder()
                    .code("AWS.SimpleQueueService.NonExistentQueue")
                    .message("The specified queue does not exist.")
                    .build(),
            )
        });
    let attrs = mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .then_compute_output(|r| attributes(r.queue_url().unwrap().rsplit('/').next().unwrap()));
    let tasks = mock!(aws_sdk_sqs::Client::list_message_move_tasks)
        .then_output(|| ListMessageMoveTasksOutput::builder().build());
    let cloud = mocks::sqs_cloud(&[&list, &gone, &attrs, &tasks], &[]);
    let dlqs = cloud.dlqs(&[]).await.unwrap();
    assert_eq!(gone.num_calls(), 1);
    assert_eq!(dlqs.len(), 1);
    assert_eq!(dlqs[0].name, "shared-dlq");
}

#[tokio::test]
async fn list_queues_throttled_is_reported_as_throttling() {
    let throttled = mock!(aws_sdk_sqs::Client::list_queues).then_error(|| {
        ListQueuesError::generic(
            ErrorMetadata::builder()
                .code("RequestThrottled")
                .message("Rate exceeded")
                .build(),
        )
    });
    let cloud = mocks::sqs_cloud(&[&throttled], &[]);
    let err = cloud.dlqs(&[]).await.unwrap_err();
    assert_eq!(
        err,
        CloudError::Throttled {
            op: "sqs:ListQueues".into()
        }
    );
    assert!(throttled.num_calls() >= 3, "the SDK retried");
}

#[tokio::test]
async fn a_second_purge_within_a_minute_says_so() {
    let purge = mock!(aws_sdk_sqs::Client::purge_queue)
        .match_requests(|r| r.queue_url() == Some(url("orders-dlq").as_str()))
        .then_error(|| {
            aws_sdk_sqs::operation::purge_queue::PurgeQueueError::generic(
                ErrorMetadata::builder()
                    .code("AWS.SimpleQueueService.PurgeQueueInProgress")
                    .message(
                        "Only one PurgeQueue operation on orders-dlq is allowed every 60 seconds.",
                    )
                    .build(),
            )
        });
    let cloud = mocks::sqs_cloud(&[&purge], &[]);
    let report = gate::execute(
        &cloud,
        &Journal::at(tempfile::tempdir().unwrap().keep().join("j.jsonl")),
        approve(Action::PurgeDlq {
            queue: "orders-dlq".into(),
            url: url("orders-dlq"),
            count: 9,
        }),
    )
    .await;
    assert!(!report.ok);
    assert!(
        report.summary.contains("purged less than 60 seconds ago")
            && report.summary.contains("one purge per minute"),
        "{}",
        report.summary
    );
}

#[tokio::test]
async fn a_second_move_task_is_refused_while_one_runs() {
    let start = mock!(aws_sdk_sqs::Client::start_message_move_task)
        .match_requests(|r| {
            r.source_arn() == Some(arn("orders-dlq").as_str())
                && r.destination_arn().is_none()
                && r.max_number_of_messages_per_second() == Some(10)
        })
        .then_error(|| {
            StartMessageMoveTaskError::generic(
                ErrorMetadata::builder()
                    .code("InvalidParameterValue")
                    .message("There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
                    .build(),
            )
        });
    let cloud = mocks::sqs_cloud(&[&start], &[]);
    let report = gate::execute(
        &cloud,
        &Journal::at(tempfile::tempdir().unwrap().keep().join("j.jsonl")),
        approve(Action::RedriveDlq {
            queue: "orders-dlq".into(),
            dlq_arn: arn("orders-dlq"),
            count: 5,
            sources: vec!["orders".into()],
            destination: None,
            max_per_second: Some(10),
        }),
    )
    .await;
    assert_eq!(start.num_calls(), 1, "a rejection is not retried");
    assert!(!report.ok);
    assert!(
        report.summary.contains("redrive of orders-dlq not started")
            && report.summary.contains("already a task running"),
        "{}",
        report.summary
    );
}
