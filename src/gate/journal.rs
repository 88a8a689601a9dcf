//! The action journal: JSON lines in the state directory. An intent line is
//! written before the first mutating call, an outcome line after it, both
//! with the same action id; a refused action gets one line.

use serde::{Deserialize, Serialize};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Intent,
    Outcome,
    Refused,
}

/// Who is acting where; captured when the action is requested.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JournalContext {
    pub caller_arn: Option<String>,
    pub account: Option<String>,
    pub profile: String,
    pub region: String,
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    pub time: String,
    pub action_id: String,
    pub phase: Phase,
    #[serde(flatten)]
    pub context: JournalContext,
    pub action: String,
    pub target: String,
    pub count: usize,
    /// "ok", "partial", "failed", "refused", or "pending" for intents.
    pub result: String,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Journal {
    path: Option<PathBuf>,
}

impl Journal {
    pub fn at(path: PathBuf) -> Self {
        Self { path: Some(path) }
    }

    /// Keeps nothing; for tests that do not look at the file.
    pub fn disabled() -> Self {
        Self { path: None }
    }

    /// The newest `max` readable entries, oldest first, from the tail of
    /// the file (a long-lived journal is not read whole); and how many
    /// lines could not be read.
    pub fn recent(&self, max: usize) -> (Vec<JournalEntry>, usize) {
        const TAIL_BYTES: u64 = 512 * 1024;
        let Some(path) = &self.path else {
            return (vec![], 0);
        };
        let Ok(mut f) = std::fs::File::open(path) else {
            return (vec![], 0);
        };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let start = len.saturating_sub(TAIL_BYTES);
        let mut bytes = Vec::new();
        if f.seek(SeekFrom::Start(start)).is_err() || f.read_to_end(&mut bytes).is_err() {
            return (vec![], 0);
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut lines: Vec<&str> = text.lines().collect();
        if start > 0 && !lines.is_empty() {
            lines.remove(0); // most likely cut in the middle
        }
        let mut bad = 0;
        let mut entries: Vec<JournalEntry> = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| match serde_json::from_str(l) {
                Ok(e) => Some(e),
                Err(_) => {
                    bad += 1;
                    None
                }
            })
            .collect();
        let keep_from = entries.len().saturating_sub(max);
        (entries.split_off(keep_from), bad)
    }

    /// Appends one line and syncs it: an intent must be on disk before the
    /// mutating call goes out.
    pub fn append(&self, entry: &JournalEntry) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_string(entry)?;
        line.push('\n');
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        f.write_all(line.as_bytes())?;
        f.sync_data()
    }
}
