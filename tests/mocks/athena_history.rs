//! Athena part 2 through the real SDK clients, answers from
//! aws-smithy-mocks (documented behaviour, never seen from a real account
//! here): ListQueryExecutions pages of 50 in the chosen work group,
//! BatchGetQueryExecution in chunks of 50 with unprocessed ids asked once
//! more then reported, ended executions never asked again (memory and the
//! state dir), saved queries listed and described, Create/DeleteNamedQuery
//! only through the gate, and the snapshot's section with a FAILED run.

use crate::common;

use aws_sdk_athena::operation::batch_get_named_query::BatchGetNamedQueryOutput;
use aws_sdk_athena::operation::batch_get_query_execution::BatchGetQueryExecutionOutput;
use aws_sdk_athena::operation::create_named_query::CreateNamedQueryOutput;
use aws_sdk_athena::operation::delete_named_query::DeleteNamedQueryOutput;
use aws_sdk_athena::operation::list_named_queries::ListNamedQueriesOutput;
use aws_sdk_athena::operation::list_query_executions::ListQueryExecutionsOutput;
use aws_sdk_athena::types::{
    AthenaError, NamedQuery, QueryExecution, QueryExecutionState, QueryExecutionStatistics,
    QueryExecutionStatus, UnprocessedNamedQueryId, UnprocessedQueryExecutionId,
};
use aws_smithy_mocks::{mock, Rule};
use common::mocks;
use pipedeck::cloud::aws::{AwsCloud, AwsOptions, Clients};
use pipedeck::cloud::CloudRead;
use pipedeck::gate::{self, Action, Journal};
use std::sync::{Arc, Mutex};

fn ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("q-{i:03}")).collect()
}

fn described(id: &str, state: QueryExecutionState) -> QueryExecution {
    let now = aws_smithy_types::DateTime::from_secs(chrono::Utc::now().timestamp() - 600);
    QueryExecution::builder()
        .query_execution_id(id)
        .query(format!("SELECT * FROM t WHERE id = '{id}'"))
        .work_group("etl")
        .status(
            QueryExecutionStatus::builder()
                .state(state.clone())
                .submission_date_time(now)
                .set_athena_error((state == QueryExecutionState::Failed).then(|| {
                    AthenaError::builder()
                        .error_category(2)
                        .error_type(1110)
                        .error_message("TABLE_NOT_FOUND")
                        .build()
                }))
                .set_state_change_reason(
                    (state == QueryExecutionState::Failed)
                        .then(|| "TABLE_NOT_FOUND: line 1:15".to_string()),
                )
                .build(),
        )
        .statistics(
            QueryExecutionStatistics::builder()
                .data_scanned_in_bytes(1_000_000)
                .engine_execution_time_in_millis(900)
                .build(),
        )
        .build()
}

/// ListQueryExecutions over `all` ids, newest first, in pages of what the
/// request asks (it must ask 50 in work group etl).
/// Each page's (NextToken, MaxResults) as asked.
type PagesAsked = Arc<Mutex<Vec<(Option<String>, Option<i32>)>>>;

fn list_rule(all: Vec<String>, asked: PagesAsked) -> Rule {
    mock!(aws_sdk_athena::Client::list_query_executions).then_compute_output(move |r| {
        assert_eq!(r.work_group(), Some("etl"));
        asked
            .lock()
            .unwrap()
            .push((r.next_token().map(str::to_string), r.max_results()));
        let start: usize = r.next_token().map_or(0, |t| t.parse().unwrap());
        let size = r.max_results().unwrap_or(50) as usize;
        let end = (start + size).min(all.len());
        ListQueryExecutionsOutput::builder()
            .set_query_execution_ids(Some(all[start..end].to_vec()))
            .set_next_token((end < all.len()).then(|| end.to_string()))
            .build()
    })
}

