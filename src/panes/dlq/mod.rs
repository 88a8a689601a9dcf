//! The DLQ pane: every dead-letter queue with its depth over the last hour,
//! a peek at its messages (only when asked: a peek counts as a receive), and
//! redrive / cancel / purge through the action gate.

mod actions;
mod history;
mod keys;
mod peek;
mod peek_view;
mod picture;
mod update;
mod view;

pub use history::History;
pub use peek::Peek;

use crate::app::PollStatus;
use crate::cloud::sqs::DlqMetrics;
use crate::cloud::Dlq;
use crate::ui::components::list::{matches, ListLevel};
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Queues,
    /// Messages of one DLQ (by name).
    Peek { queue: String },
}

#[derive(Debug, Default)]
pub struct DlqPane {
    /// DLQs named in the config (no RedrivePolicy points at them).
    configured: Vec<String>,
    peek_max: usize,
    dlqs: Vec<Dlq>,
    /// Indices into `dlqs`: non-empty first (deepest first), filtered.
    order: Vec<usize>,
    status: PollStatus,
    metrics: DlqMetrics,
    metrics_status: PollStatus,
    history: History,
    view: View,
    list: ListLevel,
    peek: Option<Peek>,
    filtering: bool,
    /// The list is last session's picture, taken then, until fresh data.
    stale_since: Option<DateTime<Utc>>,
    /// The list's last picture, kept for the next start.
    kept: crate::panes::kept::Kept<picture::Picture>,
    /// Effects raised while taking data (a picture to save).
    pending: Vec<crate::app::Effect>,
    /// The runs the audit tables hold a record of, by run id: a message
    /// naming one links to it.
    audit: std::sync::Arc<crate::cloud::audit::records::AuditLinks>,
}

impl DlqPane {
    /// The selected message's run ids (P8's `{"run_id", …}`) and the audit
    /// record of the first that has one.
    pub fn message_run(
        &self,
    ) -> Option<(&[String], Option<&crate::cloud::audit::records::AuditLink>)> {
        let peek = self.peek.as_ref()?;
        let ids = peek.run_ids.get(peek.cursor.selected)?;
        (!ids.is_empty()).then(|| {
            (
                ids.as_slice(),
                self.audit.find(ids.iter().map(String::as_str)),
            )
        })
    }

    pub fn new(configured: Vec<String>, peek_max: usize) -> Self {
        Self {
            configured,
            peek_max: peek_max.clamp(1, 100),
            ..Self::default()
        }
    }

    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn dlqs(&self) -> &[Dlq] {
        &self.dlqs
    }

    pub fn visible(&self) -> impl Iterator<Item = &Dlq> {
        self.order.iter().map(|i| &self.dlqs[*i])
    }

    pub fn dlq(&self, name: &str) -> Option<&Dlq> {
        self.dlqs.iter().find(|d| d.name == name)
    }

    pub fn selected(&self) -> Option<&Dlq> {
        match &self.view {
            View::Queues => self
                .order
                .get(self.list.cursor.selected)
                .map(|i| &self.dlqs[*i]),
            View::Peek { queue } => self.dlq(queue),
        }
    }

    pub fn peek(&self) -> Option<&Peek> {
        self.peek.as_ref()
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn oldest_age_s(&self, name: &str) -> Option<i64> {
        self.metrics.queues.get(name).and_then(|m| m.oldest_age_s)
    }

    /// Time left before retention deletes the oldest message, and whether
    /// it is exact. A peek of a standard queue is exact (SentTimestamp +
    /// retention). Otherwise CloudWatch's age of the oldest message: exact
    /// on a FIFO DLQ (its clock restarts at the move), an upper bound on a
    /// standard one (the age counts from the move, retention from the
    /// original send).
    pub fn expires_in(
        &self,
        d: &Dlq,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<(chrono::Duration, bool)> {
        if d.total() == 0 {
            return None;
        }
        let retention = d.retention_secs?;
        let bound = self
            .oldest_age_s(&d.name)
            .map(|age| chrono::Duration::seconds(retention - age));
        // A peek returns up to `peek_max` messages in no set order: exact
        // only when it saw every message, otherwise one more bound.
        let peek = self
            .peek
            .as_ref()
            .filter(|pk| pk.queue == d.name && !d.fifo && !pk.stale);
        let peeked = peek.and_then(|pk| {
            pk.messages
                .iter()
                .filter_map(|m| peek::expires_at(m, Some(retention)))
                .min()
                .map(|at| (at - now, pk.messages.len() as i64 >= d.total()))
        });
        match (peeked, bound) {
            (Some((left, true)), _) => Some((left, true)),
            (Some((left, false)), Some(b)) => Some((left.min(b), false)),
            (Some((left, false)), None) => Some((left, false)),
            (None, Some(b)) => Some((b, d.fifo)),
            (None, None) => None,
        }
    }

    pub fn metrics_status(&self) -> &PollStatus {
        &self.metrics_status
    }

    /// Messages waiting in all DLQs (visible + in flight + delayed).
    pub fn total_messages(&self) -> i64 {
        self.dlqs.iter().map(Dlq::total).sum()
    }

    pub fn filter_text(&self) -> &str {
        &self.list.filter.text
    }

    fn reorder(&mut self) {
        let keep = self.selected().map(|d| d.name.clone());
        self.reorder_keeping(keep);
    }

    /// Sorts and filters; the cursor stays on `keep` (captured before new
    /// data replaced the old: the old order's indices mean nothing in it).
    fn reorder_keeping(&mut self, keep: Option<String>) {
        let needle = self.list.needle();
        let mut order: Vec<usize> = (0..self.dlqs.len())
            .filter(|i| {
                let d = &self.dlqs[*i];
                let sources: Vec<&str> = d.sources.iter().map(|s| s.name.as_str()).collect();
                matches(&needle, &[&d.name, &sources.join(" ")])
            })
            .collect();
        order.sort_by(|a, b| Dlq::deepest_first(&self.dlqs[*a], &self.dlqs[*b]));
        self.order = order;
        if let (View::Queues, Some(name)) = (&self.view, keep) {
            if let Some(pos) = self.order.iter().position(|i| self.dlqs[*i].name == name) {
                self.list.cursor.selected = pos;
            }
        }
        self.list.cursor.clamp(self.order.len());
    }
}
