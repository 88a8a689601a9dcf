//! The client-side redrive never loses a message, wherever it is cut off.
//!
//! A 1,000-message DLQ (standard, and FIFO) in the in-memory SQS; the real
//! redrive code is interrupted after its k-th call for seeded k (the process
//! "dies": every later call fails), held messages reappear when their
//! visibility runs out, and a final uninterrupted run must empty the DLQ.
//! Then both queues are drained: every original body must be there once or
//! more (duplicates allowed and counted), none missing.

use async_trait::async_trait;
use pipedeck::cloud::sqs::memory::MemoryQueues;
use pipedeck::cloud::sqs::redrive::{
    self, BatchFailures, Destination, Limits, OutgoingMessage, QueueOps, RedrivePlan,
};
use pipedeck::cloud::sqs::{AttrValue, QueueMessage};
use pipedeck::cloud::{CloudError, CloudResult};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

const MESSAGES: usize = 1_000;
const DLQ: &str = "mem://000000000000/orders-dlq";
const SRC: &str = "mem://000000000000/orders";
const FIFO_DLQ: &str = "mem://000000000000/orders-dlq.fifo";
const FIFO_SRC: &str = "mem://000000000000/orders.fifo";

/// Passes the first `budget` calls through; after that the "process" is
/// dead and every call fails without touching the queues.
struct Interrupted<'a> {
    inner: &'a MemoryQueues,
    calls: AtomicUsize,
    budget: usize,
}

impl Interrupted<'_> {
    fn alive(&self) -> CloudResult<()> {
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.budget {
            Ok(())
        } else {
            Err(CloudError::Network {
                message: "interrupted".into(),
            })
        }
    }
}

#[async_trait]
impl QueueOps for Interrupted<'_> {
    async fn receive(
        &self,
        q: &str,
        max: i32,
        vis: i32,
        wait: i32,
    ) -> CloudResult<Vec<QueueMessage>> {
        self.alive()?;
        self.inner.receive(q, max, vis, wait).await
    }
    async fn send_batch(&self, q: &str, e: &[OutgoingMessage]) -> CloudResult<BatchFailures> {
        self.alive()?;
        self.inner.send_batch(q, e).await
    }
    async fn delete_batch(&self, q: &str, e: &[(String, String)]) -> CloudResult<BatchFailures> {
        self.alive()?;
        self.inner.delete_batch(q, e).await
    }
    async fn change_visibility_batch(
        &self,
        q: &str,
        e: &[(String, String)],
        v: i32,
    ) -> CloudResult<BatchFailures> {
        self.alive()?;
        self.inner.change_visibility_batch(q, e, v).await
    }
    async fn max_message_size(&self, q: &str) -> CloudResult<usize> {
        self.alive()?;
        self.inner.max_message_size(q).await
    }
}

fn fill(fifo: bool) -> (MemoryQueues, Vec<String>) {
    let q = MemoryQueues::new(chrono::Utc::now());
    let (dlq, src) = if fifo {
        (FIFO_DLQ, FIFO_SRC)
    } else {
        (DLQ, SRC)
    };
    q.create(dlq, "arn:aws:sqs:us-east-1:000000000000:dlq");
    q.create(src, "arn:aws:sqs:us-east-1:000000000000:src");
    let bodies: Vec<String> = (0..MESSAGES)
        .map(|i| format!(r#"{{"order":{i}}}"#))
        .collect();
    for (i, b) in bodies.iter().enumerate() {
        let attrs = BTreeMap::from([("n".to_string(), AttrValue::text("Number", &i.to_string()))]);
        let group = fifo.then(|| format!("g{}", i % 7));
        q.put(
            dlq,
            b,
            attrs,
            group.as_deref(),
            Some("arn:aws:sqs:us-east-1:000000000000:src"),
            chrono::Utc::now(),
        );
    }
    (q, bodies)
}

fn plan(fifo: bool, action: &str) -> RedrivePlan {
    let (dlq, src) = if fifo {
        (FIFO_DLQ, FIFO_SRC)
    } else {
        (DLQ, SRC)
    };
    RedrivePlan {
        dlq_url: dlq.into(),
        fifo,
        destination: Destination::Fixed { url: src.into() },
        only: None,
        action_id: action.into(),
    }
}

fn limits() -> Limits {
    Limits {
        max_receives: 10_000,
        wait_secs: 0,
    }
}

/// A small deterministic generator (no clock, no OS randomness), so a
/// failing seed can be replayed exactly.
fn seeded(seed: u64, n: usize, max: usize) -> Vec<usize> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % max as u64) as usize
        })
        .collect()
}

struct Tally {
    duplicates: usize,
}

