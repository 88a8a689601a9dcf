//! A 24 h view of 50,000 audit records through pipedeck's real DynamoDB
//! path: the course's recommended table (`pipeline_id` + `run_timestamp`,
//! a `status-index` projecting ALL) holding 46,000 SUCCEEDED, 2,500 FAILED,
//! 1,000 PARTIAL and 500 RUNNING records of the last day, spread over 400
//! pipelines.
//!
//! The endpoint is in-process (an SDK HTTP client, no sockets): each call
//! is answered after a fixed latency (25 ms, as a Region across the
//! network), a Query page at most `Limit` items, newest first, with
//! LastEvaluatedKey while more remain — as DynamoDB pages. Everything else
//! is pipedeck's real path: serialization, signing, the rate budget's
//! pacing, mapping, ordering.
//!
//! Reports: the calls one read makes (by operation), its wall time, the
//! time `update()` takes to take 50,000 runs in (sort, stuck flags, the
//! other panes' links), and a frame's time with 50,000 rows in the list.
//!
//! `cargo bench --bench audit` (PIPEDECK_BENCH_LATENCY_MS, default 25).

mod common;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::audit::TableMapping;
use pipedeck::cloud::aws::{AwsCloud, AwsOptions};
use pipedeck::cloud::CloudRead;
use pipedeck::panes::PaneId;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TABLE: &str = "pipeline_audit";
/// (status, records in the last 24 h).
const MIX: &[(&str, usize)] = &[
    ("SUCCEEDED", 46_000),
    ("FAILED", 2_500),
    ("PARTIAL", 1_000),
    ("RUNNING", 500),
];
const PIPELINES: usize = 400;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

