//! Audit tables through the real DynamoDB client, answers from
//! aws-smithy-mocks, for what moto cannot show: the exact Query a status
//! word sends, a Scan capped in pages whatever DescribeTable's (stale)
//! ItemCount says, throttling backed off, and AccessDenied on an index
//! naming the index.

use crate::common;

use aws_sdk_dynamodb::operation::query::{QueryError, QueryOutput};
use aws_sdk_dynamodb::operation::scan::ScanOutput;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_mocks::mock;
use aws_smithy_types::error::metadata::ErrorMetadata;
use common::mocks;
use pipedeck::cloud::audit::detect::{IndexShape, TableShape};
use pipedeck::cloud::audit::{Fields, RunStatus, StatusWords, TableMapping};
use pipedeck::cloud::aws::dynamo;
use pipedeck::cloud::CloudError;
use std::collections::HashMap;

fn now() -> chrono::DateTime<chrono::Utc> {
    common::now()
}

fn shape(with_index: bool) -> TableShape {
    TableShape {
        name: "pipeline_audit".into(),
        hash_key: "pipeline_id".into(),
        range_key: Some("run_timestamp".into()),
        indexes: match with_index {
            true => vec![IndexShape {
                name: "status-index".into(),
                hash_key: "status".into(),
                range_key: Some("run_timestamp".into()),
                projection: "ALL".into(),
                projected: vec![],
            }],
            false => vec![],
        },
        // Refreshed about every six hours: a busy new table says 0.
        item_count: Some(0),
    }
}

fn mapping() -> TableMapping {
    TableMapping {
        name: "pipeline_audit".into(),
        status_index: None,
        fields: Fields {
            pipeline: "pipeline_id".into(),
            status: "status".into(),
            started: "run_timestamp".into(),
            ..Fields::default()
        },
        status: StatusWords {
            failed: vec!["FAILED".into()],
            partial: vec![],
            running: vec!["RUNNING".into()],
            succeeded: vec!["SUCCEEDED".into()],
        },
        ..TableMapping::default()
    }
}

fn record(pipeline: &str, status: &str, minutes_ago: i64) -> HashMap<String, AttributeValue> {
    let t = (now() - chrono::Duration::minutes(minutes_ago)).to_rfc3339();
    HashMap::from([
        (
            "pipeline_id".to_string(),
            AttributeValue::S(pipeline.into()),
        ),
        ("run_timestamp".to_string(), AttributeValue::S(t)),
        ("status".to_string(), AttributeValue::S(status.into())),
    ])
}

#[tokio::test]
async fn each_status_word_is_one_query_on_the_index_newest_first() {
    let query = mock!(aws_sdk_dynamodb::Client::query)
        .match_requests(|r| {
            r.table_name() == Some("pipeline_audit")
                && r.index_name() == Some("status-index")
                && r.key_condition_expression() == Some("#s = :w")
                && r.expression_attribute_names()
                    == Some(&HashMap::from([("#s".to_string(), "status".to_string())]))
                && r.scan_index_forward() == Some(false)
                && r.limit() == Some(500)
                && r.filter_expression().is_none()
        })
        .then_compute_output(|r| {
            let word = match r.expression_attribute_values().and_then(|v| v.get(":w")) {
                Some(AttributeValue::S(w)) => w.clone(),
                other => panic!("{other:?}"),
            };
            let items = match word.as_str() {
                "FAILED" => vec![record("raw-to-silver", "FAILED", 30)],
                // A run stuck since yesterday is still asked for and kept.
                "RUNNING" => vec![record("silver-to-gold", "RUNNING", 60 * 30)],
                "SUCCEEDED" => vec![
                    record("ingest", "SUCCEEDED", 10),
                    record("old", "SUCCEEDED", 60 * 25),
                ],
                // Another writer's spelling, found by its lower-case Query.
                "failed" => vec![record("lower-case-writer", "failed", 40)],
                // The same run twice (it moved between two Queries): once.
                "running" => vec![record("silver-to-gold", "RUNNING", 60 * 30)],
                _ => vec![],
            };
            QueryOutput::builder().set_items(Some(items)).build()
        });
    let client = mocks::dynamodb(&[&query]);
    let read = dynamo::recent(&client, &shape(true), &mapping(), now(), 4)
        .await
        .unwrap();
    // Each word as configured and in lower case (a Query matches exactly;
    // upper case is the configured form here).
    assert_eq!(query.num_calls(), 6, "one Query per word and case");
    let got: Vec<(&str, &RunStatus)> = read
        .runs
        .iter()
        .map(|r| (r.pipeline.as_deref().unwrap(), &r.status))
        .collect();
    assert_eq!(
        got,
        [
            ("raw-to-silver", &RunStatus::Failed),
            ("lower-case-writer", &RunStatus::Failed),
            ("silver-to-gold", &RunStatus::Running),
            ("ingest", &RunStatus::Succeeded),
        ],
        "failed first; the day's window keeps the old RUNNING one, drops the old success"
    );
    assert!(read.notes.is_empty(), "{:?}", read.notes);
}

