//! CloudWatch alarms on the real SDK client with `aws-smithy-mocks`,
//! asserting the requests as well as the handling: DescribeAlarms over two
//! pages naming both alarm types, history asked for as StateUpdate and
//! shown newest first, composites with their children, a metric-math alarm
//! charted from its own Metrics, AccessDenied on GetMetricData, throttling.

use crate::common;

use aws_sdk_cloudwatch::operation::describe_alarm_history::DescribeAlarmHistoryOutput;
use aws_sdk_cloudwatch::operation::describe_alarms::{DescribeAlarmsError, DescribeAlarmsOutput};
use aws_sdk_cloudwatch::operation::get_metric_data::{GetMetricDataError, GetMetricDataOutput};
use aws_sdk_cloudwatch::types::{
    AlarmHistoryItem, AlarmType, ComparisonOperator, CompositeAlarm, Dimension, HistoryItemType,
    Metric, MetricAlarm, MetricDataQuery, MetricDataResult, MetricStat, ScanBy, StateValue,
    Statistic,
};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::error::metadata::ErrorMetadata;
use aws_smithy_types::DateTime as SmithyTime;
use common::*;
use pipedeck::app::{update, Msg, Resource};
use pipedeck::cloud::{AlarmState, ChartWindow, CloudError, CloudRead};
use pipedeck::config::PollConfig;
use pipedeck::gate::Journal;
use pipedeck::panes::PaneId;
use pipedeck::runtime::Effects;

fn secs_ago(s: i64) -> SmithyTime {
    SmithyTime::from_secs(chrono::Utc::now().timestamp() - s)
}

fn metric_alarm(name: &str, state: StateValue) -> MetricAlarm {
    MetricAlarm::builder()
        .alarm_name(name)
        .state_value(state)
        .state_reason("Threshold Crossed")
        .state_transitioned_timestamp(secs_ago(600))
        .namespace("DataPlatform/Pipelines")
        .metric_name("PipelineFailure")
        .dimensions(
            Dimension::builder()
                .name("PipelineName")
                .value(name)
                .build(),
        )
        .statistic(Statistic::Sum)
        .period(300)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .treat_missing_data("notBreaching")
        .actions_enabled(true)
        .build()
}

fn math_alarm() -> MetricAlarm {
    MetricAlarm::builder()
        .alarm_name("rows-anomaly")
        .state_value(StateValue::Alarm)
        .comparison_operator(ComparisonOperator::LessThanLowerOrGreaterThanUpperThreshold)
        .threshold_metric_id("ad1")
        .metrics(
            MetricDataQuery::builder()
                .id("m1")
                .return_data(true)
                .metric_stat(
                    MetricStat::builder()
                        .metric(
                            Metric::builder()
                                .namespace("DataPlatform/Pipelines")
                                .metric_name("RowsWritten")
                                .build(),
                        )
                        .period(3600)
                        .stat("Sum")
                        .build(),
                )
                .build(),
        )
        .metrics(
            MetricDataQuery::builder()
                .id("ad1")
                .expression("ANOMALY_DETECTION_BAND(m1, 2)")
                .return_data(true)
                .build(),
        )
        .build()
}

fn both_types(r: &aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsInput) -> bool {
    r.alarm_types().contains(&AlarmType::MetricAlarm)
        && r.alarm_types().contains(&AlarmType::CompositeAlarm)
}

fn two_pages() -> (Rule, Rule) {
    let page1 = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| {
            both_types(r) && r.next_token().is_none() && r.max_records() == Some(100)
        })
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(metric_alarm("load-orders", StateValue::Ok))
                .metric_alarms(math_alarm())
                .next_token("page-2")
                .build()
        });
    let page2 = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| both_types(r) && r.next_token() == Some("page-2"))
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(metric_alarm("load-customers", StateValue::Alarm))
                .composite_alarms(
                    CompositeAlarm::builder()
                        .alarm_name("critical")
                        .alarm_rule(r#"ALARM("load-orders") OR ALARM("load-customers")"#)
                        .state_value(StateValue::Alarm)
                        .actions_enabled(false)
                        .build(),
                )
                .build()
        });
    (page1, page2)
}

