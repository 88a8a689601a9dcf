//! The demo account's queues: `pipeline-events` has been dead-lettering
//! since the incident (its consumer starts silver-orders-etl, which fails),
//! a FIFO pair with two stuck messages, an SNS-fed DLQ (no RedrivePolicy
//! points at it) and a clean one. Messages live in [`MemoryQueues`], so peek,
//! move tasks and client-side redrives really move them.

use super::{DEMO_ACCOUNT, DEMO_REGION};
use crate::cloud::sqs::memory::{memory_url, MemoryQueues};
use crate::cloud::sqs::{
    purge_too_soon, queue_name, AttrValue, Dlq, DlqMetrics, MoveTask, QueueMetrics, SourceQueue,
};
use crate::cloud::{CloudError, CloudResult};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeMap, HashMap};

pub struct DemoQueue {
    pub name: &'static str,
    /// The DLQ its RedrivePolicy names, with maxReceiveCount.
    pub redrive_to: Option<(&'static str, u32)>,
    pub retention_secs: i64,
}

pub const QUEUES: &[DemoQueue] = &[
    DemoQueue {
        name: "pipeline-events",
        redrive_to: Some(("pipeline-events-dlq", 3)),
        retention_secs: 345_600,
    },
    DemoQueue {
        name: "pipeline-events-dlq",
        redrive_to: None,
        retention_secs: 1_209_600,
    },
    DemoQueue {
        name: "file-arrival-queue",
        redrive_to: Some(("file-arrival-dlq", 5)),
        retention_secs: 345_600,
    },
    DemoQueue {
        name: "file-arrival-dlq",
        redrive_to: None,
        retention_secs: 1_209_600,
    },
    DemoQueue {
        name: "ordered-jobs.fifo",
        redrive_to: Some(("ordered-jobs-dlq.fifo", 3)),
        retention_secs: 345_600,
    },
    DemoQueue {
        name: "ordered-jobs-dlq.fifo",
        redrive_to: None,
        retention_secs: 1_209_600,
    },
    // P8: where a pipeline sends what its retries could not fix, for a
    // person to review (written by the pipeline, not by SQS redrive).
    DemoQueue {
        name: "pipeline-dlq",
        redrive_to: None,
        retention_secs: 1_209_600,
    },
    // Fed by SNS subscriptions' redrive policies: nothing in SQS points here.
    DemoQueue {
        name: "alerts-fanout-dlq",
        redrive_to: None,
        retention_secs: 1_209_600,
    },
];

/// DLQs the demo's config names (SNS-fed, no RedrivePolicy points at it).
pub const CONFIGURED: &[&str] = &["alerts-fanout-dlq", "pipeline-dlq"];

pub fn url(name: &str) -> String {
    memory_url(DEMO_ACCOUNT, name)
}

pub fn arn(name: &str) -> String {
    format!("arn:aws:sqs:{DEMO_REGION}:{DEMO_ACCOUNT}:{name}")
}

const ORDERS_FAILED: usize = 37;
/// How long before the incident the SNS fan-out started dead-lettering.
const FANOUT_AGE: Duration = Duration::hours(13 * 24 + 14);

/// Fills the queues as the incident left them.
pub fn seed(q: &MemoryQueues, incident: DateTime<Utc>) {
    for d in QUEUES {
        q.create(&url(d.name), &arn(d.name));
    }
    let dlq = url("pipeline-events-dlq");
    for i in 0..ORDERS_FAILED {
        let sent = incident + Duration::seconds(i as i64 * 61);
        // The incident: every upload is empty (the Lambda logs "0 bytes").
        let body = format!(
            r#"{{"s3_bucket":"company-raw","s3_key":"uploads/orders/{}/orders-{i:03}.csv","file_size":0,"pipeline":"silver-orders-etl"}}"#,
            sent.format("%Y-%m-%d")
        );
        let attrs = BTreeMap::from([
            (
                "source_table".to_string(),
                AttrValue::text("String", "orders"),
            ),
            ("environment".to_string(), AttrValue::text("String", "prod")),
            ("file_count".to_string(), AttrValue::text("Number", "1")),
        ]);
        q.put(
            &dlq,
            &body,
            attrs,
            None,
            Some(&arn("pipeline-events")),
            sent,
        );
    }
    let fifo = url("ordered-jobs-dlq.fifo");
    for (i, table) in ["orders", "customers"].iter().enumerate() {
        let sent = incident - Duration::hours(3 + i as i64);
        let body = format!(
            r#"{{"table_name":"{table}","run_date":"{}","pipeline":"daily-incremental"}}"#,
            sent.format("%Y-%m-%d")
        );
        q.put(
            &fifo,
            &body,
            BTreeMap::new(),
            Some(table),
            Some(&arn("ordered-jobs.fifo")),
            sent,
        );
    }
    // The partner feed's run that ended REQUIRES_MANUAL_REVIEW (its audit
    // record and its three attempts are in the demo's tables).
    // Sent when its third attempt gave up: the run's record ends then
    // (81 minutes before the story's origin, which is 40 after this).
    let review = incident - Duration::minutes(41);
    q.put(
        &url("pipeline-dlq"),
        &format!(
            r#"{{"run_id":"run-partner-0412","pipeline_name":"partner-feed-ingest","error":"[ThrottlingException] Rate exceeded calling partner API (429)","timestamp":"{}","action":"REQUIRES_MANUAL_REVIEW"}}"#,
            review.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        BTreeMap::from([(
            "pipeline".to_string(),
            AttrValue::text("String", "partner-feed-ingest"),
        )]),
        None,
        None,
        review,
    );
    let fanout = url("alerts-fanout-dlq");
    for i in 0..4 {
        let body = format!(
            r#"{{"run_id":"{}","pipeline_name":"gold-daily-aggregates","error":"HTTP 410 from webhook","action":"REQUIRES_MANUAL_REVIEW"}}"#,
            super::scenario::run_id("gold-daily-aggregates", -10_000 - i)
        );
        let attrs = BTreeMap::from([(
            "pipeline".to_string(),
            AttrValue::text("String", "gold-daily-aggregates"),
        )]);
        q.put(
            &fanout,
            &body,
            attrs,
            None,
            None,
            // Nearly 14 days old: retention deletes them within hours.
            incident - FANOUT_AGE + Duration::minutes(i),
        );
    }
}

/// A move task started in the demo: it moves `rate` messages a second.
#[derive(Debug, Clone)]
pub struct DemoTask {
    pub handle: String,
    pub dlq: String,
    pub destination: Option<String>,
    pub started: DateTime<Utc>,
    pub to_move: i64,
    pub rate: i64,
    pub moved: i64,
    pub cancelled: bool,
}

impl DemoTask {
    pub fn status(&self) -> &'static str {
        match (self.cancelled, self.moved >= self.to_move) {
            (true, _) => "CANCELLED",
            (false, true) => "COMPLETED",
            (false, false) => "RUNNING",
        }
    }

    /// When a task that moved everything it was asked to finished.
    pub fn finished(&self) -> Option<DateTime<Utc>> {
        (self.status() == "COMPLETED").then(|| {
            let rate = self.rate.max(1);
            self.started + Duration::seconds((self.to_move + rate - 1) / rate)
        })
    }

    pub fn view(&self) -> MoveTask {
        MoveTask {
            handle: (self.status() == "RUNNING").then(|| self.handle.clone()),
            status: self.status().into(),
            moved: self.moved,
            to_move: Some(self.to_move),
            destination_arn: self.destination.clone(),
            max_per_second: Some(self.rate as i32),
            failure_reason: None,
            started: Some(self.started),
        }
    }
}

/// Moves what a task has moved by `now` from the DLQ to its destination.
pub fn advance(q: &MemoryQueues, t: &mut DemoTask, now: DateTime<Utc>) {
    if t.status() != "RUNNING" {
        return;
    }
    let due = ((now - t.started).num_seconds().max(0) * t.rate).min(t.to_move);
    let n = (due - t.moved).max(0) as usize;
    for (body, attrs, source) in q.take(&url(&t.dlq), n) {
        let dest = t
            .destination
            .clone()
            .or(source)
            .and_then(|a| q.url_of_arn(&a));
        if let Some(dest) = dest {
            q.put(&dest, &body, attrs, None, None, now);
        }
    }
    t.moved += n as i64;
}

pub fn advance_all(q: &MemoryQueues, tasks: &mut [DemoTask], now: DateTime<Utc>) {
    for t in tasks {
        advance(q, t, now);
    }
}

pub struct TaskRequest<'a> {
    pub dlq_arn: &'a str,
    pub destination_arn: Option<&'a str>,
    pub max_per_second: Option<i32>,
}

