//! Alarms: the refresh of 1,000 alarms (API calls, wall time through the
//! real SDK client and pipedeck's mapping) and the frame time of a chart of
//! 10,000 points (downsampled to the terminal's width).
//!
//! `cargo bench --bench alarms`

mod common;

use aws_sdk_cloudwatch::operation::describe_alarms::DescribeAlarmsOutput;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, MetricAlarm, StateValue, Statistic,
};
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use chrono::{Duration, TimeZone, Utc};
use pipedeck::app::{update, Data, Msg, Resource};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::{ChartWindow, CloudRead, MetricSeries};
use std::time::Instant;

const ALARMS: usize = 1_000;
const PAGE: usize = 100;

fn alarm(i: usize) -> MetricAlarm {
    MetricAlarm::builder()
        .alarm_name(format!("alarm-{i:04}"))
        .state_value(if i.is_multiple_of(17) {
            StateValue::Alarm
        } else {
            StateValue::Ok
        })
        .state_reason(
            "Threshold Crossed: 1 out of the last 1 datapoints was greater than the threshold",
        )
        .namespace("DataPlatform/Pipelines")
        .metric_name("RowsRejected")
        .dimensions(
            Dimension::builder()
                .name("PipelineName")
                .value(format!("p{i}"))
                .build(),
        )
        .statistic(Statistic::Sum)
        .period(300)
        .threshold(1000.0)
        .comparison_operator(ComparisonOperator::GreaterThanThreshold)
        .build()
}

fn pages() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_cloudwatch::Client::describe_alarms).then_compute_output(|r| {
        let start: usize = r.next_token().and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + PAGE).min(ALARMS);
        let mut out = DescribeAlarmsOutput::builder()
            .set_metric_alarms(Some((start..end).map(alarm).collect()));
        if end < ALARMS {
            out = out.next_token(end.to_string());
        }
        out.build()
    })
}

fn refresh(runs: usize) -> (f64, usize) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let rule = pages();
    let cw = mock_client!(aws_sdk_cloudwatch, RuleMode::MatchAny, [&rule]);
    let conf = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .build();
    let mut clients = Clients::from_sdk_config(&conf);
    clients.cloudwatch = cw;
    let cloud = AwsCloud::from_clients(clients);
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let got = rt.block_on(cloud.alarms()).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(got.len(), ALARMS);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], rule.num_calls() / runs)
}

fn chart_frame_us(points: usize, frames: usize) -> (f64, f64) {
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap();
    let demo = pipedeck::cloud::demo::DemoCloud::new(pipedeck::cloud::demo::Clock::Fixed(now));
    let alarms = futures::executor::block_on(demo.alarms()).unwrap();
    let mut state = common::state(now);
    let loaded = |resource, data| Msg::Loaded {
        resource,
        at: now,
        result: Ok(data),
        next_in: None,
    };
    update(&mut state, loaded(Resource::Alarms, Data::Alarms(alarms)));
    state.active = pipedeck::panes::PaneId::Alarms;
    let key = |c| {
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ))
    };
    update(&mut state, key('j'));
    update(&mut state, key('j'));
    update(
        &mut state,
        Msg::Key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::NONE,
        )),
    );
    let name = state.panes.alarms.selected().unwrap().name.clone();
    // 10,000 points over the hour, one every 0.36 s, noisy.
    let series = MetricSeries {
        label: "bench".into(),
        points: (0..points)
            .map(|i| {
                let t = now - Duration::hours(1) + Duration::milliseconds(i as i64 * 360);
                (t, ((i * 7919) % 101) as f64 / 100.0)
            })
            .collect(),
        band: vec![],
    };
    update(
        &mut state,
        loaded(
            Resource::AlarmChart {
                name,
                window: ChartWindow::Hour1,
            },
            Data::AlarmChart(series),
        ),
    );
    common::frame_us(&state, frames)
}

fn main() {
    let (median_ms, calls) = refresh(20);
    let (mean, p99) = chart_frame_us(10_000, 300);
    println!();
    println!(
        "refresh of {ALARMS} alarms                {calls} DescribeAlarms calls (pages of {PAGE}), median {median_ms:.1} ms client-side (+ {calls} round trips)"
    );
    println!("alarm detail, 10,000-point chart (200x50)  mean {mean:.0} µs   p99 {p99:.0} µs   target < 2,000 µs");
}
