//! The Insights additions on the real SDK client with `aws-smithy-mocks`,
//! requests asserted: a `stats … by bin()` answer becomes series; saved
//! queries listed over pages, saved and deleted through the gate (with the
//! journal); the triage key's requests for a run with and without a
//! LogGroupName, and for an encrypted, continuously logging job (GetJobs /
//! GetJobRuns to StartQuery).

use crate::common;

use aws_sdk_cloudwatchlogs::operation::delete_query_definition::DeleteQueryDefinitionOutput;
use aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput;
use aws_sdk_cloudwatchlogs::operation::describe_query_definitions::DescribeQueryDefinitionsOutput;
use aws_sdk_cloudwatchlogs::operation::get_query_results::GetQueryResultsOutput;
use aws_sdk_cloudwatchlogs::operation::put_query_definition::PutQueryDefinitionOutput;
use aws_sdk_cloudwatchlogs::operation::start_query::StartQueryOutput;
use aws_sdk_cloudwatchlogs::types::{
    LogGroup as SdkLogGroup, QueryDefinition as SdkDef, QueryLanguage as SdkLanguage,
    QueryStatus as SdkStatus, ResultField,
};
use aws_sdk_glue::operation::get_job_runs::GetJobRunsOutput;
use aws_sdk_glue::operation::get_jobs::GetJobsOutput;
use aws_sdk_glue::types::{Job, JobRun as SdkRun, JobRunState};
use aws_smithy_mocks::{mock, Rule};
use chrono::Duration;
use common::mocks::logs_cloud;
use common::*;
use pipedeck::cloud::{CloudRead, JobRun, QueryDefinition, RunState};
use pipedeck::gate::{self, Action, Journal};
use pipedeck::panes::insights::chart::Chart;

fn field(f: &str, v: &str) -> ResultField {
    ResultField::builder().field(f).value(v).build()
}

#[tokio::test]
async fn a_bin_stats_answer_becomes_one_series_per_group() {
    let results = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q-bins"))
        .then_output(|| {
            let row = |t: &str, g: &str, n: &str| {
                vec![field("bin(5m)", t), field("@log", g), field("errors", n)]
            };
            GetQueryResultsOutput::builder()
                .status(SdkStatus::Complete)
                .results(row(
                    "2026-11-27 02:55:00.000",
                    "123456789012:/aws-glue/jobs/error",
                    "4",
                ))
                .results(row(
                    "2026-11-27 03:00:00.000",
                    "123456789012:/aws-glue/jobs/error",
                    "9",
                ))
                .results(row(
                    "2026-11-27 03:00:00.000",
                    "123456789012:/aws/lambda/x",
                    "2",
                ))
                .build()
        });
    let cloud = logs_cloud(&[&results]);
    let r = cloud.query_results("q-bins").await.unwrap();
    let chart = Chart::from_results(
        "filter @message like /ERROR/ | stats count(*) as errors by bin(5m), @log",
        &r.table(),
    );
    let Some(Chart::TimeSeries { value, series }) = chart else {
        panic!("expected a time series: {chart:?}")
    };
    assert_eq!(value, "errors");
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].name, "123456789012:/aws-glue/jobs/error");
    assert_eq!(
        series[0].points,
        [(1_795_748_100.0, 4.0), (1_795_748_400.0, 9.0)]
    );
    assert_eq!(series[1].points, [(1_795_748_400.0, 2.0)]);
    assert_eq!(results.num_calls(), 1);
}

fn sdk_def(id: &str, name: &str) -> SdkDef {
    SdkDef::builder()
        .query_definition_id(id)
        .name(name)
        .query_string("fields @message")
        .log_group_names("/aws-glue/jobs/error")
        .last_modified(1_795_748_400_000)
        .build()
}

