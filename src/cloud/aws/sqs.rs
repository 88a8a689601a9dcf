//! SQS through the SDK: DLQ discovery (ListQueues + GetQueueAttributes),
//! move tasks and purge. The batch calls of a peek or a client-side
//! redrive are in `sqs_ops`.

use super::errors::map_sdk_error;
use crate::cloud::sqs::{queue_name, Dlq, DlqProgress, MoveTask, SourceQueue};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use aws_sdk_sqs::Client;
use chrono::{DateTime, TimeZone, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// ListQueues page size: with MaxResults set, AWS returns NextToken and
/// pagination works past 1,000 queues (without it, the first 1,000 only).
const LIST_PAGE: i32 = 1000;
/// GetQueueAttributes calls in flight at once: quick for hundreds of queues;
/// the rate budget, not this, keeps the pace under SQS's limits.
pub const ATTRIBUTE_CONCURRENCY: usize = 16;

/// One queue's attributes, as read for discovery.
#[derive(Debug, Clone)]
struct QueueInfo {
    url: String,
    arn: String,
    visible: i64,
    in_flight: i64,
    delayed: i64,
    retention: Option<i64>,
    visibility_timeout: Option<i64>,
    /// (DLQ arn, maxReceiveCount) from the RedrivePolicy.
    redrive: Option<(String, Option<u32>)>,
}

/// What the last full discovery learnt: which queues feed which DLQ. A
/// RedrivePolicy rarely changes, so between full passes only the DLQs are
/// read again — on a 500-queue account with 20 DLQs that is ~40 calls a
/// refresh instead of ~520.
#[derive(Debug, Default)]
pub struct Discovery {
    at: Option<Instant>,
    urls: Vec<String>,
    /// Queues with a RedrivePolicy (counts stale; used for the mapping).
    sources: Vec<QueueInfo>,
    dlq_urls: Vec<String>,
    /// Each DLQ's newest move task as last read (by ARN): an empty DLQ
    /// without a running task keeps it rather than asking again.
    tasks: HashMap<String, Option<MoveTask>>,
}

/// A full pass (every queue's attributes) at least this often, and
/// whenever the list of queues changes.
pub const REDISCOVER_EVERY: Duration = Duration::from_secs(300);

pub async fn dlqs(
    client: &Client,
    configured: &[String],
    cache: &Mutex<Discovery>,
) -> CloudResult<Vec<Dlq>> {
    let mut urls: Vec<String> = client
        .list_queues()
        .max_results(LIST_PAGE)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("sqs:ListQueues", e))?;
    urls.sort();
    let known = {
        let c = cache.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = c.at.is_some_and(|t| t.elapsed() < REDISCOVER_EVERY) && c.urls == urls;
        fresh.then(|| (c.sources.clone(), c.dlq_urls.clone()))
    };
    let mut infos = match known {
        Some((sources, dlq_urls)) => {
            let fresh = read_all(client, dlq_urls).await?;
            let mut infos: Vec<QueueInfo> = sources
                .into_iter()
                .filter(|s| !fresh.iter().any(|f| f.url == s.url))
                .collect();
            infos.extend(fresh);
            infos
        }
        None => {
            let infos = read_all(client, urls.clone()).await?;
            let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
            *c = Discovery {
                at: Some(Instant::now()),
                urls,
                sources: infos
                    .iter()
                    .filter(|q| q.redrive.is_some())
                    .cloned()
                    .collect(),
                dlq_urls: infos
                    .iter()
                    .filter(|q| is_targeted(q, &infos) || is_configured(configured, q))
                    .map(|q| q.url.clone())
                    .collect(),
                tasks: std::mem::take(&mut c.tasks),
            };
            infos
        }
    };
    // DLQs named in the config but not listed (another account, or more
    // queues than a listing shows).
    for name in configured {
        let known = infos
            .iter()
            .any(|q| queue_name(&q.url) == queue_name(name) || q.url == *name);
        if !known {
            let url = if name.contains("://") {
                name.clone()
            } else {
                client
                    .get_queue_url()
                    .queue_name(name)
                    .send()
                    .await
                    .map_err(|e| map_sdk_error("sqs:GetQueueUrl", e))?
                    .queue_url()
                    .unwrap_or_default()
                    .to_string()
            };
            infos.extend(attributes(client, url).await?);
        }
    }
    let mut found: Vec<Dlq> = infos
        .iter()
        .filter(|q| is_targeted(q, &infos) || is_configured(configured, q))
        .map(|q| to_dlq(q, &infos, configured))
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    // Move tasks only where one can matter: a DLQ holding messages, or one
    // whose last known task was still going. An empty DLQ keeps what was
    // last read (a finished task never changes), or shows none when nothing
    // was read yet — even on the first read: a task moves messages out of
    // its DLQ, so one still running leaves some counted there, and
    // ListMessageMoveTasks is one call a DLQ while most DLQs of a big
    // account are empty (450 calls saved on a 500-DLQ account's cold read).
    let last_tasks = cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .tasks
        .clone();
    let read: Mutex<Vec<(String, Option<MoveTask>)>> = Mutex::new(Vec::new());
    stream::iter(found.iter_mut())
        .for_each_concurrent(ATTRIBUTE_CONCURRENCY, |d| {
            let last = last_tasks.get(&d.arn).cloned();
            let read = &read;
            async move {
                if !d.can_move_task() {
                    return;
                }
                let active = last
                    .as_ref()
                    .is_some_and(|t| t.as_ref().is_some_and(MoveTask::is_active));
                match last {
                    _ if d.total() == 0 && !active => d.move_task = last.flatten(),
                    _ => match latest_move_task(client, &d.arn).await {
                        Ok(t) => {
                            d.move_task = t.clone();
                            read.lock().unwrap().push((d.arn.clone(), t));
                        }
                        Err(e) => d.note = Some(format!("move tasks unknown: {e}")),
                    },
                }
            }
        })
        .await;
    // Only what this pass read, and only where nothing newer came in
    // meanwhile (a task pipedeck just started, its progress).
    let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
    for (arn, task) in read.into_inner().unwrap_or_default() {
        if c.tasks.get(&arn) == last_tasks.get(&arn) {
            c.tasks.insert(arn, task);
        }
    }
    Ok(found)
}

