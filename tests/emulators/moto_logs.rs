//! Logs Insights through the real `aws` backend over HTTP against moto:
//! log groups over several pages, a StartQuery → GetQueryResults round trip
//! with rows and columns mapped, and the window in epoch seconds (an event
//! outside it must not come back). moto evaluates only fields/sort/limit:
//! the lifecycle is covered in aws_mocks_logs.rs.

use crate::common;

use chrono::Utc;
use common::moto::{moto_url, prefix, put_log_events, sdk_config};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::{CloudRead, InsightsQuery, QueryStatus};
use pipedeck::headless::insights::{self, Ended, Polling};
use std::time::Duration;

async fn put(logs: &aws_sdk_cloudwatchlogs::Client, group: &str, events: &[(i64, &str)]) {
    let at = |mins_ago: i64| (Utc::now() - chrono::Duration::minutes(mins_ago)).timestamp_millis();
    let events: Vec<(i64, &str)> = events.iter().map(|(m, msg)| (at(*m), *msg)).collect();
    put_log_events(logs, group, "jr_1-driver", &events).await;
}

#[tokio::test]
async fn groups_page_and_a_query_round_trips_inside_its_window() {
    let conf = sdk_config().await;
    let raw = aws_sdk_cloudwatchlogs::Client::new(&conf);
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let p = format!("/{}", prefix("logs"));
    // More than one DescribeLogGroups page (50 per page).
    for i in 0..55 {
        raw.create_log_group()
            .log_group_name(format!("{p}bulk/{i:02}"))
            .send()
            .await
            .unwrap();
    }
    let group = format!("{p}glue-errors");
    put(
        &raw,
        &group,
        &[
            (180, "OLD ERROR outside the window"),
            (10, "ERROR Empty file: orders-001.csv"),
        ],
    )
    .await;
    let groups = cloud.log_groups(Some(&p)).await.unwrap();
    assert_eq!(groups.len(), 56, "every page followed");
    assert!(groups.iter().any(|g| g.name == group));

    let q = InsightsQuery {
        groups: vec![group.clone()],
        start: Utc::now() - chrono::Duration::hours(1),
        end: Utc::now() + chrono::Duration::minutes(1),
        query: "fields @timestamp, @message | sort @timestamp desc".into(),
        language: Default::default(),
    };
    let polling = Polling {
        interval: Duration::from_millis(100),
        max_interval: Duration::from_secs(1),
    };
    let ended = insights::run(&cloud, &q, polling, std::future::pending()).await;
    let Ended::Done(r, _) = ended else {
        panic!("{ended:?}")
    };
    assert_eq!(r.status, QueryStatus::Complete);
    let messages: Vec<&str> = r
        .rows
        .iter()
        .flat_map(|row| {
            row.iter()
                .filter(|(f, _)| f == "@message")
                .map(|(_, v)| v.as_str())
        })
        .collect();
    assert_eq!(
        messages,
        ["ERROR Empty file: orders-001.csv"],
        "the 3-hour-old event is outside"
    );
    assert!(r.columns().contains(&"@timestamp".to_string()));

    // The same from the command line, as JSON.
    let dir = tempfile::tempdir().unwrap();
    let out = common::pipedeck_bin(
        dir.path(),
        &[
            "insights",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &moto_url(),
            "--group",
            &group,
            "--since",
            "1h",
            "fields @timestamp, @message",
        ],
        |_| {},
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        rows[0]["@message"], "ERROR Empty file: orders-001.csv",
        "{stdout}"
    );
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert!(stderr.contains("Complete: 1 rows"), "{stderr}");

    // A group that does not exist: the service's message, exit 1.
    let out = common::pipedeck_bin(
        dir.path(),
        &[
            "insights",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &moto_url(),
            "--group",
            &format!("{p}missing"),
            "--since",
            "1h",
            "fields @message",
        ],
        |_| {},
    );
    assert_eq!(out.status.code(), Some(1));
    // The service's own words (ResourceNotFoundException's message), not
    // only pipedeck's prefix.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("pipedeck insights:"), "{stderr}");
    assert!(
        stderr.contains("The specified log group does not exist."),
        "{stderr}"
    );
}