#[tokio::test]
async fn saved_queries_are_listed_over_every_page_by_name() {
    let cwli = || Some(&SdkLanguage::Cwli);
    let page1 = mock!(aws_sdk_cloudwatchlogs::Client::describe_query_definitions)
        .match_requests(move |r| {
            r.next_token().is_none()
                && r.max_results() == Some(1000)
                && r.query_language() == cwli()
        })
        .then_output(|| {
            DescribeQueryDefinitionsOutput::builder()
                .query_definitions(sdk_def("d-2", "zeta"))
                .next_token("page-2")
                .build()
        });
    let page2 = mock!(aws_sdk_cloudwatchlogs::Client::describe_query_definitions)
        .match_requests(move |r| r.next_token() == Some("page-2") && r.query_language() == cwli())
        .then_output(|| {
            DescribeQueryDefinitionsOutput::builder()
                .query_definitions(sdk_def("d-1", "alpha"))
                .build()
        });
    // PPL and SQL are listed too, each on its own (none saved here).
    let others = mock!(aws_sdk_cloudwatchlogs::Client::describe_query_definitions)
        .match_requests(move |r| r.query_language() != cwli())
        .then_output(|| DescribeQueryDefinitionsOutput::builder().build());
    let cloud = logs_cloud(&[&page1, &page2, &others]);
    let defs = cloud.query_definitions().await.unwrap();
    let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["alpha", "zeta"]);
    assert_eq!(defs[0].id.as_deref(), Some("d-1"));
    assert_eq!(defs[0].groups, ["/aws-glue/jobs/error"]);
    assert_eq!(
        defs[0].last_modified.map(|t| t.timestamp()),
        Some(1_795_748_400)
    );
    assert_eq!((page1.num_calls(), page2.num_calls()), (1, 1));
    assert_eq!(others.num_calls(), 2);
}

fn journal_lines(dir: &tempfile::TempDir) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.path().join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn saving_and_deleting_go_through_the_gate_and_the_journal() {
    let put = mock!(aws_sdk_cloudwatchlogs::Client::put_query_definition)
        .match_requests(|r| {
            r.name() == Some("team/errors")
                && r.query_string() == Some("stats count(*) by bin(5m)")
                && r.log_group_names() == ["/aws-glue/jobs/error", "/aws-glue/jobs/output"]
                && r.query_definition_id() == Some("d-7")
        })
        .then_output(|| {
            PutQueryDefinitionOutput::builder()
                .query_definition_id("d-7")
                .build()
        });
    let delete_ok = mock!(aws_sdk_cloudwatchlogs::Client::delete_query_definition)
        .match_requests(|r| r.query_definition_id() == Some("d-7"))
        .then_output(|| DeleteQueryDefinitionOutput::builder().success(true).build());
    let delete_refused = mock!(aws_sdk_cloudwatchlogs::Client::delete_query_definition)
        .match_requests(|r| r.query_definition_id() == Some("d-8"))
        .then_output(|| {
            DeleteQueryDefinitionOutput::builder()
                .success(false)
                .build()
        });
    let cloud = logs_cloud(&[&put, &delete_ok, &delete_refused]);
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::at(dir.path().join("j.jsonl"));

    let save = Action::SaveQueryDefinition {
        definition: QueryDefinition {
            id: Some("d-7".into()),
            name: "team/errors".into(),
            query: "stats count(*) by bin(5m)".into(),
            groups: vec![
                "/aws-glue/jobs/error".into(),
                "/aws-glue/jobs/output".into(),
            ],
            last_modified: None,
            language: Default::default(),
        },
    };
    let report = gate::execute(&cloud, &journal, approve(save)).await;
    assert!(report.ok, "{}", report.summary);
    assert_eq!(put.num_calls(), 1);

    let delete = |id: &str| Action::DeleteQueryDefinition {
        id: id.into(),
        name: "team/errors".into(),
    };
    let report = gate::execute(&cloud, &journal, approve(delete("d-7"))).await;
    assert!(report.ok, "{}", report.summary);
    let report = gate::execute(&cloud, &journal, approve(delete("d-8"))).await;
    assert!(!report.ok, "success=false is a failure");
    assert!(report.summary.contains("not deleted"), "{}", report.summary);
    assert_eq!((delete_ok.num_calls(), delete_refused.num_calls()), (1, 1));

    let lines = journal_lines(&dir);
    assert_eq!(lines.len(), 6, "an intent and an outcome each");
    let results: Vec<&str> = lines
        .iter()
        .map(|l| l["result"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        results,
        ["pending", "ok", "pending", "ok", "pending", "failed"]
    );
    assert_eq!(lines[0]["action"], "logs.put_query_definition");
    assert_eq!(lines[2]["action"], "logs.delete_query_definition");
}

/// DescribeLogGroups answering each prefix with the group of that name,
/// except `/logs-v2`, which does not exist here.
fn groups_rule() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_compute_output(|r| {
        let name = r.log_group_name_prefix().unwrap_or_default().to_string();
        let b = DescribeLogGroupsOutput::builder();
        if name.ends_with("/logs-v2") {
            b.build()
        } else {
            b.log_groups(SdkLogGroup::builder().log_group_name(name).build())
                .build()
        }
    })
}

