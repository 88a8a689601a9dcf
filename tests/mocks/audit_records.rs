//! What sits beside an open run, through the real DynamoDB client with
//! answers from aws-smithy-mocks, requests asserted: the pipeline's last
//! runs as one Query on its key (newest first, Limit 10); the errors of the
//! run through a keys-only index on run_id, then BatchGetItem; a DQ table
//! with no key or index on run_id scanned with a filter and capped in
//! pages; a denied index named in a note while the rest still reads.

use crate::common;

use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemOutput;
use aws_sdk_dynamodb::operation::query::{QueryError, QueryOutput};
use aws_sdk_dynamodb::operation::scan::ScanOutput;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_mocks::mock;
use aws_smithy_types::error::metadata::ErrorMetadata;
use common::mocks;
use pipedeck::cloud::audit::detect::{IndexShape, TableShape};
use pipedeck::cloud::audit::records::RunRef;
use pipedeck::cloud::audit::{Fields, TableKind, TableMapping};
use pipedeck::cloud::aws::dynamo::Shapes;
use pipedeck::cloud::aws::dynamo_records::records;
use std::collections::HashMap;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn item(pairs: &[(&str, AttributeValue)]) -> HashMap<String, AttributeValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn shapes() -> Shapes {
    let t = |name: &str, hash: &str, range: Option<&str>, indexes: Vec<IndexShape>| TableShape {
        name: name.into(),
        hash_key: hash.into(),
        range_key: range.map(String::from),
        indexes,
        item_count: Some(0),
    };
    Shapes::new(
        [
            t(
                "pipeline_audit",
                "pipeline_id",
                Some("run_timestamp"),
                vec![],
            ),
            t(
                "pipeline-errors",
                "error_id",
                None,
                vec![IndexShape {
                    name: "run-index".into(),
                    hash_key: "run_id".into(),
                    range_key: Some("timestamp".into()),
                    projection: "KEYS_ONLY".into(),
                    projected: vec![],
                }],
            ),
            t("pipeline-dq-audit", "eval_run_id", None, vec![]),
        ]
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect(),
    )
}

fn tables() -> Vec<TableMapping> {
    let f = |v: &str| v.to_string();
    vec![
        TableMapping {
            pipeline_index: None,
            ..TableMapping::course_recommended("pipeline_audit")
        },
        TableMapping {
            name: f("pipeline-errors"),
            kind: TableKind::Errors,
            fields: Fields {
                run_id: f("run_id"),
                error_type: f("error_code"),
                error_message: f("error_message"),
                attempt: f("attempt_number"),
                recoverable: f("is_recoverable"),
                started: f("timestamp"),
                ..Fields::default()
            },
            ..TableMapping::default()
        },
        TableMapping {
            name: f("pipeline-dq-audit"),
            kind: TableKind::Dq,
            fields: Fields {
                run_id: f("run_id"),
                dq_score: f("dq_score"),
                passed: f("passed"),
                failed_rules: f("failed_rules"),
                ..Fields::default()
            },
            ..TableMapping::default()
        },
    ]
}

fn run() -> RunRef {
    RunRef {
        table: "pipeline_audit".into(),
        pipeline: Some("partner-feed".into()),
        run_id: Some("run-0412".into()),
        glue_run_id: Some("jr_abc".into()),
    }
}

fn history_query() -> aws_smithy_mocks::Rule {
    mock!(aws_sdk_dynamodb::Client::query)
        .match_requests(|r| r.table_name() == Some("pipeline_audit"))
        .then_compute_output(|r| {
            assert_eq!(r.index_name(), None, "the table's own key");
            assert_eq!(r.key_condition_expression(), Some("#k = :v"));
            assert_eq!(
                r.expression_attribute_names(),
                Some(&HashMap::from([(
                    "#k".to_string(),
                    "pipeline_id".to_string()
                )]))
            );
            assert_eq!(
                r.expression_attribute_values().and_then(|v| v.get(":v")),
                Some(&s("partner-feed"))
            );
            assert_eq!(r.scan_index_forward(), Some(false), "newest first");
            assert_eq!(r.limit(), Some(10));
            QueryOutput::builder()
                .items(item(&[
                    ("pipeline_id", s("partner-feed")),
                    ("run_timestamp", s("2026-11-27T01:25:00Z")),
                    ("run_id", s("run-0412")),
                    ("status", s("FAILED")),
                    ("start_time", s("2026-11-27T01:25:00Z")),
                ]))
                .items(item(&[
                    ("pipeline_id", s("partner-feed")),
                    ("run_timestamp", s("2026-11-26T01:25:00Z")),
                    ("run_id", s("run-0411")),
                    ("status", s("SUCCEEDED")),
                    ("start_time", s("2026-11-26T01:25:00Z")),
                ]))
                // More exist: one page is all the detail asks.
                .last_evaluated_key("pipeline_id", s("partner-feed"))
                .build()
        })
}

