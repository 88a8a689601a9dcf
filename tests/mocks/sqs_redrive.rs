//! The client-side redrive on the real SDK client with `aws-smithy-mocks`,
//! asserting what is sent: partial SendMessageBatch / DeleteMessageBatch
//! failures; batches split by the bytes SQS counts (a binary attribute's
//! own bytes, 1 MiB a batch); a message larger than the destination's
//! MaximumMessageSize (GetQueueAttributes) refused before sending and never
//! deleted from the DLQ.

use crate::common;

use aws_sdk_sqs::operation::change_message_visibility_batch::ChangeMessageVisibilityBatchOutput;
use aws_sdk_sqs::operation::delete_message_batch::DeleteMessageBatchOutput;
use aws_sdk_sqs::operation::get_queue_attributes::GetQueueAttributesOutput;
use aws_sdk_sqs::operation::receive_message::ReceiveMessageOutput;
use aws_sdk_sqs::operation::send_message_batch::SendMessageBatchOutput;
use aws_sdk_sqs::types::{
    BatchResultErrorEntry, DeleteMessageBatchResultEntry, Message, MessageAttributeValue,
    MessageSystemAttributeName, QueueAttributeName, SendMessageBatchResultEntry,
};
use aws_smithy_mocks::{mock, Rule};
use common::*;
use pipedeck::cloud::sqs::redrive::Destination;
use pipedeck::cloud::RedrivePlan;
use pipedeck::gate::{self, Action, Journal};
use std::sync::{Arc, Mutex};

const ACCOUNT: &str = "111122223333";

fn url(name: &str) -> String {
    format!("https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/{name}")
}

fn arn(name: &str) -> String {
    format!("arn:aws:sqs:eu-west-1:{ACCOUNT}:{name}")
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

/// The destination's MaximumMessageSize, read before sending to it.
fn max_size() -> aws_smithy_mocks::Rule {
    max_size_of(1_048_576)
}

fn max_size_of(bytes: usize) -> Rule {
    mock!(aws_sdk_sqs::Client::get_queue_attributes)
        .match_requests(|r| {
            r.queue_url() == Some(url("orders").as_str())
                && r.attribute_names() == [QueueAttributeName::MaximumMessageSize]
        })
        .then_output(move || {
            GetQueueAttributesOutput::builder()
                .attributes(QueueAttributeName::MaximumMessageSize, bytes.to_string())
                .build()
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
    let size = max_size();
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &release, &size], &[]);
    let (report, journal) = redrive(&cloud).await;
    assert_eq!(send.num_calls(), 1);
    assert_eq!(size.num_calls(), 1, "MaximumMessageSize read once");
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
    let size = max_size();
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &release, &size], &[]);
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

/// A DLQ message carrying a binary attribute of `binary` bytes.
fn binary_message(i: usize, binary: usize) -> Message {
    Message::builder()
        .message_id(format!("m{i}"))
        .receipt_handle(format!("rh{i}"))
        .body(format!("order {i}"))
        .attributes(
            MessageSystemAttributeName::DeadLetterQueueSourceArn,
            arn("orders"),
        )
        .message_attributes(
            "payload",
            MessageAttributeValue::builder()
                .data_type("Binary")
                .binary_value(aws_smithy_types::Blob::new(vec![0xA5; binary]))
                .build()
                .unwrap(),
        )
        .build()
}

/// `messages` once, then empty receives.
fn receive_once(messages: Vec<Message>) -> Rule {
    mock!(aws_sdk_sqs::Client::receive_message)
        .sequence()
        .output(move || {
            ReceiveMessageOutput::builder()
                .set_messages(Some(messages.clone()))
                .build()
        })
        .output(|| ReceiveMessageOutput::builder().build())
        .repeatedly()
        .build()
}

/// One SendMessageBatch request: its entry count, its bytes as SQS counts
/// them, its bodies.
type SentBatch = (usize, usize, Vec<String>);

/// SendMessageBatch accepting every entry and recording each request.
fn send_all(seen: Arc<Mutex<Vec<SentBatch>>>) -> Rule {
    mock!(aws_sdk_sqs::Client::send_message_batch).then_compute_output(move |r| {
        let bytes = r
            .entries()
            .iter()
            .map(|e| {
                e.message_body().len()
                    + e.message_attributes().map_or(0, |a| {
                        a.iter()
                            .map(|(k, v)| {
                                k.len()
                                    + v.data_type().len()
                                    + v.string_value().map_or(0, str::len)
                                    + v.binary_value().map_or(0, |b| b.as_ref().len())
                            })
                            .sum()
                    })
            })
            .sum();
        let bodies = r
            .entries()
            .iter()
            .map(|e| e.message_body().to_string())
            .collect();
        seen.lock()
            .unwrap()
            .push((r.entries().len(), bytes, bodies));
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
    })
}

