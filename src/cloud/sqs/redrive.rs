//! Client-side redrive: receive from a DLQ, send each message to where it
//! came from, delete it from the DLQ only once the send succeeded.
//!
//! Used where StartMessageMoveTask cannot serve: DLQs fed by SNS or Lambda,
//! a destination of the user's choosing, or selected messages. The rules
//! that keep it from losing a message:
//! - a message is deleted only when its own SendMessageBatch entry succeeded
//!   (every batch's `Failed` list is checked);
//! - FIFO resends carry a **new** deduplication id (DLQ message id + action
//!   id): the original id inside the 5-minute window makes SQS accept and
//!   silently drop the resend, and the delete after it would lose the message;
//! - messages it will not move are released at once (visibility 0); the ones
//!   it moves stay in flight, and their visibility is extended while it works;
//! - a message larger than its destination's MaximumMessageSize (read with
//!   GetQueueAttributes before the first send there, and counted as SQS
//!   counts it: `size.rs`) is never sent, so never deleted: it stays in the
//!   DLQ and the outcome says why.
//!
//! If it is interrupted anywhere, a message is in the DLQ, at its
//! destination, or (between a send and its delete) in both: duplicates are
//! possible, losses are not. `tests/sqs_no_loss.rs` checks that claim.

pub use super::outcome::RedriveOutcome;
use super::size::{chunks, SERVICE_MAX_MESSAGE};
use super::{AttrValue, QueueMessage};
use crate::cloud::CloudResult;
use async_trait::async_trait;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// One entry of a SendMessageBatch.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMessage {
    /// Batch entry id (unique within the batch).
    pub entry_id: String,
    pub body: String,
    pub attributes: BTreeMap<String, AttrValue>,
    pub group_id: Option<String>,
    pub dedup_id: Option<String>,
}

/// Per-entry result of a batch call: entry id → error (code: message).
pub type BatchFailures = BTreeMap<String, String>;

/// The SQS calls a client-side redrive makes. The AWS backend implements it
/// with the SDK client; the demo account (and the no-loss test) with an
/// in-memory queue store.
#[async_trait]
pub trait QueueOps: Send + Sync {
    async fn receive(
        &self,
        queue_url: &str,
        max: i32,
        visibility_secs: i32,
        wait_secs: i32,
    ) -> CloudResult<Vec<QueueMessage>>;
    async fn send_batch(
        &self,
        queue_url: &str,
        entries: &[OutgoingMessage],
    ) -> CloudResult<BatchFailures>;
    /// Entries are (entry id, receipt handle).
    async fn delete_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
    ) -> CloudResult<BatchFailures>;
    /// Entries are (entry id, receipt handle).
    async fn change_visibility_batch(
        &self,
        queue_url: &str,
        entries: &[(String, String)],
        visibility_secs: i32,
    ) -> CloudResult<BatchFailures>;
    /// The queue's MaximumMessageSize in bytes: a larger message cannot
    /// be sent there.
    async fn max_message_size(&self, queue_url: &str) -> CloudResult<usize>;
}

impl Default for Destination {
    fn default() -> Self {
        Destination::Fixed { url: String::new() }
    }
}

/// Where a message goes.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub enum Destination {
    /// Every message to this queue URL.
    Fixed { url: String },
    /// Each message to its source: DeadLetterQueueSourceArn (arn → url),
    /// else `fallback` (the DLQ's only source).
    BySource {
        urls: BTreeMap<String, String>,
        fallback: Option<String>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct RedrivePlan {
    pub dlq_url: String,
    /// FIFO destinations need group and deduplication ids.
    pub fifo: bool,
    pub destination: Destination,
    /// Only these message ids; `None` moves everything.
    pub only: Option<BTreeSet<String>>,
    /// Used in FIFO deduplication ids so a retry of the same action is
    /// deduplicated but a new action is not.
    pub action_id: String,
}

/// How long the messages being moved stay hidden from other consumers.
const HOLD_SECS: i32 = 60;
/// Empty receives in a row before a full redrive is considered done (SQS
/// short polls can come back empty while messages remain).
const EMPTY_RECEIVES_TO_STOP: usize = 3;

pub struct Limits {
    /// Receives before giving up on finding selected messages.
    pub max_receives: usize,
    pub wait_secs: i32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_receives: 2_000,
            wait_secs: 1,
        }
    }
}