#[tokio::test]
async fn the_last_runs_errors_by_index_and_a_capped_filtered_dq_scan() {
    let history = history_query();
    let errors_query = mock!(aws_sdk_dynamodb::Client::query)
        .match_requests(|r| r.table_name() == Some("pipeline-errors"))
        .then_compute_output(|r| {
            assert_eq!(r.index_name(), Some("run-index"));
            assert_eq!(
                r.expression_attribute_names(),
                Some(&HashMap::from([("#k".to_string(), "run_id".to_string())]))
            );
            let id = match r.expression_attribute_values().and_then(|v| v.get(":v")) {
                Some(AttributeValue::S(id)) => id.clone(),
                other => panic!("{other:?}"),
            };
            // The index holds keys only.
            let items = match id.as_str() {
                "run-0412" => vec![
                    item(&[("error_id", s("e-2")), ("run_id", s("run-0412"))]),
                    item(&[("error_id", s("e-1")), ("run_id", s("run-0412"))]),
                ],
                _ => vec![],
            };
            QueryOutput::builder().set_items(Some(items)).build()
        });
    let batch = mock!(aws_sdk_dynamodb::Client::batch_get_item).then_compute_output(|r| {
        let asked = &r.request_items().unwrap()["pipeline-errors"];
        assert_eq!(asked.keys().len(), 2);
        let full = |id: &str, attempt: i64, code: &str| {
            item(&[
                ("error_id", s(id)),
                ("run_id", s("run-0412")),
                ("error_code", s(code)),
                ("error_message", s("Rate exceeded")),
                ("attempt_number", n(attempt)),
                ("is_recoverable", AttributeValue::Bool(attempt < 2)),
            ])
        };
        BatchGetItemOutput::builder()
            .responses(
                "pipeline-errors",
                vec![
                    full("e-2", 2, "REQUIRES_MANUAL_REVIEW"),
                    full("e-1", 1, "ThrottlingException"),
                ],
            )
            .build()
    });
    let scan = mock!(aws_sdk_dynamodb::Client::scan).then_compute_output(|r| {
        assert_eq!(r.table_name(), Some("pipeline-dq-audit"));
        assert_eq!(r.filter_expression(), Some("#k IN (:v0, :v1)"));
        assert_eq!(
            r.expression_attribute_names(),
            Some(&HashMap::from([("#k".to_string(), "run_id".to_string())]))
        );
        let values = r.expression_attribute_values().unwrap();
        assert_eq!(values.get(":v0"), Some(&s("run-0412")));
        assert_eq!(values.get(":v1"), Some(&s("jr_abc")));
        // A big table: every page says there is more.
        ScanOutput::builder()
            .items(item(&[
                ("eval_run_id", s("dq-1")),
                ("run_id", s("run-0412")),
                ("dq_score", s("0.91")),
                ("passed", AttributeValue::Bool(false)),
                (
                    "failed_rules",
                    s(r#"[{"rule": "RowCount >= 1000", "result": "FAIL"}]"#),
                ),
            ]))
            .last_evaluated_key("eval_run_id", s("dq-1"))
            .build()
    });
    let client = mocks::dynamodb(&[&history, &errors_query, &batch, &scan]);
    let recs = records(&client, &shapes(), &tables(), &run(), 2).await;

    assert_eq!(history.num_calls(), 1, "one page of the last runs");
    let hist: Vec<&str> = recs
        .history
        .iter()
        .map(|r| r.run_id.as_deref().unwrap())
        .collect();
    assert_eq!(hist, ["run-0412", "run-0411"]);

    assert_eq!(errors_query.num_calls(), 2, "one Query per id of the run");
    assert_eq!(batch.num_calls(), 1);
    let attempts: Vec<(Option<i64>, Option<&str>, Option<bool>)> = recs
        .errors
        .iter()
        .map(|e| (e.attempt, e.code.as_deref(), e.recoverable))
        .collect();
    assert_eq!(
        attempts,
        [
            (Some(1), Some("ThrottlingException"), Some(true)),
            (Some(2), Some("REQUIRES_MANUAL_REVIEW"), Some(false)),
        ],
        "oldest attempt first"
    );

    assert_eq!(scan.num_calls(), 2, "capped at the configured pages");
    assert_eq!(recs.dq.len(), 2, "one item a page here");
    assert_eq!(recs.dq[0].passed(), Some(false));
    assert_eq!(recs.dq[0].failed_rules[0].rule, "RowCount >= 1000");
    assert!(
        recs.dq_notes.iter().any(|n| n.contains("pipeline-dq-audit")
            && n.contains("a GSI with run_id as its partition key")
            && n.contains("the table holds more")),
        "{:?}",
        recs.dq_notes
    );
    assert!(recs.dq_mapped && recs.errors_mapped);
}

#[tokio::test]
async fn a_denied_index_is_a_note_naming_it_and_the_rest_still_reads() {
    let history = history_query();
    let denied = mock!(aws_sdk_dynamodb::Client::query)
        .match_requests(|r| r.table_name() == Some("pipeline-errors"))
        .then_error(|| {
            QueryError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("User: arn:aws:sts::123456789012:assumed-role/OnCall/me is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/pipeline-errors/index/run-index")
                    .build(),
            )
        });
    let client = mocks::dynamodb(&[&history, &denied]);
    let only_errors: Vec<TableMapping> = tables().into_iter().take(2).collect();
    let recs = records(&client, &shapes(), &only_errors, &run(), 2).await;
    assert_eq!(recs.history.len(), 2);
    assert!(
        recs.errors_notes
            .iter()
            .any(|n| n.contains("dynamodb:Query on pipeline-errors/index/run-index")),
        "said under the errors, not as \"none recorded\": {:?}",
        recs.errors_notes
    );
    assert!(!recs.dq_mapped, "no DQ table in this config");
}

