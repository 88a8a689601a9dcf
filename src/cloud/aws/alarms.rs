//! CloudWatch alarms through the SDK (RPC v2 CBOR): DescribeAlarms (both
//! alarm types, every page), DescribeAlarmHistory (state changes, newest
//! first), GetMetricData for the chart, Enable/DisableAlarmActions.

use super::errors::map_sdk_error;
use super::glue::to_chrono;
use crate::cloud::alarms::{
    Alarm, AlarmHistoryItem, AlarmKind, AlarmState, ChartWindow, MetricQuery, MetricRef,
    MetricSeries,
};
use crate::cloud::{CloudError, CloudResult};
use aws_sdk_cloudwatch::types::{
    AlarmType, CompositeAlarm, Dimension, HistoryItemType, Metric, MetricAlarm, MetricDataQuery,
    MetricStat, ScanBy,
};
use aws_sdk_cloudwatch::Client;
use chrono::{DateTime, Utc};

/// DescribeAlarms page size (the API's maximum).
pub const ALARMS_PAGE: i32 = 100;
const HISTORY_MAX: i32 = 50;

pub async fn alarms(client: &Client) -> CloudResult<Vec<Alarm>> {
    // Without AlarmTypes AWS returns metric alarms only.
    let pages: Vec<_> = client
        .describe_alarms()
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .max_records(ALARMS_PAGE)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("cloudwatch:DescribeAlarms", e))?;
    let mut out = Vec::new();
    for p in &pages {
        out.extend(p.metric_alarms().iter().map(metric_alarm));
        out.extend(p.composite_alarms().iter().map(composite_alarm));
    }
    Ok(out)
}

async fn one(client: &Client, name: &str) -> CloudResult<Alarm> {
    let out = client
        .describe_alarms()
        .alarm_names(name)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .send()
        .await
        .map_err(|e| map_sdk_error("cloudwatch:DescribeAlarms", e))?;
    out.metric_alarms()
        .iter()
        .map(metric_alarm)
        .chain(out.composite_alarms().iter().map(composite_alarm))
        .find(|a| a.name == name)
        .ok_or_else(|| CloudError::NotFound {
            message: format!("alarm {name} not found"),
        })
}

fn ts(t: Option<&aws_smithy_types::DateTime>) -> Option<DateTime<Utc>> {
    t.and_then(to_chrono)
}

