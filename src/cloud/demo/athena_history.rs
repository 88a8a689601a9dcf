//! The demo account's Athena history and saved queries: the course's P5
//! incident. A daily report over `silver_db.orders` in the `primary` work
//! group (no scan limit) reads one day a day — until this morning's run,
//! whose date was a year off, read forty times as much; beside it a failed
//! query (a table that does not exist), one cancelled by its user, and
//! ordinary runs in the other groups.

use super::athena::DemoAthena;
use crate::cloud::athena::{AthenaError, Execution, NamedQueries, NamedQuery, QueryState};
use crate::cloud::{CloudError, CloudResult};
use chrono::{DateTime, Duration, Utc};

const GB: i64 = 1_000_000_000;

struct Past {
    id: &'static str,
    group: &'static str,
    sql: String,
    minutes_ago: i64,
    state: QueryState,
    scanned: i64,
    engine_ms: i64,
    error: Option<(i32, &'static str)>,
}

fn daily(date: &str) -> String {
    format!(
        "SELECT customer_id, sum(amount) AS total\nFROM silver_db.orders\nWHERE order_date >= DATE '{date}'\nGROUP BY customer_id"
    )
}

fn past(now: DateTime<Utc>) -> Vec<Past> {
    let day = |d: i64| (now - Duration::days(d)).format("%Y-%m-%d").to_string();
    let mut v: Vec<Past> = (1..=6)
        .map(|d| Past {
            id: [
                "h-daily-6",
                "h-daily-5",
                "h-daily-4",
                "h-daily-3",
                "h-daily-2",
                "h-daily-1",
            ][(6 - d) as usize],
            group: "primary",
            sql: daily(&day(d + 1)),
            minutes_ago: d * 24 * 60 + 30,
            state: QueryState::Succeeded,
            scanned: 21 * GB + d * 300_000_000,
            engine_ms: 41_000 + d * 900,
            error: None,
        })
        .collect();
    v.extend([
        Past {
            id: "h-daily-runaway",
            group: "primary",
            // A year off: every partition since then is read.
            sql: daily(&(now - Duration::days(366)).format("%Y-%m-%d").to_string()),
            minutes_ago: 30,
            state: QueryState::Succeeded,
            // Forty times the median of the six days before (22.05 GB).
            scanned: 882 * GB,
            engine_ms: 26 * 60_000 + 12_000,
            error: None,
        },
        Past {
            id: "h-events-missing",
            group: "primary",
            sql: "SELECT count(*) FROM bronze_db.event WHERE dt = '2026-11-29'".into(),
            minutes_ago: 95,
            state: QueryState::Failed,
            scanned: 0,
            engine_ms: 310,
            error: Some((1110, "TABLE_NOT_FOUND: line 1:22: Table 'awsdatacatalog.bronze_db.event' does not exist")),
        },
        Past {
            id: "h-cancelled",
            group: "primary",
            sql: "SELECT * FROM sales_db.transactions".into(),
            minutes_ago: 140,
            state: QueryState::Cancelled,
            scanned: 96 * GB,
            engine_ms: 4 * 60_000,
            error: None,
        },
        Past {
            id: "h-prod-partitions",
            group: "de-team-prod",
            sql: "SHOW PARTITIONS bronze_db.events".into(),
            minutes_ago: 50,
            state: QueryState::Succeeded,
            scanned: 0,
            engine_ms: 800,
            error: None,
        },
        Past {
            id: "h-prod-events",
            group: "de-team-prod",
            sql: format!(
                "SELECT event_type, count(*) FROM bronze_db.events\nWHERE dt = '{}'\nGROUP BY event_type",
                day(1)
            ),
            minutes_ago: 55,
            state: QueryState::Succeeded,
            scanned: 4 * GB,
            engine_ms: 9_400,
            error: None,
        },
    ]);
    v
}

/// The ended executions of `workgroup`, newest first.
pub fn executions(workgroup: &str, now: DateTime<Utc>) -> Vec<Execution> {
    let mut out: Vec<Execution> = past(now)
        .into_iter()
        .filter(|p| p.group == workgroup)
        .map(|p| {
            let submitted = now - Duration::minutes(p.minutes_ago);
            Execution {
                id: format!("demo-{}", p.id),
                sql: p.sql,
                reason: match (&p.state, p.error) {
                    (QueryState::Failed, Some((_, m))) => Some(m.to_string()),
                    (QueryState::Cancelled, _) => Some("Query cancelled by user".into()),
                    _ => None,
                },
                error: p.error.map(|(kind, m)| AthenaError {
                    category: Some(2),
                    kind: Some(kind),
                    retryable: false,
                    message: Some(m.to_string()),
                }),
                statement_type: Some(match p.scanned {
                    0 if p.state == QueryState::Succeeded => "UTILITY".into(),
                    _ => "DML".into(),
                }),
                substatement_type: Some("SELECT".into()),
                workgroup: Some(p.group.into()),
                submitted: Some(submitted),
                completed: Some(submitted + Duration::milliseconds(p.engine_ms + 600)),
                queue_ms: Some(600),
                engine_ms: Some(p.engine_ms),
                total_ms: Some(p.engine_ms + 600),
                scanned_bytes: Some(p.scanned),
                state: Some(p.state),
                ..Execution::default()
            }
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.submitted));
    out
}

/// The two saved queries the demo starts with.
pub fn saved() -> Vec<NamedQuery> {
    vec![
        NamedQuery {
            id: Some("demo-nq-1".into()),
            name: "daily orders by customer".into(),
            description: Some("the finance report's source; one day at a time".into()),
            sql: "SELECT customer_id, sum(amount) AS total\nFROM silver_db.orders\nWHERE order_date = current_date - INTERVAL '1' DAY\nGROUP BY customer_id".into(),
            database: "silver_db".into(),
            workgroup: Some("primary".into()),
        },
        NamedQuery {
            id: Some("demo-nq-2".into()),
            name: "failed transactions today".into(),
            description: None,
            sql: "SELECT transaction_id, amount, region\nFROM sales_db.transactions\nWHERE year = '2026' AND month = '11' AND day = '30'\n  AND status = 'FAILED'".into(),
            database: "sales_db".into(),
            workgroup: Some("primary".into()),
        },
    ]
}

/// Saved queries, changed only through the gate; and the history.
impl DemoAthena {
    /// What this session ran in `workgroup`, then the demo's past.
    pub fn history(
        &mut self,
        workgroup: &str,
        now: DateTime<Utc>,
    ) -> crate::cloud::athena::History {
        let mut executions: Vec<Execution> = self
            .started
            .iter()
            .filter(|(_, s)| s.query.workgroup == workgroup)
            .map(|(id, s)| super::athena::execution(id, s))
            .collect();
        executions.reverse();
        let past = self::executions(workgroup, now);
        for e in &past {
            self.past.insert(e.id.clone(), e.clone());
        }
        executions.extend(past);
        crate::cloud::athena::History {
            executions,
            ..Default::default()
        }
    }

