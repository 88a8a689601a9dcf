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
    pub pipeline: String,
    pub run_id: String,
    pub glue_run_id: String,
    pub status: String,
    pub started: String,
    pub ended: String,
    pub duration: String,
    pub rows_read: String,
    pub rows_written: String,
    pub rows_rejected: String,
    pub dq_score: String,
    pub error_message: String,
    pub error_type: String,
    /// DQ tables: the failed rules (a list, or a JSON string of
    /// `{rule, result, message}`), and whether it passed.
    pub failed_rules: String,
    pub passed: String,
    /// Errors tables: the attempt number and whether it can be retried.
    pub attempt: String,
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
