//! One rate budget per service (and per API where AWS publishes one), for
//! every call pipedeck makes in a Region: pollers, drill-downs and actions
//! take their tokens from the same buckets, so one quota is spread over all
//! of pipedeck's tasks instead of each task pacing itself.
//!
//! The buckets are filled by the HTTP connector ([`meter::PacedClient`]),
//! so every attempt — retries included — waits for a token; the answers are
//! read by an SDK interceptor ([`meter::Meter`]), which counts calls, bytes
//! and throttled answers where they arrive and halves a bucket's rate on a
//! throttle.

mod bucket;
pub mod meter;

use crate::cloud::{Footprint, ServiceUse};
use bucket::Bucket;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use tokio::time::Instant;

/// A rate for one API (`service:Operation`) or one whole service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota {
    pub key: &'static str,
    /// Calls per second.
    pub rate: f64,
    /// Calls that may go at once (a one-shot `snapshot` uses it).
    pub burst: f64,
    /// AWS publishes this quota; otherwise it is pipedeck's own choice.
    pub published: bool,
}

/// The defaults. CloudWatch's are the published per-account, per-Region
/// quotas (DescribeAlarms 9/s, DescribeAlarmHistory 3/s, GetMetricData
/// 50/s). AWS publishes none for the Glue, EMR, SQS, Logs and STS reads
/// pipedeck makes: those are pipedeck's own, modest next to what pipelines
/// themselves call, with a burst that reads a 300-job, 500-DLQ account at
/// once.
/// Every one is overridable under `[budget]` in the config.
pub const DEFAULT_QUOTAS: &[Quota] = &[
    Quota {
        key: "cloudwatch:DescribeAlarms",
        rate: 9.0,
        burst: 9.0,
        published: true,
    },
    Quota {
        key: "cloudwatch:DescribeAlarmHistory",
        rate: 3.0,
        burst: 3.0,
        published: true,
    },
    Quota {
        key: "cloudwatch:GetMetricData",
        rate: 50.0,
        burst: 50.0,
        published: true,
    },
    Quota {
        key: "cloudwatch",
        rate: 10.0,
        burst: 10.0,
        published: false,
    },
    Quota {
        key: "glue",
        rate: 20.0,
        burst: 300.0,
        published: false,
    },
    Quota {
        key: "emr",
        rate: 10.0,
        burst: 50.0,
        published: false,
    },
    // SQS documents no per-API rate for these reads (its quotas are on
    // messages and queues); a 500-DLQ account reads ~1,500 attributes and
    // tasks at start.
    Quota {
        key: "sqs",
        rate: 250.0,
        burst: 1000.0,
        published: false,
    },
    Quota {
        key: "logs",
        rate: 5.0,
        burst: 10.0,
        published: false,
    },
    Quota {
        key: "sts",
        rate: 5.0,
        burst: 5.0,
        published: false,
    },
    // Athena publishes per-account API rates (its service quotas page).
    Quota {
        key: "athena:StartQueryExecution",
        rate: 20.0,
        burst: 80.0,
        published: true,
    },
    Quota {
        key: "athena:StopQueryExecution",
        rate: 20.0,
        burst: 80.0,
        published: true,
    },
    Quota {
        key: "athena:GetQueryExecution",
        rate: 100.0,
        burst: 200.0,
        published: true,
    },
    Quota {
        key: "athena:GetQueryResults",
        rate: 100.0,
        burst: 200.0,
        published: true,
    },
    Quota {
        key: "athena:BatchGetQueryExecution",
        rate: 20.0,
        burst: 40.0,
        published: true,
    },
    Quota {
        key: "athena:ListQueryExecutions",
        rate: 5.0,
        burst: 10.0,
        published: true,
    },
    Quota {
        key: "athena",
        rate: 5.0,
        burst: 10.0,
        published: false,
    },
    // DynamoDB has no call rate: reads cost the table's capacity. This
    // is pipedeck's own pace, so an audit view never competes with the
    // pipelines writing to the same table.
    Quota {
        key: "dynamodb",
        rate: 10.0,
        burst: 20.0,
        published: false,
    },
    // Only result files: S3 allows thousands of GETs a second a prefix.
    Quota {
        key: "s3",
        rate: 50.0,
        burst: 50.0,
        published: false,
    },
];

