//! Unit tests of the client-side redrive on the in-memory SQS.
use super::*;
use crate::cloud::sqs::memory::MemoryQueues;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

fn queues(n: usize) -> MemoryQueues {
    let q = MemoryQueues::new(chrono::Utc::now());
    q.create("mem://1/dlq", "arn:dlq");
    q.create("mem://1/src", "arn:src");
    for i in 0..n {
        q.put(
            "mem://1/dlq",
            &format!("m{i}"),
            BTreeMap::new(),
            None,
            None,
            chrono::Utc::now(),
        );
    }
    q
}

fn plan(only: Option<BTreeSet<String>>) -> RedrivePlan {
    RedrivePlan {
        dlq_url: "mem://1/dlq".into(),
        fifo: false,
        destination: Destination::Fixed {
            url: "mem://1/src".into(),
        },
        only,
        action_id: "a".into(),
    }
}

#[tokio::test]
async fn marked_ids_not_found_are_reported_not_guessed() {
    let q = queues(25);
    let ids: BTreeSet<String> = ["no-such-id".to_string()].into();
    let limits = Limits {
        max_receives: 8,
        wait_secs: 0,
    };
    let out = run(&q, &plan(Some(ids)), limits).await;
    assert_eq!(out.moved, 0);
    assert_eq!(out.not_found, ["no-such-id"]);
    assert!(out.receives <= 8, "bounded: {}", out.receives);
    assert_eq!(
        q.counts("mem://1/dlq"),
        (25, 0),
        "the others were released at once"
    );
    assert!(out.summary().contains("1 selected not found"));
}

#[tokio::test]
async fn a_marked_message_already_gone_stops_once_the_dlq_has_been_seen() {
    // The production limit, not a test's: the stop must come from having
    // seen every message, not from running out of receives.
    let q = queues(25);
    let ids: BTreeSet<String> = ["moved-already".to_string()].into();
    let out = run(&q, &plan(Some(ids)), Limits::default()).await;
    assert_eq!(out.not_found, ["moved-already"]);
    // 25 messages are 3 receives of 10; then a few that bring nothing new.
    assert!(out.receives <= 10, "{} receives", out.receives);
    assert_eq!(q.counts("mem://1/dlq"), (25, 0), "all released");
}

#[tokio::test]
async fn only_the_marked_ones_move() {
    let q = queues(25);
    let first = q.receive("mem://1/dlq", 10, 0, 0).await.unwrap();
    let ids: BTreeSet<String> = [first[3].id.clone(), first[7].id.clone()].into();
    let out = run(&q, &plan(Some(ids)), Limits::default()).await;
    assert_eq!(out.moved, 2);
    assert!(out.not_found.is_empty());
    let mut moved = q.bodies("mem://1/src");
    moved.sort();
    assert_eq!(moved, ["m3", "m7"]);
    assert_eq!(q.counts("mem://1/dlq"), (23, 0));
}

/// A queue whose sends take 40 s each — on tokio's clock (which the
/// redrive reads to decide when to extend) and on the queue's own (which
/// decides when a held message shows again): the hold on the messages being
/// moved must be extended before it runs out.
struct SlowSends {
    q: MemoryQueues,
    extended: AtomicUsize,
    /// Messages received from the DLQ so far (first receives only).
    received: AtomicUsize,
    /// The most messages seen visible in the DLQ again while being moved:
    /// any other consumer could have taken them then.
    shown_again: AtomicUsize,
}

const SLOW_TOTAL: usize = 30;

