//! Athena as the pane sees it: work groups, a query to run, its execution
//! (state, timings, scan, cost), and its result rows with their types.
//!
//! What the service documents and what rests on documentation alone is in
//! ARCHITECTURE.md ("Athena"): never seen answered by a real account here.

pub mod cost;
pub mod csv;
pub mod guard;
pub mod header;
pub mod history;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use cost::{Cost, Pricing};
pub use history::{History, NamedQueries, NamedQuery, Spend};

/// A work group as the picker shows it (ListWorkGroups + GetWorkGroup).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkGroup {
    pub name: String,
    pub enabled: bool,
    pub description: Option<String>,
    /// `s3://…/` where results go; `None` with managed results or unset.
    pub output_location: Option<String>,
    /// Results kept in Athena's own storage: no file to read.
    pub managed_results: bool,
    /// "Athena engine version 3".
    pub engine: Option<String>,
    /// BytesScannedCutoffPerQuery; `None` is "no scan limit".
    pub scan_cutoff: Option<i64>,
    /// The group's settings override the client's.
    pub enforced: bool,
    /// Client-side encrypted results (CSE_KMS): the file is ciphertext.
    pub client_encrypted: bool,
    /// The capacity reservation it runs on (billed by DPU, not by scan).
    pub reservation: Option<String>,
    /// GetWorkGroup failed (AccessDenied …): listed, settings unknown.
    pub detail_error: Option<String>,
}

/// What StartQueryExecution is asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
pub struct AthenaQuery {
    pub sql: String,
    pub workgroup: String,
    pub catalog: Option<String>,
    pub database: Option<String>,
    /// ResultReuseByAgeConfiguration's max age; `None` turns reuse off.
    pub reuse_minutes: Option<i32>,
    /// Where results go when the work group names no place (`s3://…/`);
    /// a group that enforces its settings ignores it.
    pub output_location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    /// A state added after this was written: treated as still going.
    Other(String),
}

impl QueryState {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "QUEUED" => Self::Queued,
            "RUNNING" => Self::Running,
            "SUCCEEDED" => Self::Succeeded,
            "FAILED" => Self::Failed,
            "CANCELLED" => Self::Cancelled,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_aws(&self) -> &str {
        match self {
            Self::Queued => "QUEUED",
            Self::Running => "RUNNING",
            Self::Succeeded => "SUCCEEDED",
            Self::Failed => "FAILED",
            Self::Cancelled => "CANCELLED",
            Self::Other(s) => s,
        }
    }

    /// SUCCEEDED, FAILED and CANCELLED never change. (A RUNNING query can
    /// go back to QUEUED after a transient error: nothing else is final.)
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }
}

/// Status.AthenaError: why a query failed, as Athena classifies it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AthenaError {
    /// 1 system, 2 user, 3 other.
    pub category: Option<i32>,
    /// The error reference's number (1006 syntax, 1110 no such table …).
    pub kind: Option<i32>,
    pub retryable: bool,
    pub message: Option<String>,
}

impl AthenaError {
    pub fn category_name(&self) -> &'static str {
        match self.category {
            Some(1) => "system",
            Some(2) => "user",
            Some(3) => "other",
            _ => "unknown",
        }
    }

    /// "user error 1006 (syntax error), not retryable".
    pub fn summary(&self) -> String {
        let kind = self
            .kind
            .map_or(String::new(), |k| match error_type_name(k) {
                Some(name) => format!(" {k} ({name})"),
                None => format!(" {k}"),
            });
        let retry = if self.retryable {
            "retryable"
        } else {
            "not retryable"
        };
        format!("{} error{kind}, {retry}", self.category_name())
    }
}

