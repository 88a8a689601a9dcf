//! What the Insights pane remembers per profile: the log groups last
//! chosen and the queries run (text, groups, range), newest last. Kept in
//! `<state dir>/insights.json`, one entry per profile, so a prod query
//! never shows up on the dev account.

use crate::cloud::QueryLanguage;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many past queries are kept per profile.
pub const HISTORY_MAX: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub query: String,
    pub groups: Vec<String>,
    /// The range as chosen ("last 1h", or an absolute one in RFC 3339).
    pub range: String,
    pub at: String,
    /// Entries written before languages (and every Logs Insights QL one)
    /// carry none.
    #[serde(default, skip_serializing_if = "QueryLanguage::is_cwli")]
    pub language: QueryLanguage,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileMemory {
    pub profile: String,
    pub groups: Vec<String>,
    pub history: Vec<HistoryEntry>,
}

/// Every profile's memory, as kept in the file.
pub type Memories = BTreeMap<String, ProfileMemory>;

/// The pane's file under the state dir.
pub const FILE: &str = "insights.json";

/// The file's memories; text that does not parse is none.
pub fn parse(text: &str) -> Memories {
    serde_json::from_str(text).unwrap_or_default()
}

/// This profile's memory out of all of them (empty when new).
pub fn for_profile(all: &Memories, profile: &str) -> ProfileMemory {
    all.get(profile).cloned().unwrap_or_else(|| ProfileMemory {
        profile: profile.to_string(),
        ..ProfileMemory::default()
    })
}

/// The file's text with this profile's memory replaced and the others
/// kept, so a prod query never shows up on the dev account.
pub fn to_json(others: &Memories, memory: &ProfileMemory) -> String {
    let mut all = others.clone();
    all.insert(memory.profile.clone(), memory.clone());
    serde_json::to_string_pretty(&all).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_kept_apart() {
        let prod = ProfileMemory {
            profile: "prod".into(),
            groups: vec!["/aws-glue/jobs/error".into()],
            history: vec![HistoryEntry {
                query: "fields @message".into(),
                ..HistoryEntry::default()
            }],
        };
        let text = to_json(&Memories::new(), &prod);
        let dev = ProfileMemory {
            profile: "dev".into(),
            ..ProfileMemory::default()
        };
        let text = to_json(&parse(&text), &dev);
        let all = parse(&text);
        assert_eq!(for_profile(&all, "prod"), prod);
        assert!(for_profile(&all, "dev").history.is_empty());
        assert_eq!(for_profile(&all, "other").profile, "other");
        assert!(for_profile(&parse("garbage"), "prod").groups.is_empty());
    }
}