#[tokio::test]
async fn describe_alarms_names_both_types_and_follows_next_token() {
    let (page1, page2) = two_pages();
    let cloud = mocks::sqs_cloud(&[], &[&page1, &page2]);
    let alarms = cloud.alarms().await.unwrap();
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
    let names: Vec<&str> = alarms.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        ["load-orders", "rows-anomaly", "load-customers", "critical"]
    );
    let composite = alarms.iter().find(|a| a.name == "critical").unwrap();
    assert!(composite.is_composite());
    assert!(!composite.actions_enabled);
    assert_eq!(composite.children(), ["load-orders", "load-customers"]);
    let math = alarms.iter().find(|a| a.name == "rows-anomaly").unwrap();
    assert_eq!(math.watches(), "metric math: ANOMALY_DETECTION_BAND(m1, 2)");

    // On screen: the composite's children with their own states.
    let mut s = demo_state(false);
    update(
        &mut s,
        loaded(Resource::Alarms, pipedeck::app::Data::Alarms(alarms)),
    );
    goto(&mut s, PaneId::Alarms);
    let order: Vec<&str> = s.panes.alarms.visible().map(|a| a.name.as_str()).collect();
    // ALARM first, the one with a known start first; OK last.
    assert_eq!(
        order,
        ["load-customers", "critical", "rows-anomaly", "load-orders"]
    );
    press(&mut s, &["j", "enter"]);
    assert_eq!(s.panes.alarms.selected().unwrap().name, "critical");
    let screen = text(&render(&s, 120, 30));
    let child = screen
        .lines()
        .find(|l| l.contains("load-customers") && !l.contains("rule"))
        .unwrap();
    assert!(child.contains("ALARM"), "{child}");
    let child = screen
        .lines()
        .find(|l| l.contains("load-orders") && !l.contains("rule"))
        .unwrap();
    assert!(child.contains("OK"), "{child}");
}

#[tokio::test]
async fn history_asks_for_state_updates_and_is_shown_newest_first() {
    let history = mock!(aws_sdk_cloudwatch::Client::describe_alarm_history)
        .match_requests(|r| {
            r.alarm_name() == Some("load-orders")
                && r.history_item_type() == Some(&HistoryItemType::StateUpdate)
                && r.scan_by() == Some(&ScanBy::TimestampDescending)
        })
        .then_output(|| {
            // Oldest first, as LocalStack answers: pipedeck must sort.
            let item = |ago: i64, old: &str, new: &str| {
                AlarmHistoryItem::builder()
                    .alarm_name("load-orders")
                    .timestamp(secs_ago(ago))
                    .history_item_type(HistoryItemType::StateUpdate)
                    .history_summary(format!("Alarm updated from {old} to {new}"))
                    .history_data(format!(
                        r#"{{"version":"1.0","oldState":{{"stateValue":"{old}"}},"newState":{{"stateValue":"{new}","stateReason":"reason {new} {ago}"}}}}"#
                    ))
                    .build()
            };
            DescribeAlarmHistoryOutput::builder()
                .alarm_history_items(item(3600, "INSUFFICIENT_DATA", "OK"))
                .alarm_history_items(item(600, "OK", "ALARM"))
                .build()
        });
    let cloud = mocks::sqs_cloud(&[], &[&history]);
    let items = cloud.alarm_history("load-orders").await.unwrap();
    assert_eq!(history.num_calls(), 1);
    let changes: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            (
                i.old_state.as_deref().unwrap(),
                i.new_state.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(changes, [("OK", "ALARM"), ("INSUFFICIENT_DATA", "OK")]);
    assert_eq!(items[0].reason, "reason ALARM 600");
}

#[tokio::test]
async fn a_metric_math_alarm_is_charted_from_its_own_metrics() {
    let describe = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| r.alarm_names() == ["rows-anomaly"])
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(math_alarm())
                .build()
        });
    let data = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
        .match_requests(|r| {
            let q = r.metric_data_queries();
            q.len() == 2
                && q[0].id() == Some("m1")
                && q[0]
                    .metric_stat()
                    .and_then(|s| s.metric())
                    .and_then(|m| m.metric_name())
                    == Some("RowsWritten")
                && q[1].id() == Some("ad1")
                && q[1].expression() == Some("ANOMALY_DETECTION_BAND(m1, 2)")
        })
        .then_output(|| {
            let ts = [secs_ago(7200), secs_ago(3600)];
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("m1")
                        .label("RowsWritten")
                        .set_timestamps(Some(ts.to_vec()))
                        .set_values(Some(vec![100.0, 500.0]))
                        .build(),
                )
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("ad1")
                        .set_timestamps(Some(ts.to_vec()))
                        .set_values(Some(vec![90.0, 95.0]))
                        .build(),
                )
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("ad1")
                        .set_timestamps(Some(ts.to_vec()))
                        .set_values(Some(vec![120.0, 125.0]))
                        .build(),
                )
                .build()
        });
    let cloud = mocks::sqs_cloud(&[], &[&describe, &data]);
    let series = cloud
        .alarm_chart("rows-anomaly", ChartWindow::Hours3)
        .await
        .unwrap();
    assert_eq!(data.num_calls(), 1, "the alarm's own queries were sent");
    assert_eq!(
        series.points.iter().map(|p| p.1).collect::<Vec<_>>(),
        [100.0, 500.0]
    );
    assert_eq!(
        series.band.iter().map(|b| (b.1, b.2)).collect::<Vec<_>>(),
        [(90.0, 120.0), (95.0, 125.0)]
    );
    assert_eq!(series.label, "RowsWritten");
}

