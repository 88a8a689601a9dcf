//! The demo account's Athena: three work groups (one without a scan
//! limit, one on a capacity reservation), a small data lake, and queries
//! that go QUEUED → RUNNING → an end over three polls. What a query
//! answers is picked from its text: the catalog's tables, SHOW PARTITIONS,
//! a count, a 100,000-row scan, and the failures on-call meets (a missing
//! table, a syntax error).

use crate::cloud::athena::{
    AthenaError, AthenaQuery, Cell, Column, Execution, QueryState, ResultPart, RowSource, WorkGroup,
};
use crate::cloud::{CloudError, CloudResult};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;

const GB: i64 = 1_000_000_000;
const RESULTS: &str = "s3://pipedeck-demo-athena-results";

pub fn workgroups() -> Vec<WorkGroup> {
    let group =
        |name: &str, cutoff: Option<i64>, enforced: bool, reservation: Option<&str>| WorkGroup {
            name: name.into(),
            enabled: true,
            description: None,
            output_location: Some(format!("{RESULTS}/{name}/")),
            managed_results: false,
            engine: Some("Athena engine version 3".into()),
            scan_cutoff: cutoff,
            enforced,
            client_encrypted: false,
            reservation: reservation.map(str::to_string),
            detail_error: None,
        };
    vec![
        group(
            "analytics-team",
            Some(100 * GB),
            true,
            Some("analytics-dpu"),
        ),
        group("de-team-prod", Some(10 * GB), true, None),
        group("primary", None, false, None),
    ]
}

/// (database.table, partition keys, columns, bytes a full scan reads)
type DemoTable = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
    i64,
);

const TABLES: &[DemoTable] = &[
    (
        "sales_db.transactions",
        &["year", "month", "day"],
        &[
            ("transaction_id", "varchar"),
            ("customer_id", "varchar"),
            ("amount", "double"),
            ("status", "varchar"),
            ("region", "varchar"),
        ],
        2_400 * GB,
    ),
    (
        "silver_db.orders",
        &["order_date"],
        &[
            ("order_id", "varchar"),
            ("customer_id", "varchar"),
            ("amount", "double"),
            ("order_date", "date"),
        ],
        850 * GB,
    ),
    (
        "bronze_db.events",
        &["dt"],
        &[
            ("event_id", "varchar"),
            ("event_type", "varchar"),
            ("event_time", "timestamp"),
            ("dt", "varchar"),
        ],
        120 * GB,
    ),
];

pub(super) struct Started {
    pub(super) query: AthenaQuery,
    submitted: DateTime<Utc>,
    polls: u32,
    stopped: bool,
}

#[derive(Default)]
pub struct DemoAthena {
    pub(super) started: BTreeMap<String, Started>,
    /// Saved queries as changed through the gate; `None`: the two the
    /// demo starts with.
    pub(super) named: Option<Vec<crate::cloud::athena::NamedQuery>>,
    pub(super) saves: usize,
    /// The past executions the history showed, so that opening one reads
    /// it back.
    pub(super) past: BTreeMap<String, Execution>,
}

impl DemoAthena {
    pub fn start(&mut self, q: &AthenaQuery, now: DateTime<Utc>) -> CloudResult<String> {
        if !workgroups().iter().any(|g| g.name == q.workgroup) {
            return Err(CloudError::InvalidInput {
                message: format!("WorkGroup {} is not found", q.workgroup),
            });
        }
        let id = format!("demo-athena-{:04}", self.started.len() + 1);
        self.started.insert(
            id.clone(),
            Started {
                query: q.clone(),
                submitted: now,
                polls: 0,
                stopped: false,
            },
        );
        Ok(id)
    }

    pub fn stop(&mut self, id: &str) {
        if let Some(s) = self.started.get_mut(id) {
            s.stopped = true;
        }
    }

    pub fn execution(&mut self, id: &str) -> CloudResult<Execution> {
        if let Some(e) = self.past.get(id) {
            return Ok(e.clone());
        }
        let s = self
            .started
            .get_mut(id)
            .ok_or_else(|| CloudError::NotFound {
                message: format!("QueryExecution {id} was not found"),
            })?;
        s.polls += 1;
        Ok(execution(id, s))
    }

