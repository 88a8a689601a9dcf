//! What sits beside a run: its data-quality results and its error history
//! (from the tables mapped with `kind = "dq"` and `kind = "errors"`), and
//! its pipeline's last runs — read when a run's detail is opened.

use super::{AttrValue, AuditRun, DqScore, Item, TableMapping, TableRead};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// How many of a pipeline's runs its detail lists (Query, newest first).
pub const LAST_RUNS: i32 = 10;

/// A run, as far as its neighbours are looked up: its table, pipeline and
/// ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RunRef {
    pub table: String,
    pub pipeline: Option<String>,
    pub run_id: Option<String>,
    pub glue_run_id: Option<String>,
}

impl RunRef {
    pub fn of(r: &AuditRun) -> RunRef {
        RunRef {
            table: r.table.clone(),
            pipeline: r.pipeline.clone(),
            run_id: r.run_id.clone(),
            glue_run_id: r.glue_run_id.clone(),
        }
    }

    /// The ids a DQ or errors record may carry for this run: its run id,
    /// and its Glue run id when that differs.
    pub fn ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for id in [&self.run_id, &self.glue_run_id].into_iter().flatten() {
            if !id.is_empty() && !out.contains(&id.as_str()) {
                out.push(id);
            }
        }
        out
    }
}

/// One rule of a DQ result, as the table wrote it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    pub rule: String,
    pub result: Option<String>,
    pub message: Option<String>,
}

/// One data-quality evaluation of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DqResult {
    pub table: String,
    pub at: Option<DateTime<Utc>>,
    pub score: Option<DqScore>,
    pub passed: Option<bool>,
    pub failed_rules: Vec<RuleResult>,
}

impl DqResult {
    /// Passed as the record says, else as its score compares.
    pub fn passed(&self) -> Option<bool> {
        self.passed.or(self.score.map(|s| s.passed()))
    }
}

/// One attempt's error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRecord {
    pub table: String,
    pub at: Option<DateTime<Utc>>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub attempt: Option<i64>,
    pub recoverable: Option<bool>,
}

/// A run's neighbours, and what reading them left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunRecords {
    pub dq: Vec<DqResult>,
    /// Oldest attempt first.
    pub errors: Vec<ErrorRecord>,
    /// The pipeline's last runs, newest first (this one among them).
    pub history: Vec<AuditRun>,
    /// Said under the last runs: how they were read, or why not.
    pub notes: Vec<String>,
    /// Said under each section: a table that failed, a capped Scan (and
    /// the index that would help), a run id not mapped — so "none
    /// recorded" is only said of what was read whole.
    pub dq_notes: Vec<String>,
    pub errors_notes: Vec<String>,
    /// Whether any table is mapped as `dq` / `errors` (else the detail
    /// says how to map one, not "none").
    pub dq_mapped: bool,
    pub errors_mapped: bool,
}

impl RunRecords {
    /// The notes of a DQ or errors table's section.
    pub fn section_notes(&mut self, kind: super::TableKind) -> &mut Vec<String> {
        match kind {
            super::TableKind::Dq => &mut self.dq_notes,
            _ => &mut self.errors_notes,
        }
    }

    /// Errors oldest attempt first, DQ newest first.
    pub fn sorted(mut self) -> Self {
        self.errors
            .sort_by(|a, b| a.attempt.cmp(&b.attempt).then_with(|| a.at.cmp(&b.at)));
        self.dq.sort_by_key(|d| std::cmp::Reverse(d.at));
        self
    }
}

