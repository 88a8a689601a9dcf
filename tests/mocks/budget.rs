//! The rate budget on the real SDK client: every attempt leaves through
//! pipedeck's paced HTTP client, so a burst of reads never exceeds the
//! quota, and a throttled answer — counted where it arrives — halves the
//! rate, which then climbs back. A fake endpoint (no network) answers Glue
//! and stamps each request with tokio's clock; time is paused, so the
//! waits are the budget's, not the machine's.

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
use pipedeck::cloud::aws::budget;
use pipedeck::cloud::aws::AwsCloud;
use pipedeck::cloud::{CloudError, CloudRead};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::time::{Duration, Instant};

/// A Glue endpoint: `jobs` jobs, no runs; the first `throttle` GetJobRuns
/// are refused with ThrottlingException.
#[derive(Debug, Clone, Default)]
struct FakeGlue {
    jobs: usize,
    throttle: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<(String, Instant)>>>,
    /// The header pipedeck uses between its interceptor and connector.
    leaked_header: Arc<AtomicUsize>,
}

impl FakeGlue {
    fn run_reads(&self) -> Vec<Instant> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .filter(|(t, _)| t.ends_with("GetJobRuns"))
            .map(|(_, at)| *at)
            .collect()
    }
}

impl HttpClient for FakeGlue {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

impl HttpConnector for FakeGlue {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .to_string();
        if request.headers().get("x-pipedeck-operation").is_some() {
            self.leaked_header.fetch_add(1, Ordering::SeqCst);
        }
        self.seen
            .lock()
            .unwrap()
            .push((target.clone(), Instant::now()));
        let (status, body) = if target.ends_with("GetJobs") {
            let jobs: Vec<String> = (0..self.jobs)
                .map(|i| format!(r#"{{"Name":"job-{i:03}"}}"#))
                .collect();
            (200, format!(r#"{{"Jobs":[{}]}}"#, jobs.join(",")))
        } else if target.ends_with("GetTriggers") {
            (200, r#"{"Triggers":[]}"#.to_string())
        } else if self
            .throttle
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            (
                400,
                r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#.to_string(),
            )
        } else {
            (200, r#"{"JobRuns":[]}"#.to_string())
        };
        let mut resp =
            HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body));
        if status == 400 {
            resp.headers_mut()
                .insert("x-amzn-errortype", "ThrottlingException");
        }
        HttpConnectorFuture::ready(Ok(resp))
    }
}

/// A cloud on `fake` in a Region of its own (budgets are per Region), with
/// one attempt per call so each throttle is seen as it is.
fn cloud_on(fake: &FakeGlue, region: &str) -> AwsCloud {
    let conf = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDTEST",
            "not-a-secret",
            None,
            None,
            "test",
        )))
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .http_client(fake.clone())
        .build();
    AwsCloud::from_sdk_config(&conf)
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_300_reads_never_exceeds_the_quota() {
    // Glue at 10 calls/s (the burst keeps the default's ratio: 150).
    let region = "eu-budget-1";
    let b = budget::shared(
        &format!("|{region}|"),
        &BTreeMap::from([("glue".to_string(), 10.0)]),
    );
    let fake = FakeGlue {
        jobs: 300,
        ..Default::default()
    };
    let cloud = cloud_on(&fake, region);
    let start = Instant::now();
    let jobs = cloud.glue_jobs().await.unwrap();
    assert_eq!(jobs.len(), 300);
    let reads = fake.run_reads();
    assert_eq!(reads.len(), 300);
    // By any moment t, at most the burst plus the rate × t have left
    // (GetJobs took one token of the same Glue bucket).
    for (k, at) in reads.iter().enumerate() {
        let t = at.duration_since(start).as_secs_f64();
        let allowed = 150.0 + 10.0 * t - 1.0;
        assert!(
            (k as f64) < allowed + 1e-6,
            "read {k} at {t:.2}s: over the quota"
        );
    }
    let took = reads.last().unwrap().duration_since(start);
    assert!(
        took >= Duration::from_secs_f64(15.0),
        "152 reads past the burst at 10/s take 15 s: {took:?}"
    );
    assert_eq!(
        fake.leaked_header.load(Ordering::SeqCst),
        0,
        "pipedeck's own header never leaves"
    );
    let f = cloud.footprint().expect("metered");
    // GetJobs, GetTriggers and the 300 reads.
    assert_eq!(f.services["glue"].calls, 302);
    assert_eq!(f.services["glue"].throttled, 0);
    assert_eq!(b.footprint().services["glue"].calls, 302, "the same budget");
}

#[tokio::test(start_paused = true)]
async fn a_throttle_is_counted_halves_the_rate_and_it_recovers() {
    let region = "eu-budget-2";
    let b = budget::shared(&format!("|{region}|"), &BTreeMap::new());
    let fake = FakeGlue {
        jobs: 1,
        throttle: Arc::new(AtomicUsize::new(1)),
        ..Default::default()
    };
    let cloud = cloud_on(&fake, region);
    let err = cloud.glue_jobs().await.unwrap_err();
    assert!(matches!(err, CloudError::Throttled { .. }), "{err:?}");
    let f = cloud.footprint().unwrap();
    assert_eq!(f.services["glue"].throttled, 1, "counted where it arrived");
    assert_eq!(
        f.services["glue"].calls, 3,
        "GetJobs, GetTriggers, GetJobRuns"
    );
    // Glue's 20/s halves…
    assert!((b.rate_now("glue:GetJobRuns") - 10.0).abs() < 0.01);
    // …and climbs back by 5 % of the base a second.
    tokio::time::advance(Duration::from_secs(5)).await;
    assert!((b.rate_now("glue:GetJobRuns") - 15.0).abs() < 0.01);
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(b.rate_now("glue:GetJobRuns"), 20.0);
    // The next read goes through.
    assert_eq!(cloud.glue_jobs().await.unwrap().len(), 1);
}

/// The production path: a config loaded by pipedeck's own loader carries
/// no HTTP client, yet every request still goes through the budget's paced
/// client — seen at a real local endpoint, which never receives the header
/// pipedeck's interceptor adds for its connector (only that connector
/// strips it) and whose calls the footprint counts.
#[tokio::test]
async fn loaded_configs_are_paced_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    // One request per read is enough for these small calls.
                    let Ok(n) = sock.read(&mut chunk).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() < end + 4 + len {
                        continue;
                    }
                    buf.drain(..end + 4 + len);
                    let target = head
                        .lines()
                        .find_map(|l| l.strip_prefix("x-amz-target:"))
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    let body = if target == "awsglue.getjobs" {
                        r#"{"Jobs":[{"Name":"etl"}]}"#
                    } else if target == "awsglue.gettriggers" {
                        r#"{"Triggers":[]}"#
                    } else {
                        r#"{"JobRuns":[]}"#
                    };
                    seen.lock().unwrap().push(head);
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let opts = pipedeck::cloud::aws::AwsOptions {
        region: Some("eu-budget-3".into()),
        endpoint_url: Some(url),
        ..Default::default()
    };
    let conf = pipedeck::cloud::aws::config_loader(&opts)
        .credentials_provider(Credentials::new(
            "AKIDTEST",
            "not-a-secret",
            None,
            None,
            "test",
        ))
        .load()
        .await;
    assert!(conf.http_client().is_none(), "as in production");
    let cloud = AwsCloud::from_sdk_config(&conf);
    let jobs = cloud.glue_jobs().await.unwrap();
    assert_eq!(jobs.len(), 1);
    let heads = heads.lock().unwrap().clone();
    assert_eq!(heads.len(), 3, "GetJobs, GetTriggers and one GetJobRuns");
    assert!(
        heads.iter().all(|h| !h.contains("x-pipedeck-operation")),
        "the connector strips its header: {heads:?}"
    );
    assert_eq!(cloud.footprint().unwrap().services["glue"].calls, 3);
}
