//! CloudWatch alarm domain types: metric, metric-math and composite alarms,
//! their history, and a metric series to chart.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AlarmState {
    Alarm,
    InsufficientData,
    Ok,
    Unknown(String),
}

impl AlarmState {
    pub fn from_aws(s: &str) -> Self {
        match s {
            "ALARM" => Self::Alarm,
            "INSUFFICIENT_DATA" => Self::InsufficientData,
            "OK" => Self::Ok,
            other => Self::Unknown(other.to_string()),
        }
    }

    pub fn as_aws(&self) -> &str {
        match self {
            Self::Alarm => "ALARM",
            Self::InsufficientData => "INSUFFICIENT_DATA",
            Self::Ok => "OK",
            Self::Unknown(s) => s,
        }
    }

    /// ALARM first, then INSUFFICIENT_DATA (and anything unknown), then OK.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Alarm => 0,
            Self::InsufficientData | Self::Unknown(_) => 1,
            Self::Ok => 2,
        }
    }
}

/// One query of a metric-math or anomaly-detection alarm (its `Metrics`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricQuery {
    pub id: String,
    pub expression: Option<String>,
    pub metric: Option<MetricRef>,
    pub label: Option<String>,
    pub return_data: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRef {
    pub namespace: String,
    pub name: String,
    pub dimensions: Vec<(String, String)>,
    pub stat: String,
    pub period: i32,
}

