//! What ran in a work group: its executions (ListQueryExecutions +
//! BatchGetQueryExecution), the last 24 hours' spend, the runs that
//! scanned far more than the same query usually does, and the saved
//! (named) queries.

use super::cost::{scan_usd, Cost, Pricing};
use super::{Execution, QueryState};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlparser::dialect::GenericDialect;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::collections::BTreeMap;

/// A work group's executions, newest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    pub executions: Vec<Execution>,
    /// Ids BatchGetQueryExecution did not describe even when asked again,
    /// with its reason: said, never silently dropped.
    pub unprocessed: Vec<(String, String)>,
    /// Older executions exist beyond what was read.
    pub more: bool,
    /// Runaway executions: id → times the same query's median scan
    /// (worked out where the history is read, not on the UI's thread).
    pub runaway: BTreeMap<String, i64>,
}

impl History {
    /// With its runaway flags worked out.
    pub fn flagged(mut self) -> Self {
        self.runaway = runaways(&self.executions);
        self
    }
}

/// A saved query (ListNamedQueries + BatchGetNamedQuery).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NamedQuery {
    /// `None` for one not created yet.
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub sql: String,
    pub database: String,
    pub workgroup: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamedQueries {
    pub queries: Vec<NamedQuery>,
    /// Ids BatchGetNamedQuery did not describe, with its reason.
    pub unprocessed: Vec<(String, String)>,
}

/// The last 24 hours of a work group, as the line above its history says.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Spend {
    pub queries: usize,
    pub failed: usize,
    pub scanned_bytes: i64,
    pub cost_usd: f64,
}

/// Sums the executions submitted in the 24 hours before `now`. Failed
/// queries are not billed, cancelled ones are (for what they scanned).
pub fn spend_24h(executions: &[Execution], now: DateTime<Utc>, pricing: Pricing) -> Spend {
    let since = now - Duration::hours(24);
    let mut s = Spend::default();
    for e in executions
        .iter()
        .filter(|e| e.submitted.is_some_and(|t| t > since && t <= now))
    {
        s.queries += 1;
        if e.state == Some(QueryState::Failed) {
            s.failed += 1;
        }
        s.scanned_bytes += e.scanned_bytes.unwrap_or(0).max(0);
        s.cost_usd += Cost::of(e, pricing, false).usd();
    }
    s
}

/// A run is a runaway when it scanned at least this many times the median
/// of the same query's earlier runs …
pub const RUNAWAY_FACTOR: i64 = 5;
/// … and at least Athena's minimum charge (10 MB): below it every query
/// costs the same, so "5× a few kilobytes" is not worth a flag.
pub const RUNAWAY_FLOOR_BYTES: i64 = 10 * 1_000_000;

/// The executions that scanned ≥ 5× the median of the same query's
/// earlier successful, non-reused runs ("the same" by [`shape`]): id → how
/// many times the median it scanned.
pub fn runaways(executions: &[Execution]) -> BTreeMap<String, i64> {
    let mut by_shape: BTreeMap<String, Vec<&Execution>> = BTreeMap::new();
    for e in executions.iter().filter(|e| e.submitted.is_some()) {
        by_shape.entry(shape(&e.sql)).or_default().push(e);
    }
    let mut flagged = BTreeMap::new();
    for runs in by_shape.values_mut() {
        runs.sort_by_key(|e| e.submitted);
        let mut earlier: Vec<i64> = Vec::new();
        for e in runs.iter() {
            let scanned = e.scanned_bytes.unwrap_or(0);
            if let Some(median) = median(&earlier) {
                let median = median.max(1);
                if scanned >= RUNAWAY_FLOOR_BYTES
                    && scanned >= median.saturating_mul(RUNAWAY_FACTOR)
                {
                    flagged.insert(e.id.clone(), scanned / median);
                }
            }
            if e.state == Some(QueryState::Succeeded) && !e.reused && scanned > 0 {
                earlier.push(scanned);
            }
        }
    }
    flagged
}

fn median(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    let mid = v.len() / 2;
    Some(match v.len() % 2 {
        0 => (v[mid - 1] + v[mid]) / 2,
        _ => v[mid],
    })
}

