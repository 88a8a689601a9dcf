//! The demo account's logs: the failing Glue job's error log, its driver
//! output, the S3-arrival Lambda and the EMR step. Insights queries run in
//! two polls (Running with part of the rows, then Complete) over canned
//! events inside the asked window; `stats` queries return counts.

use crate::cloud::logs::{InsightsQuery, LogGroup, QueryResults, QueryStats, QueryStatus};
use crate::cloud::{CloudError, CloudResult};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::collections::BTreeMap;

const GROUPS: &[(&str, i64)] = &[
    ("/aws-glue/jobs/error", 48_213_004),
    ("/aws-glue/jobs/output", 912_440_120),
    ("/aws/lambda/file-arrival-handler", 3_120_882),
    ("/aws/emr/daily-pipeline", 77_002_310),
];

pub fn groups(prefix: Option<&str>) -> Vec<LogGroup> {
    GROUPS
        .iter()
        .filter(|(n, _)| prefix.is_none_or(|p| n.starts_with(p)))
        .map(|(n, bytes)| LogGroup {
            name: n.to_string(),
            stored_bytes: Some(*bytes),
            retention_days: Some(30),
        })
        .collect()
}

/// What the service rejects before running: no group, an unknown group, an
/// empty query, a bad range.
pub fn check(q: &InsightsQuery) -> CloudResult<()> {
    if q.groups.is_empty() {
        return Err(CloudError::InvalidInput {
            message: "at least one log group is required".into(),
        });
    }
    if let Some(g) = q
        .groups
        .iter()
        .find(|g| !GROUPS.iter().any(|(n, _)| n == g))
    {
        return Err(CloudError::NotFound {
            message: format!("Log group '{g}' does not exist"),
        });
    }
    if q.query.trim().is_empty() || q.query.contains("| |") {
        return Err(CloudError::Other {
            code: "MalformedQueryException".into(),
            message: "unexpected symbol found | at line 1".into(),
        });
    }
    if q.start >= q.end {
        return Err(CloudError::InvalidInput {
            message: "end time must be after start time".into(),
        });
    }
    Ok(())
}

/// One error line of the failing job every 90 s since the incident.
fn events(incident: DateTime<Utc>) -> Vec<(DateTime<Utc>, String, String)> {
    (0..60)
        .map(|i| {
            let t = incident + Duration::seconds(i * 90);
            let msg = format!(
                "ERROR GlueJob raw-to-silver-transform run jr_{:08x}: ValueError: Empty file: s3://company-raw/uploads/orders/2024-01-15/orders-{:03}.csv",
                0x5eed_0000u32 + i as u32,
                i % 37
            );
            (t, msg, format!("jr_{:08x}-driver", 0x5eed_0000u32 + i as u32))
        })
        .collect()
}

fn ptr(i: usize) -> String {
    format!("demo-ptr-{i}")
}

pub fn results(
    q: &InsightsQuery,
    polls: u32,
    stopped: bool,
    incident: DateTime<Utc>,
) -> QueryResults {
    let hits: Vec<(usize, DateTime<Utc>, String, String)> = events(incident)
        .into_iter()
        .enumerate()
        .filter(|(_, (t, ..))| *t >= q.start && *t <= q.end)
        .map(|(i, (t, m, s))| (i, t, m, s))
        .collect();
    let status = match (stopped, polls) {
        (true, _) => QueryStatus::Cancelled,
        (false, 0 | 1) => QueryStatus::Running,
        _ => QueryStatus::Complete,
    };
    // Running shows part of the rows: each poll returns all rows so far.
    let shown = if status == QueryStatus::Running {
        hits.len() / 2
    } else {
        hits.len()
    };
    let rows = if q.query.contains("stats") {
        vec![vec![("count(*)".to_string(), shown.to_string())]]
    } else {
        hits.iter()
            .rev()
            .take(shown)
            .map(|(i, t, m, s)| {
                vec![
                    (
                        "@timestamp".to_string(),
                        t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
                    ),
                    ("@message".to_string(), m.clone()),
                    ("@logStream".to_string(), s.clone()),
                    ("@ptr".to_string(), ptr(*i)),
                ]
            })
            .collect()
    };
    QueryResults {
        status,
        rows,
        stats: QueryStats {
            records_matched: shown as f64,
            records_scanned: (shown * 412) as f64,
            bytes_scanned: (shown * 412 * 230) as f64,
        },
    }
}

pub fn record(ptr_id: &str, incident: DateTime<Utc>) -> Option<BTreeMap<String, String>> {
    let i: usize = ptr_id.strip_prefix("demo-ptr-")?.parse().ok()?;
    let (t, m, s) = events(incident).into_iter().nth(i)?;
    Some(BTreeMap::from([
        (
            "@timestamp".into(),
            t.to_rfc3339_opts(SecondsFormat::Millis, true),
        ),
        ("@message".into(), m),
        ("@logStream".into(), s),
        ("@log".into(), "123456789012:/aws-glue/jobs/error".into()),
        (
            "@ingestionTime".into(),
            (t + Duration::seconds(2)).timestamp_millis().to_string(),
        ),
    ]))
}