/// A true/false as pipelines write it: BOOL, "true"/"false", "yes"/"no",
/// 1/0.
fn as_bool(v: &AttrValue) -> Option<bool> {
    match v {
        AttrValue::Bool(b) => Some(*b),
        AttrValue::S(s) | AttrValue::N(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" | "pass" | "passed" => Some(true),
            "false" | "no" | "n" | "0" | "fail" | "failed" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A rule from a JSON value: a name, or `{rule, result, message}` (and
/// Glue's own `Name`, `Result`, `EvaluationMessage` / `Description`).
fn rule_of_json(v: &serde_json::Value) -> RuleResult {
    let pick = |names: &[&str]| {
        names.iter().find_map(|n| {
            v.get(n).map(|x| match x {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        })
    };
    match v {
        serde_json::Value::String(s) => RuleResult {
            rule: s.clone(),
            result: None,
            message: None,
        },
        serde_json::Value::Object(_) => RuleResult {
            rule: pick(&["rule", "Rule", "name", "Name", "rule_name"])
                .unwrap_or_else(|| v.to_string()),
            result: pick(&["result", "Result", "outcome", "status"]),
            message: pick(&["message", "Message", "EvaluationMessage", "Description"]),
        },
        other => RuleResult {
            rule: other.to_string(),
            result: None,
            message: None,
        },
    }
}

/// Failed rules written as a list, a string set, or a JSON string of
/// either (P7 writes `json.dumps([{rule, result, message}])`).
fn rules_of(v: &AttrValue) -> Vec<RuleResult> {
    match v {
        AttrValue::S(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(serde_json::Value::Array(a)) => a.iter().map(rule_of_json).collect(),
            Ok(one @ serde_json::Value::Object(_)) => vec![rule_of_json(&one)],
            _ if s.trim().is_empty() => vec![],
            _ => vec![RuleResult {
                rule: s.clone(),
                result: None,
                message: None,
            }],
        },
        AttrValue::Null => vec![],
        AttrValue::L(_) | AttrValue::M(_) | AttrValue::Ss(_) => match v.to_json() {
            serde_json::Value::Array(a) => a.iter().map(rule_of_json).collect(),
            one => vec![rule_of_json(&one)],
        },
        other => vec![RuleResult {
            rule: other.text(),
            result: None,
            message: None,
        }],
    }
}

/// Reading DQ and errors items through a mapping.
impl TableMapping {
    fn field<'a>(&self, item: &'a Item, name: &str) -> Option<&'a AttrValue> {
        (!name.is_empty())
            .then(|| item.get(name))
            .flatten()
            .filter(|v| **v != AttrValue::Null)
    }

    pub fn dq_of(&self, item: &Item) -> DqResult {
        let f = &self.fields;
        DqResult {
            table: self.name.clone(),
            at: self
                .field(item, &f.started)
                .or(self.field(item, &f.ended))
                .and_then(AttrValue::as_time),
            score: self
                .field(item, &f.dq_score)
                .and_then(AttrValue::as_f64)
                .map(|raw| self.dq_score(raw)),
            passed: self.field(item, &f.passed).and_then(as_bool),
            failed_rules: self
                .field(item, &f.failed_rules)
                .map(rules_of)
                .unwrap_or_default(),
        }
    }

    pub fn error_of(&self, item: &Item) -> ErrorRecord {
        let f = &self.fields;
        let text = |name: &str| self.field(item, name).map(AttrValue::text);
        ErrorRecord {
            table: self.name.clone(),
            at: self
                .field(item, &f.started)
                .or(self.field(item, &f.ended))
                .and_then(AttrValue::as_time),
            code: text(&f.error_type).or_else(|| text(&f.status)),
            message: text(&f.error_message),
            attempt: self
                .field(item, &f.attempt)
                .and_then(AttrValue::as_f64)
                .map(|n| n as i64),
            recoverable: self.field(item, &f.recoverable).and_then(as_bool),
        }
    }
}

/// A pipeline, as the pipelines view names it: its table and its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PipelineRef {
    pub table: String,
    pub pipeline: String,
}

/// A pipeline's last runs, newest first, or why they were not read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PipelineRuns {
    pub table: String,
    pub pipeline: String,
    pub runs: Vec<AuditRun>,
    pub error: Option<String>,
}

impl PipelineRuns {
    /// Its usual duration, from its ended runs.
    pub fn median_s(&self) -> Option<f64> {
        super::median_duration(&self.runs.iter().collect::<Vec<_>>())
    }
}

/// Which audit record a Glue run or a message names: every run read,
/// found by its run id or its Glue run id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditLinks {
    by_id: HashMap<String, AuditLink>,
}

/// Enough of a record to say it is there and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLink {
    pub table: String,
    pub run_id: Option<String>,
    pub status: super::RunStatus,
    /// The error, or the DQ score when it failed, in one line.
    pub why: Option<String>,
}

impl AuditLinks {
    pub fn of(tables: &[TableRead]) -> AuditLinks {
        let mut by_id = HashMap::new();
        for r in tables.iter().flat_map(|t| &t.runs) {
            let link = AuditLink {
                table: r.table.clone(),
                run_id: r.run_id.clone().or(r.glue_run_id.clone()),
                status: r.status.clone(),
                why: r
                    .error_message
                    .as_deref()
                    .and_then(|m| m.lines().next())
                    .map(|m| match &r.error_type {
                        Some(t) => format!("{t}: {m}"),
                        None => m.to_string(),
                    })
                    .or(r
                        .dq
                        .filter(|d| !d.passed())
                        .map(|d| format!("DQ {}", d.label()))),
            };
            for id in [&r.run_id, &r.glue_run_id].into_iter().flatten() {
                if !id.is_empty() {
                    by_id.entry(id.clone()).or_insert_with(|| link.clone());
                }
            }
        }
        AuditLinks { by_id }
    }

    /// The record of the first of `ids` that has one.
    pub fn find<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Option<&AuditLink> {
        ids.into_iter().find_map(|id| self.by_id.get(id))
    }
}

