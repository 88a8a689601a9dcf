//! An in-memory SQS with the semantics a redrive depends on: visibility
//! (held messages are not received again until released, deleted or their
//! time runs out), receipt handles that go stale on re-receive, FIFO group
//! locking and the 5-minute deduplication window that silently drops a
//! resend with a used id. Time is virtual (`advance`).
//!
//! The demo account's DLQs live here, and the no-loss test drives the real
//! redrive code against it.

use super::redrive::{BatchFailures, OutgoingMessage, QueueOps};
use super::size::{message_bytes, SERVICE_MAX_MESSAGE};
use super::{AttrValue, QueueMessage};
use crate::cloud::{CloudError, CloudResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

const DEDUP_WINDOW_SECS: u64 = 300;

#[derive(Debug, Clone)]
struct Stored {
    id: String,
    body: String,
    attributes: BTreeMap<String, AttrValue>,
    group_id: Option<String>,
    sent: DateTime<Utc>,
    source_arn: Option<String>,
    receive_count: u32,
    hidden_until: u64,
    handle: Option<String>,
}

#[derive(Debug, Default)]
struct Queue {
    arn: String,
    fifo: bool,
    messages: Vec<Stored>,
    dedup_seen: HashMap<String, u64>,
    /// MaximumMessageSize; 0 until set means the service's default.
    max_message: usize,
}

#[derive(Debug, Default)]
struct Inner {
    now: u64,
    next_id: u64,
    queues: BTreeMap<String, Queue>,
}

/// Queues keyed by URL. URLs are `mem://<account>/<name>`.
#[derive(Debug, Default)]
pub struct MemoryQueues {
    inner: Mutex<Inner>,
    /// Wall-clock time reported as SentTimestamp of new messages.
    pub epoch: Option<DateTime<Utc>>,
}

pub fn memory_url(account: &str, name: &str) -> String {
    format!("mem://{account}/{name}")
}

impl MemoryQueues {
    pub fn new(epoch: DateTime<Utc>) -> Self {
        Self {
            inner: Mutex::default(),
            epoch: Some(epoch),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic elsewhere must not make every later call panic too.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn create(&self, url: &str, arn: &str) {
        let fifo = url.ends_with(".fifo");
        self.lock().queues.entry(url.to_string()).or_insert(Queue {
            arn: arn.to_string(),
            fifo,
            ..Queue::default()
        });
    }

    /// Puts a message straight into a queue (as a maxReceiveCount move would).
    pub fn put(
        &self,
        url: &str,
        body: &str,
        attributes: BTreeMap<String, AttrValue>,
        group_id: Option<&str>,
        source_arn: Option<&str>,
        sent: DateTime<Utc>,
    ) -> String {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            inner.next_id, inner.next_id
        );
        let q = inner.queues.get_mut(url).expect("queue exists");
        q.messages.push(Stored {
            id: id.clone(),
            body: body.to_string(),
            attributes,
            group_id: group_id.map(str::to_string),
            sent,
            source_arn: source_arn.map(str::to_string),
            receive_count: 0,
            hidden_until: 0,
            handle: None,
        });
        id
    }

    /// Sets a queue's MaximumMessageSize (default: 1 MiB, as SQS).
    pub fn set_max_message_size(&self, url: &str, bytes: usize) {
        if let Some(q) = self.lock().queues.get_mut(url) {
            q.max_message = bytes;
        }
    }

    /// Moves time on: held messages whose visibility ran out reappear.
    pub fn advance(&self, secs: u64) {
        self.lock().now += secs;
    }

    /// (visible, in flight)
    pub fn counts(&self, url: &str) -> (i64, i64) {
        let inner = self.lock();
        let now = inner.now;
        inner.queues.get(url).map_or((0, 0), |q| {
            let hidden = q.messages.iter().filter(|m| m.hidden_until > now).count() as i64;
            (q.messages.len() as i64 - hidden, hidden)
        })
    }

    /// Every body in a queue (visible or not), for assertions.
    pub fn bodies(&self, url: &str) -> Vec<String> {
        self.lock()
            .queues
            .get(url)
            .map(|q| q.messages.iter().map(|m| m.body.clone()).collect())
            .unwrap_or_default()
    }

    /// Removes up to `n` messages, oldest first (a move task's progress).
    pub fn take(
        &self,
        url: &str,
        n: usize,
    ) -> Vec<(String, BTreeMap<String, AttrValue>, Option<String>)> {
        let mut inner = self.lock();
        let Some(q) = inner.queues.get_mut(url) else {
            return vec![];
        };
        let n = n.min(q.messages.len());
        q.messages
            .drain(..n)
            .map(|m| (m.body, m.attributes, m.source_arn))
            .collect()
    }

    pub fn purge(&self, url: &str) {
        if let Some(q) = self.lock().queues.get_mut(url) {
            q.messages.clear();
        }
    }

    pub fn url_of_arn(&self, arn: &str) -> Option<String> {
        self.lock()
            .queues
            .iter()
            .find(|(_, q)| q.arn == arn)
            .map(|(u, _)| u.clone())
    }
}

fn no_queue(url: &str) -> CloudError {
    CloudError::NotFound {
        message: format!("queue {url} does not exist"),
    }
}

#[async_trait]
impl QueueOps for MemoryQueues {
    async fn receive(
        &self,
        queue_url: &str,
        max: i32,
        visibility_secs: i32,
        _wait_secs: i32,
    ) -> CloudResult<Vec<QueueMessage>> {
        let mut inner = self.lock();
        let now = inner.now;
        let start = inner.next_id;
        let q = inner
            .queues
            .get_mut(queue_url)
            .ok_or_else(|| no_queue(queue_url))?;
        let fifo = q.fifo;
        let locked: Vec<Option<String>> = if fifo {
            q.messages
                .iter()
                .filter(|m| m.hidden_until > now)
                .map(|m| m.group_id.clone())
                .collect()
        } else {
            vec![]
        };
        let mut out = Vec::new();
        let mut n = start;
        for m in q.messages.iter_mut() {
            if out.len() >= max as usize {
                break;
            }
            if m.hidden_until > now || (fifo && locked.contains(&m.group_id)) {
                continue;
            }
            n += 1;
            m.receive_count += 1;
            m.hidden_until = now + visibility_secs.max(0) as u64;
            let handle = format!("rh-{n}");
            m.handle = Some(handle.clone());
            out.push(QueueMessage {
                id: m.id.clone(),
                receipt_handle: handle,
                body: m.body.clone(),
                attributes: m.attributes.clone(),
                receive_count: Some(m.receive_count),
                sent: Some(m.sent),
                source_arn: m.source_arn.clone(),
                group_id: m.group_id.clone(),
            });
        }
        inner.next_id = n;
        Ok(out)
    }

    async fn send_batch(
        &self,
        queue_url: &str,
        entries: &[OutgoingMessage],
    ) -> CloudResult<BatchFailures> {
        let sent = self.epoch.unwrap_or_else(Utc::now);
        let mut failures = BatchFailures::new();
        for e in entries {
            let (fifo, duplicate, max) = {
                let mut inner = self.lock();
                let now = inner.now;
                let q = inner
                    .queues
                    .get_mut(queue_url)
                    .ok_or_else(|| no_queue(queue_url))?;
                let max = q.max_message;
                let duplicate = match &e.dedup_id {
                    Some(d) if q.fifo => {
                        let seen = q
                            .dedup_seen
                            .get(d)
                            .is_some_and(|t| now < t + DEDUP_WINDOW_SECS);
                        q.dedup_seen.insert(d.clone(), now);
                        seen
                    }
                    _ => false,
                };
                (q.fifo, duplicate, max)
            };
            // Like SQS: a message over the queue's limit is refused.
            let max = if max == 0 { SERVICE_MAX_MESSAGE } else { max };
            if message_bytes(&e.body, &e.attributes) > max {
                failures.insert(
                    e.entry_id.clone(),
                    format!("InvalidParameterValue: message longer than {max} bytes"),
                );
                continue;
            }
            if fifo && (e.group_id.is_none() || e.dedup_id.is_none()) {
                failures.insert(
                    e.entry_id.clone(),
                    "MissingParameter: FIFO queues need MessageGroupId and MessageDeduplicationId"
                        .into(),
                );
                continue;
            }
            // Like SQS: a duplicate inside the window is accepted and dropped.
            if !duplicate {
                self.put(
                    queue_url,
                    &e.body,
                    e.attributes.clone(),
                    e.group_id.as_deref(),
                    None,
                    sent,
                );
            }
        }
        Ok(failures)
    }

    async fn delete_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
    ) -> CloudResult<BatchFailures> {
        let mut inner = self.lock();
        let q = inner
            .queues
            .get_mut(queue_url)
            .ok_or_else(|| no_queue(queue_url))?;
        let mut failures = BatchFailures::new();
        for (id, handle) in entries {
            match q
                .messages
                .iter()
                .position(|m| m.handle.as_deref() == Some(handle))
            {
                Some(i) => {
                    q.messages.remove(i);
                }
                None => {
                    failures.insert(
                        id.clone(),
                        "ReceiptHandleIsInvalid: stale receipt handle".into(),
                    );
                }
            }
        }
        Ok(failures)
    }

    async fn change_visibility_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
        visibility_secs: i32,
    ) -> CloudResult<BatchFailures> {
        let mut inner = self.lock();
        let now = inner.now;
        let q = inner
            .queues
            .get_mut(queue_url)
            .ok_or_else(|| no_queue(queue_url))?;
        let mut failures = BatchFailures::new();
        for (id, handle) in entries {
            match q
                .messages
                .iter_mut()
                .find(|m| m.handle.as_deref() == Some(handle))
            {
                Some(m) => m.hidden_until = now + visibility_secs.max(0) as u64,
                None => {
                    failures.insert(
                        id.clone(),
                        "ReceiptHandleIsInvalid: stale receipt handle".into(),
                    );
                }
            }
        }
        Ok(failures)
    }

    async fn max_message_size(&self, queue_url: &str) -> CloudResult<usize> {
        let inner = self.lock();
        let q = inner
            .queues
            .get(queue_url)
            .ok_or_else(|| no_queue(queue_url))?;
        Ok(if q.max_message == 0 {
            SERVICE_MAX_MESSAGE
        } else {
            q.max_message
        })
    }
}