#[async_trait]
impl QueueOps for SlowSends {
    async fn receive(&self, q: &str, m: i32, v: i32, w: i32) -> CloudResult<Vec<QueueMessage>> {
        let got = self.q.receive(q, m, v, w).await?;
        self.received.fetch_add(got.len(), SeqCst);
        Ok(got)
    }
    async fn send_batch(&self, q: &str, e: &[OutgoingMessage]) -> CloudResult<BatchFailures> {
        tokio::time::advance(Duration::from_secs(40)).await;
        self.q.advance(40);
        // Visible now: the ones never received, and any hold that ran out.
        let (visible, _) = self.q.counts("mem://1/dlq");
        let untouched = SLOW_TOTAL.saturating_sub(self.received.load(SeqCst));
        let again = (visible as usize).saturating_sub(untouched);
        self.shown_again.fetch_max(again, SeqCst);
        self.q.send_batch(q, e).await
    }
    async fn delete_batch(&self, q: &str, e: &[(String, String)]) -> CloudResult<BatchFailures> {
        self.q.delete_batch(q, e).await
    }
    async fn change_visibility_batch(
        &self,
        q: &str,
        e: &[(String, String)],
        v: i32,
    ) -> CloudResult<BatchFailures> {
        if v > 0 {
            self.extended.fetch_add(1, SeqCst);
        }
        self.q.change_visibility_batch(q, e, v).await
    }
    async fn max_message_size(&self, q: &str) -> CloudResult<usize> {
        self.q.max_message_size(q).await
    }
}

#[tokio::test(start_paused = true)]
async fn the_hold_is_extended_while_working() {
    let q = queues(0);
    // Big bodies: 30 messages of 300 KB make several send chunks (three
    // fit in 1 MiB) per received batch of 10.
    for i in 0..SLOW_TOTAL {
        let body = format!("{i}-{}", "x".repeat(300_000));
        q.put(
            "mem://1/dlq",
            &body,
            BTreeMap::new(),
            None,
            None,
            chrono::Utc::now(),
        );
    }
    let slow = SlowSends {
        q,
        extended: AtomicUsize::new(0),
        received: AtomicUsize::new(0),
        shown_again: AtomicUsize::new(0),
    };
    let out = run(
        &slow,
        &plan(None),
        Limits {
            max_receives: 50,
            wait_secs: 0,
        },
    )
    .await;
    assert_eq!(out.moved, SLOW_TOTAL, "{}", out.summary());
    // A received batch takes 4 sends × 40 s, past the 60 s hold: without
    // extending it, its messages would show in the DLQ again mid-move.
    assert_eq!(
        slow.shown_again.load(SeqCst),
        0,
        "held messages showed again while being moved"
    );
    assert!(slow.extended.load(SeqCst) > 0, "visibility was extended");
    assert_eq!(slow.q.bodies("mem://1/src").len(), SLOW_TOTAL);
    assert_eq!(slow.q.counts("mem://1/dlq"), (0, 0));
}

#[tokio::test]
async fn a_message_larger_than_the_destination_accepts_stays_in_the_dlq() {
    let q = queues(2);
    q.set_max_message_size("mem://1/src", 1024);
    let blob = AttrValue {
        data_type: "Binary".into(),
        string: None,
        binary: Some(vec![7; 2048]),
    };
    q.put(
        "mem://1/dlq",
        "big",
        BTreeMap::from([("payload".to_string(), blob)]),
        None,
        None,
        chrono::Utc::now(),
    );
    let out = run(&q, &plan(None), Limits::default()).await;
    assert_eq!((out.moved, out.too_large), (2, 1), "{}", out.summary());
    assert_eq!(q.bodies("mem://1/dlq"), ["big"], "never deleted");
    assert_eq!(
        q.counts("mem://1/dlq"),
        (1, 0),
        "released when the run ends"
    );
    assert!(out.incomplete());
    assert!(
        out.summary().contains(
            "1 larger than the destination's MaximumMessageSize (not sent, left in the DLQ)"
        ),
        "{}",
        out.summary()
    );
    // 3 + 2,048 + "payload" + "Binary": what SQS counts, named.
    assert!(
        out.errors[0].contains("is 2064 bytes; src accepts at most 1024"),
        "{:?}",
        out.errors
    );
}
