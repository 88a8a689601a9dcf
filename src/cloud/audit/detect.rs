//! `:audit detect TABLE`: a mapping proposed from DescribeTable (keys,
//! GSIs) and one Scan page of at most 25 items — the attribute names the
//! course's pipelines use in their several spellings, the status words the
//! sample holds, the DQ score's scale. The user sees it before it is kept.

use super::mapping::{Fields, StatusWords, TableKind, TableMapping};
use super::{AttrValue, Item};
use serde::Serialize;

/// What DescribeTable says of a table's keys and indexes.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TableShape {
    pub name: String,
    pub hash_key: String,
    pub range_key: Option<String>,
    pub indexes: Vec<IndexShape>,
    /// DescribeTable's ItemCount: refreshed about every six hours, so a
    /// new or busy table may say 0 — never a reason to scan.
    pub item_count: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct IndexShape {
    pub name: String,
    pub hash_key: String,
    pub range_key: Option<String>,
    /// ALL, KEYS_ONLY or INCLUDE.
    pub projection: String,
    /// INCLUDE's non-key attributes.
    pub projected: Vec<String>,
}

impl TableShape {
    /// The table's key attributes: what names an item (a conditional
    /// update's key, BatchGetItem's keys).
    pub fn key_names(&self) -> Vec<String> {
        std::iter::once(self.hash_key.clone())
            .chain(self.range_key.clone())
            .collect()
    }
}

impl IndexShape {
    /// Whether a Query on it returns `attrs` without reading the items.
    pub fn projects(&self, attrs: &[&str], table: &TableShape) -> bool {
        match self.projection.as_str() {
            "ALL" => true,
            _ => attrs.iter().all(|a| {
                a.is_empty()
                    || *a == self.hash_key
                    || self.range_key.as_deref() == Some(a)
                    || *a == table.hash_key
                    || table.range_key.as_deref() == Some(a)
                    || self.projected.iter().any(|p| p == a)
            }),
        }
    }
}

/// What `:audit detect` found: the table's shape, how many items the
/// sample held, and the mapping proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub shape: TableShape,
    pub sampled: usize,
    pub mapping: TableMapping,
}

/// Each field's spellings in the course, most usual first.
const SPELLINGS: &[(&str, &[&str])] = &[
    (
        "pipeline",
        &["pipeline_id", "pipeline_name", "job_name", "pipeline"],
    ),
    ("run_id", &["run_id", "execution_id", "audit_id"]),
    ("glue_run_id", &["glue_run_id", "job_run_id", "jobRunId"]),
    ("status", &["status", "state", "run_status"]),
    (
        "started",
        &[
            "start_time",
            "started_at",
            "run_timestamp",
            "run_time",
            "triggered_at",
            "timestamp",
            "ts",
        ],
    ),
    (
        "ended",
        &["end_time", "ended_at", "completed_at", "recorded_at"],
    ),
    (
        "duration",
        &[
            "duration_secs",
            "duration_seconds",
            "duration_sec",
            "duration_s",
            "duration",
        ],
    ),
    ("rows_read", &["rows_read", "records_read", "rows_in"]),
    (
        "rows_written",
        &["rows_written", "records_written", "rows_out"],
    ),
    (
        "rows_rejected",
        &["rows_rejected", "records_rejected", "rows_quarantined"],
    ),
    ("dq_score", &["dq_score", "score", "data_quality_score"]),
    (
        "error_message",
        &["error_message", "error_msg", "message", "error"],
    ),
    ("error_type", &["error_type", "error_code", "error_class"]),
    ("failed_rules", &["failed_rules"]),
    ("passed", &["passed", "dq_passed"]),
    ("attempt", &["attempt_number", "attempt", "retry_count"]),
    ("recoverable", &["is_recoverable", "recoverable"]),
];