/// Interrupt at `k`, recover, finish; check nothing is lost.
async fn run_case(fifo: bool, k: usize, seed: u64) -> Tally {
    let (q, bodies) = fill(fifo);
    let (dlq, src) = if fifo {
        (FIFO_DLQ, FIFO_SRC)
    } else {
        (DLQ, SRC)
    };
    let cut = Interrupted {
        inner: &q,
        calls: AtomicUsize::new(0),
        budget: k,
    };
    let first = redrive::run(&cut, &plan(fifo, "action-1"), limits()).await;
    assert!(
        first.stopped.is_some() || q.counts(dlq) == (0, 0),
        "seed {seed}, k {k}: the cut run neither stopped nor finished"
    );
    // The dead process's held messages come back when their hold ends.
    q.advance(3_600);
    let last = redrive::run(&q, &plan(fifo, "action-2"), limits()).await;
    assert_eq!(last.stopped, None, "seed {seed}, k {k}: {}", last.summary());
    assert_eq!(
        q.counts(dlq),
        (0, 0),
        "seed {seed}, k {k}: the DLQ is not empty"
    );

    let mut seen: HashMap<String, usize> = HashMap::new();
    for b in q.bodies(src).into_iter().chain(q.bodies(dlq)) {
        *seen.entry(b).or_default() += 1;
    }
    let lost: Vec<&String> = bodies.iter().filter(|b| !seen.contains_key(*b)).collect();
    assert!(
        lost.is_empty(),
        "seed {seed}, k {k}: lost {} message(s), e.g. {:?}",
        lost.len(),
        lost.first()
    );
    Tally {
        duplicates: seen.values().map(|n| n - 1).sum(),
    }
}

async fn no_loss(fifo: bool, seed: u64) {
    // One uninterrupted run first: how many calls a full redrive makes.
    let (q, _) = fill(fifo);
    let counting = Interrupted {
        inner: &q,
        calls: AtomicUsize::new(0),
        budget: usize::MAX,
    };
    let out = redrive::run(&counting, &plan(fifo, "count"), limits()).await;
    assert_eq!(out.moved, MESSAGES, "{}", out.summary());
    let total_calls = counting.calls.load(Ordering::SeqCst);
    // Seeded cut points, plus the edges and the spots right after a send
    // (receive, send → cut before the delete).
    let mut ks = seeded(seed, 12, total_calls);
    ks.extend([0, 1, 2, 3, total_calls - 1]);
    let mut duplicates = Vec::new();
    for k in ks {
        duplicates.push((k, run_case(fifo, k, seed).await.duplicates));
    }
    println!(
        "no-loss {} seed {seed}: {MESSAGES} messages, {total_calls} calls per full run, cut at k → duplicates: {duplicates:?}",
        if fifo { "FIFO" } else { "standard" },
    );
    // A cut between a send and its delete is the only way to duplicate,
    // and it duplicates at most one batch.
    assert!(duplicates.iter().all(|(_, d)| *d <= 10), "{duplicates:?}");
}

#[tokio::test]
async fn standard_dlq_loses_nothing_when_interrupted_anywhere() {
    no_loss(false, 0x5EED_0001).await;
}

#[tokio::test]
async fn fifo_dlq_loses_nothing_when_interrupted_anywhere() {
    no_loss(true, 0x5EED_0002).await;
}

#[tokio::test]
async fn a_cut_between_send_and_delete_duplicates_but_never_loses() {
    // Calls of the first batch: receive (1), the destination's
    // MaximumMessageSize (2), send (3), delete (4). Cutting after the send
    // leaves ten messages in both queues.
    let t = run_case(false, 3, 0).await;
    assert_eq!(t.duplicates, 10);
}

#[tokio::test]
async fn fifo_resend_with_the_original_dedup_id_would_be_dropped() {
    // Why the redrive mints new deduplication ids: inside the 5-minute
    // window SQS accepts a reused id and drops the message.
    let q = MemoryQueues::new(chrono::Utc::now());
    q.create(FIFO_SRC, "arn:src");
    let msg = |dedup: &str| OutgoingMessage {
        entry_id: "0".into(),
        body: "b".into(),
        attributes: BTreeMap::new(),
        group_id: Some("g".into()),
        dedup_id: Some(dedup.into()),
    };
    assert!(q
        .send_batch(FIFO_SRC, &[msg("orig")])
        .await
        .unwrap()
        .is_empty());
    assert!(
        q.send_batch(FIFO_SRC, &[msg("orig")])
            .await
            .unwrap()
            .is_empty(),
        "accepted…"
    );
    assert_eq!(q.bodies(FIFO_SRC).len(), 1, "…and dropped");
    let fresh = redrive::resend_dedup_id("msg-1", "action-1");
    assert_ne!(fresh, "orig");
    assert_eq!(
        fresh,
        redrive::resend_dedup_id("msg-1", "action-1"),
        "stable within an action"
    );
    assert_ne!(
        fresh,
        redrive::resend_dedup_id("msg-1", "action-2"),
        "new for a new action"
    );
    assert!(q
        .send_batch(FIFO_SRC, &[msg(&fresh)])
        .await
        .unwrap()
        .is_empty());
    assert_eq!(q.bodies(FIFO_SRC).len(), 2);
}