    /// Every row of a SUCCEEDED query, in parts of `batch`.
    pub fn rows(
        &self,
        id: &str,
        batch: usize,
        progress: &dyn Fn(ResultPart, usize),
    ) -> CloudResult<ResultPart> {
        let (sql, workgroup) = match (self.started.get(id), self.past.get(id)) {
            (Some(s), _) => (s.query.sql.clone(), s.query.workgroup.clone()),
            (None, Some(e)) => (e.sql.clone(), e.workgroup.clone().unwrap_or_default()),
            (None, None) => {
                return Err(CloudError::NotFound {
                    message: format!("QueryExecution {id} was not found"),
                })
            }
        };
        let answer = answer(&sql);
        let source = Some(match answer.kind {
            Kind::Select => RowSource::File {
                uri: format!("{RESULTS}/{workgroup}/{id}.csv"),
            },
            _ => RowSource::Api {
                why: "not a SELECT (its file is not a table of rows)".into(),
            },
        });
        let columns = answer.columns.clone();
        let mut done = 0;
        let rows = answer.rows();
        for chunk in rows.chunks(batch.max(1)) {
            done += chunk.len();
            progress(
                ResultPart {
                    columns: columns.clone(),
                    rows: chunk.to_vec(),
                    source: source.clone(),
                    update_count: None,
                },
                done,
            );
        }
        Ok(ResultPart {
            columns,
            rows: vec![],
            source,
            update_count: None,
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Select,
    Utility,
    Failed,
}

struct Answer {
    kind: Kind,
    columns: Vec<Column>,
    /// Rows by number (a 100,000-row scan is made as it is read).
    count: usize,
    row: fn(usize) -> Vec<Cell>,
    scanned: i64,
    /// ErrorType (when the demo knows it) and StateChangeReason.
    error: Option<(Option<i32>, String)>,
}

impl Answer {
    fn rows(&self) -> Vec<Vec<Cell>> {
        (0..self.count).map(self.row).collect()
    }
}

fn cols(list: &[(&str, &str)]) -> Vec<Column> {
    list.iter()
        .map(|(n, k)| Column {
            name: n.to_string(),
            kind: k.to_string(),
        })
        .collect()
}

fn s(v: impl ToString) -> Cell {
    Some(v.to_string())
}

fn failed(kind: Option<i32>, message: impl Into<String>) -> Answer {
    Answer {
        kind: Kind::Failed,
        columns: vec![],
        count: 0,
        row: |_| vec![],
        scanned: 0,
        error: Some((kind, message.into())),
    }
}

/// What the demo answers for this SQL.
fn answer(sql: &str) -> Answer {
    let lower = sql.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");
    if first == "show" && lower.contains("partitions") {
        return Answer {
            kind: Kind::Utility,
            columns: cols(&[("partition", "string")]),
            count: 5,
            row: |i| vec![s(format!("year=2026/month=11/day={:02}", 26 + i))],
            scanned: 0,
            error: None,
        };
    }
    if !matches!(first, "select" | "with" | "show" | "describe") {
        return failed(
            Some(1006),
            "line 1:1: mismatched input. Expecting: 'ALTER', 'CREATE', 'SELECT', 'WITH', <query>",
        );
    }
    if lower.contains("information_schema.tables") {
        return Answer {
            kind: Kind::Select,
            columns: cols(&[
                ("table_catalog", "varchar"),
                ("table_schema", "varchar"),
                ("table_name", "varchar"),
                ("table_type", "varchar"),
            ]),
            count: TABLES.len(),
            row: |i| {
                let (db, table) = TABLES[i].0.split_once('.').unwrap_or(("", ""));
                vec![s("awsdatacatalog"), s(db), s(table), s("BASE TABLE")]
            },
            scanned: 0,
            error: None,
        };
    }
    let Some(table) = TABLES.iter().find(|t| lower.contains(t.0)) else {
        return failed(Some(1110), "TABLE_NOT_FOUND: line 1:15: Table does not exist (the demo's tables: sales_db.transactions, silver_db.orders, bronze_db.events)");
    };
    if let Some(column) = unknown_column(&lower, table) {
        return failed(
            None,
            format!("COLUMN_NOT_FOUND: line 1:8: Column '{column}' cannot be resolved or requester is not authorized to access requested resources"),
        );
    }
    // A predicate on a partition key reads a day, not the whole table.
    let pruned = table.1.iter().any(|k| {
        lower.contains(&format!("{k} ="))
            || lower.contains(&format!("{k}="))
            || lower.contains(&format!("{k} between"))
    });
    let scanned = if pruned { table.3 / 2_000 } else { table.3 };
    if lower.contains("group by") {
        return Answer {
            kind: Kind::Select,
            columns: cols(&[
                ("region", "varchar"),
                ("total_revenue", "double"),
                ("num_orders", "bigint"),
            ]),
            count: 5,
            row: |i| {
                let regions = ["South", "North", "East", "West", "(unknown)"];
                let totals = ["1234567.89", "987654.32", "455012.10", "300118.75", ""];
                vec![
                    s(regions[i]),
                    if totals[i].is_empty() {
                        None
                    } else {
                        s(totals[i])
                    },
                    s(4521 - i * 700),
                ]
            },
            scanned,
            error: None,
        };
    }
    if lower.contains("count(") {
        return Answer {
            kind: Kind::Select,
            columns: cols(&[("row_count", "bigint")]),
            count: 1,
            row: |_| vec![s(48_213_907)],
            scanned,
            error: None,
        };
    }
    Answer {
        kind: Kind::Select,
        columns: cols(table.2),
        count: if lower.contains("limit") {
            100
        } else {
            100_000
        },
        row: |i| {
            vec![
                s(format!("TX-{:08}", 1_000_000 + i)),
                s(format!("CUST-{:05}", i % 9_973)),
                match i % 97 {
                    0 => None,
                    _ => s(format!("{}.{:02}", (i * 37) % 5_000, i % 100)),
                },
                s(if i % 50 == 0 { "FAILED" } else { "COMPLETED" }),
                s(["South", "North", "East", "West"][i % 4]),
            ]
        },
        scanned,
        error: None,
    }
}

/// A bare column in the SELECT list that the table does not have (names
/// in functions, `*` and quoted names are not judged).
fn unknown_column(lower: &str, table: &DemoTable) -> Option<String> {
    let list = lower.split_once("select")?.1.split_once(" from ")?.0;
    list.split(',')
        .filter_map(|item| item.split_whitespace().next())
        .filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .find(|w| !table.1.contains(w) && !table.2.iter().any(|(c, _)| c == w))
        .map(str::to_string)
}

pub(super) fn execution(id: &str, s: &Started) -> Execution {
    let a = answer(&s.query.sql);
    // A work group's scan limit cancels a query that reads past it (and
    // the scan up to the limit is paid for).
    let cutoff = workgroups()
        .into_iter()
        .find(|g| g.name == s.query.workgroup)
        .and_then(|g| g.scan_cutoff)
        .filter(|c| a.scanned > *c);
    let state = match (s.polls, s.stopped) {
        (_, true) => QueryState::Cancelled,
        (0 | 1, _) => QueryState::Queued,
        (2, _) => QueryState::Running,
        _ if a.kind == Kind::Failed => QueryState::Failed,
        _ if cutoff.is_some() => QueryState::Cancelled,
        _ => QueryState::Succeeded,
    };
    let ended = state.is_final();
    let engine_ms = (s.polls.saturating_sub(1) as i64) * 1_700;
    let scanned = match state {
        QueryState::Queued => None,
        _ if a.kind == Kind::Failed => Some(0),
        QueryState::Cancelled if !s.stopped => cutoff,
        QueryState::Running | QueryState::Cancelled => Some(a.scanned / 3),
        _ => Some(a.scanned),
    };
    Execution {
        id: id.to_string(),
        sql: s.query.sql.clone(),
        state: Some(state.clone()),
        reason: match (&state, &a.error) {
            (QueryState::Failed, Some((_, m))) => Some(m.clone()),
            (QueryState::Cancelled, _) if !s.stopped => Some(
                "Bytes scanned limit was exceeded: the work group's data usage control cancelled the query".into(),
            ),
            (QueryState::Cancelled, _) => Some("Query cancelled by user".into()),
            _ => None,
        },
        error: match (&state, &a.error) {
            (QueryState::Failed, Some((kind, m))) => Some(AthenaError {
                category: Some(2),
                kind: *kind,
                retryable: false,
                message: Some(m.clone()),
            }),
            _ => None,
        },
        statement_type: Some(match a.kind {
            Kind::Utility => "UTILITY".into(),
            _ => "DML".into(),
        }),
        substatement_type: (a.kind == Kind::Select).then(|| "SELECT".into()),
        workgroup: Some(s.query.workgroup.clone()),
        submitted: Some(s.submitted),
        completed: ended.then(|| s.submitted + Duration::milliseconds(400 + engine_ms)),
        queue_ms: Some(400),
        engine_ms: (state != QueryState::Queued).then_some(engine_ms),
        total_ms: Some(400 + engine_ms),
        scanned_bytes: scanned,
        reused: false,
        output_location: (a.kind == Kind::Select)
            .then(|| format!("{RESULTS}/{}/{id}.csv", s.query.workgroup)),
        client_encrypted: false,
        managed_results: false,
        dpu_count: None,
    }
}

pub fn catalogs() -> Vec<crate::cloud::athena::CatalogEntry> {
    vec![crate::cloud::athena::CatalogEntry {
        name: "AwsDataCatalog".into(),
        kind: "GLUE".into(),
    }]
}

pub fn databases(catalog: &str) -> CloudResult<Vec<String>> {
    if catalog != "AwsDataCatalog" {
        return Err(CloudError::InvalidInput {
            message: format!("Catalog {catalog} is not found"),
        });
    }
    let mut dbs: Vec<String> = TABLES
        .iter()
        .filter_map(|t| t.0.split_once('.').map(|(db, _)| db.to_string()))
        .collect();
    dbs.sort();
    dbs.dedup();
    Ok(dbs)
}

pub fn tables(database: &str) -> Vec<crate::cloud::athena::TableMeta> {
    TABLES
        .iter()
        .filter_map(|(name, keys, columns, _)| {
            let (db, table) = name.split_once('.')?;
            (db == database).then(|| crate::cloud::athena::TableMeta {
                name: table.to_string(),
                kind: Some("EXTERNAL_TABLE".into()),
                columns: cols(columns)
                    .into_iter()
                    .filter(|c| !keys.contains(&c.name.as_str()))
                    .collect(),
                partition_keys: keys
                    .iter()
                    .map(|k| Column {
                        name: k.to_string(),
                        kind: "string".into(),
                    })
                    .collect(),
            })
        })
        .collect()
}
