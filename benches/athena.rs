//! Athena at 100,000 rows × 12 columns.
//!
//! - Loading every row through pipedeck's real AWS path (serialization,
//!   signing, the rate budget, pagination, parsing) from an in-process
//!   endpoint that answers each call after 50 ms: from the result file in
//!   S3 (one GetObject) and from GetQueryResults pages (1,000 rows a page),
//!   side by side.
//! - The pane with those rows: frame time at 200×50, the memory they add.
//! - A keystroke in the SQL editor while a 100,000-row result streams in:
//!   the key's update and the next frame, part after part.
//!
//! `cargo bench --bench athena` (PIPEDECK_BENCH_LATENCY_MS, default 50).

#[path = "common/mod.rs"]
mod common;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::athena::{Column, ResultPart};
use pipedeck::cloud::aws::AwsCloud;
use pipedeck::cloud::CloudRead;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;
const COLUMNS: usize = 12;
const PAGE: usize = 1_000;

fn cell(row: usize, col: usize) -> Option<String> {
    match col {
        0 => Some(format!("TX-{row:08}")),
        1 => Some(format!("CUST-{:05}", row % 9_973)),
        2 if row.is_multiple_of(97) => None,
        2 => Some(format!("{}.{:02}", (row * 37) % 5_000, row % 100)),
        3 => Some(["COMPLETED", "FAILED", "PENDING"][row % 3].to_string()),
        c => Some(format!("v{c}-{}", row % 1_000)),
    }
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    let mut k = vec![
        ("transaction_id", "varchar"),
        ("customer_id", "varchar"),
        ("amount", "double"),
        ("status", "varchar"),
    ];
    let names = ["c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11"];
    k.extend(names.iter().map(|n| (*n, "varchar")));
    k
}

/// The account's answers, made once: the CSV file and the JSON pages.
struct Lake {
    csv: Vec<u8>,
    pages: Vec<Vec<u8>>,
    latency: Duration,
    calls: Mutex<BTreeMap<String, usize>>,
}

impl Lake {
    fn new(latency: Duration) -> Self {
        let mut csv = String::new();
        let q = |v: &str| format!("\"{}\"", v.replace('"', "\"\""));
        csv.push_str(
            &kinds()
                .iter()
                .map(|(n, _)| q(n))
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
        for r in 0..ROWS {
            let line: Vec<String> = (0..COLUMNS)
                .map(|c| cell(r, c).map_or(String::new(), |v| q(&v)))
                .collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        let info: Vec<_> = kinds()
            .iter()
            .map(|(n, k)| json!({"Name": n, "Label": n, "Type": k}))
            .collect();
        let datum = |v: Option<String>| v.map_or(json!({}), |v| json!({"VarCharValue": v}));
        let pages = (0..ROWS / PAGE)
            .map(|p| {
                let mut rows: Vec<serde_json::Value> = Vec::new();
                if p == 0 {
                    rows.push(json!({"Data": kinds().iter().map(|(n, _)| json!({"VarCharValue": n})).collect::<Vec<_>>()}));
                }
                for r in p * PAGE..(p + 1) * PAGE {
                    rows.push(json!({"Data": (0..COLUMNS).map(|c| datum(cell(r, c))).collect::<Vec<_>>()}));
                }
                let mut page = json!({"ResultSet": {"Rows": rows, "ResultSetMetadata": {"ColumnInfo": info}}});
                if p + 1 < ROWS / PAGE {
                    page["NextToken"] = json!(format!("p{}", p + 1));
                }
                serde_json::to_vec(&page).unwrap()
            })
            .collect();
        Lake {
            csv: csv.into_bytes(),
            pages,
            latency,
            calls: Mutex::new(BTreeMap::new()),
        }
    }

    fn answer(&self, op: &str, body: &serde_json::Value) -> Vec<u8> {
        match op {
            "GetQueryExecution" => {
                let id = body["QueryExecutionId"].as_str().unwrap_or_default();
                let mut e = json!({
                    "QueryExecutionId": id,
                    "StatementType": "DML",
                    "SubstatementType": "SELECT",
                    "Status": {"State": "SUCCEEDED"},
                    "Statistics": {"DataScannedInBytes": 12_000_000_000_i64, "EngineExecutionTimeInMillis": 9_000},
                });
                if id == "q-file" {
                    e["ResultConfiguration"] =
                        json!({"OutputLocation": "s3://lake/results/q-file.csv"});
                } else {
                    e["ManagedQueryResultsConfiguration"] = json!({"Enabled": true});
                }
                serde_json::to_vec(&json!({"QueryExecution": e})).unwrap()
            }
            "GetQueryResults" => {
                let page = body["NextToken"]
                    .as_str()
                    .and_then(|t| t.trim_start_matches('p').parse::<usize>().ok())
                    .unwrap_or(0);
                self.pages[page].clone()
            }
            _ => b"{}".to_vec(),
        }
    }
}

#[derive(Clone)]
struct Endpoint(Arc<Lake>);

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Endpoint")
    }
}

impl HttpClient for Endpoint {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for Endpoint {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let lake = self.0.clone();
        let target = request.headers().get("x-amz-target").map(str::to_string);
        let body: serde_json::Value =
            serde_json::from_slice(request.body().bytes().unwrap_or_default()).unwrap_or_default();
        HttpConnectorFuture::new(async move {
            tokio::time::sleep(lake.latency).await;
            let (op, bytes, kind) = match target {
                Some(t) => {
                    let op = t.rsplit('.').next().unwrap_or_default().to_string();
                    let bytes = lake.answer(&op, &body);
                    (op, bytes, "application/x-amz-json-1.1")
                }
                None => ("s3:GetObject".to_string(), lake.csv.clone(), "text/csv"),
            };
            *lake.calls.lock().unwrap().entry(op).or_default() += 1;
            let mut resp =
                HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::from(bytes));
            resp.headers_mut().insert("content-type", kind);
            Ok(resp)
        })
    }
}