/// The mapping the table's shape and sample suggest.
pub fn propose(shape: &TableShape, sample: &[Item]) -> TableMapping {
    let seen = |name: &str| {
        name == shape.hash_key
            || shape.range_key.as_deref() == Some(name)
            || shape
                .indexes
                .iter()
                .any(|i| i.hash_key == name || i.range_key.as_deref() == Some(name))
            || sample.iter().any(|item| item.contains_key(name))
    };
    let pick = |field: &str| -> String {
        SPELLINGS
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, names)| names.iter().find(|n| seen(n)))
            .map_or(String::new(), |n| n.to_string())
    };
    let mut fields = Fields {
        pipeline: pick("pipeline"),
        run_id: pick("run_id"),
        glue_run_id: pick("glue_run_id"),
        status: pick("status"),
        started: pick("started"),
        ended: pick("ended"),
        duration: pick("duration"),
        rows_read: pick("rows_read"),
        rows_written: pick("rows_written"),
        rows_rejected: pick("rows_rejected"),
        dq_score: pick("dq_score"),
        error_message: pick("error_message"),
        error_type: pick("error_type"),
        failed_rules: pick("failed_rules"),
        passed: pick("passed"),
        attempt: pick("attempt"),
        recoverable: pick("recoverable"),
    };
    // A start that is also the end's spelling is not both.
    if fields.ended == fields.started {
        fields.ended.clear();
    }
    let lower = shape.name.to_ascii_lowercase();
    let kind = if !fields.failed_rules.is_empty() || lower.contains("dq") {
        TableKind::Dq
    } else if !fields.attempt.is_empty() && (lower.contains("error") || fields.status.is_empty()) {
        TableKind::Errors
    } else {
        TableKind::Runs
    };
    let index_on = |attr: &str| {
        (!attr.is_empty())
            .then(|| shape.indexes.iter().find(|i| i.hash_key == attr))
            .flatten()
            .map(|i| i.name.clone())
    };
    let status_index = index_on(&fields.status);
    let pipeline_index = match shape.hash_key == fields.pipeline {
        true => None,
        false => index_on(&fields.pipeline),
    };
    let scores: Vec<f64> = sample
        .iter()
        .filter_map(|i| i.get(&fields.dq_score).and_then(AttrValue::as_f64))
        .collect();
    let dq_scale = match scores.iter().any(|s| *s > 1.0) {
        true => 100.0,
        false => 1.0,
    };
    TableMapping {
        name: shape.name.clone(),
        kind,
        status_index,
        pipeline_index,
        status: words(sample, &fields.status),
        fields,
        dq_scale,
        dq_threshold: Some(if dq_scale > 1.0 { 95.0 } else { 0.95 }),
    }
}

