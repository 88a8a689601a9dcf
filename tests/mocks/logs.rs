//! Logs Insights on the real SDK client with `aws-smithy-mocks`: the query
//! lifecycle neither emulator can play (Scheduled → Running with partial
//! rows → Complete; Timeout; Failed; Cancelled), StopQuery on interrupt,
//! a malformed query, GetLogRecord, throttled polls — asserting requests.

use crate::common;

use aws_sdk_cloudwatchlogs::operation::get_log_record::GetLogRecordOutput;
use aws_sdk_cloudwatchlogs::operation::get_query_results::{
    GetQueryResultsError, GetQueryResultsOutput,
};
use aws_sdk_cloudwatchlogs::operation::start_query::{StartQueryError, StartQueryOutput};
use aws_sdk_cloudwatchlogs::operation::stop_query::{StopQueryError, StopQueryOutput};
use aws_sdk_cloudwatchlogs::types::{QueryStatistics, QueryStatus as SdkStatus, ResultField};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::error::metadata::ErrorMetadata;
use chrono::{TimeZone, Utc};
use common::*;
use pipedeck::cloud::{CloudRead, InsightsQuery, QueryStatus};
use pipedeck::headless::insights::{self, Ended, Polling};
use std::time::Duration;

fn query() -> InsightsQuery {
    InsightsQuery {
        groups: vec!["/aws-glue/jobs/error".into()],
        start: Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2026, 11, 27, 3, 0, 0).unwrap(),
        query: "fields @timestamp, @message | sort @timestamp desc".into(),
        language: Default::default(),
    }
}

