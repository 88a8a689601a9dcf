//! Refreshing the DLQ pane on a 500-queue account: wall time and API calls
//! per refresh, and how many calls were ever in flight at once.
//!
//! pipedeck's real AWS backend talks HTTP to a small fake SQS endpoint
//! (awsJson1_0, like SQS) that answers each call after a fixed latency, as a
//! region across the network would. 450 queues feed 50 DLQs.
//!
//! `cargo bench --bench dlq_refresh` (PIPEDECK_BENCH_LATENCY_MS, default 25).

use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::CloudRead;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const QUEUES: usize = 500;
const DLQS: usize = 50;
const ACCOUNT: &str = "123456789012";

#[derive(Default)]
struct Counters {
    calls: Mutex<BTreeMap<String, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

fn name(i: usize) -> String {
    if i < DLQS {
        format!("dlq-{i:03}")
    } else {
        format!("queue-{i:03}")
    }
}

fn url(base: &str, n: &str) -> String {
    format!("{base}/{ACCOUNT}/{n}")
}

fn arn(n: &str) -> String {
    format!("arn:aws:sqs:us-east-1:{ACCOUNT}:{n}")
}

fn answer(op: &str, body: &Value, base: &str) -> Value {
    match op {
        "ListQueues" => {
            let max = body["MaxResults"].as_u64().unwrap_or(1000) as usize;
            let start: usize = body["NextToken"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            let end = (start + max).min(QUEUES);
            let urls: Vec<String> = (start..end).map(|i| url(base, &name(i))).collect();
            let mut v = json!({ "QueueUrls": urls });
            if end < QUEUES {
                v["NextToken"] = json!(end.to_string());
            }
            v
        }
        "GetQueueAttributes" => {
            let n = body["QueueUrl"]
                .as_str()
                .unwrap_or("")
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string();
            let i: usize = n
                .rsplit('-')
                .next()
                .and_then(|d| d.parse().ok())
                .unwrap_or(0);
            let mut a = json!({
                "QueueArn": arn(&n),
                "ApproximateNumberOfMessages": (i % 7).to_string(),
                "ApproximateNumberOfMessagesNotVisible": "0",
                "ApproximateNumberOfMessagesDelayed": "0",
                "MessageRetentionPeriod": "1209600",
                "VisibilityTimeout": "30",
            });
            if n.starts_with("queue-") {
                a["RedrivePolicy"] = json!(format!(
                    r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
                    arn(&name(i % DLQS))
                ));
            }
            json!({ "Attributes": a })
        }
        "ListMessageMoveTasks" => json!({ "Results": [] }),
        _ => json!({}),
    }
}

async fn serve(mut sock: TcpStream, base: String, latency: Duration, c: Arc<Counters>) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            let mut chunk = [0u8; 8192];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
        let header = |k: &str| {
            head.lines()
                .find(|l| {
                    l.to_ascii_lowercase()
                        .starts_with(&format!("{}:", k.to_ascii_lowercase()))
                })
                .map(|l| l.split_once(':').unwrap().1.trim().to_string())
        };
        let len: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            let mut chunk = [0u8; 8192];
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Value =
            serde_json::from_slice(&buf[head_end..head_end + len]).unwrap_or(Value::Null);
        buf.drain(..head_end + len);
        let op = header("x-amz-target")
            .unwrap_or_default()
            .trim_start_matches("AmazonSQS.")
            .to_string();
        *c.calls.lock().unwrap().entry(op.clone()).or_default() += 1;
        let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        c.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(latency).await; // the simulated network round trip
        c.in_flight.fetch_sub(1, Ordering::SeqCst);
        let out = answer(&op, &body, &base).to_string();
        let resp = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\n\r\n{out}",
            out.len()
        );
        if sock.write_all(resp.as_bytes()).await.is_err() {
            return;
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let latency = Duration::from_millis(
        std::env::var("PIPEDECK_BENCH_LATENCY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(25),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let counters = Arc::new(Counters::default());
    {
        let (base, c) = (base.clone(), counters.clone());
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, base.clone(), latency, c.clone()));
            }
        });
    }
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&base)
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "bench",
        ))
        .load()
        .await;
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    println!(
        "\nDLQ refresh, {QUEUES} queues feeding {DLQS} DLQs, {} ms per call",
        latency.as_millis()
    );
    for pass in [
        "first (full discovery)",
        "next (DLQs only)",
        "next (DLQs only)",
    ] {
        counters.calls.lock().unwrap().clear();
        counters.max_in_flight.store(0, Ordering::SeqCst);
        let start = Instant::now();
        let dlqs = cloud.dlqs(&[]).await.expect("refresh");
        let wall = start.elapsed();
        assert_eq!(dlqs.len(), DLQS);
        let calls = counters.calls.lock().unwrap().clone();
        let total: usize = calls.values().sum();
        println!(
            "{pass:<24} {:>6.0} ms  {total:>4} calls  {calls:?}  max {} in flight",
            wall.as_secs_f64() * 1000.0,
            counters.max_in_flight.load(Ordering::SeqCst)
        );
    }
}
