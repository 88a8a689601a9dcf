//! The real `aws` backend's Athena over HTTP against moto: work groups, a
//! query started in a work group and followed to SUCCEEDED, its rows read
//! through GetQueryResults with the SELECT's header row dropped and NULL
//! kept apart from an empty string.
//!
//! moto runs no SQL: the rows a query answers are posted to its
//! `/moto-api/static/athena/query-results` first, and go to the next query
//! started (in this account and Region). It adds no header row, so the
//! test posts one, as real Athena sends. It writes the result file to its
//! S3 only for a query started with an OutputLocation of its own (as
//! `[athena] output_location` sends for a work group without one): that
//! is how the file path is read here, path-style, as against any endpoint
//! of one's own.

use crate::common;

use common::moto::{moto_url, prefix, sdk_config};
use pipedeck::cloud::athena::{AthenaQuery, QueryState, RowSource};
use pipedeck::cloud::aws::{AwsCloud, Clients};
use pipedeck::cloud::CloudRead;
use std::io::{Read, Write};
use std::sync::Mutex;

/// The next query started gets these rows (moto's result queue is global:
/// the lock keeps two tests from taking each other's).
static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn post_results(body: &str) {
    let url = moto_url();
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /moto-api/static/athena/query-results HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 20"), "{answer}");
}

#[tokio::test]
async fn a_query_runs_in_its_work_group_and_its_rows_come_back_typed() {
    let _one = LOCK.lock().await;
    let conf = sdk_config().await;
    let raw = aws_sdk_athena::Client::new(&conf);
    let group = prefix("athena-wg");
    raw.create_work_group()
        .name(&group)
        .configuration(
            aws_sdk_athena::types::WorkGroupConfiguration::builder()
                .bytes_scanned_cutoff_per_query(10_000_000_000)
                .result_configuration(
                    aws_sdk_athena::types::ResultConfiguration::builder()
                        .output_location("s3://athena-results/team/")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let groups = cloud.athena_workgroups().await.unwrap();
    let mine = groups.iter().find(|g| g.name == group).expect("listed");
    assert_eq!(mine.scan_cutoff, Some(10_000_000_000));
    assert_eq!(
        mine.output_location.as_deref(),
        Some("s3://athena-results/team/")
    );
    assert!(groups
        .iter()
        .any(|g| g.name == "primary" && g.scan_cutoff.is_none()));

    let region = conf
        .region()
        .map(|r| r.to_string())
        .unwrap_or("us-east-1".into());
    post_results(&format!(
        r#"{{"region": "{region}", "results": [{{
            "rows": [
                {{"Data": [{{"VarCharValue": "region"}}, {{"VarCharValue": "total"}}]}},
                {{"Data": [{{"VarCharValue": "North"}}, {{"VarCharValue": "10.5"}}]}},
                {{"Data": [{{"VarCharValue": ""}}, {{}}]}}
            ],
            "column_info": [
                {{"Name": "region", "Label": "region", "Type": "varchar", "CatalogName": "hive", "SchemaName": "", "TableName": "", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": true}},
                {{"Name": "total", "Label": "total", "Type": "double", "CatalogName": "hive", "SchemaName": "", "TableName": "", "Precision": 17, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": false}}
            ]
        }}]}}"#
    ));
    let id = cloud
        .athena_start(&AthenaQuery {
            sql: "SELECT region, total FROM sales_db.transactions".into(),
            workgroup: group.clone(),
            catalog: Some("AwsDataCatalog".into()),
            database: Some("sales_db".into()),
            reuse_minutes: None,
            output_location: None,
        })
        .await
        .unwrap();
    let e = cloud.athena_execution(&id).await.unwrap();
    assert_eq!(e.state, Some(QueryState::Succeeded));
    assert_eq!(e.workgroup.as_deref(), Some(group.as_str()));
    let got = Mutex::new(Vec::new());
    let end = cloud
        .athena_rows(&id, &|part, _| got.lock().unwrap().extend(part.rows))
        .await
        .unwrap();
    assert_eq!(
        got.into_inner().unwrap(),
        vec![
            vec![Some("North".to_string()), Some("10.5".to_string())],
            vec![Some(String::new()), None],
        ]
    );
    assert_eq!(end.columns[1].kind, "double");
    assert!(
        matches!(end.source, Some(RowSource::Api { .. })),
        "{:?}",
        end.source
    );
}

#[tokio::test]
async fn a_stopped_query_ends_cancelled() {
    let _one = LOCK.lock().await;
    let conf = sdk_config().await;
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let id = cloud
        .athena_start(&AthenaQuery {
            sql: "SELECT * FROM bronze_db.events".into(),
            workgroup: "primary".into(),
            catalog: None,
            database: None,
            reuse_minutes: None,
            output_location: None,
        })
        .await
        .unwrap();
    cloud.athena_stop(&id).await.unwrap();
    let e = cloud.athena_execution(&id).await.unwrap();
    assert_eq!(e.state, Some(QueryState::Cancelled));
    // A cancelled query has no rows to read.
    assert!(cloud.athena_rows(&id, &|_, _| {}).await.is_err());
}

/// 2,500 rows with a header row, a NULL every 100th total and an empty
/// region every 250th, as moto's results API takes them.
fn many_rows(region: &str) -> String {
    let mut rows =
        vec![r#"{"Data": [{"VarCharValue": "region"}, {"VarCharValue": "total"}]}"#.to_string()];
    for i in 0..2_500 {
        let name = if i % 250 == 0 {
            String::new()
        } else {
            format!("r{i}")
        };
        let total = if i % 100 == 0 {
            "{}".to_string()
        } else {
            format!(r#"{{"VarCharValue": "{i}.5"}}"#)
        };
        rows.push(format!(
            r#"{{"Data": [{{"VarCharValue": "{name}"}}, {total}]}}"#
        ));
    }
    format!(
        r#"{{"region": "{region}", "results": [{{"rows": [{}], "column_info": [
            {{"Name": "region", "Label": "region", "Type": "varchar", "CatalogName": "hive", "SchemaName": "", "TableName": "", "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": true}},
            {{"Name": "total", "Label": "total", "Type": "double", "CatalogName": "hive", "SchemaName": "", "TableName": "", "Precision": 17, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": false}}
        ]}}]}}"#,
        rows.join(",")
    )
}