#[derive(Debug, Clone)]
struct Account {
    latency: Duration,
    calls: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl HttpClient for Account {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

/// Record `k` of `status`, newest first: spread evenly over the day (to
/// the millisecond, a status apart: no two records share a key).
fn record(status: &str, k: usize, of: usize) -> serde_json::Value {
    let apart = MIX.iter().position(|(w, _)| *w == status).unwrap_or(0) as i64;
    let at =
        now() - chrono::Duration::milliseconds((k as i64 * 86_000_000) / of.max(1) as i64 + apart);
    let ts = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let s = |v: String| json!({ "S": v });
    let n = |v: i64| json!({ "N": v.to_string() });
    let mut item = json!({
        "pipeline_id": s(format!("pipeline-{:03}", k % PIPELINES)),
        "run_timestamp": s(ts.clone()),
        "run_id": s(format!("run-{status}-{k}")),
        "glue_run_id": s(format!("jr_{status}_{k:06}")),
        "status": s(status.into()),
        "start_time": s(ts),
        "rows_read": n(150_000),
        "rows_written": n(149_000),
        "rows_rejected": n(12),
        "dq_score": json!({ "N": "99.2" }),
    });
    if status != "RUNNING" {
        let end =
            (at + chrono::Duration::minutes(12)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        item["end_time"] = s(end);
        item["duration_secs"] = n(720);
    }
    if status == "FAILED" {
        item["error_type"] = s("UPSTREAM".into());
        item["error_msg"] = s("source file was empty (0 bytes)".into());
    }
    item
}

fn answer(op: &str, body: &serde_json::Value) -> serde_json::Value {
    match op {
        "DescribeTable" => json!({ "Table": {
            "TableName": TABLE,
            "KeySchema": [
                { "AttributeName": "pipeline_id", "KeyType": "HASH" },
                { "AttributeName": "run_timestamp", "KeyType": "RANGE" }
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "status-index",
                "KeySchema": [
                    { "AttributeName": "status", "KeyType": "HASH" },
                    { "AttributeName": "run_timestamp", "KeyType": "RANGE" }
                ],
                "Projection": { "ProjectionType": "ALL" }
            }],
            "ItemCount": 0
        }}),
        "Query" => {
            let word = body["ExpressionAttributeValues"][":w"]["S"]
                .as_str()
                .unwrap_or("");
            let of = MIX.iter().find(|(w, _)| *w == word).map_or(0, |(_, n)| *n);
            let start: usize = body["ExclusiveStartKey"]["run_id"]["S"]
                .as_str()
                .and_then(|id| id.rsplit('-').next()?.parse::<usize>().ok())
                .map_or(0, |k| k + 1);
            let limit = body["Limit"].as_u64().unwrap_or(1000) as usize;
            let end = (start + limit).min(of);
            let items: Vec<serde_json::Value> = (start..end).map(|k| record(word, k, of)).collect();
            let mut out = json!({ "Items": items, "Count": end - start });
            if end < of {
                let last = record(word, end - 1, of);
                out["LastEvaluatedKey"] = json!({
                    "pipeline_id": last["pipeline_id"],
                    "run_timestamp": last["run_timestamp"],
                    "status": last["status"],
                    "run_id": last["run_id"],
                });
            }
            out
        }
        _ => json!({}),
    }
}

impl HttpConnector for Account {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let op = request
            .headers()
            .get("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_string();
        let body: serde_json::Value =
            serde_json::from_slice(request.body().bytes().unwrap_or_default()).unwrap_or_default();
        let me = self.clone();
        HttpConnectorFuture::new(async move {
            tokio::time::sleep(me.latency).await; // the round trip
            *me.calls.lock().unwrap().entry(op.clone()).or_default() += 1;
            let mut resp = HttpResponse::new(
                StatusCode::try_from(200).unwrap(),
                SdkBody::from(answer(&op, &body).to_string()),
            );
            resp.headers_mut()
                .insert("content-type", "application/x-amz-json-1.0");
            Ok(resp)
        })
    }
}

fn cloud(account: &Account) -> AwsCloud {
    let conf = common::sdk_config("us-bench-1", account.clone());
    let options = AwsOptions {
        audit_tables: vec![TableMapping::course_recommended(TABLE)],
        audit_scan_pages: 4,
        ..AwsOptions::default()
    };
    AwsCloud::from_sdk_config_with(&conf, options).with_clock(now)
}

fn main() {
    let latency = Duration::from_millis(
        std::env::var("PIPEDECK_BENCH_LATENCY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(25),
    );
    let total: usize = MIX.iter().map(|(_, n)| n).sum();
    println!(
        "\nAudit: {total} records of the last 24 h in {TABLE} (status-index, ALL); {} ms a call",
        latency.as_millis()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let account = Account {
        latency,
        calls: Default::default(),
    };
    let c = cloud(&account);
    let start = Instant::now();
    // When the failed, partial and running runs are on screen (the first
    // read's urgent part), before the succeeded pages.
    let first: Mutex<Option<(Duration, usize)>> = Mutex::new(None);
    let tables = rt
        .block_on(c.audit_runs_streaming(&|so_far| {
            let n = so_far.iter().map(|t| t.runs.len()).sum();
            first.lock().unwrap().get_or_insert((start.elapsed(), n));
        }))
        .expect("audit runs");
    let wall = start.elapsed();
    if let Some((at, n)) = *first.lock().unwrap() {
        println!(
            "first sight: {n} failed, partial and running runs after {:.2} s",
            at.as_secs_f64()
        );
    }
    let runs: usize = tables.iter().map(|t| t.runs.len()).sum();
    let calls = account.calls.lock().unwrap().clone();
    println!(
        "read: {:.2} s, {} calls {:?}, {runs} runs",
        wall.as_secs_f64(),
        calls.values().sum::<usize>(),
        calls
    );
    for t in &tables {
        for n in &t.notes {
            println!("    note: {n}");
        }
    }
    // A refresh: the table's shape is known, the same Queries again.
    account.calls.lock().unwrap().clear();
    let start = Instant::now();
    rt.block_on(c.audit_runs()).expect("audit runs");
    println!(
        "refresh: {:.2} s, {} calls",
        start.elapsed().as_secs_f64(),
        account.calls.lock().unwrap().values().sum::<usize>()
    );

    // As the fetch task does, off the UI thread.
    let t = Instant::now();
    let day: pipedeck::cloud::audit::records::AuditDay = tables.into();
    println!(
        "the links, built once in the fetch task: {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut state = common::state(now());
    let t = Instant::now();
    update(
        &mut state,
        Msg::Loaded {
            resource: Resource::AuditRuns,
            at: now(),
            result: Ok(Data::AuditRuns(day)),
            next_in: None,
        },
    );
    println!(
        "update() taking {runs} runs in (UI thread: order, stuck flags): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    state.active = PaneId::Audit;
    let (mean, p99) = common::frame_us(&state, 200);
    println!(
        "frame with {runs} rows at 200×50: mean {:.2} ms, p99 {:.2} ms",
        mean / 1e3,
        p99 / 1e3
    );
}
