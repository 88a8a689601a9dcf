//! What a client-side redrive did, message by message: the counts the
//! journal and the status line report, and the first errors.

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RedriveOutcome {
    /// Sent and deleted from the DLQ.
    pub moved: usize,
    /// Sent, but the delete failed: the message is in both queues.
    pub sent_not_deleted: usize,
    /// The send failed: left in the DLQ (visible again).
    pub failed: usize,
    /// Selected ids not found within the receive budget.
    pub not_found: Vec<String>,
    /// Messages without a known destination: left in the DLQ.
    pub no_destination: usize,
    /// Larger than their destination's MaximumMessageSize: never sent,
    /// left in the DLQ.
    pub too_large: usize,
    /// The first few error messages, for the journal.
    pub errors: Vec<String>,
    pub receives: usize,
    /// The error that stopped the run part-way, if any.
    pub stopped: Option<String>,
}

impl RedriveOutcome {
    pub fn summary(&self) -> String {
        let mut s = format!("moved {}", self.moved);
        if self.failed > 0 {
            s += &format!(", {} failed to send (left in the DLQ)", self.failed);
        }
        if self.sent_not_deleted > 0 {
            s += &format!(
                ", {} sent but not deleted (now in both queues)",
                self.sent_not_deleted
            );
        }
        if self.no_destination > 0 {
            s += &format!(", {} without a known source (left)", self.no_destination);
        }
        if self.too_large > 0 {
            s += &format!(
                ", {} larger than the destination's MaximumMessageSize (not sent, left in the DLQ)",
                self.too_large
            );
        }
        if !self.not_found.is_empty() {
            s += &format!(", {} selected not found", self.not_found.len());
        }
        if let Some(e) = &self.stopped {
            s += &format!("; stopped early: {e}");
        } else if let Some(e) = self.errors.first() {
            s += &format!("; first error: {e}");
        }
        s
    }

    /// Something was left undone: the action is partial (or failed).
    pub fn incomplete(&self) -> bool {
        self.stopped.is_some()
            || self.failed
                + self.sent_not_deleted
                + self.no_destination
                + self.too_large
                + self.not_found.len()
                > 0
    }

    pub(super) fn note_error(&mut self, e: String) {
        if self.errors.len() < 5 {
            self.errors.push(e);
        }
    }
}
