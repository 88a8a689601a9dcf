//! `[[audit.tables]]`: how one table's items read as runs — which
//! attribute holds what, which status words mean failed / partial /
//! running / succeeded, the DQ score's scale and threshold. Plain data
//! here; `cloud::audit` reads items through it.

use serde::{Deserialize, Serialize};

/// What a table records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// One item per run (or per event of a run).
    #[default]
    Runs,
    /// Data-quality results: score, passed, failed rules.
    Dq,
    /// Errors: code, message, attempt, recoverable.
    Errors,
}

/// Attribute names; an empty one is not mapped.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fields {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pipeline: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub run_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub glue_run_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub started: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ended: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub duration: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rows_read: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rows_written: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rows_rejected: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dq_score: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error_message: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error_type: String,
    /// DQ tables: the failed rules (a list, or a JSON string of
    /// `{rule, result, message}`), and whether it passed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub failed_rules: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub passed: String,
    /// Errors tables: the attempt number and whether it can be retried.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub attempt: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub recoverable: String,
}

/// Which words mean what; compared without case. A word in none of them
/// is shown as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatusWords {
    pub failed: Vec<String>,
    pub partial: Vec<String>,
    pub running: Vec<String>,
    pub succeeded: Vec<String>,
}

impl Default for StatusWords {
    /// The course's four vocabularies (and Glue's own states, which P1
    /// stores as they are).
    fn default() -> Self {
        let v = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        Self {
            failed: v(&["FAILED", "FAILURE", "ERROR", "TIMEOUT", "STOPPED"]),
            partial: v(&["PARTIAL"]),
            running: v(&["RUNNING", "STARTED", "STARTING", "IN_PROGRESS", "WAITING"]),
            succeeded: v(&["SUCCEEDED", "SUCCESS", "COMPLETED", "SKIPPED"]),
        }
    }
}

impl StatusWords {
    /// The word a "mark failed" writes: the table's own first one.
    pub fn failed_word(&self) -> &str {
        self.failed.first().map_or("FAILED", String::as_str)
    }
}

/// One `[[audit.tables]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TableMapping {
    pub name: String,
    pub kind: TableKind,
    /// A GSI whose partition key is the status: the cheap way to "every
    /// FAILED run today" (found by DescribeTable when not named).
    pub status_index: Option<String>,
    /// A GSI whose partition key is the pipeline, when the table's is not.
    pub pipeline_index: Option<String>,
    pub fields: Fields,
    pub status: StatusWords,
    /// The DQ score's scale: 1 (0–1) or 100 (percent).
    pub dq_scale: f64,
    /// Below this (on the table's scale) a DQ score fails: 0.95 or 95.
    pub dq_threshold: Option<f64>,
}

impl Default for TableMapping {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: TableKind::Runs,
            status_index: None,
            pipeline_index: None,
            fields: Fields::default(),
            status: StatusWords::default(),
            dq_scale: 1.0,
            dq_threshold: None,
        }
    }
}

impl TableMapping {
    /// The course's recommended table (`pipeline_id` + `run_timestamp`, a
    /// `status-index`, DQ on 0–100): a starting point for one's own.
    pub fn course_recommended(name: &str) -> Self {
        let f = |s: &str| s.to_string();
        Self {
            name: f(name),
            status_index: Some(f("status-index")),
            fields: Fields {
                pipeline: f("pipeline_id"),
                run_id: f("run_id"),
                glue_run_id: f("glue_run_id"),
                status: f("status"),
                started: f("start_time"),
                ended: f("end_time"),
                duration: f("duration_secs"),
                rows_read: f("rows_read"),
                rows_written: f("rows_written"),
                rows_rejected: f("rows_rejected"),
                dq_score: f("dq_score"),
                error_message: f("error_msg"),
                error_type: f("error_type"),
                ..Fields::default()
            },
            dq_scale: 100.0,
            dq_threshold: Some(95.0),
            ..Self::default()
        }
    }
}

/// The `[[audit.tables]]` entry for `m`, as TOML to show and to add.
pub fn toml_of(m: &TableMapping) -> Result<String, String> {
    #[derive(Serialize)]
    struct Tables<'a> {
        tables: [&'a TableMapping; 1],
    }
    #[derive(Serialize)]
    struct File<'a> {
        audit: Tables<'a>,
    }
    toml::to_string(&File {
        audit: Tables { tables: [m] },
    })
    .map_err(|e| e.to_string())
}

