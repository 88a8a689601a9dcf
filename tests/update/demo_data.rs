//! The demo account's data tells one consistent story: run ids and dates
//! come from the demo clock, the DLQ's messages match the failure they
//! record, a malformed query is rejected as the service rejects it, and the
//! DLQ alarm follows its queue.

use crate::common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{approve, now};
use pipedeck::cloud::demo::{sqs as demo_sqs, Clock, DemoCloud};
use pipedeck::cloud::{AlarmState, ChartWindow, CloudError, CloudRead, InsightsQuery};
use pipedeck::gate::{self, Action, Journal};

/// Every `YYYY-MM-DD` in `text`.
fn dates(text: &str) -> Vec<NaiveDate> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9))
        .filter(|&i| {
            let d = |j: usize| b[i + j].is_ascii_digit();
            (i == 0 || !b[i - 1].is_ascii_digit())
                && (0..4).all(d)
                && b[i + 4] == b'-'
                && d(5)
                && d(6)
                && b[i + 7] == b'-'
                && d(8)
                && d(9)
        })
        .filter_map(|i| NaiveDate::parse_from_str(&text[i..i + 10], "%Y-%m-%d").ok())
        .collect()
}

/// Dates in demo data fall in the demo's timeline: within two days of its
/// clock, never a date from another year.
fn assert_dated_now(what: &str, text: &str) {
    let today = now().date_naive();
    for d in dates(text) {
        assert!(
            (today - d).num_days().abs() <= 2,
            "{what}: {d} in a timeline at {today}: {text}"
        );
    }
    assert!(!text.contains("2024"), "{what}: {text}");
}

#[tokio::test]
async fn glue_runs_carry_well_formed_run_ids_and_dates_from_the_demo_clock() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    // A run started from the console has its own --run_id too.
    let report = gate::execute(
        &demo,
        &Journal::disabled(),
        approve(Action::RerunGlueJob {
            job: "partition-repair".into(),
            from_run: "x".into(),
            arguments: Default::default(),
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    let mut seen_run_date = false;
    for job in demo.glue_jobs().await.unwrap() {
        for run in &job.runs {
            let started: DateTime<Utc> = run.started_on.unwrap();
            let id = &run.arguments["--run_id"];
            assert_eq!(
                id,
                &started.format("run-%Y%m%d-%H%M%S").to_string(),
                "{} {}",
                job.name,
                run.id
            );
            assert!(!id.contains("--") && !id.contains("run--"), "{id}");
            // Every date a run carries is the day it started (a daily job's
            // history goes back twelve days).
            let day = started.date_naive();
            let texts = run.arguments.values().chain(run.error_message.as_ref());
            for text in texts {
                assert!(
                    dates(text).iter().all(|d| *d == day) && !text.contains("2024"),
                    "{} {}: {text} (started {started})",
                    job.name,
                    run.id
                );
            }
            if let Some(date) = run.arguments.get("--run_date") {
                assert_eq!(date, &day.format("%Y-%m-%d").to_string());
                seen_run_date = true;
            }
        }
    }
    assert!(seen_run_date, "orders-bronze-to-silver passes --run_date");
}

#[tokio::test]
async fn emr_steps_dlq_messages_and_logs_are_dated_by_the_demo_clock() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    for c in demo.emr_clusters().await.unwrap() {
        for s in &c.steps {
            assert_dated_now(&s.name, &s.name);
            assert_dated_now(&s.name, &s.args.join(" "));
            if let Some(m) = s.failure.as_ref().and_then(|f| f.message.clone()) {
                assert_dated_now(&s.name, &m);
                assert!(!m.contains("year=2024"), "{m}");
            }
        }
    }
    for q in demo.dlqs(&[]).await.unwrap() {
        for m in demo.peek(&q.url, 100).await.unwrap() {
            assert_dated_now(&q.name, &m.body);
        }
    }
    let q = InsightsQuery {
        groups: vec!["/aws/lambda/file-arrival-handler".into()],
        start: now() - Duration::hours(2),
        end: now(),
        query: "fields @timestamp, @logStream, @message | limit 100".into(),
        language: Default::default(),
    };
    let id = demo.start_query(&q).await.unwrap();
    demo.query_results(&id).await.unwrap();
    let rows = demo.query_results(&id).await.unwrap().rows;
    assert!(!rows.is_empty());
    for row in rows {
        for (_, v) in row {
            assert_dated_now("lambda log", &v);
        }
    }
}

#[tokio::test]
async fn empty_file_failures_are_dead_lettered_with_a_size_of_zero() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let url = demo_sqs::url("pipeline-events-dlq");
    let messages = demo.peek(&url, 100).await.unwrap();
    assert_eq!(messages.len(), 37);
    for m in messages {
        let body: serde_json::Value = serde_json::from_str(&m.body).unwrap();
        assert_eq!(body["file_size"], 0, "an empty file is 0 bytes: {}", m.body);
    }
}

fn query(text: &str) -> InsightsQuery {
    InsightsQuery {
        groups: vec!["/aws-glue/jobs/error".into()],
        start: now() - Duration::hours(1),
        end: now(),
        query: text.into(),
        language: Default::default(),
    }
}

