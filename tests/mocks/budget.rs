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
        &format!("{region}|"),
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
        "151 reads past the burst at 10/s take 15 s: {took:?}"
    );
    assert_eq!(
        fake.leaked_header.load(Ordering::SeqCst),
        0,
        "pipedeck's own header never leaves"
    );
    let f = cloud.footprint().expect("metered");
    assert_eq!(f.services["glue"].calls, 301);
    assert_eq!(f.services["glue"].throttled, 0);
    assert_eq!(b.footprint().services["glue"].calls, 301, "the same budget");
}

#[tokio::test(start_paused = true)]
async fn a_throttle_is_counted_halves_the_rate_and_it_recovers() {
    let region = "eu-budget-2";
    let b = budget::shared(&format!("{region}|"), &BTreeMap::new());
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
    assert_eq!(f.services["glue"].calls, 2);
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