/// `existing` (the config file's text, perhaps empty) with the tables of
/// `snippet` appended to `[[audit.tables]]` — the user's comments, order
/// and layout kept (`toml_edit`). A table of the same name is replaced.
pub fn add_tables(existing: &str, snippet: &str) -> Result<String, String> {
    use toml_edit::{DocumentMut, Item, Table};
    let mut doc: DocumentMut = existing
        .parse()
        .map_err(|e| format!("the config file is not valid TOML: {e}"))?;
    let add: DocumentMut = snippet.parse().map_err(|e| format!("{e}"))?;
    let Some(new) = add
        .get("audit")
        .and_then(|a| a.get("tables"))
        .and_then(Item::as_array_of_tables)
    else {
        return Err("nothing to add".into());
    };
    // Tables print in the order of their positions: what comes from the
    // snippet goes after everything the file holds, or its sub-tables
    // would land under another entry's header.
    let mut next = last_position(doc.as_table()) + 1;
    let audit = doc
        .entry("audit")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or("[audit] in the config file is not a table")?;
    let tables = audit
        .entry("tables")
        .or_insert_with(|| Item::ArrayOfTables(Default::default()))
        .as_array_of_tables_mut()
        .ok_or("audit.tables in the config file is not [[audit.tables]]")?;
    for t in new.iter() {
        let mut t = t.clone();
        renumber(&mut t, &mut next);
        let name = t.get("name").and_then(|n| n.as_str()).map(str::to_string);
        let name = name.as_deref();
        let same = tables
            .iter()
            .position(|old| old.get("name").and_then(|n| n.as_str()) == name);
        match same {
            Some(i) => {
                if let Some(old) = tables.get_mut(i) {
                    *old = t;
                }
            }
            None => tables.push(t),
        }
    }
    let text = doc.to_string();
    // Never write what pipedeck would then refuse to start on.
    toml::from_str::<crate::config::Config>(&text)
        .map_err(|e| format!("the result would not be a valid config ({e}); nothing written"))?;
    Ok(text)
}

fn last_position(t: &toml_edit::Table) -> isize {
    let mut max = t.position().unwrap_or(0);
    for (_, item) in t.iter() {
        match item {
            toml_edit::Item::Table(sub) => max = max.max(last_position(sub)),
            toml_edit::Item::ArrayOfTables(a) => {
                for sub in a.iter() {
                    max = max.max(last_position(sub));
                }
            }
            _ => {}
        }
    }
    max
}

fn renumber(t: &mut toml_edit::Table, next: &mut isize) {
    t.set_position(*next);
    *next += 1;
    for (_, item) in t.iter_mut() {
        if let toml_edit::Item::Table(sub) = item {
            renumber(sub, next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proposal_is_added_keeping_the_users_comments_and_parses_back() {
        let m = TableMapping::course_recommended("pipeline_audit");
        let snippet = toml_of(&m).unwrap();
        assert!(snippet.contains("[[audit.tables]]"), "{snippet}");
        assert!(
            !snippet.contains("= \"\""),
            "unmapped fields left out: {snippet}"
        );
        let existing =
            "# my settings\ntheme = \"light\"  # easier on the eyes\n\n[audit]\nscan_pages = 2\n";
        let out = add_tables(existing, &snippet).unwrap();
        assert!(
            out.starts_with("# my settings\ntheme = \"light\"  # easier on the eyes"),
            "{out}"
        );
        assert!(out.contains("scan_pages = 2"), "{out}");
        let cfg: crate::config::Config = toml::from_str(&out).unwrap();
        assert_eq!(cfg.audit.tables, vec![m.clone()]);
        assert_eq!(cfg.audit.scan_pages, 2);
        // Detected again: replaced, not doubled.
        let again = add_tables(&out, &snippet).unwrap();
        let cfg: crate::config::Config = toml::from_str(&again).unwrap();
        assert_eq!(cfg.audit.tables.len(), 1);
        // A second table after the first, in a file with other tables
        // after [audit]: every entry keeps its own sub-tables.
        let other = TableMapping::course_recommended("pipeline-errors");
        let with_dlq = format!("{again}\n[dlq]\npeek_max = 5\n");
        let both = add_tables(&with_dlq, &toml_of(&other).unwrap()).unwrap();
        let cfg: crate::config::Config =
            toml::from_str(&both).unwrap_or_else(|e| panic!("{e}\n{both}"));
        assert_eq!(cfg.audit.tables.len(), 2);
        assert_eq!(cfg.audit.tables[1].name, "pipeline-errors");
        assert_eq!(cfg.audit.tables[0].fields.pipeline, "pipeline_id");
        assert_eq!(cfg.dlq.peek_max, 5);
        // An empty file is a start.
        let fresh = add_tables("", &snippet).unwrap();
        let cfg: crate::config::Config = toml::from_str(&fresh).unwrap();
        assert_eq!(cfg.audit.tables[0].name, "pipeline_audit");
        assert!(add_tables("audit = 3", &snippet).is_err());
    }
}
