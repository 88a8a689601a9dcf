//! The pipelines' own records in DynamoDB: run (audit) tables, their
//! data-quality results and their errors, in whatever shape a team wrote
//! them. Items arrive as [`Item`]s — attribute values without the SDK's
//! types — and become [`AuditRun`]s through a table's [`TableMapping`]
//! (from `[[audit.tables]]`, or proposed by [`detect`]).

pub mod detect;
pub mod mapping;
pub mod records;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use mapping::{Fields, StatusWords, TableKind, TableMapping};

/// A DynamoDB attribute value, as pipedeck reads it. Numbers stay the
/// decimal strings DynamoDB sends; binary is only its length (never shown).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AttrValue {
    S(String),
    N(String),
    Bool(bool),
    Null,
    L(Vec<AttrValue>),
    M(BTreeMap<String, AttrValue>),
    Ss(Vec<String>),
    Ns(Vec<String>),
    /// Binary (B, BS): its size in bytes.
    B(usize),
}

impl AttrValue {
    /// As text for a table cell: strings as they are, numbers as written,
    /// lists and maps as compact JSON.
    pub fn text(&self) -> String {
        match self {
            AttrValue::S(s) | AttrValue::N(s) => s.clone(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Null => "null".into(),
            AttrValue::B(n) => format!("<{n} bytes>"),
            other => other.to_json().to_string(),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            AttrValue::S(s) => Value::String(s.clone()),
            AttrValue::N(n) => n
                .parse::<serde_json::Number>()
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(n.clone())),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Null => Value::Null,
            AttrValue::L(l) => Value::Array(l.iter().map(AttrValue::to_json).collect()),
            AttrValue::M(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            AttrValue::Ss(s) | AttrValue::Ns(s) => {
                Value::Array(s.iter().map(|v| Value::String(v.clone())).collect())
            }
            AttrValue::B(n) => Value::String(format!("<{n} bytes>")),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::N(n) | AttrValue::S(n) => {
                n.trim().parse().ok().filter(|v: &f64| v.is_finite())
            }
            _ => None,
        }
    }

    /// A time written as ISO 8601 (with or without a zone; UTC assumed
    /// without), or as epoch seconds or milliseconds.
    pub fn as_time(&self) -> Option<DateTime<Utc>> {
        match self {
            AttrValue::S(s) => parse_time(s),
            AttrValue::N(n) => {
                let v: f64 = n.parse().ok()?;
                // Past 1e11 it can only be milliseconds (year 5138 in s).
                let ms = if v.abs() > 1e11 { v } else { v * 1000.0 };
                DateTime::from_timestamp_millis(ms as i64)
            }
            _ => None,
        }
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    }
    // Epoch seconds written as a string.
    s.parse::<f64>()
        .ok()
        .and_then(|v| AttrValue::N(v.to_string()).as_time())
}

/// One table's read: its runs, what the read left out or cost (a capped
/// Scan, pages not read), or why it failed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRead {
    pub table: String,
    pub runs: Vec<AuditRun>,
    pub notes: Vec<String>,
    pub error: Option<String>,
}

impl TableRead {
    /// Its table, notes and error, without the runs (which may be 50,000).
    pub fn clone_without_runs(&self) -> TableRead {
        TableRead {
            table: self.table.clone(),
            runs: Vec::new(),
            notes: self.notes.clone(),
            error: self.error.clone(),
        }
    }
}

/// One item: attribute name → value.
pub type Item = BTreeMap<String, AttrValue>;

/// An item from (name, value) text pairs, numbers as N, the rest as S:
/// for fixtures and demos.
pub fn item_of(pairs: &[(&str, &str)]) -> Item {
    pairs
        .iter()
        .map(|(k, v)| {
            let value = match v.parse::<f64>() {
                Ok(_) => AttrValue::N(v.to_string()),
                Err(_) => AttrValue::S(v.to_string()),
            };
            (k.to_string(), value)
        })
        .collect()
}

/// A run's state, read through the table's status words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RunStatus {
    Failed,
    Partial,
    Running,
    Succeeded,
    /// A word the mapping does not know: shown as written, never dropped.
    Other(String),
    /// The item has no status attribute.
    Missing,
}