#[tokio::test]
async fn without_a_status_index_the_scan_stops_at_its_page_cap_and_says_which_index_helps() {
    // Every page says there is more: an unbounded Scan would never end.
    let scan = mock!(aws_sdk_dynamodb::Client::scan)
        .match_requests(|r| r.table_name() == Some("pipeline_audit"))
        .then_output(|| {
            ScanOutput::builder()
                .items(record("p", "FAILED", 5))
                .last_evaluated_key("pipeline_id", AttributeValue::S("p".into()))
                .build()
        });
    let client = mocks::dynamodb(&[&scan]);
    let read = dynamo::recent(&client, &shape(false), &mapping(), now(), 4)
        .await
        .unwrap();
    assert_eq!(scan.num_calls(), 4, "the configured cap");
    assert_eq!(read.runs.len(), 4);
    let note = read.notes.join(" ");
    assert!(note.contains("no index on status"), "{note}");
    assert!(note.contains("the table holds more"), "{note}");
    assert!(
        note.contains("a GSI with status as its partition key"),
        "{note}"
    );
}

#[tokio::test]
async fn throttled_queries_back_off_and_a_denied_index_is_named() {
    let throttled = mock!(aws_sdk_dynamodb::Client::query)
        .sequence()
        .error(|| {
            QueryError::ProvisionedThroughputExceededException(
                aws_sdk_dynamodb::types::error::ProvisionedThroughputExceededException::builder()
                    .message("Throughput exceeds the current capacity")
                    .meta(
                        ErrorMetadata::builder()
                            .code("ProvisionedThroughputExceededException")
                            .build(),
                    )
                    .build(),
            )
        })
        .error(|| {
            QueryError::generic(
                ErrorMetadata::builder()
                    .code("ThrottlingException")
                    .message("Rate exceeded")
                    .build(),
            )
        })
        .output(|| QueryOutput::builder().build())
        .repeatedly()
        .build();
    let client = mocks::dynamodb(&[&throttled]);
    let m = TableMapping {
        status: StatusWords {
            failed: vec!["FAILED".into()],
            partial: vec![],
            running: vec![],
            succeeded: vec![],
        },
        ..mapping()
    };
    dynamo::recent(&client, &shape(true), &m, now(), 4)
        .await
        .expect("the SDK's retries carry it through");
    // Two throttled answers, then FAILED's page; then failed's.
    assert_eq!(
        throttled.num_calls(),
        4,
        "two throttled answers, then the pages"
    );

    let denied = mock!(aws_sdk_dynamodb::Client::query).then_error(|| {
        QueryError::generic(
            ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("User: arn:aws:sts::123456789012:assumed-role/OnCall/me is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/pipeline_audit/index/status-index")
                .build(),
        )
    });
    let client = mocks::dynamodb(&[&denied]);
    match dynamo::recent(&client, &shape(true), &m, now(), 4).await {
        Err(CloudError::AccessDenied { op, .. }) => {
            assert_eq!(op, "dynamodb:Query on pipeline_audit/index/status-index")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn marking_a_run_failed_goes_through_the_gate_and_a_finished_one_is_left_alone() {
    use aws_sdk_dynamodb::operation::update_item::{UpdateItemError, UpdateItemOutput};
    use pipedeck::cloud::audit::{AttrValue, Item};
    use pipedeck::gate::{self, Action, Journal};
    let update = mock!(aws_sdk_dynamodb::Client::update_item)
        .match_requests(|r| {
            r.table_name() == Some("pipeline_audit")
                && r.condition_expression() == Some("#s = :running")
                && r.update_expression() == Some("SET #s = :failed")
                && r.expression_attribute_values()
                    .and_then(|v| v.get(":running"))
                    == Some(&AttributeValue::S("RUNNING".into()))
        })
        .sequence()
        .output(|| UpdateItemOutput::builder().build())
        .error(|| {
            UpdateItemError::ConditionalCheckFailedException(
                aws_sdk_dynamodb::types::error::ConditionalCheckFailedException::builder()
                    .message("The conditional request failed")
                    .meta(
                        ErrorMetadata::builder()
                            .code("ConditionalCheckFailedException")
                            .build(),
                    )
                    .build(),
            )
        })
        .build();
    let cloud = pipedeck::cloud::aws::AwsCloud::from_clients_with(
        pipedeck::cloud::aws::Clients {
            dynamodb: mocks::dynamodb(&[&update]),
            ..mocks::clients()
        },
        pipedeck::cloud::aws::AwsOptions {
            audit_tables: vec![mapping()],
            ..Default::default()
        },
    );
    let key: Item = [("pipeline_id".to_string(), AttrValue::S("gold".into()))]
        .into_iter()
        .collect();
    let action = || Action::MarkRunFailed {
        table: "pipeline_audit".into(),
        pipeline: "gold".into(),
        run_id: "r-9".into(),
        key: key.clone(),
        running_word: "RUNNING".into(),
        message: "marked FAILED from pipedeck: stuck".into(),
    };
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    let first = gate::execute(&cloud, &journal, common::approve(action())).await;
    assert!(first.ok, "{}", first.summary);
    assert!(first.summary.contains("marked FAILED"), "{}", first.summary);
    let second = gate::execute(&cloud, &journal, common::approve(action())).await;
    assert!(second.ok, "{}", second.summary);
    assert!(
        second.summary.contains("already finished — not changed"),
        "{}",
        second.summary
    );
    assert_eq!(update.num_calls(), 2);
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(dir.path().join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert!(lines
        .iter()
        .all(|l| l["action"] == "dynamodb.mark_run_failed"));
}

/// The failed, partial and running runs are told before the first
/// succeeded Query is sent (on a big table those pages are most of the
/// read); a keys-only index tells nothing early (its items come whole
/// only after BatchGetItem).
#[tokio::test]
async fn what_needs_a_look_is_told_before_the_succeeded_pages() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let succeeded_asked = Arc::new(AtomicUsize::new(0));
    let asked = succeeded_asked.clone();
    let query = mock!(aws_sdk_dynamodb::Client::query).then_compute_output(move |r| {
        let word = match r.expression_attribute_values().and_then(|v| v.get(":w")) {
            Some(AttributeValue::S(w)) => w.clone(),
            other => panic!("{other:?}"),
        };
        let items = match word.as_str() {
            "FAILED" => vec![record("raw-to-silver", "FAILED", 30)],
            "RUNNING" => vec![record("silver-to-gold", "RUNNING", 90)],
            "SUCCEEDED" => {
                asked.fetch_add(1, Ordering::SeqCst);
                vec![record("ingest", "SUCCEEDED", 10)]
            }
            _ => vec![],
        };
        QueryOutput::builder().set_items(Some(items)).build()
    });
    let client = mocks::dynamodb(&[&query]);
    // Each telling: the pipelines told, and how many SUCCEEDED Queries had
    // been sent by then.
    type Told = Vec<(Vec<String>, usize)>;
    let told: Arc<Mutex<Told>> = Default::default();
    let t = told.clone();
    let seen = succeeded_asked.clone();
    let urgent = move |runs: &[pipedeck::cloud::audit::AuditRun]| {
        let names = runs
            .iter()
            .map(|r| r.pipeline.clone().unwrap_or_default())
            .collect();
        t.lock().unwrap().push((names, seen.load(Ordering::SeqCst)));
    };
    let read = dynamo::recent_streaming(&client, &shape(true), &mapping(), now(), 4, &urgent)
        .await
        .unwrap();
    let told = told.lock().unwrap().clone();
    assert_eq!(
        told,
        [(
            vec!["raw-to-silver".to_string(), "silver-to-gold".to_string()],
            0
        )],
        "once, failed then running, before any SUCCEEDED Query"
    );
    assert_eq!(
        read.runs.len(),
        3,
        "the whole read has the succeeded one too"
    );

    // A keys-only index: nothing early.
    let mut keys_only = shape(true);
    keys_only.indexes[0].projection = "KEYS_ONLY".into();
    let query =
        mock!(aws_sdk_dynamodb::Client::query).then_output(|| QueryOutput::builder().build());
    let client = mocks::dynamodb(&[&query]);
    let early = Arc::new(AtomicUsize::new(0));
    let e = early.clone();
    // The mapping reads an attribute the index does not hold.
    let m = TableMapping {
        fields: Fields {
            error_message: "error_msg".into(),
            ..mapping().fields
        },
        ..mapping()
    };
    dynamo::recent_streaming(&client, &keys_only, &m, now(), 4, &move |_| {
        e.fetch_add(1, Ordering::SeqCst);
    })
    .await
    .unwrap();
    assert_eq!(early.load(Ordering::SeqCst), 0);
}
