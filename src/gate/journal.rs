//! The action journal: JSON lines in the state directory. An intent line is
//! written before the first mutating call, an outcome line after it, both
//! with the same action id; a refused action gets one line.

use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Intent,
    Outcome,
    Refused,
}

/// Who is acting where; captured when the action is requested.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct JournalContext {
    pub caller_arn: Option<String>,
    pub account: Option<String>,
    pub profile: String,
    pub region: String,
    pub demo: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JournalEntry {
    pub time: String,
    pub action_id: String,
    pub phase: Phase,
    #[serde(flatten)]
    pub context: JournalContext,
    pub action: &'static str,
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

    pub fn path(&self) -> Option<&PathBuf> {
        self.path.as_ref()
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