/// The pipelines view on the Terraform shape (HASH `run_id`, GSI
/// `pipeline-name-index` = `pipeline_name` + `run_time`): one Query each on
/// the index, `Limit` n, newest first; a table with neither key nor index
/// on the pipeline says so and is never scanned.
#[tokio::test]
async fn each_pipeline_is_one_query_on_its_index_and_never_a_scan() {
    use pipedeck::cloud::audit::records::PipelineRef;
    use pipedeck::cloud::aws::dynamo_records::pipelines;
    let query = mock!(aws_sdk_dynamodb::Client::query).then_compute_output(|r| {
        assert_eq!(r.table_name(), Some("pipeline-audit-prod"));
        assert_eq!(r.index_name(), Some("pipeline-name-index"));
        assert_eq!(r.key_condition_expression(), Some("#k = :v"));
        assert_eq!(
            r.expression_attribute_names(),
            Some(&HashMap::from([(
                "#k".to_string(),
                "pipeline_name".to_string()
            )]))
        );
        assert_eq!(r.scan_index_forward(), Some(false));
        assert_eq!(r.limit(), Some(5));
        let name = match r.expression_attribute_values().and_then(|v| v.get(":v")) {
            Some(AttributeValue::S(n)) => n.clone(),
            other => panic!("{other:?}"),
        };
        QueryOutput::builder()
            .items(item(&[
                ("run_id", s(&format!("{name}-1"))),
                ("pipeline_name", s(&name)),
                ("run_time", s("2026-11-27T01:00:00Z")),
                ("status", s("SUCCEEDED")),
            ]))
            .build()
    });
    let scan = mock!(aws_sdk_dynamodb::Client::scan).then_output(|| ScanOutput::builder().build());
    let client = mocks::dynamodb(&[&query, &scan]);
    let f = |v: &str| v.to_string();
    let terraform = TableMapping {
        name: f("pipeline-audit-prod"),
        pipeline_index: Some(f("pipeline-name-index")),
        fields: Fields {
            pipeline: f("pipeline_name"),
            run_id: f("run_id"),
            status: f("status"),
            started: f("run_time"),
            ..Fields::default()
        },
        ..TableMapping::default()
    };
    let keyed_by_audit_id = TableMapping {
        name: f("events"),
        fields: Fields {
            pipeline: f("pipeline_name"),
            ..Fields::default()
        },
        ..TableMapping::default()
    };
    let shapes = Shapes::new(
        [
            TableShape {
                name: f("pipeline-audit-prod"),
                hash_key: f("run_id"),
                range_key: None,
                indexes: vec![IndexShape {
                    name: f("pipeline-name-index"),
                    hash_key: f("pipeline_name"),
                    range_key: Some(f("run_time")),
                    projection: f("ALL"),
                    projected: vec![],
                }],
                item_count: Some(0),
            },
            TableShape {
                name: f("events"),
                hash_key: f("audit_id"),
                range_key: None,
                indexes: vec![],
                item_count: Some(0),
            },
        ]
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect(),
    );
    let asked = [
        ("pipeline-audit-prod", "orders-etl"),
        ("pipeline-audit-prod", "returns-etl"),
        ("events", "orders-etl"),
    ]
    .map(|(t, p)| PipelineRef {
        table: t.into(),
        pipeline: p.into(),
    });
    let got = pipelines(&client, &shapes, &[terraform, keyed_by_audit_id], &asked, 5).await;
    assert_eq!(query.num_calls(), 2, "one Query a pipeline");
    assert_eq!(scan.num_calls(), 0, "never a Scan for a pipeline's runs");
    assert_eq!(got[0].runs[0].run_id.as_deref(), Some("orders-etl-1"));
    assert_eq!(got[1].runs[0].run_id.as_deref(), Some("returns-etl-1"));
    let why = got[2].error.as_deref().unwrap();
    assert!(
        why.contains("a GSI with pipeline_name as its partition key"),
        "{why}"
    );
}