/// For a service none of the above names.
const FALLBACK: (f64, f64) = (10.0, 10.0);

/// The short name of a service as the SDK's operation metadata spells it
/// ("CloudWatch Logs" → "logs").
pub fn service_key(sdk_service: &str) -> String {
    match sdk_service {
        "CloudWatch Logs" => "logs".into(),
        other => other.to_lowercase().replace(' ', ""),
    }
}

#[derive(Debug, Default)]
struct Usage {
    services: BTreeMap<String, ServiceUse>,
    metrics_requested: u64,
    logs_bytes_scanned: f64,
    athena_bytes_scanned: f64,
}

#[derive(Debug)]
pub struct Budget {
    /// `service:Operation` or `service` → (calls per second, burst).
    rates: HashMap<String, (f64, f64)>,
    buckets: Mutex<HashMap<String, Bucket>>,
    usage: Mutex<Usage>,
    started: std::time::Instant,
}

impl Budget {
    /// The defaults, with the config's overrides (calls per second, by
    /// `service` or `service:Operation`; the burst keeps its ratio).
    pub fn new(overrides: &BTreeMap<String, f64>) -> Self {
        let mut rates: HashMap<String, (f64, f64)> = DEFAULT_QUOTAS
            .iter()
            .map(|q| (q.key.to_string(), (q.rate, q.burst)))
            .collect();
        for (key, rate) in overrides {
            let (old_rate, old_burst) = rates.get(key).copied().unwrap_or(FALLBACK);
            let burst = (old_burst / old_rate * rate).max(1.0);
            rates.insert(key.clone(), (*rate, burst));
        }
        Self {
            rates,
            buckets: Mutex::new(HashMap::new()),
            usage: Mutex::new(Usage::default()),
            started: std::time::Instant::now(),
        }
    }

    /// The bucket an operation draws from: its own when it has a quota,
    /// else its service's.
    fn bucket_of(&self, op: &str) -> (String, (f64, f64)) {
        if let Some(r) = self.rates.get(op) {
            return (op.to_string(), *r);
        }
        let service = op.split(':').next().unwrap_or(op);
        let r = self.rates.get(service).copied().unwrap_or(FALLBACK);
        (service.to_string(), r)
    }

