//! CloudWatch Logs Insights domain types: log groups, a query, its status,
//! statistics and rows.

pub mod glue_logs;
pub mod triage;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogGroup {
    pub name: String,
    pub stored_bytes: Option<i64>,
    pub retention_days: Option<i32>,
}

/// The language a query is written in (`queryLanguage` of StartQuery and
/// of query definitions). pipedeck's own checks, charts and demo speak
/// only Logs Insights QL; the others are run as the service runs them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryLanguage {
    /// Logs Insights QL (`CWLI`), the service's default.
    #[default]
    Cwli,
    /// OpenSearch PPL.
    Ppl,
    /// OpenSearch SQL: its log groups are named in the query text.
    Sql,
    /// A language newer than this build: shown, never run.
    Unknown(String),
}

impl QueryLanguage {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "CWLI" => Self::Cwli,
            "PPL" => Self::Ppl,
            "SQL" => Self::Sql,
            other => Self::Unknown(other.to_string()),
        }
    }

    /// The enum string the API takes and returns.
    pub fn as_aws(&self) -> &str {
        match self {
            Self::Cwli => "CWLI",
            Self::Ppl => "PPL",
            Self::Sql => "SQL",
            Self::Unknown(s) => s,
        }
    }

    /// Its name as the CloudWatch documentation writes it.
    pub fn name(&self) -> &str {
        match self {
            Self::Cwli => "Logs Insights QL",
            Self::Ppl => "OpenSearch PPL",
            Self::Sql => "OpenSearch SQL",
            Self::Unknown(s) => s,
        }
    }

    pub fn is_cwli(&self) -> bool {
        *self == Self::Cwli
    }

    /// StartQuery takes the log groups in logGroupNames, except for SQL,
    /// whose query text names them (the StartQuery API reference).
    pub fn groups_in_text(&self) -> bool {
        *self == Self::Sql
    }

    /// Why pipedeck will not start a query in this language, if it will not.
    pub fn cannot_run(&self) -> Option<String> {
        match self {
            Self::Unknown(s) => Some(format!(
                "this query is in the query language \"{s}\", which this pipedeck does not know: run it from the CloudWatch console"
            )),
            _ => None,
        }
    }
}

impl Serialize for QueryLanguage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_aws())
    }
}

impl<'de> serde::Deserialize<'de> for QueryLanguage {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self::from_aws(&String::deserialize(d)?))
    }
}

/// A saved query (DescribeQueryDefinitions / PutQueryDefinition): shared
/// with everyone on the account, unlike the local history.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueryDefinition {
    /// None for a new one; PutQueryDefinition with an id replaces it.
    pub id: Option<String>,
    /// May hold folders: `team/pipelines/errors by job`.
    pub name: String,
    pub query: String,
    pub groups: Vec<String>,
    pub last_modified: Option<DateTime<Utc>>,
    /// Loaded with the query and run in it (a PPL query is not CWLI).
    pub language: QueryLanguage,
}

/// What to ask Logs Insights.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct InsightsQuery {
    /// Empty for SQL, whose query text names its groups.
    pub groups: Vec<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub query: String,
    #[serde(default)]
    pub language: QueryLanguage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum QueryStatus {
    Scheduled,
    Running,
    Complete,
    Failed,
    Cancelled,
    Timeout,
    Unknown(String),
}

