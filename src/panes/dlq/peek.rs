//! A peek at a DLQ: the messages one receive returned (already released),
//! which ones are marked for a redrive, and how a body is shown safely.

use crate::app::PollStatus;
use crate::cloud::QueueMessage;
use crate::ui::components::list::Cursor;
use crate::ui::widgets::printable;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Peek {
    pub queue: String,
    pub url: String,
    pub messages: Vec<QueueMessage>,
    /// Each message's body laid out for display (pretty JSON, defused,
    /// cut), once per peek: a body can be a megabyte, and parsing it on
    /// every frame would make each keystroke wait on it.
    pub bodies: Vec<Vec<String>>,
    /// Each message's run ids, read from its body once per peek.
    pub run_ids: Vec<Vec<String>>,
    pub status: PollStatus,
    /// Message ids marked with space.
    pub marked: BTreeSet<String>,
    pub cursor: Cursor,
    pub body_scroll: u16,
    /// Set after a redrive or purge: what is shown may be gone.
    pub stale: bool,
}

impl Peek {
    pub fn new(queue: &str, url: &str) -> Self {
        Self {
            queue: queue.into(),
            url: url.into(),
            ..Self::default()
        }
    }

    /// Asked for, no answer yet.
    pub fn loading(&self) -> bool {
        !self.status.loaded_once()
    }

    /// Takes a peek's answer: the messages and their laid-out bodies.
    pub fn set_messages(&mut self, messages: Vec<QueueMessage>) {
        self.bodies = messages.iter().map(|m| body_lines(&m.body)).collect();
        self.run_ids = messages
            .iter()
            .map(|m| crate::cloud::audit::records::run_ids_in_body(&m.body))
            .collect();
        self.marked
            .retain(|id| messages.iter().any(|m| m.id == *id));
        self.cursor.clamp(messages.len());
        self.messages = messages;
    }

    pub fn selected_body(&self) -> &[String] {
        self.bodies
            .get(self.cursor.selected)
            .map_or(&[], Vec::as_slice)
    }

    pub fn selected(&self) -> Option<&QueueMessage> {
        self.messages.get(self.cursor.selected)
    }

    pub fn toggle_mark(&mut self) -> Option<bool> {
        let id = self.selected()?.id.clone();
        let now_marked = !self.marked.remove(&id);
        if now_marked {
            self.marked.insert(id);
        }
        Some(now_marked)
    }

    pub fn marked_messages(&self) -> Vec<&QueueMessage> {
        self.messages
            .iter()
            .filter(|m| self.marked.contains(&m.id))
            .collect()
    }
}

/// The most of a body the view lays out: bodies reach 1 MiB and a frame
/// must stay cheap.
const BODY_BYTES: usize = 64 * 1024;
const BODY_LINES: usize = 400;

/// Body lines for display: pretty JSON when it parses, else the text with
/// control characters made visible; cut with a note when huge.
pub fn body_lines(body: &str) -> Vec<String> {
    let pretty = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
        .and_then(|v| serde_json::to_string_pretty(&v).ok());
    let text = pretty.as_deref().unwrap_or(body);
    let mut cut = text.len().min(BODY_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut lines: Vec<String> = text[..cut]
        .lines()
        .take(BODY_LINES)
        .map(|l| printable(l, 2_000))
        .collect();
    let shown: usize = lines.iter().map(|l| l.len() + 1).sum();
    if cut < text.len() || text[..cut].lines().count() > BODY_LINES {
        lines.push(format!(
            "… cut: the body is {} bytes; about {} more not shown",
            body.len(),
            text.len().saturating_sub(shown)
        ));
    }
    lines
}

/// When a DLQ message will be deleted by retention. On a standard queue
/// the clock started at the original send (SentTimestamp), not at the move
/// into the DLQ, which is what CloudWatch's age counts from.
pub fn expires_at(m: &QueueMessage, retention_secs: Option<i64>) -> Option<DateTime<Utc>> {
    Some(m.sent? + Duration::seconds(retention_secs?))
}

/// Near expiry: less than a day, or a tenth of the retention, left.
pub fn expiry_near(m: &QueueMessage, retention_secs: Option<i64>, now: DateTime<Utc>) -> bool {
    match (expires_at(m, retention_secs), retention_secs) {
        (Some(at), Some(r)) => {
            at - now < Duration::seconds((r / 10).min(86_400)).max(Duration::hours(1))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_pretty_and_text_is_defused() {
        assert_eq!(body_lines(r#"{"a":1}"#), vec!["{", r#"  "a": 1"#, "}"]);
        assert_eq!(body_lines("plain\u{1b}[2Jtext"), vec!["plain␛[2Jtext"]);
    }

    #[test]
    fn huge_bodies_are_cut_with_a_note() {
        let body = "é".repeat(200_000);
        let lines = body_lines(&body);
        assert!(lines
            .last()
            .unwrap()
            .starts_with("… cut: the body is 400000 bytes"));
        let many = "x\n".repeat(5_000);
        assert_eq!(body_lines(&many).len(), BODY_LINES + 1);
    }
}