/// A read of the audit tables as it reaches the panes: the tables, and
/// the links the Glue and DLQ panes look runs up by — built once, in the
/// fetch task (100,000 ids for 50,000 runs), not on the UI thread by each
/// pane.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditDay {
    pub tables: Vec<TableRead>,
    pub links: std::sync::Arc<AuditLinks>,
}

impl AuditDay {
    /// A read's first part (shown at start only): no links built for it.
    pub fn partial(tables: Vec<TableRead>) -> Self {
        AuditDay {
            tables,
            links: Default::default(),
        }
    }
}

impl From<Vec<TableRead>> for AuditDay {
    fn from(tables: Vec<TableRead>) -> Self {
        let links = std::sync::Arc::new(AuditLinks::of(&tables));
        AuditDay { tables, links }
    }
}

/// Why a Glue run or a message has no record to open: what the read
/// covers, said the same in every pane.
pub fn no_record(ids: &str) -> String {
    format!(
        "no audit record of {ids} among the last 24 h and the RUNNING runs of the mapped tables"
    )
}

/// The run id a message body carries: a JSON object's `run_id` (P8's
/// `{"run_id", "pipeline_name", "action": "REQUIRES_MANUAL_REVIEW"}`),
/// `runId`, `glue_run_id` or `jobRunId` — at its top or under `detail`
/// (an EventBridge Glue event).
pub fn run_ids_in_body(body: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body.trim()) else {
        return vec![];
    };
    let mut out = Vec::new();
    for obj in [Some(&v), v.get("detail")].into_iter().flatten() {
        for key in ["run_id", "runId", "glue_run_id", "jobRunId", "JobRunId"] {
            if let Some(serde_json::Value::String(s)) = obj.get(key) {
                if !s.is_empty() && !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::audit::item_of;

    fn dq_table() -> TableMapping {
        TableMapping {
            name: "pipeline-dq-audit".into(),
            kind: crate::cloud::audit::TableKind::Dq,
            fields: crate::cloud::audit::Fields {
                run_id: "run_id".into(),
                dq_score: "dq_score".into(),
                passed: "passed".into(),
                failed_rules: "failed_rules".into(),
                started: "timestamp".into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn failed_rules_read_from_a_json_string_a_list_or_a_set() {
        let mut item = item_of(&[("run_id", "r-1"), ("dq_score", "0.91")]);
        item.insert("passed".into(), AttrValue::Bool(false));
        item.insert(
            "failed_rules".into(),
            AttrValue::S(
                r#"[{"rule": "IsComplete \"order_id\"", "result": "FAIL", "message": "Completeness 0.97"}]"#
                    .into(),
            ),
        );
        let dq = dq_table().dq_of(&item);
        assert_eq!(dq.passed(), Some(false));
        assert_eq!(dq.failed_rules.len(), 1);
        assert_eq!(dq.failed_rules[0].rule, "IsComplete \"order_id\"");
        assert_eq!(dq.failed_rules[0].result.as_deref(), Some("FAIL"));
        assert_eq!(
            dq.failed_rules[0].message.as_deref(),
            Some("Completeness 0.97")
        );
        item.insert(
            "failed_rules".into(),
            AttrValue::L(vec![AttrValue::S("RowCount >= 1000".into())]),
        );
        item.insert("passed".into(), AttrValue::S("False".into()));
        let dq = dq_table().dq_of(&item);
        assert_eq!(dq.failed_rules[0].rule, "RowCount >= 1000");
        assert_eq!(dq.passed, Some(false), "a string false");
        item.remove("passed");
        assert_eq!(
            dq_table().dq_of(&item).passed(),
            Some(false),
            "0.91 is under 0.95"
        );
    }

    #[test]
    fn run_ids_come_from_a_json_body_or_an_event_s_detail() {
        let p8 = r#"{"run_id": "run-0412", "pipeline_name": "partner-feed", "action": "REQUIRES_MANUAL_REVIEW"}"#;
        assert_eq!(run_ids_in_body(p8), vec!["run-0412"]);
        let event = r#"{"detail": {"jobName": "j", "jobRunId": "jr_1", "state": "FAILED"}}"#;
        assert_eq!(run_ids_in_body(event), vec!["jr_1"]);
        assert!(run_ids_in_body("not json").is_empty());
        assert!(run_ids_in_body(r#"{"run_id": 7}"#).is_empty());
    }

    #[test]
    fn ids_are_the_run_id_then_a_different_glue_run_id() {
        let r = RunRef {
            table: "t".into(),
            pipeline: None,
            run_id: Some("jr_1".into()),
            glue_run_id: Some("jr_1".into()),
        };
        assert_eq!(r.ids(), vec!["jr_1"]);
    }
}
