//! `pipedeck athena`: run one SQL query in a work group without the TUI.
//!
//! Rows go to stdout — all of them, read from the result file in S3 when
//! it can be, through GetQueryResults otherwise — as JSON, CSV or a
//! Markdown table (NULL as null / an empty field / NULL). State, scanned
//! bytes, cost and engine time go to stderr. Exit 0 on SUCCEEDED; 1 on
//! FAILED or CANCELLED (with StateChangeReason and AthenaError) or a
//! rejected start; 130 after Ctrl-C, which stops the query first
//! (StopQueryExecution) so it does not keep scanning — and billing.

use crate::cloud::athena::{
    human_bytes, human_ms, poll_delay, AthenaQuery, Cost, Execution, Pricing, QueryState,
    ResultPart,
};
use crate::cloud::{Cloud, CloudError};
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug)]
pub enum Ended {
    /// The query reached a final state; its rows when it SUCCEEDED.
    Done {
        execution: Box<Execution>,
        rows: Option<Result<crate::export::Table, CloudError>>,
        source: Option<String>,
    },
    /// Interrupted: StopQueryExecution was sent.
    Stopped { id: String },
    /// The start or a poll failed.
    Error(CloudError),
}

pub async fn run(
    cloud: &dyn Cloud,
    query: &AthenaQuery,
    interrupt: impl Future<Output = ()>,
) -> Ended {
    let id = match cloud.athena_start(query).await {
        Ok(id) => id,
        Err(e) => return Ended::Error(e),
    };
    let started = tokio::time::Instant::now();
    tokio::pin!(interrupt);
    let mut throttled = 0;
    // The first look comes sooner: a reused result is back at once.
    let mut wait = Duration::from_secs(1);
    let execution = loop {
        tokio::select! {
            _ = &mut interrupt => {
                let _ = cloud.athena_stop(&id).await;
                return Ended::Stopped { id };
            }
            _ = tokio::time::sleep(wait) => {}
        }
        match cloud.athena_execution(&id).await {
            Ok(e) if e.is_final() => break e,
            Ok(_) => throttled = 0,
            Err(e) if e.is_throttle() => throttled += 1,
            Err(e) => {
                let _ = cloud.athena_stop(&id).await;
                return Ended::Error(e);
            }
        }
        wait = poll_delay(started.elapsed().as_secs() as i64, throttled);
    };
    if execution.state != Some(QueryState::Succeeded) {
        return Ended::Done {
            execution: Box::new(execution),
            rows: None,
            source: None,
        };
    }
    let collected: Mutex<Vec<Vec<Option<String>>>> = Mutex::new(Vec::new());
    let result = cloud
        .athena_rows(&id, &|part: ResultPart, _| {
            collected.lock().unwrap().extend(part.rows);
        })
        .await;
    let (rows, source) = match result {
        Ok(part) => (
            Ok(crate::export::Table {
                columns: part.columns.iter().map(|c| c.name.clone()).collect(),
                rows: collected.into_inner().unwrap_or_default(),
            }),
            part.source.map(|s| s.describe()),
        ),
        Err(e) => (Err(e), None),
    };
    Ended::Done {
        execution: Box::new(execution),
        rows: Some(rows),
        source,
    }
}

/// "SUCCEEDED: 1,204 rows, scanned 2.4 GB (≈ $0.012), engine 4.2 s, queued 0.3 s".
pub fn stats_line(
    e: &Execution,
    rows: Option<usize>,
    pricing: Pricing,
    source: Option<&str>,
) -> String {
    let dash = |v: Option<i64>, f: fn(i64) -> String| v.map_or("—".to_string(), f);
    let mut line = format!(
        "{} {}: scanned {} ({}), engine {}, queued {}",
        e.state_name(),
        e.id,
        dash(e.scanned_bytes, human_bytes),
        Cost::of(e, pricing, false).label(),
        dash(e.engine_ms, human_ms),
        dash(e.queue_ms, human_ms),
    );
    if let Some(n) = rows {
        line.push_str(&format!(", {n} row(s)"));
    }
    if let Some(s) = source {
        line.push_str(&format!(" — {s}"));
    }
    line
}

/// Why a final state is not a success, for the exit message.
pub fn failure(e: &Execution) -> Option<String> {
    match e.state {
        Some(QueryState::Succeeded) => None,
        _ => {
            let mut why = format!("the query ended {}", e.state_name());
            if let Some(r) = &e.reason {
                why.push_str(&format!(": {r}"));
            }
            if let Some(err) = &e.error {
                why.push_str(&format!(" ({})", err.summary()));
            }
            Some(why)
        }
    }
}
