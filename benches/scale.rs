//! A big account through pipedeck's real AWS backend: 300 Glue jobs (one
//! failing, five running), 500 source queues each with its DLQ (50 holding
//! messages), 500 alarms.
//!
//! The endpoint is in-process (an SDK HTTP client, no sockets): every call
//! is answered after a fixed latency (25 ms, as a Region across the
//! network), and each API above its published quota is throttled
//! (DescribeAlarms 9/s, GetMetricData 50/s), as AWS would. Everything else
//! is pipedeck's real path: serialization, signing, the rate budget's paced
//! connector, its interceptor, pagination, mapping.
//!
//! Reports the one-shot read of everything `snapshot` reads (wall time,
//! calls, throttled answers, bytes) and the console's steady state: calls a
//! minute over half an hour of polling at the default intervals, with
//! nothing changing.
//!
//! `cargo bench --bench scale` (PIPEDECK_BENCH_LATENCY_MS, default 25).

mod common;

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use pipedeck::cloud::aws::AwsCloud;
use pipedeck::cloud::CloudRead;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const JOBS: usize = 300;
const SOURCES: usize = 500;
const FILLING: usize = 50;
const ALARMS: usize = 500;
const ACCOUNT: &str = "123456789012";
/// Epoch seconds of the account's "now" (the cadence's clock too).
static NOW: AtomicI64 = AtomicI64::new(1_800_000_000);

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(NOW.load(Ordering::SeqCst), 0).unwrap()
}

#[derive(Debug, Default)]
struct Tally {
    calls: BTreeMap<String, usize>,
    throttled: usize,
    bytes: usize,
    /// Per published-quota API: the start of the current second and the
    /// calls in it (a fixed window, as a rough quota).
    windows: BTreeMap<String, (tokio::time::Instant, f64)>,
}

#[derive(Debug, Clone)]
struct Account {
    latency: Duration,
    tally: Arc<Mutex<Tally>>,
}

fn quota(op: &str) -> Option<f64> {
    match op {
        "DescribeAlarms" => Some(9.0),
        "GetMetricData" => Some(50.0),
        _ => None,
    }
}

fn queue(i: usize) -> String {
    if i < SOURCES {
        format!("orders-{i:03}")
    } else {
        format!("orders-{:03}-dlq", i - SOURCES)
    }
}