impl QueryStatus {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "Scheduled" => Self::Scheduled,
            "Running" => Self::Running,
            "Complete" => Self::Complete,
            "Failed" => Self::Failed,
            "Cancelled" => Self::Cancelled,
            "Timeout" => Self::Timeout,
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_aws(&self) -> &str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Running => "Running",
            Self::Complete => "Complete",
            Self::Failed => "Failed",
            Self::Cancelled => "Cancelled",
            Self::Timeout => "Timeout",
            Self::Unknown(s) => s,
        }
    }

    /// Complete, Failed, Cancelled, Timeout and anything unknown end the
    /// polling (an unknown status is reported, not waited on forever).
    pub fn is_done(&self) -> bool {
        !matches!(self, Self::Scheduled | Self::Running)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct QueryStats {
    pub records_matched: f64,
    pub records_scanned: f64,
    pub bytes_scanned: f64,
}

/// GetQueryResults returns at most this many rows, whatever the query's
/// `limit` (Logs Insights quotas: 10,000 log events).
pub const MAX_RESULT_ROWS: usize = 10_000;

impl QueryStats {
    /// Logs Insights bills bytes scanned; `per_gb` dollars per GB.
    pub fn cost(&self, per_gb: f64) -> f64 {
        self.bytes_scanned / 1e9 * per_gb
    }
}

/// One poll's answer: the status and every row so far (replace, don't
/// append). Each row is (field, value) in the service's order; `@ptr` kept
/// for GetLogRecord.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryResults {
    pub status: QueryStatus,
    pub rows: Vec<Vec<(String, String)>>,
    pub stats: QueryStats,
}

/// "first 10,000 of 48,213 matched" when the service stopped at its row
/// cap while more records matched; `None` when every row is here.
pub fn cap_note(rows: usize, matched: f64) -> Option<String> {
    (rows >= MAX_RESULT_ROWS && matched > rows as f64).then(|| {
        format!(
            "first {} of {} matched (GetQueryResults returns at most {}; narrow the query or the range)",
            thousands(rows as f64),
            thousands(matched),
            thousands(MAX_RESULT_ROWS as f64)
        )
    })
}

/// 48213 → "48,213".
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A row's value for `field`, or None when the row lacks it (rows of one
/// result need not share their fields).
pub fn field<'a>(row: &'a [(String, String)], field: &str) -> Option<&'a str> {
    row.iter()
        .find(|(f, _)| f == field)
        .map(|(_, v)| v.as_str())
}

impl QueryResults {
    /// Column names in first-seen order, without `@ptr`.
    pub fn columns(&self) -> Vec<String> {
        let mut cols: Vec<String> = Vec::new();
        for row in &self.rows {
            for (f, _) in row {
                if f != "@ptr" && !cols.contains(f) {
                    cols.push(f.clone());
                }
            }
        }
        cols
    }

    /// The rows under [`Self::columns`], a missing field an empty cell.
    pub fn table(&self) -> crate::export::Table {
        let columns = self.columns();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|c| Some(field(row, c).unwrap_or_default().to_string()))
                    .collect()
            })
            .collect();
        crate::export::Table { columns, rows }
    }
}

/// "15m", "1h", "7d", "90s" → a duration.
pub fn parse_since(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = num.parse().ok().filter(|n| *n > 0)?;
    Some(match unit {
        "s" => Duration::seconds(n),
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        "w" => Duration::weeks(n),
        _ => return None,
    })
}

/// RFC 3339 ("2026-11-27T03:00:00Z") or epoch seconds.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Some(t.with_timezone(&Utc));
    }
    s.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| DateTime::from_timestamp(secs, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times_parse() {
        assert_eq!(parse_since("15m"), Some(Duration::minutes(15)));
        assert_eq!(parse_since("7d"), Some(Duration::days(7)));
        assert_eq!(parse_since("0m"), None);
        assert_eq!(parse_since("15"), None);
        assert_eq!(parse_since("m"), None);
        assert_eq!(
            parse_time("2026-11-27T03:00:00Z").map(|t| t.timestamp()),
            Some(1_795_748_400)
        );
        assert_eq!(
            parse_time("1795748400").map(|t| t.timestamp()),
            Some(1_795_748_400)
        );
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn unknown_statuses_end_polling() {
        assert!(!QueryStatus::Running.is_done());
        assert!(!QueryStatus::Scheduled.is_done());
        assert!(QueryStatus::from_aws("Unknown").is_done());
        assert!(QueryStatus::from_aws("SomethingNew").is_done());
    }
}