/// BatchGetQueryExecution describing every id asked but `stubborn`, which
/// it leaves unprocessed every time; records each call's ids.
fn batch_rule(stubborn: &'static str, asked: Arc<Mutex<Vec<Vec<String>>>>) -> Rule {
    mock!(aws_sdk_athena::Client::batch_get_query_execution).then_compute_output(move |r| {
        let ids = r.query_execution_ids().to_vec();
        assert!(ids.len() <= 50, "at most 50 a call: {}", ids.len());
        asked.lock().unwrap().push(ids.clone());
        let (left, done): (Vec<String>, Vec<String>) =
            ids.into_iter().partition(|id| id == stubborn);
        BatchGetQueryExecutionOutput::builder()
            .set_query_executions(Some(
                done.iter()
                    .map(|id| described(id, QueryExecutionState::Succeeded))
                    .collect(),
            ))
            .set_unprocessed_query_execution_ids(Some(
                left.iter()
                    .map(|id| {
                        UnprocessedQueryExecutionId::builder()
                            .query_execution_id(id)
                            .error_code("INTERNAL_FAILURE")
                            .error_message("try again")
                            .build()
                    })
                    .collect(),
            ))
            .build()
    })
}

fn cloud_at(rules: &[&Rule], state_dir: Option<&std::path::Path>) -> AwsCloud {
    let clients = Clients {
        athena: mocks::athena(rules),
        ..mocks::clients()
    };
    AwsCloud::from_clients_with(
        clients,
        AwsOptions {
            state_dir: state_dir.map(|d| d.to_path_buf()),
            ..AwsOptions::default()
        },
    )
}

#[tokio::test]
async fn history_reads_pages_of_50_and_describes_50_at_a_time_with_unprocessed_reported() {
    let listed = Arc::new(Mutex::new(Vec::new()));
    let batched = Arc::new(Mutex::new(Vec::new()));
    let list = list_rule(ids(0..120), listed.clone());
    let batch = batch_rule("q-007", batched.clone());
    let cloud = cloud_at(&[&list, &batch], None);
    let h = cloud.athena_history("etl").await.unwrap();
    // Three pages of at most 50, each asking 50, the token carried.
    assert_eq!(
        *listed.lock().unwrap(),
        [
            (None, Some(50)),
            (Some("50".into()), Some(50)),
            (Some("100".into()), Some(50))
        ]
    );
    let sizes: Vec<usize> = batched.lock().unwrap().iter().map(Vec::len).collect();
    // 50, then q-007 once more, 50, 20.
    assert_eq!(sizes, [50, 1, 50, 20]);
    assert_eq!(batched.lock().unwrap()[1], ["q-007"]);
    assert_eq!(h.executions.len(), 119);
    assert_eq!(h.unprocessed.len(), 1);
    assert_eq!(h.unprocessed[0].0, "q-007");
    assert!(
        h.unprocessed[0].1.contains("INTERNAL_FAILURE"),
        "{:?}",
        h.unprocessed
    );
    assert!(!h.more);
}

#[tokio::test]
async fn ended_executions_are_not_asked_again_not_even_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let all = Arc::new(Mutex::new(ids(0..60)));
    let batched = Arc::new(Mutex::new(Vec::new()));
    let pages = Arc::new(Mutex::new(0));
    let list = live_list(all.clone(), pages.clone());
    let batch = batch_rule("none", batched.clone());
    let first = cloud_at(&[&list, &batch], Some(dir.path()));
    assert_eq!(
        first.athena_history("etl").await.unwrap().executions.len(),
        60
    );
    assert!(dir.path().join("athena-history.json").exists());
    batched.lock().unwrap().clear();
    *pages.lock().unwrap() = 0;
    // Two new ones run, newest first; a new session on the same state dir.
    all.lock()
        .unwrap()
        .splice(0..0, ["new-2".to_string(), "new-1".to_string()]);
    let again = cloud_at(&[&list, &batch], Some(dir.path()));
    let h = again.athena_history("etl").await.unwrap();
    assert_eq!(h.executions.len(), 62);
    assert_eq!(
        *batched.lock().unwrap(),
        [vec!["new-2".to_string(), "new-1".to_string()]],
        "only the new ids are described"
    );
    // The first page held new ids, so the second was read too (to its
    // end here).
    assert_eq!(*pages.lock().unwrap(), 2);
}

