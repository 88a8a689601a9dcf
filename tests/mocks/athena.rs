//! Athena through the real SDK clients, answers from aws-smithy-mocks: what
//! each request carries, how answers map, and where rows are read from —
//! the result file named by OutputLocation, or GetQueryResults when the
//! file cannot or must not be read (documented behaviour, never seen from
//! a real account here: see ARCHITECTURE.md, "Athena").

use crate::common;

use aws_sdk_athena::operation::get_query_execution::GetQueryExecutionOutput;
use aws_sdk_athena::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_athena::operation::get_work_group::GetWorkGroupOutput;
use aws_sdk_athena::operation::list_work_groups::ListWorkGroupsOutput;
use aws_sdk_athena::operation::start_query_execution::StartQueryExecutionOutput;
use aws_sdk_athena::types::{
    AthenaError, ColumnInfo, Datum, QueryExecution, QueryExecutionState, QueryExecutionStatistics,
    QueryExecutionStatus, ResultConfiguration, ResultSet, ResultSetMetadata, Row, StatementType,
    WorkGroup, WorkGroupConfiguration, WorkGroupSummary,
};
use aws_sdk_s3::operation::get_object::{GetObjectError, GetObjectOutput};
use aws_smithy_mocks::{mock, Rule};
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ErrorMetadata;
use common::mocks;
use pipedeck::cloud::athena::{AthenaQuery, QueryState, ResultPart, RowSource};
use pipedeck::cloud::CloudRead;
use std::sync::Mutex;

fn execution(
    id: &str,
    statement: StatementType,
    sub: Option<&str>,
    output: Option<&str>,
) -> QueryExecution {
    QueryExecution::builder()
        .query_execution_id(id)
        .query("SELECT region, total FROM sales")
        .statement_type(statement)
        .set_substatement_type(sub.map(str::to_string))
        .status(
            QueryExecutionStatus::builder()
                .state(QueryExecutionState::Succeeded)
                .build(),
        )
        .statistics(
            QueryExecutionStatistics::builder()
                .data_scanned_in_bytes(2_000_000_000)
                .engine_execution_time_in_millis(4_200)
                .query_queue_time_in_millis(300)
                .build(),
        )
        .set_result_configuration(
            output.map(|o| ResultConfiguration::builder().output_location(o).build()),
        )
        .build()
}

fn get_execution(e: QueryExecution) -> Rule {
    mock!(aws_sdk_athena::Client::get_query_execution).then_output(move || {
        GetQueryExecutionOutput::builder()
            .query_execution(e.clone())
            .build()
    })
}

fn column(name: &str, kind: &str) -> ColumnInfo {
    ColumnInfo::builder()
        .name(name)
        .label(name)
        .r#type(kind)
        .build()
        .unwrap()
}

fn row(values: &[Option<&str>]) -> Row {
    Row::builder()
        .set_data(Some(
            values
                .iter()
                .map(|v| {
                    Datum::builder()
                        .set_var_char_value(v.map(str::to_string))
                        .build()
                })
                .collect(),
        ))
        .build()
}

fn page(columns: &[(&str, &str)], rows: Vec<Row>, next: Option<&str>) -> GetQueryResultsOutput {
    GetQueryResultsOutput::builder()
        .result_set(
            ResultSet::builder()
                .result_set_metadata(
                    ResultSetMetadata::builder()
                        .set_column_info(Some(columns.iter().map(|(n, k)| column(n, k)).collect()))
                        .build(),
                )
                .set_rows(Some(rows))
                .build(),
        )
        .set_next_token(next.map(str::to_string))
        .build()
}

/// Every part `athena_rows` told, and what it returned.
async fn read_rows(
    cloud: &pipedeck::cloud::aws::AwsCloud,
    id: &str,
) -> (Vec<Vec<Option<String>>>, ResultPart) {
    let got = Mutex::new(Vec::new());
    let end = cloud
        .athena_rows(id, &|part, _| got.lock().unwrap().extend(part.rows))
        .await
        .unwrap();
    (got.into_inner().unwrap(), end)
}