/// A DLQ's newest move task as just read elsewhere (its progress).
pub fn remember_task(cache: &Mutex<Discovery>, dlq_arn: &str, task: Option<MoveTask>) {
    let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
    c.tasks.insert(dlq_arn.to_string(), task);
}

/// The user asked for fresh data: every DLQ's task is asked for again.
pub fn forget_all_tasks(cache: &Mutex<Discovery>) {
    let mut c = cache.lock().unwrap_or_else(|p| p.into_inner());
    c.tasks.clear();
}

pub async fn progress(client: &Client, url: &str, dlq_arn: &str) -> CloudResult<DlqProgress> {
    let (info, task) = futures::try_join!(
        attributes(client, url.to_string()),
        latest_move_task(client, dlq_arn)
    )?;
    let info = info.ok_or_else(|| CloudError::NotFound {
        message: format!("queue {url} no longer exists"),
    })?;
    Ok(DlqProgress {
        visible: info.visible,
        in_flight: info.in_flight,
        delayed: info.delayed,
        move_task: task,
    })
}

/// Reads attributes of many queues, a bounded number at a time; a queue
/// deleted since it was listed is skipped.
async fn read_all(client: &Client, urls: Vec<String>) -> CloudResult<Vec<QueueInfo>> {
    let found: Vec<Option<QueueInfo>> = stream::iter(urls)
        .map(|url| attributes(client, url))
        .buffer_unordered(ATTRIBUTE_CONCURRENCY)
        .try_collect()
        .await?;
    Ok(found.into_iter().flatten().collect())
}

fn is_targeted(q: &QueueInfo, all: &[QueueInfo]) -> bool {
    all.iter()
        .any(|s| s.redrive.as_ref().is_some_and(|(arn, _)| *arn == q.arn))
}

fn is_configured(configured: &[String], q: &QueueInfo) -> bool {
    configured
        .iter()
        .any(|c| *c == q.url || *c == q.arn || queue_name(c) == queue_name(&q.url))
}

fn to_dlq(q: &QueueInfo, all: &[QueueInfo], configured: &[String]) -> Dlq {
    let sources = all
        .iter()
        .filter_map(|s| match &s.redrive {
            Some((arn, max)) if *arn == q.arn => Some(SourceQueue {
                name: queue_name(&s.url).to_string(),
                url: s.url.clone(),
                arn: s.arn.clone(),
                max_receive_count: *max,
            }),
            _ => None,
        })
        .collect();
    let name = queue_name(&q.url).to_string();
    Dlq {
        fifo: name.ends_with(".fifo"),
        name,
        url: q.url.clone(),
        arn: q.arn.clone(),
        sources,
        configured: is_configured(configured, q),
        visible: q.visible,
        in_flight: q.in_flight,
        delayed: q.delayed,
        retention_secs: q.retention,
        visibility_timeout_secs: q.visibility_timeout,
        move_task: None,
        note: None,
    }
}