#[tokio::test]
async fn saved_queries_are_listed_and_described_and_changed_only_through_the_gate() {
    let list = mock!(aws_sdk_athena::Client::list_named_queries)
        .match_requests(|r| r.work_group() == Some("etl") && r.max_results() == Some(50))
        .then_output(|| {
            ListNamedQueriesOutput::builder()
                .named_query_ids("nq-b")
                .named_query_ids("nq-a")
                .named_query_ids("nq-gone")
                .build()
        });
    let batch = mock!(aws_sdk_athena::Client::batch_get_named_query).then_compute_output(|r| {
        assert_eq!(r.named_query_ids().len(), 3);
        let q = |id: &str, name: &str| {
            NamedQuery::builder()
                .named_query_id(id)
                .name(name)
                .database("silver_db")
                .query_string("SELECT 1")
                .work_group("etl")
                .build()
                .unwrap()
        };
        BatchGetNamedQueryOutput::builder()
            .named_queries(q("nq-b", "b report"))
            .named_queries(q("nq-a", "A check"))
            .unprocessed_named_query_ids(
                UnprocessedNamedQueryId::builder()
                    .named_query_id("nq-gone")
                    .error_code("INVALID_INPUT")
                    .build(),
            )
            .build()
    });
    let create = mock!(aws_sdk_athena::Client::create_named_query)
        .match_requests(|r| {
            r.name() == Some("nightly")
                && r.database() == Some("silver_db")
                && r.query_string() == Some("SELECT 2")
                && r.work_group() == Some("etl")
        })
        .then_output(|| {
            CreateNamedQueryOutput::builder()
                .named_query_id("nq-new")
                .build()
        });
    let delete = mock!(aws_sdk_athena::Client::delete_named_query)
        .match_requests(|r| r.named_query_id() == Some("nq-a"))
        .then_output(|| DeleteNamedQueryOutput::builder().build());
    let cloud = cloud_at(&[&list, &batch, &create, &delete], None);
    let saved = cloud.athena_named_queries("etl").await.unwrap();
    let names: Vec<&str> = saved.queries.iter().map(|q| q.name.as_str()).collect();
    assert_eq!(names, ["A check", "b report"], "by name, case aside");
    assert_eq!(
        saved.unprocessed,
        [("nq-gone".into(), "INVALID_INPUT".into())]
    );

    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));
    let save = Action::SaveNamedQuery {
        query: pipedeck::cloud::athena::NamedQuery {
            id: None,
            name: "nightly".into(),
            description: None,
            sql: "SELECT 2".into(),
            database: "silver_db".into(),
            workgroup: Some("etl".into()),
        },
    };
    let report = gate::execute(&cloud, &journal, common::approve(save)).await;
    assert!(report.ok, "{}", report.summary);
    assert!(report.summary.contains("nq-new"), "{}", report.summary);
    let delete_a = Action::DeleteNamedQuery {
        id: "nq-a".into(),
        name: "A check".into(),
    };
    let report = gate::execute(&cloud, &journal, common::approve(delete_a)).await;
    assert!(report.ok, "{}", report.summary);
    assert_eq!((create.num_calls(), delete.num_calls()), (1, 1));
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(dir.path().join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seen: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["action"].as_str().unwrap(), l["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [
            ("athena.create_named_query", "pending"),
            ("athena.create_named_query", "ok"),
            ("athena.delete_named_query", "pending"),
            ("athena.delete_named_query", "ok"),
        ]
    );
}

#[tokio::test]
async fn the_snapshot_section_has_the_days_failed_execution() {
    let listed = Arc::new(Mutex::new(Vec::new()));
    let list = list_rule(vec!["q-ok".into(), "q-failed".into()], listed);
    let batch = mock!(aws_sdk_athena::Client::batch_get_query_execution).then_output(|| {
        BatchGetQueryExecutionOutput::builder()
            .query_executions(described("q-ok", QueryExecutionState::Succeeded))
            .query_executions(described("q-failed", QueryExecutionState::Failed))
            .build()
    });
    let cloud = cloud_at(&[&list, &batch], None);
    // The section alone: the other services' clients answer nothing here.
    let pricing = pipedeck::cloud::athena::Pricing::default();
    let section = pipedeck::headless::snapshot_athena::collect(
        &cloud,
        &pipedeck::headless::AthenaScope {
            workgroups: vec!["etl".into()],
            pricing,
        },
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| e.to_string());
    let json = pipedeck::headless::snapshot_athena::json(&section, pricing);
    let group = &json["workgroups"][0];
    assert_eq!(group["name"], "etl");
    assert_eq!(group["spend_24h"]["queries"], 2);
    assert_eq!(group["spend_24h"]["failed"], 1);
    let executions = group["executions"].as_array().unwrap();
    assert_eq!(executions.len(), 1, "only the failed one: {executions:?}");
    assert_eq!(executions[0]["id"], "q-failed");
    assert_eq!(executions[0]["state"], "FAILED");
    assert_eq!(executions[0]["reason"], "TABLE_NOT_FOUND: line 1:15");
    assert_eq!(executions[0]["runaway"], false);
}

