//! Athena part 2 over HTTP against moto: saved queries created through the
//! gate and listed back, and `snapshot`'s athena section from the real
//! binary for a work group with a failed-or-cancelled execution.
//!
//! moto never fails a query by itself (QUEUED → RUNNING → SUCCEEDED only):
//! the execution that did not succeed here is one StopQueryExecution
//! cancelled — the section lists both kinds; a FAILED one is checked with
//! a mock-backed run (tests/mocks/athena_history.rs). moto has no
//! BatchGetQueryExecution / BatchGetNamedQuery (an HTML 500): pipedeck
//! reads those one id at a time there.

use crate::common;

use common::moto::{prefix, sdk_config};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::CloudRead;
use pipedeck::gate::{self, Action, Journal};

async fn work_group(raw: &aws_sdk_athena::Client) -> String {
    let group = prefix("athena-hist").trim_end_matches('-').to_string();
    raw.create_work_group()
        .name(&group)
        .configuration(
            aws_sdk_athena::types::WorkGroupConfiguration::builder()
                .result_configuration(
                    aws_sdk_athena::types::ResultConfiguration::builder()
                        .output_location("s3://athena-results/hist/")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    group
}

#[tokio::test]
async fn saved_queries_are_created_through_the_gate_and_listed_back() {
    let conf = sdk_config().await;
    let raw = aws_sdk_athena::Client::new(&conf);
    let group = work_group(&raw).await;
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    for name in ["orders by day", "failed transactions"] {
        let report = gate::execute(
            &cloud,
            &journal,
            common::approve(Action::SaveNamedQuery {
                query: pipedeck::cloud::athena::NamedQuery {
                    id: None,
                    name: name.into(),
                    description: Some("kept by a test".into()),
                    sql: format!("SELECT 1 -- {name}"),
                    database: "silver_db".into(),
                    workgroup: Some(group.clone()),
                },
            }),
        )
        .await;
        assert!(report.ok, "{}", report.summary);
    }
    let saved = cloud.athena_named_queries(&group).await.unwrap();
    let names: Vec<&str> = saved.queries.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["failed transactions", "orders by day"]);
    assert!(saved.unprocessed.is_empty(), "{:?}", saved.unprocessed);
    assert_eq!(saved.queries[1].sql, "SELECT 1 -- orders by day");
    assert_eq!(saved.queries[1].database, "silver_db");
    assert!(saved.queries.iter().all(|q| q.id.is_some()));
}

#[tokio::test]
async fn snapshot_reports_the_work_groups_cancelled_execution() {
    let conf = sdk_config().await;
    let raw = aws_sdk_athena::Client::new(&conf);
    let group = work_group(&raw).await;
    let start = |sql: &'static str| {
        let raw = raw.clone();
        let group = group.clone();
        async move {
            raw.start_query_execution()
                .query_string(sql)
                .work_group(group)
                .send()
                .await
                .unwrap()
                .query_execution_id()
                .unwrap()
                .to_string()
        }
    };
    let ok = start("SELECT 1").await;
    let cancelled = start("SELECT * FROM silver_db.orders").await;
    raw.stop_query_execution()
        .query_execution_id(&cancelled)
        .send()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c/pipedeck");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!("[athena]\nworkgroups = [\"{group}\"]\n"),
    )
    .unwrap();
    let out = common::moto::snapshot(dir.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let athena = &v["athena"];
    assert_eq!(athena["error"], serde_json::Value::Null, "{athena}");
    let groups = athena["workgroups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "only the configured group: {athena}");
    let g = &groups[0];
    assert_eq!(g["name"], group.as_str());
    assert_eq!(g["error"], serde_json::Value::Null, "{g}");
    assert_eq!(g["spend_24h"]["queries"], 2, "{g}");
    let listed: Vec<(&str, &str)> = g["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e["state"].as_str().unwrap()))
        .collect();
    assert_eq!(listed, [(cancelled.as_str(), "CANCELLED")], "not {ok}: {g}");
    // Kept for the next start: ended executions are not asked again.
    let kept = std::fs::read_to_string(dir.path().join("s/pipedeck/athena-history.json"))
        .unwrap_or_default();
    assert!(kept.contains(&cancelled), "{kept}");
}