/// The query with its literals (numbers, quoted strings, dates) replaced
/// by `?`, keywords lower-cased, comments and spacing dropped, and a list
/// of literals (`IN (1, 2, 3)`) one `?`: a daily query with a new date each
/// day has the same shape as its past runs. Text the tokenizer cannot read
/// is compared as it is, spaces collapsed.
pub fn shape(sql: &str) -> String {
    let Ok(tokens) = Tokenizer::new(&GenericDialect {}, sql).tokenize() else {
        return sql.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut out: Vec<String> = Vec::new();
    for t in tokens {
        let piece = match t {
            Token::Whitespace(_) | Token::EOF => continue,
            Token::Number(..)
            | Token::SingleQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::EscapedStringLiteral(_)
            | Token::UnicodeStringLiteral(_)
            | Token::HexStringLiteral(_)
            | Token::SingleQuotedByteStringLiteral(_) => "?".to_string(),
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            other => other.to_string(),
        };
        // `?, ?` → `?`: lists of literals of any length are one shape.
        if piece == "?" && out.len() >= 2 && out[out.len() - 1] == "," && out[out.len() - 2] == "?"
        {
            out.pop();
            continue;
        }
        // A minus sign before a number is part of the literal.
        if piece == "?" && out.last().is_some_and(|p| p == "-") {
            let before = out.len().checked_sub(2).map(|i| out[i].as_str());
            if before.is_none_or(|b| !b.ends_with(|c: char| c.is_alphanumeric() || c == ')')) {
                out.pop();
            }
        }
        out.push(piece);
    }
    out.join(" ")
}

/// A query on one line for lists: comment lines dropped, spacing
/// collapsed (the date that differs is often on its third line).
pub fn one_line(sql: &str) -> String {
    sql.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("--"))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What it cost, for lists: scanned bytes at the price, free when failed
/// or reused.
pub fn execution_usd(e: &Execution, pricing: Pricing) -> Option<f64> {
    match Cost::of(e, pricing, false) {
        Cost::Usd(v) => Some(v),
        Cost::Free(_) => Some(0.0),
        Cost::Unknown | Cost::ByDpu => e.scanned_bytes.map(|b| scan_usd(b, pricing)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, sql: &str, hours_ago: i64, bytes: i64, state: QueryState) -> Execution {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        Execution {
            id: id.into(),
            sql: sql.into(),
            state: Some(state),
            statement_type: Some("DML".into()),
            submitted: Some(now - Duration::hours(hours_ago)),
            scanned_bytes: Some(bytes),
            ..Execution::default()
        }
    }

    #[test]
    fn literals_numbers_dates_and_lists_are_placeholders() {
        let a = shape("SELECT * FROM orders WHERE dt = '2026-11-29' AND n > 10 -- daily");
        let b = shape("select *\n  from ORDERS where dt = '2026-11-30' and n > 99");
        assert_eq!(a, b);
        assert_eq!(
            shape("SELECT 1 FROM t WHERE id IN (1, 2, 3)"),
            shape("SELECT 7 FROM t WHERE id IN (4)")
        );
        assert_eq!(
            shape("SELECT * FROM t WHERE d = DATE '2026-01-01' AND x = -3"),
            "select * from t where d = date ? and x = ?"
        );
        assert_ne!(shape("SELECT a FROM t"), shape("SELECT b FROM t"));
        // Quoted identifiers keep their case: "Id" is not id.
        assert_ne!(shape(r#"SELECT "Id" FROM t"#), shape("SELECT id FROM t"));
        // An unreadable text is still a shape.
        assert_eq!(shape("SELECT 'unterminated"), "SELECT 'unterminated");
    }

    #[test]
    fn a_run_scanning_five_times_the_median_of_earlier_runs_is_flagged() {
        let gb = 1_000_000_000;
        let day = |d: i64, bytes: i64, id: &str| {
            run(
                id,
                &format!("SELECT * FROM orders WHERE dt = '2026-11-{d:02}'"),
                (30 - d) * 24,
                bytes,
                QueryState::Succeeded,
            )
        };
        let mut h = vec![
            day(25, gb, "a"),
            day(26, 2 * gb, "b"),
            day(27, gb, "c"),
            day(28, 40 * gb, "runaway"),
            day(29, gb, "d"),
        ];
        // Another query is not this one's baseline.
        h.push(run("other", "SELECT 1", 1, 100 * gb, QueryState::Succeeded));
        // 40 GB against a median of 1 GB: forty times.
        assert_eq!(runaways(&h), BTreeMap::from([("runaway".to_string(), 40)]));
        // No earlier run, no baseline; tiny scans are never flagged.
        let tiny = vec![
            run("t1", "SELECT 2", 3, 1_000, QueryState::Succeeded),
            run("t2", "SELECT 2", 2, 9_000_000, QueryState::Succeeded),
        ];
        assert!(runaways(&tiny).is_empty());
        // A cancelled runaway is still one.
        let mut c = h.clone();
        c[3].state = Some(QueryState::Cancelled);
        assert!(runaways(&c).contains_key("runaway"));
    }

    #[test]
    fn the_day_sums_queries_failures_bytes_and_dollars() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let tb = 1_000_000_000_000;
        let h = vec![
            run("a", "SELECT 1", 1, tb, QueryState::Succeeded),
            run("b", "SELECT 1", 2, tb, QueryState::Failed),
            run("c", "SELECT 1", 23, tb / 2, QueryState::Cancelled),
            run("old", "SELECT 1", 25, tb, QueryState::Succeeded),
        ];
        let s = spend_24h(&h, now, Pricing { usd_per_tb: 5.0 });
        assert_eq!((s.queries, s.failed), (3, 1));
        assert_eq!(s.scanned_bytes, 2 * tb + tb / 2);
        assert!((s.cost_usd - 7.5).abs() < 1e-9, "{}", s.cost_usd);
    }
}