async fn attributes(client: &Client, url: String) -> CloudResult<Option<QueueInfo>> {
    let out = match client
        .get_queue_attributes()
        .queue_url(&url)
        // "All" rather than the seven read below: the same one request and
        // price, a few hundred bytes more — and moto, which computes every
        // attribute anew for each name asked, spends a third less on it
        // (measured: 1,000 queues are a big discovery's largest cost there).
        .attribute_names(Attr::All)
        .send()
        .await
        .map_err(|e| map_sdk_error("sqs:GetQueueAttributes", e))
    {
        Ok(out) => out,
        Err(CloudError::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let empty = HashMap::new();
    let a = out.attributes().unwrap_or(&empty);
    let num = |k: Attr| a.get(&k).and_then(|v| v.parse::<i64>().ok());
    Ok(Some(QueueInfo {
        arn: a.get(&Attr::QueueArn).cloned().unwrap_or_default(),
        visible: num(Attr::ApproximateNumberOfMessages).unwrap_or(0),
        in_flight: num(Attr::ApproximateNumberOfMessagesNotVisible).unwrap_or(0),
        delayed: num(Attr::ApproximateNumberOfMessagesDelayed).unwrap_or(0),
        retention: num(Attr::MessageRetentionPeriod),
        visibility_timeout: num(Attr::VisibilityTimeout),
        redrive: a.get(&Attr::RedrivePolicy).and_then(|p| parse_redrive(p)),
        url,
    }))
}

/// `{"deadLetterTargetArn": "...", "maxReceiveCount": 3}`; the count is a
/// number or a string depending on who wrote the policy.
pub fn parse_redrive(policy: &str) -> Option<(String, Option<u32>)> {
    let v: serde_json::Value = serde_json::from_str(policy).ok()?;
    let arn = v.get("deadLetterTargetArn")?.as_str()?.to_string();
    let max = v.get("maxReceiveCount").and_then(|m| {
        m.as_u64()
            .map(|n| n as u32)
            .or_else(|| m.as_str().and_then(|s| s.parse().ok()))
    });
    Some((arn, max))
}

async fn latest_move_task(client: &Client, dlq_arn: &str) -> CloudResult<Option<MoveTask>> {
    let out = client
        .list_message_move_tasks()
        .source_arn(dlq_arn)
        .max_results(1)
        .send()
        .await
        .map_err(|e| map_sdk_error("sqs:ListMessageMoveTasks", e))?;
    Ok(out.results().first().map(|t| MoveTask {
        handle: t.task_handle().map(str::to_string),
        status: t.status().unwrap_or("UNKNOWN").to_string(),
        moved: t.approximate_number_of_messages_moved(),
        to_move: t.approximate_number_of_messages_to_move(),
        destination_arn: t.destination_arn().map(str::to_string),
        max_per_second: t.max_number_of_messages_per_second(),
        failure_reason: t.failure_reason().map(str::to_string),
        started: millis(t.started_timestamp()),
    }))
}

pub(super) fn millis(ms: i64) -> Option<DateTime<Utc>> {
    (ms > 0)
        .then(|| Utc.timestamp_millis_opt(ms).single())
        .flatten()
}

pub async fn start_move_task(
    client: &Client,
    source_arn: &str,
    destination_arn: Option<&str>,
    max_per_second: Option<i32>,
) -> CloudResult<String> {
    let out = client
        .start_message_move_task()
        .source_arn(source_arn)
        .set_destination_arn(destination_arn.map(str::to_string))
        .set_max_number_of_messages_per_second(max_per_second)
        .send()
        .await
        .map_err(|e| map_sdk_error("sqs:StartMessageMoveTask", e))?;
    Ok(out.task_handle().unwrap_or_default().to_string())
}

pub async fn cancel_move_task(client: &Client, handle: &str) -> CloudResult<i64> {
    let out = client
        .cancel_message_move_task()
        .task_handle(handle)
        .send()
        .await
        .map_err(|e| map_sdk_error("sqs:CancelMessageMoveTask", e))?;
    Ok(out.approximate_number_of_messages_moved())
}

pub async fn purge(client: &Client, url: &str) -> CloudResult<()> {
    client
        .purge_queue()
        .queue_url(url)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| match map_sdk_error("sqs:PurgeQueue", e) {
            CloudError::Other { code, .. } if code.contains("PurgeQueueInProgress") => {
                crate::cloud::sqs::purge_too_soon()
            }
            other => other,
        })
}
