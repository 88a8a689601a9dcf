//! Audit tables through the real DynamoDB client against moto over HTTP:
//! three of the course's shapes detected and read; a status index paged
//! through over 1,000 items (LastEvaluatedKey); a keys-only index followed
//! by BatchGetItem; the conditional "mark failed" and its
//! ConditionalCheckFailed.

use crate::common;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType, Projection, ProjectionType, ScalarAttributeType,
};
use common::moto::{prefix, sdk_config};
use pipedeck::cloud::audit::detect::propose;
use pipedeck::cloud::audit::{AttrValue, RunStatus};
use pipedeck::cloud::aws::dynamo;
use pipedeck::gate::{self, Action, Journal};
use std::collections::HashMap;

fn key(name: &str, kind: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .unwrap()
}

fn attr_def(name: &str) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .unwrap()
}

/// A table: (hash, range), and GSIs (name, hash, range, projection).
async fn create(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
    hash: &str,
    range: Option<&str>,
    gsis: &[(&str, &str, &str, ProjectionType)],
) {
    let mut attrs: Vec<&str> = vec![hash];
    attrs.extend(range);
    for (_, h, r, _) in gsis {
        attrs.push(h);
        attrs.push(r);
    }
    attrs.sort();
    attrs.dedup();
    let mut req = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key(hash, KeyType::Hash))
        .set_attribute_definitions(Some(attrs.iter().map(|a| attr_def(a)).collect()));
    if let Some(r) = range {
        req = req.key_schema(key(r, KeyType::Range));
    }
    for (ix, h, r, p) in gsis {
        req = req.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(*ix)
                .key_schema(key(h, KeyType::Hash))
                .key_schema(key(r, KeyType::Range))
                .projection(Projection::builder().projection_type(p.clone()).build())
                .build()
                .unwrap(),
        );
    }
    req.send().await.unwrap();
}