fn dims(d: &[Dimension]) -> Vec<(String, String)> {
    d.iter()
        .map(|d| {
            (
                d.name().unwrap_or_default().to_string(),
                d.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn metric_ref(m: Option<&Metric>, stat: &str, period: i32) -> Option<MetricRef> {
    let m = m?;
    Some(MetricRef {
        namespace: m.namespace().unwrap_or_default().to_string(),
        name: m.metric_name().unwrap_or_default().to_string(),
        dimensions: dims(m.dimensions()),
        stat: stat.to_string(),
        period,
    })
}

fn metric_alarm(a: &MetricAlarm) -> Alarm {
    let kind = if a.metrics().is_empty() {
        let stat = a
            .statistic()
            .map(|s| s.as_str().to_string())
            .or_else(|| a.extended_statistic().map(str::to_string))
            .unwrap_or_else(|| "Average".into());
        AlarmKind::Metric(MetricRef {
            namespace: a.namespace().unwrap_or_default().to_string(),
            name: a.metric_name().unwrap_or_default().to_string(),
            dimensions: dims(a.dimensions()),
            stat,
            period: a.period().unwrap_or(60),
        })
    } else {
        AlarmKind::MetricMath {
            queries: a
                .metrics()
                .iter()
                .map(|q| MetricQuery {
                    id: q.id().unwrap_or_default().to_string(),
                    expression: q.expression().map(str::to_string),
                    metric: q.metric_stat().and_then(|s| {
                        metric_ref(
                            s.metric(),
                            s.stat().unwrap_or("Average"),
                            s.period().unwrap_or(60),
                        )
                    }),
                    label: q.label().map(str::to_string),
                    return_data: q.return_data().unwrap_or(true),
                })
                .collect(),
            threshold_metric_id: a.threshold_metric_id().map(str::to_string),
        }
    };
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().map(str::to_string),
        description: a.alarm_description().map(str::to_string),
        kind,
        state: a
            .state_value()
            .map(|s| AlarmState::from_aws(s.as_str()))
            .unwrap_or_else(|| AlarmState::Unknown("(none)".into())),
        state_reason: a.state_reason().map(str::to_string),
        state_since: ts(a.state_transitioned_timestamp()).or(ts(a.state_updated_timestamp())),
        threshold: a.threshold(),
        comparison: a.comparison_operator().map(|c| c.as_str().to_string()),
        evaluation_periods: a.evaluation_periods(),
        datapoints_to_alarm: a.datapoints_to_alarm(),
        treat_missing_data: a.treat_missing_data().map(str::to_string),
        actions_enabled: a.actions_enabled().unwrap_or(true),
        alarm_actions: a.alarm_actions().to_vec(),
    }
}

fn composite_alarm(a: &CompositeAlarm) -> Alarm {
    Alarm {
        name: a.alarm_name().unwrap_or_default().to_string(),
        arn: a.alarm_arn().map(str::to_string),
        description: a.alarm_description().map(str::to_string),
        kind: AlarmKind::Composite {
            rule: a.alarm_rule().unwrap_or_default().to_string(),
        },
        state: a
            .state_value()
            .map(|s| AlarmState::from_aws(s.as_str()))
            .unwrap_or_else(|| AlarmState::Unknown("(none)".into())),
        state_reason: a.state_reason().map(str::to_string),
        state_since: ts(a.state_transitioned_timestamp()).or(ts(a.state_updated_timestamp())),
        threshold: None,
        comparison: None,
        evaluation_periods: None,
        datapoints_to_alarm: None,
        treat_missing_data: None,
        actions_enabled: a.actions_enabled().unwrap_or(true),
        alarm_actions: a.alarm_actions().to_vec(),
    }
}

/// State changes, newest first (asked for, and sorted again: not every
/// endpoint honours ScanBy).
pub async fn history(client: &Client, name: &str) -> CloudResult<Vec<AlarmHistoryItem>> {
    let out = client
        .describe_alarm_history()
        .alarm_name(name)
        .alarm_types(AlarmType::MetricAlarm)
        .alarm_types(AlarmType::CompositeAlarm)
        .history_item_type(HistoryItemType::StateUpdate)
        .scan_by(ScanBy::TimestampDescending)
        .max_records(HISTORY_MAX)
        .send()
        .await
        .map_err(|e| map_sdk_error("cloudwatch:DescribeAlarmHistory", e))?;
    let mut items: Vec<AlarmHistoryItem> = out
        .alarm_history_items()
        .iter()
        .filter(|i| {
            i.history_item_type()
                .is_none_or(|t| *t == HistoryItemType::StateUpdate)
        })
        .map(|i| {
            let data: serde_json::Value = i
                .history_data()
                .and_then(|d| serde_json::from_str(d).ok())
                .unwrap_or_default();
            let state = |k: &str| data[k]["stateValue"].as_str().map(str::to_string);
            AlarmHistoryItem {
                at: ts(i.timestamp()),
                old_state: state("oldState"),
                new_state: state("newState"),
                reason: data["newState"]["stateReason"]
                    .as_str()
                    .or(i.history_summary())
                    .unwrap_or_default()
                    .to_string(),
            }
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse(i.at));
    Ok(items)
}

fn sdk_metric(m: &MetricRef, period: i32) -> MetricStat {
    MetricStat::builder()
        .metric(
            Metric::builder()
                .namespace(&m.namespace)
                .metric_name(&m.name)
                .set_dimensions(Some(
                    m.dimensions
                        .iter()
                        .map(|(k, v)| Dimension::builder().name(k).value(v).build())
                        .collect(),
                ))
                .build(),
        )
        .period(period.max(m.period))
        .stat(&m.stat)
        .build()
}

/// The queries that chart an alarm: its metric, or its own `Metrics`
/// (metric math and anomaly bands evaluate server-side exactly as the
/// alarm does).
fn chart_queries(alarm: &Alarm, period: i32) -> Vec<MetricDataQuery> {
    match &alarm.kind {
        AlarmKind::Metric(m) => vec![MetricDataQuery::builder()
            .id("m")
            .metric_stat(sdk_metric(m, period))
            .return_data(true)
            .build()],
        AlarmKind::MetricMath { queries, .. } => queries
            .iter()
            .map(|q| {
                MetricDataQuery::builder()
                    .id(&q.id)
                    .set_expression(q.expression.clone())
                    .set_metric_stat(q.metric.as_ref().map(|m| sdk_metric(m, m.period)))
                    .set_label(q.label.clone())
                    .return_data(q.return_data)
                    .build()
            })
            .collect(),
        AlarmKind::Composite { .. } => vec![],
    }
}

/// The alarm's chart, and how many metrics were asked for (GetMetricData
/// is billed by them).
pub async fn chart(
    client: &Client,
    name: &str,
    window: ChartWindow,
) -> CloudResult<(MetricSeries, usize)> {
    let alarm = one(client, name).await?;
    let queries = chart_queries(&alarm, window.period_secs());
    if queries.is_empty() {
        return Ok((MetricSeries::default(), 0));
    }
    let asked = queries.len();
    let end = Utc::now();
    let start = end - window.duration();
    let pages: Vec<_> = client
        .get_metric_data()
        .set_metric_data_queries(Some(queries))
        .start_time(aws_smithy_types::DateTime::from_secs(start.timestamp()))
        .end_time(aws_smithy_types::DateTime::from_secs(end.timestamp()))
        .scan_by(ScanBy::TimestampAscending)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| map_sdk_error("cloudwatch:GetMetricData", e))?;
    let band_id = match &alarm.kind {
        AlarmKind::MetricMath {
            threshold_metric_id,
            ..
        } => threshold_metric_id.clone(),
        _ => None,
    };
    let mut series = MetricSeries::default();
    for r in pages.iter().flat_map(|p| p.metric_data_results()) {
        let points = r
            .timestamps()
            .iter()
            .filter_map(to_chrono)
            .zip(r.values().iter().copied());
        if band_id.as_deref() == r.id() {
            // An anomaly band comes back as two series with the same id
            // (upper labelled "High"/"Upper", lower otherwise) or one; keep
            // (lower, upper) per point.
            for (t, v) in points {
                match series.band.iter_mut().find(|(bt, ..)| *bt == t) {
                    Some(b) => {
                        b.1 = b.1.min(v);
                        b.2 = b.2.max(v);
                    }
                    None => series.band.push((t, v, v)),
                }
            }
        } else if series.points.is_empty() {
            series.label = r.label().or(r.id()).unwrap_or_default().to_string();
            series.points.extend(points);
        }
    }
    series.points.sort_by_key(|(t, _)| *t);
    series.band.sort_by_key(|(t, ..)| *t);
    Ok((series, asked))
}

pub async fn set_actions(client: &Client, names: &[String], enable: bool) -> CloudResult<()> {
    if enable {
        client
            .enable_alarm_actions()
            .set_alarm_names(Some(names.to_vec()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_sdk_error("cloudwatch:EnableAlarmActions", e))
    } else {
        client
            .disable_alarm_actions()
            .set_alarm_names(Some(names.to_vec()))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| map_sdk_error("cloudwatch:DisableAlarmActions", e))
    }
}
