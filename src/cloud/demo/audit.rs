//! The demo account's audit table, written the way the course's pipelines
//! write `pipeline_audit` (HASH `pipeline_id`, RANGE `run_timestamp`, a
//! `status-index`): one record per Glue run of the last day — the
//! raw-to-silver failures (an empty upstream file), the DQ gate's (score
//! 91 against 95, rows rejected) — plus a gold job RUNNING for seven hours
//! that usually takes forty minutes (three runs since yesterday), and a partner feed whose retries
//! ended REQUIRES_MANUAL_REVIEW, a word no vocabulary knows.

use crate::cloud::audit::{AttrValue, Item, TableMapping, TableRead};
use crate::cloud::{JobRun, RunState};
use chrono::{DateTime, Duration, SecondsFormat, Utc};

pub const TABLE: &str = "pipeline_audit";

/// The demo's mapping: the course's recommended table.
pub fn mapping() -> TableMapping {
    TableMapping::course_recommended(TABLE)
}

fn t(at: DateTime<Utc>) -> AttrValue {
    AttrValue::S(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn n(v: i64) -> AttrValue {
    AttrValue::N(v.to_string())
}

fn s(v: &str) -> AttrValue {
    AttrValue::S(v.to_string())
}

/// A record for one Glue run, as its pipeline wrote it; its numbers come
/// from the run's id, so they stay the same from one read to the next.
fn of_glue_run(r: &JobRun) -> Option<Item> {
    let started = r.started_on?;
    let seq =
        r.id.bytes()
            .fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize))
            % 97;
    let mut item: Item = [
        ("pipeline_id", s(&r.job_name)),
        ("run_timestamp", t(started)),
        (
            "run_id",
            s(r.arguments
                .get("--run_id")
                .map_or(r.id.as_str(), String::as_str)),
        ),
        ("glue_run_id", s(&r.id)),
        ("start_time", t(started)),
        ("rows_read", n(148_000 + seq as i64 * 1_311)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut set = |k: &str, v: AttrValue| {
        item.insert(k.to_string(), v);
    };
    let dq_gate = r.job_name.starts_with("dq-");
    match r.state {
        RunState::Running | RunState::Starting | RunState::Waiting => set("status", s("RUNNING")),
        RunState::Succeeded => {
            set("status", s("SUCCEEDED"));
            set("rows_written", n(147_400 + seq as i64 * 1_300));
            set("rows_rejected", n(12));
            set("dq_score", AttrValue::N("99.2".into()));
        }
        _ => {
            set("status", s("FAILED"));
            set("rows_written", n(0));
            match dq_gate {
                true => {
                    set("rows_rejected", n(13_402));
                    set("dq_score", AttrValue::N("91.0".into()));
                    set("error_type", s("DQ_FAILURE"));
                    set("error_msg", s("DQ gate: 2 of 22 rules failed (IsComplete order_id; ColumnValues amount > 0)"));
                }
                false => {
                    set("rows_rejected", n(0));
                    set(
                        "error_type",
                        s(if r.state == RunState::Timeout {
                            "TIMEOUT"
                        } else {
                            "UPSTREAM"
                        }),
                    );
                    set(
                        "error_msg",
                        s(r.error_message
                            .as_deref()
                            .and_then(|m| m.lines().next())
                            .unwrap_or("failed")),
                    );
                }
            }
        }
    }
    if let Some(end) = r.completed_on {
        set("end_time", t(end));
        set("duration_secs", n((end - started).num_seconds()));
    }
    Some(item)
}

/// Records that have no Glue run behind them in the demo, placed from
/// the story's origin (their keys stay the same from one read to the next).
fn others(origin: DateTime<Utc>) -> Vec<Item> {
    let rec = |pairs: Vec<(&str, AttrValue)>| -> Item {
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    };
    let mut out = Vec::new();
    // The gold job's usual: forty minutes, three times since yesterday.
    for d in 1..=3 {
        let start = origin - Duration::hours(6 + 4 * d);
        out.push(rec(vec![
            ("pipeline_id", s("silver-to-gold")),
            ("run_timestamp", t(start)),
            ("run_id", s(&format!("run-gold-{d}"))),
            ("status", s("SUCCEEDED")),
            ("start_time", t(start)),
            ("end_time", t(start + Duration::minutes(38 + d))),
            ("duration_secs", n((38 + d) * 60)),
            ("rows_written", n(1_204_331)),
            ("rows_rejected", n(0)),
        ]));
    }
    let stuck = origin - Duration::hours(7);
    out.push(rec(vec![
        ("pipeline_id", s("silver-to-gold")),
        ("run_timestamp", t(stuck)),
        ("run_id", s("run-gold-0")),
        ("status", s("RUNNING")),
        ("start_time", t(stuck)),
        ("end_time", AttrValue::Null),
        ("rows_read", n(1_190_220)),
    ]));
    let review = origin - Duration::minutes(95);
    out.push(rec(vec![
        ("pipeline_id", s("partner-feed-ingest")),
        ("run_timestamp", t(review)),
        ("run_id", s("run-partner-0412")),
        ("status", s("REQUIRES_MANUAL_REVIEW")),
        ("start_time", t(review)),
        ("end_time", t(review + Duration::minutes(14))),
        ("rows_read", n(5_210)),
        ("rows_written", n(4_880)),
        ("rows_rejected", n(330)),
        ("error_type", s("RETRIES_EXHAUSTED")),
        (
            "error_msg",
            s("3 attempts: ThrottlingException from partner API; sent to DLQ for manual review"),
        ),
    ]));
    out
}

/// The demo's table, read as the real one is: the last 24 hours and every
/// RUNNING record, through the mapping.
pub fn read(
    glue_runs: &[JobRun],
    marked: &[(Item, String, DateTime<Utc>)],
    origin: DateTime<Utc>,
    now: DateTime<Utc>,
) -> TableRead {
    let m = mapping();
    let keys = ["pipeline_id".to_string(), "run_timestamp".to_string()];
    let since = now - Duration::hours(24);
    let mut items: Vec<Item> = glue_runs.iter().filter_map(of_glue_run).collect();
    items.extend(others(origin));
    // What was marked FAILED through the gate stays so.
    for item in items.iter_mut() {
        let hit = marked
            .iter()
            .find(|(key, ..)| key.iter().all(|(k, v)| item.get(k) == Some(v)) && !key.is_empty());
        if let Some((_, message, at)) = hit {
            item.insert("status".into(), s("FAILED"));
            item.insert("end_time".into(), t(*at));
            item.insert("error_msg".into(), s(message));
        }
    }
    let mut runs: Vec<_> = items
        .iter()
        .map(|i| m.run_of(i, &keys))
        .filter(|r| {
            r.status == crate::cloud::audit::RunStatus::Running
                || r.when().is_some_and(|t| t >= since)
        })
        .collect();
    runs.sort_by(crate::cloud::audit::AuditRun::most_urgent_first);
    TableRead {
        table: TABLE.into(),
        runs,
        notes: vec![],
        error: None,
    }
}

/// `:audit detect` on the demo: its one table's shape and a sample.
pub fn detect(
    table: &str,
    glue_runs: &[JobRun],
    origin: DateTime<Utc>,
) -> crate::cloud::CloudResult<crate::cloud::audit::detect::Detection> {
    use crate::cloud::audit::detect::{propose, Detection, IndexShape, TableShape};
    if table != TABLE {
        return Err(crate::cloud::CloudError::NotFound {
            message: format!(
                "Requested resource not found: Table: {table} not found (the demo has {TABLE})"
            ),
        });
    }
    let shape = TableShape {
        name: TABLE.into(),
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
    let mut sample: Vec<Item> = glue_runs.iter().filter_map(of_glue_run).collect();
    sample.extend(others(origin));
    sample.truncate(25);
    Ok(Detection {
        mapping: propose(&shape, &sample),
        sampled: sample.len(),
        shape,
    })
}
