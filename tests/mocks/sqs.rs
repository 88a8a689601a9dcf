//! SQS on the real SDK client with `aws-smithy-mocks`, asserting what is
//! sent as well as what is made of the answers: ListQueues paging with
//! MaxResults, partial SendMessageBatch / DeleteMessageBatch failures in a
//! client-side redrive, a second move task refused, throttling.

use crate::common;

use aws_sdk_sqs::operation::change_message_visibility_batch::ChangeMessageVisibilityBatchOutput;
use aws_sdk_sqs::operation::delete_message_batch::DeleteMessageBatchOutput;
use aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput;
use aws_sdk_sqs::operation::list_message_move_tasks::ListMessageMoveTasksOutput;
use aws_sdk_sqs::operation::list_queues::{ListQueuesError, ListQueuesOutput};
use aws_sdk_sqs::operation::receive_message::ReceiveMessageOutput;
use aws_sdk_sqs::operation::send_message_batch::SendMessageBatchOutput;
use aws_sdk_sqs::operation::start_message_move_task::StartMessageMoveTaskError;
use aws_sdk_sqs::types::{
    BatchResultErrorEntry, DeleteMessageBatchResultEntry, ListMessageMoveTasksResultEntry, Message,
    MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName,
    SendMessageBatchResultEntry,
};
use aws_smithy_mocks::mock;
use aws_smithy_types::error::metadata::ErrorMetadata;
use common::*;
use pipedeck::cloud::sqs::redrive::Destination;
use pipedeck::cloud::{CloudError, CloudRead, RedrivePlan};
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

fn dlq_message(i: usize) -> Message {
    Message::builder()
        .message_id(format!("m{i}"))
        .receipt_handle(format!("rh{i}"))
        .body(format!(r#"{{"order":{i}}}"#))
        .attributes(
            MessageSystemAttributeName::DeadLetterQueueSourceArn,
            arn("orders"),
        )
        .message_attributes(
            "source_table",
            MessageAttributeValue::builder()
                .data_type("String")
                .string_value("orders")
                .build()
                .unwrap(),
        )
        .build()
}

/// Three messages once, then empty receives.
fn receive_three() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_sqs::Client::receive_message)
        .sequence()
        .output(|| {
            ReceiveMessageOutput::builder()
                .messages(dlq_message(0))
                .messages(dlq_message(1))
                .messages(dlq_message(2))
                .build()
        })
        .output(|| ReceiveMessageOutput::builder().build())
        .repeatedly()
        .build()
}

fn release_ok() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_sqs::Client::change_message_visibility_batch).then_output(|| {
        ChangeMessageVisibilityBatchOutput::builder()
            .set_successful(Some(vec![]))
            .set_failed(Some(vec![]))
            .build()
            .unwrap()
    })
}

fn plan() -> RedrivePlan {
    RedrivePlan {
        dlq_url: url("orders-dlq"),
        fifo: false,
        destination: Destination::BySource {
            urls: [(arn("orders"), url("orders"))].into(),
            fallback: None,
        },
        only: None,
        action_id: String::new(),
    }
}

async fn redrive(cloud: &pipedeck::cloud::aws::AwsCloud) -> (gate::ActionReport, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let report = gate::execute(
        cloud,
        &Journal::at(path.clone()),
        approve(Action::ClientRedrive {
            queue: "orders-dlq".into(),
            count: 3,
            destination: "orders".into(),
            plan: plan(),
        }),
    )
    .await;
    (report, std::fs::read_to_string(path).unwrap())
}