/// Names of the ErrorType numbers an on-call engineer meets most (the
/// Athena error reference); the rest show as numbers.
fn error_type_name(kind: i32) -> Option<&'static str> {
    Some(match kind {
        0..=8 => "exhausted resources",
        206 | 210 => "query timed out",
        234 => "Lake Formation",
        401 | 402 => "could not write results to S3",
        1000 => "user error",
        1001 | 1002 | 1007 => "data error",
        1003 => "DDL task failed",
        1004 => "schema error",
        1006 => "syntax error",
        1011 | 1014 => "cancelled by user",
        1100 => "invalid argument",
        1109 => "S3 path not found",
        1110 => "table or view not found",
        1200..=1202 => "not supported",
        1300..=1303 => "not found",
        1306 => "S3 bucket not found",
        1400..=1406 => "throttled",
        1500 | 1501 => "permission denied",
        1602 => "reserved capacity exceeded",
        _ => return None,
    })
}

/// GetQueryExecution, as the pane needs it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Execution {
    pub id: String,
    pub sql: String,
    pub state: Option<QueryState>,
    pub reason: Option<String>,
    pub error: Option<AthenaError>,
    /// DDL, DML or UTILITY.
    pub statement_type: Option<String>,
    /// SELECT, INSERT, CREATE_TABLE_AS_SELECT … (a free string).
    pub substatement_type: Option<String>,
    pub workgroup: Option<String>,
    pub submitted: Option<DateTime<Utc>>,
    pub completed: Option<DateTime<Utc>>,
    pub queue_ms: Option<i64>,
    pub engine_ms: Option<i64>,
    pub total_ms: Option<i64>,
    pub scanned_bytes: Option<i64>,
    /// Served from an earlier query's result (no scan, no charge).
    pub reused: bool,
    /// The result object's full URI (`s3://b/p/<id>.csv`), when any.
    pub output_location: Option<String>,
    /// CSE_KMS: the object is ciphertext to a plain GetObject.
    pub client_encrypted: bool,
    pub managed_results: bool,
    /// DPUs used: present for queries on a capacity reservation.
    pub dpu_count: Option<f64>,
}

impl Execution {
    pub fn state_name(&self) -> &str {
        self.state.as_ref().map_or("SUBMITTED", QueryState::as_aws)
    }

    pub fn is_final(&self) -> bool {
        self.state.as_ref().is_some_and(QueryState::is_final)
    }

    /// A SELECT's result: the only kind whose first row may be a header
    /// and whose file is a `.csv` of rows.
    pub fn is_select(&self) -> bool {
        self.statement_type.as_deref() == Some("DML")
            && self
                .substatement_type
                .as_deref()
                .is_none_or(|s| s.eq_ignore_ascii_case("SELECT"))
    }
}

/// A result column: ColumnInfo's name (its label when it has one) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    /// Athena's type name: varchar, bigint, double, decimal, date …
    pub kind: String,
}

impl Column {
    /// Numbers are right-aligned and sort as numbers.
    pub fn is_numeric(&self) -> bool {
        let base = self.kind.split('(').next().unwrap_or("").trim();
        matches!(
            base.to_ascii_lowercase().as_str(),
            "tinyint"
                | "smallint"
                | "integer"
                | "int"
                | "bigint"
                | "double"
                | "float"
                | "real"
                | "decimal"
        )
    }
}

/// A data catalog (ListDataCatalogs): its name and type (GLUE, LAMBDA,
/// HIVE, FEDERATED).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    pub name: String,
    pub kind: String,
}

/// A table as ListTableMetadata describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableMeta {
    pub name: String,
    /// EXTERNAL_TABLE, VIRTUAL_VIEW …
    pub kind: Option<String>,
    pub columns: Vec<Column>,
    /// A scan without a predicate on one of these reads every partition.
    pub partition_keys: Vec<Column>,
}

/// One cell: `None` is SQL NULL, `Some("")` an empty string.
pub type Cell = Option<String>;

/// Where the rows were read from, and why not the file when not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowSource {
    /// The result object in S3, streamed.
    File { uri: String },
    /// GetQueryResults pages; `why` the file was not read.
    Api { why: String },
}