#[tokio::test]
async fn a_misspelt_command_is_rejected_like_start_query_does() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let err = demo
        .start_query(&query(
            "fields @timestamp, @message\n| filter @message like /ERROR/\n| sortt @timestamp desc",
        ))
        .await
        .unwrap_err();
    match err {
        CloudError::Other { code, message } => {
            assert_eq!(code, "MalformedQueryException");
            assert_eq!(
                message,
                "unexpected symbol found sortt at line 3 and position 3"
            );
        }
        other => panic!("{other:?}"),
    }
    // An empty pipe segment and a command-less start, too.
    for bad in ["fields @message | | limit 5", "@message like /x/"] {
        let err = demo.start_query(&query(bad)).await.unwrap_err();
        assert!(
            matches!(&err, CloudError::Other { code, .. } if code == "MalformedQueryException"),
            "{bad}: {err:?}"
        );
    }
    // What the console itself sends is accepted: the starter query, the
    // triage query (a `|` inside its regex), the saved queries, comments.
    let mut good = vec![
        "fields @timestamp, @message, @logStream\n| filter @message like /ERROR/\n| sort @timestamp desc\n| limit 100".to_string(),
        pipedeck::cloud::logs::triage::query_for_run("jr_abc", None),
        pipedeck::cloud::logs::triage::query_for_run("jr_abc", Some("dq-orders.silver")),
        "# errors only\nfilter @message like /a|b/ or @message = \"x | y\"\n| stats count(*) as n by bin(5m)\n| sort n desc".into(),
        "FIELDS @message | LIMIT 5".into(),
    ];
    good.extend(
        demo.query_definitions()
            .await
            .unwrap()
            .into_iter()
            // The PPL one is refused as PPL (tests/update_insights_languages.rs).
            .filter(|d| d.language.is_cwli())
            .map(|d| d.query),
    );
    for q in good {
        assert!(demo.start_query(&query(&q)).await.is_ok(), "{q}");
    }
}

#[tokio::test]
async fn the_dlq_alarm_goes_ok_a_period_after_its_queue_is_redriven_empty() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let dlq_alarm = |alarms: Vec<pipedeck::cloud::Alarm>| {
        alarms
            .into_iter()
            .find(|a| a.name == "pipeline-events-DLQ-not-empty")
            .unwrap()
    };
    let before = demo.alarms().await.unwrap();
    let in_alarm =
        |a: &[pipedeck::cloud::Alarm]| a.iter().filter(|a| a.state == AlarmState::Alarm).count();
    assert_eq!(dlq_alarm(before.clone()).state, AlarmState::Alarm);
    let report = gate::execute(
        &demo,
        &Journal::disabled(),
        approve(Action::RedriveDlq {
            queue: "pipeline-events-dlq".into(),
            dlq_arn: demo_sqs::arn("pipeline-events-dlq"),
            count: 37,
            sources: vec!["pipeline-events".into()],
            destination: None,
            max_per_second: Some(10),
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    // 37 messages at 10/s: empty after 4 s; the alarm's 60-s period has
    // not evaluated an empty datapoint yet.
    demo.advance(Duration::seconds(5));
    let soon = dlq_alarm(demo.alarms().await.unwrap());
    let url = demo_sqs::url("pipeline-events-dlq");
    assert_eq!(demo.queues().counts(&url), (0, 0), "the redrive has run");
    assert_eq!(soon.state, AlarmState::Alarm);
    // Five minutes on, it is OK — since one period after the queue emptied.
    demo.advance(Duration::minutes(5));
    let after = demo.alarms().await.unwrap();
    let a = dlq_alarm(after.clone());
    assert_eq!(a.state, AlarmState::Ok, "{a:?}");
    assert_eq!(a.state_since, Some(now() + Duration::seconds(64)));
    assert!(a.state_reason.unwrap().contains("[0.0]"));
    assert_eq!(in_alarm(&after), in_alarm(&before) - 1);
    let history = demo
        .alarm_history("pipeline-events-DLQ-not-empty")
        .await
        .unwrap();
    assert_eq!(history[0].new_state.as_deref(), Some("OK"));
    assert_eq!(history[1].new_state.as_deref(), Some("ALARM"));
    let chart = demo
        .alarm_chart("pipeline-events-DLQ-not-empty", ChartWindow::default())
        .await
        .unwrap();
    assert_eq!(chart.points.last().map(|p| p.1), Some(0.0));
}

#[tokio::test]
async fn a_purged_dlq_turns_its_alarm_ok_too() {
    let demo = DemoCloud::new(Clock::Fixed(now()));
    let url = demo_sqs::url("pipeline-events-dlq");
    let report = gate::execute(
        &demo,
        &Journal::disabled(),
        approve(Action::PurgeDlq {
            queue: "pipeline-events-dlq".into(),
            url: url.clone(),
            count: 37,
        }),
    )
    .await;
    assert!(report.ok, "{}", report.summary);
    // The alarm poll that first sees it empty starts the period.
    let a = demo.alarms().await.unwrap();
    assert!(a
        .iter()
        .any(|a| a.name == "pipeline-events-DLQ-not-empty" && a.state == AlarmState::Alarm));
    demo.advance(Duration::minutes(2));
    let a = demo.alarms().await.unwrap();
    assert!(a
        .iter()
        .any(|a| a.name == "pipeline-events-DLQ-not-empty" && a.state == AlarmState::Ok));
}
