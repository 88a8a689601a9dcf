//! CloudWatch alarms through pipedeck's real AWS backend against LocalStack
//! (the Rust CloudWatch client speaks RPC v2 CBOR, which moto cannot
//! answer). LocalStack ignores MaxRecords, NextToken, AlarmTypes and
//! history filters: this proves the wire path; the parameters are proven
//! with aws-smithy-mocks.

use crate::common;

use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricDatum, StateValue, Statistic,
};
use common::localstack::{self, eventually};
use pipedeck::cloud::alarms::AlarmKind;
use pipedeck::cloud::{AlarmState, ChartWindow, CloudRead};
use pipedeck::gate::{self, Action, Journal};

async fn put_alarm(cw: &aws_sdk_cloudwatch::Client, name: &str, metric: &str) {
    cw.put_metric_alarm()
        .alarm_name(name)
        .namespace("DataPlatform/Pipelines")
        .metric_name(metric)
        .dimensions(
            Dimension::builder()
                .name("PipelineName")
                .value("orders")
                .build(),
        )
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        // "missing": the evaluator then leaves a state set by SetAlarmState alone.
        .treat_missing_data("missing")
        .alarm_actions("arn:aws:sns:us-east-1:000000000000:on-call")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn alarms_states_history_actions_and_metric_data_round_trip() {
    let acct = localstack::account(30);
    let conf = localstack::sdk_config(&acct).await;
    let cw = aws_sdk_cloudwatch::Client::new(&conf);
    put_alarm(&cw, "PipelineFailure-orders", "PipelineFailure").await;
    put_alarm(&cw, "RowsRejected-orders", "RowsRejected").await;
    let cloud = localstack::cloud(&acct).await;

    // TreatMissingData "missing" keeps LocalStack's evaluator (which runs
    // about a second after creation) from overwriting the state set here.
    cw.set_alarm_state()
        .alarm_name("PipelineFailure-orders")
        .state_value(StateValue::Alarm)
        .state_reason("Threshold Crossed: manual test from pipedeck's suite")
        .send()
        .await
        .unwrap();

    let alarms = cloud.alarms().await.unwrap();
    let failing = alarms
        .iter()
        .find(|a| a.name == "PipelineFailure-orders")
        .unwrap();
    assert_eq!(failing.state, AlarmState::Alarm);
    assert_eq!(
        failing.state_reason.as_deref(),
        Some("Threshold Crossed: manual test from pipedeck's suite")
    );
    assert!(failing.state_since.is_some());
    assert_eq!(failing.threshold, Some(1.0));
    assert_eq!(
        failing.comparison.as_deref(),
        Some("GreaterThanOrEqualToThreshold")
    );
    assert_eq!(failing.treat_missing_data.as_deref(), Some("missing"));
    match &failing.kind {
        AlarmKind::Metric(m) => {
            assert_eq!(m.namespace, "DataPlatform/Pipelines");
            assert_eq!(m.name, "PipelineFailure");
            assert_eq!(m.dimensions, [("PipelineName".into(), "orders".into())]);
        }
        other => panic!("{other:?}"),
    }
    assert!(failing.actions_enabled);

    // A composite over both comes back typed, with its rule and children.
    cw.put_composite_alarm()
        .alarm_name("Critical-orders")
        .alarm_rule(r#"ALARM("PipelineFailure-orders") OR ALARM("RowsRejected-orders")"#)
        .send()
        .await
        .unwrap();
    let all = cloud.alarms().await.unwrap();
    let composite = all
        .iter()
        .find(|a| a.name == "Critical-orders")
        .expect("composite listed");
    assert!(composite.is_composite());
    assert_eq!(
        composite.children(),
        ["PipelineFailure-orders", "RowsRejected-orders"]
    );

    let history = cloud.alarm_history("PipelineFailure-orders").await.unwrap();
    assert!(!history.is_empty());
    assert_eq!(
        history[0].new_state.as_deref(),
        Some("ALARM"),
        "newest first: {history:?}"
    );
    assert!(history.windows(2).all(|w| w[0].at >= w[1].at));

    // Disable, then enable again, through the gate.
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    for enable in [false, true] {
        let report = gate::execute(
            &cloud,
            &journal,
            common::approve(Action::SetAlarmActions {
                names: vec!["PipelineFailure-orders".into()],
                enable,
            }),
        )
        .await;
        assert!(report.ok, "{}", report.summary);
        let now = cloud.alarms().await.unwrap();
        let a = now
            .iter()
            .find(|a| a.name == "PipelineFailure-orders")
            .unwrap();
        assert_eq!(a.actions_enabled, enable);
    }

    // Datapoints put now come back through the alarm's chart.
    let t = aws_smithy_types::DateTime::from_secs(chrono::Utc::now().timestamp() - 120);
    for v in [3.0, 4.0] {
        cw.put_metric_data()
            .namespace("DataPlatform/Pipelines")
            .metric_data(
                MetricDatum::builder()
                    .metric_name("RowsRejected")
                    .dimensions(
                        Dimension::builder()
                            .name("PipelineName")
                            .value("orders")
                            .build(),
                    )
                    .timestamp(t)
                    .value(v)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let series = eventually("datapoints readable", 30, || async {
        let s = cloud
            .alarm_chart("RowsRejected-orders", ChartWindow::Hour1)
            .await
            .ok()?;
        (!s.points.is_empty()).then_some(s)
    })
    .await;
    assert_eq!(
        series.points.iter().map(|p| p.1).sum::<f64>(),
        7.0,
        "Sum of the two: {series:?}"
    );
}