fn json_answer(op: &str, body: &serde_json::Value) -> serde_json::Value {
    let t = NOW.load(Ordering::SeqCst) as f64;
    match op {
        "GetJobs" => json!({ "Jobs": (0..JOBS).map(|i| json!({
            "Name": format!("job-{i:03}"),
            "ExecutionProperty": { "MaxConcurrentRuns": 1 },
        })).collect::<Vec<_>>() }),
        "GetTriggers" => json!({ "Triggers": [] }),
        "GetJobRuns" => {
            let name = body["JobName"].as_str().unwrap_or_default();
            let i: usize = name[4..].parse().unwrap_or(0);
            let (state, ended) = match i {
                0 => ("FAILED", Some(t - 1800.0)),
                1..=5 => ("RUNNING", None),
                _ => ("SUCCEEDED", Some(t - 5.0 * 3600.0)),
            };
            let mut run = json!({ "Id": format!("jr_{i}"), "JobName": name,
                "JobRunState": state, "StartedOn": t - 6.0 * 3600.0 });
            if let Some(e) = ended {
                run["CompletedOn"] = json!(e);
            }
            json!({ "JobRuns": [run] })
        }
        "ListQueues" => {
            let start: usize = body["NextToken"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let end = (start + 1000).min(2 * SOURCES);
            let mut v = json!({ "QueueUrls": (start..end)
                .map(|i| format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{}", queue(i)))
                .collect::<Vec<_>>() });
            if end < 2 * SOURCES {
                v["NextToken"] = json!(end.to_string());
            }
            v
        }
        "GetQueueAttributes" => {
            let name = body["QueueUrl"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("");
            let n: usize = name[7..10].parse().unwrap_or(0);
            let dlq = name.ends_with("-dlq");
            let waiting = if dlq && n < FILLING { 3 + n } else { 0 };
            let mut a = json!({
                "QueueArn": format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"),
                "ApproximateNumberOfMessages": waiting.to_string(),
                "ApproximateNumberOfMessagesNotVisible": "0",
                "ApproximateNumberOfMessagesDelayed": "0",
            });
            if !dlq {
                a["RedrivePolicy"] = json!(format!(
                    r#"{{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:{ACCOUNT}:orders-{n:03}-dlq","maxReceiveCount":3}}"#
                ));
            }
            json!({ "Attributes": a })
        }
        "ListMessageMoveTasks" => json!({ "Results": [] }),
        _ => json!({}),
    }
}

/// The text after `key` in a CBOR request body (NextToken), if any.
fn cbor_text_after(body: &[u8], key: &[u8]) -> Option<String> {
    let at = body.windows(key.len()).position(|w| w == key)? + key.len();
    let head = *body.get(at)?;
    let (len, from) = match head {
        0x60..=0x77 => (usize::from(head - 0x60), at + 1),
        0x78 => (usize::from(*body.get(at + 1)?), at + 2),
        _ => return None,
    };
    String::from_utf8(body.get(from..from + len)?.to_vec()).ok()
}

fn cbor_answer(op: &str, body: &[u8]) -> Vec<u8> {
    let mut e = aws_smithy_cbor::Encoder::new(Vec::new());
    match op {
        "DescribeAlarms" => {
            let start: usize = cbor_text_after(body, b"NextToken")
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let end = (start + 100).min(ALARMS);
            e.begin_map().str("MetricAlarms").array(end - start);
            for i in start..end {
                e.begin_map()
                    .str("AlarmName")
                    .str(&format!("alarm-{i:03}"))
                    .str("StateValue")
                    .str(if i % 97 == 0 { "ALARM" } else { "OK" })
                    .str("StateReason")
                    .str("Threshold Crossed: 1 out of the last 1 datapoints")
                    .str("ActionsEnabled")
                    .boolean(true)
                    .end();
            }
            if end < ALARMS {
                e.str("NextToken").str(&end.to_string());
            }
            e.end();
        }
        _ => {
            e.begin_map().str("MetricDataResults").array(0).end();
        }
    }
    e.into_writer()
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

impl HttpConnector for Account {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request.headers().get("x-amz-target").map(str::to_string);
        let path = request.uri().to_string();
        let body = request.body().bytes().unwrap_or_default().to_vec();
        let me = self.clone();
        HttpConnectorFuture::new(async move {
            tokio::time::sleep(me.latency).await; // the round trip
            let (op, cbor) = match &target {
                Some(t) => (t.rsplit('.').next().unwrap_or("").to_string(), false),
                None => (path.rsplit('/').next().unwrap_or("").to_string(), true),
            };
            let over = {
                let mut t = me.tally.lock().unwrap();
                *t.calls.entry(op.clone()).or_default() += 1;
                match quota(&op) {
                    Some(q) => {
                        let now = tokio::time::Instant::now();
                        let w = t.windows.entry(op.clone()).or_insert((now, 0.0));
                        if now.duration_since(w.0) >= Duration::from_secs(1) {
                            *w = (now, 0.0);
                        }
                        w.1 += 1.0;
                        w.1 > q
                    }
                    None => false,
                }
            };
            let mut resp = if over {
                me.tally.lock().unwrap().throttled += 1;
                let mut e = aws_smithy_cbor::Encoder::new(Vec::new());
                e.begin_map()
                    .str("__type")
                    .str("com.amazonaws.cloudwatch#Throttling")
                    .str("message")
                    .str("Rate exceeded")
                    .end();
                HttpResponse::new(
                    StatusCode::try_from(400).unwrap(),
                    SdkBody::from(e.into_writer()),
                )
            } else if cbor {
                HttpResponse::new(
                    StatusCode::try_from(200).unwrap(),
                    SdkBody::from(cbor_answer(&op, &body)),
                )
            } else {
                let req: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                HttpResponse::new(
                    StatusCode::try_from(200).unwrap(),
                    SdkBody::from(json_answer(&op, &req).to_string()),
                )
            };
            if cbor {
                resp.headers_mut().insert("smithy-protocol", "rpc-v2-cbor");
                resp.headers_mut()
                    .insert("content-type", "application/cbor");
            }
            me.tally.lock().unwrap().bytes += resp.body().bytes().map_or(0, <[u8]>::len);
            Ok(resp)
        })
    }
}

fn cloud(account: &Account, region: &str) -> AwsCloud {
    let conf = common::sdk_config(region, account.clone());
    AwsCloud::from_sdk_config(&conf).with_clock(now)
}

/// One read of everything `snapshot` shows: Glue, DLQs (and their
/// CloudWatch history where they hold messages), alarms, side by side.
async fn read_all(c: &AwsCloud) -> (usize, usize, usize) {
    let (jobs, dlqs, alarms) = tokio::join!(c.glue_jobs(), c.dlqs(&[]), c.alarms());
    let dlqs = dlqs.expect("dlqs");
    let filling: Vec<String> = dlqs
        .iter()
        .filter(|d| d.total() > 0)
        .map(|d| d.name.clone())
        .collect();
    c.dlq_metrics(&filling).await.expect("metrics");
    (
        jobs.expect("jobs").len(),
        dlqs.len(),
        alarms.expect("alarms").len(),
    )
}

fn report(label: &str, account: &Account, wall: Option<Duration>) {
    let t = account.tally.lock().unwrap();
    let total: usize = t.calls.values().sum();
    let wall = wall.map_or(String::new(), |w| format!("{:.2} s, ", w.as_secs_f64()));
    println!(
        "{label}: {wall}{total} calls, {} throttled, {} KB received\n    {:?}",
        t.throttled,
        t.bytes / 1024,
        t.calls
    );
}

fn main() {
    let latency = Duration::from_millis(
        std::env::var("PIPEDECK_BENCH_LATENCY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(25),
    );
    println!(
        "\nA big account: {JOBS} Glue jobs, {SOURCES} queues with {SOURCES} DLQs ({FILLING} filling), {ALARMS} alarms; {} ms a call",
        latency.as_millis()
    );
    // The one-shot read, in real time.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let account = Account {
        latency,
        tally: Default::default(),
    };
    rt.block_on(async {
        let c = cloud(&account, "us-bench-1");
        let start = std::time::Instant::now();
        let (jobs, dlqs, alarms) = read_all(&c).await;
        assert_eq!((jobs, dlqs, alarms), (JOBS, SOURCES, ALARMS));
        report(
            "snapshot (cold, no saved picture)",
            &account,
            Some(start.elapsed()),
        );
    });
    // The console's steady state, on a paused clock: Glue every 30 s, DLQs
    // every 20 s, alarms every 30 s, DLQ metrics every 120 s, for 30 min.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let steady = Account {
        latency,
        tally: Default::default(),
    };
    rt.block_on(async {
        let c = cloud(&steady, "us-bench-2");
        read_all(&c).await; // the first load
        steady.tally.lock().unwrap().calls.clear();
        let minutes = 30;
        for second in (0..minutes * 60).step_by(10) {
            NOW.fetch_add(10, Ordering::SeqCst);
            tokio::time::advance(Duration::from_secs(10)).await;
            let s = second + 10;
            if s % 30 == 0 {
                c.glue_jobs().await.expect("jobs");
                c.alarms().await.expect("alarms");
            }
            if s % 20 == 0 {
                c.dlqs(&[]).await.expect("dlqs");
            }
            if s % 120 == 0 {
                let names: Vec<String> =
                    (0..FILLING).map(|i| format!("orders-{i:03}-dlq")).collect();
                c.dlq_metrics(&names).await.expect("metrics");
            }
        }
        let t = steady.tally.lock().unwrap();
        println!("steady state over {minutes} min, nothing changing but the 5 running jobs:");
        for (op, n) in &t.calls {
            println!("    {op:<22} {:>7.1} a minute", *n as f64 / minutes as f64);
        }
        println!("    throttled {}", t.throttled);
    });
}