impl RunStatus {
    /// Failed and partial first, then running, then the rest.
    pub fn rank(&self) -> u8 {
        match self {
            RunStatus::Failed => 0,
            RunStatus::Partial => 1,
            RunStatus::Other(_) | RunStatus::Missing => 2,
            RunStatus::Running => 3,
            RunStatus::Succeeded => 4,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            RunStatus::Failed => "FAILED",
            RunStatus::Partial => "PARTIAL",
            RunStatus::Running => "RUNNING",
            RunStatus::Succeeded => "SUCCEEDED",
            RunStatus::Other(s) => s,
            RunStatus::Missing => "(no status)",
        }
    }
}

/// A data-quality score, on the 0–1 scale whatever the table wrote.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DqScore {
    /// 0–1.
    pub score: f64,
    /// 0–1.
    pub threshold: f64,
    /// 1 or 100: how the table writes it (shown that way).
    pub scale: f64,
}

impl DqScore {
    pub fn passed(&self) -> bool {
        self.score >= self.threshold
    }

    /// "99.1 / 95" or "0.987 / 0.95", as the table writes it.
    pub fn label(&self) -> String {
        let show = |v: f64| match self.scale {
            s if s > 1.0 => format!("{:.1}", v * s),
            _ => format!("{v:.3}"),
        };
        format!("{} / {}", show(self.score), show(self.threshold))
    }
}

/// A pipeline run as its audit record tells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRun {
    pub table: String,
    pub pipeline: Option<String>,
    pub run_id: Option<String>,
    pub glue_run_id: Option<String>,
    pub status: RunStatus,
    /// The status attribute as written (a conditional update compares it
    /// exactly).
    pub status_word: Option<String>,
    pub started: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
    pub duration_s: Option<f64>,
    pub rows_read: Option<i64>,
    pub rows_written: Option<i64>,
    pub rows_rejected: Option<i64>,
    pub dq: Option<DqScore>,
    pub error_message: Option<String>,
    pub error_type: Option<String>,
    /// The item's primary key, for a conditional update.
    pub key: Item,
    /// Mapped fields the item lacks (shown as missing, not as zero).
    pub missing: Vec<&'static str>,
}

impl AuditRun {
    /// How long it ran, or has been running at `now`.
    pub fn age_s(&self, now: DateTime<Utc>) -> Option<f64> {
        let start = self.started?;
        let end = self.ended.unwrap_or(now);
        Some((end - start).num_milliseconds() as f64 / 1000.0)
    }

    /// The latest it was seen: its end, else its start.
    pub fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.ended.max(self.started)
    }

    /// When it happened, for ordering: its start, else its end.
    pub fn when(&self) -> Option<DateTime<Utc>> {
        self.started.or(self.ended)
    }

    /// Failed and partial first, then unknown words, running, the rest;
    /// newest first within each.
    pub fn most_urgent_first(a: &AuditRun, b: &AuditRun) -> std::cmp::Ordering {
        a.status
            .rank()
            .cmp(&b.status.rank())
            .then_with(|| b.when().cmp(&a.when()))
    }
}

/// A RUNNING record older than `stuck_after`, or — without one — than
/// three times its pipeline's median duration, is flagged "stuck?".
pub fn is_stuck(
    run: &AuditRun,
    now: DateTime<Utc>,
    stuck_after: Option<std::time::Duration>,
    median_s: Option<f64>,
) -> bool {
    if run.status != RunStatus::Running {
        return false;
    }
    let Some(age) = run.age_s(now) else {
        return false;
    };
    match (stuck_after, median_s) {
        (Some(limit), _) => age > limit.as_secs_f64(),
        (None, Some(m)) if m > 0.0 => age > 3.0 * m,
        _ => false,
    }
}

/// What on-call must see: failed, partial, stuck — or a word no
/// vocabulary knows (REQUIRES_MANUAL_REVIEW waits for a person) or no
/// status at all.
pub fn needs_a_look(r: &AuditRun, stuck: bool) -> bool {
    stuck
        || matches!(
            r.status,
            RunStatus::Failed | RunStatus::Partial | RunStatus::Other(_) | RunStatus::Missing
        )
}

