//! The SDK client as the [`QueueOps`] a client-side redrive and a peek run
//! on: receive, send, delete and change visibility in batches, every
//! batch's `Failed` list turned into per-entry errors; a destination's
//! MaximumMessageSize.

use super::errors::map_sdk_error;
use crate::cloud::sqs::redrive::{BatchFailures, OutgoingMessage, QueueOps};
use crate::cloud::sqs::{AttrValue, QueueMessage};
use crate::cloud::{CloudError, CloudResult};
use async_trait::async_trait;
use aws_sdk_sqs::types::{
    BatchResultErrorEntry, ChangeMessageVisibilityBatchRequestEntry,
    DeleteMessageBatchRequestEntry, MessageAttributeValue, MessageSystemAttributeName,
    QueueAttributeName, SendMessageBatchRequestEntry,
};
use aws_sdk_sqs::Client;
use std::collections::BTreeMap;

/// The SDK client as [`QueueOps`] for a client-side redrive.
pub struct SqsOps(pub Client);

fn failures(failed: &[BatchResultErrorEntry]) -> BatchFailures {
    failed
        .iter()
        .map(|f| {
            (
                f.id().to_string(),
                format!("{}: {}", f.code(), f.message().unwrap_or("")),
            )
        })
        .collect()
}

fn to_sdk_attr(v: &AttrValue) -> Option<MessageAttributeValue> {
    MessageAttributeValue::builder()
        .data_type(&v.data_type)
        .set_string_value(v.string.clone())
        .set_binary_value(v.binary.clone().map(aws_smithy_types::Blob::new))
        .build()
        .ok()
}

#[async_trait]
impl QueueOps for SqsOps {
    async fn receive(
        &self,
        queue_url: &str,
        max: i32,
        visibility_secs: i32,
        wait_secs: i32,
    ) -> CloudResult<Vec<QueueMessage>> {
        let out = self
            .0
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(max.clamp(1, 10))
            .visibility_timeout(visibility_secs)
            .wait_time_seconds(wait_secs)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| map_sdk_error("sqs:ReceiveMessage", e))?;
        Ok(out.messages().iter().map(from_sdk).collect())
    }

    async fn send_batch(
        &self,
        queue_url: &str,
        entries: &[OutgoingMessage],
    ) -> CloudResult<BatchFailures> {
        let sdk_entries = entries
            .iter()
            .map(|e| {
                SendMessageBatchRequestEntry::builder()
                    .id(&e.entry_id)
                    .message_body(&e.body)
                    .set_message_attributes(Some(
                        e.attributes
                            .iter()
                            .filter_map(|(k, v)| to_sdk_attr(v).map(|v| (k.clone(), v)))
                            .collect(),
                    ))
                    .set_message_group_id(e.group_id.clone())
                    .set_message_deduplication_id(e.dedup_id.clone())
                    .build()
                    .map_err(|err| CloudError::InvalidInput {
                        message: err.to_string(),
                    })
            })
            .collect::<CloudResult<Vec<_>>>()?;
        let out = self
            .0
            .send_message_batch()
            .queue_url(queue_url)
            .set_entries(Some(sdk_entries))
            .send()
            .await
            .map_err(|e| map_sdk_error("sqs:SendMessageBatch", e))?;
        let mut failed = failures(out.failed());
        // Only an entry listed as Successful counts as sent.
        for e in entries {
            if !out.successful().iter().any(|s| s.id() == e.entry_id) {
                failed
                    .entry(e.entry_id.clone())
                    .or_insert_with(|| "not acknowledged by SQS".into());
            }
        }
        Ok(failed)
    }

    async fn delete_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
    ) -> CloudResult<BatchFailures> {
        let sdk_entries = entries
            .iter()
            .filter_map(|(id, h)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(id)
                    .receipt_handle(h)
                    .build()
                    .ok()
            })
            .collect();
        let out = self
            .0
            .delete_message_batch()
            .queue_url(queue_url)
            .set_entries(Some(sdk_entries))
            .send()
            .await
            .map_err(|e| map_sdk_error("sqs:DeleteMessageBatch", e))?;
        Ok(failures(out.failed()))
    }

    async fn change_visibility_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
        visibility_secs: i32,
    ) -> CloudResult<BatchFailures> {
        let sdk_entries = entries
            .iter()
            .filter_map(|(id, h)| {
                ChangeMessageVisibilityBatchRequestEntry::builder()
                    .id(id)
                    .receipt_handle(h)
                    .visibility_timeout(visibility_secs)
                    .build()
                    .ok()
            })
            .collect();
        let out = self
            .0
            .change_message_visibility_batch()
            .queue_url(queue_url)
            .set_entries(Some(sdk_entries))
            .send()
            .await
            .map_err(|e| map_sdk_error("sqs:ChangeMessageVisibilityBatch", e))?;
        Ok(failures(out.failed()))
    }

    async fn max_message_size(&self, queue_url: &str) -> CloudResult<usize> {
        let out = self
            .0
            .get_queue_attributes()
            .queue_url(queue_url)
            .attribute_names(QueueAttributeName::MaximumMessageSize)
            .send()
            .await
            .map_err(|e| map_sdk_error("sqs:GetQueueAttributes", e))?;
        let value = out
            .attributes()
            .and_then(|a| a.get(&QueueAttributeName::MaximumMessageSize));
        value
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| CloudError::Other {
                code: "NoMaximumMessageSize".into(),
                message: format!("GetQueueAttributes answered MaximumMessageSize {value:?}"),
            })
    }
}

fn from_sdk(m: &aws_sdk_sqs::types::Message) -> QueueMessage {
    let sys = |k: MessageSystemAttributeName| m.attributes().and_then(|a| a.get(&k)).cloned();
    let attributes: BTreeMap<String, AttrValue> = m
        .message_attributes()
        .map(|a| {
            a.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        AttrValue {
                            data_type: v.data_type().to_string(),
                            string: v.string_value().map(str::to_string),
                            binary: v.binary_value().map(|b| b.as_ref().to_vec()),
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    QueueMessage {
        id: m.message_id().unwrap_or_default().to_string(),
        receipt_handle: m.receipt_handle().unwrap_or_default().to_string(),
        body: m.body().unwrap_or_default().to_string(),
        attributes,
        receive_count: sys(MessageSystemAttributeName::ApproximateReceiveCount)
            .and_then(|v| v.parse().ok()),
        sent: sys(MessageSystemAttributeName::SentTimestamp)
            .and_then(|v| v.parse().ok())
            .and_then(super::sqs::millis),
        source_arn: sys(MessageSystemAttributeName::DeadLetterQueueSourceArn),
        group_id: sys(MessageSystemAttributeName::MessageGroupId),
    }
}