    /// Waits for a token for `op` ("glue:GetJobRuns"), in turn.
    pub async fn acquire(&self, op: &str) {
        let (key, (rate, burst)) = self.bucket_of(op);
        let wait = {
            let now = Instant::now();
            let mut buckets = self.buckets.lock().unwrap();
            buckets
                .entry(key)
                .or_insert_with(|| Bucket::new(rate, burst, now))
                .reserve(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt's answer: counted, and a throttle slows its bucket.
    pub fn record(&self, op: &str, throttled: bool, bytes_in: u64) {
        let service = op.split(':').next().unwrap_or(op).to_string();
        {
            let mut usage = self.usage.lock().unwrap();
            let u = usage.services.entry(service).or_default();
            u.calls += 1;
            u.bytes_in += bytes_in;
            u.throttled += u64::from(throttled);
        }
        if throttled {
            let (key, (rate, burst)) = self.bucket_of(op);
            let now = Instant::now();
            let mut buckets = self.buckets.lock().unwrap();
            buckets
                .entry(key)
                .or_insert_with(|| Bucket::new(rate, burst, now))
                .throttled(now);
        }
    }

    /// GetMetricData is billed per metric asked for.
    pub fn note_metrics(&self, n: usize) {
        self.usage.lock().unwrap().metrics_requested += n as u64;
    }

    /// Logs Insights is billed per byte scanned.
    pub fn note_scanned(&self, bytes: f64) {
        self.usage.lock().unwrap().logs_bytes_scanned += bytes.max(0.0);
    }

    /// Athena is billed per byte its queries scanned.
    pub fn note_athena_scanned(&self, bytes: f64) {
        self.usage.lock().unwrap().athena_bytes_scanned += bytes.max(0.0);
    }

    /// The rate a bucket allows now (lower after throttles).
    pub fn rate_now(&self, op: &str) -> f64 {
        let (key, (rate, _)) = self.bucket_of(op);
        self.buckets
            .lock()
            .unwrap()
            .get_mut(&key)
            .map_or(rate, |b| b.rate_at(Instant::now()))
    }

    pub fn footprint(&self) -> Footprint {
        let usage = self.usage.lock().unwrap();
        Footprint {
            seconds: self.started.elapsed().as_secs_f64(),
            services: usage.services.clone(),
            metrics_requested: usage.metrics_requested,
            logs_bytes_scanned: usage.logs_bytes_scanned,
            athena_bytes_scanned: usage.athena_bytes_scanned,
        }
    }
}

/// One budget per Region (and endpoint) in this process: two clouds on the
/// same account and Region share their quotas.
pub fn shared(scope: &str, overrides: &BTreeMap<String, f64>) -> Arc<Budget> {
    static REGISTRY: Mutex<Option<HashMap<String, Arc<Budget>>>> = Mutex::new(None);
    let mut registry = REGISTRY.lock().unwrap();
    registry
        .get_or_insert_with(HashMap::new)
        .entry(scope.to_string())
        .or_insert_with(|| Arc::new(Budget::new(overrides)))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_with_a_quota_has_its_own_bucket_others_share_the_services() {
        let b = Budget::new(&BTreeMap::new());
        assert_eq!(b.bucket_of("cloudwatch:DescribeAlarms").1, (9.0, 9.0));
        assert_eq!(b.bucket_of("cloudwatch:ListMetrics").0, "cloudwatch");
        assert_eq!(b.bucket_of("glue:GetJobRuns").0, "glue");
        // Athena publishes its API rates; a service nobody names falls back.
        assert_eq!(b.bucket_of("athena:GetQueryExecution").1, (100.0, 200.0));
        assert_eq!(b.bucket_of("athena:ListWorkGroups").0, "athena");
        assert_eq!(b.bucket_of("kinesis:GetRecords").1, FALLBACK);
        // DynamoDB: no call rate of its own, pipedeck's pace.
        assert_eq!(b.bucket_of("dynamodb:Query").1, (10.0, 20.0));
    }

    #[test]
    fn overrides_keep_the_bursts_ratio() {
        let b = Budget::new(&BTreeMap::from([("glue".to_string(), 5.0)]));
        assert_eq!(b.bucket_of("glue:GetJobs").1, (5.0, 75.0));
    }

    #[test]
    fn usage_is_counted_by_service() {
        let b = Budget::new(&BTreeMap::new());
        b.record("glue:GetJobRuns", false, 100);
        b.record("glue:GetJobs", true, 20);
        b.note_metrics(500);
        let f = b.footprint();
        assert_eq!(
            f.services["glue"],
            ServiceUse {
                calls: 2,
                throttled: 1,
                bytes_in: 120
            }
        );
        assert_eq!(f.metrics_requested, 500);
        assert!(
            b.rate_now("glue:GetJobRuns") < 20.0,
            "the throttle slowed it"
        );
    }

    #[test]
    fn service_names_as_the_sdk_spells_them() {
        assert_eq!(service_key("CloudWatch Logs"), "logs");
        assert_eq!(service_key("CloudWatch"), "cloudwatch");
        assert_eq!(service_key("SQS"), "sqs");
    }
}