/// Which of `runs` are stuck: each pipeline's median from the runs given.
pub fn stuck_flags(
    runs: &[AuditRun],
    now: DateTime<Utc>,
    stuck_after: Option<std::time::Duration>,
) -> Vec<bool> {
    let mut by_pipeline: BTreeMap<Option<&str>, Vec<&AuditRun>> = BTreeMap::new();
    for r in runs {
        by_pipeline
            .entry(r.pipeline.as_deref())
            .or_default()
            .push(r);
    }
    let medians: BTreeMap<Option<&str>, Option<f64>> = by_pipeline
        .iter()
        .map(|(p, runs)| (*p, median_duration(runs)))
        .collect();
    runs.iter()
        .map(|r| {
            let median = medians.get(&r.pipeline.as_deref()).copied().flatten();
            is_stuck(r, now, stuck_after, median)
        })
        .collect()
}

/// The median duration of a pipeline's ended runs, in seconds.
pub fn median_duration(runs: &[&AuditRun]) -> Option<f64> {
    let mut d: Vec<f64> = runs
        .iter()
        .filter(|r| matches!(r.status, RunStatus::Succeeded | RunStatus::Partial))
        .filter_map(|r| r.duration_s)
        .filter(|d| *d > 0.0)
        .collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(f64::total_cmp);
    let mid = d.len() / 2;
    Some(match d.len() % 2 {
        0 => (d[mid - 1] + d[mid]) / 2.0,
        _ => d[mid],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_the_shapes_pipelines_write_them() {
        let t = |v: AttrValue| v.as_time().map(|t| t.to_rfc3339());
        let want = Some("2024-01-15T08:00:00+00:00".to_string());
        assert_eq!(t(AttrValue::S("2024-01-15T08:00:00Z".into())), want);
        assert_eq!(t(AttrValue::S("2024-01-15T08:00:00".into())), want);
        assert_eq!(t(AttrValue::S("2024-01-15 08:00:00.000".into())), want);
        assert_eq!(t(AttrValue::S("2024-01-15T09:00:00+01:00".into())), want);
        assert_eq!(t(AttrValue::N("1705305600".into())), want);
        assert_eq!(t(AttrValue::N("1705305600000".into())), want);
        assert_eq!(t(AttrValue::S("1705305600".into())), want);
        assert_eq!(t(AttrValue::S("yesterday".into())), None);
        assert_eq!(t(AttrValue::Bool(true)), None);
    }

    fn run(status: RunStatus, started_h_ago: i64, duration_s: Option<f64>) -> AuditRun {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .to_utc();
        AuditRun {
            table: "t".into(),
            pipeline: Some("p".into()),
            run_id: None,
            glue_run_id: None,
            status,
            status_word: None,
            started: Some(now - chrono::Duration::hours(started_h_ago)),
            ended: None,
            duration_s,
            rows_read: None,
            rows_written: None,
            rows_rejected: None,
            dq: None,
            error_message: None,
            error_type: None,
            key: Item::new(),
            missing: vec![],
        }
    }

    #[test]
    fn a_run_is_stuck_past_its_limit_or_three_times_its_usual() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .to_utc();
        let hour = std::time::Duration::from_secs(3600);
        let r = run(RunStatus::Running, 5, None);
        assert!(is_stuck(&r, now, Some(4 * hour), None));
        assert!(
            !is_stuck(&r, now, Some(6 * hour), Some(60.0)),
            "the limit wins"
        );
        let past = [
            run(RunStatus::Succeeded, 30, Some(3000.0)),
            run(RunStatus::Succeeded, 54, Some(3600.0)),
            run(RunStatus::Failed, 78, Some(99_999.0)),
        ];
        let median = median_duration(&past.iter().collect::<Vec<_>>());
        assert_eq!(median, Some(3300.0), "failed runs are not the usual");
        assert!(is_stuck(&r, now, None, median), "5 h > 3 × 55 min");
        assert!(!is_stuck(
            &run(RunStatus::Running, 2, None),
            now,
            None,
            median
        ));
        assert!(!is_stuck(
            &run(RunStatus::Failed, 50, None),
            now,
            None,
            median
        ));
        assert!(!is_stuck(&r, now, None, None), "nothing to compare with");
    }

    #[test]
    fn dq_scores_compare_on_one_scale_and_show_on_theirs() {
        let percent = DqScore {
            score: 0.9987,
            threshold: 0.95,
            scale: 100.0,
        };
        assert!(percent.passed());
        assert_eq!(percent.label(), "99.9 / 95.0");
        let unit = DqScore {
            score: 0.91,
            threshold: 0.95,
            scale: 1.0,
        };
        assert!(!unit.passed());
        assert_eq!(unit.label(), "0.910 / 0.950");
    }
}