/// DeleteMessageBatch deleting every entry and recording the handles.
fn delete_all(seen: Arc<Mutex<Vec<String>>>) -> Rule {
    mock!(aws_sdk_sqs::Client::delete_message_batch).then_compute_output(move |r| {
        let mut out = DeleteMessageBatchOutput::builder().set_failed(Some(vec![]));
        for e in r.entries() {
            seen.lock().unwrap().push(e.receipt_handle().to_string());
            out = out.successful(
                DeleteMessageBatchResultEntry::builder()
                    .id(e.id())
                    .build()
                    .unwrap(),
            );
        }
        out.build().unwrap()
    })
}

#[tokio::test]
async fn batches_are_split_by_the_bytes_sqs_counts_not_by_what_is_shown() {
    // Six messages with a 200 KiB binary attribute each: 1.2 MiB in all.
    // Five fit in one 1 MiB SendMessageBatch, the sixth goes in a second.
    let receive = receive_once((0..6).map(|i| binary_message(i, 200 * 1024)).collect());
    let sent = Arc::new(Mutex::new(Vec::new()));
    let send = send_all(sent.clone());
    let deleted = Arc::new(Mutex::new(Vec::new()));
    let delete = delete_all(deleted.clone());
    let size = max_size_of(256 * 1024);
    let release = release_ok();
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &size, &release], &[]);
    let (report, _) = redrive(&cloud).await;
    assert!(report.ok, "{}", report.summary);
    assert!(report.summary.contains("moved 6"), "{}", report.summary);
    let sent = sent.lock().unwrap().clone();
    let counts: Vec<usize> = sent.iter().map(|(n, _, _)| *n).collect();
    assert_eq!(counts, [5, 1], "split by real bytes: {sent:?}");
    for (_, bytes, _) in &sent {
        assert!(*bytes <= 1_048_576, "a request of {bytes} bytes");
    }
    assert_eq!(
        sent[0].1,
        5 * (7 + 7 + 6 + 200 * 1024),
        "the binary's own bytes"
    );
    assert_eq!(deleted.lock().unwrap().len(), 6);
    assert_eq!(size.num_calls(), 1, "MaximumMessageSize read once");
}

#[tokio::test]
async fn a_message_over_the_destinations_maximum_is_refused_and_never_deleted() {
    // The middle one is 100 KB; orders takes 64 KiB at most.
    let receive = receive_once(vec![
        binary_message(0, 10),
        binary_message(1, 100_000),
        binary_message(2, 10),
    ]);
    let sent = Arc::new(Mutex::new(Vec::new()));
    let send = send_all(sent.clone());
    let deleted = Arc::new(Mutex::new(Vec::new()));
    let delete = delete_all(deleted.clone());
    let size = max_size_of(65_536);
    // It goes back to the DLQ's visible messages.
    let released = Arc::new(Mutex::new(Vec::new()));
    let seen = released.clone();
    let release =
        mock!(aws_sdk_sqs::Client::change_message_visibility_batch).then_compute_output(move |r| {
            for e in r.entries() {
                seen.lock()
                    .unwrap()
                    .push((e.receipt_handle().to_string(), e.visibility_timeout()));
            }
            ChangeMessageVisibilityBatchOutput::builder()
                .set_successful(Some(vec![]))
                .set_failed(Some(vec![]))
                .build()
                .unwrap()
        });
    let cloud = mocks::sqs_cloud(&[&receive, &send, &delete, &size, &release], &[]);
    let (report, journal) = redrive(&cloud).await;
    let sent = sent.lock().unwrap().clone();
    let bodies: Vec<String> = sent.iter().flat_map(|(_, _, b)| b.clone()).collect();
    assert_eq!(bodies, ["order 0", "order 2"], "never sent");
    assert_eq!(
        *deleted.lock().unwrap(),
        ["rh0", "rh2"],
        "no DeleteMessageBatch for the refused one"
    );
    assert_eq!(*released.lock().unwrap(), [("rh1".to_string(), Some(0))]);
    assert!(!report.ok);
    assert!(
        report.summary.contains(
            "moved 2, 1 larger than the destination's MaximumMessageSize (not sent, left in the DLQ)"
        ),
        "{}",
        report.summary
    );
    assert!(
        report
            .summary
            .contains("message m1 is 100020 bytes; orders accepts at most 65536"),
        "{}",
        report.summary
    );
    assert!(journal.contains("\"result\":\"partial\""), "{journal}");
}
