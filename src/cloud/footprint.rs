//! pipedeck's own use of AWS since it started — calls per service,
//! throttled answers, bytes received, and what is billed per request — so a
//! team knows what leaving it open all night costs.

use std::collections::BTreeMap;

/// Published us-east-1 prices in USD (other Regions differ a little):
/// SQS requests, CloudWatch GetMetricData metrics, Logs Insights scans.
pub const SQS_PER_MILLION_REQUESTS: f64 = 0.40;
pub const GET_METRIC_DATA_PER_1000_METRICS: f64 = 0.01;
pub const LOGS_INSIGHTS_PER_GB_SCANNED: f64 = 0.005;
pub const ATHENA_PER_TB_SCANNED: f64 = 5.0;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ServiceUse {
    /// Every attempt sent, retries included.
    pub calls: u64,
    /// Attempts the service answered with a throttling error.
    pub throttled: u64,
    pub bytes_in: u64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footprint {
    /// Since pipedeck started.
    pub seconds: f64,
    /// By service ("glue", "sqs", "cloudwatch", "logs", "emr", "sts").
    pub services: BTreeMap<String, ServiceUse>,
    /// CloudWatch bills GetMetricData per metric asked for, not per call.
    pub metrics_requested: u64,
    /// Logs Insights bills the bytes its queries scanned.
    pub logs_bytes_scanned: f64,
    /// So does Athena (its queries' DataScannedInBytes, once final).
    pub athena_bytes_scanned: f64,
}

impl Footprint {
    pub fn calls(&self) -> u64 {
        self.services.values().map(|s| s.calls).sum()
    }

    pub fn throttled(&self) -> u64 {
        self.services.values().map(|s| s.throttled).sum()
    }

    /// Calls a minute to `service`, averaged since start.
    pub fn per_minute(&self, service: &str) -> f64 {
        let calls = self.services.get(service).map_or(0, |s| s.calls);
        calls as f64 / (self.seconds / 60.0).max(1.0 / 60.0)
    }

    /// What the billed-per-request part has cost so far (Glue, EMR, STS and
    /// alarm reads are free to call).
    pub fn cost_usd(&self) -> f64 {
        let sqs = self.services.get("sqs").map_or(0, |s| s.calls) as f64;
        sqs / 1e6 * SQS_PER_MILLION_REQUESTS
            + self.metrics_requested as f64 / 1000.0 * GET_METRIC_DATA_PER_1000_METRICS
            + self.logs_bytes_scanned / 1e9 * LOGS_INSIGHTS_PER_GB_SCANNED
            + self.athena_bytes_scanned / 1e12 * ATHENA_PER_TB_SCANNED
    }

    /// The same cost, as a rate: what an hour at this pace costs.
    pub fn cost_per_hour_usd(&self) -> f64 {
        self.cost_usd() / (self.seconds / 3600.0).max(1.0 / 3600.0)
    }

    /// One line: "glue 12/min · sqs 30/min · 0 throttled · ≈ $0.004/h".
    pub fn summary(&self) -> String {
        if self.calls() == 0 {
            return "no AWS calls yet".into();
        }
        // Under a minute a rate says little: the counts, and the cost so far.
        let early = self.seconds < 60.0;
        let mut parts: Vec<String> = self
            .services
            .iter()
            .filter(|(_, u)| u.calls > 0)
            .map(|(name, u)| match early {
                true => format!("{name} {} call(s)", u.calls),
                false => format!("{name} {:.0}/min", self.per_minute(name)),
            })
            .collect();
        parts.push(format!("{} throttled", self.throttled()));
        parts.push(match early {
            true => format!("≈ ${:.4} so far", self.cost_usd()),
            false => format!("≈ ${:.4}/h", self.cost_per_hour_usd()),
        });
        parts.join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_a_minute_counts_not_rates() {
        let mut f = Footprint {
            seconds: 2.0,
            ..Default::default()
        };
        f.services.insert(
            "sts".into(),
            ServiceUse {
                calls: 1,
                ..Default::default()
            },
        );
        assert_eq!(
            f.summary(),
            "sts 1 call(s) · 0 throttled · ≈ $0.0000 so far"
        );
    }

    #[test]
    fn rates_and_cost_come_from_the_counters() {
        let mut f = Footprint {
            seconds: 600.0,
            metrics_requested: 10_000,
            logs_bytes_scanned: 2e9,
            ..Default::default()
        };
        f.services.insert(
            "sqs".into(),
            ServiceUse {
                calls: 1_000_000,
                throttled: 2,
                bytes_in: 0,
            },
        );
        f.services.insert(
            "glue".into(),
            ServiceUse {
                calls: 300,
                ..Default::default()
            },
        );
        assert_eq!(f.per_minute("glue"), 30.0);
        // $0.40 (SQS) + $0.10 (10,000 metrics) + $0.01 (2 GB scanned).
        assert!((f.cost_usd() - 0.51).abs() < 1e-9, "{}", f.cost_usd());
        assert!((f.cost_per_hour_usd() - 3.06).abs() < 1e-9);
        assert_eq!(
            f.summary(),
            "glue 30/min · sqs 100000/min · 2 throttled · ≈ $3.0600/h"
        );
    }
}