#[tokio::test]
async fn a_failed_send_entry_stays_in_the_dlq_and_is_reported() {
    let receive = receive_three();
    let send = mock!(aws_sdk_sqs::Client::send_message_batch)
        .match_requests(|r| {
            // Body and attributes are copied, to the message's source.
            r.queue_url() == Some(url("orders").as_str())
                && r.entries().len() == 3
                && r.entries()[1].message_body() == r#"{"order":1}"#
                && r.entries()[1]
                    .message_attributes()
                    .and_then(|a| a.get("source_table"))
                    .and_then(|v| v.string_value())
                    == Some("orders")
        })
        .then_output(|| {
            SendMessageBatchOutput::builder()
                .successful(
                    SendMessageBatchResultEntry::builder()
                        .id("0")
                        .message_id("n0")
                        .md5_of_message_body("x")
                        .build()
                        .unwrap(),
                )
                .successful(
                    SendMessageBatchResultEntry::builder()
                        .id("2")
                        .message_id("n2")
                        .md5_of_message_body("x")
                        .build()
                        .unwrap(),
                )
                .failed(
                    BatchResultErrorEntry::builder()
                        .id("1")
                        .code("KMS.AccessDeniedException")
                        .sender_fault(true)
                        .message("not allowed to use the key")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
    // Only the two sent messages are deleted.
    let delete = mock!(aws_sdk_sqs::Client::delete_message_batch)
        .match_requests(|r| {
            let handles: Vec<&str> = r.entries().iter().map(|e| e.receipt_handle()).collect();
            handles == ["rh0", "rh2"]
        })
        .then_output(|| {
            DeleteMessageBatchOutput::builder()
                .set_failed(Some(vec![]))
                .successful(
                    DeleteMessageBatchResultEntry::builder()
                        .id("0")
                        .build()
                        .unwrap(),
                )
                .successful(
                    DeleteMessageBatchResultEntry::builder()
                        .id("2")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
    // The failed one is released at once (visibility 0), not deleted.
    let release = mock!(aws_sdk_sqs::Client::change_message_visibility_batch)
        .match_requests(|r| {
            r.entries().len() == 1
                && r.entries()[0].receipt_handle() == "rh1"
                && r.entries()[0].visibility_timeout() == Some(0)
        })
        .then_output(|| {
            ChangeMessageVisibilityBatchOutput::builder()
                .set_successful(Some(vec![]))
                .set_failed(Some(vec![]))
                .build()
                .unwrap()
        });
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &release], &[]);
    let (report, journal) = redrive(&cloud).await;
    assert_eq!(send.num_calls(), 1);
    assert_eq!(
        delete.num_calls(),
        1,
        "delete called with exactly the sent ones"
    );
    assert_eq!(release.num_calls(), 1);
    assert!(!report.ok);
    assert!(report.summary.contains("moved 2"), "{}", report.summary);
    assert!(
        report
            .summary
            .contains("1 failed to send (left in the DLQ)"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("KMS.AccessDeniedException"),
        "{}",
        report.summary
    );
    assert!(journal.contains("\"result\":\"partial\""), "{journal}");
}

#[tokio::test]
async fn a_failed_delete_entry_is_reported_as_in_both_queues() {
    let receive = receive_three();
    let send = mock!(aws_sdk_sqs::Client::send_message_batch).then_compute_output(|r| {
        let mut out = SendMessageBatchOutput::builder().set_failed(Some(vec![]));
        for e in r.entries() {
            out = out.successful(
                SendMessageBatchResultEntry::builder()
                    .id(e.id())
                    .message_id("n")
                    .md5_of_message_body("x")
                    .build()
                    .unwrap(),
            );
        }
        out.build().unwrap()
    });
    let delete = mock!(aws_sdk_sqs::Client::delete_message_batch).then_output(|| {
        DeleteMessageBatchOutput::builder()
            .successful(
                DeleteMessageBatchResultEntry::builder()
                    .id("0")
                    .build()
                    .unwrap(),
            )
            .successful(
                DeleteMessageBatchResultEntry::builder()
                    .id("1")
                    .build()
                    .unwrap(),
            )
            .failed(
                BatchResultErrorEntry::builder()
                    .id("2")
                    .code("ReceiptHandleIsInvalid")
                    .sender_fault(true)
                    .message("expired")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    });
    let release = release_ok();
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &release], &[]);
    let (report, _) = redrive(&cloud).await;
    assert!(report.summary.contains("moved 2"), "{}", report.summary);
    assert!(
        report
            .summary
            .contains("1 sent but not deleted (now in both queues)"),
        "{}",
        report.summary
    );
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