    fn named_mut(&mut self) -> &mut Vec<NamedQuery> {
        self.named.get_or_insert_with(saved)
    }

    pub fn named_queries(&mut self, workgroup: &str) -> NamedQueries {
        let mut queries: Vec<_> = self
            .named_mut()
            .iter()
            .filter(|q| q.workgroup.as_deref().unwrap_or("primary") == workgroup)
            .cloned()
            .collect();
        queries.sort_by_key(|q| q.name.to_lowercase());
        NamedQueries {
            queries,
            unprocessed: vec![],
        }
    }

    pub fn create_named(&mut self, q: &NamedQuery) -> CloudResult<String> {
        if q.database.is_empty() {
            return Err(CloudError::InvalidInput {
                message: "1 validation error detected: Value at 'database' failed to satisfy constraint: Member must have length greater than or equal to 1".into(),
            });
        }
        self.saves += 1;
        let id = format!("demo-nq-new-{}", self.saves);
        self.named_mut().push(NamedQuery {
            id: Some(id.clone()),
            ..q.clone()
        });
        Ok(id)
    }

    pub fn delete_named(&mut self, id: &str) -> CloudResult<()> {
        let named = self.named_mut();
        let before = named.len();
        named.retain(|q| q.id.as_deref() != Some(id));
        if named.len() == before {
            return Err(CloudError::InvalidInput {
                message: format!("NamedQuery {id} was not found"),
            });
        }
        Ok(())
    }
}