#[tokio::test]
async fn access_denied_on_metric_data_keeps_the_list_and_says_why_the_chart_is_missing() {
    let (page1, page2) = two_pages();
    let describe_one = mock!(aws_sdk_cloudwatch::Client::describe_alarms)
        .match_requests(|r| r.alarm_names() == ["load-customers"])
        .then_output(|| {
            DescribeAlarmsOutput::builder()
                .metric_alarms(metric_alarm("load-customers", StateValue::Alarm))
                .build()
        });
    let denied = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_error(|| {
        GetMetricDataError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("User is not authorized to perform: cloudwatch:GetMetricData")
                .build(),
        )
    });
    let cloud = mocks::sqs_cloud(&[], &[&describe_one, &page1, &page2, &denied]);
    let alarms = cloud.alarms().await.unwrap();
    let err = cloud
        .alarm_chart("load-customers", ChartWindow::Hour1)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CloudError::AccessDenied { op, .. } if op == "cloudwatch:GetMetricData"),
        "{err:?}"
    );

    let mut s = demo_state(false);
    update(
        &mut s,
        loaded(Resource::Alarms, pipedeck::app::Data::Alarms(alarms)),
    );
    goto(&mut s, PaneId::Alarms);
    assert_eq!(s.panes.alarms.selected().unwrap().name, "load-customers");
    press(&mut s, &["enter"]);
    update(
        &mut s,
        Msg::Loaded {
            resource: Resource::AlarmChart {
                name: "load-customers".into(),
                window: ChartWindow::Hour1,
            },
            at: now(),
            result: Err(err),
            next_in: None,
        },
    );
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("No chart:"), "{screen}");
    assert!(screen.contains("cloudwatch:GetMetricData"), "{screen}");
    assert!(
        screen.contains("Threshold Crossed"),
        "the alarm's facts stay: {screen}"
    );
}

// Paused time: tokio jumps over the poller's waits instead of sleeping.
#[tokio::test(start_paused = true)]
async fn throttled_describe_alarms_backs_off_and_keeps_the_data() {
    let throttled = mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_error(|| {
        DescribeAlarmsError::generic(
            ErrorMetadata::builder()
                .code("Throttling")
                .message("Rate exceeded")
                .build(),
        )
    });
    let cloud = mocks::sqs_cloud(&[], &[&throttled]);
    let err = cloud.alarms().await.unwrap_err();
    assert_eq!(
        err,
        CloudError::Throttled {
            op: "cloudwatch:DescribeAlarms".into()
        }
    );
    assert!(throttled.num_calls() >= 3, "the SDK retried");
    // The poller, not the test, decides the waits: it backs off.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let poll = PollConfig {
        alarms_secs: 15,
        max_backoff_secs: 300,
        ..PollConfig::default()
    };
    let cloud = std::sync::Arc::new(cloud);
    let mut fx = Effects::new(cloud.clone(), Journal::disabled(), poll, tx);
    fx.reconcile(&[(Resource::Alarms, true)]);
    let mut s = demo_state(false);
    goto(&mut s, PaneId::Alarms);
    let mut waits = Vec::new();
    for _ in 0..3 {
        let msg = rx.recv().await.unwrap();
        let Msg::Loaded {
            next_in, result, ..
        } = &msg
        else {
            panic!("{msg:?}")
        };
        assert!(result.as_ref().unwrap_err().is_throttle());
        waits.push(next_in.unwrap().as_secs_f64());
        update(&mut s, msg);
    }
    fx.shutdown();
    // 15 s base doubles per failure: ~30, ~60, ~120 (±10 % jitter).
    for (w, expect) in waits.iter().zip([30.0, 60.0, 120.0]) {
        assert!((w - expect).abs() <= expect * 0.11, "waits {waits:?}");
    }
    assert_eq!(s.panes.alarms.alarms().len(), 7, "the last data stays");
    assert!(s
        .panes
        .alarms
        .alarms()
        .iter()
        .any(|a| a.state == AlarmState::Alarm));
    let screen = text(&render(&s, 120, 30));
    assert!(screen.contains("throttled"), "{screen}");
}
