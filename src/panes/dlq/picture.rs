//! The last picture of the DLQs, per profile, kept in
//! `<state dir>/dlq.json`: shown at once on the next start, marked stale,
//! until the first fresh read — the console opens on the DLQs that were
//! filling, not on an empty list. Queues, their sources and depths only;
//! never a message.

use crate::cloud::Dlq;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const FILE: &str = "dlq.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub at: DateTime<Utc>,
    pub dlqs: Vec<Dlq>,
}

impl Picture {
    /// What was read, without what only a live read can say (a move task's
    /// progress, a read error).
    pub fn of(dlqs: &[Dlq], at: DateTime<Utc>) -> Self {
        let dlqs = dlqs
            .iter()
            .map(|d| Dlq {
                move_task: None,
                note: None,
                ..d.clone()
            })
            .collect();
        Self { at, dlqs }
    }

    /// Which DLQs there are and which hold messages: a change there is
    /// written at once.
    pub fn digest(&self) -> Vec<(&str, bool)> {
        self.dlqs
            .iter()
            .map(|d| (d.name.as_str(), d.total() > 0))
            .collect()
    }

    /// Whether `next` may be skipped after `self` was written: nothing
    /// filled or emptied, and depths unchanged or written less than a
    /// minute ago — so the picture's counts are never much older than its
    /// time says, yet a busy DLQ does not write on every poll.
    pub fn same_as(&self, next: &Picture) -> bool {
        let depths = |p: &Picture| p.dlqs.iter().map(Dlq::total).collect::<Vec<_>>();
        self.digest() == next.digest()
            && (depths(self) == depths(next) || next.at - self.at < chrono::Duration::minutes(1))
    }
}
