//! The demo account's alarms, tied to its incident: the failing Glue job
//! and the filling DLQ are in ALARM, so is the composite over them; the
//! long-running job's duration alarm is OK with its actions disabled; an
//! anomaly-detection alarm has too little data.

use super::scenario::Story;
use super::{DEMO_ACCOUNT, DEMO_REGION};
use crate::cloud::alarms::{
    Alarm, AlarmHistoryItem, AlarmKind, AlarmState, ChartWindow, MetricQuery, MetricRef,
    MetricSeries,
};
use chrono::{DateTime, Duration, Utc};

struct Def {
    name: &'static str,
    state: AlarmState,
    /// Minutes after the incident began that it entered its state (negative:
    /// before).
    since_min: i64,
    reason: &'static str,
}

const TOPIC: &str = "prod-pipeline-alerts";

/// The alarm on the depth of [`DLQ_WATCHED`].
pub const DLQ_ALARM: &str = "pipeline-events-DLQ-not-empty";
/// The queue the DLQ alarm watches.
pub const DLQ_WATCHED: &str = "pipeline-events-dlq";
/// The DLQ alarm's period: one datapoint of an empty queue turns it OK.
const DLQ_PERIOD_S: i64 = 60;

/// The watched DLQ as it is now: the alarm follows the queue, so a redrive
/// that empties it turns the alarm OK a period later.
#[derive(Debug, Clone, Copy, Default)]
pub struct DlqDepth {
    /// When the queue last became empty; `None` while it holds messages.
    pub emptied: Option<DateTime<Utc>>,
}

impl DlqDepth {
    /// When the alarm evaluated the first empty datapoint, if it has by now.
    fn ok_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.emptied
            .map(|e| e + Duration::seconds(DLQ_PERIOD_S))
            .filter(|t| *t <= now)
    }
}

fn metric(ns: &str, name: &str, dims: &[(&str, &str)], stat: &str, period: i32) -> MetricRef {
    MetricRef {
        namespace: ns.into(),
        name: name.into(),
        dimensions: dims
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        stat: stat.into(),
        period,
    }
}

fn base(d: &Def, story: Story, kind: AlarmKind) -> Alarm {
    Alarm {
        name: d.name.into(),
        arn: Some(format!(
            "arn:aws:cloudwatch:{DEMO_REGION}:{DEMO_ACCOUNT}:alarm:{}",
            d.name
        )),
        description: None,
        kind,
        state: d.state.clone(),
        state_reason: Some(d.reason.into()),
        state_since: Some(story.incident + Duration::minutes(d.since_min)),
        threshold: None,
        comparison: None,
        evaluation_periods: Some(1),
        datapoints_to_alarm: Some(1),
        treat_missing_data: Some("notBreaching".into()),
        actions_enabled: true,
        alarm_actions: vec![format!("arn:aws:sns:{DEMO_REGION}:{DEMO_ACCOUNT}:{TOPIC}")],
    }
}

fn with_threshold(mut a: Alarm, t: f64, cmp: &str) -> Alarm {
    a.threshold = Some(t);
    a.comparison = Some(cmp.into());
    a
}

pub fn all(story: Story, dlq_depth: DlqDepth, now: DateTime<Utc>) -> Vec<Alarm> {
    let mut alarms = seeded(story);
    if let Some(since) = dlq_depth.ok_since(now) {
        if let Some(a) = alarms.iter_mut().find(|a| a.name == DLQ_ALARM) {
            a.state = AlarmState::Ok;
            a.state_since = Some(since);
            a.state_reason = Some(
                "Threshold Crossed: 1 out of the last 1 datapoints [0.0] was not greater than the threshold (0.0) (minimum 1 datapoint for ALARM -> OK transition).".into(),
            );
        }
    }
    alarms
}