fn failed_run(log_group_name: Option<&str>) -> JobRun {
    let mut r = run("nightly-etl", "jr_abc123", RunState::Failed, 30);
    r.completed_on = r.started_on.map(|t| t + Duration::minutes(12));
    r.log_group_name = log_group_name.map(str::to_string);
    r
}

/// From `t` on the run to StartQuery: the groups asked and found, the
/// window in epoch seconds, the query keeping the run's streams.
async fn triage_requests(log_group_name: Option<&str>, prefix: &'static str) {
    let run = failed_run(log_group_name);
    let start = (run.started_on.unwrap() - Duration::minutes(5)).timestamp();
    let end = (run.completed_on.unwrap() + Duration::minutes(5)).timestamp();
    let groups = groups_rule();
    let started = mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(move |r| {
            r.log_group_names() == [format!("{prefix}/error"), format!("{prefix}/output")]
                && r.start_time() == Some(start)
                && r.end_time() == Some(end)
                && r.query_string().is_some_and(|q| {
                    q.contains("@logStream = \"jr_abc123\"")
                        && q.contains("(@logStream like /^jr_abc123-(driver|\\d+|job-insights-rca-driver|job-insights-rule-driver)$/)")
                        && q.contains("sort triageRank desc")
                })
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-triage").build());
    let results = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q-triage"))
        .then_output(|| {
            GetQueryResultsOutput::builder()
                .status(SdkStatus::Complete)
                .results(vec![
                    field("@timestamp", "2026-11-27 02:41:00.000"),
                    field("@logStream", "jr_abc123-driver"),
                    field("@message", "ERROR Executor: Task failed"),
                    field("@ptr", "p-1"),
                ])
                .build()
        });
    let cloud = logs_cloud(&[&groups, &started, &results]);
    let mut s = state_with_jobs(vec![job("nightly-etl", 1, vec![run])], false);
    let fx = press(&mut s, &["t"]);
    drive(&mut s, &cloud, fx).await;
    assert_eq!(groups.num_calls(), 3, "each candidate group checked once");
    assert_eq!(
        started.num_calls(),
        1,
        "StartQuery with the expected request"
    );
    // The continuous group is Glue's, not under the run's prefix.
    let triage = s.panes.insights.triage().expect("a triage");
    assert_eq!(triage.missing(), ["/aws-glue/jobs/logs-v2"]);
    let screen = text(&render(&s, 140, 40));
    assert!(screen.contains("ERROR Executor: Task failed"), "{screen}");
    assert!(
        screen.contains("not found: /aws-glue/jobs/logs-v2"),
        "{screen}"
    );
}

#[tokio::test]
async fn the_triage_of_a_run_on_glues_default_groups() {
    triage_requests(None, "/aws-glue/jobs").await;
}

#[tokio::test]
async fn the_triage_of_a_run_with_a_log_group_name_prefix() {
    triage_requests(Some("/custom/etl/"), "/custom/etl").await;
}

/// An encrypted job logging continuously to its own group, streams named
/// after the job, as GetJobs and GetJobRuns describe it on AWS.
fn secure_job_rules() -> (Rule, Rule) {
    let jobs = mock!(aws_sdk_glue::Client::get_jobs).then_output(|| {
        GetJobsOutput::builder()
            .jobs(
                Job::builder()
                    .name("secure-etl")
                    .glue_version("4.0")
                    .default_arguments("--enable-continuous-cloudwatch-log", "true")
                    .default_arguments("--continuous-log-logGroup", "/team/secure/continuous")
                    .default_arguments("--continuous-log-logStreamPrefix", "secure-etl")
                    .build(),
            )
            .build()
    });
    let t0 = now().timestamp() - 3600;
    let runs = mock!(aws_sdk_glue::Client::get_job_runs)
        .match_requests(|r| r.job_name() == Some("secure-etl"))
        .then_output(move || {
            GetJobRunsOutput::builder()
                .job_runs(
                    SdkRun::builder()
                        .id("jr_sec")
                        .job_name("secure-etl")
                        .job_run_state(JobRunState::Failed)
                        .started_on(aws_smithy_types::DateTime::from_secs(t0))
                        .completed_on(aws_smithy_types::DateTime::from_secs(t0 + 600))
                        .glue_version("4.0")
                        .security_configuration("enc-logs")
                        .log_group_name("/aws-glue/jobs-etl-role-enc-logs/")
                        .build(),
                )
                .build()
        });
    (jobs, runs)
}

#[tokio::test]
async fn a_runs_security_configuration_and_its_jobs_defaults_reach_the_triage() {
    let (jobs, runs) = secure_job_rules();
    let glue = common::mocks::cloud(&[&jobs, &runs], &[]);
    let listed = glue.glue_jobs().await.unwrap();
    let run = &listed[0].runs[0];
    assert_eq!(run.glue_version.as_deref(), Some("4.0"));
    assert_eq!(run.security_configuration.as_deref(), Some("enc-logs"));
    assert_eq!(
        run.log_group_name.as_deref(),
        Some("/aws-glue/jobs-etl-role-enc-logs/")
    );
    assert_eq!(
        listed[0]
            .default_arguments
            .get("--continuous-log-logGroup")
            .map(String::as_str),
        Some("/team/secure/continuous")
    );

    let expected = [
        "/aws-glue/jobs-etl-role-enc-logs/error",
        "/aws-glue/jobs-etl-role-enc-logs/output",
        "/team/secure/continuous-enc-logs",
    ];
    let groups =
        mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_compute_output(move |r| {
            let name = r.log_group_name_prefix().unwrap_or_default().to_string();
            let b = DescribeLogGroupsOutput::builder();
            if expected.contains(&name.as_str()) {
                b.log_groups(SdkLogGroup::builder().log_group_name(name).build())
                    .build()
            } else {
                b.build()
            }
        });
    let started = mock!(aws_sdk_cloudwatchlogs::Client::start_query)
        .match_requests(move |r| {
            r.log_group_names() == expected
                && r.query_string().is_some_and(|q| {
                    q.contains("(@logStream like /^jr_sec-(driver|")
                        && q.contains("or (@logStream like /^secure-etl/)")
                })
        })
        .then_output(|| StartQueryOutput::builder().query_id("q-sec").build());
    let results = mock!(aws_sdk_cloudwatchlogs::Client::get_query_results)
        .match_requests(|r| r.query_id() == Some("q-sec"))
        .then_output(|| {
            GetQueryResultsOutput::builder()
                .status(SdkStatus::Complete)
                .results(vec![
                    field("@timestamp", "2026-11-27 02:41:00.000"),
                    field("@logStream", "secure-etl-driver"),
                    field("@message", "ERROR KMS: key disabled"),
                    field("@ptr", "p-1"),
                ])
                .build()
        });
    let logs = logs_cloud(&[&groups, &started, &results]);
    let mut s = state_with_jobs(listed, false);
    let fx = press(&mut s, &["t"]);
    drive(&mut s, &logs, fx).await;
    assert_eq!(groups.num_calls(), 3, "the three groups Glue wrote to");
    assert_eq!(started.num_calls(), 1, "StartQuery on them, streams kept");
    let screen = text(&render(&s, 200, 40));
    assert!(screen.contains("ERROR KMS: key disabled"), "{screen}");
    assert!(
        screen.contains("streams named by --continuous-log-logStreamPrefix \"secure-etl\""),
        "{screen}"
    );
    assert!(screen.contains("time window only"), "{screen}");
}