impl MetricRef {
    pub fn describe(&self) -> String {
        let dims: Vec<String> = self
            .dimensions
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("{} {} {}", self.namespace, self.name, dims.join(" "))
            .trim_end()
            .to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AlarmKind {
    /// A single metric with a statistic and period.
    Metric(MetricRef),
    /// Metric math or anomaly detection: the alarm's own queries.
    MetricMath {
        queries: Vec<MetricQuery>,
        /// The anomaly band's id for anomaly-detection alarms.
        threshold_metric_id: Option<String>,
    },
    /// A rule over other alarms.
    Composite { rule: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: Option<String>,
    pub description: Option<String>,
    pub kind: AlarmKind,
    pub state: AlarmState,
    pub state_reason: Option<String>,
    /// When it entered its current state (StateTransitionedTimestamp, else
    /// StateUpdatedTimestamp).
    pub state_since: Option<DateTime<Utc>>,
    pub threshold: Option<f64>,
    pub comparison: Option<String>,
    pub evaluation_periods: Option<i32>,
    pub datapoints_to_alarm: Option<i32>,
    pub treat_missing_data: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
}

impl Alarm {
    pub fn is_composite(&self) -> bool {
        matches!(self.kind, AlarmKind::Composite { .. })
    }

    /// "GreaterThanThreshold" → ">", for "> 0" in tables.
    pub fn comparison_symbol(&self) -> Option<&'static str> {
        Some(match self.comparison.as_deref()? {
            "GreaterThanThreshold" => ">",
            "GreaterThanOrEqualToThreshold" => ">=",
            "LessThanThreshold" => "<",
            "LessThanOrEqualToThreshold" => "<=",
            "LessThanLowerOrGreaterThanUpperThreshold" => "outside band",
            "LessThanLowerThreshold" => "below band",
            "GreaterThanUpperThreshold" => "above band",
            _ => "?",
        })
    }

    /// Whether a value breaches the threshold (static thresholds only).
    pub fn breaches(&self, v: f64) -> bool {
        let Some(t) = self.threshold else {
            return false;
        };
        match self.comparison.as_deref() {
            Some("GreaterThanThreshold") => v > t,
            Some("GreaterThanOrEqualToThreshold") => v >= t,
            Some("LessThanThreshold") => v < t,
            Some("LessThanOrEqualToThreshold") => v <= t,
            _ => false,
        }
    }

    /// What it watches, in one line: metric, "metric math: expr", or the rule.
    pub fn watches(&self) -> String {
        match &self.kind {
            AlarmKind::Metric(m) => m.describe(),
            AlarmKind::MetricMath { queries, .. } => {
                let expr = queries
                    .iter()
                    .find(|q| q.return_data && q.expression.is_some())
                    .or_else(|| queries.iter().find(|q| q.expression.is_some()))
                    .and_then(|q| q.expression.clone())
                    .unwrap_or_default();
                format!("metric math: {expr}")
            }
            AlarmKind::Composite { rule } => rule.clone(),
        }
    }

    /// The order an on-call reads alarms in (pane and snapshot alike):
    /// ALARM, then INSUFFICIENT_DATA, then OK; longest in its state first
    /// (the oldest fire is usually the cause), an unknown start after the
    /// known ones; then by name.
    pub fn most_urgent_first(a: &Alarm, b: &Alarm) -> std::cmp::Ordering {
        a.state
            .rank()
            .cmp(&b.state.rank())
            .then_with(|| a.state_since.is_none().cmp(&b.state_since.is_none()))
            .then_with(|| a.state_since.cmp(&b.state_since))
            .then_with(|| a.name.cmp(&b.name))
    }

    /// The alarms a composite rule names, in order, without repeats.
    pub fn children(&self) -> Vec<String> {
        match &self.kind {
            AlarmKind::Composite { rule } => rule_children(rule),
            _ => vec![],
        }
    }
}

/// Names inside `ALARM(...)`, `OK(...)` and `INSUFFICIENT_DATA(...)`
/// (quoted or not; an ARN is reduced to its name).
pub fn rule_children(rule: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for func in ["ALARM(", "OK(", "INSUFFICIENT_DATA("] {
        let mut rest = rule;
        while let Some(i) = rest.find(func) {
            // Not the tail of a longer word (e.g. "XOK(").
            let before = rest[..i].chars().last();
            rest = &rest[i + func.len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let Some(end) = rest.find(')') else { break };
            let inner = rest[..end].trim().trim_matches('"').trim();
            let name = inner.rsplit(":alarm:").next().unwrap_or(inner).to_string();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmHistoryItem {
    pub at: Option<DateTime<Utc>>,
    pub old_state: Option<String>,
    pub new_state: Option<String>,
    pub reason: String,
}

/// The chart's time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub enum ChartWindow {
    #[default]
    Hour1,
    Hours3,
    Hours12,
    Hours24,
    Days7,
}

impl ChartWindow {
    pub fn next(self) -> Self {
        match self {
            Self::Hour1 => Self::Hours3,
            Self::Hours3 => Self::Hours12,
            Self::Hours12 => Self::Hours24,
            Self::Hours24 => Self::Days7,
            Self::Days7 => Self::Hour1,
        }
    }

    pub fn duration(self) -> Duration {
        match self {
            Self::Hour1 => Duration::hours(1),
            Self::Hours3 => Duration::hours(3),
            Self::Hours12 => Duration::hours(12),
            Self::Hours24 => Duration::hours(24),
            Self::Days7 => Duration::days(7),
        }
    }

    /// A period giving at most ~300 points (GetMetricData's cheap range).
    pub fn period_secs(self) -> i32 {
        match self {
            Self::Hour1 | Self::Hours3 => 60,
            Self::Hours12 | Self::Hours24 => 300,
            Self::Days7 => 3600,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Hour1 => "1h",
            Self::Hours3 => "3h",
            Self::Hours12 => "12h",
            Self::Hours24 => "24h",
            Self::Days7 => "7d",
        }
    }
}

/// A metric's points over a window, oldest first, for the chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MetricSeries {
    pub label: String,
    pub points: Vec<(DateTime<Utc>, f64)>,
    /// The anomaly band (lower, upper) per point, when the alarm has one.
    pub band: Vec<(DateTime<Utc>, f64, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composite_rules_name_their_children() {
        let rule = r#"ALARM("PipelineFailure-silver") OR (ALARM(DQScoreLow-silver) AND NOT OK("arn:aws:cloudwatch:eu-west-1:1:alarm:dlq-depth")) OR ALARM("PipelineFailure-silver")"#;
        assert_eq!(
            rule_children(rule),
            ["PipelineFailure-silver", "DQScoreLow-silver", "dlq-depth"]
        );
        assert!(rule_children("TRUE").is_empty());
    }

    #[test]
    fn states_sort_alarm_first() {
        let mut v = [
            AlarmState::Ok,
            AlarmState::Alarm,
            AlarmState::InsufficientData,
        ];
        v.sort_by_key(AlarmState::rank);
        assert_eq!(v[0], AlarmState::Alarm);
        assert_eq!(v[2], AlarmState::Ok);
    }
}