/// The alarms as the incident left them.
fn seeded(story: Story) -> Vec<Alarm> {
    let d = |name, state, since_min, reason| Def {
        name,
        state,
        since_min,
        reason,
    };
    let failure = d(
        "PipelineFailure-raw-to-silver-transform",
        AlarmState::Alarm,
        2,
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    let dlq = d(
        DLQ_ALARM,
        AlarmState::Alarm,
        1,
        "Threshold Crossed: 1 out of the last 1 datapoints [3.0] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    let dq = d(
        "DQScoreLow-silver-orders-etl",
        AlarmState::Alarm,
        15,
        "Threshold Crossed: 1 out of the last 1 datapoints [0.91] was less than the threshold (0.95) (minimum 1 datapoint for OK -> ALARM transition).",
    );
    let critical = d(
        "CriticalPipelineAlert-silver-orders",
        AlarmState::Alarm,
        2,
        "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:PipelineFailure-raw-to-silver-transform transitioned to ALARM",
    );
    let duration = d(
        "GlueJobDurationBreached-orders-bronze-to-silver",
        AlarmState::Ok,
        -600,
        "Threshold Crossed: 1 out of the last 1 datapoints [2340000.0] was not greater than the threshold (5400000.0).",
    );
    let anomaly = d(
        "orders-rows-anomaly",
        AlarmState::InsufficientData,
        -1440,
        "Insufficient Data: 1 datapoint was unknown.",
    );
    let sla = d(
        "SLAMiss-silver-orders-etl-daily",
        AlarmState::Ok,
        -300,
        "Threshold Crossed: 1 out of the last 1 datapoints [1.0] was not less than the threshold (1.0).",
    );
    let mut duration_alarm = with_threshold(
        base(
            &duration,
            story,
            AlarmKind::Metric(metric(
                "Glue",
                "glue.driver.aggregate.elapsedTime",
                &[("JobName", "orders-bronze-to-silver")],
                "Maximum",
                300,
            )),
        ),
        5_400_000.0,
        "GreaterThanThreshold",
    );
    // Silenced for a backfill week: the console should make that visible.
    duration_alarm.actions_enabled = false;
    let mut sla_alarm = with_threshold(
        base(
            &sla,
            story,
            AlarmKind::Metric(metric(
                "DataPlatform/Pipelines",
                "PipelineSuccess",
                &[
                    ("PipelineName", "silver-orders-etl"),
                    ("Environment", "prod"),
                ],
                "Sum",
                3600,
            )),
        ),
        1.0,
        "LessThanThreshold",
    );
    sla_alarm.treat_missing_data = Some("breaching".into());
    let mut anomaly_alarm = base(
        &anomaly,
        story,
        AlarmKind::MetricMath {
            queries: vec![
                MetricQuery {
                    id: "m1".into(),
                    expression: None,
                    metric: Some(metric(
                        "DataPlatform/Pipelines",
                        "RowsWritten",
                        &[("PipelineName", "orders-bronze-to-silver")],
                        "Sum",
                        3600,
                    )),
                    label: Some("RowsWritten".into()),
                    return_data: true,
                },
                MetricQuery {
                    id: "ad1".into(),
                    expression: Some("ANOMALY_DETECTION_BAND(m1, 2)".into()),
                    metric: None,
                    label: Some("expected".into()),
                    return_data: true,
                },
            ],
            threshold_metric_id: Some("ad1".into()),
        },
    );
    anomaly_alarm.comparison = Some("LessThanLowerOrGreaterThanUpperThreshold".into());
    anomaly_alarm.treat_missing_data = Some("breaching".into());
    vec![
        with_threshold(
            base(
                &failure,
                story,
                AlarmKind::Metric(metric(
                    "DataPlatform/Pipelines",
                    "PipelineFailure",
                    &[("PipelineName", "raw-to-silver-transform"), ("Environment", "prod")],
                    "Sum",
                    300,
                )),
            ),
            1.0,
            "GreaterThanOrEqualToThreshold",
        ),
        with_threshold(
            base(
                &dlq,
                story,
                AlarmKind::Metric(metric(
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    &[("QueueName", "pipeline-events-dlq")],
                    "Sum",
                    60,
                )),
            ),
            0.0,
            "GreaterThanThreshold",
        ),
        with_threshold(
            base(
                &dq,
                story,
                AlarmKind::Metric(metric(
                    "DataPlatform/Pipelines",
                    "DQScore",
                    &[("PipelineName", "silver-orders-etl")],
                    "Minimum",
                    300,
                )),
            ),
            0.95,
            "LessThanThreshold",
        ),
        base(
            &critical,
            story,
            AlarmKind::Composite {
                rule: r#"ALARM("PipelineFailure-raw-to-silver-transform") OR ALARM("DQScoreLow-silver-orders-etl")"#.into(),
            },
        ),
        duration_alarm,
        anomaly_alarm,
        sla_alarm,
    ]
}

/// OK → current state at `state_since`, and an earlier flap the day before;
/// a DLQ alarm that went OK after its redrive: ALARM → OK, and the incident
/// that raised it.
pub fn history(alarm: &Alarm, story: Story) -> Vec<AlarmHistoryItem> {
    let Some(since) = alarm.state_since else {
        return vec![];
    };
    if alarm.name == DLQ_ALARM && alarm.state == AlarmState::Ok {
        let raised = seeded(story).into_iter().find(|a| a.name == DLQ_ALARM);
        let raised = raised.as_ref();
        return vec![
            AlarmHistoryItem {
                at: Some(since),
                old_state: Some("ALARM".into()),
                new_state: Some("OK".into()),
                reason: alarm.state_reason.clone().unwrap_or_default(),
            },
            AlarmHistoryItem {
                at: raised.and_then(|a| a.state_since),
                old_state: Some("OK".into()),
                new_state: Some("ALARM".into()),
                reason: raised
                    .and_then(|a| a.state_reason.clone())
                    .unwrap_or_default(),
            },
        ];
    }
    let now_state = alarm.state.as_aws().to_string();
    let before = if alarm.state == AlarmState::Ok {
        "ALARM"
    } else {
        "OK"
    };
    vec![
        AlarmHistoryItem {
            at: Some(since),
            old_state: Some(before.into()),
            new_state: Some(now_state.clone()),
            reason: alarm.state_reason.clone().unwrap_or_default(),
        },
        AlarmHistoryItem {
            at: Some(since - Duration::hours(22)),
            old_state: Some(now_state),
            new_state: Some(before.into()),
            reason: "Threshold Crossed: 1 out of the last 1 datapoints was on the other side of the threshold.".into(),
        },
    ]
}

/// A value for the alarm's metric at `t`, shaped by the incident.
fn value(alarm: &Alarm, t: DateTime<Utc>, story: Story, dlq_depth: DlqDepth) -> Option<f64> {
    let after = t >= story.incident;
    let mins = (t - story.incident).num_minutes();
    let wobble = ((t.timestamp() / 60) % 7) as f64;
    Some(match alarm.name.as_str() {
        n if n.starts_with("PipelineFailure") => f64::from(u8::from(after)),
        DLQ_ALARM if dlq_depth.emptied.is_some_and(|e| t >= e) => 0.0,
        DLQ_ALARM => (mins.max(0) as f64 * 37.0 / 40.0).min(37.0),
        n if n.starts_with("DQScoreLow") => {
            if mins >= 15 {
                0.91
            } else {
                0.985 - wobble * 0.002
            }
        }
        n if n.starts_with("GlueJobDuration") => 1_800_000.0 + wobble * 90_000.0,
        n if n.starts_with("SLAMiss") => 1.0,
        n if n.starts_with("orders-rows") => {
            if (t - story.incident).num_hours() > -30 {
                return None; // too little data: why it is INSUFFICIENT_DATA
            }
            1_000_000.0 + wobble * 20_000.0
        }
        _ => 0.0,
    })
}

pub fn chart(
    alarm: &Alarm,
    window: ChartWindow,
    story: Story,
    dlq_depth: DlqDepth,
    now: DateTime<Utc>,
) -> MetricSeries {
    if alarm.is_composite() {
        return MetricSeries::default();
    }
    let period = match &alarm.kind {
        AlarmKind::Metric(m) => window.period_secs().max(m.period),
        _ => window.period_secs().max(3600),
    };
    let start = now - window.duration();
    let mut t = start;
    let mut series = MetricSeries {
        label: alarm.watches(),
        ..MetricSeries::default()
    };
    while t <= now {
        if let Some(v) = value(alarm, t, story, dlq_depth) {
            series.points.push((t, v));
            if matches!(alarm.kind, AlarmKind::MetricMath { .. }) {
                series.band.push((t, v * 0.9, v * 1.1));
            }
        }
        t += Duration::seconds(i64::from(period));
    }
    series
}
