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

/// Where the process dies at its cut.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cut {
    /// The cut call fails without touching the queues.
    Before,
    /// The cut call takes effect (a send that landed, a delete that
    /// landed), then its answer is lost: the caller sees an error.
    AfterEffect,
}

/// Passes the first `budget` calls through; the next one is cut as `cut`
/// says, and after it the "process" is dead: every call fails without
/// touching the queues.
struct Interrupted<'a> {
    inner: &'a MemoryQueues,
    calls: AtomicUsize,
    budget: usize,
    cut: Cut,
}

enum Step {
    Pass,
    LandThenFail,
    Fail,
}

fn interrupted() -> CloudError {
    CloudError::Network {
        message: "interrupted".into(),
    }
}

impl Interrupted<'_> {
    fn step(&self) -> Step {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        match n.cmp(&self.budget) {
            std::cmp::Ordering::Less => Step::Pass,
            std::cmp::Ordering::Equal if self.cut == Cut::AfterEffect => Step::LandThenFail,
            _ => Step::Fail,
        }
    }

    /// Runs `call` as the step says: its answer, or an error after (or
    /// instead of) its effect.
    async fn through<T>(
        &self,
        call: impl std::future::Future<Output = CloudResult<T>>,
    ) -> CloudResult<T> {
        match self.step() {
            Step::Pass => call.await,
            Step::LandThenFail => {
                let _landed = call.await;
                Err(interrupted())
            }
            Step::Fail => Err(interrupted()),
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
        self.through(self.inner.receive(q, max, vis, wait)).await
    }
    async fn send_batch(&self, q: &str, e: &[OutgoingMessage]) -> CloudResult<BatchFailures> {
        self.through(self.inner.send_batch(q, e)).await
    }
    async fn delete_batch(&self, q: &str, e: &[(String, String)]) -> CloudResult<BatchFailures> {
        self.through(self.inner.delete_batch(q, e)).await
    }
    async fn change_visibility_batch(
        &self,
        q: &str,
        e: &[(String, String)],
        v: i32,
    ) -> CloudResult<BatchFailures> {
        self.through(self.inner.change_visibility_batch(q, e, v))
            .await
    }
    async fn max_message_size(&self, q: &str) -> CloudResult<usize> {
        self.through(self.inner.max_message_size(q)).await
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

/// How one interrupted redrive is cut and recovered.
#[derive(Debug, Clone, Copy)]
struct Case {
    cut: Cut,
    /// Seconds on the queue's clock before the recovery run: past the
    /// redrive's 60 s hold (held messages show again); under 300 s is still
    /// inside a FIFO queue's deduplication window.
    recover_after: u64,
    /// The recovery's action id: a new action, or the same one retried
    /// (its FIFO resends carry the same deduplication ids).
    recovery_action: &'static str,
}

const CASES: &[Case] = &[
    Case {
        cut: Cut::Before,
        recover_after: 3_600,
        recovery_action: "action-2",
    },
    Case {
        cut: Cut::AfterEffect,
        recover_after: 3_600,
        recovery_action: "action-2",
    },
    // Inside the 5-minute deduplication window: a new action's resends
    // must not be dropped, and the same action's resends of what already
    // landed are dropped by SQS (no duplicate) without losing the rest.
    Case {
        cut: Cut::AfterEffect,
        recover_after: 61,
        recovery_action: "action-2",
    },
    Case {
        cut: Cut::AfterEffect,
        recover_after: 61,
        recovery_action: "action-1",
    },
];

/// Interrupt at `k`, recover, finish; check nothing is lost.
async fn run_case(fifo: bool, k: usize, seed: u64, case: Case) -> Tally {
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
        cut: case.cut,
    };
    let first = redrive::run(&cut, &plan(fifo, "action-1"), limits()).await;
    assert!(
        first.stopped.is_some() || q.counts(dlq) == (0, 0),
        "seed {seed}, k {k}, {case:?}: the cut run neither stopped nor finished"
    );
    // The dead process's held messages come back when their hold ends.
    q.advance(case.recover_after);
    let last = redrive::run(&q, &plan(fifo, case.recovery_action), limits()).await;
    assert_eq!(
        last.stopped,
        None,
        "seed {seed}, k {k}, {case:?}: {}",
        last.summary()
    );
    assert_eq!(
        q.counts(dlq),
        (0, 0),
        "seed {seed}, k {k}, {case:?}: the DLQ is not empty"
    );

    let mut seen: HashMap<String, usize> = HashMap::new();
    for b in q.bodies(src).into_iter().chain(q.bodies(dlq)) {
        *seen.entry(b).or_default() += 1;
    }
    let lost: Vec<&String> = bodies.iter().filter(|b| !seen.contains_key(*b)).collect();
    assert!(
        lost.is_empty(),
        "seed {seed}, k {k}, {case:?}: lost {} message(s), e.g. {:?}",
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
        cut: Cut::Before,
    };
    let out = redrive::run(&counting, &plan(fifo, "count"), limits()).await;
    assert_eq!(out.moved, MESSAGES, "{}", out.summary());
    let total_calls = counting.calls.load(Ordering::SeqCst);
    // Seeded cut points, plus the edges and the spots right after a send
    // (receive, send → cut before the delete).
    let mut ks = seeded(seed, 12, total_calls);
    ks.extend([0, 1, 2, 3, total_calls - 1]);
    for case in CASES {
        let mut duplicates = Vec::new();
        for &k in &ks {
            duplicates.push((k, run_case(fifo, k, seed, *case).await.duplicates));
        }
        println!(
            "no-loss {} seed {seed} {case:?}: {MESSAGES} messages, {total_calls} calls per full run, cut at k → duplicates: {duplicates:?}",
            if fifo { "FIFO" } else { "standard" },
        );
        // A send that landed while its delete did not is the only way to
        // duplicate, and it duplicates at most one batch.
        assert!(duplicates.iter().all(|(_, d)| *d <= 10), "{duplicates:?}");
    }
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
    let t = run_case(false, 3, 0, CASES[0]).await;
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

#[tokio::test]
async fn a_send_that_landed_but_answered_an_error_is_never_lost() {
    // Calls of the first batch, from 0: receive, the destination's
    // MaximumMessageSize, send (2), delete (3). The send lands and its
    // answer is lost: the messages are at the source and still in the DLQ;
    // a new action resends them (ten duplicates).
    let t = run_case(false, 2, 0, CASES[1]).await;
    assert_eq!(t.duplicates, 10);
    // The same action retried inside the FIFO dedup window: SQS drops the
    // resends of what already landed, so no duplicate and nothing lost.
    let t = run_case(true, 2, 0, CASES[3]).await;
    assert_eq!(t.duplicates, 0);
}

#[tokio::test]
async fn a_delete_that_landed_but_answered_an_error_is_never_lost() {
    // The delete (call 3) lands and answers an error: moved exactly once.
    let t = run_case(false, 3, 0, CASES[1]).await;
    assert_eq!(t.duplicates, 0);
}