/// The usual vocabularies, plus any word of the sample they lack — placed
/// by its look (FAIL…, …ERROR → failed), or left for the user to place.
fn words(sample: &[Item], status: &str) -> StatusWords {
    let mut w = StatusWords::default();
    let known = w.clone();
    for item in sample {
        let Some(word) = item.get(status).map(AttrValue::text) else {
            continue;
        };
        match known.read(&word) {
            // Known, but written another way: kept as the table writes it
            // (a Query matches words exactly).
            super::RunStatus::Other(_) => {}
            status => {
                let list = match status {
                    super::RunStatus::Failed => &mut w.failed,
                    super::RunStatus::Partial => &mut w.partial,
                    super::RunStatus::Running => &mut w.running,
                    _ => &mut w.succeeded,
                };
                if !list.contains(&word) {
                    list.insert(0, word);
                }
                continue;
            }
        }
        let up = word.to_ascii_uppercase();
        let list = if up.contains("FAIL") || up.contains("ERROR") || up.contains("REVIEW") {
            &mut w.failed
        } else if up.contains("RUN") || up.contains("PROGRESS") || up.contains("PENDING") {
            &mut w.running
        } else if up.contains("SUCCE") || up.contains("DONE") || up == "OK" {
            &mut w.succeeded
        } else {
            continue;
        };
        if !list.iter().any(|x| x.eq_ignore_ascii_case(&word)) {
            list.push(word);
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cloud::audit::item_of as item;

    #[test]
    fn the_recommended_shape_with_its_status_index() {
        let shape = TableShape {
            name: "pipeline_audit".into(),
            hash_key: "pipeline_id".into(),
            range_key: Some("run_timestamp".into()),
            indexes: vec![IndexShape {
                name: "status-index".into(),
                hash_key: "status".into(),
                range_key: Some("run_timestamp".into()),
                projection: "ALL".into(),
                projected: vec![],
            }],
            item_count: Some(0),
        };
        let sample = [item(&[
            ("pipeline_id", "raw-to-silver"),
            ("run_timestamp", "2024-01-15T08:00:00Z"),
            ("run_id", "r-1"),
            ("status", "FAILED"),
            ("start_time", "2024-01-15T08:00:00Z"),
            ("end_time", "2024-01-15T08:10:00Z"),
            ("duration_secs", "600"),
            ("rows_written", "0"),
            ("dq_score", "91.5"),
            ("error_msg", "boom"),
        ])];
        let m = propose(&shape, &sample);
        assert_eq!(m.kind, TableKind::Runs);
        assert_eq!(m.fields.pipeline, "pipeline_id");
        assert_eq!(m.fields.started, "start_time");
        assert_eq!(m.fields.error_message, "error_msg");
        assert_eq!(m.fields.duration, "duration_secs");
        assert_eq!(m.status_index.as_deref(), Some("status-index"));
        assert_eq!(m.pipeline_index, None, "the table's own key");
        assert_eq!((m.dq_scale, m.dq_threshold), (100.0, Some(95.0)));
    }

    #[test]
    fn run_id_keyed_with_a_pipeline_name_index_and_the_other_spellings() {
        let shape = TableShape {
            name: "pipeline-audit-prod".into(),
            hash_key: "run_id".into(),
            indexes: vec![IndexShape {
                name: "pipeline-name-index".into(),
                hash_key: "pipeline_name".into(),
                range_key: Some("run_time".into()),
                projection: "KEYS_ONLY".into(),
                projected: vec![],
            }],
            ..TableShape::default()
        };
        let sample = [item(&[
            ("run_id", "abc"),
            ("pipeline_name", "orders"),
            ("run_time", "2024-01-15T08:00:00Z"),
            ("status", "SUCCESS"),
            ("duration_seconds", "12"),
            ("error_message", "x"),
            ("dq_score", "0.98"),
        ])];
        let m = propose(&shape, &sample);
        assert_eq!(m.fields.pipeline, "pipeline_name");
        assert_eq!(m.fields.started, "run_time");
        assert_eq!(m.fields.duration, "duration_seconds");
        assert_eq!(m.pipeline_index.as_deref(), Some("pipeline-name-index"));
        assert_eq!(m.status_index, None);
        assert_eq!(m.dq_scale, 1.0);
        let idx = &shape.indexes[0];
        assert!(
            !idx.projects(&["status"], &shape),
            "keys only: read the items"
        );
        assert!(idx.projects(&["run_id", "pipeline_name"], &shape));
    }

    #[test]
    fn dq_and_errors_tables_and_new_status_words() {
        let dq = propose(
            &TableShape {
                name: "pipeline-dq-audit".into(),
                hash_key: "run_id".into(),
                ..TableShape::default()
            },
            &[item(&[
                ("run_id", "r"),
                ("dq_score", "0.91"),
                ("failed_rules", "[]"),
            ])],
        );
        assert_eq!(dq.kind, TableKind::Dq);
        let errors = propose(
            &TableShape {
                name: "pipeline-errors".into(),
                hash_key: "error_id".into(),
                ..TableShape::default()
            },
            &[item(&[
                ("error_id", "e"),
                ("run_id", "r"),
                ("error_code", "THROTTLED"),
                ("attempt_number", "3"),
                ("status", "REQUIRES_MANUAL_REVIEW"),
            ])],
        );
        assert_eq!(errors.kind, TableKind::Errors);
        assert_eq!(errors.fields.error_type, "error_code");
        assert!(errors
            .status
            .failed
            .contains(&"REQUIRES_MANUAL_REVIEW".to_string()));
    }
}