async fn put(client: &aws_sdk_dynamodb::Client, table: &str, fields: &[(&str, &str)]) {
    let item: HashMap<String, AttributeValue> = fields
        .iter()
        .map(|(k, v)| {
            let v = match v.parse::<f64>() {
                Ok(_) => AttributeValue::N(v.to_string()),
                Err(_) => AttributeValue::S(v.to_string()),
            };
            (k.to_string(), v)
        })
        .collect();
    client
        .put_item()
        .table_name(table)
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

fn ago(minutes: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::minutes(minutes))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn the_recommended_shape_is_detected_paged_through_its_status_index_and_marked() {
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let table = format!("{}pipeline_audit", prefix("audit"));
    create(
        &client,
        &table,
        "pipeline_id",
        Some("run_timestamp"),
        &[(
            "status-index",
            "status",
            "run_timestamp",
            ProjectionType::All,
        )],
    )
    .await;
    // 1,100 failed runs in the last day (so the index must be paged),
    // one running for two days, one success yesterday-but-one.
    for i in 0..1_100 {
        let t = ago(i % 1_200);
        put(
            &client,
            &table,
            &[
                ("pipeline_id", &format!("p-{}", i % 7)),
                ("run_timestamp", &format!("{t}#{i:04}")),
                ("run_id", &format!("r-{i}")),
                ("status", "FAILED"),
                ("start_time", &t),
                ("end_time", &t),
                ("rows_written", "0"),
                ("dq_score", "91.5"),
                ("error_msg", "DQ gate: 2 rules failed"),
            ],
        )
        .await;
    }
    let stuck = ago(60 * 48);
    put(
        &client,
        &table,
        &[
            ("pipeline_id", "silver-to-gold"),
            ("run_timestamp", &stuck),
            ("run_id", "r-stuck"),
            ("status", "RUNNING"),
            ("start_time", &stuck),
        ],
    )
    .await;
    let shape = dynamo::describe(&client, &table).await.unwrap();
    assert_eq!(shape.hash_key, "pipeline_id");
    assert_eq!(shape.range_key.as_deref(), Some("run_timestamp"));
    assert_eq!(shape.indexes[0].name, "status-index");
    let sample = dynamo::sample(&client, &table).await.unwrap();
    assert!(!sample.is_empty() && sample.len() <= 25);
    let m = propose(&shape, &sample);
    assert_eq!(m.status_index.as_deref(), Some("status-index"));
    assert_eq!(m.fields.started, "start_time");
    assert_eq!(m.fields.error_message, "error_msg");
    assert_eq!(m.dq_scale, 100.0);

    let read = dynamo::recent(&client, &shape, &m, chrono::Utc::now(), 4)
        .await
        .unwrap();
    let failed = read
        .runs
        .iter()
        .filter(|r| r.status == RunStatus::Failed)
        .count();
    assert_eq!(failed, 1_100, "every page of the index: {:?}", read.notes);
    let running = read
        .runs
        .iter()
        .find(|r| r.status == RunStatus::Running)
        .expect("a RUNNING run whatever its age");
    assert_eq!(running.run_id.as_deref(), Some("r-stuck"));
    assert_eq!(running.key.len(), 2);

    // Marked failed while it still says RUNNING; a second time finds it
    // finished and changes nothing — through the gate, as the pane does.
    let conf = sdk_config().await;
    let cloud = pipedeck::cloud::aws::AwsCloud::from_clients_with(
        pipedeck::cloud::aws::Clients::from_sdk_config(&conf),
        pipedeck::cloud::aws::AwsOptions {
            audit_tables: vec![m.clone()],
            ..Default::default()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    let mark = |message: &str| Action::MarkRunFailed {
        table: table.clone(),
        pipeline: "silver-to-gold".into(),
        run_id: "r-stuck".into(),
        key: running.key.clone(),
        running_word: "RUNNING".into(),
        message: message.into(),
    };
    let first = gate::execute(
        &cloud,
        &journal,
        common::approve(mark("marked FAILED by pipedeck (me) at 03:12 UTC: stuck")),
    )
    .await;
    assert!(
        first.ok && first.summary.ends_with("marked FAILED"),
        "{}",
        first.summary
    );
    let again = gate::execute(&cloud, &journal, common::approve(mark("x"))).await;
    assert!(
        again.ok && again.summary.contains("already finished — not changed"),
        "{}",
        again.summary
    );
    let item = client
        .get_item()
        .table_name(&table)
        .key("pipeline_id", AttributeValue::S("silver-to-gold".into()))
        .key("run_timestamp", AttributeValue::S(stuck.clone()))
        .send()
        .await
        .unwrap();
    let item = dynamo::item(item.item().unwrap());
    assert_eq!(item["status"], AttrValue::S("FAILED".into()));
    assert!(item["error_msg"]
        .text()
        .contains("marked FAILED by pipedeck"));
    assert!(item.contains_key("end_time"));
}

#[tokio::test]
async fn a_keys_only_status_index_is_followed_by_batch_get_item() {
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let table = format!("{}pipeline-audit", prefix("audit-keys"));
    create(
        &client,
        &table,
        "run_id",
        None,
        &[
            (
                "status-index",
                "status",
                "run_time",
                ProjectionType::KeysOnly,
            ),
            (
                "pipeline-name-index",
                "pipeline_name",
                "run_time",
                ProjectionType::KeysOnly,
            ),
        ],
    )
    .await;
    let t = ago(5);
    put(
        &client,
        &table,
        &[
            ("run_id", "abc"),
            ("pipeline_name", "orders"),
            ("run_time", &t),
            ("status", "FAILED"),
            ("rows_written", "42"),
            ("error_message", "boom"),
        ],
    )
    .await;
    let shape = dynamo::describe(&client, &table).await.unwrap();
    let m = propose(&shape, &dynamo::sample(&client, &table).await.unwrap());
    assert_eq!(m.fields.pipeline, "pipeline_name");
    assert_eq!(m.pipeline_index.as_deref(), Some("pipeline-name-index"));
    assert_eq!(m.status_index.as_deref(), Some("status-index"));
    let read = dynamo::recent(&client, &shape, &m, chrono::Utc::now(), 4)
        .await
        .unwrap();
    assert_eq!(read.runs.len(), 1, "{:?}", read.notes);
    let r = &read.runs[0];
    assert_eq!(r.rows_written, Some(42), "the item read whole by its key");
    assert_eq!(r.error_message.as_deref(), Some("boom"));
}

#[tokio::test]
async fn pipeline_and_run_id_keys_without_a_status_index_are_scanned_in_capped_pages() {
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let table = format!("{}pipeline_audit_v3", prefix("audit-pr"));
    create(&client, &table, "pipeline_id", Some("run_id"), &[]).await;
    let t = ago(30);
    put(
        &client,
        &table,
        &[
            ("pipeline_id", "sales-etl-daily"),
            ("run_id", "run-2026-11-30-001"),
            ("status", "SUCCESS"),
            ("start_time", &t),
            ("end_time", &t),
            ("rows_written", "1482930"),
            ("dq_score", "99.8"),
        ],
    )
    .await;
    let shape = dynamo::describe(&client, &table).await.unwrap();
    let m = propose(&shape, &dynamo::sample(&client, &table).await.unwrap());
    assert_eq!(m.fields.run_id, "run_id");
    assert_eq!(m.status_index, None);
    let read = dynamo::recent(&client, &shape, &m, chrono::Utc::now(), 4)
        .await
        .unwrap();
    assert_eq!(read.runs.len(), 1);
    assert_eq!(read.runs[0].status, RunStatus::Succeeded);
    assert!(
        read.notes.join(" ").contains("no index on status"),
        "{:?}",
        read.notes
    );
}

/// What sits beside a run, over HTTP: the pipeline's last runs by its key
/// (newest first, 10 of 12), the errors through a keys-only index on
/// run_id followed by BatchGetItem, and a DQ table with no key on run_id
/// scanned with a filter.
#[tokio::test]
async fn a_run_s_errors_dq_and_last_runs_are_read_by_key_index_and_filtered_scan() {
    use pipedeck::cloud::audit::records::RunRef;
    use pipedeck::cloud::audit::{Fields, TableKind, TableMapping};
    use pipedeck::cloud::aws::dynamo_records::records;
    let client = aws_sdk_dynamodb::Client::new(&sdk_config().await);
    let p = prefix("audit-records");
    let (runs, errors, dq) = (
        format!("{p}pipeline_audit"),
        format!("{p}pipeline-errors"),
        format!("{p}pipeline-dq-audit"),
    );
    create(&client, &runs, "pipeline_id", Some("run_timestamp"), &[]).await;
    create(
        &client,
        &errors,
        "error_id",
        None,
        &[("run-index", "run_id", "timestamp", ProjectionType::KeysOnly)],
    )
    .await;
    create(&client, &dq, "eval_run_id", None, &[]).await;
    for i in 0..12 {
        let status = if i == 0 { "FAILED" } else { "SUCCEEDED" };
        put(
            &client,
            &runs,
            &[
                ("pipeline_id", "partner-feed"),
                ("run_timestamp", &ago(60 * i)),
                ("run_id", &format!("run-{i:02}")),
                ("status", status),
                ("start_time", &ago(60 * i)),
            ],
        )
        .await;
    }
    for (id, attempt, code) in [
        ("e-1", "1", "ThrottlingException"),
        ("e-2", "2", "ThrottlingException"),
        ("e-3", "3", "REQUIRES_MANUAL_REVIEW"),
    ] {
        put(
            &client,
            &errors,
            &[
                ("error_id", id),
                ("run_id", "run-00"),
                ("timestamp", &ago(10 - attempt.parse::<i64>().unwrap())),
                ("error_code", code),
                ("attempt_number", attempt),
            ],
        )
        .await;
    }
    put(
        &client,
        &errors,
        &[
            ("error_id", "e-x"),
            ("run_id", "run-05"),
            ("timestamp", &ago(300)),
        ],
    )
    .await;
    put(
        &client,
        &dq,
        &[
            ("eval_run_id", "dqrun-1"),
            ("run_id", "run-00"),
            ("dq_score", "0.91"),
            (
                "failed_rules",
                r#"[{"rule": "RowCount >= 1000", "result": "FAIL"}]"#,
            ),
        ],
    )
    .await;
    put(
        &client,
        &dq,
        &[
            ("eval_run_id", "dqrun-2"),
            ("run_id", "run-07"),
            ("dq_score", "0.99"),
        ],
    )
    .await;
    let f = |v: &str| v.to_string();
    let tables = vec![
        TableMapping::course_recommended(&runs),
        TableMapping {
            name: errors.clone(),
            kind: TableKind::Errors,
            fields: Fields {
                run_id: f("run_id"),
                error_type: f("error_code"),
                attempt: f("attempt_number"),
                started: f("timestamp"),
                ..Fields::default()
            },
            ..TableMapping::default()
        },
        TableMapping {
            name: dq.clone(),
            kind: TableKind::Dq,
            fields: Fields {
                run_id: f("run_id"),
                dq_score: f("dq_score"),
                failed_rules: f("failed_rules"),
                ..Fields::default()
            },
            ..TableMapping::default()
        },
    ];
    let run = RunRef {
        table: runs.clone(),
        pipeline: Some("partner-feed".into()),
        run_id: Some("run-00".into()),
        glue_run_id: None,
    };
    let recs = records(&client, &Default::default(), &tables, &run, 4).await;
    assert!(
        recs.notes
            .iter()
            .chain(&recs.errors_notes)
            .all(|n| !n.contains("Error")),
        "{:?}",
        recs.notes
    );
    let hist: Vec<&str> = recs
        .history
        .iter()
        .map(|r| r.run_id.as_deref().unwrap())
        .collect();
    assert_eq!(hist.len(), 10, "one page of 10, newest first: {hist:?}");
    assert_eq!(hist[0], "run-00");
    let codes: Vec<(Option<i64>, Option<&str>)> = recs
        .errors
        .iter()
        .map(|e| (e.attempt, e.code.as_deref()))
        .collect();
    assert_eq!(
        codes,
        [
            (Some(1), Some("ThrottlingException")),
            (Some(2), Some("ThrottlingException")),
            (Some(3), Some("REQUIRES_MANUAL_REVIEW")),
        ],
        "the whole items, read back by key"
    );
    assert_eq!(recs.dq.len(), 1, "only run-00's, by the Scan's filter");
    assert_eq!(recs.dq[0].passed(), Some(false));
    assert_eq!(recs.dq[0].failed_rules[0].rule, "RowCount >= 1000");
    assert!(
        recs.dq_notes
            .iter()
            .any(|n| n.contains(&dq) && n.contains("a GSI with run_id")),
        "{:?}",
        recs.dq_notes
    );
}
