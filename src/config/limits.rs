//! Numbers a config may not set to something meaningless (a poll every 0
//! seconds, a snooze of 0 minutes). Each check is the field's deserializer,
//! so a bad value is reported like a parse error: `file:line:col`, pointing
//! at the value, naming the key.

use serde::de::{Deserialize, Deserializer, Error};
use std::fmt::Display;

fn within<'de, D, T>(d: D, key: &str, min: T, max: Option<T>, unit: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + Display + Copy,
{
    let v = T::deserialize(d)?;
    let ok = v >= min && max.is_none_or(|m| v <= m);
    // NaN compares false both ways: refused too.
    if ok {
        return Ok(v);
    }
    Err(D::Error::custom(match max {
        Some(max) => format!("{key} = {v} is out of range: {min} to {max} {unit}"),
        None => format!("{key} = {v} is too small: at least {min} {unit}"),
    }))
}

macro_rules! limit {
    ($($key:ident: $ty:ty, $min:expr, $max:expr, $unit:expr;)*) => {$(
        pub fn $key<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
            within(d, stringify!($key), $min, $max, $unit)
        }
    )*};
}

const SECS: &str = "second(s) (0 would poll without pause; over a day is no longer polling)";
/// A day: the longest interval or back-off that still means "polling".
const DAY: u64 = 86_400;

limit! {
    glue_secs: u64, 1, Some(DAY), SECS;
    glue_runs_secs: u64, 1, Some(DAY), SECS;
    glue_recent_secs: u64, 1, Some(DAY), SECS;
    glue_idle_secs: u64, 1, Some(DAY), SECS;
    emr_secs: u64, 1, Some(DAY), SECS;
    emr_steps_secs: u64, 1, Some(DAY), SECS;
    identity_secs: u64, 1, Some(DAY), SECS;
    dlq_secs: u64, 1, Some(DAY), SECS;
    dlq_metrics_secs: u64, 1, Some(DAY), SECS;
    alarms_secs: u64, 1, Some(DAY), SECS;
    alarm_detail_secs: u64, 1, Some(DAY), SECS;
    insights_secs: u64, 1, Some(DAY), SECS;
    redrive_secs: u64, 1, Some(DAY), SECS;
    max_backoff_secs: u64, 1, Some(DAY), "second(s)";
    hidden_factor: u32, 1, Some(100), "(1: hidden panes poll as often as shown ones)";
    snooze_minutes: i64, 1, Some(7 * 24 * 60), "minute(s)";
    margin_minutes: i64, 0, Some(24 * 60), "minute(s)";
    peek_max: usize, 1, Some(100), "messages";
    cost_per_gb: f64, 0.0, None, "dollars";
    usd_per_tb: f64, 0.0, None, "dollars";
    reuse_minutes: i32, 0, Some(10_080), "minute(s) (0 turns result reuse off; Athena keeps results seven days)";
    last_runs: usize, 1, Some(100), "runs (one Query page each)";
}

/// `[budget]`: calls per second by `service` or `service:Operation`, each
/// above 0 (0 would never call) and at most 1,000.
pub fn budget<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, f64>, D::Error> {
    let rates = std::collections::BTreeMap::<String, f64>::deserialize(d)?;
    for (key, rate) in &rates {
        let well_formed = !key.is_empty()
            && key
                .split(':')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
            && key.split(':').count() <= 2;
        if !well_formed {
            return Err(D::Error::custom(format!(
                "budget key {key:?}: a service (glue, sqs, cloudwatch, logs, emr, sts) or service:Operation (cloudwatch:GetMetricData)"
            )));
        }
        if !(*rate > 0.0 && *rate <= 1000.0) {
            return Err(D::Error::custom(format!(
                "budget {key} = {rate} is out of range: above 0 and at most 1000 calls per second"
            )));
        }
    }
    Ok(rates)
}