fn started() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(|r| {
            // Epoch *seconds*, the groups, the text as typed.
            r.start_time() == Some(1_795_744_800)
                && r.end_time() == Some(1_795_748_400)
                && r.log_group_names() == ["/aws-glue/jobs/error"]
                && r.query_string() == Some("fields @timestamp, @message | sort @timestamp desc")
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-1").build())
}

fn row(i: usize) -> Vec<ResultField> {
    vec![
        ResultField::builder()
            .field("@timestamp")
            .value(format!("2026-11-27 02:{i:02}:00.000"))
            .build(),
        ResultField::builder()
            .field("@message")
            .value(format!("ERROR number {i}"))
            .build(),
        ResultField::builder()
            .field("@ptr")
            .value(format!("ptr-{i}"))
            .build(),
    ]
}

fn answer(status: SdkStatus, rows: usize, matched: f64) -> GetQueryResultsOutput {
    GetQueryResultsOutput::builder()
        .status(status)
        .set_results(Some((0..rows).map(row).collect()))
        .statistics(
            QueryStatistics::builder()
                .records_matched(matched)
                .records_scanned(matched * 100.0)
                .bytes_scanned(matched * 1e6)
                .build(),
        )
        .build()
}

fn fast() -> Polling {
    Polling {
        interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(40),
    }
}

#[tokio::test]
async fn scheduled_running_complete_replaces_rows_with_each_poll() {
    let start = started();
    let polls = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q-1"))
        .sequence()
        .output(|| answer(SdkStatus::Scheduled, 0, 0.0))
        .output(|| answer(SdkStatus::Running, 2, 2.0))
        .output(|| answer(SdkStatus::Complete, 3, 3.0))
        .build();
    let cloud = mocks::logs_cloud(&[&start, &polls]);
    let ended = insights::run(&cloud, &query(), fast(), std::future::pending()).await;
    let Ended::Done(r, _) = ended else {
        panic!("{ended:?}")
    };
    assert_eq!(polls.num_calls(), 3);
    assert_eq!(r.status, QueryStatus::Complete);
    assert_eq!(r.rows.len(), 3, "the last poll's rows, not 0 + 2 + 3");
    assert_eq!(r.columns(), ["@timestamp", "@message"], "@ptr hidden");
    assert_eq!(r.stats.records_matched, 3.0);
    assert!(
        (r.stats.cost(0.005) - 0.000015).abs() < 1e-9,
        "3 MB at $0.005/GB"
    );
    assert!(insights::failure(&r.status).is_none());
}

#[tokio::test]
async fn timeout_failed_and_cancelled_end_polling_and_are_failures() {
    for (sdk, ours) in [
        (SdkStatus::Timeout, QueryStatus::Timeout),
        (SdkStatus::Failed, QueryStatus::Failed),
        (SdkStatus::Cancelled, QueryStatus::Cancelled),
        (
            SdkStatus::from("SomethingNew"),
            QueryStatus::Unknown("SomethingNew".into()),
        ),
    ] {
        let start = started();
        let polls = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
            .sequence()
            .output(|| answer(SdkStatus::Running, 1, 1.0))
            .output(move || answer(sdk.clone(), 1, 1.0))
            .build();
        let cloud = mocks::logs_cloud(&[&start, &polls]);
        let Ended::Done(r, _) =
            insights::run(&cloud, &query(), fast(), std::future::pending()).await
        else {
            panic!("not done")
        };
        assert_eq!(r.status, ours);
        assert!(
            insights::failure(&r.status).is_some(),
            "{ours:?} is not a success"
        );
    }
}

#[tokio::test]
async fn an_interrupt_sends_stop_query() {
    let start = started();
    let polls = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .then_output(|| answer(SdkStatus::Running, 1, 1.0));
    let stop = mock!(aws_sdk_cloudwatchlogs::Client::stop_query)
        .match_requests(|r| r.query_id() == Some("q-1"))
        .then_output(|| StopQueryOutput::builder().success(true).build());
    let cloud = mocks::logs_cloud(&[&start, &polls, &stop]);
    // Interrupted after a couple of polls, as a Ctrl-C would.
    let interrupt = tokio::time::sleep(Duration::from_millis(30));
    let ended = insights::run(&cloud, &query(), fast(), interrupt).await;
    assert!(
        matches!(&ended, Ended::Stopped { query_id } if query_id == "q-1"),
        "{ended:?}"
    );
    assert_eq!(stop.num_calls(), 1);
}

#[tokio::test]
async fn stopping_a_query_that_already_ended_is_not_an_error() {
    let stop = mock!(aws_sdk_cloudwatchlogs::Client::stop_query).then_error(|| {
        StopQueryError::generic(
            ErrorMetadata::builder()
                .code("InvalidParameterException")
                .message("Query is not running")
                .build(),
        )
    });
    let cloud = mocks::logs_cloud(&[&stop]);
    assert_eq!(cloud.stop_query("q-done").await, Ok(()));
    assert_eq!(
        stop.num_calls(),
        1,
        "StopQuery was sent; its error was ignored"
    );
}

#[tokio::test]
async fn a_malformed_query_is_reported_with_the_service_message() {
    let start = mock!(aws_sdk_cloudwatchlogs::Client::start_query).then_error(|| {
        StartQueryError::generic(
            ErrorMetadata::builder()
                .code("MalformedQueryException")
                .message("unexpected symbol found | at line 1 and position 31")
                .build(),
        )
    });
    let cloud = mocks::logs_cloud(&[&start]);
    let ended = insights::run(&cloud, &query(), fast(), std::future::pending()).await;
    let Ended::Error(e) = ended else {
        panic!("{ended:?}")
    };
    let text = e.to_string();
    assert!(text.contains("MalformedQueryException"), "{text}");
    assert!(
        text.contains("unexpected symbol found | at line 1 and position 31"),
        "{text}"
    );
    assert_eq!(start.num_calls(), 1, "a rejected query is not retried");
}

#[tokio::test]
async fn throttled_polls_back_off_and_carry_on() {
    let start = started();
    let throttled = || {
        GetQueryResultsError::generic(
            ErrorMetadata::builder()
                .code("ThrottlingException")
                .message("Rate exceeded")
                .build(),
        )
    };
    // Three throttled attempts (one SDK call with its retries), then fine.
    let polls = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .sequence()
        .error(throttled)
        .times(3)
        .output(|| answer(SdkStatus::Complete, 2, 2.0))
        .build();
    let cloud = mocks::logs_cloud(&[&start, &polls]);
    let t0 = std::time::Instant::now();
    let ended = insights::run(&cloud, &query(), fast(), std::future::pending()).await;
    let Ended::Done(r, _) = ended else {
        panic!("{ended:?}")
    };
    assert_eq!(r.rows.len(), 2);
    assert_eq!(polls.num_calls(), 4);
    // 5 ms before the first poll, then twice that after the throttle.
    assert!(
        t0.elapsed() >= Duration::from_millis(15),
        "{:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn get_log_record_returns_the_whole_record() {
    let rec = mock!(aws_sdk_cloudwatchlogs::Client::get_log_record)
        .match_requests(|r| r.log_record_pointer() == Some("ptr-7"))
        .then_output(|| {
            GetLogRecordOutput::builder()
                .log_record("@message", r#"{"level":"ERROR","msg":"Empty file"}"#)
                .log_record("@logStream", "jr_1-driver")
                .build()
        });
    let cloud = mocks::logs_cloud(&[&rec]);
    let record = cloud.log_record("ptr-7").await.unwrap();
    assert_eq!(record["@logStream"], "jr_1-driver");
    assert!(record["@message"].contains("Empty file"));
}