fn cloud(lake: &Arc<Lake>) -> AwsCloud {
    let conf = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDBENCH",
            "not-a-secret",
            None,
            None,
            "bench",
        )))
        .sleep_impl(aws_smithy_async::rt::sleep::default_async_sleep().unwrap())
        .http_client(Endpoint(lake.clone()))
        .build();
    AwsCloud::from_sdk_config(&conf)
}

fn rss_mb() -> f64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: f64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    pages * 4096.0 / 1e6
}

fn columns() -> Vec<Column> {
    kinds()
        .iter()
        .map(|(n, k)| Column {
            name: n.to_string(),
            kind: k.to_string(),
        })
        .collect()
}

/// The console on the Athena pane with a query started as "bench" (rows
/// for a run the pane does not know are ignored).
fn started_state(now: chrono::DateTime<chrono::Utc>) -> pipedeck::app::State {
    let mut s = common::state(now);
    update(&mut s, Msg::Key(key("6")));
    s.panes.athena.set_query_text("SELECT * FROM t");
    let fx = update(&mut s, Msg::Key(key("ctrl-r")));
    let (run, query) = fx
        .iter()
        .find_map(|e| match e {
            pipedeck::app::Effect::Refresh(Resource::AthenaStart { run, query }) => {
                Some((*run, query.clone()))
            }
            _ => None,
        })
        .expect("a start");
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::AthenaStart { run, query },
            at: now,
            result: Ok(Data::AthenaStarted("bench".into())),
            next_in: None,
        },
    );
    s
}

/// One part of the rows, as the runtime hands it on.
fn part(rows: &[Vec<Option<String>>]) -> Msg {
    Msg::Progress {
        resource: Resource::AthenaRows { id: "bench".into() },
        data: Data::AthenaRows(ResultPart {
            columns: columns(),
            rows: rows.to_vec(),
            source: None,
            update_count: None,
        }),
        done: 0,
        total: 0,
    }
}

fn main() {
    let latency = Duration::from_millis(
        std::env::var("PIPEDECK_BENCH_LATENCY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(50),
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let lake = Arc::new(Lake::new(latency));
    println!(
        "athena: {ROWS} rows × {COLUMNS} columns, {latency:?} per call; file {:.1} MB",
        lake.csv.len() as f64 / 1e6
    );
    for (label, id) in [
        ("result file (S3)", "q-file"),
        ("GetQueryResults pages", "q-pages"),
    ] {
        lake.calls.lock().unwrap().clear();
        let c = cloud(&lake);
        let rows = Mutex::new(0usize);
        let t = Instant::now();
        let end = rt
            .block_on(c.athena_rows(id, &|part, _| *rows.lock().unwrap() += part.rows.len()))
            .unwrap();
        let wall = t.elapsed();
        println!(
            "  {label:<22} {:>7} rows in {:>6.2} s · calls {:?} · {}",
            rows.into_inner().unwrap(),
            wall.as_secs_f64(),
            lake.calls.lock().unwrap(),
            end.source.map(|s| s.describe()).unwrap_or_default()
        );
    }

    // The pane with every row: memory added, frame time.
    let now = chrono::Utc::now();
    let mut s = started_state(now);
    let all: Vec<Vec<Option<String>>> = (0..ROWS)
        .map(|r| (0..COLUMNS).map(|c| cell(r, c)).collect())
        .collect();
    let before = rss_mb();
    let t = Instant::now();
    for chunk in all.chunks(5_000) {
        update(&mut s, part(chunk));
    }
    let take = t.elapsed();
    let added = rss_mb() - before;
    let (mean, p99) = common::frame_us(&s, 200);
    println!(
        "  pane: 100,000 rows taken in {:.0} ms (20 parts) · +{added:.0} MB RSS · frame {mean:.0} µs mean, {p99:.0} µs p99 (200×50)",
        take.as_secs_f64() * 1e3
    );
    let t = Instant::now();
    update(&mut s, Msg::Key(key("o")));
    println!(
        "  sort 100,000 rows by a column: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // A key in the editor while another 100,000 rows stream in.
    let mut s = started_state(now);
    update(&mut s, Msg::Key(key("e")));
    let theme = pipedeck::config::Theme::preset("dark").unwrap();
    let tz = chrono::FixedOffset::east_opt(0).unwrap();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 50)).unwrap();
    let mut samples = Vec::new();
    for chunk in all.chunks(5_000) {
        update(&mut s, part(chunk));
        let t = Instant::now();
        update(&mut s, Msg::Key(key("x")));
        term.draw(|f| pipedeck::ui::render(&s, f, &theme, tz))
            .unwrap();
        samples.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let (mean, p99) = common::mean_p99(&mut samples);
    println!("  editor key → frame while rows stream in: {mean:.0} µs mean, {p99:.0} µs p99");
}

fn key(k: &str) -> crossterm::event::KeyEvent {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    match k {
        "ctrl-r" => KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL),
        k => KeyEvent::new(KeyCode::Char(k.chars().next().unwrap()), KeyModifiers::NONE),
    }
}