fn cells(values: &[Option<&str>]) -> Vec<Option<String>> {
    values.iter().map(|v| v.map(str::to_string)).collect()
}

#[tokio::test]
async fn start_sends_the_work_group_context_and_result_reuse() {
    let start = mock!(aws_sdk_athena::Client::start_query_execution)
        .match_requests(|r| {
            let ctx = r.query_execution_context().unwrap();
            let reuse = r
                .result_reuse_configuration()
                .and_then(|c| c.result_reuse_by_age_configuration())
                .unwrap();
            r.work_group() == Some("de-team-prod")
                && r.query_string() == Some("SELECT 1")
                && ctx.catalog() == Some("AwsDataCatalog")
                && ctx.database() == Some("sales_db")
                && reuse.enabled()
                && reuse.max_age_in_minutes() == Some(60)
                // No place of its own: the work group's applies.
                && r.result_configuration().is_none()
                // The SDK fills the idempotency token: a retried start is
                // one query, not two.
                && r.client_request_token().is_some_and(|t| t.len() >= 32)
        })
        .then_output(|| {
            StartQueryExecutionOutput::builder()
                .query_execution_id("q-1")
                .build()
        });
    let cloud = mocks::athena_cloud(&[&start], &[]);
    let id = cloud
        .athena_start(&AthenaQuery {
            sql: "SELECT 1".into(),
            workgroup: "de-team-prod".into(),
            catalog: Some("AwsDataCatalog".into()),
            database: Some("sales_db".into()),
            reuse_minutes: Some(60),
            output_location: None,
        })
        .await
        .unwrap();
    assert_eq!((id.as_str(), start.num_calls()), ("q-1", 1));
}

#[tokio::test]
async fn a_failed_execution_carries_its_reason_and_athena_error() {
    let failed = mock!(aws_sdk_athena::Client::get_query_execution)
        .match_requests(|r| r.query_execution_id() == Some("q-9"))
        .then_output(|| {
            GetQueryExecutionOutput::builder()
                .query_execution(
                    QueryExecution::builder()
                        .query_execution_id("q-9")
                        .statement_type(StatementType::Dml)
                        .status(
                            QueryExecutionStatus::builder()
                                .state(QueryExecutionState::Failed)
                                .state_change_reason("TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.silver_db.orderz' does not exist")
                                .athena_error(
                                    AthenaError::builder()
                                        .error_category(2)
                                        .error_type(1110)
                                        .retryable(false)
                                        .build(),
                                )
                                .build(),
                        )
                        .statistics(QueryExecutionStatistics::builder().data_scanned_in_bytes(0).build())
                        .build(),
                )
                .build()
        });
    let cloud = mocks::athena_cloud(&[&failed], &[]);
    let e = cloud.athena_execution("q-9").await.unwrap();
    assert_eq!(e.state, Some(QueryState::Failed));
    assert!(e.reason.unwrap().contains("orderz"));
    assert_eq!(
        e.error.unwrap().summary(),
        "user error 1110 (table or view not found), not retryable"
    );
}

