//! The demo's DQ and errors tables, written as the course's P7 and P8
//! write them: `pipeline-dq-audit` (score 0–1, `passed`, the failed rules
//! as a JSON string of `{rule, result, message}`) and `pipeline-errors`
//! (one item per attempt: `error_code`, `attempt_number`,
//! `is_recoverable`), read beside an open run.

use crate::cloud::audit::records::{PipelineRef, PipelineRuns, RunRecords, RunRef, LAST_RUNS};
use crate::cloud::audit::{
    item_of, AttrValue, AuditRun, Fields, RunStatus, TableKind, TableMapping, TableRead,
};
use chrono::{Duration, SecondsFormat};

pub const DQ_TABLE: &str = "pipeline-dq-audit";
pub const ERRORS_TABLE: &str = "pipeline-errors";

pub fn dq_mapping() -> TableMapping {
    let f = |s: &str| s.to_string();
    TableMapping {
        name: f(DQ_TABLE),
        kind: TableKind::Dq,
        fields: Fields {
            run_id: f("run_id"),
            pipeline: f("pipeline_name"),
            dq_score: f("dq_score"),
            passed: f("passed"),
            failed_rules: f("failed_rules"),
            started: f("timestamp"),
            ..Fields::default()
        },
        ..TableMapping::default()
    }
}

pub fn errors_mapping() -> TableMapping {
    let f = |s: &str| s.to_string();
    TableMapping {
        name: f(ERRORS_TABLE),
        kind: TableKind::Errors,
        fields: Fields {
            run_id: f("run_id"),
            pipeline: f("pipeline_name"),
            error_type: f("error_code"),
            error_message: f("error_message"),
            attempt: f("attempt_number"),
            recoverable: f("is_recoverable"),
            started: f("timestamp"),
            ..Fields::default()
        },
        ..TableMapping::default()
    }
}

/// The rules the demo's DQ gate fails (its run record says "2 of 22").
const FAILED_RULES: &str = r#"[{"rule": "IsComplete \"order_id\"", "result": "FAIL", "message": "Completeness of order_id is 0.962, below 1.0"}, {"rule": "ColumnValues \"amount\" > 0", "result": "FAIL", "message": "312 rows have amount <= 0"}]"#;

/// The records beside `run` in the demo's day (`day`: the run table as
/// read now).
pub fn records(run: &RunRef, day: &TableRead) -> RunRecords {
    let mut out = RunRecords {
        dq_mapped: true,
        errors_mapped: true,
        ..RunRecords::default()
    };
    let Some(this) = day
        .runs
        .iter()
        .find(|r| r.run_id == run.run_id && r.pipeline == run.pipeline)
    else {
        return out;
    };
    out.history = last_runs(day, run.pipeline.as_deref(), LAST_RUNS as usize);
    let id = this.run_id.clone().unwrap_or_default();
    let pipeline = this.pipeline.clone().unwrap_or_default();
    let at = |d: Duration| {
        this.ended
            .or(this.started)
            .map(|t| (t + d).to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let base = |ts: String| {
        item_of(&[
            ("run_id", id.as_str()),
            ("pipeline_name", pipeline.as_str()),
            ("timestamp", ts.as_str()),
        ])
    };
    if let Some(dq) = this.dq {
        let mut item = base(at(Duration::zero()));
        item.insert("dq_score".into(), AttrValue::N(format!("{:.3}", dq.score)));
        item.insert("passed".into(), AttrValue::Bool(dq.passed()));
        item.insert(
            "failed_rules".into(),
            AttrValue::S(if dq.passed() { "[]" } else { FAILED_RULES }.into()),
        );
        out.dq.push(dq_mapping().dq_of(&item));
    }
    let attempts: Vec<(&str, String, bool)> = match (&this.status, this.error_type.as_deref()) {
        // P8: retried with backoff, then sent for manual review.
        (_, Some("RETRIES_EXHAUSTED")) => vec![
            (
                "ThrottlingException",
                "Rate exceeded calling partner API (429)".into(),
                true,
            ),
            (
                "ThrottlingException",
                "Rate exceeded calling partner API (429)".into(),
                true,
            ),
            (
                "REQUIRES_MANUAL_REVIEW",
                "retries exhausted after 3 attempts; payload sent to pipeline-dlq".into(),
                false,
            ),
        ],
        (RunStatus::Failed, Some(code)) if code != "DQ_FAILURE" => {
            vec![(code, this.error_message.clone().unwrap_or_default(), false)]
        }
        _ => vec![],
    };
    for (n, (code, message, recoverable)) in attempts.into_iter().enumerate() {
        let mut item = base(at(Duration::seconds(-30 * (3 - n as i64))));
        item.insert("error_code".into(), AttrValue::S(code.into()));
        item.insert("error_message".into(), AttrValue::S(message));
        item.insert("attempt_number".into(), AttrValue::N((n + 1).to_string()));
        item.insert("is_recoverable".into(), AttrValue::Bool(recoverable));
        out.errors.push(errors_mapping().error_of(&item));
    }
    out.sorted()
}

/// A pipeline's last `n` runs of the day, newest first: what a Query
/// on its key would answer.
fn last_runs(day: &TableRead, pipeline: Option<&str>, n: usize) -> Vec<AuditRun> {
    let mut runs: Vec<AuditRun> = day
        .runs
        .iter()
        .filter(|r| r.pipeline.as_deref() == pipeline)
        .cloned()
        .collect();
    runs.sort_by_key(|r| std::cmp::Reverse(r.when()));
    runs.truncate(n);
    runs
}

/// The demo's pipelines view: each pipeline's last `n` runs of the day.
pub fn pipelines(asked: &[PipelineRef], n: usize, day: &[TableRead]) -> Vec<PipelineRuns> {
    asked
        .iter()
        .map(|p| {
            let Some(t) = day.iter().find(|t| t.table == p.table) else {
                return PipelineRuns {
                    table: p.table.clone(),
                    pipeline: p.pipeline.clone(),
                    error: Some(format!("no table {} in the demo", p.table)),
                    ..PipelineRuns::default()
                };
            };
            PipelineRuns {
                table: p.table.clone(),
                pipeline: p.pipeline.clone(),
                runs: last_runs(t, Some(&p.pipeline), n),
                error: None,
            }
        })
        .collect()
}
