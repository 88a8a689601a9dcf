//! What Athena's history reads keep between reads and across restarts:
//! ended executions (they never change), the ids seen running (described
//! again until they end), and whether a read has reached the end of a work
//! group's listing. One file, `athena-history.json` under the state dir,
//! keyed by scope (profile, Region, endpoint, work group).

use crate::cloud::athena::Execution;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const FILE: &str = "athena-history.json";
/// Kept per work group: Athena itself keeps 45 days of history.
const KEEP_PER_GROUP: usize = 2_000;
const KEEP_DAYS: i64 = 45;

#[derive(Debug, Default)]
pub struct HistoryCache {
    /// Read from the file at the first use.
    loaded: bool,
    groups: BTreeMap<String, BTreeMap<String, Execution>>,
    running: BTreeMap<String, BTreeSet<String>>,
    complete: BTreeSet<String>,
    /// Where it is kept; `None` keeps it in memory only (tests, snapshot
    /// without a state dir).
    pub path: Option<PathBuf>,
    /// The endpoint answered a batch call without an AWS error code.
    pub batch_missing: bool,
    /// The same for BatchGetNamedQuery: then GetNamedQuery each.
    pub named_batch_missing: bool,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Kept {
    groups: BTreeMap<String, Vec<Execution>>,
    running: BTreeMap<String, BTreeSet<String>>,
    complete: BTreeSet<String>,
}

impl HistoryCache {
    pub fn at(path: Option<PathBuf>) -> Self {
        Self {
            path,
            ..Self::default()
        }
    }

    /// Where the file is while it was not read yet.
    pub fn unread_path(&self) -> Option<PathBuf> {
        (!self.loaded).then(|| self.path.clone()).flatten()
    }

    /// The file's text (`None`: no file), taken once.
    pub fn load(&mut self, text: Option<String>) {
        if std::mem::replace(&mut self.loaded, true) {
            return;
        }
        let Some(text) = text else {
            return;
        };
        // A broken file is an empty cache, never a failed read.
        let kept: Kept = serde_json::from_str(&text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the kept Athena history is not readable; starting afresh");
            Kept::default()
        });
        for (scope, list) in kept.groups {
            let group = self.groups.entry(scope).or_default();
            for e in list {
                group.insert(e.id.clone(), e);
            }
        }
        self.running = kept.running;
        self.complete = kept.complete;
    }

    pub fn known_ended(&self, scope: &str, id: &str) -> bool {
        self.groups
            .get(scope)
            .and_then(|g| g.get(id))
            .is_some_and(Execution::is_final)
    }

    pub fn running(&self, scope: &str) -> Vec<String> {
        self.running
            .get(scope)
            .map(|r| r.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn is_complete(&self, scope: &str) -> bool {
        self.complete.contains(scope)
    }

    pub fn ended(&self, scope: &str) -> BTreeMap<String, Execution> {
        self.groups.get(scope).cloned().unwrap_or_default()
    }

    /// Keeps what `fresh` says (ended ones kept, running ones followed),
    /// and that the listing was read to its end when `reached_end`; true
    /// when anything changed that is worth writing.
    pub fn remember(
        &mut self,
        scope: &str,
        fresh: &[Execution],
        reached_end: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let mut changed = reached_end && self.complete.insert(scope.to_string());
        let group = self.groups.entry(scope.to_string()).or_default();
        let running = self.running.entry(scope.to_string()).or_default();
        for e in fresh {
            if e.is_final() {
                changed |= group.insert(e.id.clone(), e.clone()).is_none();
                changed |= running.remove(&e.id);
            } else {
                changed |= running.insert(e.id.clone());
            }
        }
        let oldest = now - chrono::Duration::days(KEEP_DAYS);
        group.retain(|_, e| e.submitted.is_none_or(|t| t > oldest));
        if group.len() > KEEP_PER_GROUP {
            let mut by_age: Vec<_> = group
                .values()
                .map(|e| (e.submitted, e.id.clone()))
                .collect();
            by_age.sort();
            for (_, id) in by_age.iter().take(group.len() - KEEP_PER_GROUP) {
                group.remove(id);
            }
        }
        changed
    }

    pub fn to_json(&self) -> String {
        let kept = Kept {
            groups: self
                .groups
                .iter()
                .map(|(k, v)| (k.clone(), v.values().cloned().collect()))
                .collect(),
            running: self.running.clone(),
            complete: self.complete.clone(),
        };
        serde_json::to_string(&kept).unwrap_or_default()
    }
}

/// One writer at a time (a snapshot reads four work groups at once), each
/// through a file of its own, renamed over the old one whole.
static WRITING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn write_atomically(path: &Path, json: &str) -> std::io::Result<()> {
    let _one = WRITING.lock().await;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
    tokio::fs::write(&tmp, json).await?;
    tokio::fs::rename(&tmp, path).await
}