#[tokio::test]
async fn a_select_is_read_from_the_file_output_location_names_nulls_kept() {
    // A reused result points at an earlier query's file: the key comes from
    // OutputLocation, never from the id.
    let exec = get_execution(execution(
        "q-2",
        StatementType::Dml,
        Some("SELECT"),
        Some("s3://team-results/athena/q-1.csv"),
    ));
    let types = mock!(aws_sdk_athena::Client::get_query_results)
        .match_requests(|r| r.query_execution_id() == Some("q-2") && r.max_results() == Some(1))
        .then_output(|| {
            page(
                &[("region", "varchar"), ("total", "double")],
                vec![row(&[Some("region"), Some("total")])],
                Some("more"),
            )
        });
    let file = mock!(aws_sdk_s3::Client::get_object)
        .match_requests(|r| r.bucket() == Some("team-results") && r.key() == Some("athena/q-1.csv"))
        .then_output(|| {
            GetObjectOutput::builder()
                .body(ByteStream::from_static(
                    b"\"region\",\"total\"\n\"North\",\"10.5\"\n\"\",\n\"South\",\"2\"\n",
                ))
                .build()
        });
    let cloud = mocks::athena_cloud(&[&exec, &types], &[&file]);
    let (rows, end) = read_rows(&cloud, "q-2").await;
    assert_eq!(
        rows,
        vec![
            cells(&[Some("North"), Some("10.5")]),
            cells(&[Some(""), None]),
            cells(&[Some("South"), Some("2")]),
        ]
    );
    assert_eq!(file.num_calls(), 1);
    assert_eq!(end.columns[1].kind, "double");
    assert_eq!(
        end.source,
        Some(RowSource::File {
            uri: "s3://team-results/athena/q-1.csv".into()
        })
    );
}