/// StartMessageMoveTask: refused, like SQS, while one runs on the queue.
pub fn start_task(
    q: &MemoryQueues,
    tasks: &mut Vec<DemoTask>,
    req: TaskRequest<'_>,
    now: DateTime<Utc>,
) -> CloudResult<String> {
    let name = queue_name(req.dlq_arn).to_string();
    if tasks
        .iter()
        .any(|t| t.dlq == name && t.status() == "RUNNING")
    {
        return Err(CloudError::InvalidInput {
            message: "There is already a task running. Only one active task is allowed for a source queue arn at a given time.".into(),
        });
    }
    let (visible, _) = q.counts(&url(&name));
    let handle = format!("demo-task-{}", tasks.len() + 1);
    tasks.push(DemoTask {
        handle: handle.clone(),
        dlq: name,
        destination: req.destination_arn.map(str::to_string),
        started: now,
        to_move: visible,
        // Fast enough to watch finish, slow enough to see it run.
        rate: req.max_per_second.map_or(3, i64::from).max(1),
        moved: 0,
        cancelled: false,
    });
    Ok(handle)
}

pub fn cancel_task(tasks: &mut [DemoTask], handle: &str) -> CloudResult<i64> {
    match tasks
        .iter_mut()
        .find(|t| t.handle == handle && t.status() == "RUNNING")
    {
        Some(t) => {
            t.cancelled = true;
            Ok(t.moved)
        }
        None => Err(CloudError::NotFound {
            message: format!("no running task with handle {handle}"),
        }),
    }
}