impl RowSource {
    pub fn describe(&self) -> String {
        match self {
            RowSource::File { .. } => "read from the result file in S3".into(),
            RowSource::Api { why } => format!("read through GetQueryResults: {why}"),
        }
    }
}

/// Part of a result as it streams in: the columns (known from the first
/// part on) and the rows of this part.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResultPart {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub source: Option<RowSource>,
    /// CTAS / INSERT: rows written (GetQueryResults' UpdateCount).
    pub update_count: Option<i64>,
}

/// How long to wait before asking GetQueryExecution again, as the course's
/// runners do: every 2 s, every 10 s after 30 s, every 20 s after two
/// minutes; each throttled answer in a row doubles it, up to 30 s.
pub fn poll_delay(elapsed_secs: i64, throttled: u32) -> std::time::Duration {
    let base: u64 = match elapsed_secs {
        i64::MIN..30 => 2,
        30..120 => 10,
        _ => 20,
    };
    std::time::Duration::from_secs((base << throttled.min(4)).min(30))
}

/// `1536` → "1.5 KB" (decimal units, as Athena's console and prices use).
pub fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 6] = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut v = bytes.max(0) as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    match u {
        0 => format!("{bytes} B"),
        _ if v < 10.0 => format!("{v:.1} {}", UNITS[u]),
        _ => format!("{v:.0} {}", UNITS[u]),
    }
}

/// `12_345` ms → "12.3 s", `125_000` → "2m05s".
pub fn human_ms(ms: i64) -> String {
    match ms {
        i64::MIN..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        _ => format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_and_only_three_are_final() {
        for s in [
            "QUEUED",
            "RUNNING",
            "SUCCEEDED",
            "FAILED",
            "CANCELLED",
            "PAUSED",
        ] {
            assert_eq!(QueryState::from_aws(s).as_aws(), s);
        }
        assert!(!QueryState::from_aws("PAUSED").is_final());
        assert!(!QueryState::Running.is_final());
        assert!(QueryState::Cancelled.is_final());
    }

    #[test]
    fn errors_read_as_athena_classifies_them() {
        let e = AthenaError {
            category: Some(2),
            kind: Some(1006),
            retryable: false,
            message: Some("line 1:8: mismatched input".into()),
        };
        assert_eq!(e.summary(), "user error 1006 (syntax error), not retryable");
        let unknown = AthenaError {
            category: None,
            kind: Some(4242),
            retryable: true,
            ..Default::default()
        };
        assert_eq!(unknown.summary(), "unknown error 4242, retryable");
    }

    #[test]
    fn numeric_types_by_athena_name() {
        let col = |k: &str| Column {
            name: "c".into(),
            kind: k.into(),
        };
        for k in ["bigint", "double", "decimal(10,2)", "integer", "REAL"] {
            assert!(col(k).is_numeric(), "{k}");
        }
        for k in ["varchar", "date", "timestamp", "boolean", "array(bigint)"] {
            assert!(!col(k).is_numeric(), "{k}");
        }
    }

    #[test]
    fn polling_slows_with_age_and_throttling() {
        let s = std::time::Duration::from_secs;
        assert_eq!(poll_delay(5, 0), s(2));
        assert_eq!(poll_delay(45, 0), s(10));
        assert_eq!(poll_delay(300, 0), s(20));
        assert_eq!(poll_delay(5, 1), s(4));
        assert_eq!(poll_delay(300, 3), s(30));
    }

    #[test]
    fn sizes_and_durations_read_at_a_glance() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_536), "1.5 KB");
        assert_eq!(human_bytes(2_300_000_000_000), "2.3 TB");
        assert_eq!(human_bytes(45_000_000), "45 MB");
        assert_eq!(human_ms(850), "850 ms");
        assert_eq!(human_ms(12_345), "12.3 s");
        assert_eq!(human_ms(125_000), "2m05s");
    }
}
