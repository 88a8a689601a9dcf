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
}