/// PurgeQueue, once a minute per queue.
pub fn purge(
    q: &MemoryQueues,
    purged: &mut HashMap<String, DateTime<Utc>>,
    queue_url: &str,
    now: DateTime<Utc>,
) -> CloudResult<()> {
    if purged
        .get(queue_url)
        .is_some_and(|at| now - *at < Duration::seconds(60))
    {
        return Err(purge_too_soon());
    }
    purged.insert(queue_url.to_string(), now);
    q.purge(queue_url);
    Ok(())
}

pub fn dlqs(q: &MemoryQueues, tasks: &[DemoTask]) -> Vec<Dlq> {
    let mut out: Vec<Dlq> = QUEUES
        .iter()
        .filter(|d| {
            CONFIGURED.contains(&d.name)
                || QUEUES
                    .iter()
                    .any(|s| s.redrive_to.is_some_and(|(t, _)| t == d.name))
        })
        .map(|d| {
            let (visible, in_flight) = q.counts(&url(d.name));
            let sources = QUEUES
                .iter()
                .filter_map(|s| match s.redrive_to {
                    Some((t, max)) if t == d.name => Some(SourceQueue {
                        name: s.name.into(),
                        url: url(s.name),
                        arn: arn(s.name),
                        max_receive_count: Some(max),
                    }),
                    _ => None,
                })
                .collect();
            Dlq {
                name: d.name.into(),
                url: url(d.name),
                arn: arn(d.name),
                fifo: d.name.ends_with(".fifo"),
                sources,
                configured: CONFIGURED.contains(&d.name),
                visible,
                in_flight,
                delayed: 0,
                retention_secs: Some(d.retention_secs),
                visibility_timeout_secs: Some(30),
                move_task: tasks
                    .iter()
                    .rev()
                    .find(|t| t.dlq == d.name)
                    .map(DemoTask::view),
                note: None,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// An hour of depth: pipeline-events-dlq climbs from the incident on.
pub fn metrics(
    q: &MemoryQueues,
    names: &[String],
    incident: DateTime<Utc>,
    now: DateTime<Utc>,
) -> DlqMetrics {
    let mut out = DlqMetrics::default();
    for name in names {
        let (visible, _) = q.counts(&url(name));
        let start = now - Duration::minutes(60);
        let depth = (0..60)
            .map(|m| {
                let t = start + Duration::minutes(m);
                let v = if name == "pipeline-events-dlq" {
                    let since = (t - incident).num_minutes();
                    ((since.max(0) * ORDERS_FAILED as i64) / 40).min(visible) as f64
                } else {
                    visible as f64
                };
                (t, v)
            })
            .collect();
        let oldest_age_s = (visible > 0).then(|| match name.as_str() {
            "pipeline-events-dlq" => (now - incident).num_seconds(),
            "alerts-fanout-dlq" => (now - incident + FANOUT_AGE).num_seconds(),
            _ => (now - incident + Duration::hours(3)).num_seconds(),
        });
        out.queues.insert(
            name.clone(),
            QueueMetrics {
                depth,
                oldest_age_s,
            },
        );
    }
    out
}