/// A peek: reads up to `max` messages and releases them at once. They stay
/// in the queue, but each receive counts towards ApproximateReceiveCount.
pub async fn peek(ops: &dyn QueueOps, url: &str, max: usize) -> CloudResult<Vec<QueueMessage>> {
    let mut seen: Vec<QueueMessage> = Vec::new();
    let mut result = Ok(());
    while seen.len() < max {
        let want = (max - seen.len()).min(10) as i32;
        // Held for 30 s at most even if the release below fails.
        match ops.receive(url, want, 30, 0).await {
            Ok(batch) if batch.is_empty() => break,
            Ok(batch) => seen.extend(batch),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    for chunk in seen.chunks(10) {
        let all: Vec<&QueueMessage> = chunk.iter().collect();
        ops.change_visibility_batch(url, &handles(&all), 0).await?;
    }
    result.map(|()| seen)
}

/// Batch entries (index, receipt handle) for messages.
fn handles(msgs: &[&QueueMessage]) -> Vec<(String, String)> {
    msgs.iter()
        .enumerate()
        .map(|(i, m)| (i.to_string(), m.receipt_handle.clone()))
        .collect()
}

/// The FIFO deduplication id of a resend: stable within one action (a retry
/// is deduplicated), new for every action (never the original id).
pub fn resend_dedup_id(message_id: &str, action_id: &str) -> String {
    let mut id = format!("{message_id}-{action_id}");
    id.truncate(128);
    id
}

/// Runs the redrive. An AWS error stops it part-way; the outcome then says
/// what was done before and why it stopped (`stopped`).
pub async fn run(ops: &dyn QueueOps, plan: &RedrivePlan, limits: Limits) -> RedriveOutcome {
    let mut out = RedriveOutcome::default();
    if let Err(e) = run_until_done(ops, plan, limits, &mut out).await {
        out.stopped = Some(e.to_string());
    }
    out
}

/// What a run keeps between receives.
#[derive(Default)]
struct Kept {
    /// Each destination's MaximumMessageSize, read once.
    max_sizes: BTreeMap<String, usize>,
    /// Messages too large for their destination, by id (with their latest
    /// receipt handle): held rather than released, so that a full redrive
    /// does not receive them over and over; released at the end.
    too_large: BTreeMap<String, QueueMessage>,
}

async fn run_until_done(
    ops: &dyn QueueOps,
    plan: &RedrivePlan,
    limits: Limits,
    out: &mut RedriveOutcome,
) -> CloudResult<()> {
    let mut wanted = plan.only.clone();
    let mut kept = Kept::default();
    let result = receive_and_move(ops, plan, limits, out, &mut wanted, &mut kept).await;
    // Back to the DLQ's visible messages (if this fails, their hold ends
    // by itself after HOLD_SECS).
    let left: Vec<&QueueMessage> = kept.too_large.values().collect();
    let mut released = Ok(());
    for chunk in left.chunks(10) {
        if let Err(e) = release_now(ops, &plan.dlq_url, chunk, out).await {
            released = Err(e);
            break;
        }
    }
    if let Some(w) = wanted {
        out.not_found = w.into_iter().collect();
    }
    result.and(released)
}

async fn receive_and_move(
    ops: &dyn QueueOps,
    plan: &RedrivePlan,
    limits: Limits,
    out: &mut RedriveOutcome,
    wanted: &mut Option<BTreeSet<String>>,
    kept: &mut Kept,
) -> CloudResult<()> {
    let mut empty_in_a_row = 0;
    // Messages released back (not wanted, no destination): when receives
    // bring nothing else, the whole DLQ has been seen and what is still
    // wanted is not in it (moved, expired) — stop, rather than receive the
    // same messages up to `max_receives` times.
    let mut released: BTreeSet<String> = BTreeSet::new();
    let mut nothing_new_in_a_row = 0;
    while out.receives < limits.max_receives {
        if wanted.as_ref().is_some_and(|w| w.is_empty()) {
            break;
        }
        let batch = ops
            .receive(&plan.dlq_url, 10, HOLD_SECS, limits.wait_secs)
            .await?;
        out.receives += 1;
        if batch.is_empty() {
            empty_in_a_row += 1;
            if empty_in_a_row >= EMPTY_RECEIVES_TO_STOP {
                break;
            }
            continue;
        }
        empty_in_a_row = 0;
        if batch.iter().all(|m| released.contains(&m.id)) {
            nothing_new_in_a_row += 1;
            if nothing_new_in_a_row >= EMPTY_RECEIVES_TO_STOP {
                release_now(ops, &plan.dlq_url, &batch.iter().collect::<Vec<_>>(), out).await?;
                break;
            }
        } else {
            nothing_new_in_a_row = 0;
        }
        let mut held_since = tokio::time::Instant::now();
        let (take, skip): (Vec<_>, Vec<_>) = batch
            .into_iter()
            .partition(|m| wanted.as_ref().is_none_or(|w| w.contains(&m.id)));
        let (mut routed, unroutable): (Vec<_>, Vec<_>) = take
            .into_iter()
            .map(|m| (destination_of(&plan.destination, &m), m))
            .partition(|(d, _)| d.is_some());
        out.no_destination += unroutable.len();
        if let Some(w) = wanted.as_mut() {
            for (_, m) in routed.iter().chain(unroutable.iter()) {
                w.remove(&m.id);
            }
        }
        let mut release: Vec<&QueueMessage> = skip.iter().collect();
        release.extend(unroutable.iter().map(|(_, m)| m));
        released.extend(release.iter().map(|m| m.id.clone()));
        release_now(ops, &plan.dlq_url, &release, out).await?;

        routed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut by_dest: BTreeMap<String, Vec<QueueMessage>> = BTreeMap::new();
        for (d, m) in routed {
            by_dest.entry(d.unwrap_or_default()).or_default().push(m);
        }
        let mut moves: Vec<(String, Vec<QueueMessage>)> = Vec::new();
        for (dest, msgs) in by_dest {
            let max = match kept.max_sizes.get(&dest) {
                Some(max) => *max,
                None => {
                    let max = max_message_size(ops, &dest, out).await;
                    kept.max_sizes.insert(dest.clone(), max);
                    max
                }
            };
            // Said and left before anything is sent: SQS would refuse it.
            let (msgs, refused): (Vec<_>, Vec<_>) =
                msgs.into_iter().partition(|m| m.size_bytes() <= max);
            for m in refused {
                if !kept.too_large.contains_key(&m.id) {
                    out.too_large += 1;
                    out.note_error(format!(
                        "message {} is {} bytes; {} accepts at most {max} (its MaximumMessageSize): left in the DLQ",
                        m.id,
                        m.size_bytes(),
                        super::queue_name(&dest)
                    ));
                }
                kept.too_large.insert(m.id.clone(), m);
            }
            moves.extend(
                chunks(&msgs)
                    .into_iter()
                    .map(|c| (dest.clone(), c.to_vec())),
            );
        }
        for (i, (dest, chunk)) in moves.iter().enumerate() {
            // Every message of the batch still to move keeps its hold, not
            // only the next chunk: the later ones would show in the DLQ
            // again (and be taken by any consumer) while these are sent.
            let waiting: Vec<&QueueMessage> = moves[i..].iter().flat_map(|(_, c)| c).collect();
            keep_hidden(ops, &plan.dlq_url, &waiting, &mut held_since, out).await?;
            move_chunk(ops, plan, dest, chunk, out).await?;
        }
    }
    Ok(())
}

fn destination_of(d: &Destination, m: &QueueMessage) -> Option<String> {
    match d {
        Destination::Fixed { url } => Some(url.clone()),
        Destination::BySource { urls, fallback } => match &m.source_arn {
            Some(arn) => urls.get(arn).cloned().or_else(|| fallback.clone()),
            None => fallback.clone(),
        },
    }
}

/// The destination's MaximumMessageSize; when it cannot be read (no
/// sqs:GetQueueAttributes), the service's ceiling, said in the outcome —
/// sending is still safe: a message SQS refuses is never deleted.
async fn max_message_size(ops: &dyn QueueOps, dest: &str, out: &mut RedriveOutcome) -> usize {
    match ops.max_message_size(dest).await {
        Ok(max) => max,
        Err(e) => {
            out.note_error(format!(
                "MaximumMessageSize of {} unread ({e}); assumed {SERVICE_MAX_MESSAGE} bytes",
                super::queue_name(dest)
            ));
            SERVICE_MAX_MESSAGE
        }
    }
}

async fn release_now(
    ops: &dyn QueueOps,
    dlq: &str,
    msgs: &[&QueueMessage],
    out: &mut RedriveOutcome,
) -> CloudResult<()> {
    if msgs.is_empty() {
        return Ok(());
    }
    // A failed release is harmless: the message reappears when HOLD_SECS end.
    for (_, e) in ops.change_visibility_batch(dlq, &handles(msgs), 0).await? {
        out.note_error(format!("release: {e}"));
    }
    Ok(())
}

/// Extends the hold of `waiting` when half of it has passed (slow sends,
/// big batches), counting the next half from now.
async fn keep_hidden(
    ops: &dyn QueueOps,
    dlq: &str,
    waiting: &[&QueueMessage],
    held_since: &mut tokio::time::Instant,
    out: &mut RedriveOutcome,
) -> CloudResult<()> {
    if held_since.elapsed() < Duration::from_secs((HOLD_SECS / 2) as u64) {
        return Ok(());
    }
    for (_, e) in ops
        .change_visibility_batch(dlq, &handles(waiting), HOLD_SECS)
        .await?
    {
        out.note_error(format!("extend visibility: {e}"));
    }
    *held_since = tokio::time::Instant::now();
    Ok(())
}

async fn move_chunk(
    ops: &dyn QueueOps,
    plan: &RedrivePlan,
    dest: &str,
    chunk: &[QueueMessage],
    out: &mut RedriveOutcome,
) -> CloudResult<()> {
    let outgoing: Vec<OutgoingMessage> = chunk
        .iter()
        .enumerate()
        .map(|(i, m)| OutgoingMessage {
            entry_id: i.to_string(),
            body: m.body.clone(),
            attributes: m.attributes.clone(),
            group_id: plan.fifo.then(|| {
                m.group_id
                    .clone()
                    .unwrap_or_else(|| "pipedeck-redrive".into())
            }),
            dedup_id: plan.fifo.then(|| resend_dedup_id(&m.id, &plan.action_id)),
        })
        .collect();
    let send_failed = match ops.send_batch(dest, &outgoing).await {
        Ok(f) => f,
        // The whole call failed: nothing was sent; release and stop here.
        Err(e) => {
            let all: Vec<&QueueMessage> = chunk.iter().collect();
            out.failed += chunk.len();
            out.note_error(format!("send: {e}"));
            release_now(ops, &plan.dlq_url, &all, out).await?;
            return Err(e);
        }
    };
    let mut to_delete = Vec::new();
    let mut to_release = Vec::new();
    for (i, m) in chunk.iter().enumerate() {
        match send_failed.get(&i.to_string()) {
            Some(e) => {
                out.failed += 1;
                out.note_error(format!("send {}: {e}", m.id));
                to_release.push(m);
            }
            None => to_delete.push((i.to_string(), m.receipt_handle.clone())),
        }
    }
    release_now(ops, &plan.dlq_url, &to_release, out).await?;
    if to_delete.is_empty() {
        return Ok(());
    }
    match ops.delete_batch(&plan.dlq_url, &to_delete).await {
        Ok(failed) => {
            out.moved += to_delete.len() - failed.len();
            out.sent_not_deleted += failed.len();
            for e in failed.values() {
                out.note_error(format!("delete: {e}"));
            }
            Ok(())
        }
        Err(e) => {
            out.sent_not_deleted += to_delete.len();
            out.note_error(format!("delete: {e}"));
            Err(e)
        }
    }
}

#[cfg(test)]
#[path = "redrive_tests.rs"]
mod tests;