/// ListQueryExecutions over whatever `all` holds now, 50 a page; counts
/// the pages asked.
fn live_list(all: Arc<Mutex<Vec<String>>>, pages: Arc<Mutex<usize>>) -> Rule {
    mock!(aws_sdk_athena::Client::list_query_executions).then_compute_output(move |r| {
        *pages.lock().unwrap() += 1;
        let all = all.lock().unwrap();
        let start: usize = r.next_token().map_or(0, |t| t.parse().unwrap());
        let end = (start + 50).min(all.len());
        ListQueryExecutionsOutput::builder()
            .set_query_execution_ids(Some(all[start..end].to_vec()))
            .set_next_token((end < all.len()).then(|| end.to_string()))
            .build()
    })
}

#[tokio::test]
async fn a_long_history_is_read_on_over_several_refreshes_and_said_meanwhile() {
    let all = Arc::new(Mutex::new(ids(0..600)));
    let pages = Arc::new(Mutex::new(0));
    let batched = Arc::new(Mutex::new(Vec::new()));
    let list = live_list(all.clone(), pages.clone());
    let batch = batch_rule("none", batched.clone());
    let cloud = cloud_at(&[&list, &batch], None);
    let first = cloud.athena_history("etl").await.unwrap();
    assert!(first.more, "500 new ids read, 100 left");
    assert_eq!(first.executions.len(), 500);
    batched.lock().unwrap().clear();
    // The next read goes on past what it knows, to the end.
    let second = cloud.athena_history("etl").await.unwrap();
    assert!(!second.more);
    assert_eq!(second.executions.len(), 600);
    let described: usize = batched.lock().unwrap().iter().map(Vec::len).sum();
    assert_eq!(described, 100, "only the ids not read before");
    // Complete now: a refresh with nothing new lists one page.
    *pages.lock().unwrap() = 0;
    let third = cloud.athena_history("etl").await.unwrap();
    assert!(!third.more);
    assert_eq!(*pages.lock().unwrap(), 1);
}

#[tokio::test]
async fn a_running_execution_is_described_until_it_ends_even_off_the_first_page() {
    let all = Arc::new(Mutex::new(vec!["long".to_string(), "done".to_string()]));
    let pages = Arc::new(Mutex::new(0));
    let list = live_list(all.clone(), pages);
    let ended = Arc::new(Mutex::new(false));
    let asked = Arc::new(Mutex::new(Vec::<Vec<String>>::new()));
    let batch = {
        let ended = ended.clone();
        let asked = asked.clone();
        mock!(aws_sdk_athena::Client::batch_get_query_execution).then_compute_output(move |r| {
            let ids = r.query_execution_ids().to_vec();
            asked.lock().unwrap().push(ids.clone());
            let state = |id: &str| match (id, *ended.lock().unwrap()) {
                ("long", false) => QueryExecutionState::Running,
                _ => QueryExecutionState::Succeeded,
            };
            BatchGetQueryExecutionOutput::builder()
                .set_query_executions(Some(
                    ids.iter().map(|id| described(id, state(id))).collect(),
                ))
                .build()
        })
    };
    let cloud = cloud_at(&[&list, &batch], None);
    cloud.athena_history("etl").await.unwrap();
    // 60 newer ones push it off the first page, all ended and known…
    let newer = ids(0..60);
    all.lock().unwrap().splice(0..0, newer.clone());
    cloud.athena_history("etl").await.unwrap();
    asked.lock().unwrap().clear();
    *ended.lock().unwrap() = true;
    // … and it is still asked after, until it ends.
    let h = cloud.athena_history("etl").await.unwrap();
    assert_eq!(*asked.lock().unwrap(), [vec!["long".to_string()]]);
    let long = h.executions.iter().find(|e| e.id == "long").unwrap();
    assert_eq!(
        long.state,
        Some(pipedeck::cloud::athena::QueryState::Succeeded)
    );
    asked.lock().unwrap().clear();
    cloud.athena_history("etl").await.unwrap();
    assert!(asked.lock().unwrap().is_empty(), "ended: never asked again");
}
