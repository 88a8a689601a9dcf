//! The Insights additions over HTTP against moto: a real result exported as
//! CSV reads back equal to the rows, and the triage key checks the run's
//! groups with real DescribeLogGroups calls and queries only those that
//! exist. (Neither emulator has query definitions: those are in
//! aws_mocks_insights_more.rs.)

use crate::common;

use chrono::{Duration, Utc};
use common::moto::{prefix, put_log_events, sdk_config};
use common::*;
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::RunState;
use pipedeck::panes::insights::memory::ProfileMemory;
use pipedeck::panes::PaneId;

/// `msgs` a second apart, ten minutes ago.
async fn put(logs: &aws_sdk_cloudwatchlogs::Client, group: &str, stream: &str, msgs: &[&str]) {
    let t0 = (Utc::now() - Duration::minutes(10)).timestamp_millis();
    let events: Vec<(i64, &str)> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| (t0 + i as i64 * 1000, *m))
        .collect();
    put_log_events(logs, group, stream, &events).await;
}

#[tokio::test]
async fn an_exported_result_reads_back_equal_to_its_rows() {
    let conf = sdk_config().await;
    let raw = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let group = format!("/{}export", prefix("logs"));
    let messages = [
        "ERROR plain",
        "ERROR with, a comma",
        "ERROR with \"quotes\" and | a pipe",
        "ERROR two\nlines",
    ];
    put(&raw, &group, "jr_1", &messages).await;

    let mut s = empty_state(false);
    s.panes.insights.load_memory(ProfileMemory {
        profile: "test".into(),
        groups: vec![group.clone()],
        history: vec![],
    });
    goto(&mut s, PaneId::Insights);
    press(&mut s, &[":"]);
    let (a, b) = (
        Utc::now() - Duration::hours(1),
        Utc::now() + Duration::minutes(1),
    );
    type_text(
        &mut s,
        &format!("range {} {}", a.timestamp(), b.timestamp()),
    );
    press(&mut s, &["enter"]);
    let fx = press(&mut s, &["ctrl-r"]);
    drive(&mut s, &cloud, fx).await;
    let shown = s.panes.insights.results().shown_table();
    assert_eq!(shown.rows.len(), messages.len(), "{shown:?}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    press(&mut s, &[":"]);
    type_text(&mut s, &format!("export {}", path.display()));
    let fx = press(&mut s, &["enter"]);
    let done = export_through_runtime(&mut s, fx).await;
    assert!(
        done[0].as_ref().is_ok_and(|d| d.ends_with("out.csv")),
        "{done:?}"
    );

    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(header, shown.columns);
    // Insights has no NULL: every shown cell is text.
    let shown_text: Vec<Vec<String>> = shown
        .rows
        .iter()
        .map(|r| r.iter().map(|v| v.clone().unwrap_or_default()).collect())
        .collect();
    assert_eq!(rows, shown_text, "the file holds exactly the rows shown");
    let col = header.iter().position(|c| c == "@message").unwrap();
    let mut back: Vec<&str> = rows.iter().map(|r| r[col].as_str()).collect();
    back.sort();
    let mut want = messages.to_vec();
    want.sort();
    assert_eq!(back, want, "commas, quotes, pipes and new lines survive");
}

#[tokio::test]
async fn the_triage_key_queries_only_the_groups_that_exist() {
    let conf = sdk_config().await;
    let raw = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let p = format!("/{}triage", prefix("logs"));
    put(&raw, &format!("{p}/error"), "jr_moto", &["ERROR boom"]).await;
    put(&raw, &format!("{p}/output"), "jr_moto", &["INFO started"]).await;
    // No {p}/logs-v2: the job names it as its continuous group, but
    // continuous logging wrote nothing there.

    let mut r = run("etl", "jr_moto", RunState::Failed, 0);
    r.started_on = Some(Utc::now() - Duration::minutes(12));
    r.completed_on = Some(Utc::now() - Duration::minutes(8));
    r.log_group_name = Some(p.clone());
    r.arguments
        .insert("--continuous-log-logGroup".into(), format!("{p}/logs-v2"));
    let mut s = state_with_jobs(vec![job("etl", 1, vec![r])], false);
    let fx = press(&mut s, &["t"]);
    drive(&mut s, &cloud, fx).await;

    let insights = &s.panes.insights;
    assert_eq!(insights.error(), None, "StartQuery accepted the groups");
    let triage = insights.triage().expect("a triage");
    assert_eq!(
        triage.found.as_deref(),
        Some(&[format!("{p}/error"), format!("{p}/output")][..])
    );
    assert_eq!(triage.missing(), [format!("{p}/logs-v2")]);
    assert_eq!(
        insights.groups(),
        [format!("{p}/error"), format!("{p}/output")]
    );
    assert!(
        insights.run().is_some_and(|r| r.id.is_some()),
        "the query was started"
    );
}
