//! What the Insights pane remembers per profile: the log groups last
//! chosen and the queries run (text, groups, range), newest last. Kept in
//! `<state dir>/insights.json`, one entry per profile, so a prod query
//! never shows up on the dev account.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// How many past queries are kept per profile.
pub const HISTORY_MAX: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub query: String,
    pub groups: Vec<String>,
    /// The range as chosen ("last 1h", or an absolute one in RFC 3339).
    pub range: String,
    pub at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileMemory {
    pub profile: String,
    pub groups: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

type File = BTreeMap<String, ProfileMemory>;

fn read(path: &Path) -> File {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// This profile's memory; an unreadable file is an empty memory.
pub fn load(path: &Path, profile: &str) -> ProfileMemory {
    read(path).remove(profile).unwrap_or_else(|| ProfileMemory {
        profile: profile.to_string(),
        ..ProfileMemory::default()
    })
}

/// Replaces this profile's entry, keeps the others; atomic rename.
pub fn save(path: &Path, memory: &ProfileMemory) -> std::io::Result<()> {
    let mut all = read(path);
    all.insert(memory.profile.clone(), memory.clone());
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(&all)?)?;
    std::fs::rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_kept_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("insights.json");
        let prod = ProfileMemory {
            profile: "prod".into(),
            groups: vec!["/aws-glue/jobs/error".into()],
            history: vec![HistoryEntry {
                query: "fields @message".into(),
                ..HistoryEntry::default()
            }],
        };
        save(&path, &prod).unwrap();
        save(
            &path,
            &ProfileMemory {
                profile: "dev".into(),
                ..ProfileMemory::default()
            },
        )
        .unwrap();
        assert_eq!(load(&path, "prod"), prod);
        assert!(load(&path, "dev").history.is_empty());
        assert_eq!(load(&path, "other").profile, "other");
        std::fs::write(&path, "garbage").unwrap();
        assert!(load(&path, "prod").groups.is_empty());
    }
}
