//! The real binary against LocalStack: an alarm set to ALARM shows at the
//! top of the alarms pane and in the header within one poll interval.

use crate::common;

use aws_sdk_cloudwatch::types::{ComparisonOperator, StateValue, Statistic};
use common::localstack;
use common::pty::{pipedeck_on_localstack, Running};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alarm_set_to_alarm_reaches_the_top_and_the_header() {
    let acct = localstack::account(31);
    let cw = aws_sdk_cloudwatch::Client::new(&localstack::sdk_config(&acct).await);
    for name in ["a-quiet-alarm", "z-orders-failing"] {
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("DataPlatform/Pipelines")
            .metric_name("PipelineFailure")
            .statistic(Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(1.0)
            .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
            .treat_missing_data("missing")
            .send()
            .await
            .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("config/pipedeck");
    std::fs::create_dir_all(&conf).unwrap();
    // "Within one poll interval": 5 s (+10 % jitter), plus 4 s for the
    // call to LocalStack and the frame; a poller that skipped a round or
    // waited for a key would miss it.
    const INTERVAL_SECS: u64 = 5;
    std::fs::write(
        conf.join("config.toml"),
        format!("[poll]\nalarms_secs = {INTERVAL_SECS}\n"),
    )
    .unwrap();
    let within = std::time::Duration::from_millis(INTERVAL_SECS * 1100 + 4000);
    let mut app = Running::start(pipedeck_on_localstack(&acct, dir.path()), 140, 30);
    app.wait_text("Journal");
    app.keys(":alarms\r");
    app.wait_text("z-orders-failing");
    app.wait_text("ALARM 0");

    cw.set_alarm_state()
        .alarm_name("z-orders-failing")
        .state_value(StateValue::Alarm)
        .state_reason("Threshold Crossed: set by the test")
        .send()
        .await
        .unwrap();
    let set_at = std::time::Instant::now();
    app.screen
        .wait_for_within("the alarm at the top and in the header", within, |p, _| {
            let screen = p.screen().contents();
            let header = screen.lines().next().unwrap_or("");
            let first_row = screen
                .lines()
                .find(|l| l.contains("a-quiet-alarm") || l.contains("z-orders-failing"));
            header.contains("ALARM 1") && first_row.is_some_and(|l| l.contains("z-orders-failing"))
        });
    println!(
        "seen {:.1} s after SetAlarmState (interval {INTERVAL_SECS} s)",
        set_at.elapsed().as_secs_f64()
    );
    // The list leads with what differs: the words every threshold reason
    // starts with ("Threshold Crossed: ") are dropped there.
    let screen = app.contents();
    let row = screen
        .lines()
        .find(|l| l.contains("z-orders-failing"))
        .unwrap_or_default();
    assert!(row.contains("set by the test"), "{screen}");
    app.keys("q");
    assert!(app.child.wait().unwrap().success());
}
