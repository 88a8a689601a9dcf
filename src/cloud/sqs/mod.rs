//! SQS domain types: dead-letter queues, their sources, move tasks and
//! peeked messages. No SDK types here: the demo, the panes and the tests all
//! speak this vocabulary.

pub mod memory;
mod outcome;
pub mod redrive;
pub mod size;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A queue that feeds a DLQ through its RedrivePolicy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceQueue {
    pub name: String,
    pub url: String,
    pub arn: String,
    pub max_receive_count: Option<u32>,
}

/// A StartMessageMoveTask redrive as ListMessageMoveTasks reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveTask {
    /// Only present while the task is RUNNING (AWS drops it afterwards).
    pub handle: Option<String>,
    pub status: String,
    pub moved: i64,
    pub to_move: Option<i64>,
    pub destination_arn: Option<String>,
    pub max_per_second: Option<i32>,
    pub failure_reason: Option<String>,
    pub started: Option<DateTime<Utc>>,
}

impl MoveTask {
    /// AWS documents RUNNING, COMPLETED, CANCELLING, CANCELLED and FAILED;
    /// anything not known to be finished is treated as still going, so a
    /// status added later never lets a second task be started by mistake.
    pub fn is_active(&self) -> bool {
        !matches!(self.status.as_str(), "COMPLETED" | "CANCELLED" | "FAILED")
    }

    /// A task pipedeck just started, as known before the service is asked:
    /// RUNNING, nothing moved yet.
    pub fn started(
        handle: &str,
        destination_arn: Option<&str>,
        max_per_second: Option<i32>,
    ) -> Self {
        MoveTask {
            handle: Some(handle.to_string()),
            status: "RUNNING".into(),
            moved: 0,
            to_move: None,
            destination_arn: destination_arn.map(str::to_string),
            max_per_second,
            failure_reason: None,
            started: None,
        }
    }

    pub fn is_cancellable(&self) -> bool {
        self.status == "RUNNING" && self.handle.is_some()
    }
}

/// A dead-letter queue: counts, who feeds it, and its redrive (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dlq {
    pub name: String,
    pub url: String,
    pub arn: String,
    pub fifo: bool,
    /// Queues whose RedrivePolicy names this one; empty when it was only
    /// named in the config (fed by SNS, Lambda or EventBridge).
    pub sources: Vec<SourceQueue>,
    /// Named in `[dlq] queues` rather than found through a RedrivePolicy.
    pub configured: bool,
    pub visible: i64,
    pub in_flight: i64,
    pub delayed: i64,
    pub retention_secs: Option<i64>,
    pub visibility_timeout_secs: Option<i64>,
    /// The newest move task, finished or not.
    pub move_task: Option<MoveTask>,
    /// Why a part of this queue could not be read (e.g. move tasks denied).
    pub note: Option<String>,
}

impl Dlq {
    pub fn total(&self) -> i64 {
        self.visible + self.in_flight + self.delayed
    }

    pub fn active_task(&self) -> Option<&MoveTask> {
        self.move_task.as_ref().filter(|t| t.is_active())
    }

    /// Deepest first (every message counts: visible, in flight, delayed);
    /// empty ones after, by name. The pane and the snapshot share it.
    pub fn deepest_first(a: &Dlq, b: &Dlq) -> std::cmp::Ordering {
        b.total().cmp(&a.total()).then_with(|| a.name.cmp(&b.name))
    }

    /// StartMessageMoveTask only serves DLQs whose sources are SQS queues.
    pub fn can_move_task(&self) -> bool {
        !self.sources.is_empty()
    }
}

/// A DLQ's counts and newest move task, polled fast while a redrive runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DlqProgress {
    pub visible: i64,
    pub in_flight: i64,
    pub delayed: i64,
    pub move_task: Option<MoveTask>,
}

/// CloudWatch figures for one DLQ: depth over the last hour (one point per
/// minute, oldest first) and the age of its oldest message.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueueMetrics {
    pub depth: Vec<(DateTime<Utc>, f64)>,
    pub oldest_age_s: Option<i64>,
}

/// CloudWatch figures for every DLQ, by queue name (the list works without
/// them: a failed read is the metrics poller's error, not the list's).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DlqMetrics {
    pub queues: BTreeMap<String, QueueMetrics>,
}

/// A message attribute as received; binary values are summarised, not shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttrValue {
    pub data_type: String,
    pub string: Option<String>,
    pub binary: Option<Vec<u8>>,
}

impl AttrValue {
    pub fn text(data_type: &str, value: &str) -> Self {
        Self {
            data_type: data_type.into(),
            string: Some(value.into()),
            binary: None,
        }
    }

    pub fn display(&self) -> String {
        match (&self.string, &self.binary) {
            (Some(s), _) => s.clone(),
            (None, Some(b)) => format!("<{} bytes of binary>", b.len()),
            (None, None) => String::new(),
        }
    }
}

/// A message seen by a receive: what the peek view shows and what a
/// client-side redrive copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueMessage {
    pub id: String,
    #[serde(skip)]
    pub receipt_handle: String,
    pub body: String,
    pub attributes: BTreeMap<String, AttrValue>,
    pub receive_count: Option<u32>,
    pub sent: Option<DateTime<Utc>>,
    /// The queue a DLQ message came from, when SQS recorded it.
    pub source_arn: Option<String>,
    pub group_id: Option<String>,
}

/// SQS allows one PurgeQueue per queue a minute; what to say when a second
/// one comes too soon (AWS and the demo answer alike).
pub fn purge_too_soon() -> crate::cloud::CloudError {
    crate::cloud::CloudError::InvalidInput {
        message: "this queue was purged less than 60 seconds ago; SQS allows one purge per minute — try again shortly".into(),
    }
}

/// The last segment of an SQS ARN or URL: the queue name.
pub fn queue_name(arn_or_url: &str) -> &str {
    arn_or_url.rsplit([':', '/']).next().unwrap_or(arn_or_url)
}

/// A queue ARN from its URL (`https://sqs.R.amazonaws.com/ACCOUNT/NAME` or
/// an emulator's `http://host/ACCOUNT/NAME` / `…/queue/R/ACCOUNT/NAME`).
pub fn arn_from_url(url: &str, region: &str) -> Option<String> {
    let mut parts = url.trim_end_matches('/').rsplit('/');
    let name = parts.next()?;
    let account = parts.next()?;
    (account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("arn:aws:sqs:{region}:{account}:{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_arns() {
        assert_eq!(
            queue_name("arn:aws:sqs:eu-west-1:123456789012:a-dlq"),
            "a-dlq"
        );
        assert_eq!(queue_name("http://h:1/000000000000/b.fifo"), "b.fifo");
        assert_eq!(
            arn_from_url(
                "https://sqs.eu-west-1.amazonaws.com/123456789012/q",
                "eu-west-1"
            )
            .as_deref(),
            Some("arn:aws:sqs:eu-west-1:123456789012:q")
        );
        assert_eq!(arn_from_url("http://h/q", "x"), None);
    }

    #[test]
    fn unknown_move_task_status_counts_as_active() {
        let mut t = MoveTask {
            handle: None,
            status: "SOMETHING_NEW".into(),
            moved: 0,
            to_move: None,
            destination_arn: None,
            max_per_second: None,
            failure_reason: None,
            started: None,
        };
        assert!(t.is_active());
        for done in ["COMPLETED", "CANCELLED", "FAILED"] {
            t.status = done.into();
            assert!(!t.is_active());
        }
    }
}