#[tokio::test]
async fn a_select_is_read_from_its_result_file_and_without_it_from_pages() {
    let _one = LOCK.lock().await;
    let conf = sdk_config().await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&conf)
            .force_path_style(true)
            .build(),
    );
    let bucket = prefix("athena-results").to_lowercase();
    s3.create_bucket().bucket(&bucket).send().await.unwrap();
    let cloud = AwsCloud::from_clients(Clients::from_sdk_config(&conf));
    let region = conf
        .region()
        .map(|r| r.to_string())
        .unwrap_or("us-east-1".into());
    let query = AthenaQuery {
        sql: "SELECT region, total FROM sales_db.transactions".into(),
        workgroup: "primary".into(),
        catalog: None,
        database: None,
        reuse_minutes: None,
        output_location: Some(format!("s3://{bucket}/results/")),
    };
    let read = |id: String| {
        let cloud = &cloud;
        async move {
            let got = Mutex::new(Vec::new());
            let end = cloud
                .athena_rows(&id, &|part, _| got.lock().unwrap().extend(part.rows))
                .await
                .unwrap();
            (got.into_inner().unwrap(), end)
        }
    };
    // The file: one GetObject, path-style, at the key OutputLocation names.
    post_results(&many_rows(&region));
    let id = cloud.athena_start(&query).await.unwrap();
    let e = cloud.athena_execution(&id).await.unwrap();
    let uri = e.output_location.clone().unwrap();
    assert_eq!(uri, format!("s3://{bucket}/results/{id}.csv"));
    let (rows, end) = read(id).await;
    assert_eq!(rows.len(), 2_500);
    assert_eq!(
        rows[0],
        vec![Some(String::new()), None],
        "\"\" and NULL stay apart"
    );
    assert_eq!(
        rows[1],
        vec![Some("r1".to_string()), Some("1.5".to_string())]
    );
    assert_eq!(rows.iter().filter(|r| r[1].is_none()).count(), 25);
    assert_eq!(end.source, Some(RowSource::File { uri: uri.clone() }));
    assert_eq!(end.columns[1].kind, "double");

    // The same query whose file is gone: the pages, and why.
    post_results(&many_rows(&region));
    let id = cloud.athena_start(&query).await.unwrap();
    let e = cloud.athena_execution(&id).await.unwrap();
    let key = e
        .output_location
        .unwrap()
        .trim_start_matches(&format!("s3://{bucket}/"))
        .to_string();
    s3.delete_object()
        .bucket(&bucket)
        .key(&key)
        .send()
        .await
        .unwrap();
    let (rows, end) = read(id).await;
    assert_eq!(rows.len(), 2_500);
    assert_eq!(rows[0], vec![Some(String::new()), None]);
    match end.source {
        Some(RowSource::Api { why }) => assert!(why.contains("could not be read"), "{why}"),
        other => panic!("{other:?}"),
    }
}