#[tokio::test]
async fn an_unreadable_file_falls_back_to_result_pages_and_says_why() {
    let exec = get_execution(execution(
        "q-3",
        StatementType::Dml,
        Some("SELECT"),
        Some("s3://locked/q-3.csv"),
    ));
    let first = mock!(aws_sdk_athena::Client::get_query_results)
        .match_requests(|r| r.next_token().is_none())
        .then_output(|| {
            page(
                &[("n", "bigint")],
                vec![row(&[Some("n")]), row(&[Some("1")]), row(&[None])],
                Some("t-2"),
            )
        });
    // Later pages have no header: a row equal to the names is data there.
    let second = mock!(aws_sdk_athena::Client::get_query_results)
        .match_requests(|r| r.next_token() == Some("t-2") && r.max_results() == Some(1000))
        .then_output(|| {
            page(
                &[("n", "bigint")],
                vec![row(&[Some("n")]), row(&[Some("3")])],
                None,
            )
        });
    let denied = mock!(aws_sdk_s3::Client::get_object).then_error(|| {
        GetObjectError::generic(
            ErrorMetadata::builder()
                .code("AccessDenied")
                .message("Access Denied")
                .build(),
        )
    });
    let cloud = mocks::athena_cloud(&[&exec, &first, &second], &[&denied]);
    let (rows, end) = read_rows(&cloud, "q-3").await;
    assert_eq!(
        rows,
        vec![
            cells(&[Some("1")]),
            cells(&[None]),
            cells(&[Some("n")]),
            cells(&[Some("3")]),
        ]
    );
    match end.source {
        Some(RowSource::Api { why }) => assert!(why.contains("could not be read"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(second.num_calls(), 1);
}

#[tokio::test]
async fn show_partitions_keeps_its_first_row_and_is_never_read_as_a_file() {
    let exec = get_execution(execution(
        "q-4",
        StatementType::Utility,
        None,
        Some("s3://r/q-4.txt"),
    ));
    let results = mock!(aws_sdk_athena::Client::get_query_results).then_output(|| {
        page(
            &[("partition", "string")],
            vec![row(&[Some("dt=2026-11-29")]), row(&[Some("dt=2026-11-30")])],
            None,
        )
    });
    let never =
        mock!(aws_sdk_s3::Client::get_object).then_output(|| GetObjectOutput::builder().build());
    let cloud = mocks::athena_cloud(&[&exec, &results], &[&never]);
    let (rows, end) = read_rows(&cloud, "q-4").await;
    assert_eq!(
        rows,
        vec![
            cells(&[Some("dt=2026-11-29")]),
            cells(&[Some("dt=2026-11-30")])
        ]
    );
    assert_eq!(never.num_calls(), 0);
    match end.source {
        Some(RowSource::Api { why }) => assert!(why.contains("not a SELECT"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn work_groups_show_their_result_location_scan_limit_and_engine() {
    let list = mock!(aws_sdk_athena::Client::list_work_groups)
        .match_requests(|r| r.max_results() == Some(50))
        .then_output(|| {
            ListWorkGroupsOutput::builder()
                .work_groups(WorkGroupSummary::builder().name("primary").build())
                .work_groups(WorkGroupSummary::builder().name("de-team-prod").build())
                .work_groups(WorkGroupSummary::builder().name("locked").build())
                .build()
        });
    let detail = mock!(aws_sdk_athena::Client::get_work_group)
        .match_requests(|r| r.work_group() == Some("de-team-prod"))
        .then_output(|| {
            GetWorkGroupOutput::builder()
                .work_group(
                    WorkGroup::builder()
                        .name("de-team-prod")
                        .configuration(
                            WorkGroupConfiguration::builder()
                                .result_configuration(
                                    ResultConfiguration::builder()
                                        .output_location("s3://my-athena-results/de-team-prod/")
                                        .build(),
                                )
                                .bytes_scanned_cutoff_per_query(10_000_000_000)
                                .enforce_work_group_configuration(true)
                                .build(),
                        )
                        .build()
                        .unwrap(),
                )
                .build()
        });
    let primary = mock!(aws_sdk_athena::Client::get_work_group)
        .match_requests(|r| r.work_group() == Some("primary"))
        .then_output(|| {
            GetWorkGroupOutput::builder()
                .work_group(
                    WorkGroup::builder()
                        .name("primary")
                        .configuration(WorkGroupConfiguration::builder().build())
                        .build()
                        .unwrap(),
                )
                .build()
        });
    let denied = mock!(aws_sdk_athena::Client::get_work_group)
        .match_requests(|r| r.work_group() == Some("locked"))
        .then_error(|| {
            aws_sdk_athena::operation::get_work_group::GetWorkGroupError::generic(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("not authorized to perform: athena:GetWorkGroup")
                    .build(),
            )
        });
    let cloud = mocks::athena_cloud(&[&list, &detail, &primary, &denied], &[]);
    let groups = cloud.athena_workgroups().await.unwrap();
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["de-team-prod", "locked", "primary"]);
    let prod = &groups[0];
    assert_eq!(prod.scan_cutoff, Some(10_000_000_000));
    assert_eq!(
        prod.output_location.as_deref(),
        Some("s3://my-athena-results/de-team-prod/")
    );
    assert!(prod.enforced);
    assert_eq!(groups[2].scan_cutoff, None, "primary: no scan limit");
    assert!(groups[1]
        .detail_error
        .as_deref()
        .unwrap()
        .contains("GetWorkGroup"));
}

#[tokio::test]
async fn the_catalog_is_read_page_by_page_with_columns_and_partition_keys() {
    use aws_sdk_athena::operation::list_databases::ListDatabasesOutput;
    use aws_sdk_athena::operation::list_table_metadata::ListTableMetadataOutput;
    use aws_sdk_athena::types::{Column as AthenaColumn, Database, TableMetadata};
    let column = |n: &str, k: &str| AthenaColumn::builder().name(n).r#type(k).build().unwrap();
    let dbs = mock!(aws_sdk_athena::Client::list_databases)
        .match_requests(|r| {
            r.catalog_name() == Some("AwsDataCatalog") && r.max_results() == Some(50)
        })
        .then_output(|| {
            ListDatabasesOutput::builder()
                .database_list(Database::builder().name("silver_db").build().unwrap())
                .database_list(Database::builder().name("bronze_db").build().unwrap())
                .build()
        });
    let first = mock!(aws_sdk_athena::Client::list_table_metadata)
        .match_requests(|r| r.database_name() == Some("silver_db") && r.next_token().is_none())
        .then_output(move || {
            ListTableMetadataOutput::builder()
                .table_metadata_list(
                    TableMetadata::builder()
                        .name("orders")
                        .table_type("EXTERNAL_TABLE")
                        .columns(column("order_id", "string"))
                        .columns(column("amount", "double"))
                        .partition_keys(column("order_date", "date"))
                        .build()
                        .unwrap(),
                )
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_athena::Client::list_table_metadata)
        .match_requests(|r| {
            r.next_token() == Some("page-2") && r.catalog_name() == Some("AwsDataCatalog")
        })
        .then_output(move || {
            ListTableMetadataOutput::builder()
                .table_metadata_list(TableMetadata::builder().name("customers").build().unwrap())
                .build()
        });
    let cloud = mocks::athena_cloud(&[&dbs, &first, &second], &[]);
    assert_eq!(
        cloud.athena_databases("AwsDataCatalog").await.unwrap(),
        ["bronze_db", "silver_db"]
    );
    let tables = cloud
        .athena_tables("AwsDataCatalog", "silver_db")
        .await
        .unwrap();
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "orders"]);
    let orders = &tables[1];
    assert_eq!(orders.partition_keys[0].name, "order_date");
    assert_eq!(orders.columns[1].kind, "double");
}

#[tokio::test]
async fn queued_running_then_reused_statistics_arrive_only_when_reported() {
    use aws_sdk_athena::types::ResultReuseInformation;
    use pipedeck::cloud::athena::{Cost, Pricing};
    let polls = std::sync::atomic::AtomicUsize::new(0);
    let states = mock!(aws_sdk_athena::Client::get_query_execution)
        .match_requests(|r| r.query_execution_id() == Some("q-5"))
        .then_output(move || {
            let n = polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let state = [
                QueryExecutionState::Queued,
                QueryExecutionState::Running,
                QueryExecutionState::Succeeded,
            ][n.min(2)]
            .clone();
            let mut e = QueryExecution::builder()
                .query_execution_id("q-5")
                .statement_type(StatementType::Dml)
                .status(QueryExecutionStatus::builder().state(state).build());
            // While it runs the service reports no statistics yet.
            if n >= 2 {
                e = e.statistics(
                    QueryExecutionStatistics::builder()
                        .data_scanned_in_bytes(0)
                        .engine_execution_time_in_millis(120)
                        .result_reuse_information(
                            ResultReuseInformation::builder()
                                .reused_previous_result(true)
                                .build(),
                        )
                        .build(),
                );
            }
            GetQueryExecutionOutput::builder()
                .query_execution(e.build())
                .build()
        });
    let cloud = mocks::athena_cloud(&[&states], &[]);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(cloud.athena_execution("q-5").await.unwrap());
    }
    let states: Vec<_> = seen.iter().map(|e| e.state_name().to_string()).collect();
    assert_eq!(states, ["QUEUED", "RUNNING", "SUCCEEDED"]);
    assert_eq!(seen[1].scanned_bytes, None, "not reported while running");
    assert_eq!(Cost::of(&seen[1], Pricing::default(), false), Cost::Unknown);
    assert!(seen[2].reused);
    assert_eq!(
        Cost::of(&seen[2], Pricing::default(), false).label(),
        "reused — $0"
    );
}

#[tokio::test]
async fn an_api_the_endpoint_lacks_says_so_not_unreadable_response() {
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::http::StatusCode;
    use aws_smithy_types::body::SdkBody;
    // moto's answer for ListTableMetadata: an HTML traceback, status 500.
    let lacking = mock!(aws_sdk_athena::Client::list_table_metadata).then_http_response(|| {
        HttpResponse::new(
            StatusCode::try_from(500).unwrap(),
            SdkBody::from(
                "<!doctype html><title>500 Internal Server Error</title>NotImplementedError",
            ),
        )
    });
    let cloud = mocks::athena_cloud(&[&lacking], &[]);
    let err = cloud
        .athena_tables("AwsDataCatalog", "default")
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("athena:ListTableMetadata") && text.contains("without an AWS error code"),
        "{text}"
    );
}
